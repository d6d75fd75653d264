"""``lintra check``: lint paths (or ``-`` for standard input) and gate CI by exit code."""

from __future__ import annotations

import os
import sys

import click

from lintra.cli import outputs
from lintra.cli.common import ConfigError, baseline_or_exit
from lintra.cli.scan import ScanSetup, scan_options
from lintra.config.files import start_directory
from lintra.model import Level
from lintra.repository import repository_root

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
def check(paths, fmt, output, changed_since, new_only, fail_on, hide_sanctioned, baseline_file, no_baseline,
          verbose, sarif_include_suppressed, fail_on_empty, color, show_remediation, quiet, statistics, exit_zero,
          **options):
    """Check PATHS (files, directories, or - for standard input) for vendor coupling."""
    scan = ScanSetup(paths, options, {"fail_on": (fail_on, "--fail-on"),
                                 "hide_sanctioned": (hide_sanctioned, "--hide-sanctioned"),
                                 "baseline": (baseline_file, "--baseline")})
    pairs = outputs.pair(fmt, output, scan.registry.formats)
    root = repository_root(start_directory(paths)) or os.getcwd()  # CI formats name files from it
    baseline = None if no_baseline else baseline_or_exit(scan.settings["baseline"])
    changes, force_exclude = None, False
    if changed_since:
        from lintra.discover.changes import ChangesError, select_paths
        from lintra.discover.changes import changed_since as changed_since_

        try:
            changes = changed_since_(changed_since)
        except ChangesError as error:
            raise ConfigError(str(error)) from None
        suffixes = {suffix for loader in scan.registry.loaders for suffix in loader.suffixes}
        paths, force_exclude = select_paths(changes, paths, suffixes), True
    elif new_only:
        raise ConfigError("--new-only needs --changed-since REF")
    elif not paths:
        paths = ["."]
    result = scan.run(paths, force_exclude=force_exclude, baseline=baseline)
    if new_only:
        from lintra.filter.changes import on_changed_lines

        result.findings = on_changed_lines(result.findings, changes)
    options = {"color": use_colour(color, sys.stdout), "verbose": verbose,
               "include_suppressed": sarif_include_suppressed, "root": root,
               "show_remediation": show_remediation, "quiet": quiet, "statistics": statistics}
    outputs.write_all(pairs, result, sys.stdout, options)
    if not any(record.status in ("scanned", "error") for record in result.files):  # errors already exit 2
        click.echo(f"lintra: warning: no file was scanned{_skipped(result)}", err=True)
        if fail_on_empty:
            sys.exit(2)
    sys.exit(0 if exit_zero and result.exit_code == 1 else result.exit_code)


def use_colour(flag, stream, environ=os.environ) -> bool:
    """--color/--no-color, else NO_COLOR (https://no-color.org: set and not empty), else
    FORCE_COLOR (set and not empty), else whether the output is a terminal."""
    if flag is not None:
        return flag
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def _skipped(result) -> str:
    reasons = result.summary()["skipped_reasons"]
    if not reasons:
        return " (the paths hold no file lintra reads)"
    return " (" + ", ".join(f"{count} skipped: {reason}" for reason, count in reasons.items()) + ")"
