"""The ``lintra`` command: one click group, one module per sub-command."""

from __future__ import annotations

import click

from lintra import __version__
from lintra.cli import audit, baseline, check, config, plugins, policy, profiles, rules

EXIT_CODES_HELP = """\b
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error, or an input file that could not be read
"""


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lintra")
def main() -> None:
    """Find proprietary coupling (vendor lock-in) in Heat, Kubernetes and vSphere configs."""


#: Every sub-command, in the order ``lintra --help`` lists them.
COMMANDS = [check.check, audit.audit, baseline.baseline, rules.rules, policy.policy, plugins.plugins,
            profiles.profiles, config.config]
for command in COMMANDS:
    main.add_command(command)
