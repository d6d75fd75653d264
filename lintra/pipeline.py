"""One run, wired stage by stage: discover -> load -> check -> filter -> report.

This is the only module that knows all stages; each stage knows only the model and its inputs.

A run is a map over files, then one reduce:

- **map** (per file, shared by this process and ``jobs - 1`` forked workers): load it, run every
  per-document rule on its documents, locate their findings, read its suppressions. Its documents are then dropped,
  except those a cross-object rule needs (:attr:`lintra.Rule.needs`) or whose references to
  nested templates are still to be followed; those are kept as plain data (the data and the
  positions the locator needs), never as parser node trees, and wait packed
  (:mod:`lintra.check.kept`). A cross-object rule that only a resolver made one (Heat's, whose
  ``get_param`` reads other files) also runs here, on each document where it asks for no other
  (:mod:`lintra.check.settle`); a document whose rules all ran is kept only while another
  document's rules may read it (:meth:`Plan.settle`, :func:`_needed`).
- **reduce**: cross-object rules run on the kept documents (the ones they need, in the order the
  files were loaded), then filter (profiles, suppressions, baseline) and report.

The findings are the same whatever ``jobs`` is, and so is their order: the map keeps the order of
its inputs, and the filter sorts findings by place.
"""

from __future__ import annotations

import gc
import marshal
from collections import Counter
from contextlib import contextmanager, nullcontext
from itertools import chain, islice

from lintra.check import Dispatch, Scan, identity, kept as kept_parts, locate, run_rules
from lintra.check.reserved import BY_ID as RESERVED_BY_ID
from lintra.discover import discover
from lintra.filter import Judgement, duplicates, failing, judge, suppress
from lintra.load import decode, load_source
from lintra.load.references import KINDS as REFERENCE_KINDS, READS as REFERENCE_READS, NotRead, References, names_files
from lintra.model import RESERVED_VENDOR, Document, FileRecord, Finding, Hit, Rule, Source
from lintra.plugins import Registry, load_registry

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

    from lintra.filter.baseline import Baseline


class Observer:
    """Sees each file's documents while they are alive (see :func:`run`): ``summarise`` once per
    group of documents alive together (a file's, or one parsed document's of a streamed file),
    ``add`` once per summary."""

    def summarise(self, documents: Sequence[Document]) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def add(self, summary: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Result:
    """Everything a report needs: every input file's fate, the judged findings, the exit code."""

    __slots__ = ("files", "findings", "judgement", "registry", "unreadable", "hidden", "baselined", "accepted")

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
        #: those findings themselves (SARIF lists them as externally suppressed; the audit still
        #: counts accepted coupling)
        self.accepted: List[Finding] = []

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
        options: Optional[Dict[str, Any]] = None, baseline: Optional[Baseline] = None,
        jobs: Optional[int] = 1, observe: Optional["Observer"] = None,
        context: Sequence[str] = (), sources: Optional[Sequence[Source]] = None) -> Result:
    """Check ``paths``. ``jobs`` is the number of processes for the map step, this one and
    ``jobs - 1`` forked workers (None: the CPUs this process may use; 1: this process only). A run of fewer than
    :data:`lintra.parallel.PARALLEL_FROM_FILES` files stays in this process.

    ``observe`` sees each file's documents in the map step, where they are alive:
    ``observe.summarise(documents)`` returns plain data (it may run in a worker; a streamed file's
    documents come one parsed document at a time) and ``observe.add(data)`` takes each in this
    process (the audit counts the objects each file holds).

    ``context`` are further paths read only for what cross-object rules look up (the StorageClass
    a changed claim names, a ServiceAccount, Heat environments): their documents join the reduce,
    but no finding located in them is reported and they are not among the run's files. An
    incremental run (``--changed-since``, pre-commit's file list) so sees what a full run sees.

    ``sources`` are checked instead of what discovering ``paths`` finds (``lintra policy test``
    runs a rule's in-memory examples through this same pipeline)."""
    registry = registry or load_registry()
    judgement = judgement or Judgement()
    suffixes = {suffix for loader in registry.loaders for suffix in loader.suffixes}
    rules = [rule for rule in registry.rules.values() if judgement.enabled(rule)]
    plan = Plan(registry, rules, options, observe)
    records: List[FileRecord] = []
    findings: List[Finding] = []
    text_suppressions: list = []
    document_suppressions: list = []
    kept: List[Document] = []
    #: the reduce's order: kept documents from position ``order[i][0]`` of ``kept`` on, then the
    #: findings ``order[i][1]`` the map made for it (of documents it settled), as the reduce
    #: would have found them in that order (:meth:`Plan.settle`)
    order: List[Tuple[int, List[Finding]]] = []
    #: files holding a Heat template the map settled and did not keep, each with how many
    #: documents were kept before it
    dropped: List[Tuple[int, Source]] = []
    #: documents kept only for the rules of the documents they name (:func:`_needed`)
    links: Dict[int, Tuple[Document, Tuple[str, ...]]] = {}
    spill = kept_parts.Spill()  # where kept documents' packed bytes wait for the reduce
    unreadable = False
    also: List[FileRecord] = []  # files read to build another file's documents (Kustomize bases, patches)
    from lintra.load import limits

    # set before the map step forks its workers, so they inherit them; restored when the run ends
    with _no_cyclic_gc(), limits.applied((options or {}).get("limits")), _let_go_if_stopped(spill):
        found: List[Source] = []  # every input, named for following as it is found
        references = References(exclude)

        def found_here(given: Iterable[Source]) -> Iterator[Source]:
            for source in given:
                found.append(source)
                references.named(source)
                yield source

        given = iter(sources) if sources is not None else \
            discover(paths, suffixes, exclude, stdin_name=stdin_name,
                     force_exclude=bool((options or {}).get("force_exclude")))
        from lintra.parallel import PARALLEL_FROM_FILES

        if (options or {}).get("cache_scans"):  # the persistent cache is opened for all the files, before forking
            first = list(found_here(given))
        else:  # as many as decide whether the map forks: the rest is found while the workers map the first
            first = list(islice(found_here(given), PARALLEL_FROM_FILES))
        plan.store = _scan_store(plan, rules, found)
        with _mapper(plan, found, jobs) as map_files:
            wave: List[Any] = found
            outcomes = iter(map_files(chain(first, found_here(given))))  # takes them all before it returns
            del first
            while wave:
                if outcomes is None:
                    sources = [item for item in wave if not isinstance(item, NotRead)]
                    outcomes = iter(map_files(sources))
                loaded: List[Document] = []
                following: List[Any] = []  # file by file, while the map goes on: as one call would
                for item in wave:
                    if isinstance(item, NotRead):
                        records.append(item.record)
                        if item.limit is not None:
                            document, pointer, message = item.limit
                            findings.append(locate(RESERVED_BY_ID["LT002"], document, Hit(pointer, message)))
                        continue
                    outcome = next(outcomes)
                    records.append(outcome.record)
                    also.extend(outcome.also)
                    unreadable = unreadable or outcome.unreadable
                    found_here = outcome.findings(registry.rules)
                    if outcome.settled:
                        found_here = _settled(plan, item, outcome, found_here, len(kept) + len(loaded),
                                              order, dropped, links)
                    findings.extend(found_here)
                    text_suppressions.extend(outcome.text_suppressions)
                    document_suppressions.extend(outcome.document_suppressions)
                    spill.keep(outcome.kept)
                    loaded.extend(outcome.kept)
                    following.extend(references.follow(outcome.kept))
                    if observe is not None:
                        for summary in outcome.observed:
                            observe.add(summary)
                kept.extend(loaded)
                wave = following
                outcomes = None
        del references  # the real paths of every named file: not needed by the reduce
        if also:
            recorded = {record.file: index for index, record in enumerate(records)}
            for record in also:
                index = recorded.get(record.file)
                if index is None:
                    recorded[record.file] = len(records)
                    records.append(record)
                elif records[index].status == "skipped":
                    # a file read on its own keeps that record, unless it was skipped there (a JSON
                    # patch or an openapi schema is no infrastructure document): the build read it
                    records[index] = record
            del recorded
        context_files = _read_context(plan, context, found, suffixes, exclude, kept, rules) if context else set()
        context_files |= _repository_environments(plan, paths, found, suffixes, exclude, kept, dropped)
        del dropped
        kept, order = _needed(kept, order, links)
        del links
        findings.extend(_reduce(plan, kept, order, Scan(kept, options, registry.resolvers)))
        del order
        plan.left.clear()
        findings = duplicates.merge(findings)
        if context_files:
            findings = [f for f in findings if f.file not in context_files]
        suppressions = text_suppressions + document_suppressions
        skipped = set(registry.rules) - {rule.id for rule in rules}
        skipped |= {registry.rules[rule_id].name.upper() for rule_id in skipped}  # suppressions name either
        findings.extend(suppress.apply(findings, suppressions, lambda f: judgement.for_file(f).profile, skipped))
        identity.assign(findings, paths)
        _let_go(spill, close=False)
    if plan.store is not None or plan.wrote_context:  # a pre-commit run writes context entries only
        from lintra import mapcache

        mapcache.settle()
    judged, hidden = judge(findings, judgement)
    result = Result(records, judged, judgement, registry, unreadable, hidden)
    if baseline is not None:
        result.findings, result.accepted = baseline.split(judged)
        result.baselined = len(result.accepted)
    return result


class Plan:
    """Which rules run where: per-document rules in the map, cross-object rules in the reduce
    (a rule with :attr:`lintra.Rule.needs`, or one on a kind whose resolver reads other documents)
    except where the map could run them (:meth:`settle`), and which documents the map keeps for
    the reduce."""

    __slots__ = ("registry", "options", "local", "cross", "needs", "by_kind", "observe", "reads", "store",
                 "wrote_context", "readers", "_asked", "settles", "shared_with", "unsettled_needs", "left",
                 "settled_ids", "loose")

    def __init__(self, registry: Registry, rules: Sequence[Rule], options: Optional[Dict[str, Any]],
                 observe: Optional["Observer"] = None) -> None:
        self.registry = registry
        self.options = options
        self.observe = observe
        #: the persistent cache of map outcomes (:mod:`lintra.mapcache`), when the run uses one
        self.store: Any = None
        #: whether the map hands kept documents over loose (:func:`lintra.check.kept.loose`): only
        #: where each outcome goes straight to the run (one process); with workers, an outcome may
        #: wait for its turn, and waits packed
        self.loose = False
        #: whether context files went through the persistent cache (which the run then bounds)
        self.wrote_context = False
        self.local: List[Rule] = []
        self.cross: List[Rule] = []
        #: rule id -> which documents it needs, for cross-object rules
        self.needs: Dict[str, Callable[[Document], bool]] = {}
        #: rule id -> what it reads of the documents it needs, with its kinds' resolvers
        self.reads: Dict[str, kept_parts.Reads] = {}
        resolved: Dict[Any, Optional[Callable[[Document], bool]]] = {}  # one predicate per tuple of kinds
        for rule in rules:
            need = rule.needs
            if not need:
                kinds = rule.kinds
                if kinds not in resolved:
                    resolved[kinds] = _resolved_needs(rule, registry)
                need = resolved[kinds]
            if need is None:
                self.local.append(rule)
            else:
                self.cross.append(rule)
                self.needs[rule.id] = need
                reads = rule.reads
                for kind in rule.kinds:
                    if kind in registry.resolvers:
                        reads = kept_parts.merged(reads, registry.resolvers[kind].reads)
                self.reads[rule.id] = reads
        self.by_kind: Dict[str, List[Callable[[Document], bool]]] = {}
        for rule in self.cross:
            for kind in rule.kinds:
                needs = self.by_kind.setdefault(kind, [])
                if self.needs[rule.id] not in needs:
                    needs.append(self.needs[rule.id])
        #: each distinct ``needs`` predicate once (by identity: a plugin's callable need not be
        #: hashable), with what the rules that give it read: a document is asked once per
        #: predicate, however many rules share it
        self.readers: Dict[int, Tuple[Callable[[Document], bool], list]] = {}
        for rule in self.cross:
            need = self.needs[rule.id]
            self.readers.setdefault(id(need), (need, []))[1].append(self.reads[rule.id])
        self._asked: Tuple[Any, Dict[int, bool]] = (None, {})
        #: kind -> the cross-object rules the map step runs on its documents where it can
        #: (:mod:`lintra.check.settle`): those whose kinds all lie in a resolver's bundle
        self.settles: Dict[str, Dispatch] = {}
        #: kind -> which other documents' rules may read one of this kind (its resolver's
        #: :attr:`lintra.Resolver.shared_with`)
        self.shared_with: Dict[str, Callable[[Document, Dict[str, Any]], Optional[Sequence[str]]]] = {}
        bundles = [resolver for resolver in registry.resolvers.values() if resolver.bundle]
        settled = [rule for rule in self.cross
                   if any(set(rule.kinds) <= set(resolver.bundle) for resolver in bundles)]
        self.settled_ids = frozenset(rule.id for rule in settled)
        for resolver in bundles:
            for kind in resolver.bundle:
                rules = [rule for rule in settled if kind in rule.kinds]
                if rules and kind not in self.settles:
                    self.settles[kind] = Dispatch(rules)
                    self.shared_with[kind] = resolver.shared_with or (lambda document, options: None)
        #: kind -> the needs of the cross-object rules of that kind the map does not run
        self.unsettled_needs: Dict[str, List[Callable[[Document], bool]]] = {}
        for rule in self.cross:
            if rule not in settled:
                for kind in rule.kinds:
                    needs = self.unsettled_needs.setdefault(kind, [])
                    if self.needs[rule.id] not in needs:
                        needs.append(self.needs[rule.id])
        #: id of a kept document -> the ids of the rules the map left to the reduce there, for
        #: the documents the map settled (:meth:`wants`)
        self.left: Dict[int, Tuple[str, ...]] = {}

    def _answer(self, need: Callable[[Document], bool], document: Document) -> bool:
        """``need(document)``, asked once per document while it is the one asked about."""
        seen, answers = self._asked
        if seen is not document:
            answers = {}
            self._asked = (document, answers)
        answer = answers.get(id(need))  # the predicates are held by the plan: their ids stay theirs
        if answer is None:
            answer = answers[id(need)] = _asks(need, document)
        return answer

    def runs_on(self, document: Document) -> bool:
        """Whether the reduce may run a rule on ``document``: not on one the map settled whole (no
        rule left there, and none of its kind the map does not run), which is kept only for the
        rules of other documents (:meth:`wants` would refuse each of its rules; its data is then
        not even decoded to dispatch them)."""
        left = self.left.get(id(document))
        return left is None or bool(left) or document.kind in self.unsettled_needs

    def wants(self, rule: Rule, document: Document) -> bool:
        left = self.left.get(id(document))
        if left is not None and rule.id not in left and rule.id in self.settled_ids:
            return False  # run in the map step, which found what it finds
        return self._answer(self.needs[rule.id], document)

    def settle(self, documents: Sequence[Document]) -> List[Tuple[Document, bool, Any, Any]]:
        """The map step's part of the cross-object rules of ``documents`` (:mod:`lintra.check.settle`):
        for each document of a kind it settles, in order, ``(document, kept, links, settled)``:
        whether the map keeps it; when only for other documents (or to follow its references),
        the relative paths of the only ones whose rules may read it (else None: it is needed for
        itself, or by any); and what the rules run on it found and left."""
        from lintra.check import settle
        from lintra.policy import resolvers as resolvers_memo

        found = []
        scan = settle.LocalScan(self.options, self.registry.resolvers)
        resolvers = self.registry.resolvers
        for document in documents:
            dispatch = self.settles.get(document.kind)
            if dispatch is None:
                continue
            rules = dispatch.given(scan).rules_for(document, resolvers.get(document.kind, False))
            settled = settle.settle(document, rules, scan, locate)
            if settled.left or any(self._answer(need, document) for need in self.unsettled_needs.get(document.kind, ())):
                found.append((document, True, None, settled))
            else:
                found.append((document, *self._shared(document), settled))
        resolvers_memo.forget()  # the last document's expand holds it, with its file's positions
        return found

    def _shared(self, document: Document) -> Tuple[bool, Optional[Tuple[str, ...]]]:
        """Whether the reduce may read ``document`` for other documents, and the relative paths
        of the only ones that may (None: any): as its kind's resolver says, or since it names
        files to follow (:mod:`lintra.load.references`)."""
        try:
            shared = self.shared_with[document.kind](document, self.options or {})
            shared = None if shared is None else tuple(str(path) for path in shared)
        except Exception:  # a broken answer keeps the document for any
            return True, None
        if shared is None:
            return True, None
        # kept while its references are followed (every wave of the map), then only for those
        follows = document.kind in REFERENCE_KINDS and bool(document.source.path) and names_files(document)
        return bool(shared) or follows, shared

    def keep(self, document: Document) -> bool:
        if document.kind in REFERENCE_KINDS and document.source.path:
            return True
        return any(self._answer(need, document) for need in self.by_kind.get(document.kind, ()))

    def kept(self, documents: Iterable[Document], settled: Optional[List[Tuple[Document, bool, Any, Any]]] = None,
             into: Optional[list] = None, before: int = 0) -> List[Document]:
        """Those of ``documents`` the reduce needs, each :meth:`reduced`. With ``settled`` (what
        :meth:`settle` made of them), a document it settled is kept only when the reduce needs
        it, and ``into`` gets ``(how many documents are kept before it, counting ``before``,
        whether it is kept, its kind, the rules left, the findings, its links)`` for each."""
        if not settled:
            kept = [self.reduced(doc) for doc in documents if self.keep(doc)]
        else:
            by_document = {id(document): (keep, links, result) for document, keep, links, result in settled}
            kept = []
            for doc in documents:
                answer = by_document.get(id(doc))
                if answer is None:
                    if self.keep(doc):
                        kept.append(self.reduced(doc))
                    continue
                keep, links, result = answer
                into.append((before + len(kept), keep, doc.kind, result.left, result.findings, links))
                if keep:
                    kept.append(self.reduced(doc))
        self._asked = (None, {})  # holds no document past its file
        return kept

    def reduced(self, document: Document) -> Document:
        """``document`` as the reduce needs it: only the parts its readers read
        (:mod:`lintra.check.kept`), the rest of its data and positions dropped."""
        readers = [reads for need, reads_of in self.readers.values() if self._answer(need, document)
                   for reads in reads_of]
        if document.kind in REFERENCE_KINDS and document.source.path:
            readers.append(REFERENCE_READS)
        paths = kept_parts.paths_for(document.kind, readers) if readers and not document.base else None
        if paths is not None and isinstance(document.data, dict):
            document.data = kept_parts.parts(document.data, paths)
            keep_only = getattr(document.locator, "keep_only", None)
            if keep_only is not None:
                keep_only(paths)
        return document

    def context(self, source: Source) -> List[Document]:
        """The documents of a context file that a cross-object rule needs (nothing else runs)."""
        return self.context_read(source)[0]

    def context_read(self, source: Source) -> Tuple[List[Document], Optional[List[str]]]:
        """:meth:`context`, and the other files its documents were built from (a Kustomize root's
        bases, a chart's templates) for :mod:`lintra.mapcache`; None when the outcome may not be
        stored (the file could not be read, or a build from other files reported a problem: a
        file it misses may appear)."""
        loaded = load_source(source, self.registry.loaders, self.registry.detectors, self.options,
                             each=self.kept)
        documents = loaded.documents
        storable = not loaded.unreadable and not (loaded.also and loaded.problems)
        if source.path is not None:
            source.forget()
        return documents, [record.file for record in loaded.also] if storable else None

    def cached_map(self, source: Source, raw: bool = False) -> Any:
        """:meth:`map`, through the persistent cache when the run has one (with ``raw``, in a
        worker: an entry found comes back as its text, for :meth:`stored`)."""
        if self.store is None:
            return self.map(source)
        return self.store.outcome(source, self.map, Outcome.restored, self.registry.loaders, raw)

    def stored(self, source: Source, found: Any) -> "Outcome":
        """The outcome of what a worker's :meth:`cached_map` gave back."""
        if isinstance(found, Outcome):
            return found
        return self.store.stored(found, source, self.map, Outcome.restored, self.registry.loaders)

    def map(self, source: Source) -> "Outcome":
        """Load one file and check it with every per-document rule: a streamed file (YAML) one
        parsed document at a time, each checked, located and dropped before the next is parsed
        (:func:`lintra.load.load_source`), so a file's memory is its largest document's."""
        registry = self.registry
        findings: List[Finding] = []
        suppressions: list = []
        observed: list = []
        settled: list = []  # what the map settled, per document (:meth:`kept`)
        kept_count = [0]
        local = Dispatch.of(self.local)  # once per file, not per parsed document

        def check(documents: List[Document]) -> List[Document]:
            findings.extend(run_rules(documents, local, Scan(documents, self.options, registry.resolvers)))
            suppressions.extend(suppress.from_documents(documents))
            if self.observe is not None:
                observed.append(self.observe.summarise(documents))
            chosen = self.kept(documents, self.settle(documents) if self.settles else None, settled, kept_count[0])
            # loose: packed by the run once it keeps many (Spill.keep); but a file's kept documents
            # reach the run only when the file is done, so past a few in one file (a long stream)
            # they are packed here, as each is made
            if self.loose and kept_count[0] < kept_parts.LOOSE_IN_A_FILE:
                kept = [kept_parts.loose(doc) for doc in chosen]
            else:
                kept = [kept_parts.packed(doc) for doc in chosen]
                for doc in kept:
                    pack = getattr(doc.locator, "pack", None)
                    if pack is not None:
                        pack()
            kept_count[0] += len(kept)
            return kept

        loaded = load_source(source, registry.loaders, registry.detectors, self.options, each=check)
        outcome = Outcome(loaded.record, loaded.unreadable, loaded.also)
        for problem in loaded.problems:
            outcome.add(Finding(RESERVED_BY_ID[problem.rule_id], problem.message, source.name, problem.span))
        if loaded.record.status == "scanned" and b"lintra:" in source.read_bytes():
            try:
                outcome.text_suppressions = suppress.from_text(source.name, decode(source.read_bytes()))
            except UnicodeDecodeError:
                pass  # a binary format (xlsx, ova) has no comments to read
        for name, text in loaded.comments:  # further files the load read (a chart's values, templates)
            outcome.text_suppressions.extend(suppress.from_text(name, text))
        if loaded.record.status == "scanned":  # else the file failed after some documents were checked
            for finding in findings:
                outcome.add(finding)
            outcome.document_suppressions = suppressions
            outcome.observed = observed
            outcome.kept = loaded.documents
            for position, keep, kind, left, found, links in settled:
                outcome.settled.append((position, keep, kind, left, len(found), links))
                for finding in found:
                    outcome.add(finding)
        if source.path is not None:
            source.forget()  # the bytes are read; kept documents need only the name and path
        return outcome


def _settled(plan: Plan, source: Source, outcome: "Outcome", found: List[Finding], before: int,
             order: List[Tuple[int, List[Finding]]], dropped: List[Tuple[int, Source]],
             links: Dict[int, Tuple[Document, Tuple[str, ...]]]) -> List[Finding]:
    """The map's own findings of ``outcome`` (returned), with what it settled of the cross-object
    rules put in the reduce's ``order`` (its kept documents start at ``before`` in the run's kept);
    the rules it left noted for :meth:`Plan.wants`, the documents kept only for others in ``links``."""
    stored = sum(entry[4] for entry in outcome.settled)
    own, settled = (found[:len(found) - stored], found[len(found) - stored:]) if stored else (found, [])
    at = 0
    for position, keep, kind, left, count, linked in outcome.settled:
        if keep:
            document = outcome.kept[position]
            plan.left[id(document)] = left
            if linked is not None and document.source.path:
                links[id(document)] = (document, linked)
        elif kind in ("heat", "cfn") and source.path and (not dropped or dropped[-1][1] is not source):
            dropped.append((before + position, source))
        if count:
            # after the documents kept before this one; its own reduce findings, when it is kept,
            # come after these (other rules: no two of one rule at one place change order)
            order.append((before + position, settled[at:at + count]))
            at += count
    return own


def _needed(kept: List[Document], order: List[Tuple[int, List[Finding]]],
            links: Dict[int, Tuple[Document, Tuple[str, ...]]]) -> Tuple[List[Document], List[Tuple[int, List[Finding]]]]:
    """``kept`` without the documents kept only for others (``links``: each with the relative
    paths of the only documents whose rules may read it) that no document the reduce runs rules
    on, nor one it keeps for such a document, may be read for; ``order`` moved alike."""
    if not links:
        return kept, order
    import os

    from lintra.repository import RealPaths

    real = RealPaths()
    readers: Dict[str, List[Document]] = {}  # real path -> the documents its rules may read
    for document, paths in links.values():
        directory = os.path.dirname(document.source.path)
        for path in paths:
            readers.setdefault(real.below(directory, path), []).append(document)
    waiting = [real.of(doc.source.path) for doc in kept if id(doc) not in links and doc.source.path]
    seen = set(waiting)
    needed = set()
    while waiting:
        for document in readers.get(waiting.pop(), ()):
            if id(document) not in needed:
                needed.add(id(document))
                path = real.of(document.source.path)
                if path not in seen:
                    seen.add(path)
                    waiting.append(path)
    if len(needed) == len(links):
        return kept, order
    moved, remaining = [], []  # moved[i]: how many of kept[:i] remain
    for doc in kept:
        moved.append(len(remaining))
        if id(doc) in needed or id(doc) not in links:
            remaining.append(doc)
    moved.append(len(remaining))
    return remaining, [(moved[position], found) for position, found in order]


def _reduce(plan: Plan, kept: List[Document], order: List[Tuple[int, List[Finding]]], scan: Scan) -> List[Finding]:
    """The cross-object rules on ``kept``, with the findings the map settled in their places."""
    dispatch = Dispatch.of(plan.cross)
    findings: List[Finding] = []
    start = 0
    wants = _Wants(plan)
    for position, settled in order:
        if position > start:
            findings.extend(run_rules(kept[start:position], dispatch, scan, wants=wants))
            start = position
        findings.extend(settled)
    findings.extend(run_rules(kept[start:], dispatch, scan, wants=wants))
    return findings


class _Wants:
    """:meth:`Plan.wants` for :func:`run_rules`, which also asks :meth:`Plan.runs_on` of each
    document before it dispatches the rules of its kind."""

    __slots__ = ("wants", "runs_on")

    def __init__(self, plan: Plan) -> None:
        self.wants = plan.wants
        self.runs_on = plan.runs_on

    def __call__(self, rule: Rule, document: Document) -> bool:
        return self.wants(rule, document)


def _scan_store(plan: Plan, rules: Sequence[Rule], found: Sequence[Any]) -> Any:
    """The persistent cache of map outcomes for the files this run checks (:mod:`lintra.mapcache`),
    or None: unless the run option ``cache_scans`` asks for it (``--cache``: writing the entries
    costs a first run about 1.4-1.8x, so only repeated runs on one machine gain), with the run option ``cache: False``, for an observed run (the audit summarises
    live documents), and for a run of fewer than :data:`lintra.mapcache.SCAN_FROM_FILES` files
    (a pre-commit batch of changed files: digesting lintra's own code to key the cache costs more
    than mapping them)."""
    options = plan.options or {}
    if not options.get("cache_scans") or not options.get("cache", True) or plan.observe is not None:
        return None
    from lintra import mapcache

    if sum(1 for source in found if getattr(source, "path", None)) < mapcache.SCAN_FROM_FILES:
        return None
    return mapcache.MapCache.open(plan.registry, rules, _keyed_options(plan), kind="scan")


def _keyed_options(plan: Plan) -> Dict[str, Any]:
    """The run options that decide what the map makes of a file (what discovery and the cache
    itself are told does not)."""
    return {key: value for key, value in (plan.options or {}).items() if key not in ("cache", "cache_scans", "force_exclude")}


def _read_context(plan: Plan, context: Sequence[str], found: Sequence[Any], suffixes, exclude,
                  kept: List[Document], rules: Sequence[Rule]) -> set:
    """Load the files under ``context`` that the run does not check itself, keeping the
    documents cross-object rules need (no per-document rule runs on them); their names. What is
    kept of each file comes from the persistent map cache when its content was read before
    (:mod:`lintra.mapcache`; the run option ``cache: False`` bypasses it)."""
    import os

    store = None
    if (plan.options or {}).get("cache", True):
        from lintra.mapcache import MapCache

        store = MapCache.open(plan.registry, rules, _keyed_options(plan))
        plan.wrote_context = store is not None
    checked = {os.path.realpath(s.path) for s in found if getattr(s, "path", None)}
    basenames = {os.path.basename(path) for path in checked}  # realpath only where it may match
    names = set()
    for source in discover(context, suffixes, exclude):
        if source.skip or source.path is None or (os.path.basename(source.path) in basenames
                                                  and os.path.realpath(source.path) in checked):
            continue
        names.add(source.name)
        kept.extend(store.documents(source, plan.context_read) if store is not None else plan.context(source))
    return names


def _repository_environments(plan: Plan, paths: Sequence[str], found: Sequence[Any], suffixes, exclude,
                             kept: List[Document], dropped: Sequence[Tuple[int, Source]] = ()) -> set:
    """Read, as context, the Heat environment files of each scanned template's repository that
    the scan does not include (a user checking ``templates/`` alone); their names.

    Heat's cross-file reasoning (which types are registry aliases, what ``--heat-env-auto``
    applies) then sees what a scan of the whole repository sees, so a partial scan reports on the
    templates what the full one does. Only a repository that reaches beyond the scanned
    directories is walked, with discovery's path rules and the bounds of
    :func:`lintra.load.heat_environment.environment_candidates`; no finding in those files is
    reported, and they are not among the run's files. ``dropped`` are the files of templates the
    map did not keep, each with how many documents were kept before it."""
    import os

    if not any(kind in plan.by_kind for kind in REFERENCE_KINDS):
        return set()
    templates = _template_sources(kept, dropped)
    if not templates:
        return set()
    from lintra.load.heat_environment import environment_candidates
    from lintra.repository import RealPaths, is_within, repository_root

    scanned = [os.path.realpath(path) for path in paths if path != "-" and os.path.isdir(path)]
    cache: dict = {}
    real = RealPaths()
    roots: Dict[str, str] = {}  # real root -> the root as the templates' names spell it
    for source in templates:
        root = repository_root(real.of(source.path), cache)
        if root is None or root in roots or any(is_within(root, top) for top in scanned):
            continue  # no repository, or one the scan covers whole
        roots[root] = root if os.path.isabs(source.name) else os.path.relpath(root)
    if not roots:
        return set()
    done = {real.of(s.path) for s in found if getattr(s, "path", None)}
    done |= {real.of(doc.source.path) for doc in kept if doc.source.path}
    done |= {real.of(source.path) for _, source in dropped}
    names = set()
    for shown in roots.values():
        for source in environment_candidates(discover([shown], suffixes, exclude), done):
            environments = [doc for doc in plan.context(source) if doc.kind == "heat-env"]
            if environments:
                names.add(source.name)
                kept.extend(environments)
    return names


def _template_sources(kept: Sequence[Document], dropped: Sequence[Tuple[int, Source]]) -> List[Source]:
    """The sources of the run's Heat templates in the order they were loaded: the kept ones', and
    those of ``dropped`` (each with how many documents were kept before it) in their places."""
    found: List[Source] = []
    waiting = iter(dropped)
    next_dropped = next(waiting, None)
    for position, doc in enumerate(kept):
        while next_dropped is not None and next_dropped[0] <= position:
            found.append(next_dropped[1])
            next_dropped = next(waiting, None)
        if doc.kind in ("heat", "cfn") and doc.source.path:
            found.append(doc.source)
    while next_dropped is not None:
        found.append(next_dropped[1])
        next_dropped = next(waiting, None)
    return found


def _resolved_needs(rule: Rule, registry: Registry) -> Optional[Callable[[Document], bool]]:
    """A rule on a kind whose resolver reads other documents (Heat's ``get_param`` reads the
    environments and parent templates) needs what that resolver reads, and its own documents."""
    resolvers = [registry.resolvers[kind] for kind in rule.kinds if kind in registry.resolvers]
    if not resolvers:
        return None
    kinds = set(rule.kinds)
    return lambda document: document.kind in kinds or any(r.needs(document) for r in resolvers)


def _asks(need: Callable[[Document], bool], document: Document) -> bool:
    try:
        return bool(need(document))
    except Exception:  # a broken predicate keeps the document: the rule then reports as it would
        return True


class Outcome:
    """What the map step gives back for one file: plain data, so that it can come from a worker.
    Findings travel without their rule (rules hold code); the run looks the rule up by id."""

    __slots__ = ("record", "unreadable", "_findings", "text_suppressions", "document_suppressions", "kept",
                 "also", "observed", "settled")

    def __init__(self, record: FileRecord, unreadable: bool, also: Sequence[FileRecord] = ()) -> None:
        self.record = record
        self.unreadable = unreadable
        #: records of the files read to build this file's documents (Kustomize bases, patches)
        self.also = list(also)
        self._findings: list = []
        self.text_suppressions: list = []
        self.document_suppressions: list = []
        self.kept: List[Document] = []
        #: what the run's observer summarised of this file's documents (plain data), once per
        #: group of documents alive together
        self.observed: List[Any] = []
        #: for each document whose cross-object rules the map ran (:meth:`Plan.settle`), in order:
        #: ``(how many of kept come before it, whether it is kept, its kind, the rules left to the
        #: reduce, how many findings, links)``; those findings are the last of :meth:`findings`, in
        #: order. ``links``: for a document kept only for others, the relative paths of the only
        #: documents whose rules may read it, else None (:meth:`Plan.settle`)
        self.settled: List[Tuple[int, bool, str, Tuple[str, ...], int, Optional[Tuple[str, ...]]]] = []

    def add(self, finding: Finding) -> None:
        self._findings.append(finding)

    def bare(self) -> bool:
        """Whether the outcome is its record and ``unreadable`` alone."""
        return not (self._findings or self.kept or self.text_suppressions or self.document_suppressions
                    or self.also or self.observed or self.settled)

    def findings(self, rules: Dict[str, Rule]) -> List[Finding]:
        found = []
        for item in self._findings:
            if isinstance(item, Finding):
                found.append(item)
                continue
            rule_id, state = item
            finding = Finding.__new__(Finding)
            for slot, value in state.items():
                setattr(finding, slot, value)
            finding.rule = rules.get(rule_id) or RESERVED_BY_ID["LT900"]
            found.append(finding)
        return found

    def __getstate__(self):
        findings = [(f.rule.id, {slot: getattr(f, slot) for slot in Finding.__slots__ if slot != "rule"})
                    if isinstance(f, Finding) else f for f in self._findings]
        return (self.record, self.unreadable, findings, self.text_suppressions, self.document_suppressions,
                self.kept, self.also, self.observed, self.settled)

    def __setstate__(self, state) -> None:
        (self.record, self.unreadable, self._findings, self.text_suppressions, self.document_suppressions,
         self.kept, self.also, self.observed, self.settled) = state

    @classmethod
    def restored(cls, state) -> "Outcome":
        """The outcome whose :meth:`__getstate__` was ``state`` (from the map cache)."""
        outcome = cls.__new__(cls)
        outcome.__setstate__(state)
        outcome.kept = [kept_parts.packed(doc) for doc in outcome.kept]  # waits as the map's own do
        return outcome


def _map_in_worker(plan: Plan, source: Source) -> Optional[bytes]:
    """The map step in a worker, its outcome pickled; None for a file whose outcome cannot be
    pickled (a plugin's locator that holds something unpicklable): the run maps it itself."""
    import pickle

    outcome = plan.cached_map(source, raw=True)
    if type(outcome) is Outcome and outcome.bare():
        try:
            return _BARE + marshal.dumps((outcome.record.__getstate__(), outcome.unreadable))
        except ValueError:  # a record holding more than plain data: pickled as any outcome
            pass
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None


#: the first byte of what a worker sends for a bare outcome (:meth:`Outcome.bare`): its record's
#: state and ``unreadable``, marshalled. Most files of a run (a skipped file, a clean one that
#: keeps nothing) have nothing else, and marshal writes such plain data several times faster than
#: pickle, which looks up each class it writes and this process's which it reads. (What pickle
#: writes begins with its protocol opcode, 0x80.)
_BARE = b"\0"


def _received(plan: Plan, source: Source, data: bytes) -> "Outcome":
    """The outcome a worker sent as ``data`` (:func:`_map_in_worker`)."""
    if data[:1] == _BARE:
        state, unreadable = marshal.loads(memoryview(data)[1:])
        record = FileRecord.__new__(FileRecord)
        record.__setstate__(state)
        return Outcome(record, unreadable)
    import pickle

    return plan.stored(source, pickle.loads(data))


def _mapper(plan: Plan, found: Sequence[Source], jobs: Optional[int]):
    """A context giving ``map(sources) -> outcomes`` in order: in this process, or shared with
    forked workers (:func:`lintra.parallel.ordered_map`)."""
    from lintra import parallel

    if jobs is None:
        jobs = parallel.available_cpus()
    if jobs <= 1 or len(found) < parallel.PARALLEL_FROM_FILES or not parallel.can_fork():
        plan.loose = True  # each outcome is taken as soon as it is made
        return nullcontext(_in_process(plan))
    import pickle
    from functools import partial

    _import_before_forking()
    return parallel.ordered_map(partial(_map_in_worker, plan), plan.cached_map, partial(_received, plan), jobs,
                                _weight(plan.registry))


def _in_process(plan: Plan) -> Callable[[Iterable[Source]], Iterator["Outcome"]]:
    def map_files(sources: Iterable[Source]) -> Iterator["Outcome"]:
        sources = list(sources)  # all of them at once, as the parallel map takes them
        return (plan.cached_map(source) for source in sources)

    return map_files


#: What the map step imports when its first files need it (RE2 for the packs' patterns, the Kustomize
#: reader's file helpers, the vSphere detector's JSON reader, the map's part of the Heat rules): a
#: parallel run imports them before forking, so that each worker inherits them instead of
#: importing them again
FIRST_USE_IMPORTS = ("re2", "lintra.load.kustomize.files", "lintra.load.kustomize.tree", "lintra.load.vsphere.apijson",
                     "lintra.check.settle")


def _import_before_forking() -> None:
    import importlib

    for name in FIRST_USE_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - what is missing fails where it is used, as before
            pass


#: What mapping a file costs besides its bytes, and what a file a loader builds from other files
#: (a Kustomize root, a Helm chart) costs besides its own bytes, in bytes of an ordinary file:
#: they rank the files so that the heaviest are mapped first (:func:`lintra.parallel.ordered_map`).
FILE_WEIGHT = 512
BUILD_WEIGHT = 64 * 1024


def _weight(registry: Registry) -> Callable[[Source], int]:
    import os

    builds = tuple(suffix for loader in registry.loaders if loader.cache_key is None for suffix in loader.suffixes)

    def weight(source: Source) -> int:
        if source.path is None:
            return FILE_WEIGHT
        try:
            size = os.stat(source.path).st_size
        except OSError:
            size = 0
        return size + FILE_WEIGHT + (BUILD_WEIGHT if source.name.lower().endswith(builds) else 0)

    return weight


@contextmanager
def _let_go_if_stopped(spill: "kept_parts.Spill"):
    """A run stopped early (Ctrl-C, an error) lets go of its decoded kept documents and closes
    its spill file at once, instead of when the next run in this process releases them."""
    try:
        yield
    except BaseException:
        _let_go(spill, close=True)
        raise


def _let_go(spill: "kept_parts.Spill", close: bool) -> None:
    """The end of a run: the decoded kept documents, and the memos of the last document the rules
    looked at (which hold its scan, and so every kept document) are let go; a finished run's
    spill closes when its last kept document goes, a stopped run's at once."""
    from lintra.policy import pack, resolvers

    kept_parts.release()
    resolvers.forget()
    pack.forget()
    if close:
        spill.close()


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
