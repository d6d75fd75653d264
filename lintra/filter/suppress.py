"""Inline suppressions: accepted coupling, written down next to it with a reason.

- ``# lintra: ignore[RULE,RULE] reason`` on the offending line or the line above it;
- ``# lintra: ignore-file[RULE] reason`` anywhere in a file (conventionally at the top);
- Kubernetes objects: annotation ``lintra.io/ignore: "RULE: reason; RULE: reason"``.

Comments are found by scanning the raw text of files that contain ``lintra:`` at all, so files
without suppressions cost one substring test. A suppression that matches no finding is itself a
finding (``LT003``), like ruff's unused ``noqa``: stale suppressions hide future coupling.
"""

from __future__ import annotations

import re
from typing import Collection, Iterable, List, Sequence

from lintra.model import Document, Finding, Span

_COMMENT = re.compile(r"#\s*lintra:\s*ignore(?P<file>-file)?\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*)$")
ANNOTATION = "lintra.io/ignore"


class Suppression:
    __slots__ = ("file", "line", "rules", "reason", "whole_file", "document", "span", "used")

    def __init__(self, file: str, rules: Sequence[str], reason: str, span: Span, whole_file: bool = False,
                 document: int = None) -> None:
        self.file = file
        self.line = span.line
        self.rules = {r.strip().upper() for r in rules if r.strip()}
        self.reason = reason.strip()
        self.whole_file = whole_file
        #: for annotations: the document (object) it covers
        self.document = document
        self.span = span
        self.used = False

    def covers(self, finding: Finding) -> bool:
        if finding.file != self.file or finding.rule.id not in self.rules:
            return False
        if self.document is not None:
            return finding.document == self.document
        return self.whole_file or finding.span.line in (self.line, self.line + 1)


def from_text(file: str, text: str) -> List[Suppression]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if "lintra:" not in line:
            continue
        match = _COMMENT.search(line)
        if match:
            found.append(Suppression(file, match.group("rules").split(","), match.group("reason"),
                                     Span(number, match.start() + 1, number, len(line) + 1),
                                     whole_file=bool(match.group("file"))))
    return found


def from_documents(documents: Iterable[Document]) -> List[Suppression]:
    found = []
    for doc in documents:
        if doc.kind != "k8s":
            continue
        value = doc.get(("metadata", "annotations", ANNOTATION))
        if not isinstance(value, str):
            continue
        span = doc.span(("metadata", "annotations", ANNOTATION), "key")
        for entry in value.split(";"):
            rule, _, reason = entry.partition(":")
            if rule.strip():
                found.append(Suppression(doc.source.name, [rule], reason, span, document=doc.index))
    return found


def apply(findings: List[Finding], suppressions: Sequence[Suppression], unused_rule,
          skipped: Collection[str] = ()) -> List[Finding]:
    """Mark covered findings suppressed; return findings for suppressions that matched nothing.

    ``skipped`` are rule ids that exist but did not run (``--select``/``--ignore``): a
    suppression naming one of them cannot be judged unused in this run."""
    if not suppressions:
        return []
    by_file = {}
    for suppression in suppressions:
        by_file.setdefault(suppression.file, []).append(suppression)
    for finding in findings:
        for suppression in by_file.get(finding.file, ()):
            if suppression.covers(finding):
                finding.suppressed = True
                finding.suppression = suppression.reason or "(no reason given)"
                suppression.used = True
                break
    return [Finding(unused_rule, f"suppression of {', '.join(sorted(s.rules))} matches no finding; remove it",
                    s.file, s.span, document=s.document) for s in suppressions
            if not s.used and not (s.rules & set(skipped))]
