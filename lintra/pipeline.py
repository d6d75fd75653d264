"""One run, wired stage by stage: discover -> load -> check -> filter -> report.

This is the only module that knows all stages; each stage knows only the model and its inputs.
"""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

from lintra.check import Scan, identity, locate, run_rules
from lintra.check.reserved import BY_ID as RESERVED_BY_ID
from lintra.discover import discover
from lintra.discover.references import NotRead, with_referenced
from lintra.filter import Judgement, failing, judge, suppress
from lintra.load import decode, load_source
from lintra.model import RESERVED_VENDOR, Document, FileRecord, Finding, Hit
from lintra.plugins import Registry, load_registry

if TYPE_CHECKING:
    from lintra.filter.baseline import Baseline


class Result:
    """Everything a report needs: every input file's fate, the judged findings, the exit code."""

    __slots__ = ("files", "findings", "judgement", "registry", "unreadable", "hidden", "baselined")

    def __init__(self, files: List[FileRecord], findings: List[Finding], judgement: Judgement,
                 registry: Registry, unreadable: bool, hidden: int = 0) -> None:
        self.files = files
        self.findings = findings
        self.judgement = judgement
        self.registry = registry
        self.unreadable = unreadable
        #: findings on sanctioned vendors left out (``--hide-sanctioned``)
        self.hidden = hidden
        #: findings left out because the baseline accepted them
        self.baselined = 0

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if failing(self.findings, self.judgement) else 0

    def summary(self) -> Dict[str, Any]:
        active = [f for f in self.findings if not f.suppressed]
        files = Counter(record.status for record in self.files)
        return {
            "files": {"total": len(self.files), "scanned": files["scanned"], "skipped": files["skipped"],
                      "error": files["error"]},
            "documents": sum(record.documents for record in self.files),
            "findings": len(active),
            "suppressed": len(self.findings) - len(active),
            "sanctioned": sum(1 for f in active if f.sanctioned),
            "hidden_sanctioned": self.hidden,
            "baselined": self.baselined,
            "by_level": {level: sum(1 for f in active if f.level.name == level)
                         for level in ("error", "warning", "info")},
            "by_vendor": dict(sorted(Counter(f.vendor for f in active if f.rule.vendor != RESERVED_VENDOR).items())),
            "diagnostics": sum(1 for f in active if f.rule.vendor == RESERVED_VENDOR),
            "skipped_reasons": dict(Counter(r.reason or "no reason" for r in self.files
                                            if r.status == "skipped").most_common()),
            "profile": self.judgement.profile.name,
            "fail_on": self.judgement.fail_on.name,
            "exit_code": self.exit_code,
        }


def run(paths: Sequence[str], judgement: Optional[Judgement] = None, exclude: Sequence[str] = (),
        registry: Optional[Registry] = None, stdin_name: str = "-",
        options: Optional[Dict[str, Any]] = None, baseline: Optional[Baseline] = None) -> Result:
    registry = registry or load_registry()
    judgement = judgement or Judgement()
    suffixes = {suffix for loader in registry.loaders for suffix in loader.suffixes}
    records: List[FileRecord] = []
    documents: List[Document] = []
    findings: List[Finding] = []
    unreadable = False
    suppressions: list = []
    also: List[FileRecord] = []  # files read to build another file's documents (Kustomize bases, patches)
    with _no_cyclic_gc():
        found = discover(paths, suffixes, exclude, stdin_name=stdin_name,
                         force_exclude=bool((options or {}).get("force_exclude")))
        for source in with_referenced(found, documents, exclude):
            if isinstance(source, NotRead):
                records.append(source.record)
                if source.limit is not None:
                    document, pointer, message = source.limit
                    findings.append(locate(RESERVED_BY_ID["LT002"], document, Hit(pointer, message)))
                continue
            loaded = load_source(source, registry.loaders, registry.detectors, options)
            if loaded.record.status == "scanned" and b"lintra:" in source.read_bytes():
                try:
                    suppressions.extend(suppress.from_text(source.name, decode(source.read_bytes())))
                except UnicodeDecodeError:
                    pass  # a binary format (xlsx, ova) has no comments to read
            for name, text in loaded.comments:
                suppressions.extend(suppress.from_text(name, text))
            records.append(loaded.record)
            also.extend(loaded.also)
            documents.extend(loaded.documents)
            unreadable = unreadable or loaded.unreadable
            for problem in loaded.problems:
                findings.append(Finding(RESERVED_BY_ID[problem.rule_id], problem.message, source.name,
                                        problem.span))
        recorded = {record.file for record in records}
        for record in also:
            if record.file not in recorded:  # a file also read on its own keeps that record
                recorded.add(record.file)
                records.append(record)
        rules = [rule for rule in registry.rules.values() if judgement.enabled(rule)]
        findings.extend(run_rules(documents, rules, Scan(documents, options, registry.resolvers)))
        suppressions.extend(suppress.from_documents(documents))
        skipped = set(registry.rules) - {rule.id for rule in rules}
        findings.extend(suppress.apply(findings, suppressions, lambda f: judgement.for_file(f).profile, skipped))
        identity.assign(findings, paths)
    kept, hidden = judge(findings, judgement)
    result = Result(records, kept, judgement, registry, unreadable, hidden)
    if baseline is not None:
        result.findings, result.baselined = baseline.filter(kept)
    return result


@contextmanager
def _no_cyclic_gc():
    """The documents of a run stay alive until the cross-document rules ran, and none of them
    forms a cycle. Python's cyclic collector would traverse that growing heap again and again: on
    a 2,000-file repository it tripled the run time. Switching it back on would still cost one
    pass over everything allocated meanwhile (a quarter of a whole run), so what survived is
    frozen first (``gc.freeze``: moved out of the collector's generations; reference counting
    still frees it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
