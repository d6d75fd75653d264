"""Declarative policy packs: YAML files of rules written in the selector language.

A pack compiles to ordinary :class:`lintra.Rule` objects, so users cannot tell a pack rule from a
Python rule (``lintra rules``, docs and output are the same). See ``docs/policy-packs.md``.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence

from lintra.load import yamltree
from lintra.model import Hit, Rule, Source
from lintra.policy import resolvers
from lintra.policy.conditions import compile_condition
from lintra.policy.selector import SelectorError, compile_path, evaluate

PACK_SUFFIXES = (".yaml", ".yml")
#: strictness profiles live beside packs in ``policies/`` but are not packs (lintra/config/profiles.py)
PROFILE_SUFFIX = ".profile.yaml"
_RULE_KEYS = ("id", "name", "title", "vendor", "category", "strength", "severity", "kinds", "k8s",
              "rationale", "remediation", "references", "match", "where", "message", "at", "examples")
_REQUIRED = ("id", "name", "title", "vendor", "category", "strength", "severity", "kinds", "rationale",
             "remediation", "match", "message")


class PackError(ValueError):
    """An invalid pack: the message names the file, the line and the field."""


def pack_files(path: str) -> List[str]:
    if os.path.isdir(path):
        return sorted(os.path.join(dirpath, name) for dirpath, _, names in os.walk(path)
                      for name in names if name.endswith(PACK_SUFFIXES) and not name.endswith(PROFILE_SUFFIX))
    return [path]


def rules_from_pack(path: str) -> List[Rule]:
    """Compile every rule of the pack file (or every pack in a directory) at ``path``."""
    rules: List[Rule] = []
    for file in pack_files(path):
        rules.extend(_compile_file(file))
    return rules


def _compile_file(file: str) -> List[Rule]:
    try:
        with open(file, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(f"{file}: cannot read policy pack: {error}") from None
    try:
        parsed = yamltree.parse(text)
    except yamltree.YamlSyntaxError as error:
        raise PackError(f"{file}:{error.line}:{error.column}: YAML syntax error: {error}") from None
    if len(parsed) != 1 or not isinstance(parsed[0][0], dict):
        raise PackError(f"{file}:1:1: a policy pack is one YAML mapping with 'pack' and 'rules'")
    data, locator = parsed[0]

    def fail(pointer: tuple, message: str) -> PackError:
        span = locator.span(pointer, "key")
        field = ".".join(str(p) for p in pointer) or "(top)"
        return PackError(f"{file}:{span.line}:{span.column}: {field}: {message}")

    if not isinstance(data.get("pack"), dict) or "name" not in data["pack"]:
        raise fail(("pack",), "missing pack metadata (name, version, description)")
    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not rules_data:
        raise fail(("rules",), "a pack needs a non-empty list of rules")
    defaults = data.get("defaults") or {}
    pack_name = data["pack"]["name"]
    compiled = []
    for i, raw in enumerate(rules_data):
        if not isinstance(raw, dict):
            raise fail(("rules", i), "a rule is a mapping")
        spec = {**defaults, **raw}
        for key in raw:
            if key not in _RULE_KEYS:
                raise fail(("rules", i, key), f"unknown rule field (known: {', '.join(_RULE_KEYS)})")
        for key in _REQUIRED:
            if key not in spec:
                raise fail(("rules", i), f"rule is missing required field {key!r}")
        try:
            compiled.append(_compile_rule(spec, f"{file} (pack {pack_name})"))
        except SelectorError as error:
            field = str(error).split(":")[0].split(".")[0].split("[")[0]
            pointer = ("rules", i, field) if field in raw else ("rules", i)
            raise fail(pointer, str(error)) from None
        except (ValueError, TypeError) as error:
            raise fail(("rules", i), str(error)) from None
    return compiled


def _compile_rule(spec: Dict[str, Any], origin: str) -> Rule:
    matches = spec["match"] if isinstance(spec["match"], list) else [spec["match"]]
    matchers = [_compile_match(match) for match in matches]
    wheres = [compile_condition(w, f"where[{n}]") for n, w in enumerate(spec.get("where") or [])]
    gate = _k8s_gate(spec.get("k8s"))
    message = str(spec["message"])
    at = spec.get("at")
    if at not in (None, "key", "value"):
        raise SelectorError("at: must be 'key' or 'value'")

    def check(document, scan) -> Iterator[Hit]:
        data = document.data
        if gate is not None and not gate(data):
            return
        if not all(where(None, data) for where in wheres):
            return
        expand = resolvers.for_document(document, scan)
        for match in matchers:
            for pointer, key, value, scope, via in match(data, expand):
                parent = pointer[-2] if len(pointer) > 1 else None
                # A match that yields a mapping key as its value (@nodekeys on nodeSelector) points
                # at that key, not at the value beside it.
                names_key = bool(pointer) and isinstance(key, str) and key == value == pointer[-1]
                hit_at = at or ("key" if names_key else None)
                text = _format(message, document, key, value, scope, parent)
                if via is None:
                    yield Hit(pointer, text, at=hit_at)
                else:  # the value is written elsewhere (a parameter default, an environment file)
                    candidate, replaced = via
                    yield candidate.hit(pointer[len(replaced):], text, at=hit_at)

    return Rule(id=spec["id"], name=spec["name"], title=spec["title"], vendor=spec["vendor"],
                category=spec["category"], strength=spec["strength"], severity=spec["severity"],
                kinds=spec["kinds"], rationale=spec["rationale"], remediation=spec["remediation"],
                references=spec.get("references") or (), check=check, origin=origin,
                examples=spec.get("examples"))


def _compile_match(match: Any):
    """``path`` (+ conditions) flags every node it reaches that satisfies the conditions.

    ``each: SCOPE`` + ``if: CONDITION`` first narrows to the nodes at SCOPE satisfying CONDITION
    (every Heat resource whose ``type`` is ``OS::Nova::Flavor``); ``path`` is then relative to each.
    """
    if not isinstance(match, dict) or "path" not in match:
        raise SelectorError("match: each match needs a 'path' to the values it flags")
    steps = compile_path(match["path"])
    rest = {k: v for k, v in match.items() if k not in ("path", "each", "if")}
    predicate = compile_condition(rest, "match") if rest else None
    if "if" in match and "each" not in match:
        raise SelectorError("match: 'if' needs an 'each' scope to test")
    scope = compile_path(match["each"]) if "each" in match else None
    scope_test = compile_condition(match["if"], "match.if") if "if" in match else None

    def hits(data: Any, expand=None):
        scopes = evaluate(scope, data) if scope is not None else [((), None, data)]
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
    return hits


def _walk(steps, base, node, expand):
    """``evaluate`` that, given ``expand``, steps into the values an indirection resolves to;
    ``via`` is then ``(candidate, pointer of the replaced node)``."""
    if expand is None:
        for pointer, key, value in evaluate(steps, node):
            yield pointer, key, value, None
        return
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


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(message: str, document, key: Any, value: Any, scope: Any, parent: Any) -> str:
    """Fill ``{key}``, ``{value}``, ``{parent}`` (the key above: a Heat resource's name for
    ``resources.*.type``), ``{scope}`` (the ``each`` node's key), ``{name}`` (``metadata.name``)
    and ``{kind}``; unknown fields stay as written."""
    shown = value if isinstance(value, (str, int, float, bool)) or value is None else "..."
    fields = _Fields(key=key, value=shown, scope=scope, parent=parent, name=document.name or "?",
                     kind=document.data.get("kind", document.kind) if isinstance(document.data, dict) else document.kind)
    try:
        return message.format_map(fields)
    except (ValueError, IndexError):
        return message


def run_examples(rule: Rule, loaders: Sequence, detectors: Sequence) -> List[str]:
    """Run a rule's inline examples; return a failure description per example that misbehaves."""
    from lintra.check import Scan
    from lintra.load import load_source

    failures = []
    for expect in ("fail", "pass"):
        for n, example in enumerate((rule.examples or {}).get(expect) or ()):
            if isinstance(example, dict):
                name, content = example.get("filename", "example.yaml"), example.get("content", "")
            else:
                name, content = "example.yaml", example
            source = Source(name, None, str(content).encode("utf-8"))
            loaded = load_source(source, loaders, detectors)
            docs = [d for d in loaded.documents if d.kind in rule.kinds]
            if loaded.problems or not docs:
                failures.append(f"{rule.id} {expect} example {n + 1}: is not a {'/'.join(rule.kinds)} "
                                f"document ({loaded.record.reason or 'no document'})")
                continue
            scan = Scan(loaded.documents)
            hits = [hit for doc in docs for hit in rule.check(doc, scan)]
            if expect == "fail" and not hits:
                failures.append(f"{rule.id} fail example {n + 1}: no finding")
            elif expect == "pass" and hits:
                failures.append(f"{rule.id} pass example {n + 1}: unexpected finding: {hits[0].message}")
    return failures
