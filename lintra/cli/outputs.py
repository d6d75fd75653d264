"""Pair ``--format`` with ``--output``: one run feeds the console and CI artefacts.

Rule (click keeps each repeated option's values in order, not their interleaving): the N-th
``--output`` belongs to the N-th ``--format``; formats left without an output write to standard
output, and at most one may. So ``--format sarif --output lintra.sarif --format text`` writes
SARIF to the file and text to the console. With no ``--format``, the format is ``github`` when
``GITHUB_ACTIONS=true`` (annotations on the pull request) and ``text`` otherwise.
"""

from __future__ import annotations

import os

from lintra.cli.common import config_error

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import List, Optional, Sequence, Tuple


def default_format(environ=os.environ) -> str:
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def pair(formats: Sequence[str], outputs: Sequence[str], known, environ=os.environ
         ) -> List[Tuple[object, Optional[str]]]:
    """[(Format, path or None for stdout)] in the order given; ConfigError (exit 2) when ambiguous."""
    formats = list(formats) or [default_format(environ)]
    if len(outputs) > len(formats):
        raise config_error(f"{len(outputs)} --output for {len(formats)} --format: give each output its format")
    if len(formats) - len(outputs) > 1:
        raise config_error("only one --format may write to standard output; give the others an --output")
    pairs = []
    for n, name in enumerate(formats):
        formatter = known.get(name)
        if formatter is None:
            hint = "; LINTRA_PLUGINS leaves out lintra.formats, which provides the built-in formats" \
                if "text" not in known else ""
            import difflib  # only a mistyped format name needs it

            close = difflib.get_close_matches(name.lower(), list(known), n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
            raise config_error(f"unknown format {name!r}{suggestion}; known: {', '.join(sorted(known)) or 'none'}{hint}")
        pairs.append((formatter, outputs[n] if n < len(outputs) else None))
    _refuse_shared_outputs(pairs)
    return pairs


def _refuse_shared_outputs(pairs) -> None:
    """Two formats written to one file leave only the last (``-f json -o r -f sarif -o r``: the
    JSON is gone), and a file that is standard output itself (``-o /dev/stdout`` beside a format
    without ``--output``) interleaves two documents: either is a usage error."""
    seen = {}
    to_stdout = any(path is None for _, path in pairs)
    for formatter, path in pairs:
        if path is None:
            continue
        try:
            info = os.stat(path)
            key = (info.st_dev, info.st_ino)
        except OSError:  # not there yet: the path names it
            key = os.path.realpath(path)
        else:
            if _is_null(info):  # -o /dev/null drops a format: no file two formats can garble
                continue
        if key in seen:
            raise config_error(f"--output {path}: both --format {seen[key]} and --format {formatter.name} would write "
                               "it, and the last would replace the first; give each format its own file")
        seen[key] = formatter.name
        if to_stdout and isinstance(key, tuple):
            try:
                stdout = os.fstat(1)
            except OSError:
                continue
            if (stdout.st_dev, stdout.st_ino) == key:
                raise config_error(f"--output {path} is standard output, where another --format writes too; "
                                   "give it a file")


def _is_null(info) -> bool:
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    return (null.st_dev, null.st_ino) == (info.st_dev, info.st_ino)


def write_all(pairs, result, stdout, options) -> None:
    """Render the result once per pair; files are written whole, as UTF-8."""
    for formatter, path in pairs:
        try:
            if path is None:
                try:
                    formatter.write(result, stdout, options)
                    stdout.flush()
                except BrokenPipeError:
                    _reader_went_away(stdout)
                continue
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                formatter.write(result, handle, dict(options, color=False))
        except OSError as error:
            raise config_error(f"cannot write {path or 'standard output'}: {error.strerror or error}") from None
        except Exception as error:  # noqa: BLE001 - a format plugin's bug: one line, exit 2
            raise config_error(f"format {formatter.name} failed: {type(error).__name__}: {error}") from None


def _reader_went_away(stdout) -> None:
    """`lintra check . | head` closes the pipe early; like grep and ruff, stop writing without an error.

    The run's exit code still says what the gate found. Standard output is pointed at the null device
    so the interpreter's final flush does not raise the same error again.
    """
    try:
        fileno = stdout.fileno()
    except (AttributeError, OSError, ValueError):  # CliRunner's capture: nothing to redirect
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fileno)
    finally:
        os.close(null)
