"""Rule selectors, shared by ``--select``/``--ignore``, severity overrides and profiles."""

from __future__ import annotations


from lintra.model import VENDORS, Rule

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional


def matches(rule: Rule, selector: str, vendor: Optional[str] = None) -> bool:
    """A selector names a rule id or id prefix (``LK1``), its name, its vendor or its category.

    ``vendor`` is the vendor of one finding, for rules that attribute each finding (a claim bound
    to a vmware StorageClass is a vmware finding of a rule declared ``other``)."""
    selector = selector.strip()
    # a finding is judged by its own vendor: an LK601 Portworx finding is pure's, not "other"'s
    return (rule.id.upper().startswith(selector.upper()) or selector == rule.name
            or selector.lower() in (rule.vendor if vendor is None else vendor, rule.category))


def may_match(rule: Rule, selector: str) -> bool:
    """Whether some finding of ``rule`` may match: one of the vendors it declares, and for a rule
    declared ``other`` (a plugin's, naming each finding's vendor itself) any vendor."""
    chosen = selector.strip().lower()
    return matches(rule, selector) or chosen in rule.vendors or (rule.vendor == "other" and chosen in VENDORS)

