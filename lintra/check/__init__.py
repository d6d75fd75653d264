"""Check stage: run every applicable rule on every document and locate what they find.

A per-document rule runs while its file is loaded, and its :class:`Scan` holds the documents
loaded together with its own: those of the same parsed YAML document (a ``List``'s items), or a
file's when it is read whole (a Helm chart, a Kustomize root). A cross-object rule (:attr:`lintra.Rule.needs`) runs once every file is loaded, and its
:class:`Scan` holds every document some cross-object rule needs, so it can reason across objects
(a claim and the StorageClass it names, a template and the environment that maps its types).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from lintra.check import identity
from lintra.check.reserved import INTERNAL_ERROR
from lintra.domain import kubernetes
from lintra.model import Document, Finding, Hit, Related, Rule

MISSING = object()


class Scan:
    """What a rule can see beyond its own document: every document of the run, and a memo for
    indexes built once per run (``scan.memo("k8s.storageclasses", build)``)."""

    __slots__ = ("documents", "options", "resolvers", "_by_kind", "_memo")

    def __init__(self, documents: Sequence[Document], options: Optional[Dict[str, Any]] = None,
                 resolvers: Optional[Mapping[str, Any]] = None) -> None:
        self.documents = documents
        #: run options plugins may read (``heat_env`` files given with ``-e`` ...)
        self.options = options or {}
        #: document kind -> the :class:`lintra.Resolver` plugins registered for it (policy packs use them)
        self.resolvers = resolvers or {}
        self._by_kind: Dict[str, List[Document]] = defaultdict(list)
        for doc in documents:
            self._by_kind[doc.kind].append(doc)
        self._memo: Dict[str, Any] = {}

    def of_kind(self, *kinds: str) -> Iterator[Document]:
        for kind in kinds:
            yield from self._by_kind.get(kind, ())

    def memo(self, key: str, build: Callable[["Scan"], Any]) -> Any:
        value = self._memo.get(key, MISSING)
        if value is MISSING:
            value = self._memo[key] = build(self)
        return value


def run_rules(documents: Sequence[Document], rules: Iterable[Rule], scan: Scan,
              wants: Optional[Callable[[Rule, Document], bool]] = None) -> List[Finding]:
    """Every rule on every document of a kind it declares (``wants(rule, document)``, when given,
    narrows that further), in document order; the findings located. A rule is not called on a
    document that has none of the parts it finds under (:attr:`lintra.Rule.finds_under`)."""
    dispatch = Dispatch.of(rules)
    resolved = getattr(scan, "resolvers", None) or {}
    findings: List[Finding] = []
    for doc in documents:
        # found on an object built from other files (a Kustomize overlay's): the run merges what
        # several builds find at one place (lintra.filter.duplicates)
        built = getattr(doc.locator, "related", None) is not None
        for rule in dispatch.rules_for(doc, doc.kind in resolved):
            if wants is not None and not wants(rule, doc):
                continue
            try:
                for hit in rule.check(doc, scan):
                    finding = locate(rule, doc, hit)
                    finding.built = built
                    findings.append(finding)
            except Exception as error:  # a broken rule must not stop the scan
                finding = _internal_error(rule, doc, error)
                finding.built = built
                findings.append(finding)
    return findings


class Dispatch:
    """The rules of each kind, and what a document must have for each to be given it: built once
    per set of rules, so that each document is looked at once for every rule of its kind (as
    yamllint runs one walk of a file and hands each token to the rules that want it).

    The places rules find under (:attr:`lintra.Rule.finds_under`) are merged into one tree of
    keys per kind; a document is walked along that tree once, and the parts the domain finds
    (an object's pods) are asked once, so a rule whose places a document lacks costs nothing."""

    __slots__ = ("by_kind",)
    _recent: Dict[Tuple[Rule, ...], "Dispatch"] = {}

    def __init__(self, rules: Iterable[Rule]) -> None:
        grouped: Dict[str, List[Rule]] = defaultdict(list)
        for rule in rules:
            for kind in rule.kinds:
                grouped[kind].append(rule)
        self.by_kind = {kind: _KindRules(kind_rules) for kind, kind_rules in grouped.items()}

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> "Dispatch":
        """The dispatch of ``rules``, reused while the same rules come back (each file of a run)."""
        key = tuple(rules)
        found = cls._recent.get(key)
        if found is None:
            if len(cls._recent) >= 8:
                cls._recent.clear()
            found = cls._recent[key] = cls(key)
        return found

    def rules_for(self, document: Document, resolved: bool = False) -> Sequence[Rule]:
        """The rules to give ``document``, in the order they were declared. ``resolved``: a
        resolver may stand values in for the document's nodes, so any rule of its kind may find."""
        table = self.by_kind.get(document.kind)
        if table is None:
            return ()
        data = document.data
        if resolved or table.tree is None or not isinstance(data, dict):
            return table.rules
        present = table.present(data)
        return [rule for rule, places in table.entries if places is None or not places.isdisjoint(present)]


class _KindRules:
    __slots__ = ("rules", "entries", "tree", "parts")

    def __init__(self, rules: List[Rule]) -> None:
        self.rules = rules
        #: (rule, the places it finds under; None: anywhere)
        self.entries: List[Tuple[Rule, Optional[frozenset]]] = []
        #: key -> (the place ending at it or None, the tree below it)
        tree: Dict[Any, Tuple[Any, dict]] = {}
        parts: Dict[str, Callable[[Any], bool]] = {}
        for rule in rules:
            places = _places(rule)
            self.entries.append((rule, places))
            for place in places or ():
                if isinstance(place, str):
                    parts[place] = kubernetes.PARTS[place]
                    continue
                level = tree
                for depth, key in enumerate(place):
                    end, below = level.get(key, (None, None))
                    if below is None:
                        below = {}
                    if depth == len(place) - 1:
                        end = place
                    level[key] = (end, below)
                    level = below
        self.tree = tree if any(places is not None for _, places in self.entries) else None
        self.parts = list(parts.items())

    def present(self, data: dict) -> set:
        """The places of this kind's rules that ``data`` has."""
        found = set()
        stack = [(data, self.tree)]
        while stack:
            node, level = stack.pop()
            for key, (end, below) in level.items():
                if key in node:
                    if end is not None:
                        found.add(end)
                    if below:
                        child = node[key]
                        if isinstance(child, dict):
                            stack.append((child, below))
        for name, has in self.parts:
            if has(data):
                found.add(name)
        return found


def _places(rule: Rule) -> Optional[frozenset]:
    """The places ``rule`` finds under, or None when it may find anywhere (it declares none, one
    is the whole document, or one is a part the domain does not know)."""
    places = getattr(rule, "finds_under", None)
    if places is None:
        return None
    result = set()
    for place in places:
        if isinstance(place, str):
            if place not in kubernetes.PARTS:
                return None
        elif not isinstance(place, tuple) or not place:
            return None
        result.add(place)
    return frozenset(result) if result else None


def locate(rule: Rule, doc: Document, hit: Hit) -> Finding:
    where = hit.document or doc
    span = where.span(hit.pointer, hit.at)
    finding = Finding(rule, hit.message, span.file or where.source.name, span,
                      document=where.index, pointer=where.base + hit.pointer, value=where.get(hit.pointer),
                      related=tuple(hit.related) + tuple(getattr(where.locator, "related", None) or ()),
                      kind=doc.kind, vendor=hit.vendor,
                      service=hit.service, effort=hit.effort)
    finding.identity_parts = identity.parts(where, hit.pointer, finding.value)
    if span.via is not None:  # a value written in one file and consumed by a template in another
        via_file, via_span = span.via
        finding.related = finding.related + (Related("the template that prints this value", via_file, via_span),)
    # a finding that depends on another object rendered only under a condition is conditional too
    finding.conditional = span.condition or next(
        (r.span.condition for r in finding.related if getattr(r.span, "condition", None)), None)
    name = object_name(where)
    if name is not None:
        finding.anchor = name + "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                                               for p in hit.pointer)
    return finding


def object_name(doc: Document) -> Optional[str]:
    """A Kubernetes object's identity (apiVersion, kind, namespace, name), stable when documents
    move within a file; None for formats whose documents have no name."""
    if doc.kind != "k8s" or doc.name is None:
        return None
    meta = doc.data.get("metadata") or {}
    return "/".join(str(part) for part in (doc.data.get("apiVersion"), doc.data.get("kind"),
                                           meta.get("namespace") or "", doc.name))


def _internal_error(rule: Rule, doc: Document, error: Exception) -> Finding:
    import traceback  # imports the tokenizer; only a crashing rule needs it

    frame = traceback.extract_tb(error.__traceback__)[-1]
    origin = f" ({rule.origin})" if rule.origin else ""
    message = (f"rule {rule.id}{origin} raised {type(error).__name__}: {error} "
               f"at {frame.filename}:{frame.lineno}")
    return Finding(INTERNAL_ERROR, message, doc.source.name, doc.span(()), document=doc.index,
                   pointer=doc.base, kind=doc.kind)
