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
    try:
        root = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    except ChangesError:
        raise ChangesError(f"--changed-since needs a git repository; {os.path.abspath(cwd)} is not in one") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except ChangesError:
        raise ChangesError(f"--changed-since: git does not know the ref {ref!r}") from None
    diff = _git(["diff", "--no-ext-diff", "--no-textconv", "--no-color", "-U0", "--diff-filter=ACMR",
                 "--no-renames", ref, "--"], root)
    changes: Changes = {}
    for path, lines in _parse(diff):
        changes[_relative(root, path, cwd)] = lines
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for path in filter(None, untracked.split("\0")):
        changes[_relative(root, path, cwd)] = None
    return changes


def _relative(root: str, path: str, cwd: str) -> str:
    return os.path.relpath(os.path.join(root, path), os.path.abspath(cwd))


def _parse(diff: str) -> List[Tuple[str, Optional[Set[int]]]]:
    """(path, added/changed lines) per file in ``git diff -U0``; a new file counts as wholly changed."""
    files = []
    for chunk in re.split(r"^diff --git ", diff, flags=re.M)[1:]:
        header, _, body = chunk.partition("\n@@")
        target = re.search(r"^\+\+\+ b/(.*)$", header, re.M)
        if target is None:  # binary or mode-only change: no lines to judge, lint it whole
            name = re.search(r"^a/(.*) b/", header)
            files.append((name.group(1), None) if name else None)
            continue
        if re.search(r"^--- /dev/null$", header, re.M):
            files.append((target.group(1), None))
            continue
        lines: Set[int] = set()
        for start, count in HUNK.findall("@@" + body):
            lines.update(range(int(start), int(start) + (1 if count == "" else int(count))))
        files.append((target.group(1), lines))
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
