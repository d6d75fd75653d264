"""Helpers shared by sub-commands: loading plugins with clean errors, splitting list options."""

from __future__ import annotations

from typing import Iterable, List, Sequence

import click

from lintra.plugins import Registry, load_registry


def registry_or_exit(*, packs: Sequence[str] = ()) -> Registry:
    """The plugin registry (plus extra policy ``packs``); a broken plugin or pack is a
    configuration error (exit 2)."""
    from lintra.policy import PackError

    try:
        return load_registry(packs=packs)
    except PackError as error:
        raise ConfigError(f"invalid policy pack:\n{error}") from None
    except (ValueError, TypeError, ImportError) as error:  # PluginError is a ValueError
        raise ConfigError(f"cannot load plugins: {error}") from None


def split_list(values: Iterable[str]) -> List[str]:
    """``--select A,B --select C`` -> ``[A, B, C]``."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


class ConfigError(click.ClickException):
    """A usage or configuration problem: exit code 2, never confused with findings (exit 1)."""

    exit_code = 2
