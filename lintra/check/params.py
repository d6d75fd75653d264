"""Rule parameters: what a rule declares it can be told (``Rule.params``), and what a run tells it.

A rule declares ``name -> {"type", "default", "description"}``; ``.lintra.yaml`` sets values per
rule (``rules: {LK304: {params: {public_registries: [...]}}}``), or for every rule declaring a
parameter under the id ``*`` (``rules: {"*": {params: {public_registries: [...]}}}``: the image
rules share that one), and a rule's own entry wins over ``*``. The values reach the check through
the scan (option ``rule_params``). A check reads the effective values with :func:`effective`, as
kube-linter's checks read their ``params`` and yamllint's rules their ``CONF``.
"""

from __future__ import annotations

from types import MappingProxyType

from lintra.model import PARAM_TYPES

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, Optional

TYPES = PARAM_TYPES
#: the rule id that sets a parameter for every rule declaring it
EVERY_RULE = "*"
_TYPE_NAMES = {"vendor_map": "vendor_map (a mapping of names to known vendor names)",
               "string_map": "string_map (a mapping of names to strings)"}


def effective(rule, scan) -> Dict[str, Any]:
    """``name -> value`` for every parameter of ``rule``: the run's value, else the default.

    Resolved once per rule and run (a check asks on every document): the answer is shared, and
    must not be modified."""
    given = configured(scan)
    memo = _resolved
    if memo[0] is not given:
        memo[0], memo[1] = given, {}
    values = memo[1].get(rule)
    if values is None:
        values = memo[1][rule] = configured_values(rule, given)
    return values


_NONE: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
#: the run's configured parameters :func:`effective` answered for last, and its answers by rule
_resolved: list = [None, {}]


def configured(scan) -> Mapping[str, Mapping[str, Any]]:
    """The run's ``rule id -> {name: value}`` (option ``rule_params``): one mapping for the whole
    run, so a check may keep what it derives from it while the same mapping comes back."""
    options = getattr(scan, "options", None)
    return (options.get("rule_params") if options else None) or _NONE


def configured_values(rule, configured: Mapping[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """``name -> value`` of ``rule``'s parameters given ``rule id -> {name: value}`` (the
    configuration's ``rules``, ``*`` included), else the defaults."""
    given = {**(configured.get(EVERY_RULE) or {}), **(configured.get(rule.id) or {})}
    return {name: given.get(name, spec.get("default")) for name, spec in rule.params.items()}


def declared_vendors(rule, configured: Mapping[str, Mapping[str, Any]]) -> tuple:
    """The vendors ``rule``'s findings may name under ``configured`` (as :func:`configured_values`
    takes it): those the rule declares, then the vendor of every entry of its ``vendor_map``
    parameters' effective values, so an organisation's extra driver of a vendor the rule's own
    tables never name is declared too (``lintra rules --format json`` ``vendors``)."""
    extra = [vendor for name, value in configured_values(rule, configured).items()
             if rule.params[name].get("type") == "vendor_map" and isinstance(value, dict)
             for vendor in value.values()]
    return tuple(dict.fromkeys((*rule.vendors, *extra)))


def problems(configured: Mapping[str, Any], rules: Mapping[str, Any], origin: str,
             where: Optional[Callable[[str, Optional[str]], Optional[str]]] = None) -> List[str]:
    """``place: rules.ID.params.NAME: why`` for every configured parameter the rule does not
    declare, or whose value is not of the declared type. ``where(rule_id, name)`` is the
    ``file:line:column`` that set it (``name`` None: the rule's entry); ``origin`` when unknown."""
    def place(rule_id: str, name: Optional[str] = None) -> str:
        return (where(rule_id, name) if where else None) or origin

    found = []
    for rule_id, entry in configured.items():
        params = (entry or {}).get("params") or {}
        if rule_id == EVERY_RULE:
            for name, value in params.items():
                declaring = [rule for rule in rules.values() if name in rule.params]
                if not declaring:
                    known = sorted({n for rule in rules.values() for n in rule.params})
                    found.append(f"{place(rule_id, name)}: rules.*.params.{name}: no rule has a parameter "
                                 f"{name!r} (known: {', '.join(known) or 'none'})")
                else:  # rules may declare one name with different types (LK117's extra_groups is a
                    # vendor_map, the pack rules' a strings list): the value must suit every one
                    specs = {rule.params[name]["type"]: rule.params[name] for rule in declaring}
                    for spec in specs.values():
                        found += _wrong_type(place(rule_id, name), f"rules.*.params.{name}", spec, value)
            continue
        rule = rules.get(rule_id)
        if rule is None:
            found.append(f"{place(rule_id)}: rules.{rule_id}: no rule has this id")
            continue
        for name, value in params.items():
            spec = rule.params.get(name)
            if spec is None:
                known = ", ".join(sorted(rule.params)) or "none"
                found.append(f"{place(rule_id, name)}: rules.{rule_id}.params.{name}: {rule_id} has no parameter "
                             f"{name!r} (known: {known})")
            else:
                found += _wrong_type(place(rule_id, name), f"rules.{rule_id}.params.{name}", spec, value)
    return found


def _wrong_type(at: str, key: str, spec: Mapping[str, Any], value: Any) -> List[str]:
    if TYPES[spec["type"]](value):
        return []
    return [f"{at}: {key}: must be of type {_TYPE_NAMES.get(spec['type'], spec['type'])}, not {value!r}"]
