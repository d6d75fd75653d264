"""Helpers shared by sub-commands: settings and plugins with clean errors, splitting list options.

click is not imported here: a plain ``lintra check`` (lintra/cli/entry.py) runs without it, and
:class:`ConfigError` (a ``click.ClickException``) is made on first use, which is an error path."""

from __future__ import annotations

import os

from lintra.plugins import Registry, load_registry

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Sequence


def registry_or_exit(**options: Any) -> Registry:
    """The plugin registry; a broken plugin or policy pack is a configuration error (exit 2).

    ``options`` go to :func:`lintra.plugins.load_registry` (required plugins, extra packs ...)."""
    from lintra.policy import PackError

    try:
        return load_registry(**options)
    except PackError as error:
        raise config_error(f"invalid policy pack:\n{error}") from None
    except (ValueError, TypeError, ImportError) as error:  # PluginError is a ValueError
        raise config_error(f"cannot load plugins: {error}") from None


LIMIT_HELP = ("Set an input limit (README \"Limits\"), e.g. max_depth=512; may raise it up to 16 times its default, "
              "which a repository's configuration cannot (repeatable).")


def limit_flags(expressions: Sequence[str]) -> Dict[str, int]:
    """``--limit NAME=VALUE`` values; names and bounds are checked with the configuration's."""
    found = {}
    for expression in expressions:
        name, _, value = expression.partition("=")
        try:
            found[name.strip()] = int(value)
        except ValueError:
            raise config_error(f"--limit {expression}: expected NAME=INTEGER, e.g. max_depth=512") from None
    return found


def settings_or_exit(paths: Sequence[str], config: Optional[str] = None, isolated: bool = False,
                     flags: Optional[Dict[str, Any]] = None):
    """The effective settings: files found for ``paths`` (or ``config``), then ``flags``
    (``key -> (value, "--flag")``). A broken file is a configuration error (exit 2)."""
    from lintra.config.files import ConfigFileError
    from lintra.config.settings import load

    if isolated and config:
        raise config_error("--isolated reads no configuration file; it cannot be combined with --config")
    try:
        settings = load(paths, config, isolated)
        settings.add_flags(flags or {})
        settings.judgement()  # resolve profiles now, so a bad one fails before any scanning
    except ConfigFileError as error:
        raise config_error(f"invalid configuration: {error}") from None
    return settings


def baseline_or_exit(path: Optional[str]):
    """The baseline at ``path`` (None: no baseline); a missing or broken one is exit 2."""
    if path is None:
        return None
    from lintra.filter.baseline import BaselineError, read

    if not os.path.exists(path):  # a FIFO, a device or a directory exists: read() says what it is
        raise config_error(f"baseline {path} does not exist; create it with: lintra baseline create --output {path}")
    try:
        return read(path)
    except BaselineError as error:
        raise config_error(f"invalid baseline: {error}") from None


#: the help of every command's --isolated (check, baseline, rules, config, profiles)
ISOLATED_HELP = ("Read no configuration file (neither the user-level one nor one found upward) and find no "
                 "baseline upward; command-line flags (--baseline FILE, --pack, --profile ...) still apply.")


def split_list(values: Iterable[str]) -> List[str]:
    """``--select A,B --select C`` -> ``[A, B, C]``."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def config_error(message: str) -> Exception:
    """A :class:`ConfigError` for ``message``, for modules on the click-free path to raise."""
    return _config_error_class()(message)


def _config_error_class() -> type:
    global ConfigError
    if "ConfigError" not in globals():
        import click

        class ConfigError(click.ClickException):  # noqa: F811 - made once, then a plain module global
            """A usage or configuration problem: exit code 2, never confused with findings (exit 1).

            The message names keys, values and paths from files a repository holds; each of its
            lines is written as :func:`lintra.escape.terminal` makes text inert, so a key such as
            ``"\\e]0;x\\a"`` cannot drive the terminal and a newline inside one cannot start a
            forged line (GitHub Actions reads ``::error::`` workflow commands on standard error too)."""

            exit_code = 2

            def format_message(self) -> str:
                from lintra.escape import terminal

                return "\n".join(terminal(line) for line in super().format_message().split("\n"))

    return ConfigError


def __getattr__(name: str) -> Any:
    """``from lintra.cli.common import ConfigError`` (commands that import click anyway)."""
    if name == "ConfigError":
        return _config_error_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
