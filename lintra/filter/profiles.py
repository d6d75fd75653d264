"""Strictness profiles: what each rule's findings become for one kind of organisation.

A profile is data (``policies/profiles/*.profile.yaml``, or ``profiles:`` in a config file). It
adjusts rules by class (their coupling ``strength``) and by selector (id or id prefix, name,
vendor, category), sets the ``fail_on`` threshold and the suppression policy, and may ``extends:``
another profile. Along an ``extends`` chain an entry replaces the parent's entry for the same
strength or selector, so a child can lift a parent's cap rather than stack on it.
"""

from __future__ import annotations

import functools
import os

from lintra.filter.select import matches
from lintra.model import Level, Rule

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

DEFAULT_PROFILE = "balanced"
_ADJUSTMENT_KEYS = ("enabled", "severity", "min", "max")


class ProfileError(ValueError):
    """A profile that cannot be used: unknown name, an ``extends`` cycle, a bad value."""


class Adjustment:
    """What one profile entry does to a rule: switch it off, set, raise or cap its level."""

    __slots__ = ("enabled", "severity", "floor", "cap")

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.enabled: Optional[bool] = entry.get("enabled")
        self.severity = _level(entry.get("severity"))
        self.floor = _level(entry.get("min"))
        self.cap = _level(entry.get("max"))

    def apply(self, level: Optional[Level], default: Level) -> Optional[Level]:
        if self.enabled is False:
            return None
        if level is None:
            if not self.enabled:
                return None
            level = default  # switched back on by a later entry
        if self.severity is not None:
            level = self.severity
        if self.floor is not None and level < self.floor:
            level = self.floor
        if self.cap is not None and level > self.cap:
            level = self.cap
        return level


def _level(value: Any) -> Optional[Level]:
    return None if value is None else Level.parse(value)


class Profile:
    """A resolved profile: its own entries merged over those of every profile it extends."""

    __slots__ = ("name", "description", "chain", "origin", "strengths", "rules", "fail_on",
                 "require_reason", "non_suppressible")

    def __init__(self, name: str, description: str, chain: Sequence[str], origin: str,
                 strengths: Dict[str, Adjustment], rules: Dict[str, Adjustment], fail_on: Level,
                 require_reason: bool, non_suppressible: Sequence[str]) -> None:
        self.name = name
        self.description = description
        #: this profile and the ones it extends, nearest first
        self.chain = tuple(chain)
        self.origin = origin
        self.strengths = strengths
        self.rules = rules
        self.fail_on = fail_on
        self.require_reason = require_reason
        self.non_suppressible = tuple(non_suppressible)

    def level(self, rule: Rule, vendor: Optional[str] = None) -> Optional[Level]:
        """The level of ``rule``'s findings (of ``vendor``, when known) under this profile, or None
        when it is switched off. The class entry applies first, then every matching rule entry in
        the order written."""
        level: Optional[Level] = rule.severity
        adjustment = self.strengths.get(rule.strength)
        if adjustment is not None:
            level = adjustment.apply(level, rule.severity)
        for selector, adjustment in self.rules.items():
            if matches(rule, selector, vendor):
                level = adjustment.apply(level, rule.severity)
        return level

    def suppressible(self, rule: Rule) -> bool:
        return not any(matches(rule, selector) for selector in self.non_suppressible)


@functools.lru_cache(maxsize=None)
def builtin_profiles(directory: Optional[str] = None) -> Dict[str, Tuple[dict, str]]:
    """``name -> (data, file)`` for the profiles shipped in ``policies/profiles`` (read once)."""
    from lintra import cache

    paths = profile_files(directory)
    # The shipped profiles' parsed data is cached by their content, as the shipped packs' is
    # (lintra.cache: JSON data only), so a one-file run does not parse them again; the entry also
    # ships in the package (lintra.cache.shipped), so a first run need not parse them either.
    key = cache.file_digest(paths)
    for read in (cache.shipped, cache.read):
        cached = read(CACHE_KIND, key) if key else None
        if isinstance(cached, list) and len(cached) == len(paths) and all(isinstance(d, dict) for d in cached):
            return {data["profile"]: (data, path) for data, path in zip(cached, paths)}
    parsed = parse_profiles(paths)
    if key and cache.round_trips(parsed):
        cache.write(CACHE_KIND, key, parsed)
    return {data["profile"]: (data, path) for data, path in zip(parsed, paths)}


#: the cache kind of the built-in profiles' parsed data, in file order
CACHE_KIND = "profiles"


def profile_files(directory: Optional[str] = None) -> List[str]:
    """The built-in profiles' files (those of ``directory`` instead, when given), sorted."""
    from lintra.resources import PROFILE_SUFFIX, policies_dir

    directory = directory or os.path.join(policies_dir(), "profiles")
    return [os.path.join(directory, name) for name in sorted(os.listdir(directory)) if name.endswith(PROFILE_SUFFIX)]


def parse_profiles(paths: Sequence[str]) -> List[dict]:
    from lintra.load import yamltree

    parsed = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            parsed.append(yamltree.parse(handle.read())[0][0])
    return parsed


def resolve(name: str, user: Optional[Mapping[str, Tuple[dict, str]]] = None) -> Profile:
    """Resolve ``name`` against user-defined profiles first, then the built-in ones."""
    builtin = builtin_profiles()
    known: Dict[str, Tuple[dict, str]] = {**builtin, **(user or {})}
    chain: List[str] = []
    datas: List[Tuple[dict, str]] = []
    current: Optional[str] = name
    while current is not None:
        # A user profile may take a built-in's name and extend it: ``balanced: {extends: balanced}``.
        entry = builtin.get(current) if datas and current == chain[-1] else known.get(current)
        where = f"{datas[-1][1]}: " if datas else ""
        if entry is None:
            extended = f" (extended by {chain[-1]!r})" if chain else ""
            raise ProfileError(f"{where}unknown profile {current!r}{extended}; known: {', '.join(sorted(known))}")
        if any(entry is seen for seen in datas):
            raise ProfileError(f"{where}profile {name!r}: 'extends' forms a cycle: {' -> '.join(chain + [current])}")
        chain.append(current)
        datas.append(entry)
        current = entry[0].get("extends")
    strengths: Dict[str, Adjustment] = {}
    rules: Dict[str, Adjustment] = {}
    fail_on, require_reason, non_suppressible = Level.error, False, []
    for data, _ in reversed(datas):  # the farthest ancestor first, so nearer entries replace it
        strengths.update({k: Adjustment(v or {}) for k, v in (data.get("strengths") or {}).items()})
        rules.update({k: Adjustment(v or {}) for k, v in (data.get("rules") or {}).items()})
        if data.get("fail_on") is not None:
            fail_on = Level.parse(data["fail_on"])
        policy = data.get("suppressions") or {}
        if "require_reason" in policy:
            require_reason = bool(policy["require_reason"])
        non_suppressible.extend(s for s in policy.get("non_suppressible") or () if s not in non_suppressible)
    return Profile(name, datas[0][0].get("description", ""), chain, datas[0][1], strengths, rules,
                   fail_on, require_reason, non_suppressible)
