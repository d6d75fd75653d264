"""Rule parameters: what a rule declares it can be told (``Rule.params``), and what a run tells it.

A rule declares ``name -> {"type", "default", "description"}``; ``.lintra.yaml`` sets values per
rule (``rules: {LK304: {params: {public_registries: [...]}}}``), which reach the check through
the scan (option ``rule_params``). A check reads the effective values with :func:`effective`, as
kube-linter's checks read their ``params`` and yamllint's rules their ``CONF``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

from lintra.model import PARAM_TYPES

TYPES = PARAM_TYPES


def effective(rule, scan) -> Dict[str, Any]:
    """``name -> value`` for every parameter of ``rule``: the run's value, else the default."""
    given = ((getattr(scan, "options", None) or {}).get("rule_params") or {}).get(rule.id) or {}
    return {name: given.get(name, spec.get("default")) for name, spec in rule.params.items()}


def problems(configured: Mapping[str, Any], rules: Mapping[str, Any], origin: str) -> List[str]:
    """``origin: rules.ID.params.NAME: why`` for every configured parameter the rule does not
    declare, or whose value is not of the declared type."""
    found = []
    for rule_id, entry in configured.items():
        rule = rules.get(rule_id)
        params = (entry or {}).get("params") or {}
        if rule is None:
            found.append(f"{origin}: rules.{rule_id}: no rule has this id")
            continue
        for name, value in params.items():
            spec = rule.params.get(name)
            if spec is None:
                known = ", ".join(sorted(rule.params)) or "none"
                found.append(f"{origin}: rules.{rule_id}.params.{name}: {rule_id} has no parameter {name!r} "
                             f"(known: {known})")
            elif not TYPES[spec["type"]](value):
                found.append(f"{origin}: rules.{rule_id}.params.{name}: must be of type {spec['type']}, "
                             f"not {value!r}")
    return found
