"""Filter stage: decide which findings count and how much.

:class:`Judgement` is the seam where configuration lands: rule selection, severity overrides and
the ``fail_on`` threshold today; profiles, sanctioned vendors, suppressions and baselines plug in
here as further steps of :func:`judge`, each one pass over the findings.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence

from lintra.model import Finding, Level, Rule


class Judgement:
    __slots__ = ("select", "ignore", "severity", "fail_on")

    def __init__(self, select: Sequence[str] = (), ignore: Sequence[str] = (),
                 severity: Optional[Dict[str, str]] = None, fail_on: str = "error") -> None:
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.severity = {k: Level.parse(v) for k, v in (severity or {}).items()}
        self.fail_on = Level.parse(fail_on)

    def enabled(self, rule: Rule) -> bool:
        if self.select and not any(matches(rule, sel) for sel in self.select):
            return False
        return not any(matches(rule, ign) for ign in self.ignore)


def matches(rule: Rule, selector: str) -> bool:
    """A selector names a rule id or id prefix (``LK1``), its name, its vendor or its category."""
    selector = selector.strip()
    return (rule.id.upper().startswith(selector.upper()) or selector == rule.name
            or selector.lower() in (rule.vendor, rule.category))


def judge(findings: Iterable[Finding], judgement: Judgement) -> List[Finding]:
    kept = []
    for finding in findings:
        if not judgement.enabled(finding.rule):
            continue
        override = judgement.severity.get(finding.rule.id)
        if override is not None:
            finding.level = override
        kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return kept


def failing(findings: Iterable[Finding], fail_on: Level) -> List[Finding]:
    return [f for f in findings if not f.suppressed and f.level >= fail_on]
