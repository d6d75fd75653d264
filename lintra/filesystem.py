"""Reading a file named by a user, a configuration or a scanned repository, safely.

A path can name something that is not a file: a FIFO (opening it blocks until a writer comes), a
device (``/dev/zero`` never ends, ``/dev/urandom`` never ends either), a socket, a directory. And
what a path names can change between a check and the open (a race). So every read opens with
``O_NONBLOCK`` (a FIFO opens at once instead of hanging), checks the opened descriptor itself with
``fstat`` (what was opened, not what a path named a moment earlier), refuses anything but a
regular file, and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional

#: the kinds of things a path can name that lintra never reads, as a reason says them
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))
#: file systems whose files are processes, descriptors and devices rather than data
_SPECIAL_TREES = ("/dev/", "/proc/", "/sys/")
STDIN_HINT = "use - for standard input"


class NotRegular(OSError):
    """The path names something that is not a regular file; ``strerror`` says what."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__(errno.EINVAL, f"{what}, not a regular file: not read", path)


class TooLarge(OSError):
    def __init__(self, path: str, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MiB", path)
        self.limit = limit


def special_kind(mode: int) -> Optional[str]:
    """What a ``st_mode`` names when it is not a regular file (None for a regular file)."""
    if stat.S_ISREG(mode):  # nearly every file a run meets
        return None
    for test, what in _KINDS:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def special_path(path: str) -> Optional[str]:
    """Why ``path`` (as named or as resolved) lies in ``/dev``, ``/proc`` or ``/sys``, or None:
    ``/dev/stdin`` and ``/dev/fd/N`` are standard input under another name, the rest are no files."""
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        if candidate.startswith(_SPECIAL_TREES) or candidate in ("/dev", "/proc", "/sys"):
            return f"a device or process file ({candidate.split('/')[1]}): not read; {STDIN_HINT}"
    return None


def read_regular(path: str, limit: int, prefix: bool = False) -> bytes:
    """The bytes of the regular file at ``path``; :class:`NotRegular`, :class:`TooLarge` or
    another ``OSError`` otherwise. Never blocks on a FIFO, never reads past ``limit``. With
    ``prefix``, a larger file is no error: its first ``limit`` bytes are the answer."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        what = special_kind(info.st_mode)
        if what is not None:
            raise NotRegular(path, what)
        if info.st_size > limit and not prefix:
            raise TooLarge(path, limit)
        chunks = []
        left = limit + (0 if prefix else 1)  # one byte more tells a file that grew past the limit since fstat
        # the first read asks for the size fstat gave and one byte more: one buffer of the right
        # size (a 1 MiB one shrunk to a small file's size cost more than the read); a file that
        # grew since goes on in 1 MiB reads
        want = info.st_size + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, want))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = 1 << 20
        data = b"".join(chunks)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise TooLarge(path, limit)
    return data


def read_text(path: str, limit: int) -> str:
    """:func:`read_regular` decoded as UTF-8 (a ``UnicodeDecodeError`` when it is not)."""
    return read_regular(path, limit).decode("utf-8")
