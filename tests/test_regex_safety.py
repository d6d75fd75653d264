"""Pack regexes run on RE2: patterns that hang a backtracking engine are linear, and what RE2
cannot run is refused with a reason. Bounded by construction (RE2 is linear in the value), so no
timing is asserted: a regression to a backtracking engine would hang these tests, not pass them."""

import pytest

from lintra.policy.regex_safety import UnsafePattern, compile_pattern

VALUE = "a" * 40


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(a*)*b", "(a|b+)*c", r"(\w+\s?)*$", "(.*a){10}!",
                                     "((a{1,10}){1,10}){1,10}!", "a*" * 60 + "!", "(a|a)*!", "(?:(?:a|b)+)*!"])
def test_patterns_that_hang_backtracking_engines_run_linearly(pattern):
    search = compile_pattern(pattern)
    assert search(VALUE) is ("!" not in pattern and not pattern.endswith(("b", "c")))


@pytest.mark.parametrize("pattern, reason", [
    (r"(a)\1", "invalid escape sequence"), ("(?=a)a", "invalid perl operator"), ("(?<!a)b", "invalid perl operator"),
    ("(?>a+)b", "invalid perl operator"), ("(a)?(?(1)a|b)", "invalid perl operator"),
    ("a{2000}", "invalid repetition size"), ("(a{1000}){1000}", "invalid repetition size"),
])
def test_what_re2_cannot_run_is_refused(pattern, reason):
    with pytest.raises(UnsafePattern, match="cannot run in linear time") as raised:
        compile_pattern(pattern)
    assert reason in str(raised.value)


@pytest.mark.parametrize("pattern", ["a{99999999999}", "([", "*x", 5])
def test_huge_counts_and_broken_patterns_are_errors_not_exceptions(pattern):
    with pytest.raises(UnsafePattern):
        compile_pattern(pattern)


def test_ignorecase_and_ordinary_patterns():
    assert compile_pattern(r"^(?:[a-z0-9-]+\.)*amazonaws\.com$", ignorecase=True)("ECR.us-east-1.AMAZONAWS.com")
    assert not compile_pattern(r"^(?:[a-z0-9-]+\.)*amazonaws\.com$")("ECR.AMAZONAWS.com")
    assert compile_pattern(r"(?P<registry>[^/]+)/")("quay.io/x")
