"""The ``lintra`` command: one click group, one module per sub-command.

A sub-command's module is imported only when that sub-command runs (or ``--help`` lists them), so
``lintra check`` does not pay for the policy, baseline or plugin listing commands."""

from __future__ import annotations

import importlib

import click

from lintra import __version__

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


class _Commands(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        return getattr(importlib.import_module(f"lintra.cli.{_MODULES.get(name, name)}"), name)


@click.group(cls=_Commands, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lintra")
def main() -> None:
    """Find proprietary coupling (vendor lock-in) in Heat, Kubernetes and vSphere configs."""
