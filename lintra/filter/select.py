"""Rule selectors, shared by ``--select``/``--ignore``, severity overrides and profiles."""

from __future__ import annotations

from lintra.model import Rule


def matches(rule: Rule, selector: str) -> bool:
    """A selector names a rule id or id prefix (``LK1``), its name, its vendor or its category."""
    selector = selector.strip()
    return (rule.id.upper().startswith(selector.upper()) or selector == rule.name
            or selector.lower() in (rule.vendor, rule.category))

