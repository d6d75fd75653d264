"""Inline suppressions: accepted coupling, written down next to it with a reason.

- ``# lintra: ignore[RULE,RULE] reason`` at the end of the offending line, or alone on the line
  above it;
- ``# lintra: ignore-file[RULE] reason`` anywhere in a file (conventionally at the top);
- in an XML file (OVF), which has no ``#`` comments, the same inside an XML comment:
  ``<!-- lintra: ignore[RULE] reason -->`` (the reason ends at ``-->``);
- Kubernetes objects: annotation ``lintra.io/ignore: "RULE: reason; RULE: reason"``;
- Heat resources: ``metadata: {lintra: {ignore: [{rule: RULE, reason: text}]}}``.

The profile decides what a suppression may do: under one that requires reasons, a suppression
without one is an ``LT004`` finding (it still suppresses: the finding it hides was accepted, the
missing reason is the problem); a rule the profile marks non-suppressible stays reported and the
suppression is an ``LT004`` finding.

Comments are found by scanning the raw text of files that contain ``lintra:`` at all, so files
without suppressions cost one substring test. A suppression that matches no finding is itself a
finding (``LT003``), like ruff's unused ``noqa``: stale suppressions hide future coupling.
"""

from __future__ import annotations

import re

from lintra.check.reserved import INVALID_SUPPRESSION, UNUSED_SUPPRESSION
from lintra.load import lines
from lintra.model import Document, Finding, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Callable, Collection, Iterable, List, Sequence

_COMMENT = re.compile(r"#\s*lintra:\s*ignore(?P<file>-file)?\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*)$")
#: an XML comment holding a suppression (``#`` before ``lintra:`` allowed); the reason stops at ``-->``
_XML_COMMENT = re.compile(r"<!--\s*(?:#\s*)?lintra:\s*ignore(?P<file>-file)?\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*?)\s*-->")
#: the files whose comments are XML's
_XML_SUFFIXES = (".ovf",)
ANNOTATION = "lintra.io/ignore"


class Suppression:
    __slots__ = ("file", "lines", "rules", "reason", "whole_file", "document", "scope", "span", "used", "object")

    def __init__(self, file: str, rules: Sequence[str], reason: str, span: Span, whole_file: bool = False,
                 document: int = None, scope: Pointer = (), alone: bool = True, object: str = None) -> None:
        self.file = file
        #: for an object a Kustomize build made: its identity (``apiVersion/kind/ns/name``). Its
        #: findings land in whichever file wrote each value, so it covers them by identity; it is
        #: never reported unused (the annotation's own file reports that when it is read)
        self.object = object
        #: a comment alone on its line covers the line below; one after code covers only its line
        self.lines = (span.line, span.line + 1) if alone else (span.line,)
        self.rules = {r.strip().upper() for r in rules if r.strip()}
        self.reason = reason.strip()
        self.whole_file = whole_file
        #: for annotations and metadata: the document, and the pointer prefix within it, covered
        self.document = document
        self.scope = tuple(scope)
        self.span = span
        self.used = False

    def covers(self, finding: Finding) -> bool:
        if self.object is None and finding.file != self.file:
            return False
        if finding.rule.id not in self.rules and finding.rule.name.upper() not in self.rules:
            return False
        if self.object is not None:
            return finding.anchor is not None and finding.anchor.startswith(self.object + "#")
        if self.document is not None:
            return finding.document == self.document and finding.pointer[:len(self.scope)] == self.scope
        return self.whole_file or finding.span.line in self.lines


def from_text(file: str, text: str) -> List[Suppression]:
    found = []
    xml = file.lower().endswith(_XML_SUFFIXES)
    comment = _XML_COMMENT if xml else _COMMENT
    # counted as the file's reader counts them: a YAML file also ends lines at U+2028 and NEL,
    # a .vmx, OVF, CSV or JSON file at CR and LF only
    for number, line in enumerate(lines.split(text, file), 1):
        if "lintra:" not in line:
            continue
        match = comment.search(line)
        if match:
            end = match.end() if xml else len(line)
            found.append(Suppression(file, match.group("rules").split(","), match.group("reason"),
                                     Span(number, match.start() + 1, number, end + 1),
                                     whole_file=bool(match.group("file")),
                                     alone=not line[:match.start()].strip() and not line[end:].strip()))
    return found


def from_documents(documents: Iterable[Document]) -> List[Suppression]:
    found: List[Suppression] = []
    for doc in documents:
        if doc.kind == "k8s":
            found.extend(_from_annotation(doc))
        elif doc.kind == "heat" and isinstance(doc.data.get("resources"), dict):
            found.extend(_from_heat_metadata(doc))
    return found


def _from_annotation(doc: Document) -> Iterable[Suppression]:
    value = doc.get(("metadata", "annotations", ANNOTATION))
    if not isinstance(value, str):
        return
    span = doc.span(("metadata", "annotations", ANNOTATION), "key")
    built = None
    if getattr(doc.locator, "related", None) is not None:  # built from several files (Kustomize)
        from lintra.check import object_name
        built = object_name(doc)
    for entry in value.split(";"):
        rule, _, reason = entry.partition(":")
        if rule.strip():
            yield Suppression(span.file or doc.source.name, [rule], reason, span, document=doc.index,
                              scope=doc.base, object=built)


def _from_heat_metadata(doc: Document) -> Iterable[Suppression]:
    for name, resource in doc.data["resources"].items():
        entries = doc.get(("resources", name, "metadata", "lintra", "ignore"))
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("rule"), str):
                span = doc.span(("resources", name, "metadata", "lintra", "ignore", i))
                yield Suppression(doc.source.name, [entry["rule"]], str(entry.get("reason") or ""), span,
                                  document=doc.index, scope=doc.base + ("resources", name))


def apply(findings: List[Finding], suppressions: Sequence[Suppression], profile_for: Callable,
          skipped: Collection[str] = ()) -> List[Finding]:
    """Mark covered findings suppressed; return findings about the suppressions themselves.

    ``profile_for(file)`` is the strictness profile judging that file. ``skipped`` are rule ids
    that exist but did not run (``--select``/``--ignore``): a suppression naming one of them
    cannot be judged unused in this run."""
    if not suppressions:
        return []
    by_file = {}
    anywhere = [suppression for suppression in suppressions if suppression.object is not None]
    for suppression in suppressions:
        if suppression.object is None:
            by_file.setdefault(suppression.file, []).append(suppression)
    problems: List[Finding] = []
    refused: dict = {}  # one LT004 per suppression and refused rule, however many findings it covers
    for finding in findings:
        for suppression in (by_file.get(finding.file, []) + anywhere) if anywhere else by_file.get(finding.file, ()):
            if not suppression.covers(finding):
                continue
            suppression.used = True
            profile = profile_for(finding.file)
            if not profile.suppressible(finding.rule):
                refused.setdefault((id(suppression), finding.rule.id), (suppression, profile.name))
                continue
            finding.suppressed = True
            finding.suppression = suppression.reason or "(no reason given)"
            break
    for (_, rule_id), (suppression, profile_name) in refused.items():
        problems.append(_invalid(suppression, f"{rule_id} cannot be suppressed under profile '{profile_name}'; "
                                              "the finding stays reported"))
    # an annotation used through a build is used where it is written, too
    written = {(s.file, s.span.line, frozenset(s.rules)) for s in anywhere if s.used}
    for suppression in suppressions:
        if suppression.object is not None:
            continue
        if (suppression.file, suppression.span.line, frozenset(suppression.rules)) in written:
            suppression.used = True
        if not suppression.used and not (suppression.rules & set(skipped)):
            problems.append(Finding(UNUSED_SUPPRESSION, f"suppression of {', '.join(sorted(suppression.rules))} "
                                    "matches no finding; remove it", suppression.file, suppression.span,
                                    document=suppression.document))
        elif suppression.used and not suppression.reason and profile_for(suppression.file).require_reason:
            problems.append(_invalid(suppression, f"suppression of {', '.join(sorted(suppression.rules))} gives "
                                                  f"no reason; profile '{profile_for(suppression.file).name}' "
                                                  "requires one"))
    return problems


def _invalid(suppression: Suppression, message: str) -> Finding:
    return Finding(INVALID_SUPPRESSION, message, suppression.file, suppression.span, document=suppression.document)
