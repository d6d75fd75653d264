"""Plain data (what the loaders build, and the positions :mod:`lintra.load.yamltree` records) as
compressed ``marshal`` bytes and back: how a kept document's data and positions wait for the
reduce (:mod:`lintra.check.kept`). Only bytes this process packed are ever unpacked.

Each piece is one segment of a single raw deflate stream per process, ended by a full flush:
a segment decodes on its own (a full flush drops the history, as ``zlib`` documents for random
access), and the compressor is made once: ``zlib.compress`` per piece set up and let go of 256 KB
of compressor state each time, which took longer than compressing the bytes (the shared corpus
packs ~1,300 pieces; 2.5x the wall time of this way on them).
"""

from __future__ import annotations

import marshal
import os
import zlib
from _thread import allocate_lock

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any

_WBITS = -15  # raw deflate: a segment has no header of its own
_LEVEL = 1
#: a full flush clears the compressor's hash table: 8 KB at this level instead of zlib's default
#: 64 KB, for about 1% more bytes on the shared corpus (a fifth fewer instructions packing it)
_MEMORY = 5
_compressor: Any = None
#: a segment is two calls (compress, flush): no other thread's bytes may come between them
_lock = allocate_lock()


def pack(value: Any) -> bytes:
    """``value`` as compressed ``marshal`` bytes (``ValueError`` for what marshal cannot write)."""
    raw = marshal.dumps(value)
    global _compressor
    with _lock:
        if _compressor is None:
            _compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEMORY)
        try:
            return _compressor.compress(raw) + _compressor.flush(zlib.Z_FULL_FLUSH)
        except BaseException:
            # interrupted between the two calls (KeyboardInterrupt, MemoryError): the compressor
            # holds half a segment, and every later piece would start inside it
            _compressor = None
            raise


def _after_fork_in_child() -> None:
    """A forked worker starts with a lock of its own and no compressor: a thread of the parent
    may have held the lock, or been between a segment's two calls, when it forked."""
    global _compressor, _lock
    _compressor = None
    _lock = allocate_lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def unpack(packed: bytes) -> Any:
    """The value :func:`pack` made ``packed`` of."""
    return marshal.loads(zlib.decompressobj(_WBITS).decompress(packed))
