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


def test_knative_kinds_bear_pods_only_in_the_knative_group():
    revision = {"kind": "Revision", "apiVersion": "serving.knative.dev/v1", "spec": {"containers": []}}
    assert pod_spec_pointer(revision) == ("spec",)
    configuration = {"kind": "Configuration", "apiVersion": "serving.knative.dev/v1",
                     "spec": {"template": {"spec": {}}}}
    assert pod_spec_pointer(configuration) == ("spec", "template", "spec")
    assert pod_spec_pointer({**revision, "apiVersion": "example.org/v1"}) is None


def test_nodekeys_reach_every_scheduling_key():
    pod = {"kind": "Pod", "apiVersion": "v1", "spec": {
        "nodeSelector": {"a/n": "x"},
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{"key": "a/r"}]}]},
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"preference": {"matchExpressions": [{"key": "a/p"}]}}]},
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "a/t"}],
                "preferredDuringSchedulingIgnoredDuringExecution": [{"podAffinityTerm": {"topologyKey": "a/u"}}]}},
        "topologySpreadConstraints": [{"topologyKey": "a/s"}],
        "tolerations": [{"key": "a/o"}, {"operator": "Exists"}]}}
    hits = list(evaluate(compile_path("@nodekeys"), pod))
    assert [v for _, _, v in hits] == ["a/n", "a/r", "a/p", "a/t", "a/u", "a/s", "a/o"]
    assert hits[0][0] == ("spec", "nodeSelector", "a/n") and hits[-1][0] == ("spec", "tolerations", 0, "key")
    sc = {"kind": "StorageClass", "apiVersion": "storage.k8s.io/v1",
          "allowedTopologies": [{"matchLabelExpressions": [{"key": "a/z"}]}]}
    pv = {"kind": "PersistentVolume", "apiVersion": "v1", "spec": {"nodeAffinity": {"required": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "a/v"}]}]}}}}
    pool = {"kind": "NodePool", "apiVersion": "karpenter.sh/v1",
            "spec": {"template": {"spec": {"requirements": [{"key": "a/k"}]}}}}
    runtime = {"kind": "RuntimeClass", "apiVersion": "node.k8s.io/v1",
               "scheduling": {"nodeSelector": {"a/c": "y"}, "tolerations": [{"key": "a/d"}]}}
    assert [v for doc in (sc, pv, pool, runtime) for _, _, v in evaluate(compile_path("@nodekeys"), doc)] == [
        "a/z", "a/v", "a/k", "a/c", "a/d"]
    # a kind of the same name from another API group is not a Karpenter NodePool
    assert list(evaluate(compile_path("@nodekeys"), {**pool, "apiVersion": "example.org/v1"})) == []


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
