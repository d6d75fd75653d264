"""Check stage: run every applicable rule on every document and locate what they find.

A per-document rule runs while its file is loaded, and its :class:`Scan` holds the documents of
that file. A cross-object rule (:attr:`lintra.Rule.needs`) runs once every file is loaded, and its
:class:`Scan` holds every document some cross-object rule needs, so it can reason across objects
(a claim and the StorageClass it names, a template and the environment that maps its types).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from lintra.check import identity
from lintra.check.reserved import INTERNAL_ERROR
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
    narrows that further), in document order; the findings located."""
    by_kind: Dict[str, List[Rule]] = defaultdict(list)
    for rule in rules:
        for kind in rule.kinds:
            by_kind[kind].append(rule)
    findings: List[Finding] = []
    built: List[Finding] = []
    for doc in documents:
        out = built if getattr(doc.locator, "related", None) is not None else findings
        for rule in by_kind.get(doc.kind, ()):
            if wants is not None and not wants(rule, doc):
                continue
            try:
                for hit in rule.check(doc, scan):
                    out.append(locate(rule, doc, hit))
            except Exception as error:  # a broken rule must not stop the scan
                out.append(_internal_error(rule, doc, error))
    for finding in built:
        finding.built = True
    return merge_built(findings, built) if built else findings


def merge_all_built(findings: List[Finding]) -> List[Finding]:
    """:func:`merge_built` over a whole run, whose files were checked one by one: a base read on
    its own and the overlays of other roots that build it meet only here."""
    built = [finding for finding in findings if finding.built]
    return merge_built([finding for finding in findings if not finding.built], built) if built else findings


def merge_built(findings: List[Finding], built: Sequence[Finding]) -> List[Finding]:
    """Findings of documents built from other files (Kustomize overlays) join ``findings`` once
    per place: a base's coupling is reported at the base file however many overlays include it,
    and not again when the base file was read on its own. A merged finding keeps the first one's
    message and gains the other's related locations (the overlays that build it)."""
    by_place: Dict[tuple, Finding] = {}
    for finding in findings:
        by_place.setdefault(_place(finding), finding)
    out = list(findings)
    merged = set()  # ids of built findings kept: only those gather the other overlays' locations
    for finding in built:
        key = _place(finding)
        kept = by_place.get(key)
        if kept is None:
            by_place[key] = finding
            merged.add(id(finding))
            out.append(finding)
            continue
        known = {(related.file, related.span.line) for related in kept.related}
        extra = [related for related in finding.related if (related.file, related.span.line) not in known]
        if extra and id(kept) in merged:
            kept.related = tuple(kept.related) + tuple(extra)
    return out


def _place(finding: Finding) -> tuple:
    return finding.rule.id, finding.file, finding.span.line, finding.span.column


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
        finding.related = finding.related + (Related(f"consumed by the template at {via_file}:{via_span.line}",
                                                     via_file, via_span),)
    # a finding that depends on another object rendered only under a condition is conditional too
    finding.conditional = span.condition or next(
        (r.span.condition for r in finding.related if getattr(r.span, "condition", None)), None)
    name = _object_name(where)
    if name is not None:
        finding.anchor = name + "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                                               for p in hit.pointer)
    return finding


def _object_name(doc: Document) -> Optional[str]:
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
