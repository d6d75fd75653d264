"""Reading the files a kustomization names: paths as the user sees them, parsed with positions.

A build reads only below the repository that holds the kustomization (the load restrictor of
this module; kustomize's own default, ``LoadRestrictionsRootOnly``, is stricter and is reported
where a file leaves the kustomization's directory), never follows a URL, and parses with the same
safe readers as every other file.
"""

from __future__ import annotations

import marshal
import os
import re
from collections import OrderedDict

from lintra.load import decode
from lintra.load import jsontree, yamltree
from lintra.load.kustomize.tree import Origin, Part, Traced, trace
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.model import Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_REMOTE_PREFIXES = ("http://", "https://", "git@", "git::", "ssh://", "github.com/", "gitlab.com/",
                    "bitbucket.org/", "oci://")


class BuildError(Exception):
    """The kustomization cannot be built (kustomize would fail too); ``origin`` is where it says so."""

    def __init__(self, message: str, origin: Optional[Origin] = None) -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin


class SyntaxProblem(BuildError):
    """A file of the build does not parse; ``line``/``column`` are in that file."""

    def __init__(self, message: str, origin: Optional[Origin], line: int, column: int) -> None:
        super().__init__(message, origin)
        self.line = line
        self.column = column


#: what marks a git clone URL without a scheme or a known host (kustomize's remote targets,
#: examples/remoteBuild.md): its query parameters ``ref``, ``version``, ``timeout`` and
#: ``submodules`` in any order (``repo//dir?timeout=90&ref=v1``), or a ``.git`` repository name
#: before the ``//`` directory or the query
_REMOTE_MARKS = re.compile(r"[?&](?:ref|version|timeout|submodules)=|\.git(?://|\?|/?$)")


def is_remote(reference: str) -> bool:
    """A URL or a git/OCI reference (``github.com/org/repo/path?ref=v1``): never fetched."""
    lowered = reference.lower()
    return lowered.startswith(_REMOTE_PREFIXES) or "://" in lowered or _REMOTE_MARKS.search(lowered) is not None


def kustomization_file(directory: str) -> Optional[str]:
    found = kustomization_files(directory)
    return found[0] if found else None


def kustomization_files(directory: str) -> List[str]:
    """Every kustomization file of ``directory``: kustomize refuses a directory holding more than
    one ("Found multiple kustomization files under")."""
    return [os.path.join(directory, name) for name in KUSTOMIZATION_NAMES
            if os.path.isfile(os.path.join(directory, name))]


class Place:
    """A file or directory as both the user sees it (``name``, relative like the scanned path) and
    the file system reaches it (``path``)."""

    __slots__ = ("name", "path")

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.path = path

    def join(self, relative: str) -> "Place":
        return Place(_display(os.path.join(self.name, relative)), os.path.normpath(os.path.join(self.path, relative)))

    @property
    def real(self) -> str:
        return os.path.realpath(self.path)


def _display(path: str) -> str:
    norm = os.path.normpath(path)
    return norm[2:] if norm.startswith("./") else norm


def read_text(place: Place, origin: Origin, budget: Any) -> str:
    try:
        size = os.stat(place.path).st_size
    except OSError as error:
        raise BuildError(f"cannot read {place.name}: {error.strerror or error}", origin) from None
    if size > limits.MAX_FILE_BYTES:
        raise BuildError(f"{place.name} is larger than {limits.size(limits.MAX_FILE_BYTES)}", origin)
    budget.spend_bytes(size, origin)
    try:
        from lintra.filesystem import read_regular  # no FIFO, device or socket: it would block or never end

        return decode(read_regular(place.path, limits.MAX_FILE_BYTES))
    except OSError as error:
        raise BuildError(f"cannot read {place.name}: {error.strerror or error}", origin) from None
    except UnicodeDecodeError:
        raise BuildError(f"{place.name} is not UTF-8 text", origin) from None


#: YAML text (with the limits in force) -> its documents as ``(marshal bytes of the data, positions)``,
#: most recently used last. Each overlay of a base reads the base's files again, and the plain
#: scan of a directory that holds a kustomization reads its resources too
#: (:func:`lintra.load.builtin.load_yaml`): each such text is parsed once while it is remembered.
#: Every reader gets data of its own (``marshal`` copies it at C speed) over the same positions,
#: which no locator changes; at most :data:`PARSED_MEMO_CHARS` characters of text are remembered.
_PARSED: "OrderedDict[tuple, List[Tuple[bytes, Any]]]" = OrderedDict()
_PARSED_SIZE = [0]
PARSED_MEMO_CHARS = 512 * 1024


def _memo_key(text: str) -> tuple:
    return (text, limits.MAX_DEPTH, limits.MAX_EXPANDED_NODES, limits.MAX_DOCUMENTS, limits.MAX_DOCUMENT_NODES)


def memorable(text: str) -> bool:
    return len(text) <= PARSED_MEMO_CHARS // 4


def recall(text: str) -> Optional[List[Tuple[Any, Locator]]]:
    """The documents of a YAML text parsed before, as :func:`yamltree.parse` gives them, or None."""
    if not _PARSED:
        return None
    key = _memo_key(text)
    entry = _PARSED.get(key)
    if entry is None:
        return None
    _PARSED.move_to_end(key)
    return [(marshal.loads(data), yamltree.YamlLocator(position)) for data, position in entry]


def remember(text: str, documents: List[Tuple[bytes, Any]]) -> None:
    """Keep what :func:`recall` answers for ``text``: each document's ``marshal``-ed data and
    settled positions (all the documents of a text that parses with no error)."""
    if not memorable(text):
        return
    key = _memo_key(text)
    if key not in _PARSED:
        _PARSED_SIZE[0] += len(text)
    _PARSED[key] = documents
    while _PARSED_SIZE[0] > PARSED_MEMO_CHARS:
        (forgotten, *_), _ = _PARSED.popitem(last=False)
        _PARSED_SIZE[0] -= len(forgotten)


def _parsed(text: str, name: str) -> List[Tuple[Any, Locator]]:
    if text.lstrip()[:1] in ("{", "[") and not name.lower().endswith((".yaml", ".yml")):
        try:
            return [jsontree.parse(text)]
        except jsontree.JsonSyntaxError:
            pass
    found = recall(text)
    if found is not None:
        return found
    parsed = yamltree.parse(text)
    if memorable(text):
        try:
            remember(text, [(marshal.dumps(data), locator.root) for data, locator in parsed])
        except ValueError:  # pragma: no cover - the builder makes only data marshal writes
            pass
    return parsed


def parse_documents(text: str, name: str, origin: Origin, locator_wrap=None) -> List[Traced]:
    """Every document of a YAML or JSON text as traced nodes located in file ``name``."""
    try:
        parsed = _parsed(text, name)
    except yamltree.YamlSyntaxError as error:
        raise SyntaxProblem(f"{name}:{error.line}:{error.column}: YAML syntax error: {error}", origin,
                            error.line, error.column) from None
    except jsontree.JsonSyntaxError as error:
        raise SyntaxProblem(f"{name}:{error.line}:{error.column}: JSON syntax error: {error}", origin,
                            error.line, error.column) from None
    except LimitExceeded as error:
        raise BuildError(f"{name}:{error.line}:{error.column}: {error}", origin) from None
    out = []
    for data, locator in parsed:
        part = Part(name, locator_wrap(locator) if locator_wrap else locator)
        out.append(trace(data, Origin(part, ())))
    return out


class ShiftedLocator(Locator):
    """Spans of a text embedded in another file (an inline patch under ``patch: |-``): lines and
    columns moved to where the text is written."""

    __slots__ = ("inner", "lines", "columns", "flat")

    def __init__(self, inner: Locator, lines: int, columns: int, flat: Optional[Span] = None) -> None:
        self.inner = inner
        self.lines = lines
        self.columns = columns
        #: for a quoted or plain scalar the inner lines do not map: every span is the scalar's
        self.flat = flat

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        if self.flat is not None:
            return Span(self.flat.line, self.flat.column, self.flat.end_line, self.flat.end_column)
        span = self.inner.span(pointer, at)
        return Span(span.line + self.lines, span.column + self.columns, span.end_line + self.lines,
                    span.end_column + self.columns)


def inline_documents(node: Traced, text_of_file: Optional[str], origin: Origin) -> List[Traced]:
    """The documents of an inline patch (a string value), located where they are written."""
    where = node.origin.span("value")
    lines = (text_of_file or "").split("\n")
    indicator = lines[where.line - 1][where.column - 1:where.column] if 0 < where.line <= len(lines) else ""
    if indicator in ("|", ">"):
        indent = 0
        for line in lines[where.line:]:
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                break
        wrap = lambda inner: ShiftedLocator(inner, where.line, indent)  # noqa: E731
    else:
        wrap = lambda inner: ShiftedLocator(inner, 0, 0, where)  # noqa: E731
    return parse_documents(node.value, node.origin.part.file, origin, wrap)
