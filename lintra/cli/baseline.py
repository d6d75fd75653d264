"""``lintra baseline create|prune|upgrade``: accept an old repository's findings, then only report new ones.

Both scan with the same options as ``lintra check``, so a baseline matches the check that reads
it. Both touch only the entries of files they scanned: creating or pruning a baseline for one
subtree keeps what it says about the rest of the repository.
"""

from __future__ import annotations

import os

import click

from lintra.cli.common import ConfigError, baseline_or_exit
from lintra.cli.scan import ScanSetup, scan_options
from lintra.filter.baseline import DEFAULT_NAME, Baseline, BaselineError, from_findings, upgraded, write


@click.group()
def baseline():
    """Accept existing findings so a check reports only new ones."""


def _target(output, scan: ScanSetup, paths) -> str:
    """The explicit file, the configured one, else one at the root of the project: beside the
    configuration file, else at the repository root, where ``check`` finds it again."""
    from lintra.config.files import start_directory
    from lintra.repository import repository_root

    settings = scan.settings
    if output or settings["baseline"]:
        return output or settings["baseline"]
    if any(not f.user for f in settings.files):
        root = settings.root
    else:
        start = start_directory(paths or ["."])
        root = repository_root(start) or start
    return os.path.join(root, DEFAULT_NAME)


def _judged(scan: ScanSetup) -> set:
    return {rule_id for rule_id, rule in scan.registry.rules.items() if scan.judgement.enabled(rule)}


def _write(accepted: Baseline) -> None:
    if os.path.isdir(accepted.path):
        raise ConfigError(f"baseline {accepted.path} is a directory; name a file")
    try:
        write(accepted)
    except BaselineError as error:
        raise ConfigError(str(error)) from None


@baseline.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--baseline", "--output", "-o", "output", type=click.Path(dir_okay=False), metavar="FILE",
              help=f"Where to write (default: the configuration's 'baseline', else {DEFAULT_NAME} at the root).")
@scan_options
def create(paths, output, **options):
    """Accept every current finding of PATHS (default .) in a baseline file."""
    scan = ScanSetup(paths, options)
    result = scan.run(paths or ["."])
    target = _target(output, scan, paths)
    fresh = from_findings(target, result.findings)
    scanned = list(paths or ["."]) + list(options["heat_env"])
    try:
        accepted = baseline_or_exit(target).merged(fresh, scanned, _judged(scan)) if os.path.isfile(target) else fresh
    except BaselineError as error:
        raise ConfigError(str(error)) from None
    _write(accepted)
    kept = len(accepted.entries) - len(fresh.entries)
    click.echo(f"wrote {len(fresh.entries)} finding(s) to {target}"
               + (f" (kept {kept} entries for files not scanned)" if kept else ""))


@baseline.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help=f"The baseline to prune (default: the configuration's 'baseline', else {DEFAULT_NAME}).")
@scan_options
def prune(paths, baseline_file, **options):
    """Drop baseline entries whose finding no longer occurs in PATHS (default .)."""
    scan = ScanSetup(paths, options)
    result = scan.run(paths or ["."])
    current = baseline_or_exit(_target(baseline_file, scan, paths))
    pruned = current.prune(result.findings, list(paths or ["."]) + list(options["heat_env"]), _judged(scan))
    _write(pruned)
    click.echo(f"kept {len(pruned.entries)} of {len(current.entries)} entries in {current.path}")


@baseline.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help=f"The baseline to upgrade (default: the configuration's 'baseline', else {DEFAULT_NAME}).")
@scan_options
def upgrade(paths, baseline_file, **options):
    """Rewrite an older baseline in the current format, scanning PATHS (default: the baseline's
    directory) to give each entry the fingerprint of the finding it accepts."""
    scan = ScanSetup(paths, options)
    current = baseline_or_exit(_target(baseline_file, scan, paths))
    result = scan.run(paths or [current.directory])
    new, dropped = upgraded(current, result.findings)
    if new is current:
        click.echo(f"{current.path} is already version {current.version}")
        return
    _write(new)
    click.echo(f"upgraded {current.path} from version {current.version}: {len(new.entries)} entries"
               + (f", dropped {dropped} that match no current finding" if dropped else ""))
