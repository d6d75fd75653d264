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

Where the packed bytes wait: in the run's :class:`Spill` (:meth:`Spill.keep`, called by the run
as each file's kept documents arrive), an unlinked temporary file that holds only bytes this
process packed a moment before; a document then holds its place in the file, not its bytes, and
the run's memory does not grow with the size of the repository. Nothing read from a scanned
file, nor from anywhere else on disk, is ever unmarshalled from it.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections import deque

from lintra.load import packing
from lintra.model import Document

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, TypeAlias

Path: TypeAlias = "Tuple[str, ...]"
Reads: TypeAlias = "Optional[Dict[str, Optional[Tuple[Path, ...]]]]"

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


class Spill:
    """An append-only store of bytes this process packed (kept documents' data and positions),
    in an unlinked temporary file of the system's temporary directory (``tempfile``: gone from
    the directory as soon as it is made on POSIX, deleted on close elsewhere; closed when the
    last document holding a place in it is let go, so nothing is left behind, whatever happens).

    Writes are gathered in memory up to :data:`BUFFER` bytes. On POSIX the file is read and
    written with ``pread``/``pwrite``, which never move a file offset a forked worker shares;
    only the process that made a spill uses it (a forked worker making kept documents of its
    own keeps them in memory: they travel to the run packed)."""

    #: bytes gathered before they are written out
    BUFFER = 1 << 18
    #: kept documents wait loose (:func:`loose`) while the run's heap has grown by fewer than this
    #: many objects (``sys.getallocatedblocks``) since the spill was made; then all of them are
    #: packed, as is every one kept after them. Packing is most of what keeping a document costs
    #: (compressing its data and positions, decoding the data again when the reduce reads it);
    #: loose, the ~650 documents a run of the shared corpus keeps take ~150,000 objects (7 MB) and
    #: the whole run ~300,000, so a repository that size stays loose, and a larger one is packed
    #: before its kept documents weigh much: the run's memory stays flat as it grows.
    LOOSE = 400_000

    __slots__ = ("_file", "_pid", "_bounds", "_written", "_pending", "_unwritable", "_loose", "_blocks",
                 "__weakref__")

    def __init__(self) -> None:
        self._file: Any = None
        self._pid = os.getpid()
        #: where each piece starts, and after the last one where the next one will start
        self._bounds = array("q", [0])
        self._written = 0  # bytes in the file; the rest of the pieces are in ``_pending``
        self._pending = bytearray()
        #: the file could not be made or written: the rest waits in memory, as before spills
        self._unwritable = False
        #: the loose documents kept so far; None once they passed :attr:`LOOSE` and were packed
        self._loose: Optional[List[Kept]] = []
        self._blocks = sys.getallocatedblocks()
        # an interpreter without its own allocator counts nothing, and a negative LOOSE asks for
        # packing from the first document (the heap may shrink during a run): pack all
        if not self._blocks or self.LOOSE < 0:
            self._loose = None

    def put(self, blob: bytes) -> int:
        """Append ``blob``; the handle :meth:`get` gives it back by."""
        self._pending += blob
        self._bounds.append(self._bounds[-1] + len(blob))
        if len(self._pending) >= self.BUFFER:
            self._flush()
        return len(self._bounds) - 2

    def get(self, handle: int) -> bytes:
        """The bytes :meth:`put` gave ``handle``."""
        if os.getpid() != self._pid:
            raise RuntimeError("a spill is read only by the process that made it")
        start, stop = self._bounds[handle], self._bounds[handle + 1]
        if start >= self._written:
            return bytes(self._pending[start - self._written:stop - self._written])
        blob = _read(self._file, start, stop - start)
        if len(blob) != stop - start:
            raise OSError(f"the spill file of kept documents lost bytes at {start}")
        return blob

    def _flush(self) -> None:
        if not self._pending or self._unwritable:
            return
        try:
            if self._file is None:
                import tempfile

                self._file = tempfile.TemporaryFile(prefix="lintra-kept-")
            _write(self._file, self._pending, self._written)
        except OSError:
            # no usable temporary directory (a read-only root), a full disk, a file size limit:
            # the run's result does not depend on the spill, only its memory does, so what is
            # not written stays in memory (a part written before the error is read from memory
            # too: ``_written`` only moves past bytes the file holds)
            self._unwritable = True
            return
        self._written += len(self._pending)
        self._pending = bytearray()

    def keep(self, documents: Iterable[Document]) -> None:
        """Move the packed bytes of ``documents`` (their data and their YAML positions) here; loose
        documents wait as they are until the run's heap passes :attr:`LOOSE`, and are then packed
        and moved here, as every one kept after them is."""
        loose = self._loose
        for document in documents:
            if type(document) is Kept:
                if loose is not None and document._packed is None:
                    loose.append(document)
                else:
                    self._spilled(document)
            else:  # not ours to pack (a plugin's document): its positions wait packed all the same
                pack = getattr(document.locator, "pack", None)
                if pack is not None:
                    pack()
        # a negative LOOSE packs from now on even where the heap shrank since the spill was made
        if loose is not None and (self.LOOSE < 0 or sys.getallocatedblocks() - self._blocks > self.LOOSE):
            self._loose = None
            for document in loose:
                self._spilled(document)

    def _spilled(self, document: "Kept") -> None:
        document.pack()
        if type(document._packed) is bytes:
            document._packed = self.put(document._packed)
            document._spill = self
        document.locator = self._positions(document.locator)

    def _positions(self, locator: Any) -> Any:
        from lintra.load.yamltree import YamlLocator

        if type(locator) is YamlLocator and type(locator.root) is bytes:
            return SpilledPositions(self, self.put(locator.root))
        return locator

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:
        self.close()


def _read(handle: Any, start: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(handle.fileno(), size, start)
    handle.seek(start)
    return handle.read(size)


def _write(handle: Any, blob: bytearray, start: int) -> None:
    if hasattr(os, "pwrite"):
        view = memoryview(blob)
        while view:
            done = os.pwrite(handle.fileno(), view, start)
            view, start = view[done:], start + done
        return
    handle.seek(start)
    handle.write(blob)
    handle.flush()


#: How many spilled position trees stay decoded at once (findings of one document come together)
POSITIONS_DECODED = 8
_positions_decoded: "deque[Tuple[SpilledPositions, Any]]" = deque()


class SpilledPositions:
    """The locator of a kept YAML document whose packed positions wait in a :class:`Spill`:
    answers spans as the YAML locator of those positions does, decoding them when asked (the
    last :data:`POSITIONS_DECODED` stay decoded)."""

    __slots__ = ("_spill", "_handle")

    def __init__(self, spill: Spill, handle: int) -> None:
        self._spill = spill
        self._handle = handle

    def _locator(self) -> Any:
        for positions, locator in _positions_decoded:
            if positions is self:
                return locator
        from lintra.load.yamltree import YamlLocator

        locator = YamlLocator(self._spill.get(self._handle))
        _positions_decoded.append((self, locator))
        if len(_positions_decoded) > POSITIONS_DECODED:
            _positions_decoded.popleft()
        return locator

    def span(self, pointer: Any, at: Optional[str] = None) -> Any:
        return self._locator().span(pointer, at)

    def pack(self) -> None:
        """Let the decoded positions go back to their packed form (they wait packed already)."""
        self._locator().pack()

    @property
    def root(self) -> Any:
        """The positions, as the YAML locator standing in holds them (decoded once a span was
        asked)."""
        return self._locator().root

    def __reduce__(self):  # travels (and is stored) as the YAML locator it stands for
        from lintra.load.yamltree import YamlLocator

        return YamlLocator, (self._spill.get(self._handle),)


class Kept(Document):
    """A document waiting for the reduce with its data as compressed ``marshal`` bytes (a
    fraction of the memory of the objects: a tripleo template's dictionaries take seven times
    their marshal size), decoded when a rule reads it. At most :data:`DECODED` packed
    documents hold their data decoded; the oldest is let go first. Data is never mutated after
    loading, so decoding again gives equal data."""

    #: ``_packed``: the compressed bytes, their handle in ``_spill`` (:meth:`Spill.keep`), or None
    #: while the document is loose (:func:`loose`: its data is held as it was loaded)
    __slots__ = ("_packed", "_spill")

    @property  # type: ignore[override]
    def data(self) -> Any:
        try:
            return _DATA.__get__(self, Kept)
        except AttributeError:
            pass
        value = packing.unpack(self._bytes())
        _hold(self, value)
        return value

    def _bytes(self) -> bytes:
        packed = self._packed
        return packed if type(packed) is bytes else self._spill.get(packed)

    @data.setter
    def data(self, value: Any) -> None:
        if self._packed is None:  # a loose document stays loose
            _DATA.__set__(self, value)
            return
        self._packed = packing.pack(value)
        self._spill = None
        try:
            _DATA.__delete__(self)
        except AttributeError:
            pass

    def pack(self, hold: bool = True) -> None:
        """Pack a loose document's data, and its YAML positions (:meth:`YamlLocator.pack`); data
        ``marshal`` cannot hold stays loose. With ``hold``, the data stays decoded among the
        :data:`DECODED` last ones (the last ones kept are the first the run reads again)."""
        if self._packed is None:
            value = _DATA.__get__(self, Kept)
            try:
                self._packed = packing.pack(value)
            except ValueError:  # an object marshal cannot write (a plugin's loader may build one)
                pass
            else:
                _DATA.__delete__(self)
                if hold:
                    _hold(self, value)
        pack = getattr(self.locator, "pack", None)
        if pack is not None:
            pack()

    def plain(self) -> Document:
        """This document as a plain :class:`lintra.Document` with its data decoded."""
        return Document(self.source, self.index, self.kind, self.data, self.locator, self.base)

    def __getstate__(self):  # travels from a worker packed
        self.pack(hold=False)
        if self._packed is None:  # data marshal cannot hold travels as it is
            return (self.source, self.index, self.kind, None, self.base, self.locator, self.data)
        return (self.source, self.index, self.kind, self._bytes(), self.base, self.locator)

    def __setstate__(self, state) -> None:
        self.source, self.index, self.kind, self._packed, self.base, self.locator = state[:6]
        self._spill = None
        if self._packed is None:
            _DATA.__set__(self, state[6])


#: the kept documents of one file that may wait loose (:func:`loose`) until the file is mapped
#: and the run's spill decides: the rest of a long stream's are packed as they are made, so that
#: one 20 MB file's memory stays what it was with every document packed
LOOSE_IN_A_FILE = 256


def loose(document: Document) -> Document:
    """``document`` as a :class:`Kept` one that holds its data as it is until it is packed
    (:meth:`Kept.pack`: once the run's heap has grown by :attr:`Spill.LOOSE` objects, or when it
    travels from a worker)."""
    if type(document) is not Document:
        return document
    kept = _kept_as(document, None)
    _DATA.__set__(kept, document.data)
    return kept


def packed(document: Document) -> Document:
    """``document`` as a :class:`Kept` one when its data is plain data ``marshal`` can hold (what
    the loaders build), else ``document`` itself."""
    if type(document) is not Document:
        return document
    try:
        blob = packing.pack(document.data)
    except ValueError:  # an object marshal cannot write (a plugin's loader may build one)
        return document
    kept = _kept_as(document, blob)
    # held as decoded from the start: the run reads a kept document's data as soon as it arrives
    # (the references it names), and decoding it there again cost more than packing it
    _hold(kept, document.data)
    return kept


def _kept_as(document: Document, blob: Optional[bytes]) -> Kept:
    """A :class:`Kept` of ``document``'s source, place, kind, base and locator, packed as ``blob``
    (None: not packed yet), not in a spill."""
    kept = Kept.__new__(Kept)
    kept.source, kept.index, kept.kind, kept.base, kept.locator = (
        document.source, document.index, document.kind, document.base, document.locator)
    kept._packed = blob
    kept._spill = None
    return kept


def _hold(document: Kept, value: Any) -> None:
    """``document`` holds ``value`` as its decoded data, among the :data:`DECODED` last ones."""
    _DATA.__set__(document, value)
    _decoded.append(document)
    if len(_decoded) > DECODED:
        try:
            _DATA.__delete__(_decoded.popleft())
        except AttributeError:  # given new data since it was decoded
            pass


def release() -> None:
    """Let go of every decoded packed document (the end of a run)."""
    _positions_decoded.clear()
    while _decoded:
        try:
            _DATA.__delete__(_decoded.popleft())
        except AttributeError:
            pass
