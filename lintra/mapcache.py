"""A persistent cache of what the map step keeps of a file, so an incremental run does not parse
the unchanged rest of the repository again.

An incremental run (``--changed-since``, the file list pre-commit passes) reads every other file
of the repository as context: the documents cross-object rules need (the StorageClass a changed
claim names, Heat environments). Parsing those files is most of such a run. This cache stores,
per context file, the documents the map step kept, as JSON data:

- **Keyed by** the SHA-256 of the file's content and its name, under the digest of everything
  else that decides what the map keeps (:func:`run_key`): lintra's version and the stat of its own
  code and shipped packs, the plugins and their versions, the loaders and detectors, the enabled
  rules (packs and profiles decide them) with their origin files, the run options (rule params,
  Helm values, Heat environments) and the input limits in effect. Change any of them and every
  entry is missed, never reused.
- **Data only.** Entries are JSON written by :func:`to_data` and read by :func:`from_data`, the
  one pair of functions every kept value goes through. They take generic plain data (dicts, lists,
  strings, numbers; tuples, non-string keys, bytes and non-finite floats tagged) and the model
  objects the map keeps (documents, sources, spans, locators), each rebuilt only from a fixed list
  of lintra's own classes (:data:`ALLOWED`): no name in an entry is ever imported or called, and
  nothing is unpickled or unmarshalled. A locator is decoded only when a span is asked of it
  (most context documents are never located).
- **Where.** ``$LINTRA_CACHE_DIR``, else ``$XDG_CACHE_HOME/lintra``, else ``~/.cache/lintra``
  (:func:`lintra.cache.directory`), under ``map/``; outside the repositories it caches, so a
  scanned repository cannot plant entries, and discovery skips the directory should it lie in a
  scanned tree. ``lintra cache clear`` removes it; ``lintra cache show`` says where it is and how
  large.
- **Safe to share.** Entries are written to a temporary file and renamed into place, so parallel
  runs (``--jobs`` workers, CI jobs on one cache) see a whole entry or none. An entry that does
  not read back exactly (truncated, corrupt, hostile, another version's) is ignored and
  rewritten; it never costs more than the parse it would have saved.

Only files whose documents came from the file alone are cached: a Helm chart or Kustomize root
(built from other files) is read afresh each time.
"""

from __future__ import annotations

import base64
import json
import math
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from lintra import cache
from lintra.model import Document, Locator, Source

#: bump when the shape of an entry changes
SCHEMA = 1
#: an entry is read only up to this many times the input file limit (``max_file_bytes``): what
#: lintra wrote of a file is a few times its size, so anything larger is not lintra's
ENTRY_TO_FILE_RATIO = 8
_TAG = "\u0000"  # the key of a tagged value; a data mapping holding it is stored as pairs

#: ``module:class`` of every model type an entry may hold; nothing else is ever built from one
ALLOWED = frozenset({
    "lintra.model:Document", "lintra.model:Source", "lintra.model:Span", "lintra.model:Related",
    "lintra.model:FileRecord",
    "lintra.load.yamltree:YamlLocator", "lintra.load.jsontree:JsonLocator",
    "lintra.load.openshift:TemplateLocator", "lintra.load.vsphere.model:ModelLocator",
    "lintra.load.vsphere.model:Place",
    "lintra.load.kustomize.tree:TracedLocator", "lintra.load.kustomize.tree:Traced",
    "lintra.load.kustomize.tree:Origin", "lintra.load.kustomize.tree:Part",
    "lintra.load.kustomize.files:ShiftedLocator", "lintra.load.kustomize.build:_FileLocator",
    "lintra.load.helm.render:RenderedLocator", "lintra.load.helm.render:FileLocator",
    "lintra.load.helm.render:Lines", "lintra.load.helm.render:_Null", "lintra.load.helm.evaluate:Seg",
})
#: slots that hold a per-process cache, not state: rebuilt empty (as their own pickling does)
_TRANSIENT: Dict[str, Dict[str, Callable[[], Any]]] = {
    "lintra.load.yamltree:YamlLocator": {"_indexes": dict},
    "lintra.load.jsontree:JsonLocator": {"_index": lambda: None, "_lines": list},
    "lintra.model:Source": {"_data": lambda: None},
}


class Uncacheable(Exception):
    """A value :func:`to_data` cannot store as data (a plugin's object, a function)."""


class BadEntry(Exception):
    """An entry that does not decode into what lintra writes."""


# -- the one pair of functions: kept values <-> JSON data ------------------------------------------

def to_data(value: Any, source: Optional[Source] = None) -> Any:
    """``value`` as JSON-able data that :func:`from_data` turns back into an equal value (same
    types, tuples stay tuples; a model object referenced twice is stored once and comes back
    shared). ``source`` is the file being stored: references to it are stored as a reference, so
    the entry holds no copy of its bytes. Raises :class:`Uncacheable`."""
    return _Encoder(source).encode(value)


class _Encoder:
    __slots__ = ("source", "ids", "active", "defer")

    def __init__(self, source: Optional[Source], defer: bool = True) -> None:
        self.source = source
        self.ids: Dict[int, Tuple[int, Any]] = {}  # id(object) -> (number, object kept alive)
        self.active: set = set()
        #: store a locator inside another object as its own text, decoded on first use
        self.defer = defer

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is bool or kind is int or value is None:
            return value
        if kind is float:
            return value if math.isfinite(value) else {_TAG: "f", "v": repr(value)}
        encode = self.encode
        if kind is list:
            return [encode(item) for item in value]
        if kind is dict:
            if _TAG not in value and all(type(key) is str for key in value):
                return {key: encode(item) for key, item in value.items()}
            return {_TAG: "d", "v": [[encode(key), encode(item)] for key, item in value.items()]}
        if kind is tuple:
            return {_TAG: "t", "v": [encode(item) for item in value]}
        if kind is bytes:
            return {_TAG: "b", "v": base64.b64encode(value).decode("ascii")}
        if kind is frozenset or kind is set:
            return {_TAG: "s" if kind is set else "F", "v": [encode(item) for item in value]}
        if self.source is not None and value is self.source:
            return {_TAG: "S"}
        name = f"{kind.__module__}:{kind.__qualname__}"
        if name not in ALLOWED:
            raise Uncacheable(name)
        if self.defer and self.active and isinstance(value, Locator):  # decoded when first asked for a span
            text = json.dumps(_Encoder(self.source, defer=False).encode(value), separators=(",", ":"),
                              allow_nan=False)
            return {_TAG: "z", "c": name, "j": text}
        known = self.ids.get(id(value))
        if known is not None:
            return {_TAG: "r", "v": known[0]}
        if id(value) in self.active:
            raise Uncacheable(f"{name} contains itself")
        self.active.add(id(value))
        state = encode(_state(value, name))
        self.active.discard(id(value))
        number = len(self.ids)
        self.ids[id(value)] = (number, value)
        return {_TAG: "o", "c": name, "v": state, "n": number}


def from_data(data: Any, source: Optional[Source] = None) -> Any:
    """The value :func:`to_data` stored (``source`` stands for the stored file). Raises
    :class:`BadEntry` for anything :func:`to_data` does not write."""
    try:
        return _decode(data, source, {})
    except BadEntry:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as error:
        raise BadEntry(f"{type(error).__name__}: {error}") from None


def _decode(plain: Any, source: Optional[Source], built: Dict[int, Any]) -> Any:
    """``plain`` (parsed JSON) decoded, innermost first, as json.loads' object hook does."""
    if isinstance(plain, list):
        return [_decode(item, source, built) for item in plain]
    if isinstance(plain, dict):
        return _hook({key: _decode(item, source, built) for key, item in plain.items()}, source, built)
    return plain


def loads(text: str, source: Optional[Source] = None) -> Any:
    """Parse and decode an entry's text in one pass (the decoding runs as json's object hook)."""
    built: Dict[int, Any] = {}  # the objects decoded so far, by number, for later references
    try:
        return json.loads(text, object_hook=lambda item: _hook(item, source, built))
    except BadEntry:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as error:
        raise BadEntry(f"{type(error).__name__}: {error}") from None


def _hook(item: dict, source: Optional[Source], built: Dict[int, Any]) -> Any:
    tag = item.get(_TAG)
    if tag is None:
        if _TAG in item:
            raise BadEntry("null tag")
        return item
    if tag == "t":
        return tuple(_list(item))
    if tag == "d":
        pairs = _list(item)
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
            raise BadEntry("mapping pairs")
        return {key: value for key, value in pairs}
    if tag == "f":
        text = item.get("v")
        if text not in ("nan", "inf", "-inf"):
            raise BadEntry("float")
        return float(text)
    if tag == "b":
        return base64.b64decode(_string(item, "v"), validate=True)
    if tag == "s":
        return set(_list(item))
    if tag == "F":
        return frozenset(_list(item))
    if tag == "S":
        if source is None:
            raise BadEntry("a source reference outside an entry")
        return source
    if tag == "o":
        number = item.get("n")
        if type(number) is not int or number in built:
            raise BadEntry("object number")
        value = built[number] = _build(_string(item, "c"), item.get("v"))
        return value
    if tag == "r":
        number = item.get("v")
        if type(number) is not int or number not in built:
            raise BadEntry("a reference to no earlier object")
        return built[number]
    if tag == "z":
        name = _string(item, "c")
        if name not in ALLOWED:
            raise BadEntry(f"class {name!r} is not one lintra stores")
        return DeferredLocator(name, _string(item, "j"), source)
    raise BadEntry(f"unknown tag {tag!r}")


def _list(item: dict) -> list:
    value = item.get("v")
    if not isinstance(value, list):
        raise BadEntry("expected a list")
    return value


def _string(item: dict, key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise BadEntry(f"expected a string at {key!r}")
    return value


_CLASSES: Dict[str, type] = {}


def _class(name: str) -> type:
    cls = _CLASSES.get(name)
    if cls is None:
        if name not in ALLOWED:  # checked before any import: an entry names no module to load
            raise BadEntry(f"class {name!r} is not one lintra stores")
        import importlib

        module, _, qualname = name.partition(":")
        cls = _CLASSES[name] = getattr(importlib.import_module(module), qualname)
    return cls


def _slots(cls: type) -> Tuple[str, ...]:
    names: List[str] = []
    for klass in reversed(cls.__mro__):
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return tuple(dict.fromkeys(names))


def _custom_state(cls: type) -> bool:
    return any("__getstate__" in klass.__dict__ and "__setstate__" in klass.__dict__
               for klass in cls.__mro__ if klass is not object)


def _state(value: Any, name: str) -> Any:
    cls = type(value)
    if _custom_state(cls):  # the class says what its state is (Document leaves its memo out)
        return value.__getstate__()
    transient = _TRANSIENT.get(name, {})
    state = {}
    for slot in _slots(cls):
        if slot in transient or not hasattr(value, slot):
            continue
        state[slot] = getattr(value, slot)
    if not _slots(cls):
        state = dict(vars(value))
    packed = state.get("root")
    if name == "lintra.load.yamltree:YamlLocator" and isinstance(packed, bytes):
        from lintra.load.yamltree import unpack_positions  # our own bytes, packed by this process a moment ago

        state["root"] = unpack_positions(packed)
    return state


def _build(name: str, state: Any) -> Any:
    cls = _class(name)
    value = cls.__new__(cls)
    if _custom_state(cls):
        value.__setstate__(state)
        return value
    if not isinstance(state, dict):
        raise BadEntry(f"state of {name}")
    slots = _slots(cls)
    if slots:
        unknown = set(state) - set(slots)
        if unknown:
            raise BadEntry(f"{name} has no attribute {sorted(unknown)[0]!r}")
        for slot, make in _TRANSIENT.get(name, {}).items():
            setattr(value, slot, make())
        for slot, item in state.items():
            setattr(value, slot, item)
    else:
        value.__dict__.update(state)
    if name == "lintra.load.yamltree:YamlLocator" and not isinstance(getattr(value, "root", None), tuple):
        raise BadEntry("positions")
    return value


class DeferredLocator(Locator):
    """A stored locator, decoded the first time it is used; attributes its class does not have
    are answered without decoding (``getattr(locator, "related", None)`` in the check stage)."""

    __slots__ = ("_name", "_text", "_source", "_real")

    def __init__(self, name: str, text: str, source: Optional[Source]) -> None:
        self._name = name
        self._text = text
        self._source = source
        self._real: Optional[Locator] = None

    def real(self) -> Locator:
        if self._real is None:
            try:
                real = loads(self._text, self._source)
            except BadEntry:
                real = None
            if not isinstance(real, Locator):  # a damaged entry: place findings at the file's start
                from lintra.model import Span

                real = _FirstLine(Span(1, 1))
            self._real, self._text = real, ""
        return self._real

    def span(self, pointer, at=None):
        return self.real().span(pointer, at)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or not hasattr(_class(self._name), name):
            raise AttributeError(name)
        return getattr(self.real(), name)

    def __reduce__(self):  # travels (to a worker) as the locator it stands for
        return _same, (self.real(),)


def _same(value: Any) -> Any:
    return value


class _FirstLine(Locator):
    __slots__ = ("where",)

    def __init__(self, where) -> None:
        self.where = where

    def span(self, pointer, at=None):
        return self.where


# -- the store -----------------------------------------------------------------------------------

def run_key(registry: Any, rules: Sequence[Any], options: Optional[Dict[str, Any]]) -> str:
    """The digest of everything besides a file's content and name that decides what the map step
    keeps of it (see the module's docs)."""
    import hashlib

    from lintra.load import limits

    parts: Dict[str, Any] = {
        "schema": SCHEMA,
        "code": _code_stamp(),
        "plugins": [[p.get("name"), p.get("version"), p.get("hooks")] for p in registry.plugins],
        "loaders": [[loader.name, list(loader.suffixes), loader.binary, loader.options] for loader in registry.loaders],
        "detectors": [detector.name for detector in registry.detectors],
        "resolvers": sorted(registry.resolvers),
        "rules": sorted([rule.id, rule.origin, list(rule.kinds), rule.needs is not None,
                         _origin_stamp(rule.origin)] for rule in rules),
        "options": options or {},
        "limits": {name: getattr(limits, attribute) for name, attribute in sorted(limits.CONFIGURABLE.items())},
    }
    text = json.dumps(parts, sort_keys=True, default=_describe, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _describe(value: Any) -> Any:
    """Options that are objects (Helm's) by their attributes; files named in them by stat."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    slots = _slots(type(value))
    state = {slot: getattr(value, slot, None) for slot in slots} if slots else getattr(value, "__dict__", None)
    return {"type": type(value).__qualname__, "state": state if state is not None else repr(value)}


def _stat(path: str) -> List[int]:
    try:
        info = os.stat(path)
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]


def _origin_stamp(origin: str) -> List[int]:
    path = origin.split(" (pack ", 1)[0] if origin else ""
    return _stat(path) if path and os.path.sep in path else []


_CODE: Optional[str] = None


def _code_stamp() -> str:
    """lintra's version and the size and time of each of its modules and shipped files: an
    editable install (a checkout) changes rules without changing the version."""
    global _CODE
    if _CODE is None:
        import lintra
        from lintra.resources import policies_dir

        stamps = [str(getattr(lintra, "__version__", ""))]
        for top in (os.path.dirname(os.path.abspath(lintra.__file__)), policies_dir()):
            for directory, subdirectories, files in os.walk(top):
                subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
                for name in sorted(files):
                    if name.endswith((".py", ".yaml", ".yml", ".json")):
                        path = os.path.join(directory, name)
                        stamps.append(f"{os.path.relpath(path, top)}:{_stat(path)}")
        _CODE = "\n".join(stamps)
    return _CODE


def root() -> Optional[str]:
    """The directory holding the map entries, or None when the cache is off."""
    where = cache.directory()
    return os.path.join(where, "map") if where else None


class MapCache:
    """The entries of one run configuration (:func:`run_key`)."""

    __slots__ = ("key", "where", "hits", "misses", "written")

    def __init__(self, key: str, where: str) -> None:
        self.key = key
        self.where = where
        self.hits = self.misses = self.written = 0

    @classmethod
    def open(cls, registry: Any, rules: Sequence[Any], options: Optional[Dict[str, Any]]) -> Optional["MapCache"]:
        where = root()
        if where is None:
            return None
        return cls(run_key(registry, rules, options), where)

    def entry_key(self, source: Source, content: bytes) -> str:
        import hashlib

        digest = hashlib.sha256(content).hexdigest()
        name = source.name.encode("utf-8", "surrogateescape")
        return hashlib.sha256(b"\0".join((self.key.encode("ascii"), name, digest.encode("ascii")))).hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.where, key[:2], key)

    def documents(self, source: Source,
                  load: Callable[[Source], Tuple[List[Document], Optional[List[str]]]]) -> List[Document]:
        """The documents the map keeps of context file ``source``: from its entry, else from
        ``load(source)`` -> (documents, the other files they were built from or None when they
        may not be stored), then stored."""
        from lintra.load import limits

        try:
            if source.path is None or source.skip or os.stat(source.path).st_size > limits.MAX_FILE_BYTES:
                return load(source)[0]
            content = source.read_bytes(limits.MAX_FILE_BYTES)
        except OSError:
            return load(source)[0]  # the load reports why
        key = self.entry_key(source, content)
        found = self._read(key, source)
        if found is not None:
            self.hits += 1
            if source.path is not None:
                source.forget()
            return found
        self.misses += 1
        documents, built_from = load(source)
        if built_from is not None:
            depends = _dependencies(source, built_from)
            if depends is not None:
                self._write(key, source, documents, depends)
        return documents

    def _read(self, key: str, source: Source) -> Optional[List[Document]]:
        from lintra.load import limits

        most = ENTRY_TO_FILE_RATIO * limits.MAX_FILE_BYTES
        try:
            with open(self._path(key), "rb") as handle:
                raw = handle.read(most + 1)
        except OSError:
            return None
        if len(raw) > most:
            return None
        try:
            entry = loads(raw.decode("ascii"), source)
        except (BadEntry, UnicodeDecodeError, RecursionError, MemoryError):
            return None
        if not (isinstance(entry, dict) and entry.get("schema") == SCHEMA and entry.get("key") == key
                and entry.get("file") == source.name and isinstance(entry.get("documents"), list)
                and isinstance(entry.get("depends"), dict)):
            return None  # another version's or another file's entry, or a damaged one
        if entry["depends"] and _dependencies(source, entry["depends"].get("files") or []) != entry["depends"]:
            return None  # a file it was built from changed, or one appeared beside them
        documents = entry["documents"]
        if not all(isinstance(doc, Document) and doc.source is source and isinstance(doc.kind, str)
                   and isinstance(doc.index, int) and isinstance(doc.base, tuple)
                   and isinstance(doc.locator, Locator) for doc in documents):
            return None
        return documents

    def _write(self, key: str, source: Source, documents: Sequence[Document], depends: dict) -> None:
        try:
            text = json.dumps({"schema": SCHEMA, "key": key, "file": source.name, "depends": depends,
                               "documents": to_data(list(documents), source)},
                              separators=(",", ":"), allow_nan=False)
        except (Uncacheable, ValueError, TypeError, RecursionError):
            return  # a plugin's object: this file is read each time
        path = self._path(key)
        directory = os.path.dirname(path)
        try:
            os.makedirs(directory, exist_ok=True)
            import tempfile

            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=directory)
        except OSError:
            return  # a cache that cannot be written costs only the time it would have saved
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(text)
            os.replace(temporary, path)  # readers see the whole entry or none
            self.written += 1
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _dependencies(source: Source, files: Sequence[Any]) -> Optional[dict]:
    """What an entry built from other files depends on: each file's content digest, and the
    listing of each directory holding the file or one of them (a template added to a chart, a
    second kustomization file beside one). ``{}`` for a file read alone; None when one of them
    cannot be read (it is then not stored)."""
    others = sorted({name for name in files if isinstance(name, str) and name != source.name})
    if not others:
        return {}
    import hashlib

    from lintra.filesystem import read_regular
    from lintra.load import limits

    digests = {}
    directories = {os.path.dirname(source.path or source.name) or "."}
    for name in others:
        try:
            digests[name] = hashlib.sha256(read_regular(name, limits.MAX_FILE_BYTES)).hexdigest()
        except (OSError, ValueError):
            return None
        directories.add(os.path.dirname(name) or ".")
    listings = {}
    for directory in sorted(directories):
        try:
            listings[directory] = sorted(os.listdir(directory))
        except OSError:
            return None
    return {"files": others, "digests": digests, "listings": listings}


#: The names lintra writes in its cache directory, and only those: a user may point
#: ``LINTRA_CACHE_DIR`` at a directory that holds other files, and ``cache clear`` must not
#: touch them. Top level: ``{kind}-{key}.json`` of :mod:`lintra.cache` and its temporary
#: ``.{pid}.tmp``; under ``map/``: ``xx/<sha256>`` entries and their ``.tmp-*`` files.
_TOP_LEVEL_NAME = r"[a-z][a-z-]*-[0-9a-f]{8}-[0-9a-f]+\.json(?:\.[0-9]+\.tmp)?"
_MAP_ENTRY_NAME = r"[0-9a-f]{64}|\.tmp-[A-Za-z0-9_]+"


def _own_files(where: str) -> List[str]:
    """The files of the cache directory ``where`` that lintra wrote (see the names above)."""
    import re

    top, entry = re.compile(_TOP_LEVEL_NAME), re.compile(_MAP_ENTRY_NAME)
    found = []
    try:
        names = os.listdir(where)
    except OSError:
        return found
    found.extend(os.path.join(where, name) for name in names
                 if top.fullmatch(name) and os.path.isfile(os.path.join(where, name)))
    mine = os.path.join(where, "map")
    try:
        shards = os.listdir(mine) if not os.path.islink(mine) else []
    except OSError:
        shards = []
    for shard in shards:
        directory = os.path.join(mine, shard)
        if not re.fullmatch(r"[0-9a-f]{2}", shard) or os.path.islink(directory) or not os.path.isdir(directory):
            continue
        try:
            found.extend(os.path.join(directory, name) for name in os.listdir(directory)
                         if entry.fullmatch(name) and os.path.isfile(os.path.join(directory, name)))
        except OSError:
            pass
    return found


def usage() -> Tuple[Optional[str], int, int]:
    """(directory, entries, bytes) of lintra's own files in the cache, for ``lintra cache show``."""
    where = cache.directory()
    if where is None or not os.path.isdir(where):
        return where, 0, 0
    entries = size = 0
    for path in _own_files(where):
        try:
            size += os.lstat(path).st_size
            entries += 1
        except OSError:
            pass
    return where, entries, size


def clear() -> Tuple[Optional[str], int]:
    """Remove every entry lintra wrote (map entries, packs, profiles, configuration checks):
    (directory, files removed). Only names lintra writes are removed, never other files, and
    symbolic links are not followed."""
    where = cache.directory()
    if where is None or not os.path.isdir(where):
        return where, 0
    removed = 0
    for path in _own_files(where):
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass
    mine = os.path.join(where, "map")
    if os.path.isdir(mine) and not os.path.islink(mine):
        for shard in os.listdir(mine):
            try:
                os.rmdir(os.path.join(mine, shard))  # only empty shard directories go
            except OSError:
                pass
        try:
            os.rmdir(mine)
        except OSError:
            pass
    return where, removed
