"""Filter stage: decide which findings count and how much.

A :class:`Judgement` holds what configuration decided: the strictness profile, rule selection,
severity overrides, sanctioned vendors, per-path overrides and the ``fail_on`` threshold. Inline
suppressions (:mod:`suppress`) and baselines (:mod:`baseline`) are further passes over findings.
"""

from __future__ import annotations

import os

from lintra.discover import path_matches
from lintra.filter.profiles import DEFAULT_PROFILE, Profile, resolve
from lintra.filter.select import matches
from lintra.model import RESERVED_VENDOR, VENDORS, Finding, Level, Rule

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union


class Judgement:
    __slots__ = ("select", "ignore", "severity", "profile", "sanctioned", "hide_sanctioned", "per_path",
                 "root", "_fail_on")

    def __init__(self, select: Sequence[str] = (), ignore: Sequence[str] = (),
                 severity: Optional[Dict[str, str]] = None, fail_on: Optional[str] = None,
                 profile: Optional[Profile] = None, sanctioned: Sequence[str] = (),
                 hide_sanctioned: bool = False, per_path: Sequence[Tuple[Sequence[str], "Judgement"]] = (),
                 root: Optional[str] = None) -> None:
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        #: selector -> level, applied after the profile; later entries win
        self.severity = {k: Level.parse(v) for k, v in (severity or {}).items()}
        self.profile = profile or resolve(DEFAULT_PROFILE)
        self._fail_on = None if fail_on is None else Level.parse(fail_on)
        self.sanctioned = frozenset(v.lower() for v in sanctioned)
        self.hide_sanctioned = hide_sanctioned
        #: ``(globs, judgement)`` pairs; the last whose globs match a finding's file judges it
        self.per_path = tuple(per_path)
        #: the directory per-path globs are relative to (the configuration file's)
        self.root = root

    @property
    def fail_on(self) -> Level:
        return self._fail_on if self._fail_on is not None else self.profile.fail_on

    def level(self, rule: Rule, vendor: Optional[str] = None) -> Optional[Level]:
        """The level of ``rule``'s findings (of ``vendor``, when one finding is judged), or None
        when they are off."""
        if self.select and rule.vendor != RESERVED_VENDOR and not any(matches(rule, sel, vendor) for sel in self.select):
            return None  # lintra's own diagnostics (a file that was not judged) survive --select
        if any(matches(rule, ign, vendor) for ign in self.ignore):
            return None
        level = self.profile.level(rule, vendor)
        if level is not None:
            for selector, override in self.severity.items():
                if matches(rule, selector, vendor):
                    level = override
        return level

    def enabled(self, rule: Rule) -> bool:
        """Whether the rule must run at all: it may produce a finding that is on, here or under
        some per-path override (a rule declared ``other`` may produce findings of any vendor)."""
        return any(j._may_report(rule) for j in (self, *(j for _, j in self.per_path)))

    def _may_report(self, rule: Rule) -> bool:
        if self.level(rule) is not None:
            return True
        # judged per finding vendor: the vendors the rule declares, any vendor for a rule declared
        # "other" that declares none (a plugin's, naming each finding's vendor itself)
        vendors = set(rule.vendors) | (set(VENDORS) if rule.vendor == "other" else set())
        return any(self.level(rule, vendor) is not None for vendor in vendors)

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` makes the run fail, by the threshold of the judgement for its file."""
        return not (finding.suppressed or finding.sanctioned or finding.conditional) and \
            finding.level >= self.for_file(finding.file).fail_on

    def for_file(self, file: str) -> "Judgement":
        if not self.per_path:
            return self
        relative = os.path.relpath(os.path.abspath(file), self.root or os.getcwd())
        chosen = self
        for globs, judgement in self.per_path:
            if path_matches(relative, globs):
                chosen = judgement
        return chosen


def judge(findings: Iterable[Finding], judgement: Judgement) -> Tuple[List[Finding], int]:
    """Level every finding by the judgement for its file; return the kept ones and how many
    findings on sanctioned vendors were hidden."""
    kept, hidden = [], 0
    for finding in findings:
        verdict = judgement.for_file(finding.file)
        level = verdict.level(finding.rule, finding.vendor)
        if level is None:
            continue
        finding.level = level
        if finding.vendor in verdict.sanctioned:
            if verdict.hide_sanctioned:
                hidden += 1
                continue
            finding.sanctioned = True
            finding.level = Level.info
        if finding.conditional:
            # coupling in a branch the values in effect switch off: the chart's, not the user's yet
            finding.level = min(finding.level, Level.info)
            finding.message += f" (conditional: only rendered when {finding.conditional})"
        kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return kept, hidden


def failing(findings: Iterable[Finding], threshold: Union[Level, Judgement]) -> List[Finding]:
    """The findings that fail the run: at or above ``threshold``, or, given the run's
    judgement, at or above the ``fail_on`` of the judgement for each finding's file. Coupling to
    a sanctioned vendor is an accepted decision: it never fails, even under ``fail_on: info``."""
    if isinstance(threshold, Judgement):
        return [f for f in findings if threshold.fails(f)]
    return [f for f in findings if not (f.suppressed or f.sanctioned or f.conditional) and f.level >= threshold]


__all__ = ["Judgement", "judge", "failing", "matches"]
