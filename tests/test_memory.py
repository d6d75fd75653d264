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


# --- what the map step keeps for the reduce (issue 12: Heat reduced to what the rules read) ----

#: A template none of whose looked-at places a ``get_param`` reaches: a run keeps it for the reduce
#: only where a rule on another document may read it, as with ``--heat-env-auto`` (an environment
#: may map a type to it), which the tests of what is kept of a template pass for that reason.
HEAT_TEMPLATE = """\
heat_template_version: 2018-08-31
description: a long description no cross-object rule reads
parameters:
  flavor:
    type: string
    description: also not read
    default: m1.small
  image:
    type: string
resources:
  server:
    type: OS::Nova::Server
    properties:
      flavor: {get_param: flavor}
      image: {get_param: image}
outputs:
  role_data:
    value: {config_settings: {a: 1, b: [1, 2, 3]}}
conditions:
  always: true
"""


def _kept(paths, **options):
    """The documents the map step hands to the reduce, as the reduce sees them."""
    import lintra.pipeline as pipeline

    seen = []
    real = pipeline.run_rules

    def spy(documents, rules, scan, wants=None):
        if wants is not None:
            seen.extend(documents)
            return real(documents, rules, scan, wants=wants)
        return real(documents, rules, scan)

    pipeline.run_rules = spy
    try:
        run([str(p) for p in paths], options=options or None)
    finally:
        pipeline.run_rules = real
    return seen


def _plain(value):
    """JSON-able data only: what a data-only cache can store."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_a_heat_template_is_kept_as_its_resources_and_parameter_defaults(tmp_path):
    (tmp_path / "t.yaml").write_text(HEAT_TEMPLATE)
    [template] = _kept([tmp_path], heat_env_auto=True)
    assert template.data == {
        "parameters": {"flavor": {"default": "m1.small"}, "image": {}},
        "resources": {"server": {"type": "OS::Nova::Server", "properties": {
            "flavor": {"get_param": "flavor"}, "image": {"get_param": "image"}}}},
    }
    assert _plain(template.data)
    # the positions shrink alike: the kept spans still resolve, the dropped keys are gone
    assert template.span(("resources", "server", "type"), "value").line == 12
    assert template.span(("parameters", "flavor", "default"), "value").line == 7
    import marshal

    root = template.locator.root
    root = marshal.loads(root) if isinstance(root, bytes) else root
    assert [key for key, _, _ in root[2]] == ["parameters", "resources"]


def test_heat_environments_and_kubernetes_objects_are_kept_whole(tmp_path):
    env = "parameter_defaults:\n  NtpServer: pool.ntp.org\nresource_registry:\n  My::Net: net.yaml\n"
    (tmp_path / "env.yaml").write_text(env)
    claim = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n"
             "spec:\n  storageClassName: gp2\n  resources: {requests: {storage: 1Gi}}\n")
    (tmp_path / "claim.yaml").write_text(claim)
    kept = {doc.source.name.rsplit("/", 1)[-1]: doc.data for doc in _kept([tmp_path])}
    assert kept["env.yaml"] == yaml.safe_load(env)
    assert kept["claim.yaml"] == yaml.safe_load(claim)
    assert all(_plain(data) for data in kept.values())


def test_a_rule_that_does_not_say_what_it_reads_keeps_heat_templates_whole(tmp_path, monkeypatch):
    from lintra.rules.heat import RULES

    (tmp_path / "t.yaml").write_text(HEAT_TEMPLATE)
    monkeypatch.setattr(RULES[0], "reads", None)
    [template] = _kept([tmp_path], heat_env_auto=True)
    assert set(template.data) == {"heat_template_version", "description", "parameters", "resources", "outputs",
                                  "conditions"}
    assert template.data["parameters"]["flavor"]["description"] == "also not read"


def test_what_is_kept_per_heat_file_is_bounded_by_what_the_rules_read(tmp_path):
    """However large a template's outputs grow (tripleo's role_data), the kept part does not."""
    big = HEAT_TEMPLATE.replace("{config_settings: {a: 1, b: [1, 2, 3]}}",
                                "{config_settings: {" + ", ".join(f"k{i}: {i}" for i in range(5000)) + "}}")
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    (tmp_path / "small" / "t.yaml").write_text(HEAT_TEMPLATE)
    (tmp_path / "big" / "t.yaml").write_text(big)
    [small] = _kept([tmp_path / "small"], heat_env_auto=True)
    [large] = _kept([tmp_path / "big"], heat_env_auto=True)
    assert large.data == small.data
    small.locator.pack()
    large.locator.pack()
    assert len(large.locator.root) == len(small.locator.root)


def test_pack_rules_say_which_top_level_keys_they_read():
    from lintra.policy.pack import _reads

    spec = {"kinds": ["heat"], "match": [{"path": "resources.*.type"},
                                         {"each": "Resources.*", "path": "Metadata.x"}]}
    assert _reads(spec) == {"heat": (("resources",), ("Resources",))}
    assert _reads({**spec, "match": {"path": "**.image"}}) is None  # may read anything
    assert _reads({**spec, "match": {"path": '["odd key"].x'}}) is None
    assert _reads({**spec, "where": [{"path": "x", "exists": True}]}) is None
