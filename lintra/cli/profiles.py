"""``lintra profiles``: the strictness profiles, built-in and configured, and what they do."""

from __future__ import annotations

import json

import click

from lintra.cli.common import ISOLATED_HELP, ConfigError, settings_or_exit


@click.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Configuration file whose 'profiles' to list too.")
@click.option("--isolated", is_flag=True, help=ISOLATED_HELP)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def profiles(config_file, fmt, isolated):
    """List strictness profiles: the ladder conservative -> balanced -> agile and your own."""
    from lintra.filter.profiles import ProfileError, builtin_profiles, resolve

    settings = settings_or_exit(["."], config_file, isolated)
    names = list(builtin_profiles()) + [n for n in settings["profiles"] if n not in builtin_profiles()]
    try:
        resolved = [resolve(name, settings["profiles"]) for name in names]
    except ProfileError as error:
        raise ConfigError(str(error)) from None
    current = settings["profile"]
    resolved.sort(key=lambda p: len(p.chain))  # the ladder order: a profile after the ones it extends
    if fmt == "json":
        click.echo(json.dumps([{
            "name": p.name, "extends": list(p.chain[1:]), "description": p.description, "origin": p.origin,
            "fail_on": p.fail_on.name, "require_reason": p.require_reason,
            "non_suppressible": list(p.non_suppressible), "current": p.name == current} for p in resolved], indent=2))
        return
    for p in resolved:
        marker = "*" if p.name == current else " "
        extends = f" (extends {p.chain[1]})" if len(p.chain) > 1 else ""
        description = f": {p.description}" if p.description else ""
        click.echo(f"{marker} {p.name:<14} fails on {p.fail_on.name}{extends}{description}")
