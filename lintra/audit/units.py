"""Which repositories an audit scans, one by one: found under PATHS, or listed in REPOS.txt.

An audit scans each repository on its own, so cross-object resolution (a claim and its
StorageClass, a template and its environment) never crosses a repository boundary, and an estate
audited in one process equals the merge of its repositories audited anywhere.

This is the only place lintra clones anything, and only from a REPOS.txt line a user wrote:
``https``, ``ssh`` and ``file`` URLs, shallow, without submodules, LFS content, the ``ext``
transport or a terminal prompt, into a temporary directory removed afterwards.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

from lintra.repository import PROJECT_MARKERS, VCS_MARKERS, repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Iterator, List, Optional, Sequence, Tuple

ALLOWED_SCHEMES = ("https", "ssh", "file")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
#: ``host:path`` (scp-like ssh) and ``transport::address`` (git remote helpers such as ``ext::``)
_GIT_SPECIAL = re.compile(r"^[^/\\]*::|^[\w.-]+@[\w.-]+:")
_MAX_DEPTH = 6


class RepositoryRefused(ValueError):
    """A REPOS.txt line lintra will not act on (it is reported, never run)."""


class Unit:
    """One repository to audit: its name, where it came from, and the paths to scan in it."""

    __slots__ = ("name", "source", "root", "paths", "url", "ref")

    def __init__(self, name: str, source: str, root: str, paths: Sequence[str], url: Optional[str] = None,
                 ref: Optional[str] = None) -> None:
        self.name = name
        #: the REPOS.txt line or the path the user named: what the cache keys on
        self.source = source
        self.root = root
        self.paths = list(paths)
        self.url = url
        self.ref = ref


def _marked(directory: str) -> bool:
    return any(os.path.exists(os.path.join(directory, marker)) for marker in VCS_MARKERS + PROJECT_MARKERS)


def from_paths(paths: Sequence[str]) -> List[Unit]:
    """The repositories PATHS hold. A path inside a repository belongs to it; a directory that is
    not (a folder of checkouts side by side) holds the top-most repositories below it, and its
    files outside them form one more unit named after the directory."""
    units: dict = {}
    for path in paths:
        root = repository_root(path)
        if root is not None:
            unit = units.setdefault(root, Unit(os.path.basename(root) or root, root, root, []))
            unit.paths.append(path)
            continue
        if not os.path.isdir(path):
            directory = os.path.dirname(os.path.abspath(path))
            unit = units.setdefault(directory, Unit(os.path.basename(directory), directory, directory, []))
            unit.paths.append(path)
            continue
        rest: List[str] = []
        for found in _repositories_below(path, rest, 0):
            units.setdefault(found, Unit(os.path.basename(found), found, found, [found]))
        if rest:
            top = os.path.abspath(path)
            units.setdefault(top, Unit(os.path.basename(top) or top, top, top, rest))
    return sorted(units.values(), key=lambda u: (u.name, u.source))


def _repositories_below(directory: str, rest: List[str], depth: int) -> Iterator[str]:
    """Top-most marked directories below ``directory``; what lies outside them goes to ``rest``."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        rest.append(directory)
        return
    children = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            if _marked(entry.path):
                yield os.path.abspath(entry.path)
                continue
            children.append(entry.path)
        else:
            rest.append(entry.path)
    for child in children:
        if depth >= _MAX_DEPTH or not _holds_repository(child, depth + 1):
            rest.append(child)
        else:
            yield from _repositories_below(child, rest, depth + 1)


def _holds_repository(directory: str, depth: int) -> bool:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            if _marked(entry.path) or (depth < _MAX_DEPTH and _holds_repository(entry.path, depth + 1)):
                return True
    return False


# --- REPOS.txt ---------------------------------------------------------------------------------

def read_lines(path: str) -> List[str]:
    """The repository lines of REPOS.txt: blank lines and ``#`` comments left out."""
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.strip().startswith("#")]


def stable_hash(line: str) -> int:
    """The same number for the same line on every machine and Python (``hash()`` is salted)."""
    return int(hashlib.sha256(line.strip().encode("utf-8")).hexdigest()[:16], 16)


def in_shard(line: str, index: int, count: int) -> bool:
    return stable_hash(line) % count == index


def parse_shard(text: str, environ=os.environ) -> Tuple[int, int]:
    """``I/N`` (0-based) or ``auto/N`` (I from ``JOB_COMPLETION_INDEX``, as a Kubernetes Indexed
    Job sets it). ValueError with a message on anything else."""
    index_text, _, count_text = text.partition("/")
    if not count_text.isdigit() or int(count_text) < 1:
        raise ValueError(f"--shard {text!r}: expected I/N or auto/N with N >= 1")
    count = int(count_text)
    if index_text == "auto":
        index_text = environ.get("JOB_COMPLETION_INDEX", "")
        if not index_text.isdigit():
            raise ValueError("--shard auto/N needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)")
    if not index_text.isdigit() or int(index_text) >= count:
        raise ValueError(f"--shard {text!r}: I must be 0 <= I < {count}")
    return int(index_text), count


def parse_line(line: str, base: str) -> Tuple[str, Optional[str], Optional[str]]:
    """``(local path or None, URL or None, ref or None)`` for one REPOS.txt line: ``PATH`` or
    ``URL [REF]``. A relative path is relative to REPOS.txt's directory. RepositoryRefused for an
    option-like line, a scheme other than https/ssh/file, scp-like or remote-helper addresses."""
    parts = line.split()
    if not parts or len(parts) > 2:
        raise RepositoryRefused(f"{line!r}: expected 'PATH' or 'URL [REF]'")
    target, ref = parts[0], parts[1] if len(parts) == 2 else None
    for part in parts:
        if part.startswith("-"):
            raise RepositoryRefused(f"{line!r}: looks like an option; lintra passes no options to git")
    scheme = _SCHEME.match(target)
    if scheme:
        if scheme.group(1).lower() not in ALLOWED_SCHEMES:
            raise RepositoryRefused(f"{line!r}: scheme {scheme.group(1)!r} refused; only https, ssh and file URLs "
                                    "are cloned")
        if ref is not None and not re.fullmatch(r"[\w./+-]+", ref):
            raise RepositoryRefused(f"{line!r}: {ref!r} is not a branch or tag name")
        return None, target, ref
    if _GIT_SPECIAL.search(target) or ":" in target.split("/")[0]:
        raise RepositoryRefused(f"{line!r}: not a local path nor an https, ssh or file URL (write ssh://host/path)")
    if ref is not None:
        raise RepositoryRefused(f"{line!r}: a local path takes no ref (check it out first)")
    return os.path.normpath(os.path.join(base, target)), None, None


def url_name(url: str) -> str:
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return tail[:-4] if tail.endswith(".git") else tail


@contextmanager
def cloned(url: str, ref: Optional[str]) -> Iterator[str]:
    """A shallow clone of ``url`` in a temporary directory, removed on exit. CalledProcessError
    (with git's message) when git fails."""
    top = tempfile.mkdtemp(prefix="lintra-audit-")
    target = os.path.join(top, url_name(url) or "repository")
    env = dict(os.environ, GIT_LFS_SKIP_SMUDGE="1", GIT_TERMINAL_PROMPT="0")
    command = ["git", "clone", "--depth", "1", "--no-recurse-submodules", "-c", "protocol.ext.allow=never"]
    if ref:
        command += ["--branch", ref]
    command += ["--", url, target]
    try:
        subprocess.run(command, env=env, check=True, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=600)
        yield target
    finally:
        shutil.rmtree(top, ignore_errors=True)


# --- what a repository is, for the cache -------------------------------------------------------

#: git must not run anything a checked-out repository configures
_GIT_SAFE = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"]


def git_state(root: str, clean: bool = False) -> Tuple[Optional[str], bool]:
    """``(HEAD commit or None, dirty)`` of the git checkout at ``root``; (None, True) outside git.
    ``clean`` (a fresh clone) spares the status check."""
    if not os.path.exists(os.path.join(root, ".git")):
        return None, True
    commit = _head(root)
    try:
        if commit is None:
            head = subprocess.run(["git", *_GIT_SAFE, "-C", root, "rev-parse", "HEAD"], capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL, timeout=60)
            commit = head.stdout.strip() if head.returncode == 0 else None
        if clean:
            return commit, False
        status = subprocess.run(["git", *_GIT_SAFE, "-C", root, "status", "--porcelain"], capture_output=True,
                                text=True, stdin=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return commit, True
    return commit, status.returncode != 0 or bool(status.stdout.strip())


_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _head(root: str) -> Optional[str]:
    """HEAD's commit read from ``.git`` itself (a detached HEAD, a loose or a packed ref), or None
    to let git answer (worktrees, reftables, anything unusual)."""
    git = os.path.join(root, ".git")
    try:
        if not os.path.isfile(os.path.join(git, "HEAD")):  # not a FIFO or device: never block here
            return None
        with open(os.path.join(git, "HEAD"), encoding="ascii") as handle:
            head = handle.read(4096).strip()
        if _SHA.fullmatch(head):
            return head
        if not head.startswith("ref: refs/"):
            return None
        ref = head[5:]
        loose = os.path.join(git, *ref.split("/"))
        if os.path.isfile(loose):
            with open(loose, encoding="ascii") as handle:
                value = handle.read(4096).strip()
            return value if _SHA.fullmatch(value) else None
        if not os.path.isfile(os.path.join(git, "packed-refs")):
            return None
        with open(os.path.join(git, "packed-refs"), encoding="ascii") as handle:
            for line in handle:
                sha, _, name = line.strip().partition(" ")
                if name == ref and _SHA.fullmatch(sha):
                    return sha
    except (OSError, UnicodeDecodeError):
        return None
    return None


def tree_digest(paths: Sequence[str]) -> str:
    """A digest of every file's relative name and content under ``paths`` (VCS folders left out):
    the identity of a tree git cannot name by a commit."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        files = [path] if not os.path.isdir(path) else sorted(
            os.path.join(d, f) for d, dirs, fs in os.walk(path) for f in fs
            if not any(part in VCS_MARKERS for part in os.path.relpath(d, path).split(os.sep)))
        for name in files:
            digest.update(os.path.relpath(name, path).encode("utf-8", "surrogateescape") + b"\0")
            try:
                if os.path.islink(name):
                    digest.update(os.readlink(name).encode("utf-8", "surrogateescape"))
                else:
                    with open(name, "rb") as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(block)
            except OSError:
                digest.update(b"\1unreadable")
            digest.update(b"\0")
    return digest.hexdigest()[:32]
