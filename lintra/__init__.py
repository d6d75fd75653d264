"""lintra: find proprietary coupling (vendor lock-in) in Heat, Kubernetes and vSphere configs.

The public API is what this module exports; everything else is private to lintra and may change.

lintra's modules name ``typing``'s types for the type checker only (``TYPE_CHECKING = False``, then
``if TYPE_CHECKING: from typing import ...``; annotations are strings, ``from __future__ import
annotations``, and so are type aliases such as ``lintra.model.Pointer``): importing ``typing`` costs
a check of one small file about a tenth of its time, and nothing else a check imports needs it
(tests/test_startup.py).
"""

from lintra.check import Scan
from lintra.hookspecs import hookimpl
from lintra.load import Detector, LoadError, Loader, Skip
from lintra.model import (CATEGORIES, STRENGTHS, VENDORS, Document, FileRecord, Finding, Hit, Level,
                          Locator, Related, Rule, Source, Span)
from lintra.policy.resolvers import Candidate, Resolver
from lintra.report import Format


def __getattr__(name: str):
    # Resolved on first use, so that a plain ``lintra check`` imports neither importlib.metadata
    # nor the policy-pack compiler (see lintra/entrypoints.py).
    if name == "__version__":
        from lintra.entrypoints import distribution_version

        value = distribution_version("lintra") or "0.0.0+unknown"
    elif name == "rules_from_pack":
        from lintra.policy import rules_from_pack as value
    else:
        raise AttributeError(f"module 'lintra' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "CATEGORIES", "STRENGTHS", "VENDORS", "Candidate", "Detector", "Document", "FileRecord", "Finding",
    "Format", "Hit", "Level", "LoadError", "Loader", "Locator", "Related", "Resolver", "Rule", "Scan", "Skip",
    "Source", "Span", "hookimpl", "rules_from_pack", "__version__",
]
