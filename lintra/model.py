"""Value objects that flow through the pipeline: discover -> load -> check -> filter -> report.

They carry ``__slots__`` because a scan of a large repository creates many of them, and because a
fixed shape is the contract plugins rely on.
"""

from __future__ import annotations

import sys

# the vocabulary rules and findings are written in, re-exported as part of the model
from lintra.vocabulary import CATEGORIES, RESERVED_VENDOR, STRENGTHS, VENDORS, Level  # noqa: F401

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Optional, Sequence, Tuple, TypeAlias, Union

Pointer: TypeAlias = "Tuple[Union[str, int], ...]"

#: what a value of each rule parameter type is (``Rule.params``)
PARAM_TYPES: "dict[str, Callable[[Any], bool]]" = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "strings": lambda v: isinstance(v, list) and all(isinstance(item, str) for item in v),
    # a table a rule extends: name -> the vendor it belongs to (a known vendor name)
    "vendor_map": lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and isinstance(x, str) and x in VENDORS for k, x in v.items()),
    # a table of names and what each stands for (a class name -> the controller installing it)
    "string_map": lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()),
}

class Span:
    """A region of a file: 1-based line and column; ``end_column`` is one past the last character."""

    __slots__ = ("line", "column", "end_line", "end_column", "region", "file", "condition", "via",
                 "rendered")

    def __init__(self, line: int, column: int, end_line: Optional[int] = None,
                 end_column: Optional[int] = None, region: Optional[str] = None,
                 file: Optional[str] = None) -> None:
        self.line = line
        self.column = column
        self.end_line = line if end_line is None else end_line
        self.end_column = column if end_column is None else end_column
        #: a human name for the place where lines mean little (``vInfo!C12`` in a spreadsheet)
        self.region = region
        #: the file this region lies in when it is not the document's own file: a document built
        #: from several files (a rendered Helm template whose value comes from values.yaml, a
        #: Kustomize overlay's patch) locates each part in the file a user edits
        self.file = file
        #: the template condition that must hold for this region to be rendered (a Helm branch the
        #: values in effect switch off); findings here are conditional
        self.condition: Optional[str] = None
        #: ``(file, Span)`` of the template action that printed a value written here (values.yaml)
        self.via: Optional[tuple] = None
        #: the region was located through rendered template output (a template may be rendered
        #: more than once, exploring branches, so the same finding can come more than once)
        self.rendered = False

    def __repr__(self) -> str:
        return f"Span({self.line}:{self.column}-{self.end_line}:{self.end_column})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and (self.line, self.column, self.end_line, self.end_column) == (
            other.line, other.column, other.end_line, other.end_column)


#: ``Hit.at`` for the value of a ``--flag=VALUE`` command-line item (see :class:`Locator`)
FLAG_VALUE = "flag-value"


class Locator:
    """Maps a pointer into a document to the span of the source text it came from.

    Loaders subclass this; rules never see it. ``at`` is ``"key"`` for the mapping key that holds the
    value, ``"value"`` for the value itself, or ``None`` to let the locator choose (the key when the
    value is a mapping or a list, so a finding lands on ``vsphereVolume:`` rather than on the
    indented block below it). ``"flag-value"`` is the value of a ``--flag=VALUE`` command-line
    item: a locator that knows no better places it as ``"value"`` (the whole item), a Helm
    rendering at the values line that printed the part after ``=`` when a value printed it.
    """

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:  # pragma: no cover - interface
        raise NotImplementedError


class Source:
    """One input: a file on disk, or standard input under a display name. ``referenced_by`` names
    the file that referenced it (a Heat nested template) when the user did not name it."""

    __slots__ = ("name", "path", "_data", "skip", "referenced_by")

    def __init__(self, name: str, path: Optional[str] = None, data: Optional[bytes] = None,
                 skip: Optional[str] = None, referenced_by: Optional[str] = None) -> None:
        self.name = name
        self.path = path
        self._data = data
        #: why discovery found this entry but it must not be read (a link leaving the tree ...)
        self.skip = skip
        self.referenced_by = referenced_by

    def forget(self) -> None:
        """Drop the bytes read from disk (they are read again if asked for)."""
        if self.path is not None:
            self._data = None

    def read_bytes(self, limit: Optional[int] = None, prefix: bool = False) -> bytes:
        """The content, read once; only a regular file is read, and at most ``limit`` bytes
        (:func:`lintra.filesystem.read_regular` raises ``OSError`` subclasses otherwise, or, with
        ``prefix``, gives a larger file's first ``limit`` bytes)."""
        if self._data is None:
            from lintra.filesystem import read_regular

            self._data = read_regular(self.path, (1 << 62) if limit is None else limit,  # type: ignore[arg-type]
                                      prefix)
        return self._data

    def __repr__(self) -> str:
        return f"Source({self.name!r})"


class Document:
    """One infrastructure object as rules see it: plain Python data plus where it came from.

    ``kind`` is what a detector recognised (``heat``, ``cfn``, ``heat-env``, ``k8s`` ...). ``base`` is
    the pointer of this object inside the parsed file document (``("items", 3)`` for the fourth item
    of a Kubernetes ``List``), so spans resolve in the original text.
    """

    __slots__ = ("source", "index", "kind", "data", "base", "locator")

    def __init__(self, source: Source, index: int, kind: str, data: Any, locator: Locator,
                 base: Pointer = ()) -> None:
        self.source = source
        self.index = index
        self.kind = kind
        self.data = data
        self.locator = locator
        self.base = base

    def __getstate__(self):  # a tuple, not a dict of slot names: smaller from a worker
        return (self.source, self.index, self.kind, self.data, self.base, self.locator)

    def __setstate__(self, state) -> None:
        self.source, self.index, self.kind, self.data, self.base, self.locator = state

    def get(self, pointer: Pointer, default: Any = None) -> Any:
        """The value at ``pointer`` (relative to this document), or ``default``."""
        node = self.data
        for part in pointer:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        return self.locator.span(self.base + tuple(pointer), at)

    @property
    def name(self) -> Optional[str]:
        """``metadata.name`` for Kubernetes objects; None where the format has no object name."""
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        name = meta.get("name") if isinstance(meta, dict) else None
        return name if isinstance(name, str) else None

    def __repr__(self) -> str:
        return f"Document({self.source.name!r}#{self.index} {self.kind})"


class Rule:
    """A coupling pattern: metadata every report needs, plus ``check(document, scan)`` yielding hits."""

    __slots__ = ("id", "name", "title", "vendor", "category", "strength", "severity", "kinds",
                 "rationale", "remediation", "references", "check", "origin", "examples", "service",
                 "effort", "needs", "vendors", "services", "params", "effort_reason", "known_problems",
                 "reads", "finds_under")

    def __init__(self, id: str, name: str, title: str, vendor: str, category: str, strength: str,
                 severity: Union[str, Level], kinds: Sequence[str], rationale: str, remediation: str,
                 check: Callable[["Document", Any], Iterable["Hit"]], references: Sequence[str] = (),
                 origin: str = "", examples: Optional[dict] = None, service: str = "",
                 effort: Optional[int] = None, needs: Optional[Callable[["Document"], bool]] = None,
                 vendors: Sequence[str] = (), services: Sequence[str] = (),
                 params: Optional[dict] = None, effort_reason: str = "", known_problems: str = "",
                 finds_under: Optional[Sequence[Any]] = None) -> None:
        if vendor not in VENDORS and vendor != RESERVED_VENDOR:
            raise ValueError(f"rule {id}: unknown vendor {vendor!r}; known: {', '.join(VENDORS)}")
        if category not in CATEGORIES and vendor != RESERVED_VENDOR:
            raise ValueError(f"rule {id}: unknown category {category!r}; known: {', '.join(CATEGORIES)}")
        if strength not in STRENGTHS and vendor != RESERVED_VENDOR:
            raise ValueError(f"rule {id}: unknown coupling strength {strength!r}; known: {', '.join(STRENGTHS)}")
        self.id = id
        self.name = name
        self.title = title
        self.vendor = vendor
        self.category = category
        self.strength = strength
        self.severity = Level.parse(severity)
        self.kinds = tuple(kinds)
        self.rationale = rationale
        self.remediation = remediation
        self.references = tuple(references)
        self.check = check
        #: where the rule was defined: a Python module or a policy pack file
        self.origin = origin
        #: ``{"fail": [...], "pass": [...]}`` snippets that prove the rule (policy packs)
        self.examples = examples or {}
        #: the proprietary service a finding of this rule depends on ("AWS Load Balancer
        #: Controller"), for the audit's inventory; a hit may name its own
        self.service = service
        #: relative migration effort of moving off what the rule finds (see the pack schema's
        #: scale); None where the rule does not say
        self.effort = effort
        #: None for a per-document rule: it sees one document and the others of its own file
        #: (``scan``), and runs while the file is loaded. A cross-object rule (a claim and the
        #: StorageClass it names in another file) gives ``needs(document)``: whether the rule may
        #: report on ``document`` or read it through ``scan``. It runs once every file is loaded,
        #: on the documents some cross-object rule needs; the others are not kept that long.
        self.needs = needs
        #: For a cross-object rule: ``kind -> paths`` of what it reads of the documents of that
        #: kind it is given or finds through ``scan`` (a path is a tuple of keys, ``"*"`` any key;
        #: a kind not named, or None, is read whole). The map step keeps only those parts of a
        #: document for the reduce when every rule that needs it says so.
        self.reads: Optional[Dict[str, Tuple[Tuple[str, ...], ...]]] = None
        #: None, or where in a document every finding of the rule lies: key paths from the root
        #: (tuples of keys: ``("metadata", "annotations")``) or parts of an object the domain
        #: finds (``"@pods"``, ``"@nodekeys"``: :data:`lintra.domain.kubernetes.PARTS`). The check
        #: stage gives the rule only documents that have one of them, unless a resolver may
        #: stand a value in for a missing one (see :mod:`lintra.policy.resolvers`).
        self.finds_under: Optional[Tuple[Any, ...]] = tuple(finds_under) if finds_under is not None else None
        #: what moving off the finding involves, the reasoning behind ``effort``
        self.effort_reason = effort_reason
        #: what the rule is known to miss or to place only approximately (the docs' Known problems)
        self.known_problems = known_problems
        for name in vendors:
            if name not in VENDORS:
                raise ValueError(f"rule {id}: unknown vendor {name!r} in vendors; known: {', '.join(VENDORS)}")
        #: every vendor a finding of this rule may name (its matches' or hits' vendors); a
        #: finding's vendor is always one of them
        self.vendors = tuple(dict.fromkeys(vendors)) if vendors else (vendor,)
        #: every service a finding may name, the rule's own first
        self.services = tuple(dict.fromkeys(s for s in (service, *services) if s))
        #: ``name -> {"type", "default", "description"}``: what ``.lintra.yaml`` may set under
        #: ``rules: {ID: {params: ...}}``; the check reads the effective values from the scan
        self.params = dict(params or {})
        for name, spec in self.params.items():
            check = PARAM_TYPES.get(spec.get("type"))
            if check is None:
                raise ValueError(f"rule {id}: parameter {name}: unknown type {spec.get('type')!r}; "
                                 f"known: {', '.join(PARAM_TYPES)}")
            if not check(spec.get("default")):
                raise ValueError(f"rule {id}: parameter {name}: default {spec.get('default')!r} "
                                 f"is not of type {spec['type']}")

    def __repr__(self) -> str:
        return f"Rule({self.id} {self.name})"


class Related:
    """Another place a finding depends on ("coupled through StorageClass fast at sc.yaml:4")."""

    __slots__ = ("message", "file", "span")

    def __init__(self, message: str, file: str, span: Span) -> None:
        self.message = message
        self.file = span.file or file
        self.span = span


class Hit:
    """What a rule's check yields: where (a pointer) and why (a message).

    ``document`` names another document when the coupled value is written elsewhere (a parameter
    default in an environment file); ``related`` lists further places worth showing; ``vendor``
    overrides the rule's vendor for rules that attribute each hit (an unknown plugin type).
    """

    __slots__ = ("pointer", "message", "at", "document", "related", "vendor", "service", "effort")

    def __init__(self, pointer: Pointer, message: str, at: Optional[str] = None,
                 document: Optional[Document] = None, related: Sequence[Related] = (),
                 vendor: Optional[str] = None, service: Optional[str] = None,
                 effort: Optional[int] = None) -> None:
        self.pointer = tuple(pointer)
        self.message = message
        self.at = at
        self.document = document
        self.related = tuple(related)
        self.vendor = vendor
        #: overrides the rule's service for rules whose matches belong to different services
        self.service = service
        #: overrides the rule's effort for a match that is cheaper or dearer to move off
        self.effort = effort


class Finding:
    """A located, judged result. ``level`` starts as the rule's severity; the filter stage adjusts it."""

    # ``anchor`` and ``identity_parts`` are properties over ``_anchor``, ``_identity``, ``_object``
    # and ``_normalised`` (see :meth:`derived`): a run holds every finding until its report, and
    # those strings were half of a finding's memory
    __slots__ = ("rule", "level", "message", "file", "span", "document", "pointer", "value",
                 "suppressed", "suppression", "related", "kind", "vendor", "sanctioned", "_anchor",
                 "service", "_identity", "_object", "_normalised", "path_key", "ordinal", "conditional",
                 "effort", "built")

    def __init__(self, rule: Rule, message: str, file: str, span: Span, document: Optional[int] = None,
                 pointer: Pointer = (), value: Any = None, related: Sequence[Related] = (),
                 kind: Optional[str] = None, vendor: Optional[str] = None,
                 service: Optional[str] = None, effort: Optional[int] = None) -> None:
        self.rule = rule
        self.vendor = vendor or rule.vendor
        self.service = service or rule.service
        self.effort = rule.effort if effort is None else effort
        self.level = rule.severity
        self.message = message
        self.file = file
        self.span = span
        self.document = document
        self.pointer = tuple(pointer)
        self.value = value
        self.suppressed = False
        self.suppression: Optional[str] = None
        #: coupling to a vendor the configuration accepts (``sanctioned_vendors``): reported as info
        self.sanctioned = False
        self._anchor: Optional[str] = None
        self._object: Optional[Tuple[str, Optional[str], int]] = None
        self._normalised: Optional[str] = None
        self.related = tuple(related)
        self.kind = kind
        self._identity: Optional[Tuple[str, str, str]] = (f"#{document or 0}", self.json_pointer, "")
        #: the file relative to its repository root, whatever the working directory
        self.path_key: Optional[str] = None
        #: which occurrence of the same identity within one object (0, 1, ...)
        self.ordinal = 0
        #: found on a document built from other files (a Kustomize overlay's object): the run
        #: reports each such place once (:mod:`lintra.filter.duplicates`)
        self.built = False
        #: the condition under which the coupling is rendered, when the values in effect switch
        #: it off (a Helm branch): reported as info at most, never failing
        self.conditional: Optional[str] = None

    @property
    def json_pointer(self) -> str:
        return _json_pointer(self.pointer)

    def derived(self, object_parts: Tuple[str, Optional[str], int], normalised: Optional[str]) -> None:
        """Make :attr:`identity_parts` and :attr:`anchor` follow from what the finding holds:
        ``object_parts`` is ``(object identity, object name or None, length of the document's
        base pointer)``, one tuple shared by the findings of a document; ``normalised`` the
        normalised pointer inside the object, None where it is the pointer itself (no list
        index in it). The offending value is :attr:`value`'s."""
        self._object = object_parts
        self._normalised = normalised
        self._identity = None
        self._anchor = _DERIVED

    @property
    def anchor(self) -> Optional[str]:
        """The object by name and the pointer inside it (``v1/Service/ns/web#/spec/type``) where
        the format names its objects; baselines prefer it to the document's position in the file."""
        anchor = self._anchor
        if anchor is True:  # _DERIVED
            name, base = self._object[1], self._object[2]  # type: ignore[index]
            return None if name is None else name + "#" + _json_pointer(self.pointer[base:])
        return anchor

    @anchor.setter
    def anchor(self, value: Optional[str]) -> None:
        self._anchor = value

    @property
    def identity_parts(self) -> Tuple[str, str, str]:
        """(object, normalised pointer, offending value): see :mod:`lintra.check.identity`."""
        parts = self._identity
        if parts is None:
            where, base = self._object[0], self._object[2]  # type: ignore[index]
            inside = self.pointer[base:]
            normalised = self._normalised
            return (where, _json_pointer(inside) if normalised is None else normalised,
                    offending(self.value, inside))
        return parts

    @property
    def identity_object(self) -> str:
        """``identity_parts[0]``, the object, without making the other parts."""
        parts = self._identity
        return self._object[0] if parts is None else parts[0]  # type: ignore[index]

    @identity_parts.setter
    def identity_parts(self, value: Tuple[str, str, str]) -> None:
        self._identity = tuple(value)  # type: ignore[assignment]

    @property
    def fingerprint(self) -> str:
        """The one fingerprint baselines, SARIF and GitLab share: the repository-relative path and
        :attr:`identity`; no lines, no working directory, no way the path was typed."""
        return _digest(self.path_key or self.file.replace("\\", "/"), self.identity)

    @property
    def identity(self) -> str:
        """What was found, wherever the file lives: the rule, the object, the normalised pointer
        inside it, the offending scalar or key name, and the occurrence ordinal."""
        return _digest(self.rule.id, *self.identity_parts, str(self.ordinal))

    @property
    def legacy_identity(self) -> str:
        """The identity version-1 baselines stored (the whole subtree's value, raw pointer)."""
        import json

        try:
            value = json.dumps(self.value, sort_keys=True, default=str)
        except (TypeError, ValueError):
            value = repr(self.value)
        where = self.anchor or f"{self.document or 0}{self.json_pointer}"
        return _digest(self.rule.id, where, value)

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule.id)

    def __repr__(self) -> str:
        return f"Finding({self.rule.id} {self.file}:{self.span.line}:{self.span.column})"


#: marks an anchor that follows from the finding (:meth:`Finding.derived`); an anchor is a string
#: or None, and a bool keeps a finding's state plain data (pickled from a worker, in the map cache)
_DERIVED = True


def _json_pointer(pointer: Pointer) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def offending(value: Any, pointer: Pointer) -> str:
    """What a finding's identity names as the offending value: the scalar itself; for a mapping
    or a list, the key name that holds it (``pointer`` is inside the object)."""
    if isinstance(value, (dict, list)):
        return "key:" + (str(pointer[-1]) if pointer else "")
    import json

    if value.__class__ is str:  # what json.dumps gives a string, without making an encoder
        return json.encoder.encode_basestring_ascii(value)
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _digest(*parts: str) -> str:
    import hashlib  # only reports that print fingerprints pay for importing it

    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class FileRecord:
    """What happened to one input: ``scanned``, ``skipped`` (with a reason) or ``error``."""

    __slots__ = ("file", "status", "kinds", "reason", "documents", "notes")

    def __init__(self, file: str, status: str, kinds: Sequence[str] = (), reason: Optional[str] = None,
                 documents: int = 0, notes: Sequence[str] = ()) -> None:
        self.file = file
        self.status = status
        self.kinds = _shared_kinds(kinds)
        self.reason = reason
        self.documents = documents
        #: what a reader could not resolve in this input (a Helm construct that is unknown at lint
        #: time, a dependency that is not vendored); the findings it could make are still made
        self.notes = tuple(notes)

    def __getstate__(self):  # a tuple, not a dict of slot names: smaller from a worker
        return (self.file, self.status, self.kinds, self.reason, self.documents, self.notes)

    def __setstate__(self, state) -> None:
        self.file, status, kinds, self.reason, self.documents, self.notes = state
        self.status = sys.intern(status) if type(status) is str else status  # not one copy a batch
        self.kinds = _shared_kinds(kinds)


#: one tuple of kinds per combination (a run holds a record per file, and they repeat a few:
#: ``("k8s",)``, ``("heat",)``, ``()``), at most this many combinations
_KINDS_SHARED = 256
_kinds: Dict[Tuple[str, ...], Tuple[str, ...]] = {}


def _shared_kinds(kinds: Iterable[str]) -> Tuple[str, ...]:
    kinds = tuple(kinds)
    shared = _kinds.get(kinds)
    if shared is None:
        if len(_kinds) >= _KINDS_SHARED or not all(type(kind) is str for kind in kinds):
            return kinds
        shared = _kinds[kinds] = tuple(sys.intern(kind) for kind in kinds)
    return shared

