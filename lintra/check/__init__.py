"""Check stage: run every applicable rule on every document and locate what they find.

A per-document rule runs while its file is loaded, and its :class:`Scan` holds the documents
loaded together with its own: those of the same parsed YAML document (a ``List``'s items), or a
file's when it is read whole (a Helm chart, a Kustomize root). A cross-object rule (:attr:`lintra.Rule.needs`) runs once every file is loaded, and its
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
    for doc in documents:
        # found on an object built from other files (a Kustomize overlay's): the run merges what
        # several builds find at one place (lintra.filter.duplicates)
        built = getattr(doc.locator, "related", None) is not None
        for rule in by_kind.get(doc.kind, ()):
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
