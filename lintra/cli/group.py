"""The click group behind ``lintra``: its sub-commands are imported only when they run."""

from __future__ import annotations

import importlib

import click

from lintra import __version__
from lintra.cli import _MODULES, COMMANDS, EXIT_CODES_HELP


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
