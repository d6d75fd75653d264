"""Discover stage: the paths a user named -> the files to read, each once, in a stable order.

Directories are walked for files whose suffix a loader claims; files named explicitly are always
considered (pre-commit passes exactly the files it wants checked). ``-`` is standard input, the
one stream lintra reads.

Every entry found is accounted for: what is not read (a symbolic link leaving the tree or the
repository, a FIFO, a socket, a device, a second link to a file already read, a directory that
cannot be listed) is a :class:`Source` with the reason, which the run lists as a skipped file (or,
for a directory it cannot list, as an error: exit 2, like a file it cannot read). A named file's
boundary is the repository holding it (:func:`lintra.repository.repository_root`), or its own
directory outside any: a link out of it is not followed, so ``ln -s /etc/shadow x.vmx`` is not read.
"""

from __future__ import annotations

import fnmatch
import operator
import os
import stat
import sys

from lintra.filesystem import STDIN_HINT, special_kind, special_path
from lintra.model import Source
from lintra.repository import is_within, repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

#: the file that makes a directory a Helm chart (https://helm.sh/docs/topics/charts/)
CHART_FILE = "Chart.yaml"
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "node_modules", "__pycache__"})


_NAME = operator.attrgetter("name")


class PathNotFound(Exception):
    pass


def discover(paths: Sequence[str], suffixes: Iterable[str], exclude: Sequence[str] = (),
             stdin_name: str = "-", force_exclude: bool = False) -> Iterator[Source]:
    suffixes = tuple(s.lower() for s in suffixes)
    seen: Dict[Tuple[int, int], str] = {}  # (device, inode) -> the name it was first read under
    for path in paths:
        if path == "-":
            yield Source(stdin_name, None, sys.stdin.buffer.read())
            continue
        if os.path.isdir(path) and not special_path(path):
            yield from _walk(path, suffixes, exclude, seen)
            continue
        if force_exclude and path_matches(path, exclude):
            continue
        chart = chart_of(path)
        if chart is not None:  # a file of a Helm chart is checked as part of its chart
            path = chart
        source = _named(path, seen)
        if source is not None:
            yield source


def chart_of(path: str):
    """The ``Chart.yaml`` of the outermost chart whose template or ``values.yaml`` a named file
    is (they mean nothing without their chart), or None. Searched upward from the file, no further than its repository root; a
    chart inside another chart's ``charts/`` is that chart's subchart. The chart holds the named
    file, so reading it reads nothing the user did not point into."""
    if os.path.basename(path) == CHART_FILE or not os.path.isfile(path):
        return None
    directory = os.path.dirname(os.path.abspath(path))
    root = repository_root(os.path.realpath(directory))
    found = None
    for _ in range(64):
        if os.path.isfile(os.path.join(directory, CHART_FILE)):
            if found is None:
                inside = os.path.relpath(os.path.abspath(path), directory).replace(os.sep, "/")
                if not (inside.startswith("templates/") or inside == "values.yaml"):
                    return None  # crds/ and other chart files read as they are, alone
            found = directory
        elif found is not None and os.path.basename(directory) != "charts":
            break
        parent = os.path.dirname(directory)
        if parent == directory or (root is not None and not is_within(os.path.realpath(parent), root)):
            break
        directory = parent
    if found is None:
        return None
    chart = os.path.join(found, CHART_FILE)
    relative = os.path.relpath(chart, os.path.dirname(os.path.abspath(path)))
    return os.path.normpath(os.path.join(os.path.dirname(path), relative))


def _named(path: str, seen: Dict[Tuple[int, int], str]):
    """The :class:`Source` for a file named on the command line (None: already read under that name)."""
    name = _display(path)
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        raise PathNotFound(path) from None
    except OSError:
        return Source(name, path)  # reading it reports why it cannot be read (exit 2)
    special = special_path(path)
    if special:
        return Source(name, skip=special)
    try:
        info = os.stat(path)
    except OSError:
        return Source(name, skip="broken symbolic link") if link else Source(name, path)
    what = special_kind(info.st_mode)
    if what is not None:
        return Source(name, skip=f"{what}, not a regular file: not read; {STDIN_HINT}")
    real = os.path.realpath(path)
    if link:
        directory = os.path.dirname(os.path.abspath(path))
        root = repository_root(os.path.realpath(directory))
        boundary = root or os.path.realpath(directory)
        if not is_within(real, boundary):
            where = f"its repository {root}" if root else f"its directory {boundary}"
            return Source(name, skip=f"symbolic link to {real}, outside {where}: not read")
    first = seen.get((info.st_dev, info.st_ino))
    if first is not None:
        return None if first == name else Source(name, skip=f"the same file as {first}: read once")
    seen[(info.st_dev, info.st_ino)] = name
    return Source(name, path)


def _walk(root: str, suffixes: tuple, exclude: Sequence[str], seen: Dict[Tuple[int, int], str]) -> Iterator[Source]:
    """Symbolic links are followed only while they stay inside the tree being walked: a link to
    ``/`` must not turn a repository scan into a scan of the machine. Links that leave it, broken
    links, special files and directories that cannot be listed are reported, so every entry is
    accounted for. The walk keeps its own stack (no recursion: any depth is walked), and a
    directory reached twice (a link loop) is walked once."""
    top = os.path.realpath(root)
    visited = _cache_directory()  # lintra's own cache is never input, wherever it was put
    stack: List[str] = [root]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=_NAME)
        except OSError as error:
            yield _Unlistable(_display(directory), error)
            continue
        if (info.st_dev, info.st_ino) in visited:  # a symbolic-link loop, or a directory reached twice
            continue
        visited.add((info.st_dev, info.st_ino))
        chart = next((entry for entry in entries if entry.name == CHART_FILE), None)
        if chart is not None and not chart.is_symlink() and \
                not path_matches(os.path.join(directory, CHART_FILE), exclude):
            # A Helm chart is read as a whole by its loader (templates, values, subcharts): only
            # its Chart.yaml is handed on, and the loader accounts for the chart's other files.
            yield from _file(chart, os.path.join(directory, CHART_FILE), top, seen)
            continue
        subdirectories = []
        # an entry's name is one part (no separator, never . or ..): what the user sees of it is
        # the directory's display name joined with it, the path normalised once per directory
        shown = _display(directory)
        for entry in entries:
            path = os.path.join(directory, entry.name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in SKIP_DIRS or path_matches(path, exclude):
                    continue
                if entry.is_symlink() and not is_within(os.path.realpath(path), top):
                    yield Source(_display(path), skip=f"symbolic link to {os.path.realpath(path)}, outside the "
                                                      "scanned tree: not followed")
                    continue
                subdirectories.append(path)
                continue
            if not entry.name.lower().endswith(suffixes) or path_matches(path, exclude):
                continue
            name = entry.name if shown == "." else path if shown == directory else os.path.join(shown, entry.name)
            yield from _file(entry, path, top, seen, name)
        stack.extend(reversed(subdirectories))


def _cache_directory() -> set:
    """(device, inode) of lintra's cache directory (:func:`lintra.cache.directory`), if it exists."""
    from lintra import cache

    where = cache.directory()
    try:
        info = os.stat(where) if where else None
    except OSError:
        info = None
    return {(info.st_dev, info.st_ino)} if info is not None else set()


class _Unlistable(Source):
    """A directory that cannot be listed: its read fails the same way, so the run records it as
    an error and exits 2, like a file it cannot read (nothing in it was judged)."""

    __slots__ = ("error",)

    def __init__(self, name: str, error: OSError) -> None:
        super().__init__(name)
        self.error = error

    def read_bytes(self, limit=None, prefix=False) -> bytes:
        raise OSError(self.error.errno, f"directory cannot be listed: {self.error.strerror or self.error}")


def _file(entry: "os.DirEntry[str]", path: str, top: str, seen: Dict[Tuple[int, int], str],
          name: Optional[str] = None) -> Iterator[Source]:
    if name is None:
        name = _display(path)
    if name == path:
        name = path  # one string for both: a run holds every file's name until it reports
    try:
        link = entry.is_symlink()
        info = os.stat(path)
    except FileNotFoundError:
        yield Source(name, skip="broken symbolic link")
        return
    except OSError:
        yield Source(name, path)  # reading it reports why (exit 2)
        return
    what = special_kind(info.st_mode)
    if what is not None:
        yield Source(name, skip=f"{what}, not a regular file: not read")
        return
    if link:
        real = os.path.realpath(path)
        if not is_within(real, top):
            yield Source(name, skip=f"symbolic link to {real}, outside the scanned tree: not read")
            return
    key = (info.st_dev, info.st_ino)  # one file under several names (links) is read once
    first = seen.get(key)
    if first is not None:
        if first != name:
            yield Source(name, skip=f"the same file as {first}: read once")
        return
    seen[key] = name
    yield Source(name, path)


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
