"""The Heat rules written in Python declare where they find (:attr:`lintra.Rule.finds_under`), and
that declaration holds: run with no dispatch at all (every rule given every document of its
kinds), over the shared corpus's Heat trees (with and without ``--heat-env-auto``) and the rules'
own examples, a rule finds only on documents that have one of its places, and every finding it
makes on the document it was given lies under one of them. A declaration narrower than the rule
fails here, and so would a rule changed to find elsewhere without saying so."""

import os

import pytest

from lintra.check import Dispatch, _places
from lintra.plugins import load_registry
from lintra.policy.examples import example_findings, example_parts
from lintra.pipeline import run
from lintra.rules import heat
from tests.conftest import CORPUS

HEAT_TREES = [os.path.join(CORPUS, "tripleo-heat-templates"), os.path.join(CORPUS, "heat-templates")]


def _has(data, place):
    node = data
    for key in place:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


@pytest.fixture
def recorded(monkeypatch):
    """(rule, document, hit) of every hit of a Python Heat rule, with dispatch switched off."""
    found = []
    monkeypatch.setattr(Dispatch, "rules_for", lambda self, document, resolved=False:
                        self.by_kind[document.kind].rules if document.kind in self.by_kind else ())
    Dispatch._recent.clear()
    for rule in heat.RULES:
        def check(document, scan, rule=rule, original=rule.check):
            for hit in original(document, scan):
                found.append((rule, document, hit))
                yield hit
        monkeypatch.setattr(rule, "check", check)
    yield found
    Dispatch._recent.clear()


def _judge(found):
    assert found, "nothing found: the check would prove nothing"
    for rule, document, hit in found:
        places = rule.finds_under
        where = f"{rule.id} on {document.source.name} at {hit.pointer}"
        assert any(_has(document.data, place) for place in places), f"{where}: the document has none of {places}"
        if hit.document is None or hit.document is document:
            assert any(tuple(hit.pointer[:len(place)]) == place for place in places), \
                f"{where}: outside {places}"


def test_every_python_heat_rule_declares_places_dispatch_understands():
    for rule in heat.RULES:
        assert rule.finds_under, rule.id
        assert _places(rule) is not None, rule.id  # None would mean "anywhere" to the dispatch


@pytest.mark.parametrize("auto", [False, True], ids=["default", "heat-env-auto"])
def test_declared_places_hold_on_the_corpus(recorded, auto):
    if not all(os.path.isdir(tree) for tree in HEAT_TREES):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    run(HEAT_TREES, options={"heat_env_auto": auto, "cache": False})
    _judge(recorded)
    # what tripleo's environments enable, and (with their registries applied) what they map
    assert {rule.id for rule, _, _ in recorded} >= ({"LH107", "LH124", "LH125"} if auto else {"LH124", "LH125"})


def test_declared_places_hold_on_the_rules_examples(recorded):
    registry = load_registry()
    for rule in heat.RULES:
        for example in rule.examples.get("fail", []):
            name, content, environment = example_parts(example)
            assert example_findings(rule, name, content, registry.loaders, registry.detectors,
                                    registry.resolvers, environment), rule.id
    _judge(recorded)
    assert {rule.id for rule, _, _ in recorded} == {rule.id for rule in heat.RULES}
