"""``lintra check``: lint paths (or ``-`` for standard input) and gate CI by exit code.

This module is the click command (every option, --help); what the check does is
:func:`lintra.cli.checking.run_check`, which the console entry point also calls without click for
the commands a pre-commit hook runs (lintra/cli/entry.py)."""

from __future__ import annotations

import click

from lintra.cli.checking import _skipped, run_check, use_colour  # noqa: F401 - use_colour/_skipped: their old home
from lintra.cli.scan import scan_options
from lintra.model import Level

LEVELS = click.Choice([level.name for level in Level], case_sensitive=False)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "fmt", multiple=True,
              help="Output format: text, json, sarif, junit, github, gitlab, or one a plugin adds (repeatable; "
                   "default text, or github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", multiple=True, metavar="FILE",
              help="Write the N-th --format to FILE (repeatable); a format without one goes to standard output.")
@click.option("--changed-since", metavar="REF",
              help="Only files changed since git REF (working tree included) plus untracked ones.")
@click.option("--new-only", is_flag=True,
              help="With --changed-since: report only findings on changed lines (all of a new file).")
@click.option("--context", "context", multiple=True, metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="Also read DIR (repeatable) for what cross-file rules look up (the StorageClass a claim names, "
                   "a ServiceAccount, Heat environments), reporting only findings in PATHS. --changed-since reads "
                   "the repository root so; the pre-commit hook passes --context .")
@click.option("--fail-on", type=LEVELS, default=None,
              help="Lowest level that makes the exit code 1 (default: the profile's, error for the built-in ones).")
@click.option("--hide-sanctioned", is_flag=True, help="Leave findings on sanctioned vendors out entirely.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not accepted by this baseline (default: the configuration's 'baseline').")
@click.option("--no-baseline", is_flag=True, help="Ignore the configured baseline: report every finding.")
@scan_options
@click.option("--verbose", "-v", is_flag=True, help="Also list skipped files and suppressed findings.")
@click.option("--sarif-include-suppressed", is_flag=True,
              help="SARIF: keep suppressed findings, marked with their justification.")
@click.option("--fail-on-empty", is_flag=True,
              help="Exit 2 when the paths yield no file to scan (a wrong path or pattern in CI).")
@click.option("--color/--no-color", default=None,
              help="Colour text output (default: when on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it).")
@click.option("--show-remediation", is_flag=True, help="Text: print the open alternative under each finding.")
@click.option("--quiet", "-q", is_flag=True, help="Text: print the findings only, no summary.")
@click.option("--statistics", is_flag=True, help="Text: print how many findings each rule has instead of each finding.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings fail the run (2 still means a file could not be read or a usage error).")
def check(**params):
    """Check PATHS (files, directories, or - for standard input) for vendor coupling."""
    run_check(**params)
