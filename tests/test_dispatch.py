"""One look at each document for all its rules: a rule is given only the documents that have a
place it finds under (``Rule.finds_under``), per-run work (parameters, compiled paths, condition
answers) is done once, and none of it changes what is found."""

import pytest

from lintra.check import Dispatch, Scan, run_rules
from lintra.check.params import effective
from lintra.domain import kubernetes
from lintra.load import load_source
from lintra.model import Hit, Rule, Source
from lintra.plugins import load_registry
from lintra.policy.conditions import compile_condition, remembered
from lintra.policy.pack import _compile_rule
from lintra.policy.selector import compile_path, evaluate, reached

REGISTRY = load_registry()

MANIFESTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data: {a: b}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
spec:
  type: LoadBalancer
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    metadata:
      annotations: {a: b}
    spec:
      nodeSelector: {topology.kubernetes.io/zone: z1}
      containers:
        - name: app
          image: gcr.io/example/app:1
"""


def documents(text=MANIFESTS, name="m.yaml"):
    return load_source(Source(name, None, text.encode()), REGISTRY.loaders, REGISTRY.detectors).documents


def spy(rule_id, finds_under, seen, kinds=("k8s",)):
    def check(document, scan):
        seen.append((rule_id, document.data["metadata"]["name"]))
        return [Hit(("kind",), f"{rule_id} on {document.data['metadata']['name']}")]
    return Rule(rule_id, rule_id.lower(), "t", "other", "network", "soft", "warning", kinds, "r", "m", check,
                finds_under=finds_under)


def test_a_rule_is_given_only_documents_that_have_a_place_it_finds_under():
    seen = []
    rules = [spy("ZZ1", [("metadata", "annotations")], seen), spy("ZZ2", None, seen),
             spy("ZZ3", ["@pods"], seen), spy("ZZ4", [("spec", "type"), ("data",)], seen),
             spy("ZZ5", ["@nodekeys"], seen), spy("ZZ6", [("spec", "template", "metadata", "annotations")], seen)]
    docs = documents()
    findings = run_rules(docs, rules, Scan(docs))
    assert seen == [("ZZ2", "plain"), ("ZZ4", "plain"),
                    ("ZZ1", "web"), ("ZZ2", "web"), ("ZZ4", "web"),
                    ("ZZ2", "app"), ("ZZ3", "app"), ("ZZ5", "app"), ("ZZ6", "app")]
    # in document order, then in the order the rules are declared, as before dispatch
    assert [f.message for f in findings] == [f"{r} on {n}" for r, n in seen]


def test_places_that_cannot_be_judged_give_the_rule_every_document():
    seen = []
    rules = [spy("ZZ1", [], seen), spy("ZZ2", [()], seen), spy("ZZ3", ["@nobody-knows"], seen),
             spy("ZZ4", [("metadata", "annotations"), ()], seen)]
    docs = documents()
    run_rules(docs, rules, Scan(docs))
    assert sorted(seen) == sorted((r, n) for r in ("ZZ1", "ZZ2", "ZZ3", "ZZ4") for n in ("plain", "web", "app"))


def test_a_kind_with_a_resolver_gives_every_rule_every_document():
    # a resolver (Heat's get_param) may stand a value in for a node, so a missing literal key proves nothing
    seen = []
    rule = spy("ZZ1", [("nowhere",)], seen)
    docs = documents()
    run_rules(docs, [rule], Scan(docs, resolvers={"k8s": object()}))
    assert [n for _, n in seen] == ["plain", "web", "app"]
    assert Dispatch([rule]).rules_for(docs[0]) == []
    assert Dispatch([rule]).rules_for(docs[0], resolved=True) == [rule]


def test_a_place_is_a_mapping_key_path_not_a_list_item():
    seen = []
    rule = spy("ZZ1", [("spec", "containers")], seen)
    docs = documents("apiVersion: v1\nkind: X\nmetadata: {name: a}\nspec: [containers]\n---\n"
                     "apiVersion: v1\nkind: X\nmetadata: {name: b}\nspec: {containers: null}\n")
    run_rules(docs, [rule], Scan(docs))
    assert seen == [("ZZ1", "b")]


@pytest.mark.parametrize("path, place", [
    ("metadata.annotations.*", ("metadata", "annotations")),
    ('metadata.annotations["eks.amazonaws.com/role-arn"]', ("metadata", "annotations", "eks.amazonaws.com/role-arn")),
    ("spec.volumes[*].csi.driver", ("spec", "volumes")),
    ("@containers.image", "@pods"),
    ("@pod.volumes[*].vsphereVolume", "@pods"),
    ("@podmeta.annotations.*", "@pods"),
    ("@nodekeys", "@nodekeys"),
])
def test_a_pack_rule_finds_under_the_literal_start_of_each_match(path, place):
    spec = {"id": "ZZ100", "name": "x", "title": "t", "vendor": "other", "category": "network",
            "strength": "soft", "severity": "warning", "kinds": ["k8s"], "rationale": "r", "remediation": "m",
            "message": "{value}", "match": [{"path": path}, {"each": "metadata", "path": "labels.*"}]}
    for deferred in (False, True):
        assert _compile_rule(spec, "test", deferred=deferred).finds_under == (place, ("metadata",))


@pytest.mark.parametrize("path", ["**", "*.type", '["odd key"].x'])
def test_a_pack_rule_whose_match_may_start_anywhere_is_given_every_document(path):
    spec = {"id": "ZZ100", "name": "x", "title": "t", "vendor": "other", "category": "network",
            "strength": "soft", "severity": "warning", "kinds": ["k8s"], "rationale": "r", "remediation": "m",
            "message": "{value}", "match": [{"path": "metadata.name"}, {"path": path}]}
    expected = None if path != '["odd key"].x' else (("metadata", "name"), ("odd key", "x"))
    for deferred in (False, True):
        assert _compile_rule(spec, "test", deferred=deferred).finds_under == expected


def test_node_keys_have_a_place_exactly_where_node_keys_can_be_found():
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
          "allowedTopologies": [{"matchLabelExpressions": [{"key": "failure-domain.beta.kubernetes.io/zone"}]}]}
    pod = {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a"}]}}
    for data in (sc, pod, {**sc, "apiVersion": "example.org/v1"}, {"kind": "ConfigMap"}, [], None):
        found = list(kubernetes.node_keys(data))
        assert kubernetes.may_name_node_keys(data) or not found
    assert kubernetes.may_name_node_keys(sc) and kubernetes.may_name_node_keys(pod)
    assert not kubernetes.may_name_node_keys({**sc, "apiVersion": "example.org/v1"})
    assert not kubernetes.may_name_node_keys({"apiVersion": "v1", "kind": "ConfigMap", "data": {}})


def test_every_shipped_rule_finds_on_the_shared_kinds_what_it_finds_when_given_every_document():
    # the places a shipped pack rule declares are a promise: calling it everywhere finds no more
    docs = documents()
    scan = Scan(docs, resolvers=REGISTRY.resolvers)
    for rule in REGISTRY.rules.values():
        if rule.finds_under is None or "k8s" not in rule.kinds:
            continue
        dispatch = Dispatch([rule])
        for doc in docs:
            if rule not in dispatch.rules_for(doc):
                assert list(rule.check(doc, scan)) == [], (rule.id, doc.data["metadata"]["name"])


def test_one_path_text_compiles_once_and_a_document_is_walked_once_per_path():
    steps = compile_path("metadata.annotations.*")
    assert compile_path("metadata.annotations.*") is steps
    data = documents()[1].data
    first = reached(steps, data)
    assert first == list(evaluate(steps, data))
    assert reached(steps, data) is first
    other = documents()[1].data  # equal, but another document
    assert reached(steps, other) == first and reached(steps, other) is not first


def test_remembered_conditions_answer_as_the_condition_does():
    # 1 and True are equal and hash alike: an answer for one must not be given for the other
    condition = compile_condition({"any": [{"regex": "^ab"}, {"type": "boolean"}, {"key": {"type": "boolean"}}]})
    memo = remembered(condition)
    cases = [("k", "abc"), ("k", "xbc"), ("k", True), ("k", 1), (1, "x"), (True, "x"), (1.0, "x"), ("1", "x"),
             (0, None), ("k", ["abc"])]
    for _ in range(2):
        assert [memo(k, v) for k, v in cases] == [bool(condition(k, v)) for k, v in cases]
    assert [memo(k, v) for k, v in cases] == [True, False, True, False, False, True, False, False, False, False]


def test_parameters_are_resolved_once_per_run_and_again_for_a_new_run():
    rule = REGISTRY.rules["LK304"]
    run = Scan([], options={"rule_params": {"LK304": {"public_registries": ["example.org"]}}})
    first = effective(rule, run)
    assert first["public_registries"] == ["example.org"]
    assert effective(rule, run) is first
    assert effective(rule, Scan([], options={"rule_params": {}})) == {
        name: spec.get("default") for name, spec in rule.params.items()}
    assert effective(rule, run) == first
