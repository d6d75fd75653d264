"""``lintra plugins``: which plugins are loaded, from which version, implementing which hooks."""

from __future__ import annotations

import json
import os

import click

from lintra.cli.common import registry_or_exit


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def plugins(fmt):
    """List loaded plugins (built-in and installed through the "lintra" entry-point group).

    LINTRA_PLUGINS=name,name restricts loading, here as in every other command.
    """
    loaded = registry_or_exit().plugins
    if fmt == "json":
        click.echo(json.dumps(loaded, indent=2))
        return
    width = max((len(p["name"]) for p in loaded), default=0)
    versions = [p["version"] or "-" for p in loaded]
    vwidth = max(map(len, versions), default=0)
    for plugin, version in zip(loaded, versions):
        click.echo(f"{plugin['name']:<{width}}  {version:<{vwidth}}  {', '.join(plugin['hooks'])}")
    restricted = os.environ.get("LINTRA_PLUGINS")
    if restricted is not None:
        click.echo(f"(LINTRA_PLUGINS={restricted} restricts loading)", err=True)
