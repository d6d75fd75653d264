"""A persistent cache of what the map step makes of a file, so that a run does not parse and
check an unchanged file again (as ruff's and mypy's caches do).

It holds two kinds of entries, both JSON data:

- ``scan/``: the whole map outcome of each file a run checks (its file record, its located
  findings, its suppressions and the documents it kept for the reduce), so a repeated full scan
  reads, hashes and decodes each unchanged file instead of parsing and checking it
  (:meth:`MapCache.outcome`). Everything after the map runs as before, on every run: the
  cross-object rules, suppressions, identities, the judgement (profile levels, severity
  overrides, sanctioned vendors, ``fail_on``), the baseline and the reports. A run of fewer than
  :data:`SCAN_FROM_FILES` files, an audit (its observer summarises live documents) and ``lintra
  policy test`` (in-memory examples) map without it.
- ``map/``: for an incremental run (``--changed-since``, the file list pre-commit passes), which
  reads every other file of the repository as context, the documents the map kept of each context
  file (the StorageClass a changed claim names, Heat environments) (:meth:`MapCache.documents`).

Both are:

- **Keyed by** the SHA-256 of the file's content and its name, under the digest of everything
  else that decides what the map keeps (:func:`run_key`): lintra's version and the stat of its own
  code and shipped packs, the plugins and their versions, the loaders and detectors, the enabled
  rules (packs and profiles decide them) with their origin files, the run options (rule params,
  Helm values, Heat environments) and the input limits in effect. Change any of them and every
  entry is missed, never reused.
- **Data only.** Entries are JSON written by :func:`to_data` and read by :func:`from_data`, the
  one pair of functions every kept value goes through. They take generic plain data (dicts, lists,
  strings, numbers; tuples, non-string keys, bytes and non-finite floats tagged; a document's
  data as one JSON text when it reads back equal) and the model objects the map makes
  (documents, sources, spans, locators, file records, suppressions, levels), each rebuilt only
  from a fixed list of lintra's own classes (:data:`ALLOWED`): no name in an entry is ever
  imported or called, and
  nothing is unpickled or unmarshalled. A locator is decoded only when a span is asked of it
  (most context documents are never located).
- **Where.** ``$LINTRA_CACHE_DIR``, else ``$XDG_CACHE_HOME/lintra``, else ``~/.cache/lintra``
  (:func:`lintra.cache.directory`), under ``map/`` and ``scan/``; outside the repositories it caches, so a
  scanned repository cannot plant entries, and discovery skips the directory should it lie in a
  scanned tree. ``lintra cache clear`` removes it; ``lintra cache show`` says where it is and how
  large.
- **Safe to share.** Entries are written to a temporary file and renamed into place, so parallel
  runs (``--jobs`` workers, CI jobs on one cache) see a whole entry or none. An entry that does
  not read back exactly (truncated, corrupt, hostile, another version's) is ignored and
  rewritten; it never costs more than the parse it would have saved.
- **Bounded.** At the end of a run that used the cache, at most every :data:`BOUND_EVERY`
  seconds, the entries of both kinds are kept under :data:`DEFAULT_BOUND` bytes
  (``LINTRA_CACHE_MAX_MB`` sets another bound): beyond it, the entries no run has read for
  longest go first (an entry read back has its time refreshed, at most once per
  :data:`TOUCH_AFTER`), down to :data:`EVICT_TO` of the bound; a temporary file a write left
  behind goes too.

A file's map outcome is stored only when its loader reads it alone (``Loader.cache_key``: YAML,
JSON, the vSphere exports); a Helm chart or Kustomize root, built from other files, is mapped
afresh each time. What else a loader's reading depends on is part of the entry's key (whether a
YAML file lies in a Helm chart's ``templates/``), and so is whether another template names the
file (a Heat nested template).
"""

from __future__ import annotations

import base64
import enum
import itertools
import json
import math
import os

from lintra import cache
from lintra.model import Document, Locator, Source

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

#: bump when the shape of an entry changes
SCHEMA = 2
#: a run that checks fewer files than this maps them without the cache (see ``pipeline._scan_store``)
SCAN_FROM_FILES = 8
#: an entry is read only up to this many times the input file limit (``max_file_bytes``): what
#: lintra wrote of a file is a few times its size, so anything larger is not lintra's
ENTRY_TO_FILE_RATIO = 8
_TAG = "\u0000"  # the key of a tagged value; a data mapping holding it is stored as pairs

#: ``module:class`` of every model type an entry may hold; nothing else is ever built from one
ALLOWED = frozenset({
    "lintra.model:Document", "lintra.model:Source", "lintra.model:Span", "lintra.model:Related",
    "lintra.model:FileRecord", "lintra.vocabulary:Level", "lintra.filter.suppress:Suppression",
    "lintra.load.yamltree:YamlLocator", "lintra.load.jsontree:JsonLocator",
    "lintra.load.openshift:TemplateLocator", "lintra.load.vsphere.model:ModelLocator",
    "lintra.load.vsphere.model:Place",
    "lintra.load.kustomize.tree:TracedLocator", "lintra.load.kustomize.tree:Traced",
    "lintra.load.kustomize.tree:Origin", "lintra.load.kustomize.tree:Part",
    "lintra.load.kustomize.files:ShiftedLocator", "lintra.load.kustomize.build:_FileLocator",
    "lintra.load.helm.render:RenderedLocator", "lintra.load.helm.render:FileLocator",
    "lintra.load.helm.render:Lines", "lintra.load.helm.render:_Null", "lintra.load.helm.evaluate:Seg",
})
#: classes stored as the plain model object they stand for (``value.plain()``): a kept document
#: whose data waits as compressed marshal bytes (:class:`lintra.check.kept.Kept`) is stored with
#: its data as data, never as bytes anything would unmarshal; the run packs it again
_STORED_PLAIN = frozenset({"lintra.check.kept:Kept"})
#: slots that hold a per-process cache, not state: rebuilt empty (as their own pickling does)
_TRANSIENT: Dict[str, Dict[str, Callable[[], Any]]] = {
    "lintra.load.yamltree:YamlLocator": {"_indexes": dict},
    "lintra.load.jsontree:JsonLocator": {"_index": lambda: None, "_lines": list},
    "lintra.model:Source": {"_data": lambda: None},
}


_WRITES = itertools.count()


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
            if all(type(item) is int or type(item) is str for item in value):  # a position: (line, column, ...)
                return {_TAG: "t", "v": list(value)}
            return {_TAG: "t", "v": [encode(item) for item in value]}
        if kind is bytes:
            return {_TAG: "b", "v": base64.b64encode(value).decode("ascii")}
        if kind is frozenset or kind is set:
            return {_TAG: "s" if kind is set else "F", "v": [encode(item) for item in value]}
        if self.source is not None and value is self.source:
            return {_TAG: "S"}
        name = f"{kind.__module__}:{kind.__qualname__}"
        if name in _STORED_PLAIN:  # stored as the document it stands for, its data as data
            return self.encode(value.plain())
        if name not in ALLOWED:
            raise Uncacheable(name)
        if isinstance(value, enum.Enum):  # a finding's level: stored by member name
            return {_TAG: "e", "c": name, "v": value.name}
        if name == _YAML_LOCATOR:
            positions = _positions_text(value)
            if positions is not None:
                return {_TAG: "y", "v": positions}
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
        state = _state(value, name)
        if type(state) is tuple:  # a class's own state (a document's): its plain data may go whole
            state = {_TAG: "t", "v": [self.whole(item) for item in state]}
        else:
            state = encode(state)
        self.active.discard(id(value))
        number = len(self.ids)
        self.ids[id(value)] = (number, value)
        return {_TAG: "o", "c": name, "v": state, "n": number}


    def whole(self, value: Any) -> Any:
        """``value`` as one JSON text when it is plain JSON data that reads back equal (a
        document's data as the parser made it): written and read by json's C code, instead of
        walked value by value. Anything else (tuples, keys that are not strings, NaN, objects) is
        encoded by :meth:`encode`."""
        if type(value) is dict or type(value) is list:
            try:
                text = json.dumps(value, separators=(",", ":"), allow_nan=False)
            except (TypeError, ValueError, RecursionError):
                return self.encode(value)
            if json.loads(text) == value:
                return {_TAG: "j", "v": text}
        return self.encode(value)


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
    if tag == "j":
        value = json.loads(_string(item, "v"))
        if not isinstance(value, (dict, list)):
            raise BadEntry("plain data")
        return value
    if tag == "e":
        cls = _class(_string(item, "c"))
        if not issubclass(cls, enum.Enum):
            raise BadEntry("not an enumeration")
        return cls[_string(item, "v")]
    if tag == "y":
        return DeferredLocator(_YAML_LOCATOR, _string(item, "v"), None, positions=True)
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


_SLOTS: Dict[type, Tuple[str, ...]] = {}
_CUSTOM: Dict[type, bool] = {}


def _slots(cls: type) -> Tuple[str, ...]:
    known = _SLOTS.get(cls)
    if known is None:  # once per class: every span of every finding asks
        names: List[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            names.extend([slots] if isinstance(slots, str) else slots)
        known = _SLOTS[cls] = tuple(dict.fromkeys(names))
    return known


def _custom_state(cls: type) -> bool:
    known = _CUSTOM.get(cls)
    if known is None:
        known = _CUSTOM[cls] = any("__getstate__" in klass.__dict__ and "__setstate__" in klass.__dict__
                                   for klass in cls.__mro__ if klass is not object)
    return known


def _state(value: Any, name: str) -> Any:
    cls = type(value)
    if _custom_state(cls):  # the class says what its state is (Document leaves its memo out)
        return value.__getstate__()
    transient = _TRANSIENT.get(name, {})
    state = {}
    slots = _slots(cls)
    for slot in slots:
        if slot in transient or not hasattr(value, slot):
            continue
        state[slot] = getattr(value, slot)
    if not slots:
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

    __slots__ = ("_name", "_text", "_source", "_real", "_positions")

    def __init__(self, name: str, text: str, source: Optional[Source], positions: bool = False) -> None:
        self._name = name
        self._text = text
        self._source = source
        self._real: Optional[Locator] = None
        #: ``text`` is a YAML locator's positions (:func:`_positions_text`), not an encoded locator
        self._positions = positions

    def real(self) -> Locator:
        if self._real is None:
            try:
                real = _positions_locator(self._text) if self._positions else loads(self._text, self._source)
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


_YAML_LOCATOR = "lintra.load.yamltree:YamlLocator"
#: what a stored position holds: a scalar's span is four line and column numbers; a collection
#: is ``[tag, span, items]`` (a mapping's items ``[key, key span, position]``)
_SPAN_LENGTH = 4


def _positions_text(locator: Any) -> Optional[str]:
    """A YAML locator's positions as one JSON text, written by json's C encoder (the tuples of
    a position tree become lists; a :class:`DeferredLocator` reads them back), or None when they
    do not read back the same (a key json cannot hold as it is: a date, bytes, NaN; or a
    locator another class made)."""
    if type(getattr(locator, "_indexes", None)) is not dict:
        return None
    root = locator.root
    if isinstance(root, bytes):
        from lintra.load.yamltree import unpack_positions  # our own bytes, packed by this process a moment ago

        root = unpack_positions(root)
    if type(root) is not tuple:
        return None
    try:
        # check_circular off: a position tree is acyclic by construction (the builder refuses
        # recursive aliases), and its C walk is then a little cheaper
        return json.dumps(root, separators=(",", ":"), allow_nan=False, check_circular=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _positions(plain: Any, depth: int = 0) -> tuple:
    """The position tree a :func:`_positions_text` text parsed into (lists), as the tuples the
    YAML locator walks; :class:`BadEntry` for anything that text is not (a hostile entry places
    its findings at the file's start, never raises further on)."""
    if type(plain) is not list or depth > 10_000:
        raise BadEntry("positions")
    if len(plain) == _SPAN_LENGTH and all(type(number) is int for number in plain):
        return tuple(plain)
    if len(plain) != 3 or plain[0] not in ("seq", "map") or type(plain[2]) is not list:
        raise BadEntry("positions")
    tag, span, items = plain
    span = _positions(span, depth + 1)
    if len(span) != _SPAN_LENGTH:
        raise BadEntry("positions")
    deeper = depth + 1
    if tag == "seq":
        return (tag, span, [_positions(item, deeper) for item in items])
    located = []
    for pair in items:
        if not (type(pair) is list and len(pair) == 3 and type(pair[1]) is list and len(pair[1]) == _SPAN_LENGTH
                and all(type(number) is int for number in pair[1])):
            raise BadEntry("positions")
        key = pair[0]
        if type(key) is list:
            raise BadEntry("positions")  # the builder locates scalar keys only
        located.append((key, tuple(pair[1]), _positions(pair[2], deeper)))
    return (tag, span, located)


def _positions_locator(text: str) -> Locator:
    """The YAML locator whose positions :func:`_positions_text` wrote as ``text``: checked and
    rebuilt into tuples only now, when a span is first asked. Raises :class:`BadEntry`."""
    from lintra.load.yamltree import YamlLocator

    try:
        plain = json.loads(text)
    except (ValueError, RecursionError, MemoryError) as error:
        raise BadEntry(f"positions: {type(error).__name__}") from None
    try:
        return YamlLocator(_positions(plain))
    except RecursionError:
        raise BadEntry("positions nested too deeply") from None


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

    digests: Dict[str, Optional[str]] = {}
    parts: Dict[str, Any] = {
        "schema": SCHEMA,
        "code": _code_stamp(),
        "plugins": [[p.get("name"), p.get("version"), p.get("hooks")] for p in registry.plugins],
        "loaders": [[loader.name, list(loader.suffixes), loader.binary, loader.options] for loader in registry.loaders],
        "detectors": [detector.name for detector in registry.detectors],
        "resolvers": sorted(registry.resolvers),
        "rules": sorted([rule.id, rule.origin, list(rule.kinds), rule.needs is not None,
                         _origin_stamp(rule.origin, digests)] for rule in rules),
        "options": options or {},
        "limits": {name: getattr(limits, attribute) for name, attribute in sorted(limits.CONFIGURABLE.items())},
    }
    text = json.dumps(parts, sort_keys=True, default=_describe, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _describe(value: Any) -> Any:
    """Options that are objects (Helm's) by their attributes, and the files named in them
    (``*_files`` attributes) by their content."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    slots = _slots(type(value))
    state = {slot: getattr(value, slot, None) for slot in slots} if slots else getattr(value, "__dict__", None)
    if state is not None:
        # files an option names (``--helm-values``) decide what is built from them: by content
        state = dict(state, **{f"{name}:content": [cache.file_digest([path]) for path in paths]
                               for name, paths in state.items() if name.endswith("_files")
                               and isinstance(paths, list) and all(isinstance(p, str) for p in paths)})
    return {"type": type(value).__qualname__, "state": state if state is not None else repr(value)}


def _stat(path: str) -> List[int]:
    try:
        info = os.stat(path)
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]


def _origin_stamp(origin: str, digests: Dict[str, Optional[str]]) -> Optional[str]:
    """The content digest of the pack or plugin file a rule comes from: by content, not by stat,
    since ``cp -p``, ``rsync -t`` and restored CI workspaces change a file and keep its size and
    time, and a rule's conditions must never be answered from an entry of their old text."""
    path = origin.split(" (pack ", 1)[0] if origin else ""
    if not (path and os.path.sep in path):
        return None
    if not digests:  # the shipped packs are in :func:`_code_stamp` already: not read again
        from lintra.resources import policies_dir

        shipped = os.path.join(policies_dir(), "")
        digests.update((os.path.join(shipped, name), None) for name in os.listdir(shipped))
    if path not in digests:  # once per file and run, however many rules it holds
        digests[path] = cache.file_digest([path])
    return digests[path]


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


#: the subdirectories of the cache directory holding entries: context files' kept documents
#: (``map``) and whole map outcomes of the files a run checks (``scan``)
KINDS = ("map", "scan")


def root(kind: str = "map") -> Optional[str]:
    """The directory holding the entries of ``kind`` (:data:`KINDS`), or None when the cache is off."""
    where = cache.directory()
    return os.path.join(where, kind) if where else None


class MapCache:
    """The entries of one run configuration (:func:`run_key`)."""

    __slots__ = ("key", "where", "hits", "misses", "written")

    def __init__(self, key: str, where: str) -> None:
        self.key = key
        self.where = where
        self.hits = self.misses = self.written = 0

    @classmethod
    def open(cls, registry: Any, rules: Sequence[Any], options: Optional[Dict[str, Any]],
             kind: str = "map") -> Optional["MapCache"]:
        where = root(kind)
        if where is None:
            return None
        return cls(run_key(registry, rules, options), where)

    def entry_key(self, source: Source, content: bytes, surroundings: str = "") -> str:
        import hashlib

        digest = hashlib.sha256(content).hexdigest()
        name = source.name.encode("utf-8", "surrogateescape")
        parts = [self.key.encode("ascii"), name, digest.encode("ascii")]
        if surroundings:
            parts.append(surroundings.encode("utf-8", "surrogateescape"))
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

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
        entry = self._get(key, source)
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

    def _get(self, key: str, source: Source) -> Any:
        """Entry ``key`` decoded, or None when there is none or it does not decode."""
        text = self._text(key)
        return None if text is None else _decoded(text, source)

    def _text(self, key: str) -> Optional[str]:
        """The text of entry ``key``, or None when there is none or it is not text of a size
        lintra writes. An entry in use has its time refreshed (at most once per
        :data:`TOUCH_AFTER`), which is what :func:`bound` evicts by."""
        from lintra.load import limits

        most = ENTRY_TO_FILE_RATIO * limits.MAX_FILE_BYTES
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(most + 1)
                stale = _now() - os.fstat(handle.fileno()).st_mtime > TOUCH_AFTER
        except OSError:
            return None
        if len(raw) > most:
            return None
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            return None
        if stale:
            try:
                os.utime(path)
            except OSError:
                pass
        return text

    # -- whole map outcomes of the files a run checks (the ``scan`` entries) -----------------------

    def outcome(self, source: Source, map_file: Callable[[Source], Any], restore: Callable[[Any], Any],
                loaders: Sequence[Any], raw: bool = False) -> Any:
        """What the map step gives for the checked file ``source``: from its entry, else
        ``map_file(source)``, stored when the file's loader reads it alone (``Loader.cache_key``).
        An entry holds the map outcome's state (``outcome.__getstate__()``: its file record,
        located findings, suppressions and what it kept for the reduce), all of it through
        :func:`to_data`; ``restore(state)`` makes an outcome of it again (or raises ``ValueError``
        / ``TypeError`` for a state that is not one).

        With ``raw`` (in a ``--jobs`` worker), an entry found is given back as its text
        (:class:`Stored`), for the run to decode with :meth:`stored`: a worker reads and hashes,
        and the entry crosses to the run as one string, not as decoded objects pickled again."""
        from lintra.load import limits, pick_loader

        loader = pick_loader(source, loaders) if source.path is not None and not source.skip else None
        describe = getattr(loader, "cache_key", None)
        if describe is None:
            return map_file(source)
        try:
            if os.stat(source.path).st_size > limits.MAX_FILE_BYTES:
                return map_file(source)
            content = source.read_bytes(limits.MAX_FILE_BYTES)
            # a nested template (named by another) is told apart: Heat reads its parameters otherwise
            surroundings = describe(source) + ("\0nested" if source.referenced_by else "")
        except (OSError, ValueError):
            return map_file(source)  # the load reports why
        key = self.entry_key(source, content, surroundings)
        text = self._text(key)
        if text is not None:
            if raw:
                source.forget()
                return Stored(key, text)
            found = _outcome_of(_decoded(text, source), key, source, restore)
            if found is not None:
                self.hits += 1
                source.forget()
                return found
        return self._mapped(key, source, map_file)

    def stored(self, found: "Stored", source: Source, map_file: Callable[[Source], Any],
               restore: Callable[[Any], Any], loaders: Sequence[Any] = ()) -> Any:
        """The outcome a worker found stored (``outcome(..., raw=True)``), decoded here; a
        damaged entry is mapped here and rewritten, keyed by the content read here (the file
        may have changed since the worker hashed it)."""
        outcome = _outcome_of(_decoded(found.text, source), found.key, source, restore)
        if outcome is None:
            return self.outcome(source, map_file, restore, loaders)
        self.hits += 1
        return outcome

    def _mapped(self, key: str, source: Source, map_file: Callable[[Source], Any]) -> Any:
        self.misses += 1
        outcome = map_file(source)
        if not outcome.also and not outcome.observed:  # nothing read from other files, nothing observed
            try:
                text = json.dumps({"schema": SCHEMA, "key": key, "file": source.name,
                                   "outcome": to_data(outcome.__getstate__(), source)},
                                  separators=(",", ":"), allow_nan=False)
            except (Uncacheable, ValueError, TypeError, RecursionError):
                return outcome  # a plugin's object, a date in a finding's value: mapped each time
            self._put(key, text)
        return outcome

    def _write(self, key: str, source: Source, documents: Sequence[Document], depends: dict) -> None:
        try:
            text = json.dumps({"schema": SCHEMA, "key": key, "file": source.name, "depends": depends,
                               "documents": to_data(list(documents), source)},
                              separators=(",", ":"), allow_nan=False)
        except (Uncacheable, ValueError, TypeError, RecursionError):
            return  # a plugin's object: this file is read each time
        self._put(key, text)

    def _put(self, key: str, text: str) -> None:
        """Store ``text`` as entry ``key``: written beside it, then renamed into place."""
        path = self._path(key)
        directory = os.path.dirname(path)
        # a name no other process or write uses (the pid, then this process's count), opened
        # exclusively: what tempfile.mkstemp does, without its random names (a third of a cold
        # run's cost of writing entries)
        temporary = os.path.join(directory, f".tmp-{os.getpid()}_{next(_WRITES)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            try:
                handle = os.open(temporary, flags, 0o600)
            except FileNotFoundError:  # the shard's first entry (or the cache was cleared meanwhile)
                os.makedirs(directory, exist_ok=True)
                handle = os.open(temporary, flags, 0o600)
        except OSError:
            return  # a cache that cannot be written costs only the time it would have saved
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("ascii"))
            os.replace(temporary, path)  # readers see the whole entry or none
            self.written += 1
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass


class Stored:
    """An entry's text, as a ``--jobs`` worker found it for one file (:meth:`MapCache.outcome`)."""

    __slots__ = ("key", "text")

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        self.text = text

    def __getstate__(self):
        return (self.key, self.text)

    def __setstate__(self, state) -> None:
        self.key, self.text = state


def _decoded(text: str, source: Source) -> Any:
    try:
        return loads(text, source)
    except (BadEntry, RecursionError, MemoryError):
        return None


def _outcome_of(entry: Any, key: str, source: Source, restore: Callable[[Any], Any]) -> Any:
    """The outcome entry ``entry`` holds for ``source``, or None when it is not one lintra wrote
    for this file: every value a later stage reads is checked for its type here, so a damaged or
    hostile entry is a miss, never a traceback further on."""
    from lintra.filter.suppress import Suppression
    from lintra.model import FileRecord, Finding, Level, Span

    if not (isinstance(entry, dict) and entry.get("schema") == SCHEMA and entry.get("key") == key
            and entry.get("file") == source.name):
        return None
    state = entry.get("outcome")
    if not (isinstance(state, tuple) and len(state) == 9):
        return None
    record, unreadable, findings, text_suppressions, document_suppressions, kept, also, observed, settled = state
    if not (isinstance(record, FileRecord) and record.file == source.name and type(unreadable) is bool
            and record.status in ("scanned", "skipped", "error")
            and isinstance(findings, list) and also == [] and observed == []):
        return None
    slots = set(Finding.__slots__) - {"rule"}
    for item in findings:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
                and isinstance(item[1], dict) and set(item[1]) <= slots):
            return None
        found = item[1]
        span = found.get("span")
        if not (isinstance(span, Span) and all(type(getattr(span, name, None)) is int
                                               for name in ("line", "column", "end_line", "end_column"))
                and found.get("file") == source.name  # a finding of this file, never one planted in another
                and isinstance(found.get("message"), str) and isinstance(found.get("level"), Level)
                and isinstance(found.get("pointer"), tuple) and isinstance(found.get("related"), tuple)):
            return None
    for suppressions in (text_suppressions, document_suppressions):
        if not (isinstance(suppressions, list) and all(isinstance(s, Suppression) for s in suppressions)):
            return None
    if not (isinstance(kept, list) and all(
            isinstance(doc, Document) and doc.source is source and isinstance(doc.kind, str)
            and isinstance(doc.index, int) and isinstance(doc.base, tuple) and isinstance(doc.locator, Locator)
            for doc in kept)):
        return None
    if not _settled_entries(settled, len(kept), len(findings)):
        return None
    try:
        return restore(state)
    except (ValueError, TypeError):
        return None


def _settled_entries(settled: Any, kept: int, findings: int) -> bool:
    """Whether ``settled`` is what an outcome says the map settled (``Outcome.settled``) for an
    outcome of ``kept`` documents and ``findings`` findings."""
    if not isinstance(settled, list):
        return False
    counted = 0
    for entry in settled:
        if not (isinstance(entry, tuple) and len(entry) == 6):
            return False
        position, keep, kind, left, count, links = entry
        if not (links is None or (isinstance(links, tuple) and all(isinstance(path, str) for path in links))):
            return False
        if not (type(position) is int and type(keep) is bool and isinstance(kind, str)
                and isinstance(left, tuple) and all(isinstance(rule, str) for rule in left)
                and type(count) is int and count >= 0 and 0 <= position <= kept and (position < kept or not keep)):
            return False
        counted += count
    return counted <= findings


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
#: ``.{pid}.tmp``; under ``map/`` and ``scan/``: ``xx/<sha256>`` entries and their ``.tmp-*``
#: files, and ``scan/.bounded`` (when a run last bounded the cache).
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
    for kind in KINDS:
        mine = os.path.join(where, kind)
        try:
            shards = os.listdir(mine) if not os.path.islink(mine) else []
        except OSError:
            shards = []
        for shard in shards:
            directory = os.path.join(mine, shard)
            if shard == _BOUNDED and os.path.isfile(directory) and not os.path.islink(directory):
                found.append(directory)
            if not re.fullmatch(r"[0-9a-f]{2}", shard) or os.path.islink(directory) or not os.path.isdir(directory):
                continue
            try:
                found.extend(os.path.join(directory, name) for name in os.listdir(directory)
                             if entry.fullmatch(name) and os.path.isfile(os.path.join(directory, name)))
            except OSError:
                pass
    return found


# -- the bound -----------------------------------------------------------------------------------

#: the entries of both kinds together are kept under this many bytes (``LINTRA_CACHE_MAX_MB``
#: sets another bound in MiB): beyond it, the entries no run has read for longest are removed
DEFAULT_BOUND = 512 * 1024 * 1024
#: what is left after an eviction, as a share of the bound (so that not every run evicts)
EVICT_TO = 0.75
#: an entry read back has its time refreshed when older than this many seconds: the time of an
#: entry is when a run last wrote or used it, within this much
TOUCH_AFTER = 3600
#: a run looks at the cache's size at most this often (seconds; the time of ``scan/.bounded``)
BOUND_EVERY = 600
#: a temporary file older than this many seconds is a write that died half-way
STALE_TEMPORARY = 3600
_BOUNDED = ".bounded"


def _now() -> float:
    import time

    return time.time()


def max_bytes() -> int:
    """The bound in effect: ``LINTRA_CACHE_MAX_MB`` (MiB) when set to a number, else
    :data:`DEFAULT_BOUND`."""
    text = os.environ.get("LINTRA_CACHE_MAX_MB", "").strip()
    try:
        return max(0, int(float(text) * 1024 * 1024)) if text else DEFAULT_BOUND
    except (ValueError, OverflowError):  # "abc", "nan"; "inf" and "1e400" overflow the int
        return DEFAULT_BOUND


def settle() -> int:
    """At the end of a run that used the cache: :func:`bound` it, unless a run did so within the
    last :data:`BOUND_EVERY` seconds (one ``stat`` decides). The number of files removed."""
    where = cache.directory()
    if where is None:
        return 0
    stamp = os.path.join(where, "scan", _BOUNDED)
    try:
        if _now() - os.stat(stamp).st_mtime < BOUND_EVERY:
            return 0
    except OSError:
        pass
    try:
        os.makedirs(os.path.dirname(stamp), exist_ok=True)
        with open(stamp, "w"):
            pass
    except OSError:
        return 0  # a cache that cannot be written does not grow either
    return bound(max_bytes())


def bound(most: int) -> int:
    """Remove entries, least recently used first (by their time: see :data:`TOUCH_AFTER`), until
    the entries take at most ``EVICT_TO * most`` bytes, when they take more than ``most``; and any
    temporary file a write left behind. The number of files removed. Another run may be reading
    or writing meanwhile: an entry removed under it is a miss, a rename into place still lands."""
    import re

    where = cache.directory()
    if where is None:
        return 0
    entry = re.compile(r"[0-9a-f]{64}")
    found: List[Tuple[float, int, str]] = []
    removed = 0
    now = _now()
    for kind in KINDS:
        mine = os.path.join(where, kind)
        try:
            shards = [item for item in os.scandir(mine) if not os.path.islink(mine)]
        except OSError:
            continue
        for shard in shards:
            if not (re.fullmatch(r"[0-9a-f]{2}", shard.name) and shard.is_dir(follow_symlinks=False)):
                continue
            try:
                items = list(os.scandir(shard.path))
            except OSError:
                continue
            for item in items:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                    found.append((info.st_mtime, info.st_size, item.path))
                elif item.name.startswith(".tmp-") and now - info.st_mtime > STALE_TEMPORARY:
                    try:
                        os.unlink(item.path)
                        removed += 1
                    except OSError:
                        pass
    total = sum(size for _, size, _ in found)
    if total <= most:
        return removed
    found.sort()
    for _, size, path in found:
        if total <= EVICT_TO * most:
            break
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass
        total -= size
    return removed


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
    for kind in KINDS:
        mine = os.path.join(where, kind)
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
