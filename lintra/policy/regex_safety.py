"""Refuse regular expressions that can backtrack exponentially (ReDoS).

Policy packs may come from the repository being scanned (``packs:`` in its ``.lintra.yaml``), and
Python's ``re`` has no timeout, so ``^(a+)+$`` on a 40-character value would hang the scan. The
exponential shape is an unbounded quantifier whose body can be split among repetitions in many
ways: it contains another unbounded quantifier and nothing that forces each repetition to end at
a known character. ``(\\w+\\s?)*`` is refused; ``(?:[a-z0-9-]+\\.)*`` is allowed, because the
literal ``.`` cannot be matched by the inner class, so every repetition ends at a dot.
Single-level quantifiers stay allowed: at worst they are polynomial in the length of one value.
"""

from __future__ import annotations

from typing import Callable, List, Optional

try:
    from re import _constants as _c, _parser as _p  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
#: a bounded repeat this short cannot blow up, whatever it contains
_SMALL = 10
_CATEGORIES = {
    _c.CATEGORY_DIGIT: str.isdigit, _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _c.CATEGORY_SPACE: str.isspace, _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


def nested_quantifier(pattern: str, flags: int = 0) -> bool:
    """Whether ``pattern`` has a quantifier over ambiguous nested quantifiers (see the module doc)."""
    return _walk(list(_p.parse(pattern, flags)))


def _walk(items: list) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _, high, body = arg
            body = _flatten(list(body))
            if (high is _c.MAXREPEAT or high > _SMALL) and _ambiguous(body):
                return True
            if _walk(body):
                return True
        elif op is _c.SUBPATTERN and _walk(list(arg[-1])):
            return True
        elif op is _c.BRANCH and any(_walk(list(branch)) for branch in arg[1]):
            return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT) and _walk(list(arg[1])):
            return True
    return False


def _ambiguous(body: list) -> bool:
    """A repeated body is ambiguous when it holds an unbounded repeat (or a branch) and no
    mandatory literal character that those inner repeats cannot match."""
    inner = [item for item in body if _has_unbounded([item])]
    if any(op is _c.BRANCH and _overlapping(arg[1]) for op, arg in body):
        return True
    if not inner:
        return False
    matchers = [_char_test(list(item[1][2])) for item in inner]
    if any(m is None for m in matchers):
        return True
    for op, arg in body:
        if op is _c.LITERAL and not any(m(chr(arg)) for m in matchers):  # type: ignore[misc]
            return False
    return True


def _overlapping(alternatives) -> bool:
    """Alternatives may match the same text unless each starts with its own literal character and
    none repeats without bound: ``(ab|cd)*`` is safe, ``(a|a)*`` and ``(a|b+)*`` are not."""
    firsts = []
    for alternative in alternatives:
        items = _flatten(list(alternative))
        if not items or items[0][0] is not _c.LITERAL or _has_unbounded(items):
            return True
        firsts.append(items[0][1])
    return len(set(firsts)) != len(firsts)


def _has_unbounded(items: list) -> bool:
    return any(op in _REPEATS and (arg[1] is _c.MAXREPEAT or arg[1] > _SMALL) for op, arg in items)


def _flatten(items: list) -> list:
    """Inline non-capturing and capturing groups so their parts count as parts of the body."""
    out: List = []
    for op, arg in items:
        if op is _c.SUBPATTERN:
            out.extend(_flatten(list(arg[-1])))
        else:
            out.append((op, arg))
    return out


def _char_test(body: list) -> Optional[Callable[[str], bool]]:
    """A test for the characters a one-character repeated body matches, or None if unknown."""
    if len(body) != 1:
        return None
    op, arg = body[0]
    if op is _c.LITERAL:
        return lambda ch: ord(ch) == arg
    if op is _c.NOT_LITERAL:
        return lambda ch: ord(ch) != arg
    if op is _c.ANY:
        return lambda ch: True
    if op is _c.IN:
        tests = []
        negate = False
        for kind, value in arg:
            if kind is _c.NEGATE:
                negate = True
            elif kind is _c.LITERAL:
                tests.append(lambda ch, v=value: ord(ch) == v)
            elif kind is _c.RANGE:
                tests.append(lambda ch, lo=value[0], hi=value[1]: lo <= ord(ch) <= hi)
            elif kind is _c.CATEGORY and value in _CATEGORIES:
                tests.append(_CATEGORIES[value])
            else:
                return None
        return lambda ch: any(t(ch) for t in tests) != negate
    return None
