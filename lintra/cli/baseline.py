"""``lintra baseline create|prune``: accept an old repository's findings, then only report new ones."""

from __future__ import annotations

import os

import click

from lintra.cli.common import ConfigError, baseline_or_exit, registry_or_exit, settings_or_exit
from lintra.discover import PathNotFound
from lintra.filter.baseline import DEFAULT_NAME, from_findings, write
from lintra.pipeline import run


@click.group()
def baseline():
    """Accept existing findings so a check reports only new ones."""


def _scan(paths, config_file):
    settings = settings_or_exit(paths, config_file)
    registry = registry_or_exit(**settings.registry_options())
    try:
        result = run(list(paths) or ["."], settings.judgement(), exclude=settings["exclude"], registry=registry)
    except PathNotFound as missing:
        raise ConfigError(f"no such file or directory: {missing}") from None
    return settings, result


def _target(output, settings, paths) -> str:
    """The explicit file, the configured one, else one at the root of the project: beside the
    configuration file, else at the repository root, where ``check`` finds it again."""
    from lintra.config.files import start_directory
    from lintra.repository import repository_root

    if output or settings["baseline"]:
        return output or settings["baseline"]
    if any(not f.user for f in settings.files):
        root = settings.root
    else:
        start = start_directory(paths or ["."])
        root = repository_root(start) or start
    return os.path.join(root, DEFAULT_NAME)


@baseline.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help=f"Where to write (default: the configuration's 'baseline', else {DEFAULT_NAME} beside it).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE")
def create(paths, output, config_file):
    """Write every current finding of PATHS (default .) to a baseline file."""
    settings, result = _scan(paths, config_file)
    target = _target(output, settings, paths)
    accepted = from_findings(target, result.findings)
    write(accepted)
    click.echo(f"wrote {len(accepted.entries)} finding(s) to {target}")


@baseline.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help=f"The baseline to prune (default: the configuration's 'baseline', else {DEFAULT_NAME}).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE")
def prune(paths, baseline_file, config_file):
    """Drop baseline entries that no longer occur in PATHS (default .)."""
    settings, result = _scan(paths, config_file)
    current = baseline_or_exit(_target(baseline_file, settings, paths))
    pruned = current.prune(result.findings)
    write(pruned)
    click.echo(f"kept {len(pruned.entries)} of {len(current.entries)} entries in {current.path}")
