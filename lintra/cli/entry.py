"""The ``lintra`` console entry point (and ``python -m lintra``).

A pre-commit hook runs ``lintra check --force-exclude --context . -- FILE...`` on every commit
(.pre-commit-hooks.yaml), a plain ``lintra check FILE`` is the most common command line, and
``--isolated --no-cache`` is how a comparison with other tools runs it (benchmarks/bench.py).
Importing click costs more than checking one small file, so those command lines, with the long
on/off flags of ``check`` (:data:`FLAGS`) and ``--jobs N``, are understood here, without click, and
handed to :func:`lintra.cli.checking.run_check`, the function the click command calls too.
Anything this parser does not fully understand (any other option, a short option, an argument
starting with ``-`` before ``--``, ``-`` for standard input, ``--help``, another sub-command, a
``--context`` or ``--jobs`` value click would refuse or spell otherwise, shell completion,
Windows' argument expansion) goes to the click group unchanged, so it is answered exactly as
before.

The fast path gives what the click path gives, byte for byte and with the same exit code
(tests/test_entry.py runs both): the parameters are click's own defaults (:data:`DEFAULTS`, compared
with the click command's in that test), and an error raised while checking is reported by click's
own top-level handler (:func:`_report_as_click_would`), which is only imported then.
"""

from __future__ import annotations

import os
import stat
import sys

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple

#: The value of every parameter of the click command ``lintra check`` when its option is not
#: given. tests/test_entry.py fails when this and the click command's defaults differ (a new
#: option, a changed default), so the two cannot drift apart.
DEFAULTS: Dict[str, Any] = {
    "paths": (), "fmt": (), "output": (), "changed_since": None, "new_only": False, "context": (),
    "fail_on": None, "hide_sanctioned": False, "baseline_file": None, "no_baseline": False,
    "exclude": (), "force_exclude": False, "select": (), "ignore": (), "profile": None, "sanction": (), "packs": (),
    "heat_env": (), "heat_env_auto": False, "helm_values": (), "helm_set": (), "helm_set_string": (),
    "config_file": None, "isolated": False, "allow_local_plugins": False, "stdin_filename": "-", "limits": (),
    "no_cache": False, "cache_scans": False, "jobs": None,
    "verbose": False, "sarif_include_suppressed": False, "fail_on_empty": False, "color": None,
    "show_remediation": False, "quiet": False, "statistics": False, "exit_zero": False,
}


def main(argv: Optional[Sequence[str]] = None) -> Any:
    """Run ``lintra`` with ``argv`` (default: ``sys.argv[1:]``); exits the process, as click does."""
    params = fast_check_params(sys.argv[1:] if argv is None else list(argv))
    if params is None:
        from lintra.cli import main as group

        return group() if argv is None else group(list(argv))  # with no argv click names the program itself
    from lintra.cli.checking import run_check

    try:
        run_check(**params)
    except SystemExit as done:
        if argv is None:  # the whole process is this check: end it here (see _exit_now)
            _exit_now(done.code)
        raise
    except BaseException as error:  # noqa: BLE001 - handed to click's handler, which decides
        _report_as_click_would(error)
        raise


def _exit_now(code: Any) -> None:
    """End the process with ``code`` as the interpreter would, without its teardown: freeing every
    object a run made costs a check of a directory more than a millisecond, for nothing (a
    forked worker ends with ``os._exit`` too). What the interpreter's exit does that is seen is
    done first: the ``atexit`` handlers run and the standard streams are flushed. Returns (and the
    interpreter exits as usual) when there is more to it: a code that is no exit status, another
    thread still running, a stream that cannot be flushed (its error is reported as before)."""
    if code is None:
        code = 0
    if type(code) is not int or not 0 <= code <= 255:
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # noqa: BLE001 - the interpreter's own exit reports it, as before
            return
    os._exit(code)


#: The long flags of ``lintra check`` the fast path understands: flag -> (parameter, value). Each is
#: a click flag whose parameter is False (``color``: None) unless it is given, the last one given
#: winning; tests/test_entry.py compares each with what click makes of it.
FLAGS: Dict[str, Tuple[str, bool]] = {
    "--force-exclude": ("force_exclude", True), "--isolated": ("isolated", True), "--no-cache": ("no_cache", True),
    "--cache": ("cache_scans", True), "--no-baseline": ("no_baseline", True),
    "--hide-sanctioned": ("hide_sanctioned", True), "--heat-env-auto": ("heat_env_auto", True),
    "--new-only": ("new_only", True), "--verbose": ("verbose", True),
    "--sarif-include-suppressed": ("sarif_include_suppressed", True), "--fail-on-empty": ("fail_on_empty", True),
    "--show-remediation": ("show_remediation", True), "--quiet": ("quiet", True),
    "--statistics": ("statistics", True), "--exit-zero": ("exit_zero", True),
    "--color": ("color", True), "--no-color": ("color", False),
}


def fast_check_params(args: List[str], environ=os.environ) -> Optional[Dict[str, Any]]:
    """The parameters click would pass the ``check`` command for ``args``, when ``args`` is
    ``check [FLAG]... [--jobs N | --jobs=N] [--context DIR | --context=DIR]... [FILE]... [-- FILE...]``
    (a FLAG: :data:`FLAGS`) with options anywhere before ``--`` (click allows that); else None:
    let click parse it."""
    if os.name == "nt" or not args or args[0] != "check":
        return None
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # shell completion is click's
    paths: List[str] = []
    contexts: List[str] = []
    flags: Dict[str, Any] = {}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths.extend(rest)
            break
        if arg in FLAGS:
            name, value = FLAGS[arg]
            flags[name] = value
        elif arg == "--jobs" or arg.startswith("--jobs="):
            value = arg.partition("=")[2] if "=" in arg else next(rest, None)
            if not _plain_count(value):
                return None  # click's reading of it, and click's message
            flags["jobs"] = int(value)
        elif arg == "--context" or arg.startswith("--context="):
            value = arg.partition("=")[2] if "=" in arg else next(rest, None)
            if not value or value.startswith("-") or not _is_readable_directory(value):
                return None  # click's message for it, or click's reading of an option-like value
            contexts.append(value)
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    if not all(_click_accepts_path(path) for path in paths):
        return None
    return dict(DEFAULTS, paths=tuple(paths), context=tuple(contexts), **flags)


def _plain_count(value: Optional[str]) -> bool:
    """A ``--jobs`` value click reads as the same positive integer: digits, no leading zero (any
    other spelling, and a value click refuses, is left to click)."""
    return bool(value) and value[0] in "123456789" and all(c in "0123456789" for c in value)


def _is_readable_directory(value: str) -> bool:
    """What ``click.Path(exists=True, file_okay=False)`` accepts (--context)."""
    try:
        mode = os.stat(value).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and os.access(value, os.R_OK)


def _click_accepts_path(value: str) -> bool:
    """What ``click.Path()`` accepts (PATHS): anything missing, or anything readable."""
    try:
        os.stat(value)
    except OSError:
        return True
    except ValueError:  # a NUL byte: click fails on it in its own way
        return False
    return os.access(value, os.R_OK)


def _report_as_click_would(error: BaseException) -> None:
    """Report ``error`` the way click's ``main`` reports one a command raised (a ConfigError as
    ``Error: ...`` and exit 2, Ctrl-C as ``Aborted!``, a closed pipe quietly), by raising it inside
    a click command run in standalone mode: the same code writes it, whatever click's version.
    Returns only for what click lets through (a bug's traceback)."""
    import click

    def reraise() -> None:
        raise error

    click.Command("check", callback=reraise).main(args=[], prog_name="lintra")
