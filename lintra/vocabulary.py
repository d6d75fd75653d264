"""The words findings are judged in: vendors, categories, coupling strengths and levels.

Fixed sets, so every rule, profile, configuration schema and report agrees on them.
"""

from __future__ import annotations

import enum

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Union

#: Vendors a finding can name. Lower case, fixed, extended only when a real pattern needs one.
VENDORS = (
    "vmware", "aws", "gcp", "azure", "redhat", "juniper", "nokia", "cisco", "netapp", "dell",
    "pure", "hpe", "ibm", "oracle", "rackspace", "f5", "other",
)
#: ``lintra`` is reserved for the tool's own diagnostics (syntax errors, limits, rule crashes).
RESERVED_VENDOR = "lintra"
CATEGORIES = ("compute", "storage", "network", "identity", "image", "api", "management")
#: How hard a coupling binds: ``hard`` blocks portability outright, ``soft`` is a vendor hint that
#: can be dropped or replaced cheaply, ``substrate`` depends on the platform below (the
#: infrastructure an operator chose) rather than on the application itself.
STRENGTHS = ("hard", "soft", "substrate")


class Level(enum.IntEnum):
    info = 1
    warning = 2
    error = 3

    @classmethod
    def parse(cls, value: Union[str, "Level"]) -> "Level":
        if isinstance(value, Level):
            return value
        try:
            return cls[str(value).lower()]
        except KeyError:
            raise ValueError(f"unknown level {value!r}: expected one of error, warning, info") from None

    def __str__(self) -> str:
        return self.name
