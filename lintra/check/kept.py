"""What the map step keeps of a document for the reduce, and in which shape.

A document some cross-object rule needs waits for the reduce as a :class:`lintra.Document` whose
``data`` is plain JSON-able data (dict, list, str, int, float, bool, None: what the loaders build)
and whose locator holds the positions the findings' spans need. Of that data the map keeps only
what the rules that need the document read (:attr:`lintra.Rule.reads`,
:attr:`lintra.policy.resolvers.Resolver.reads`, and what the load stage's reference following
reads): a Heat template keeps its ``resources`` and its parameters' ``default`` values, and loses
its ``outputs``, ``conditions``, descriptions and parameter schemas, which no cross-object rule
reads (tripleo's templates are mostly ``outputs``). A document that any such reader reads whole
(a rule that declares nothing, a Kubernetes object, a Heat environment) is kept whole.

The shape of kept data: the document's own top-level mapping with only the keys on those paths
(``("parameters", "*", "default")`` keeps ``{"parameters": {name: {"default": value}}}`` for the
parameters that have a default); everything below a kept path is kept as loaded.

How kept data waits: packed (:class:`Kept`), as compressed ``marshal`` bytes, decoded while the
reduce's rules read it and let go again (at most :data:`DECODED` documents at once), so that what
a run holds for the reduce is a fraction of the objects' size. Its positions are packed alike
(:meth:`lintra.load.yamltree.YamlLocator.pack`).
"""

from __future__ import annotations

import marshal
import zlib
from collections import deque
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from lintra.model import Document

Path = Tuple[str, ...]
Reads = Optional[Dict[str, Optional[Tuple[Path, ...]]]]

_DROPPED = object()


def merged(first: Reads, second: Reads) -> Reads:
    """What two readers read together: a kind either reads whole is read whole."""
    if first is None or second is None:
        return None
    out: Dict[str, Optional[Tuple[Path, ...]]] = {}
    for kind in dict.fromkeys([*first, *second]):
        a, b = first.get(kind, ()), second.get(kind, ())
        out[kind] = None if a is None or b is None else tuple(dict.fromkeys((*a, *b)))
    return out


def paths_for(kind: str, readers: Iterable[Reads]) -> Optional[List[Path]]:
    """The paths of a document of ``kind`` that ``readers`` read; None when one reads it whole
    (or none says what it reads)."""
    found: List[Path] = []
    for reads in readers:
        if reads is None:
            return None
        paths = reads.get(kind, ())
        if paths is None:
            return None
        found.extend(path for path in paths if path not in found)
    return found or None


def parts(data: Any, paths: Sequence[Path]) -> Any:
    """``data`` with only what lies on ``paths``."""
    kept = _parts(data, paths)
    return {} if kept is _DROPPED else kept


def _parts(data: Any, paths: Sequence[Path]) -> Any:
    if any(not path for path in paths):
        return data
    if not isinstance(data, dict):
        return _DROPPED
    out = {}
    for key, value in data.items():
        deeper = [path[1:] for path in paths if path[0] == "*" or path[0] == key]
        if deeper:
            kept = _parts(value, deeper)
            if kept is not _DROPPED:
                out[key] = kept
    return out


#: How many packed documents hold their data decoded at once. The reduce reads a document's data
#: rule after rule, then mostly leaves it (a parent template's defaults, a StorageClass by name
#: are read again, and decoded again when they were let go).
DECODED = 256

_decoded: "deque[Kept]" = deque()
_DATA = Document.data  # the slot that holds a packed document's decoded data while it is decoded


class Kept(Document):
    """A document waiting for the reduce with its data as compressed ``marshal`` bytes (a
    fraction of the memory of the objects: a tripleo template's dictionaries take seven times
    their marshal size), decoded when a rule reads it. At most :data:`DECODED` packed
    documents hold their data decoded; the oldest is let go first. Data is never mutated after
    loading, so decoding again gives equal data."""

    __slots__ = ("_packed",)

    @property  # type: ignore[override]
    def data(self) -> Any:
        try:
            return _DATA.__get__(self, Kept)
        except AttributeError:
            pass
        value = marshal.loads(zlib.decompress(self._packed))
        _DATA.__set__(self, value)
        _decoded.append(self)
        if len(_decoded) > DECODED:
            try:
                _DATA.__delete__(_decoded.popleft())
            except AttributeError:  # given new data since it was decoded
                pass
        return value

    @data.setter
    def data(self, value: Any) -> None:
        self._packed = zlib.compress(marshal.dumps(value), 1)
        try:
            _DATA.__delete__(self)
        except AttributeError:
            pass

    def plain(self) -> Document:
        """This document as a plain :class:`lintra.Document` with its data decoded."""
        return Document(self.source, self.index, self.kind, self.data, self.locator, self.base)

    def __getstate__(self):  # travels from a worker packed
        return (self.source, self.index, self.kind, self._packed, self.base, self.locator)

    def __setstate__(self, state) -> None:
        self.source, self.index, self.kind, self._packed, self.base, self.locator = state


def packed(document: Document) -> Document:
    """``document`` as a :class:`Kept` one when its data is plain data ``marshal`` can hold (what
    the loaders build), else ``document`` itself."""
    if type(document) is not Document:
        return document
    try:
        blob = zlib.compress(marshal.dumps(document.data), 1)
    except ValueError:  # an object marshal cannot write (a plugin's loader may build one)
        return document
    kept = Kept.__new__(Kept)
    kept.source, kept.index, kept.kind, kept.base, kept.locator = (
        document.source, document.index, document.kind, document.base, document.locator)
    kept._packed = blob
    return kept


def release() -> None:
    """Let go of every decoded packed document (the end of a run)."""
    while _decoded:
        try:
            _DATA.__delete__(_decoded.popleft())
        except AttributeError:
            pass
