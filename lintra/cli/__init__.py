"""The ``lintra`` command: one click group, one module per sub-command.

A sub-command's module is imported only when that sub-command runs (or ``--help`` lists them), so
``lintra check`` does not pay for the policy, baseline or plugin listing commands. The group itself
(``main``, lintra/cli/group.py) is made on first use: the console entry point
(lintra/cli/entry.py) runs a plain ``lintra check FILE`` without importing click at all.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any

EXIT_CODES_HELP = """\b
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error, or an input file that could not be read
"""

#: Every sub-command, in the order ``lintra --help`` lists them: the module ``lintra.cli.NAME``
#: defines the click command ``NAME``.
COMMANDS = ["check", "audit", "baseline", "rules", "explain", "policy", "plugins", "profiles", "config", "docs",
            "cache"]
#: commands defined in another command's module
_MODULES = {"docs": "explain"}


def __getattr__(name: str) -> Any:
    """``from lintra.cli import main``: the click group, imported with click when first asked for."""
    if name == "main":
        from lintra.cli.group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
