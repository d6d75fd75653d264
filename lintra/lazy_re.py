"""Module-level regular expressions, compiled when first used.

Every rule module is imported on every run (the registry needs every rule's metadata), and so is
the escaping helper (lintra/escape.py); Python's ``re.compile`` of the Heat vendor tables and of
the escaping character classes costs milliseconds: more than a pre-commit check of one Kubernetes
file spends checking it. ``compile(pattern)`` returns a stand-in that compiles on
the first method call, then keeps the compiled pattern's bound methods on itself, so later calls
cost what a compiled pattern's do.

:func:`deferred` does the same for another package's module-level patterns while it is imported:
PyYAML compiles, at import, a Unicode class for its pure-Python reader that costs more than all
of lintra's own patterns together, and the libyaml path (:mod:`lintra.load.yamltree`) never uses it.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence

#: the ``re.Pattern`` methods and attributes a stand-in hands over on first use
_FORWARDED = ("search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn", "groups", "groupindex")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use; ``pattern`` and ``flags`` as given."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet
        if name.startswith("__") or name not in _FORWARDED:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for forwarded in _FORWARDED:
            self.__dict__[forwarded] = getattr(compiled, forwarded)
        return self.__dict__[name]

    def __repr__(self) -> str:
        return f"lazy_re.compile({self.pattern!r})"


def compile(pattern: str, flags: int = 0) -> LazyPattern:  # noqa: A001 - re.compile's stand-in
    return LazyPattern(pattern, flags)


@contextmanager
def deferred(modules: Sequence[str]) -> Iterator[None]:
    """While this context lasts, ``re.compile`` called by the code of one of ``modules`` (by
    ``__name__``) returns a :class:`LazyPattern`, compiled when first used; any other caller gets
    ``re.compile``'s own answer. For module-level patterns of a package imported inside it whose
    modules use only the forwarded methods (``search``, ``match``...). Not thread-safe against
    another thread replacing ``re.compile`` at the same moment (only start-up imports use it)."""
    real = re.compile
    wanted = frozenset(modules)

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and sys._getframe(1).f_globals.get("__name__") in wanted:
            return LazyPattern(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_
    try:
        yield
    finally:
        if re.compile is compile_:
            re.compile = real
