"""lintra.load.packing: one compressor per process, each piece a segment that decodes on its own,
and a compressor that is never left inside a segment (an interrupted piece, a fork)."""

import os
import select
import zlib

import pytest

from lintra.load import packing

VALUES = [{"a": [1, 2, {"b": "c" * 300}]}, ["x"] * 50, "plain", {"nested": {"deeper": [None, True, 2.5]}}]


def test_each_piece_decodes_on_its_own_in_any_order():
    pieces = [packing.pack(value) for value in VALUES]
    for value, piece in reversed(list(zip(VALUES, pieces))):
        assert packing.unpack(piece) == value


class _Stopped(BaseException):
    """What stops a run between two calls (KeyboardInterrupt, MemoryError); not pytest's own."""


class _Interrupted:
    """A compressor interrupted between a segment's two calls: the first half of a piece is in."""

    def __init__(self):
        self.real = zlib.compressobj(1, zlib.DEFLATED, -15, 5)

    def compress(self, data):
        return self.real.compress(data)

    def flush(self, mode):
        raise _Stopped


def test_a_piece_interrupted_midway_leaves_no_half_segment_for_the_next(monkeypatch):
    monkeypatch.setattr(packing, "_compressor", _Interrupted())
    with pytest.raises(_Stopped):
        packing.pack(VALUES[0])
    for value in VALUES:
        assert packing.unpack(packing.pack(value)) == value


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_fork_while_another_thread_packs_gives_the_child_its_own_lock():
    """The lock held by a thread of the parent at the fork (taken here by hand) would be held for
    ever in the child: its first piece would never be made."""
    read, write = os.pipe()
    with packing._lock:
        pid = os.fork()
        if pid == 0:  # the child: one piece, then say whether it decoded
            try:
                ok = packing.unpack(packing.pack(VALUES[0])) == VALUES[0]
                os.write(write, b"1" if ok else b"0")
            finally:
                os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 20)
        answer = os.read(read, 1) if ready else b""
    finally:
        os.close(read)
        if not answer:
            os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert answer == b"1"
