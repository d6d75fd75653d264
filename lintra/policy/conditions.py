"""Conditions of the selector language, compiled once into predicates ``(key, value) -> bool``.

Operators (all given in one mapping must hold):

``equals: X`` / ``in: [X, Y]``      the value equals X / one of the list
``startswith`` / ``endswith``       string prefix/suffix; a list means any of them
``contains: X``                     substring of a string value, or item of a list value
``regex: RE``                       Python regular expression searched in a string value
``exists: true|false``              with ``path``: whether anything is there
``type: string|number|boolean|mapping|sequence|null``
``key: {...}``                      a condition on the mapping key that held the value
``path: P`` + other operators       some node at relative path P satisfies the others
                                    (with ``exists: false``: no node is at P)
``not: {...}`` / ``any: [...]`` / ``all: [...]``
``ignorecase: true``                string comparisons in this mapping ignore case
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

from lintra.policy.selector import SelectorError, compile_path, evaluate

Predicate = Callable[[Any, Any], bool]

OPERATORS = ("equals", "in", "startswith", "endswith", "contains", "regex", "exists", "type", "key",
             "path", "not", "any", "all", "ignorecase")
_TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "mapping": lambda v: isinstance(v, dict),
    "sequence": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def compile_condition(spec: Dict[str, Any], where: str = "match") -> Predicate:
    if not isinstance(spec, dict):
        raise SelectorError(f"{where}: a condition must be a mapping of operators")
    unknown = [op for op in spec if op not in OPERATORS]
    if unknown:
        raise SelectorError(f"{where}: unknown operator {unknown[0]!r} (known: {', '.join(OPERATORS)})")
    fold = bool(spec.get("ignorecase"))
    checks: List[Predicate] = []
    if "path" in spec:
        steps = compile_path(spec["path"])
        rest = {k: v for k, v in spec.items() if k not in ("path", "exists")}
        inner = compile_condition(rest, where) if rest else None
        want = spec.get("exists", True)

        def at_path(key: Any, value: Any) -> bool:
            found = any(inner is None or inner(k, v) for _, k, v in evaluate(steps, value))
            return found if want else not found
        return at_path
    for op, arg in spec.items():
        if op in ("ignorecase", "exists"):
            continue
        checks.append(_operator(op, arg, fold, f"{where}.{op}"))
    if spec.get("exists") is False:
        raise SelectorError(f"{where}: 'exists: false' needs a 'path'")
    return lambda key, value: all(check(key, value) for check in checks)


def _operator(op: str, arg: Any, fold: bool, where: str) -> Predicate:
    norm = (lambda s: s.lower() if isinstance(s, str) else s) if fold else (lambda s: s)
    if op == "equals":
        want = norm(arg)
        return lambda k, v: norm(v) == want
    if op == "in":
        if not isinstance(arg, list):
            raise SelectorError(f"{where}: 'in' takes a list")
        options = [norm(a) for a in arg]
        return lambda k, v: _hashable(v) and norm(v) in options
    if op in ("startswith", "endswith"):
        prefixes = tuple(norm(a) for a in (arg if isinstance(arg, list) else [arg]))
        if not all(isinstance(p, str) for p in prefixes):
            raise SelectorError(f"{where}: '{op}' takes a string or a list of strings")
        method = str.startswith if op == "startswith" else str.endswith
        return lambda k, v: isinstance(v, str) and method(norm(v), prefixes)
    if op == "contains":
        want = norm(arg)
        return lambda k, v: (isinstance(v, str) and isinstance(want, str) and want in norm(v)) or \
            (isinstance(v, list) and want in [norm(x) for x in v])
    if op == "regex":
        try:
            pattern = re.compile(arg, re.I if fold else 0)
        except (re.error, TypeError) as error:
            raise SelectorError(f"{where}: regex {arg!r} does not compile: {error}") from None
        return lambda k, v: isinstance(v, str) and pattern.search(v) is not None
    if op == "type":
        if arg not in _TYPES:
            raise SelectorError(f"{where}: unknown type {arg!r} (known: {', '.join(_TYPES)})")
        return lambda k, v, test=_TYPES[arg]: test(v)
    if op == "key":
        inner = compile_condition(arg, where)
        return lambda k, v: inner(None, k)
    if op == "not":
        inner = compile_condition(arg, where)
        return lambda k, v: not inner(k, v)
    if op in ("any", "all"):
        if not isinstance(arg, list) or not arg:
            raise SelectorError(f"{where}: '{op}' takes a non-empty list of conditions")
        inners = [compile_condition(a, f"{where}[{i}]") for i, a in enumerate(arg)]
        combine = any if op == "any" else all
        return lambda k, v: combine(inner(k, v) for inner in inners)
    raise SelectorError(f"{where}: unknown operator {op!r}")  # pragma: no cover - checked above


def _hashable(value: Any) -> bool:
    return not isinstance(value, (dict, list))
