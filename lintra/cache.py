"""A small on-disk cache of plain data (JSON), keyed by the digest of what it was derived from.

It holds what every run would otherwise recompute from files that rarely change: the parsed
built-in policy packs, and the fact that a configuration file with a given content passed schema
validation. The entries of lintra's own packs and profiles also ship inside the package
(:func:`shipped`), so that a first run with an empty cache directory need not make them. Only
data is stored, never pickles or code, so a cache directory someone else can write cannot make
lintra run anything; an entry that does not read back is ignored.

The directory is ``$LINTRA_CACHE_DIR``, else ``$XDG_CACHE_HOME/lintra``, else the platform's user
cache directory (``~/.cache/lintra``, ``~/Library/Caches/lintra``, ``%LOCALAPPDATA%\\lintra\\Cache``);
``LINTRA_CACHE_DIR=`` (empty) turns the cache off. A directory that cannot be written only costs
the time the cache would have saved.
"""

from __future__ import annotations

import binascii
import json
import os

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterable, Optional

#: bump when the meaning of a cached entry changes
FORMAT = 1


def directory() -> Optional[str]:
    explicit = os.environ.get("LINTRA_CACHE_DIR")
    if explicit is not None:
        return explicit or None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return os.path.join(base, "lintra")
    import sys

    home = os.path.expanduser("~")
    if sys.platform == "darwin":  # the platforms' own user cache directories
        return os.path.join(home, "Library", "Caches", "lintra")
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local"),
                            "lintra", "Cache")
    return os.path.join(home, ".cache", "lintra")


def digest(*parts: bytes) -> str:
    """A key for ``parts``: the length and CRC-32 of each. It tells changed content from unchanged
    (it guards against staleness, not against an attacker, who could write any entry under any key:
    the cache is as trusted as the directory it lives in). CRC-32 rather than SHA-256 because
    importing hashlib costs a small run more than hashing does."""
    key = [f"v{FORMAT}"] + [f"{len(part):x}.{binascii.crc32(part):08x}" for part in parts]
    return f"{binascii.crc32('-'.join(key).encode('ascii')):08x}-{sum(map(len, parts)):x}"


def read(kind: str, key: str) -> Any:
    """The data stored under ``kind``/``key``, or None."""
    where = directory()
    if where is None:
        return None
    try:
        with open(os.path.join(where, f"{kind}-{key}.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write(kind: str, key: str, data: Any) -> None:
    """Store ``data`` (plain JSON data) atomically; any failure leaves the cache as it was."""
    where = directory()
    if where is None:
        return
    path = os.path.join(where, f"{kind}-{key}.json")
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(where, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(temporary, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass


#: the entries lintra ships of its own files, ``{kind}.json`` each (``python -m lintra.policy.shipped``
#: writes them; the test suite fails when one is not what that command would write)
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shipped")


def shipped(kind: str, key: str) -> Any:
    """The data lintra ships for ``kind``, the same as the cache entry ``kind``/``key`` would hold,
    when it was made from what ``key`` digests; else None (a developer changed a pack or the code
    since, or the file is missing: the caller makes the data as it would without it)."""
    try:
        with open(os.path.join(SHIPPED, f"{kind}.json"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    if not text.startswith(_shipped_head(key)):  # made for other content: not worth decoding
        return None
    try:
        return json.loads(text)["data"]
    except (ValueError, KeyError, TypeError):
        return None


def _shipped_head(key: str) -> str:
    return '{"key":%s,"data":' % json.dumps(key)


def shipped_text(key: str, data: Any, depth: int) -> str:
    """The text of a shipped entry: compact JSON, its key first, with a line break between the
    items of each list nested less than ``depth`` deep, so that a diff shows which item (a rule, a
    profile) changed. Mappings keep their order (that of the files they were read from)."""
    return _shipped_head(key) + _laid_out(data, depth) + "}\n"


def _laid_out(value: Any, depth: int) -> str:
    if depth <= 0 or not isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_laid_out(v, depth - 1)}" for k, v in value.items()) + "}"
    return "[\n" + ",\n".join(_laid_out(item, depth - 1) for item in value) + "]"


def round_trips(data: Any) -> bool:
    """Whether ``data`` reads back from JSON exactly (no int keys, tuples ...)."""
    try:
        return json.loads(json.dumps(data)) == data
    except (TypeError, ValueError):
        return False


def file_digest(paths: Iterable[str]) -> Optional[str]:
    """One digest over the names and contents of ``paths``; None when one cannot be read."""
    parts = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                parts.extend((os.path.basename(path).encode("utf-8", "surrogateescape"), handle.read()))
        except OSError:
            return None
    return digest(*parts)
