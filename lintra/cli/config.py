"""``lintra config --show``: the effective configuration and where each value came from."""

from __future__ import annotations

import json

import click

from lintra.cli.common import ISOLATED_HELP, LIMIT_HELP, limit_flags, settings_or_exit


@click.command("config")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--show", is_flag=True, default=True, help="Print the effective configuration (the default action).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Configuration file to use instead of the one found upward from PATHS.")
@click.option("--isolated", is_flag=True, help=ISOLATED_HELP)
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", help=LIMIT_HELP)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config(paths, show, config_file, fmt, isolated, limits):
    """Show the configuration a check of PATHS (default: .) would use, value by value (with --limit:
    the limits such a check would run with)."""
    settings = settings_or_exit(paths or ["."], config_file, isolated, {"limits": (limit_flags(limits), "--limit")})
    rows = settings.show()
    if fmt == "json":
        click.echo(json.dumps({"files": [f.path for f in settings.files], "root": settings.root,
                               "settings": rows}, indent=2, default=str))
        return
    click.echo("# files: " + (", ".join(f.path for f in settings.files) or "none (built-in defaults)"))
    for row in rows:
        click.echo(f"{row['key']} = {json.dumps(row['value'], default=str)}  # {row['origin']}")
