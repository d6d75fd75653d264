"""What ``lintra check`` does once its arguments are parsed, without click.

Both ways in call :func:`run_check` with the same keyword arguments: the click command
(lintra/cli/check.py, every option) and the console entry point's fast path (lintra/cli/entry.py,
the few options a pre-commit hook passes). So a plain check does not pay for importing click.
"""

from __future__ import annotations

import os
import sys

from lintra.cli import outputs
from lintra.cli.common import baseline_or_exit, config_error
from lintra.cli.scan import ScanSetup
from lintra.config.files import start_directory
from lintra.repository import repository_root


def run_check(paths, fmt, output, changed_since, new_only, context, fail_on, hide_sanctioned, baseline_file,
              no_baseline, verbose, sarif_include_suppressed, fail_on_empty, color, show_remediation, quiet, statistics,
              exit_zero, **options):
    scan = ScanSetup(paths, options, {"fail_on": (fail_on, "--fail-on"),
                                 "hide_sanctioned": (hide_sanctioned, "--hide-sanctioned"),
                                 "baseline": (baseline_file, "--baseline")})
    pairs = outputs.pair(fmt, output, scan.registry.formats)
    root = repository_root(start_directory(paths)) or os.getcwd()  # CI formats name files from it
    baseline = None if no_baseline else baseline_or_exit(scan.settings["baseline"])
    changes, force_exclude = None, False
    if changed_since is not None:  # an empty REF (an unset CI variable) is an error, not a full scan
        from lintra.discover.changes import ChangesError, select_paths
        from lintra.discover.changes import changed_since as changed_since_

        try:
            changes = changed_since_(changed_since)
        except ChangesError as error:
            raise config_error(str(error)) from None
        suffixes = {suffix for loader in scan.registry.loaders for suffix in loader.suffixes}
        paths, force_exclude = select_paths(changes, paths, suffixes), True
        context = context or (root,)  # the unchanged rest of the repository still defines what changed files use
    elif new_only:
        raise config_error("--new-only needs --changed-since REF")
    elif not paths:
        paths = ["."]
    result = scan.run(paths, force_exclude=force_exclude, baseline=baseline, context=context if paths else ())
    if new_only:
        from lintra.filter.changes import on_changed_lines

        result.findings = on_changed_lines(result.findings, changes)
    options = {"color": use_colour(color, sys.stdout), "verbose": verbose,
               "include_suppressed": sarif_include_suppressed, "root": root,
               "show_remediation": show_remediation, "quiet": quiet, "statistics": statistics}
    outputs.write_all(pairs, result, sys.stdout, options)
    if not any(record.status in ("scanned", "error") for record in result.files):  # errors already exit 2
        import click  # the warning is written as the click command always wrote it

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
