"""Pack regexes that could hang a scan are refused; ordinary ones are not."""

import pytest

from lintra.policy.regex_safety import nested_quantifier


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(a*)*", "(a|b+)*c", r"(\w+\s?)*$", "(a+a)*", "(.*,)*",
                                     "(?:(?:a|b)+)*", "(a|a)*"])
def test_exponential_shapes_are_refused(pattern):
    assert nested_quantifier(pattern)


@pytest.mark.parametrize("pattern", ["^ab+c$", "^(ab|cd){1,3}$", r"[a-z]+\.example\.org$",
                                     r"^(?:[a-z0-9-]+\.)*example\.org$", "(x{2,5})*", "^([^/]+/)*[^/]+$",
                                     "^(ab|cd)*$", r"^(?:\d+,)*\d+$"])
def test_unambiguous_repetition_is_allowed(pattern):
    assert not nested_quantifier(pattern)
