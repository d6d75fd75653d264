"""Rule selectors, shared by ``--select``/``--ignore``, severity overrides and profiles."""

from __future__ import annotations

from typing import Optional

from lintra.model import VENDORS, Rule


def matches(rule: Rule, selector: str, vendor: Optional[str] = None) -> bool:
    """A selector names a rule id or id prefix (``LK1``), its name, its vendor or its category.

    ``vendor`` is the vendor of one finding, for rules that attribute each finding (a claim bound
    to a vmware StorageClass is a vmware finding of a rule declared ``other``)."""
    selector = selector.strip()
    return (rule.id.upper().startswith(selector.upper()) or selector == rule.name
            or selector.lower() in (rule.vendor, rule.category) or (vendor is not None and selector.lower() == vendor))


def may_match(rule: Rule, selector: str) -> bool:
    """Whether some finding of ``rule`` may match: a rule declared ``other`` names each finding's
    vendor itself, so any vendor selector may match it."""
    return matches(rule, selector) or (rule.vendor == "other" and selector.strip().lower() in VENDORS)

