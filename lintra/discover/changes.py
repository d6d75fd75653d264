"""Changed-files mode for pull-request gates: which files (and lines) changed since a git ref.

git runs as a subprocess in the working directory with no network access needed; nothing from
the repository is executed (``--no-ext-diff``, no textconv). Errors become :class:`ChangesError`,
which the CLI turns into exit code 2.
"""

from __future__ import annotations

import os
import re
import subprocess

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Set, Tuple, TypeAlias

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)

#: path relative to the working directory -> changed line numbers, or None for "the whole file"
Changes: TypeAlias = "Dict[str, Optional[Set[int]]]"


class ChangesError(Exception):
    """Not a git repository, git missing, or a ref git does not know."""


#: a scanned checkout's own .git/config must not run commands through lintra (fsmonitor, hooks)
_SAFE_CONFIG = ("-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def _git(args: Sequence[str], cwd: str) -> str:
    try:
        proc = subprocess.run(["git", *_SAFE_CONFIG, *args], cwd=cwd, capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise ChangesError("git is not installed") from None
    if proc.returncode != 0:
        raise ChangesError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed")
    return proc.stdout


def changed_since(ref: str, cwd: str = ".") -> Changes:
    """Files added, copied, modified or renamed since ``ref`` (working tree included), plus untracked ones."""
    if not ref.strip():
        raise ChangesError(f"--changed-since: {ref!r} is no git ref (an unset CI variable?); name a branch, tag or commit")
    try:
        root = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    except ChangesError:
        raise ChangesError(f"--changed-since needs a git repository; {os.path.abspath(cwd)} is not in one") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except ChangesError:
        raise ChangesError(f"--changed-since: git does not know the ref {ref!r}") from None
    # the headers and hunks _parse reads whatever the user's git configuration says: the a/ b/
    # prefixes (diff.noprefix, diff.mnemonicPrefix) and hunks kept apart (diff.interHunkContext
    # would merge nearby ones, counting the unchanged lines between them as changed)
    diff = _git(["diff", "--no-ext-diff", "--no-textconv", "--no-color", "-U0", "--inter-hunk-context=0",
                 "--src-prefix=a/", "--dst-prefix=b/", "--diff-filter=ACMR", "--no-renames", ref, "--"], root)
    changes: Changes = {}
    parsed = dict(_parse(diff))
    # the names as git lists them unquoted (-z): a file whose patch header _parse could not read
    # is still linted, whole, rather than left out of the gate
    names = _git(["diff", "--no-ext-diff", "--name-only", "-z", "--diff-filter=ACMR", "--no-renames", ref, "--"], root)
    for path in filter(None, names.split("\0")):
        changes[_relative(root, path, cwd)] = parsed.get(path)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for path in filter(None, untracked.split("\0")):
        changes[_relative(root, path, cwd)] = None
    return changes


def _relative(root: str, path: str, cwd: str) -> str:
    return os.path.relpath(os.path.join(root, path), os.path.abspath(cwd))


#: git's C-style quoting of a path in a patch header (quote.c ``quote_c_style``): named escapes and
#: octal bytes
_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unquote(text: str) -> str:
    """The path a patch header names (its ``a/`` or ``b/`` prefix kept). git writes a path
    holding a double quote, a backslash or a control character in double quotes with C escapes
    (whatever ``core.quotePath`` says), and ends an unquoted ``---``/``+++`` name that holds a space
    with a tab (diff.c), which is no part of the name."""
    if not text.startswith('"'):
        return text[:-1] if text.endswith("\t") and " " in text else text
    found = _QUOTED.match(text)
    if found is None:
        return text
    raw = bytearray()
    body = found.group(1)
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            raw += char.encode("utf-8", "surrogateescape")
            i += 1
        elif body[i + 1:i + 4].isdigit() and len(body[i + 1:i + 4]) == 3:
            raw.append(int(body[i + 1:i + 4], 8) & 0xFF)
            i += 4
        else:
            raw.append(_C_ESCAPES.get(body[i + 1], ord(body[i + 1])))
            i += 2
    return raw.decode("utf-8", "surrogateescape")


def _header_target(first_line: str) -> Optional[str]:
    """The ``b/`` path of a ``diff --git a/X b/X`` line (renames are off, so both name X)."""
    if first_line.endswith('"'):  # a quoted b/ name: the last quoted string on the line
        quoted = [m.group(0) for m in _QUOTED.finditer(first_line)]
        name = _unquote(quoted[-1]) if quoted else ""
        return name[2:] if name.startswith("b/") else None
    # "a/X b/X": X is the first half of what is left, whatever spaces or " b/" it holds
    if first_line.startswith("a/") and (len(first_line) - 5) % 2 == 0:
        name = first_line[2:2 + (len(first_line) - 5) // 2]
        return name if first_line.endswith(" b/" + name) else None
    return None


def _parse(diff: str) -> List[Tuple[str, Optional[Set[int]]]]:
    """(path, added/changed lines) per file in ``git diff -U0``; a new file counts as wholly changed."""
    files = []
    for chunk in re.split(r"^diff --git ", diff, flags=re.M)[1:]:
        header, _, body = chunk.partition("\n@@")
        target = re.search(r"^\+\+\+ (.*)$", header, re.M)
        name = _unquote(target.group(1)) if target else ""
        if not name.startswith("b/"):  # binary or mode-only change: no lines to judge, lint it whole
            name = _header_target(header.partition("\n")[0])
            files.append((name, None) if name else None)
            continue
        name = name[2:]
        if re.search(r"^--- /dev/null$", header, re.M):
            files.append((name, None))
            continue
        lines: Set[int] = set()
        for start, count in HUNK.findall("@@" + body):
            lines.update(range(int(start), int(start) + (1 if count == "" else int(count))))
        files.append((name, lines))
    return [item for item in files if item]


def select_paths(changes: Changes, paths: Sequence[str], suffixes: Sequence[str]) -> List[str]:
    """The changed files with a readable suffix under one of ``paths`` (default: everything).
    Whatever they are now (a FIFO, a link out of the repository) discovery decides and reports."""
    suffixes = tuple(s.lower() for s in suffixes)
    roots = [os.path.abspath(p) for p in (paths or ["."])]
    chosen = []
    for path in sorted(changes):
        absolute = os.path.abspath(path)
        if path.lower().endswith(suffixes) and os.path.lexists(absolute) and any(absolute == r or absolute.startswith(r.rstrip(os.sep) + os.sep)
                                            for r in roots):
            chosen.append(path)
    return chosen
