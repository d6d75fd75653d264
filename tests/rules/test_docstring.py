"""Rule metadata (``lintra rules``, SARIF helpUri) lists every reference the rule module documents."""

import importlib

import pytest

from lintra.rules.docstring import references
from lintra.rules.heat import RULES as HEAT_RULES
from lintra.rules.k8s import RULES as K8S_RULES


@pytest.mark.parametrize("rule", HEAT_RULES + K8S_RULES, ids=lambda rule: rule.id)
def test_rule_references_are_the_documented_ones(rule):
    documented = importlib.import_module(rule.origin).__doc__.partition("\nReferences:\n")[2]
    assert documented.count("https://") == len(rule.references) > 0
    assert all(ref in documented for ref in rule.references)


def test_a_reference_that_is_not_one_url_item_fails_loudly():
    assert references("T.\n\nWhy.\n\nReferences:\n- https://a.example/x\n- https://b.example/y\n") == (
        "https://a.example/x", "https://b.example/y")
    with pytest.raises(ValueError):
        references("T.\n\nWhy.\n\nReferences:\n- https://a.example/x\n  continued/on/the/next/line\n")
    with pytest.raises(ValueError):
        references("T.\n\nWhy, with no references.\n")
