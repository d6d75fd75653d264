"""Declarative policy packs: the selector language, pack errors, and every shipped example."""

import pytest

from lintra.model import Document, Source
from lintra.plugins import load_registry
from lintra.policy import PackError, rules_from_pack, run_examples
from lintra.policy.selector import compile_path, evaluate, pod_spec_pointer
from lintra.resources import policies_dir

REGISTRY = load_registry()
PACK_RULES = rules_from_pack(policies_dir())


@pytest.mark.parametrize("rule", PACK_RULES, ids=lambda r: r.id)
def test_shipped_pack_examples(rule):
    assert rule.examples.get("fail") and rule.examples.get("pass"), f"{rule.id} needs fail and pass examples"
    assert run_examples(rule, REGISTRY.loaders, REGISTRY.detectors) == []


@pytest.mark.parametrize("path, expected", [
    ("spec.volumes[*].name", [(("spec", "volumes", 0, "name"), "a"), (("spec", "volumes", 1, "name"), "b")]),
    ("spec.volumes[-1].name", [(("spec", "volumes", 1, "name"), "b")]),
    ('metadata.annotations["a.b/c"]', [(("metadata", "annotations", "a.b/c"), "x")]),
    ("metadata.annotations.*", [(("metadata", "annotations", "a.b/c"), "x")]),
    ("spec.nope", []),
])
def test_paths(path, expected):
    data = {"metadata": {"annotations": {"a.b/c": "x"}}, "spec": {"volumes": [{"name": "a"}, {"name": "b"}]}}
    assert [(p, v) for p, _, v in evaluate(compile_path(path), data)] == expected


def test_recursive_descent_and_pod_macro():
    cron = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"image": "a"}], "initContainers": [{"image": "b"}]}}}}}}
    hits = [v for _, _, v in evaluate(compile_path("@containers.image"), cron)]
    assert hits == ["a", "b"]
    assert len(list(evaluate(compile_path("**"), {"a": [1, {"b": 2}]}))) == 5
    assert pod_spec_pointer({"kind": "Service", "apiVersion": "v1", "spec": {"template": {"spec": {}}}}) is None
    knative = {"kind": "Service", "apiVersion": "serving.knative.dev/v1", "spec": {"template": {"spec": {}}}}
    assert pod_spec_pointer(knative) == ("spec", "template", "spec")


def write_pack(tmp_path, body):
    path = tmp_path / "pack.yaml"
    path.write_text("pack: {name: t, version: 1, description: d}\nrules:\n" + body)
    return str(path)


RULE_HEAD = """  - id: ORG1
    name: n
    title: t
    vendor: other
    category: image
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: r
    remediation: m
    message: "image {value}"
"""


@pytest.mark.parametrize("match, error", [
    ("    match: {path: '@containers.image', regex: '(['}\n", "pack.yaml:14:5: rules.0.match: match.regex: regex '(['"),
    ("    match: {path: '@nope.image'}\n", "unknown path macro '@nope'"),
    ("    match: {path: spec, startwith: x}\n", "match: unknown operator 'startwith'"),
    ("    match: {path: spec, type: text}\n", "unknown type 'text'"),
    ("    matches: {path: spec}\n", "pack.yaml:14:5: rules.0.matches: unknown rule field"),
])
def test_invalid_packs_name_file_line_and_field(tmp_path, match, error):
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, RULE_HEAD + match))
    assert error in str(info.value)


def test_user_pack_end_to_end(tmp_path):
    pack = write_pack(tmp_path, RULE_HEAD + "    match:\n      path: '@containers.image'\n"
                      "      not: {startswith: registry.example.org/}\n")
    rule, = rules_from_pack(pack)
    data = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {
        "spec": {"containers": [{"image": "registry.example.org/a:1"}, {"image": "docker.io/b:2"}]}}}}
    doc = Document(Source("x"), 0, "k8s", data, locator=None)
    hits = list(rule.check(doc, None))
    assert [(h.pointer, h.message) for h in hits] == [
        (("spec", "template", "spec", "containers", 1, "image"), "image docker.io/b:2")]
