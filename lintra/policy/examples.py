"""Run a rule's inline ``examples: {fail: [...], pass: [...]}``: unit tests a policy author gets for
free (as ``opa test`` or conftest ``verify`` give Rego authors).

Each example is loaded exactly as ``lintra check`` would load a file of that name (so a ``.vmx``
example goes through the vmx reader), then the rule runs through the same engine, crashes
included: a fail example must produce a finding of the rule, a pass example none. A fail example
that states ``expect: [{line, column, count}]`` must produce exactly those findings: a rule cannot
drift to another node unnoticed.
"""

from __future__ import annotations

import os

from lintra.model import Rule, Source

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Mapping, Optional, Sequence, Tuple

DEFAULT_NAME = "example.yaml"
ENVIRONMENT_NAME = "example-env.yaml"


class ExampleResult:
    """One example's outcome; ``problem`` is None when the rule behaved as the example says."""

    __slots__ = ("expect", "index", "filename", "content", "problem")

    def __init__(self, expect: str, index: int, filename: str, content: str, problem: Optional[str]) -> None:
        self.expect = expect  # "fail" or "pass"
        self.index = index  # 0-based position in its list
        self.filename = filename
        self.content = content
        self.problem = problem

    @property
    def ok(self) -> bool:
        return self.problem is None


def example_parts(example: Any) -> Tuple[str, str, Optional[str]]:
    """``(file name, content, Heat environment or None)`` of one example as written."""
    if isinstance(example, dict):
        environment = example.get("environment")
        return (str(example.get("filename", DEFAULT_NAME)), str(example.get("content", "")),
                None if environment is None else str(environment))
    return DEFAULT_NAME, str(example), None


def example_results(rule: Rule, loaders: Sequence, detectors: Sequence,
                    resolvers: Optional[Mapping[str, Any]] = None) -> List[ExampleResult]:
    """Each example's outcome; ``resolvers`` (kind -> Resolver, as the registry has them) let the
    rule see through indirection exactly as in a run."""
    results = []
    for expect in ("fail", "pass"):
        for n, example in enumerate((rule.examples or {}).get(expect) or ()):
            name, content, environment = example_parts(example)
            problem = _judge(rule, expect, name, content, loaders, detectors, resolvers, environment,
                             stated_locations(rule.examples, n) if expect == "fail" else None)
            results.append(ExampleResult(expect, n, name, content, problem))
    return results


def _judge(rule: Rule, expect: str, name: str, content: str, loaders, detectors, resolvers,
           environment: Optional[str] = None, located: Optional[list] = None) -> Optional[str]:
    findings = example_findings(rule, name, content, loaders, detectors, resolvers, environment)
    if isinstance(findings, str):
        return findings
    crashed = [f for f in findings if f.rule.id != rule.id]
    if crashed:
        return crashed[0].message
    if expect == "fail" and not findings:
        return "no finding"
    if expect == "fail" and located is not None:
        return _compare_locations(findings, located)
    if expect == "pass" and findings:
        first = findings[0]
        return f"unexpected finding at {first.span.line}:{first.span.column}: {first.message}"
    return None


def expected_locations(example: Any) -> Optional[List[Tuple[int, int]]]:
    """The ``(line, column)`` of every finding a fail example states (``count`` repeats one), in
    order; None when it states none."""
    stated = example.get("expect") if isinstance(example, dict) else None
    if stated is None:
        return None
    return sorted((int(e["line"]), int(e["column"])) for e in stated for _ in range(int(e.get("count", 1))))


def stated_locations(examples: Mapping[str, Any], n: int) -> Optional[List[Tuple[int, int]]]:
    """The locations fail example ``n`` states: in the example itself, or as item ``n`` of the
    ``expect`` list beside ``fail`` (one list of locations per fail example)."""
    found = expected_locations((examples.get("fail") or ())[n])
    beside = examples.get("expect")
    if found is None and isinstance(beside, list) and n < len(beside):
        found = expected_locations({"expect": beside[n]})
    return found


def _compare_locations(findings, located: List[Tuple[int, int]]) -> Optional[str]:
    found = sorted((f.span.line, f.span.column) for f in findings)
    if found == located:
        return None
    shown = ", ".join(f"{line}:{column}" for line, column in found)
    wanted = ", ".join(f"{line}:{column}" for line, column in located)
    return f"findings at {shown}, the example states {wanted}"


def example_findings(rule: Rule, name: str, content: str, loaders, detectors, resolvers=None,
                     environment: Optional[str] = None):
    """The findings ``rule`` yields on one example, or a string saying why it could not run.

    The example goes through the pipeline ``lintra check`` runs (:func:`lintra.pipeline.run`, on
    in-memory sources, with a registry of this one rule and the given readers), so the rule is
    judged exactly as in a scan. ``environment`` is a Heat environment applied to the example as
    ``-e`` would apply it (a rule such as LH107 judges a template only through the environment it
    is deployed with)."""
    from lintra.filter import Judgement
    from lintra.pipeline import run
    from lintra.plugins import Registry

    registry = Registry()
    registry.add_rule(rule)
    registry.loaders, registry.detectors = list(loaders), list(detectors)
    registry.resolvers = dict(resolvers or {})
    sources = [Source(name, None, content.encode("utf-8"))]
    options: dict = {}
    if environment is not None:
        # a path no file has: the environment index keys -e files by real path, never reading it
        path = os.path.join(os.sep, "lintra-example", ENVIRONMENT_NAME)
        sources.append(Source(ENVIRONMENT_NAME, path, environment.encode("utf-8")))
        options["heat_env"] = [path]
    kinds = _Kinds()
    result = run((), Judgement(select=[rule.id]), registry=registry, options=options, jobs=1, observe=kinds,
                 sources=sources)
    problems = [f for f in result.findings if f.rule.id in _LOAD_PROBLEMS]
    if problems or not set(kinds.of.get(name, ())) & set(rule.kinds):
        reason = result.files[0].reason if result.files else None
        return f"is not a {'/'.join(rule.kinds)} document ({reason or 'no document'})"
    if environment is not None and (any(f.rule.id in _LOAD_PROBLEMS for f in result.findings)
                                    or kinds.of.get(ENVIRONMENT_NAME) != ["heat-env"]):
        return "its environment is not a Heat environment"
    # as a scan reports them: a finding the example's own comment suppresses is none, and an unused
    # suppression (LT003) is not the rule's
    return [f for f in result.findings if not f.suppressed and f.rule.id != "LT003"]


#: lintra's own findings that say a file was not (wholly) read
_LOAD_PROBLEMS = ("LT000", "LT001", "LT002")


class _Kinds:
    """The run's observer: the kinds of each file's documents (what the example turned out to be)."""

    def __init__(self) -> None:
        self.of: dict = {}

    def summarise(self, documents):
        return documents[0].source.name, [doc.kind for doc in documents]

    def add(self, summary) -> None:  # a file's documents may come in several groups (one per YAML document)
        name, kinds = summary
        self.of.setdefault(name, []).extend(kinds)


def run_examples(rule: Rule, loaders: Sequence, detectors: Sequence,
                 resolvers: Optional[Mapping[str, Any]] = None) -> List[str]:
    """A description of each example that misbehaves (none: the rule is as its examples say)."""
    return [f"{rule.id} {r.expect} example {r.index + 1}: {r.problem}"
            for r in example_results(rule, loaders, detectors, resolvers) if not r.ok]
