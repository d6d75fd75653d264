"""Declarative policy packs: YAML files of rules written in the selector language.

A pack compiles to ordinary :class:`lintra.Rule` objects, so users cannot tell a pack rule from a
Python rule (``lintra rules``, docs and output are the same). See ``docs/policy-packs.md``.
"""

from __future__ import annotations

import fnmatch
import os
import _string  # string.Formatter().parse itself; the string module compiles a regex on import

from lintra.load import yamltree
from lintra.load.limits import LimitExceeded
from lintra.model import VENDORS, Hit, Rule
from lintra.repository import is_within
from lintra.resources import PROFILE_SUFFIX
from lintra.policy import regex_safety, resolvers
from lintra.policy.conditions import compile_condition, remembered
from lintra.policy.selector import (anchor, key_prefix, reach_of, reached, reaches_pods, SelectorError, compile_path,
                                    evaluate)

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional

PACK_SUFFIXES = (".yaml", ".yml")


class PackError(ValueError):
    """An invalid pack; each of ``problems`` is ``file:line:col: field: message``."""

    def __init__(self, problems) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def pack_files(path: str) -> List[str]:
    """The pack file ``path``, or the pack files of the directory ``path``: links that lead out
    of that directory are not its packs (a repository's pack directory cannot reach /etc)."""
    if os.path.isdir(path):
        top = os.path.realpath(path)
        return sorted(file for file in (os.path.join(dirpath, name) for dirpath, _, names in os.walk(path)
                                        for name in names
                                        if name.endswith(PACK_SUFFIXES) and not name.endswith(PROFILE_SUFFIX))
                      if is_within(os.path.realpath(file), top))
    return [path]


def rules_from_pack(path: str, validate: bool = True, trusted: bool = False, shipped: bool = False) -> List[Rule]:
    """Compile every rule of the pack file (or every pack in a directory) at ``path``.

    ``validate`` checks each file against the pack JSON Schema first (see ``schema.py``); only
    lintra's own shipped packs skip it, since the test suite validates them and a plain run should
    not import jsonschema.

    ``trusted`` is for those shipped packs too: their parsed data is cached by the digest of the
    files (:mod:`lintra.cache`), and a rule read from that cache compiles its matches (selectors,
    regular expressions and their safety checks) only when it first checks a document. The test
    suite compiles every shipped rule eagerly. A pack from anywhere else is compiled and checked
    whole, on every run, before any file is scanned.

    ``shipped`` (with ``trusted``) is for a run's own packs: the cache entry of lintra's packs ships
    inside the package (:mod:`lintra.policy.shipped` makes it, :func:`lintra.cache.shipped`), so a
    first run with an empty cache directory reads it as a later run reads the cache. It is used
    only while its key is that of the files and the deriving code read now; otherwise (a pack or
    this code edited since it was made) the rules come from the cache, else are compiled and
    cached, as without it.
    """
    files = pack_files(path)
    if trusted:
        key = _cache_key(files)
        if shipped and key:
            from lintra import cache

            rules = _rules_from_entry(files, cache.shipped(CACHE_KIND, key))
            if rules is not None:
                return rules
        cached = _from_cache(files, key)
        if cached is not None:
            return cached
    rules: List[Rule] = []
    parsed: List[Any] = []
    for file in files:
        rules.extend(_compile_file(file, validate, parsed))
    if trusted:
        _to_cache(files, parsed, key)
    return rules


#: The cache kind of the shipped packs' rules ready to register: each rule's spec with what
#: :func:`_derived` computes from it, so that a run builds its Rule objects without walking the specs.
CACHE_KIND = "packrules"


def _cache_key(files: List[str]) -> Optional[str]:
    """The digest of the pack files and of the code that derives what the entry holds (this module
    and the selector language): a change to either is a new entry."""
    from lintra import cache

    return cache.file_digest(list(files) + [__file__, _selector_file()])


def _selector_file() -> str:
    from lintra.policy import selector

    return selector.__file__


def _from_cache(files: List[str], key: Optional[str]) -> Optional[List[Rule]]:
    from lintra import cache

    return _rules_from_entry(files, cache.read(CACHE_KIND, key) if key else None)


def _rules_from_entry(files: List[str], entry: Any) -> Optional[List[Rule]]:
    """The rules of a cache entry of ``files`` (what :func:`entry_of` made), None when it is not one."""
    if not isinstance(entry, list) or len(entry) != len(files):
        return None
    rules: List[Rule] = []
    try:
        for file, data in zip(files, entry):
            origin = f"{file} (pack {data['pack']})"
            for spec, derived in data["rules"]:
                rules.append(_deferred_rule(spec, origin, _derived_from_json(derived)))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError):  # an entry that is not what we wrote
        return None
    return rules


def _to_cache(files: List[str], parsed: List[Any], key: Optional[str]) -> None:
    from lintra import cache

    if not key or len(parsed) != len(files):
        return
    entry = entry_of(parsed)
    if entry is not None:
        cache.write(CACHE_KIND, key, entry)


def entry_of(parsed: List[Any]) -> Optional[List[Any]]:
    """The cache entry of packs (their parsed data, in file order): each pack's name and, per rule,
    its spec (the pack's defaults under it) with :func:`_derived`; None when it is not plain JSON."""
    from lintra import cache

    try:
        entry = []
        for data in parsed:
            defaults = data.get("defaults") if isinstance(data.get("defaults"), dict) else {}
            specs = [{**defaults, **raw} for raw in data["rules"]]
            entry.append({"pack": data["pack"].get("name", "?"), "rules": [[spec, _derived(spec)] for spec in specs]})
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return entry if cache.round_trips([[spec for spec, _ in data["rules"]] for data in entry]) else None


def _compile_file(file: str, validate: bool, collected: Optional[List[Any]] = None) -> List[Rule]:
    from lintra.filesystem import read_text
    from lintra.load.limits import MAX_CONFIG_BYTES

    try:
        text = read_text(file, MAX_CONFIG_BYTES)
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(f"{file}: cannot read policy pack: {getattr(error, 'strerror', None) or error}") from None
    try:
        parsed = yamltree.parse(text)
    except (yamltree.YamlSyntaxError, LimitExceeded) as error:
        raise PackError(f"{file}:{error.line}:{error.column}: not a readable YAML file: {error}") from None
    if len(parsed) != 1 or not isinstance(parsed[0][0], dict):
        raise PackError(f"{file}:1:1: a policy pack is one YAML mapping with 'pack' and 'rules'")
    data, locator = parsed[0]
    schema_problems: List[str] = []
    invalid_rules: set = set()
    if validate:
        from lintra.policy.schema import problems

        pointers: List[Any] = []
        schema_problems = problems(data, locator, file, pointers)
        if any(len(p) < 2 or p[0] != "rules" for p in pointers):  # pack-wide: nothing compiles reliably
            if schema_problems:
                raise PackError(schema_problems)
        # a rule the schema rejects is not compiled; every other rule is, so one run shows the
        # schema problems and the selector problems together
        invalid_rules = {p[1] for p in pointers if len(p) >= 2 and p[0] == "rules"}

    def where(pointer: tuple, message: str) -> str:
        span = locator.span(pointer, "key")
        field = ".".join(str(p) for p in pointer) or "(top)"
        return f"{file}:{span.line}:{span.column}: {field}: {message}"

    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not isinstance(data.get("pack"), dict):
        raise PackError(where(("rules",), "a pack needs 'pack' metadata and a list of 'rules'"))
    defaults = data.get("defaults") if isinstance(data.get("defaults"), dict) else {}
    origin = f"{file} (pack {data['pack'].get('name', '?')})"
    compiled: List[Rule] = []
    errors: List[str] = []  # the first problem of each rule, so one run shows them all
    first_line: Dict[Any, int] = {}
    for i, raw in enumerate(rules_data):
        if i in invalid_rules:
            continue
        raw = raw if isinstance(raw, dict) else {}
        spec = {**defaults, **raw}
        rule_id = spec.get("id")
        if rule_id in first_line:
            errors.append(where(("rules", i, "id"), f"duplicate rule id {rule_id} (first at line {first_line[rule_id]})"))
            continue
        first_line[rule_id] = locator.span(("rules", i, "id"), "value").line
        try:
            compiled.append(_compile_rule(spec, origin))
        except SelectorError as error:
            field = error.pointer[0] if error.pointer else None
            base = ("rules", i) if field in raw or field is None else ("defaults",)
            errors.append(where(base + error.pointer, str(error)))
        except (KeyError, ValueError, TypeError, AttributeError) as error:  # only unvalidated packs get here
            errors.append(where(("rules", i), f"cannot compile rule: {error!r}"))
    if errors or schema_problems:
        raise PackError(_in_file_order(schema_problems + errors))
    if collected is not None:
        collected.append(data)
    return compiled


def _in_file_order(problems: List[str]) -> List[str]:
    def position(text: str):
        parts = text.split(":", 3)
        try:
            return (int(parts[1]), int(parts[2]))
        except (IndexError, ValueError):
            return (0, 0)
    return sorted(dict.fromkeys(problems), key=position)


#: The severity each strength declares (docs/policy-packs.md "Strength and severity"): the
#: built-in profiles raise hard and substrate findings to error and soft ones to at least warning,
#: and conservative caps soft at info, so another severity tells the reader something no profile does.
SEVERITIES_BY_STRENGTH = {"hard": ("error",), "substrate": ("error",), "soft": ("warning", "info")}


def severity_warning(rule: Rule) -> Optional[str]:
    """Why ``rule``'s declared severity contradicts its strength, or None when it agrees."""
    expected = SEVERITIES_BY_STRENGTH.get(rule.strength)
    if expected is None or rule.severity.name in expected:
        return None
    if rule.strength == "soft":
        return (f"severity {rule.severity.name} contradicts strength soft: conservative caps soft findings "
                f"at info and balanced warns; declare warning or info, or strength hard if it blocks a move")
    return (f"severity {rule.severity.name} contradicts strength {rule.strength}: every built-in profile "
            f"that fails on {rule.strength} coupling raises it to error; declare error, or strength soft "
            f"if the evidence is weak")


def pack_warnings(file: str, rules: List[Rule]) -> List[str]:
    """``file:line:col: field: warning: message`` for each rule whose severity contradicts its
    strength; the rules are those :func:`rules_from_pack` compiled from ``file``, in order."""
    with open(file, encoding="utf-8") as handle:
        data, locator = yamltree.parse(handle.read())[0]
    found = []
    for position, rule in enumerate(rules):
        message = severity_warning(rule)
        if message is None:
            continue
        raw = data["rules"][position] if isinstance(data["rules"][position], dict) else {}
        pointer = ("rules", position, "severity") if "severity" in raw else ("defaults", "severity")
        span = locator.span(pointer, "key")
        found.append(f"{file}:{span.line}:{span.column}: {'.'.join(map(str, pointer))}: warning: {message}")
    return found


def _compile_rule(spec: Dict[str, Any], origin: str, deferred: bool = False) -> Rule:
    if deferred:
        return _deferred_rule(spec, origin)
    if spec.get("params") and _references_params(spec):
        return _parameterised_rule(spec, origin)
    listed = isinstance(spec["match"], list)
    matches = spec["match"] if listed else [spec["match"]]
    matchers = [_compile_match(match, ("match", n) if listed else ("match",)) for n, match in enumerate(matches)]
    #: per match: (vendor, service, effort) when it names its own, else None (the rule's)
    attributions = [_attribution(match, ("match", n) if listed else ("match",)) for n, match in enumerate(matches)]
    wheres = [compile_condition(w, ("where", n)) for n, w in enumerate(spec.get("where") or [])]
    gate = _k8s_gate(spec.get("k8s"))
    message = _check_message(str(spec["message"]))
    at = spec.get("at")
    if at not in (None, "key", "value"):
        raise SelectorError("must be 'key' or 'value'", ("at",))

    attributed = list(zip(matchers, attributions))

    def check(document, scan) -> Iterator[Hit]:
        data = document.data
        if gate is not None and not gate(data):
            return
        for where in wheres:
            if not where(None, data):
                return
        expand = resolvers.for_document(document, scan)
        seen = set()  # a node two of the rule's matches reach is one finding, not two
        for match, (vendor, service, effort) in attributed:
            if expand is None and not (_reaches(match.prefix, data) and reaches_pods(match.steps, data)):
                continue  # the keys every hit of this match lies under are not there
            for pointer, key, value, scope, via in match(data, expand):
                if via is None:
                    if pointer in seen:
                        continue
                    seen.add(pointer)
                parent = pointer[-2] if len(pointer) > 1 else None
                # A match that yields a mapping key as its value (@nodekeys on nodeSelector) points
                # at that key, not at the value beside it.
                names_key = bool(pointer) and isinstance(key, str) and key == value == pointer[-1]
                hit_at = at or ("key" if names_key else None)
                text = _format(message, document, key, value, scope, parent)
                if via is None:
                    hit = Hit(pointer, text, at=hit_at)
                else:  # the value is written elsewhere (a parameter default, an environment file)
                    candidate, replaced = via
                    hit = candidate.hit(pointer[len(replaced):], text, at=hit_at)
                if vendor.__class__ is dict:  # a vendor_map's entry names the finding's vendor
                    name = value if isinstance(value, str) and value in vendor else key
                    if name not in vendor:  # a startswith match: the entry is the longest prefix
                        name = _prefix_entry(vendor, name)
                    hit.vendor, hit.service = _entry(vendor, name), _entry(service, name)
                else:
                    hit.vendor, hit.service = vendor, service
                hit.effort = effort
                yield hit

    looks = [(reach_of(match.looks_at), match.test) for match in matchers]
    check.looks = lambda scan: looks

    rule = Rule(id=spec["id"], name=spec["name"], title=spec["title"], vendor=spec["vendor"],
                category=spec["category"], strength=spec["strength"], severity=spec["severity"],
                kinds=spec["kinds"], rationale=spec["rationale"], remediation=spec["remediation"],
                references=spec.get("references") or (), check=check, origin=origin,
                examples=spec.get("examples"), service=spec.get("service") or "", effort=spec.get("effort"),
                effort_reason=spec.get("effort_reason") or "", vendors=_declared(spec["vendor"], [a[0] for a in attributions]),
                services=_services(attributions), params=spec.get("params"),
                known_problems=" ".join(str(spec.get("known_problems") or "").split()),
                finds_under=_finds_under(match.steps for match in matchers))
    rule.reads = _reads(spec)
    return rule


def _finds_under(paths) -> Optional[tuple]:
    """:attr:`lintra.Rule.finds_under` of a rule whose matches walk ``paths`` (their ``each``,
    else their ``path``, compiled): None when one may reach anywhere in a document."""
    places = []
    for steps in paths:
        place = anchor(steps)
        if place == ():
            return None
        places.append(place)
    return tuple(dict.fromkeys(places)) or None


def _leading_key(path: Any) -> Optional[str]:
    """The leading name of a selector path (``resources`` of ``resources.*.type``); None for a path
    that starts otherwise (a wildcard, a quoted or bracketed key), which may read anything."""
    if not isinstance(path, str):
        return None
    head = path.split(".", 1)[0].split("[", 1)[0]
    ok = head[:1].isalpha() or head[:1] == "_"
    return head if ok and all(c.isalnum() or c in "_-" for c in head) else None


def _reads(spec: Dict[str, Any]):
    """What a pack rule reads of its documents (:attr:`lintra.Rule.reads`): the top-level key each
    match starts from (its ``each``, else its ``path``), for each of its kinds; None when a match
    starts anywhere else or the rule has ``where`` conditions (they see the whole document)."""
    if spec.get("where") or spec.get("k8s"):
        return None
    matches = spec.get("match") if isinstance(spec.get("match"), list) else [spec.get("match")]
    keys = []
    for match in matches:
        found = _leading_key(match.get("each", match.get("path"))) if isinstance(match, dict) else None
        if found is None:
            return None
        keys.append((found,))
    paths = tuple(dict.fromkeys(keys))
    return {kind: paths for kind in spec.get("kinds") or ()} or None


def _references_params(spec: Dict[str, Any]) -> bool:
    return _substitute(spec.get("match"), {}, ("match",), check=False) is not spec.get("match") or \
        _substitute(spec.get("where"), {}, ("where",), check=False) is not spec.get("where")


def _substitute(node: Any, values: Dict[str, Any], at: tuple, check: bool = True) -> Any:
    """``node`` with every operand ``{param: NAME}`` replaced by the parameter's value (the same
    object when it holds none)."""
    if isinstance(node, dict):
        if set(node) == {"param"}:
            name = node["param"]
            if check and name not in values:
                raise SelectorError(f"unknown parameter {name!r} (declared: {', '.join(sorted(values)) or 'none'})",
                                    at + ("param",))
            return values.get(name)
        items = {k: _substitute(v, values, at + (k,), check) for k, v in node.items()}
        return node if all(items[k] is node[k] for k in node) else items
    if isinstance(node, list):
        items = [_substitute(v, values, at + (n,), check) for n, v in enumerate(node)]
        return node if all(a is b for a, b in zip(items, node)) else items
    return node


def _parameterised_rule(spec: Dict[str, Any], origin: str) -> Rule:
    """A rule whose conditions name parameters: compiled with the defaults (so a pack error shows
    when it loads), and again for each set of values a run configures."""
    import json

    from lintra.check.params import configured, effective

    params = spec["params"]

    def bound(values: Dict[str, Any]) -> Rule:
        return _compile_rule({**{k: v for k, v in spec.items() if k != "params"},
                              "match": _substitute(spec["match"], values, ("match",)),
                              "where": _substitute(spec.get("where"), values, ("where",))}, origin)

    defaults = {name: declared.get("default") for name, declared in params.items()}
    rule = bound(defaults)
    rule.params = dict(params)
    compiled = {json.dumps(defaults, sort_keys=True): rule.check}
    #: the run's configured parameters seen last (one mapping per run), and the check bound to them
    last: list = [None, None]

    def bound_check(scan):
        given = configured(scan)
        if given is not last[0]:
            values = effective(rule, scan)
            key = json.dumps(values, sort_keys=True)
            if key not in compiled:
                compiled[key] = bound(values).check
            last[0], last[1] = given, compiled[key]
        return last[1]

    def check(document, scan):
        return bound_check(scan)(document, scan)

    check.looks = lambda scan: bound_check(scan).looks(scan)
    rule.check = check
    rule.reads = _reads(spec)
    return rule


def _attribution(match: Any, at: tuple):
    """``(vendor, service, effort)`` a match names for its own findings (None: the rule's).

    With ``vendor_map: {param: NAME}`` (substituted: the parameter's ``name -> vendor``) the vendor
    is a table: each finding names the vendor of the entry it matched, and ``service_map`` the
    entry's service (an entry it does not name: the match's ``service``, else the rule's)."""
    if not isinstance(match, dict):
        return None, None, None
    vendor, service = match.get("vendor"), match.get("service")
    if vendor is not None and vendor not in VENDORS:
        raise SelectorError(f"unknown vendor {vendor!r}", at + ("vendor",))
    if "vendor_map" in match:
        table, services = match["vendor_map"], match.get("service_map") or {}
        if not isinstance(table, dict):  # {param: NAME} is substituted before: NAME is no vendor_map
            raise SelectorError("'vendor_map' names a vendor_map parameter: {param: NAME}", at + ("vendor_map",))
        for name in table.values():
            if name not in VENDORS:
                raise SelectorError(f"unknown vendor {name!r}", at + ("vendor_map",))
        if vendor is not None:
            raise SelectorError("a match has a 'vendor' or a 'vendor_map', not both", at + ("vendor_map",))
        # an entry service_map does not name (one a user adds) has the match's service, else the rule's
        vendor, service = dict(table), {name: services.get(name, service) for name in table}
    elif "service_map" in match:
        raise SelectorError("'service_map' needs a 'vendor_map'", at + ("service_map",))
    return vendor, service, match.get("effort")


def _prefix_entry(table: Dict[str, str], name: Any) -> Any:
    """The longest entry of ``table`` that ``name`` starts with (a ``startswith: {param: NAME}``
    match of a vendor_map parameter), else ``name``."""
    if not isinstance(name, str):
        return name
    prefixes = [entry for entry in table if name.startswith(entry)]
    return max(prefixes, key=len) if prefixes else name


def _entry(table: Any, name: Any) -> Optional[str]:
    """The entry ``name`` of a match's vendor_map or service table, or the value itself when it is
    not a table (None: the rule's)."""
    if table.__class__ is not dict:
        return table
    return table.get(name) if isinstance(name, str) else None


def _declared(rule_vendor: str, match_vendors: List[Any]) -> List[str]:
    """The vendors a rule's findings may name: each match's own (every vendor of a match's
    vendor_map), and the rule's for the matches that name none."""
    flat: List[Optional[str]] = []
    for vendor in match_vendors:
        flat.extend(vendor.values() if isinstance(vendor, dict) else [vendor])
    return list(dict.fromkeys(v or rule_vendor for v in flat))


def _services(attributions) -> List[str]:
    """The services a rule's matches name (every service of a match's table of them)."""
    found: List[str] = []
    for _, service, _ in attributions:
        found.extend(service.values() if isinstance(service, dict) else [service] if service else [])
    return found


#: What a match may say about its own findings instead of the rule's.
ATTRIBUTION = ("vendor", "service", "effort", "vendor_map", "service_map")


#: what a deferred rule is compiled with until it first runs: its metadata, none of its matches
_UNCOMPILED = {"match": {"path": "kind"}, "where": []}


def _derived(spec: Dict[str, Any]) -> Dict[str, Any]:
    """What a deferred rule knows before its matches compile, from its spec alone: the metadata
    ``lintra rules``, selectors and the check stage's dispatch read (plain data: it is cached)."""
    rule = _compile_rule({**spec, **_UNCOMPILED}, "")  # validates what the metadata needs (message, at)
    # what the matches attribute is metadata (``lintra rules``, selectors), needed before first use
    # (a vendor_map parameter's default attributes until a run configures it)
    defaults = {name: declared.get("default") for name, declared in (spec.get("params") or {}).items()}
    matches = spec["match"] if isinstance(spec["match"], list) else [spec["match"]]
    attributions = [_attribution(_substitute(match, defaults, (), check=False), ()) for match in matches]
    paths = [match.get("each", match.get("path")) if isinstance(match, dict) else None for match in matches]
    return {"vendors": tuple(_declared(spec["vendor"], [a[0] for a in attributions])),
            "finds_under": _finds_under(compile_path(path) for path in paths)
            if all(isinstance(path, str) and path.strip() for path in paths) else None,
            "services": tuple(dict.fromkeys(s for s in (rule.service, *_services(attributions)) if s)),
            "reads": _reads(spec)}


def _derived_from_json(data: Dict[str, Any]) -> Dict[str, Any]:
    """:func:`_derived`'s answer from its JSON form (lists back to tuples)."""
    places, reads = data["finds_under"], data["reads"]
    return {"vendors": tuple(data["vendors"]), "services": tuple(data["services"]),
            "finds_under": None if places is None else tuple(p if isinstance(p, str) else tuple(p) for p in places),
            "reads": None if reads is None else {kind: tuple(map(tuple, paths)) for kind, paths in reads.items()}}


def _deferred_rule(spec: Dict[str, Any], origin: str, derived: Optional[Dict[str, Any]] = None) -> Rule:
    """The rule of ``spec`` (from a pack validated before), whose matches compile on first use;
    ``derived`` is :func:`_derived` of ``spec``, read from the cache."""
    if derived is None:
        derived = _derived(spec)
    rule = Rule(id=spec["id"], name=spec["name"], title=spec["title"], vendor=spec["vendor"],
                category=spec["category"], strength=spec["strength"], severity=spec["severity"],
                kinds=spec["kinds"], rationale=spec["rationale"], remediation=spec["remediation"],
                references=spec.get("references") or (), check=_no_check, origin=origin,
                examples=spec.get("examples"), service=spec.get("service") or "", effort=spec.get("effort"),
                effort_reason=spec.get("effort_reason") or "", params=spec.get("params"),
                known_problems=" ".join(str(spec.get("known_problems") or "").split()))
    rule.vendors, rule.services = derived["vendors"], derived["services"]
    rule.finds_under, rule.reads = derived["finds_under"], derived["reads"]
    compiled: list = []
    #: the k8s gate (most documents stop there) and where each match's path could reach anything,
    #: made when the rule is first asked: a rule compiles (its regexes with it) only once a
    #: document has what one of its matches looks for
    asks: list = []

    def check(document, scan):
        if compiled:  # the compiled check asks what the lines below ask
            return compiled[0](document, scan)
        if not asks:
            matches = spec["match"] if isinstance(spec["match"], list) else [spec["match"]]
            asks.extend((_k8s_gate(spec.get("k8s")), [_paths_reach(match) for match in matches]))
        gate, reaches = asks
        if gate is not None and not gate(document.data):
            return ()
        if resolvers.for_document(document, scan) is None and not any(reach(document.data) for reach in reaches):
            return ()
        compile_now()
        return compiled[0](document, scan)

    def compile_now():
        regex_safety.vouch(_patterns([spec["match"], spec.get("where")]))  # a shipped pack's: checked by the test suite
        compiled.append(_compile_rule(spec, origin).check)

    def looks(scan):
        if compiled:
            return compiled[0].looks(scan)
        matches = spec["match"] if isinstance(spec["match"], list) else [spec["match"]]
        paths = [match.get("path") if isinstance(match, dict) else None for match in matches]
        scopes = [match.get("each") if isinstance(match, dict) else None for match in matches]
        if not all(isinstance(path, str) and path.strip() for path in paths + [s for s in scopes if s is not None]):
            return None
        # where the compiled rule's looks are (their tests are asked there)
        steps = [_looked_at(None if scope is None else compile_path(scope), compile_path(path))
                 for scope, path in zip(scopes, paths)]
        # until the rule compiles, each match's test compiles it when a document first reaches
        # the match's path (what the check above would do there), then asks the compiled test
        run = _RunOptions(getattr(scan, "options", None))
        return [(reach_of(path), _compiling(n, run)) for n, path in enumerate(steps)]

    def _compiling(n, run):
        # the check stage keeps this test for the run (rebuilding its dispatch for every rule
        # compiled on first use cost more than this one call more per distinct value tested)
        inner: list = []

        def test(key, value):
            if not inner:
                if not compiled:
                    compile_now()
                inner.append(compiled[0].looks(run)[n][1])
            found = inner[0]
            return found is None or found(key, value)
        return test

    check.looks = looks
    rule.check = check
    return rule


def _patterns(node: Any) -> Iterator[str]:
    """The ``regex:`` texts written in a rule (not those a parameter gives)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "regex" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def _no_check(document, scan):  # pragma: no cover - replaced before a deferred rule is returned
    return ()


def _compile_match(match: Any, at: tuple):
    """``path`` (+ conditions) flags every node it reaches that satisfies the conditions.

    ``each: SCOPE`` + ``if: CONDITION`` first narrows to the nodes at SCOPE satisfying CONDITION
    (every Heat resource whose ``type`` is ``OS::Nova::Flavor``); ``path`` is then relative to each.
    """
    if not isinstance(match, dict) or "path" not in match:
        raise SelectorError("each match needs a 'path' to the values it flags", at)
    if "exists" in match:
        raise SelectorError("a match flags what its path reaches; test absence in 'where' or 'if' "
                            "with {path: P, exists: false}", at + ("exists",))
    steps = compile_path(match["path"], at + ("path",))
    rest = {k: v for k, v in match.items() if k not in ("path", "each", "if") + ATTRIBUTION}
    predicate = remembered(compile_condition(rest, at)) if rest else None
    if "if" in match and "each" not in match:
        raise SelectorError("'if' needs an 'each' scope to test", at + ("if",))
    scope = compile_path(match["each"], at + ("each",)) if "each" in match else None
    scope_test = compile_condition(match["if"], at + ("if",)) if "if" in match else None

    def hits(data: Any, expand=None):
        if scope is None and expand is None:  # the common case, without the layers below
            for pointer, key, value in reached(steps, data):
                if predicate is None or predicate(key, value):
                    yield pointer, key, value, None, None
            return
        scopes = reached(scope, data) if scope is not None else [((), None, data)]
        for base, base_key, node in scopes:
            if scope_test is not None and not scope_test(base_key, node):
                continue
            for pointer, key, value, via in _walk(steps, base, node, expand):
                if predicate is None or predicate(key, value):
                    yield base + pointer, key, value, base_key, via
                elif via is None and expand is not None and predicate is not None:
                    for candidate in expand(base + pointer, value) or ():
                        if predicate(key, candidate.value):
                            yield base + pointer, key, candidate.value, base_key, (candidate, base + pointer)
    # the keys every hit lies under: without them, a document need not be walked
    hits.steps = scope if scope is not None else steps
    hits.prefix = key_prefix(hits.steps)
    #: where the check stage looks for the match (:func:`_looked_at`) and whether a node reached
    #: there may be a hit (None: any node): the conditions, tested where the hits are
    hits.looks_at = _looked_at(scope, steps)
    hits.test = predicate
    return hits


def _looked_at(scope, steps) -> list:
    """The steps to every node a match may flag: its ``path`` below its ``each`` scope, when it
    has one. A scoped match is dispatched on its path's nodes and conditions only, not on ``if``
    (which the check then tests): a test of the few distinct keys and texts there, remembered,
    costs less than a test of each scope node (a walk of its ``path`` per document)."""
    return steps if scope is None else list(scope) + list(steps)


class _RunOptions:
    """The run options of a scan, without its documents: what a rule's parameters are read from
    (:func:`lintra.check.params.configured`) when a test compiles the rule later."""

    __slots__ = ("options",)

    def __init__(self, options: Optional[Dict[str, Any]]) -> None:
        self.options = options




def _paths_reach(match: Any):
    """``reach(data)``: False when nothing in ``data`` is where ``match`` looks."""
    path = match.get("each", match.get("path")) if isinstance(match, dict) else None
    if not isinstance(path, str):
        return lambda data: True
    steps = compile_path(path)
    prefix = key_prefix(steps)
    return lambda data: _reaches(prefix, data) and reaches_pods(steps, data)


def _reaches(prefix: tuple, data: Any) -> bool:
    node = data
    for name in prefix:
        if not isinstance(node, dict):
            return False
        node = node.get(name, _ABSENT)
        if node is _ABSENT:
            return False
    return True


_ABSENT = object()


def _walk(steps, base, node, expand):
    """``evaluate`` that, given ``expand``, steps into the values an indirection resolves to;
    ``via`` is then ``(candidate, pointer of the replaced node)``.

    With ``expand``, the answer is remembered for the document that ``expand`` resolves in (one
    ``expand`` per document: :func:`resolvers.for_document`): the Heat rules walk the same
    ``resources.*.type`` of a template one after another. ``node`` is the document's node at
    ``base``, found without ``expand``, so ``(steps, base)`` says which walk it is."""
    if expand is None:
        return [(pointer, key, value, None) for pointer, key, value in evaluate(steps, node)]
    memo = _walked
    if memo[0] is not expand:
        memo[0], memo[1] = expand, {}
    asked = (id(steps), base)  # the steps of a path text live as long as the process
    found = memo[1].get(asked)
    if found is None:
        found = memo[1][asked] = list(_walk_through(steps, base, node, expand))
    return found


#: the ``expand`` :func:`_walk` answered with last, and its answers
_walked: list = [None, {}]


def forget() -> None:
    """Let go of the last document's walks (the end of a run): their values and candidates hold
    the documents the run kept."""
    _walked[:] = [None, {}]


def _walk_through(steps, base, node, expand):
    current = [((), None, node, None)]
    for step in steps:
        following = []
        for pointer, key, value, via in current:
            subjects = [(value, via)]
            if via is None:
                resolved = expand(base + pointer, value)
                if resolved:
                    subjects = [(candidate.value, (candidate, base + pointer)) for candidate in resolved]
            for subject, subject_via in subjects:
                following.extend((p, k, v, subject_via) for p, k, v in step(pointer, key, subject))
        current = following
    yield from current


def _k8s_gate(spec: Optional[dict]):
    if not spec:
        return None
    kinds = set(spec.get("kinds") or ())
    versions = tuple(spec.get("apiVersions") or ())

    def gate(data: Any) -> bool:
        if kinds and data.get("kind") not in kinds:
            return False
        return not versions or any(fnmatch.fnmatchcase(str(data.get("apiVersion")), v) for v in versions)
    return gate


#: What a rule's ``message`` may fill in; checked when the pack compiles.
PLACEHOLDERS = ("value", "key", "parent", "scope", "name", "kind")


def _check_message(message: str) -> str:
    try:
        fields = [field for _, field, _, _ in _string.formatter_parser(message) if field is not None]
    except ValueError as error:
        raise SelectorError(f"cannot read message ({error}); write a literal brace as {{{{ or }}}}", ("message",)) from None
    for field in fields:
        if field not in PLACEHOLDERS:
            raise SelectorError(f"unknown placeholder {{{field}}} (known: {', '.join(PLACEHOLDERS)})", ("message",))
    return message


def _format(message: str, document, key: Any, value: Any, scope: Any, parent: Any) -> str:
    """Fill ``{key}``, ``{value}``, ``{parent}`` (the key above: a Heat resource's name for
    ``resources.*.type``), ``{scope}`` (the ``each`` node's key), ``{name}`` (``metadata.name``)
    and ``{kind}``."""
    shown = value if isinstance(value, (str, int, float, bool)) or value is None else "..."
    kind = document.data.get("kind", document.kind) if isinstance(document.data, dict) else document.kind
    try:
        return message.format(key=key, value=shown, scope=scope, parent=parent, name=document.name or "?", kind=kind)
    except (ValueError, TypeError):  # a format spec that does not suit this value ({value:d} on a string)
        return message
