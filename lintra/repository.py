"""Where the repository holding a path begins: the one notion of "repository root" lintra uses.

Configuration and baseline files are found upward only as far as it, nested templates may not
reach beyond it, and ``--heat-env-auto`` applies only the environment files inside it.

The root is the nearest directory at or above the path that holds version-control metadata. A
tree copied without it (a release tarball, a vendored copy, a corpus of repositories side by side)
has no such directory; there the nearest directory holding a project marker stands in, so that
two such trees side by side are still two repositories.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Optional, Sequence, Tuple, TypeAlias

VCS_MARKERS = (".git", ".hg", ".svn")
#: What a source tree's top directory holds even when exported without its VCS metadata.
PROJECT_MARKERS = ("setup.cfg", "pyproject.toml", "LICENSE", ".zuul.yaml")

#: directory -> (VCS root or None, nearest project-marker directory at or above it or None)
Cache: TypeAlias = "Dict[str, Tuple[Optional[str], Optional[str]]]"


def repository_root(path: str, cache: Optional[Cache] = None) -> Optional[str]:
    """The root of the repository holding ``path`` (a file or a directory), as an absolute path;
    None when neither version-control metadata nor a project marker is found above it.

    ``cache`` (one dict per run) spares the file-system look-ups for directories already seen;
    the answer is computed for the path as given, so callers pass real paths to compare real paths.
    """
    cache = {} if cache is None else cache
    start = os.path.abspath(path)
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    visited = []
    directory = start
    vcs = nearest = None
    while True:
        if directory in cache:
            vcs, nearest = cache[directory]
            break
        visited.append(directory)
        if _holds(directory, VCS_MARKERS):
            vcs = directory
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    # Top down, so each directory learns the nearest project marker at or above it. Under a VCS
    # root the markers do not matter, and are not looked up.
    for directory in reversed(visited):
        if vcs is None and _holds(directory, PROJECT_MARKERS):
            nearest = directory
        cache[directory] = (vcs, nearest)
    found_vcs, found_nearest = cache[start]
    return found_vcs or found_nearest


def is_within(path: str, root: str) -> bool:
    """``path`` is ``root`` or lies below it (both already absolute and real)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False


def _holds(directory: str, markers: Sequence[str]) -> bool:
    return any(os.path.exists(os.path.join(directory, marker)) for marker in markers)


class RealPaths:
    """Real paths (``os.path.realpath``) of many files in few directories, the same answers for
    less: each directory is resolved once, and a file below it costs one ``lstat`` per part that
    is not already resolved (a run resolves every template it follows or judges by real path;
    realpath alone looks up every part of every path again)."""

    __slots__ = ("directories",)

    def __init__(self) -> None:
        #: directory as given -> its real path
        self.directories: Dict[str, str] = {}

    def directory(self, directory: str) -> str:
        """``os.path.realpath(directory)``. An absolute, normal path is resolved from its parent's
        real path, itself resolved once: one ``lstat`` for each directory not resolved yet, where
        realpath looks up every part of every path (the files of a tree share their parents)."""
        directories = self.directories
        real = directories.get(directory)
        if real is not None:
            return real
        if os.name == "nt" or not os.path.isabs(directory) or os.path.normpath(directory) != directory:
            real = directories[directory] = os.path.realpath(directory)
            return real
        # up to the nearest directory resolved already (or the root), then down, one part at a
        # time: a loop, not a call per part, so a tree thousands of directories deep resolves too
        unresolved = []
        above = directory
        while real is None:
            parent, name = os.path.split(above)
            if not name:  # the root
                real = directories[above] = os.path.realpath(above)
                break
            unresolved.append((above, name))
            above = parent
            real = directories.get(above)
        for path, name in reversed(unresolved):
            real = os.path.join(real, name)
            if os.path.islink(real):
                real = os.path.realpath(real)  # below a real path: only the link is left to resolve
            directories[path] = real
        return real

    def of(self, path: str) -> str:
        """``os.path.realpath(path)``."""
        directory, name = os.path.split(path)
        if os.name == "nt" or name in ("", os.curdir, os.pardir):
            return os.path.realpath(path)
        real = os.path.join(self.directory(directory), name)
        # a last part that is no symbolic link keeps its name, below the directory's real path
        return os.path.realpath(path) if os.path.islink(real) else real

    def below(self, directory: str, reference: str) -> str:
        """``os.path.realpath(os.path.join(directory, reference))`` for a relative ``reference``:
        its leading ``..`` climb the directory's real path, as realpath's do, and when no later
        part is a symbolic link the rest is joined as written; else realpath answers."""
        if os.name == "nt" or os.path.isabs(reference):  # drives, junctions, both separators: realpath knows
            return os.path.realpath(os.path.join(directory, reference))
        path = self.directory(directory)
        climbing = True
        for part in reference.split(os.sep):
            if not part or part == os.curdir:
                continue
            if part == os.pardir:
                if not climbing:
                    break  # ``a/..`` climbs out of what ``a`` may link to: realpath knows
                path = os.path.dirname(path)
                continue
            climbing = False
            path = os.path.join(path, part)
            if os.path.islink(path):
                break
        else:
            return path
        return os.path.realpath(os.path.join(directory, reference))
