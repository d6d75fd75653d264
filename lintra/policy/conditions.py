"""Conditions of the selector language, compiled once into predicates ``(key, value) -> bool``.

Operators (all given in one mapping must hold):

``equals: X`` / ``in: [X, Y]``      the value equals X / one of the list (of a vendor_map
                                    parameter: one of its names)
``startswith`` / ``endswith``       string prefix/suffix; a list means any of them
``apigroup: [G, H]``                 the value is an apiVersion (``GROUP/VERSION``) of one of these
                                    API groups (exactly: ``x.example.com`` is not ``example.com``)
``imagename: [N, M]``               the value is a container image reference whose name (the last
                                    path segment of its repository, without tag or digest) is one of these
``contains: X``                     substring of a string value, or item of a list value
``regex: RE``                       RE2 regular expression searched in a string value
                                    (linear time: :mod:`lintra.policy.regex_safety`)
``exists: true|false``              with ``path``: whether anything is there
``type: string|number|boolean|mapping|sequence|null``
``key: {...}``                      a condition on the mapping key that held the value
``path: P`` + other operators       some node at relative path P satisfies the others
                                    (with ``exists: false``: no node is at P)
``not: {...}`` / ``any: [...]`` / ``all: [...]``
``ignorecase: true``                string comparisons in this mapping ignore case
"""

from __future__ import annotations


from lintra.model import Pointer
from lintra.policy.regex_safety import UnsafePattern, compile_pattern
from lintra.policy.selector import SelectorError, compile_path, evaluate

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, TypeAlias

Predicate: TypeAlias = "Callable[[Any, Any], bool]"

OPERATORS = ("equals", "in", "startswith", "endswith", "apigroup", "contains", "regex", "exists", "type", "key",
             "path", "not", "any", "all", "ignorecase", "imagename")
_TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "mapping": lambda v: isinstance(v, dict),
    "sequence": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def compile_condition(spec: Dict[str, Any], at: Pointer = ("match",)) -> Predicate:
    """Compile one condition mapping; ``at`` is where it is written in the rule, so that an error
    names that exact field (``rules.3.match.regex``)."""
    if not isinstance(spec, dict):
        raise SelectorError("a condition must be a mapping of operators", at)
    unknown = [op for op in spec if op not in OPERATORS]
    if unknown:
        raise SelectorError(f"unknown operator {unknown[0]!r} (known: {', '.join(OPERATORS)})", at + (unknown[0],))
    fold = bool(spec.get("ignorecase"))
    checks: List[Predicate] = []
    if "path" in spec:
        steps = compile_path(spec["path"], at + ("path",))
        rest = {k: v for k, v in spec.items() if k not in ("path", "exists")}
        inner = compile_condition(rest, at) if rest else None
        want = spec.get("exists", True)

        def at_path(key: Any, value: Any) -> bool:
            found = any(inner is None or inner(k, v) for _, k, v in evaluate(steps, value))
            return found if want else not found
        return at_path
    if spec.get("exists") is False:
        raise SelectorError("'exists: false' needs a 'path'", at + ("exists",))
    for op, arg in spec.items():
        if op in ("ignorecase", "exists"):
            continue
        checks.append(_operator(op, arg, fold, at + (op,)))
    return _every(checks)


def _every(checks: List[Predicate]) -> Predicate:
    """All of ``checks``, in order, stopping at the first that fails (one call for a single one:
    every hit of every match is tested, so each layer counts)."""
    if len(checks) == 1:
        return checks[0]

    def every(key: Any, value: Any) -> bool:
        for check in checks:
            if not check(key, value):
                return False
        return True
    return _key_only_if(every, checks)


def _some(checks: List[Predicate]) -> Predicate:
    def some(key: Any, value: Any) -> bool:
        for check in checks:
            if check(key, value):
                return True
        return False
    return _key_only_if(some, checks)


def key_only(predicate: Predicate) -> bool:
    """Whether ``predicate`` reads the key only (``key: {...}`` and what is made of such tests
    alone): its answer for a key is then the same whatever value is beside it, a mapping too."""
    return getattr(predicate, "key_only", False) is True


def _key_only(predicate: Predicate) -> Predicate:
    predicate.key_only = True  # type: ignore[attr-defined]
    return predicate


def _key_only_if(predicate: Predicate, inners: List[Predicate]) -> Predicate:
    return _key_only(predicate) if inners and all(key_only(inner) for inner in inners) else predicate


def _operator(op: str, arg: Any, fold: bool, at: Pointer) -> Predicate:
    norm = (lambda s: s.lower() if isinstance(s, str) else s) if fold else (lambda s: s)
    if op == "equals":
        want = norm(arg)
        return lambda k, v: norm(v) == want
    if op == "in":
        if isinstance(arg, dict):  # a vendor_map parameter's value: one of its names
            arg = list(arg)
        if not isinstance(arg, list):
            raise SelectorError("'in' takes a list", at)
        options = [norm(a) for a in arg]
        return lambda k, v: _hashable(v) and norm(v) in options
    if op in ("startswith", "endswith"):
        if isinstance(arg, dict):  # a vendor_map parameter's value: its names are the prefixes
            arg = list(arg)
        prefixes = tuple(norm(a) for a in (arg if isinstance(arg, list) else [arg]))
        if not all(isinstance(p, str) for p in prefixes):
            raise SelectorError(f"'{op}' takes a string or a list of strings", at)
        method = str.startswith if op == "startswith" else str.endswith
        return lambda k, v: isinstance(v, str) and method(norm(v), prefixes)
    if op == "apigroup":
        groups = arg if isinstance(arg, list) else [arg]
        if not all(isinstance(g, str) for g in groups):
            raise SelectorError("'apigroup' takes a string or a list of strings", at)
        wanted = frozenset(norm(g) for g in groups)
        # the core group's apiVersion (v1) has no slash and no group: it is never one of these
        return lambda k, v: isinstance(v, str) and "/" in v and norm(v.rpartition("/")[0]) in wanted
    if op == "imagename":
        from lintra.domain.kubernetes import image_name

        names = arg if isinstance(arg, list) else [arg]
        if not all(isinstance(n, str) for n in names):
            raise SelectorError("'imagename' takes a string or a list of strings", at)
        wanted_names = frozenset(norm(n) for n in names)
        return lambda k, v: isinstance(v, str) and norm(image_name(v)) in wanted_names
    if op == "contains":
        want = norm(arg)
        return lambda k, v: (isinstance(v, str) and isinstance(want, str) and want in norm(v)) or \
            (isinstance(v, list) and want in [norm(x) for x in v])
    if op == "regex":
        try:
            search = compile_pattern(arg, fold)
        except UnsafePattern as error:
            raise SelectorError(f"regex {arg!r} {error}", at) from None
        return _remembered(search)
    if op == "type":
        if arg not in _TYPES:
            raise SelectorError(f"unknown type {arg!r} (known: {', '.join(_TYPES)})", at)
        return lambda k, v, test=_TYPES[arg]: test(v)
    if op == "key":
        inner = compile_condition(arg, at)
        return _key_only(lambda k, v: inner(None, k))
    if op == "not":
        inner = compile_condition(arg, at)
        negated = lambda k, v: not inner(k, v)  # noqa: E731
        return _key_only_if(negated, [inner])
    if op in ("any", "all"):
        if not isinstance(arg, list) or not arg:
            raise SelectorError(f"'{op}' takes a non-empty list of conditions", at)
        inners = [compile_condition(a, at + (i,)) for i, a in enumerate(arg)]
        return _some(inners) if op == "any" else _every(inners)
    raise SelectorError(f"unknown operator {op!r}", at)  # pragma: no cover - checked above


#: how many strings each regex condition remembers its answer for
_REMEMBERED = 4096


def _remembered(search: Callable[[str], bool]) -> Predicate:
    """``search`` on string values, answered once per distinct string: the same image names and
    annotation keys come back in document after document, and each RE2 call crosses into C++."""
    answers: Dict[str, bool] = {}

    def test(key: Any, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        answer = answers.get(value)
        if answer is None:
            if len(answers) >= _REMEMBERED:
                answers.clear()
            answer = answers[value] = search(value)
        return answer
    return test


def remembered(predicate: Predicate) -> Predicate:
    """``predicate`` answered once per distinct text value and key: a match tests the same image
    names, annotations and apiVersions in document after document. Every condition is a pure
    function of ``(key, value)``; only exact ``str`` values under ``str``/``int`` keys are
    remembered, so that ``1`` and ``True`` (equal, one hash) never share an answer. A predicate
    that reads the key only (:func:`key_only`: ``spec.*`` with ``key: {in: [...]}``, whose values
    are mappings) is answered once per such key, whatever the value."""
    answers: Dict[Any, bool] = {}
    if key_only(predicate):
        def by_key(key: Any, value: Any) -> bool:
            if type(key) not in _PLAIN_KEYS:
                return predicate(key, value)
            answer = answers.get(key)
            if answer is None:
                if len(answers) >= _REMEMBERED:
                    answers.clear()
                answer = answers[key] = bool(predicate(key, value))
            return answer
        return _key_only(by_key)

    def test(key: Any, value: Any) -> bool:
        if type(value) is not str or type(key) not in _PLAIN_KEYS:
            return predicate(key, value)
        asked = (key, value)
        answer = answers.get(asked)
        if answer is None:
            if len(answers) >= _REMEMBERED:
                answers.clear()
            answer = answers[asked] = bool(predicate(key, value))
        return answer
    return test


_PLAIN_KEYS = (str, int)


def _hashable(value: Any) -> bool:
    return not isinstance(value, (dict, list))
