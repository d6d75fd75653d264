"""Run a rule's inline ``examples: {fail: [...], pass: [...]}``: unit tests a policy author gets for
free (as ``opa test`` or conftest ``verify`` give Rego authors).

Each example is loaded exactly as ``lintra check`` would load a file of that name (so a ``.vmx``
example goes through the vmx reader), then the rule runs through the same engine, crashes
included: a fail example must produce a finding of the rule, a pass example none.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence

from lintra.model import Rule, Source

DEFAULT_NAME = "example.yaml"


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


def example_results(rule: Rule, loaders: Sequence, detectors: Sequence,
                    resolvers: Optional[Mapping[str, Any]] = None) -> List[ExampleResult]:
    """Each example's outcome; ``resolvers`` (kind -> Resolver, as the registry has them) let the
    rule see through indirection exactly as in a run."""
    results = []
    for expect in ("fail", "pass"):
        for n, example in enumerate((rule.examples or {}).get(expect) or ()):
            if isinstance(example, dict):
                name, content = str(example.get("filename", DEFAULT_NAME)), str(example.get("content", ""))
            else:
                name, content = DEFAULT_NAME, str(example)
            problem = _judge(rule, expect, name, content, loaders, detectors, resolvers)
            results.append(ExampleResult(expect, n, name, content, problem))
    return results


def _judge(rule: Rule, expect: str, name: str, content: str, loaders, detectors, resolvers) -> Optional[str]:
    from lintra.check import Scan, run_rules
    from lintra.load import load_source

    loaded = load_source(Source(name, None, content.encode("utf-8")), loaders, detectors)
    docs = [d for d in loaded.documents if d.kind in rule.kinds]
    if loaded.problems or not docs:
        return f"is not a {'/'.join(rule.kinds)} document ({loaded.record.reason or 'no document'})"
    findings = run_rules(docs, [rule], Scan(loaded.documents, resolvers=resolvers))
    crashed = [f for f in findings if f.rule.id != rule.id]
    if crashed:
        return crashed[0].message
    if expect == "fail" and not findings:
        return "no finding"
    if expect == "pass" and findings:
        first = findings[0]
        return f"unexpected finding at {first.span.line}:{first.span.column}: {first.message}"
    return None


def run_examples(rule: Rule, loaders: Sequence, detectors: Sequence,
                 resolvers: Optional[Mapping[str, Any]] = None) -> List[str]:
    """A description of each example that misbehaves (none: the rule is as its examples say)."""
    return [f"{rule.id} {r.expect} example {r.index + 1}: {r.problem}"
            for r in example_results(rule, loaders, detectors, resolvers) if not r.ok]
