"""Declarative policy packs: the selector language, pack errors, and every shipped example."""

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.model import VENDORS, Document, Rule, Source
from lintra.plugins import load_registry
from lintra.policy import PackError, rules_from_pack, run_examples
from lintra.policy.selector import compile_path, evaluate, pod_spec_pointer
from lintra.resources import policies_dir

REGISTRY = load_registry()
PACK_RULES = rules_from_pack(policies_dir())


@pytest.mark.parametrize("rule", PACK_RULES, ids=lambda r: r.id)
def test_shipped_pack_examples(rule):
    assert rule.examples.get("fail") and rule.examples.get("pass"), f"{rule.id} needs fail and pass examples"
    assert run_examples(rule, REGISTRY.loaders, REGISTRY.detectors, REGISTRY.resolvers) == []


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


def test_podmeta_macro_reaches_the_metadata_beside_each_pod_spec():
    annotated = {"annotations": {"a.b/c": "x"}}
    pod = {"kind": "Pod", "metadata": annotated, "spec": {"containers": []}}
    deploy = {"kind": "Deployment", "metadata": {"name": "d"},
              "spec": {"template": {"metadata": annotated, "spec": {"containers": []}}}}
    cron = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {
        "metadata": annotated, "spec": {"containers": []}}}}}}
    steps = compile_path('@podmeta.annotations["a.b/c"]')
    assert [p for doc in (pod, deploy, cron) for p, _, _ in evaluate(steps, doc)] == [
        ("metadata", "annotations", "a.b/c"),
        ("spec", "template", "metadata", "annotations", "a.b/c"),
        ("spec", "jobTemplate", "spec", "template", "metadata", "annotations", "a.b/c")]
    # a workload's own annotations are not its pods'; a template without metadata has none
    assert list(evaluate(steps, {**deploy, "metadata": annotated, "spec": {"template": {"spec": {}}}})) == []
    assert list(evaluate(steps, {"kind": "ConfigMap", "metadata": annotated})) == []


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
    ("    match: {path: '@containers.image', regex: '(['}\n",
     "pack.yaml:14:40: rules.0.match.regex: regex '([' does not compile: unterminated character set"),
    ("    match: {path: metadata.name, regex: '^(a)\\1$'}\n",
     "pack.yaml:14:34: rules.0.match.regex: regex '^(a)\\\\1$' cannot run in linear time (invalid escape sequence"),
    ("    match: {path: '@nope.image'}\n",
     "pack.yaml:14:13: rules.0.match.path: unknown path macro '@nope' (known: @pod, @podmeta, @containers, @nodekeys)"),
    ("    match: {path: 'spec[', equals: 1}\n", "pack.yaml:14:13: rules.0.match.path: cannot read path 'spec[' at '['"),
    ("    match: {path: spec, startwith: x}\n", "pack.yaml:14:25: rules.0.match.startwith: unknown operator 'startwith'"),
    ("    match: {path: spec, type: text}\n",
     "pack.yaml:14:31: rules.0.match.type: 'text' is not one of: string, number, boolean, mapping, sequence, null"),
    ("    matches: {path: spec}\n", "pack.yaml:14:5: rules.0.matches: unknown rule field 'matches'"),
    ("    match:\n      - {path: a}\n      - {path: b, any: [{regex: '*x'}]}\n",
     "pack.yaml:16:26: rules.0.match.1.any.0.regex: regex '*x' does not compile"),
    ("    match: {path: a, if: {equals: 1}}\n", "pack.yaml:14:22: rules.0.match.if: 'if' needs 'each' beside it"),
    ("    match: {path: a, exists: false}\n", "pack.yaml:14:22: rules.0.match.exists: a match flags what its path"),
    ("    match: {path: a}\n    where: [{path: b, exists: false, regex: '+'}]\n",
     "pack.yaml:15:38: rules.0.where.0.regex: regex '+' does not compile"),
    ("    match: {path: a}\n    at: middle\n", "pack.yaml:15:9: rules.0.at: 'middle' is not one of: key, value"),
    ("    match: {path: a}\n  - {id: ORG1, name: x, title: t, match: {path: b}, message: m}\n",
     "pack.yaml:15:5: rules.1: missing required field 'category' (in the rule or in 'defaults')"),
    ("    match: {path: a}\n" + RULE_HEAD + "    match: {path: b}\n",
     "pack.yaml:15:5: rules.1.id: duplicate rule id ORG1 (first at line 3)"),
])
def test_invalid_packs_name_file_line_and_field(tmp_path, match, error):
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, RULE_HEAD + match))
    assert error in str(info.value)


@pytest.mark.parametrize("message, error", [
    ('"{image} from {registry}"', "pack.yaml:13:5: rules.0.message: unknown placeholder {image} (known: value, key,"),
    ('"{value.__class__}"', "pack.yaml:13:5: rules.0.message: unknown placeholder {value.__class__}"),
    ('"image {value"', "pack.yaml:13:5: rules.0.message: cannot read message"),
])
def test_message_placeholders_are_checked_when_the_pack_compiles(tmp_path, message, error):
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, RULE_HEAD.replace('"image {value}"', message) + "    match: {path: spec}\n"))
    assert error in str(info.value)


def test_example_runner_reports_a_crashing_rule():
    def check(document, scan):
        raise KeyError("boom")
        yield
    rule = Rule(id="X1", name="x", title="t", vendor="other", category="api", strength="soft", severity="info",
                kinds=["k8s"], rationale="r", remediation="m", check=check,
                examples={"fail": ["apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"], "pass": []})
    failure, = run_examples(rule, REGISTRY.loaders, REGISTRY.detectors)
    assert failure.startswith("X1 fail example 1: rule X1") and "raised KeyError: 'boom'" in failure


def test_every_schema_problem_is_reported_in_file_order(tmp_path):
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, RULE_HEAD.replace("vendor: other", "vendor: acme")
                                   + "    matches: {path: spec}\n"))
    assert [p.split("pack.yaml:")[1] for p in info.value.problems] == [
        "3:5: rules.0: missing required field 'match'",
        "6:13: rules.0.vendor: 'acme' is not one of: " + ", ".join(VENDORS),
        "14:5: rules.0.matches: unknown rule field 'matches' (known: at, category, effort, effort_reason, "
        "examples, id, k8s, kinds, known_problems, match, message, name, params, rationale, references, remediation, service, severity, strength, "
        "title, vendor, where)",
    ]


def test_registry_pack_flags_the_foreign_image_only(tmp_path):
    pack = write_pack(tmp_path, RULE_HEAD + "    match:\n      path: '@containers.image'\n"
                      "      not: {startswith: registry.example.org/}\n")
    rule, = rules_from_pack(pack)
    data = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {
        "spec": {"containers": [{"image": "registry.example.org/a:1"}, {"image": "docker.io/b:2"}]}}}}
    doc = Document(Source("x"), 0, "k8s", data, locator=None)
    hits = list(rule.check(doc, None))
    assert [(h.pointer, h.message) for h in hits] == [
        (("spec", "template", "spec", "containers", 1, "image"), "image docker.io/b:2")]


def test_each_broken_rule_of_a_pack_is_reported(tmp_path):
    second = RULE_HEAD.replace("ORG1", "ORG2").replace('"image {value}"', '"{image}"')
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, RULE_HEAD + "    match: {path: 'a.b['}\n" + second + "    match: {path: a}\n"))
    assert [p.split("pack.yaml:")[1].split(" (known")[0] for p in info.value.problems] == [
        "14:13: rules.0.match.path: cannot read path 'a.b[' at '['",
        "25:5: rules.1.message: unknown placeholder {image}",
    ]


def test_a_node_two_matches_reach_is_one_finding(tmp_path):
    pack = write_pack(tmp_path, RULE_HEAD + "    match:\n      - {path: '@podmeta.annotations.*'}\n"
                      "      - {path: metadata.annotations.*}\n")
    rule, = rules_from_pack(pack)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {"a.b/c": "x"}},
           "spec": {"containers": []}}
    hits = list(rule.check(Document(Source("x"), 0, "k8s", pod, locator=None), None))
    assert [h.pointer for h in hits] == [("metadata", "annotations", "a.b/c")]


def test_schema_and_compile_problems_of_different_rules_are_reported_in_one_run(tmp_path):
    """The docs promise every problem in one run; a schema problem used to hide every selector
    problem until it was fixed."""
    schema_broken = RULE_HEAD.replace("vendor: other", "vendor: acme") + "    match: {path: a}\n"
    selector_broken = RULE_HEAD.replace("ORG1", "ORG2") + "    match: {path: 'a.b['}\n"
    with pytest.raises(PackError) as info:
        rules_from_pack(write_pack(tmp_path, schema_broken + selector_broken))
    assert [p.split("pack.yaml:")[1][:30] for p in info.value.problems] == [
        "6:13: rules.0.vendor: 'acme' i",
        "26:13: rules.1.match.path: can",
    ]
    result = CliRunner().invoke(main, ["policy", "validate", str(tmp_path / "pack.yaml")])
    assert result.exit_code == 2 and result.output.count("pack.yaml:") == 2
