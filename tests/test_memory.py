"""Memory and work per file: no node tree outlives its file, no second parse, a linear locator,
and no collector pass over the whole run at its end. Timings live in benchmarks/."""

import gc

import pytest
import yaml
from yaml.nodes import Node

from lintra.load import yamltree
from lintra.load.limits import LimitExceeded
from lintra.pipeline import run


def _walk(position):
    yield position
    if position and position[0] in (yamltree._SEQUENCE, yamltree._MAPPING):
        for child in position[2]:
            if position[0] == yamltree._MAPPING:
                key, key_span, value = child
                yield key
                yield key_span
                yield from _walk(value)
            else:
                yield from _walk(child)


def test_locator_keeps_plain_positions_not_the_node_tree():
    data, locator = yamltree.parse("a: &x {b: [1, {c: 2}]}\nd: *x\ne: !Ref p\n")[0]
    assert not any(isinstance(item, Node) or type(item).__module__.startswith("yaml")
                   for item in _walk(locator.root))
    assert locator.span(("d", "b", 1, "c")).line == 1  # an alias is placed at its anchor
    assert (locator.span(("e",)).line, locator.span(("e",)).column) == (3, 4)


def test_locator_indexes_each_mapping_once(monkeypatch):
    calls = []
    real = yamltree._index
    monkeypatch.setattr(yamltree, "_index", lambda pairs: calls.append(len(pairs)) or real(pairs))
    keys = 2000
    _, locator = yamltree.parse("".join(f"k{i}: v{i}\n" for i in range(keys)))[0]
    lines = [locator.span((f"k{i}",)).line for i in range(keys)]
    assert lines == list(range(1, keys + 1))
    assert calls == [keys]


def test_locator_prefers_the_exact_key_then_its_string_form_last_one_winning():
    _, locator = yamltree.parse('m:\n  1: int\n  "1": str\n  x: first\n  x: second\n  "2": two\n')[0]
    assert locator.span(("m", 1)).line == 2
    assert locator.span(("m", "1")).line == 3
    assert locator.span(("m", "x")).line == 5
    assert locator.span(("m", 2)).line == 6  # no int key 2: the key written "2"


def test_a_file_libyaml_composes_safely_is_parsed_once(monkeypatch):
    if yamltree._PRE_CHECK_DEPTH:
        pytest.skip("this libyaml has no nesting cap: the event-based check runs first")
    events = []
    monkeypatch.setattr(yamltree.yaml, "parse", lambda *a, **k: events.append(1) or yaml.parse(*a, **k))
    text = "items:\n" + "".join(f"- {{name: n{i}, list: [a, b, c]}}\n" for i in range(5000))
    assert len(yamltree.parse(text)[0][0]["items"]) == 5000
    assert events == []


@pytest.mark.parametrize("text, message, column", [
    ("[" * 50000 + "]" * 50000, "nesting deeper than the YAML parser allows (exceeded maximum nesting depth)", 1001),
    ("- " * 50000 + "x", "nesting deeper than 256 levels", 513),  # block nesting: where it passes 256
])
def test_a_file_past_the_cap_is_refused_as_before(text, message, column):
    if yamltree._PRE_CHECK_DEPTH and text.startswith("["):
        # a libyaml without its own nesting cap (PyYAML wheels bundle 0.2.5): lintra's event-based
        # check refuses the flow nesting where it passes 256 levels
        message, column = "nesting deeper than 256 levels", 257
    with pytest.raises(LimitExceeded) as refused:
        yamltree.parse(text)
    assert (str(refused.value), refused.value.line, refused.value.column) == (message, 1, column)


def test_a_run_leaves_nothing_for_the_collector_to_traverse(tmp_path):
    for i in range(50):
        (tmp_path / f"svc{i}.yaml").write_text(
            f"apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  type: LoadBalancer\n")
    gc.collect()
    result = run([str(tmp_path)])
    assert len(result.files) == 50
    assert gc.isenabled()
    assert gc.get_count()[0] < 700  # what the run allocated was frozen, not left in generation 0
