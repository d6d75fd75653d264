"""Filter stage: decide which findings count and how much.

A :class:`Judgement` holds what configuration decided: the strictness profile, rule selection,
severity overrides, sanctioned vendors, per-path overrides and the ``fail_on`` threshold. Inline
suppressions (:mod:`suppress`) and baselines (:mod:`baseline`) are further passes over findings.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from lintra.filter.profiles import DEFAULT_PROFILE, Profile, resolve
from lintra.discover import path_matches
from lintra.filter.select import matches
from lintra.model import RESERVED_VENDOR, Finding, Level, Rule


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

    def level(self, rule: Rule) -> Optional[Level]:
        """The level ``rule``'s findings get, or None when the rule is off."""
        if self.select and rule.vendor != RESERVED_VENDOR and not any(matches(rule, sel) for sel in self.select):
            return None  # lintra's own diagnostics (a file that was not judged) survive --select
        if any(matches(rule, ign) for ign in self.ignore):
            return None
        level = self.profile.level(rule)
        if level is not None:
            for selector, override in self.severity.items():
                if matches(rule, selector):
                    level = override
        return level

    def enabled(self, rule: Rule) -> bool:
        """Whether the rule must run at all: on here, or on under some per-path override."""
        return self.level(rule) is not None or any(j.level(rule) is not None for _, j in self.per_path)

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
        level = verdict.level(finding.rule)
        if level is None:
            continue
        finding.level = level
        if finding.vendor in verdict.sanctioned:
            if verdict.hide_sanctioned:
                hidden += 1
                continue
            finding.sanctioned = True
            finding.level = Level.info
        kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return kept, hidden


def failing(findings: Iterable[Finding], fail_on: Level) -> List[Finding]:
    return [f for f in findings if not f.suppressed and f.level >= fail_on]


__all__ = ["Judgement", "judge", "failing", "matches"]
