"""Discover stage: the paths a user named -> the files to read, each once, in a stable order.

Directories are walked for files whose suffix a loader claims; files named explicitly are always
considered (pre-commit passes exactly the files it wants checked). ``-`` is standard input.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from typing import Iterable, Iterator, Sequence

from lintra.model import Source

#: the file that makes a directory a Helm chart (https://helm.sh/docs/topics/charts/)
CHART_FILE = "Chart.yaml"
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "node_modules", "__pycache__"})


class PathNotFound(Exception):
    pass


def discover(paths: Sequence[str], suffixes: Iterable[str], exclude: Sequence[str] = (),
             stdin_name: str = "-", force_exclude: bool = False) -> Iterator[Source]:
    suffixes = tuple(s.lower() for s in suffixes)
    seen: set = set()
    for path in paths:
        if path == "-":
            yield Source(stdin_name, None, sys.stdin.buffer.read())
            continue
        if os.path.isdir(path):
            yield from _walk(path, suffixes, exclude, seen)
        elif os.path.exists(path):
            if force_exclude and path_matches(path, exclude):
                continue
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield Source(_display(path), path)
        else:
            raise PathNotFound(path)


def _walk(root: str, suffixes: tuple, exclude: Sequence[str], seen: set) -> Iterator[Source]:
    """Symbolic links are followed only while they stay inside the tree being walked: a link to
    ``/`` must not turn a repository scan into a scan of the machine. Links that leave it, and
    broken links, are reported as skipped, so every entry is accounted for."""
    visited_dirs = set()
    top = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited_dirs:  # a symlink loop, or a directory reached twice
            dirnames[:] = []
            continue
        visited_dirs.add(real)
        kept = []
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            if name in SKIP_DIRS or path_matches(path, exclude):
                continue
            if os.path.islink(path) and not _inside(os.path.realpath(path), top):
                yield Source(_display(path), skip=f"symbolic link to {os.path.realpath(path)}, outside the "
                                                  "scanned tree: not followed")
                continue
            kept.append(name)
        dirnames[:] = kept
        if CHART_FILE in filenames and not os.path.islink(os.path.join(dirpath, CHART_FILE)) \
                and not path_matches(os.path.join(dirpath, CHART_FILE), exclude):
            # A Helm chart is read as a whole by its loader (templates, values, subcharts): only
            # its Chart.yaml is handed on, and its other files are accounted for by that loader.
            dirnames[:] = []
            path = os.path.join(dirpath, CHART_FILE)
            seen.add(os.path.realpath(path))
            yield Source(_display(path), path)
            continue
        for name in sorted(filenames):
            if not name.lower().endswith(suffixes):
                continue
            path = os.path.join(dirpath, name)
            if path_matches(path, exclude):
                continue
            real_file = os.path.realpath(path)
            if os.path.islink(path) and not os.path.exists(path):
                yield Source(_display(path), skip="broken symbolic link")
                continue
            if not os.path.isfile(path) or real_file in seen:
                continue
            seen.add(real_file)
            if not _inside(real_file, top):
                yield Source(_display(path), skip=f"symbolic link to {real_file}, outside the scanned tree: not read")
                continue
            yield Source(_display(path), path)


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def path_matches(path: str, patterns: Sequence[str]) -> bool:
    """gitignore-like matching: a pattern matches the whole relative path or any trailing part; a
    pattern without ``/`` matches any single part; an absolute pattern (what a configuration
    file's ``dir/glob`` becomes) matches the absolute path."""
    if not patterns:
        return False
    norm = os.path.normpath(path).replace(os.sep, "/")
    parts = norm.split("/")
    absolute = None
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if os.path.isabs(pattern):
            absolute = absolute or os.path.abspath(path).replace(os.sep, "/")
            if fnmatch.fnmatch(absolute, pattern.replace(os.sep, "/")):
                return True
            continue
        if fnmatch.fnmatch(norm, pattern) or fnmatch.fnmatch(norm, "*/" + pattern.lstrip("/")):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in parts):
            return True
    return False


def _display(path: str) -> str:
    """The path as the user named it (argument joined with the path below it), as ruff prints it."""
    norm = os.path.normpath(path)
    return norm[2:] if norm.startswith("./") else norm


__all__ = ["discover", "path_matches", "PathNotFound", "SKIP_DIRS"]
