"""Pack regular expressions run on RE2, a linear-time engine, so no pattern can hang a scan.

Policy packs may come from the repository being scanned (``packs:`` in its ``.lintra.yaml``), and
Python's backtracking ``re`` has no timeout: ``^(a+)+$``, ``(.*a){10}!`` or a long ``a*a*a*...``
chain take minutes on a 40-character value. No check of a pattern's shape catches every such
pattern (atomic groups, conditionals and nested counted repeats slipped past the one lintra had),
so packs do not use ``re`` at all: RE2 (github.com/google/re2, through the ``google-re2`` binding)
matches in time linear in the value, whatever the pattern.

RE2 refuses what it cannot run in linear time: backreferences (``\\1``), lookaround (``(?=``,
``(?<!``), atomic groups (``(?>``), conditionals (``(?(1)``) and repeat counts above 1000. Each
is a pack error at the ``regex:`` that holds it, as is a pattern whose compiled program would
exceed RE2's memory budget. The syntax is RE2's (docs: github.com/google/re2/wiki/Syntax):
Python's ``(?P<name>...)``, classes, anchors and flags read the same; ``\\d``, ``\\w`` and ``\\s``
are ASCII-only in RE2, which is what infrastructure values (image names, hosts, labels) use.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Callable

# RE2's memory budget for one compiled pattern is lintra.load.limits.MAX_PATTERN_MEMORY (RE2's own
# default, 8 MiB); a pattern needing more (``(a{1000}){1000}`` style) does not compile, so it is a
# pack error rather than a slow scan


class UnsafePattern(ValueError):
    """The pattern does not compile, or needs what a linear-time engine cannot do."""


#: RE2's reasons for refusing a construct a backtracking engine has (lookaround, atomic groups,
#: conditionals, backreferences) or a repeat count above its limit
_PERL_CONSTRUCTS = ("invalid perl operator", "invalid escape sequence", "invalid repetition size",
                    "bad repetition operator")


def _perl_construct(reason: str) -> bool:
    return any(text in reason for text in _PERL_CONSTRUCTS)


#: Patterns of lintra's shipped packs, which the test suite compiles with both engines (every
#: shipped rule, eagerly): a run compiles them with RE2 only, without asking Python's parser again.
_VOUCHED: set = set()


def vouch(patterns) -> None:
    """Mark ``patterns`` (of the shipped packs only) as checked by the test suite."""
    _VOUCHED.update(patterns)


def compile_pattern(pattern: str, ignorecase: bool = False) -> Callable[[str], bool]:
    """A ``search`` predicate for ``pattern``; :class:`UnsafePattern` says why there is none."""
    if not isinstance(pattern, str):
        raise UnsafePattern(f"a regex is a string, not {type(pattern).__name__}")
    import re2  # imported only when a pack has a regex

    options = re2.Options()
    options.log_errors = False  # the error is reported as a pack error, not logged to stderr
    options.case_sensitive = not ignorecase
    from lintra.load import limits

    options.max_mem = limits.MAX_PATTERN_MEMORY
    try:
        compiled = re2.compile(pattern, options)
    except UnicodeEncodeError:
        raise UnsafePattern("does not compile: it holds a lone surrogate, which is no character") from None
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "backslashreplace")
        if not _perl_construct(str(reason)):
            try:  # plain bad syntax: Python's message is the one pack authors know
                re.compile(pattern)
            except (re.error, OverflowError, RecursionError) as python_error:
                raise UnsafePattern(f"does not compile: {python_error}") from None
        # what a backtracking engine runs and a linear one cannot (atomic groups are Python 3.11+
        # syntax, so RE2's word decides, not the running interpreter's parser)
        raise UnsafePattern(f"cannot run in linear time ({reason}); the pack regex engine is RE2, which has no "
                            "backreferences, lookaround, atomic groups or conditionals and repeats at most "
                            "1000 times") from None
    if pattern not in _VOUCHED:
        try:  # RE2 reads a repeat count past its range as a literal; Python's parser does not
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as python_error:
            raise UnsafePattern(f"does not compile: {python_error}") from None
    search = compiled.search

    def matches(value: str) -> bool:
        try:
            return search(value) is not None
        except UnicodeEncodeError:  # RE2 matches UTF-8: a lone surrogate (JSON "\\ud800") cannot be one
            return search(without_surrogates(value)) is not None

    return matches


_SURROGATES = re.compile("[\ud800-\udfff]")


def without_surrogates(value: str) -> str:
    """``value`` with each lone surrogate (a JSON ``"\\ud800"``, a byte ``surrogateescape`` kept)
    as U+FFFD, one code point for one: what RE2, which matches UTF-8, can be given."""
    return _SURROGATES.sub("\ufffd", value)
