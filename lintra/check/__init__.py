"""Check stage: run every applicable rule on every document and locate what they find.

All documents are loaded before any rule runs, so rules can reason across objects (a claim and
the StorageClass it names, a template and the environment that maps its types) through
:class:`Scan`.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from lintra.check.reserved import INTERNAL_ERROR
from lintra.model import Document, Finding, Hit, Rule

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


def run_rules(documents: Sequence[Document], rules: Iterable[Rule], scan: Scan) -> List[Finding]:
    by_kind: Dict[str, List[Rule]] = defaultdict(list)
    for rule in rules:
        for kind in rule.kinds:
            by_kind[kind].append(rule)
    findings: List[Finding] = []
    for doc in documents:
        for rule in by_kind.get(doc.kind, ()):
            try:
                for hit in rule.check(doc, scan):
                    findings.append(locate(rule, doc, hit))
            except Exception as error:  # a broken rule must not stop the scan
                findings.append(_internal_error(rule, doc, error))
    return findings


def locate(rule: Rule, doc: Document, hit: Hit) -> Finding:
    where = hit.document or doc
    span = where.span(hit.pointer, hit.at)
    finding = Finding(rule, hit.message, span.file or where.source.name, span,
                      document=where.index, pointer=where.base + hit.pointer, value=where.get(hit.pointer),
                      related=hit.related, kind=doc.kind, vendor=hit.vendor,
                      service=hit.service, effort=hit.effort)
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
    frame = traceback.extract_tb(error.__traceback__)[-1]
    origin = f" ({rule.origin})" if rule.origin else ""
    message = (f"rule {rule.id}{origin} raised {type(error).__name__}: {error} "
               f"at {frame.filename}:{frame.lineno}")
    return Finding(INTERNAL_ERROR, message, doc.source.name, doc.span(()), document=doc.index,
                   pointer=doc.base, kind=doc.kind)
