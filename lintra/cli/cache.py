"""``lintra cache show|clear``: where lintra keeps what it may reuse between runs, and emptying it.

The cache (:mod:`lintra.mapcache`, :mod:`lintra.cache`) grows by one entry per version of each
file a run maps; runs keep it under a bound (``LINTRA_CACHE_MAX_MB``), evicting the entries used
least recently. ``lintra cache clear`` empties it, as ``ruff clean`` does, and any run rebuilds
what it needs."""

from __future__ import annotations

import click


@click.group()
def cache() -> None:
    """Show or clear lintra's cache ($LINTRA_CACHE_DIR, else $XDG_CACHE_HOME/lintra or ~/.cache/lintra)."""


@cache.command()
def show() -> None:
    """Print the cache directory, its number of files and their size."""
    from lintra.mapcache import usage

    where, entries, size = usage()
    if where is None:
        click.echo("cache: off (LINTRA_CACHE_DIR is empty)")
        return
    click.echo(f"cache: {where}\nfiles: {entries}\nbytes: {size}")


@cache.command()
def clear() -> None:
    """Remove every entry lintra wrote to the cache (other files there are left alone)."""
    from lintra.mapcache import clear as clear_

    where, removed = clear_()
    if where is None:
        click.echo("cache: off (LINTRA_CACHE_DIR is empty)")
        return
    click.echo(f"removed {removed} cache file{'s' if removed != 1 else ''} from {where}")
