"""What the map keeps for the reduce (lintra.pipeline.Plan): a cross-object rule's ``needs`` is
asked once per document however many rules share it, the Kubernetes rules' ``needs`` answer only
for Kubernetes objects (a Heat template holding a pod-shaped mapping is no claim: it is kept only
for what the Heat rules read), and what those rules need is still kept, so they still report."""

import os
import textwrap

import yaml

from lintra.filter import Judgement
from lintra.model import Document, Hit, Rule, Source
from lintra.pipeline import Plan, run
from lintra.plugins import load_registry
from tests.conftest import where

K8S_CROSS = ("LK110", "LK111", "LK112", "LK114", "LK115")

#: a Heat template whose software config carries a Kubernetes pod with a claim template: a pod
#: shape and a claim, but inside a Heat resource (LK110's old needs kept it whole for that)
HEAT_WITH_POD = textwrap.dedent("""\
    heat_template_version: 2018-08-31
    parameters:
      image: {type: string, default: cirros, description: the image}
    resources:
      config:
        type: OS::Heat::SoftwareConfig
        properties:
          config:
            kind: StatefulSet
            spec:
              template:
                spec:
                  serviceAccountName: app
                  containers: [{name: c, image: app}]
                  volumes:
                    - name: scratch
                      ephemeral: {volumeClaimTemplate: {spec: {storageClassName: fast}}}
    outputs:
      id: {value: {get_resource: config}}
    """)


def _document(kind, text, name="t.yaml"):
    return Document(Source(name, name), 0, kind, yaml.safe_load(text), None)


def test_kubernetes_needs_answer_only_for_kubernetes_objects():
    rules = load_registry().rules
    heat = _document("heat", HEAT_WITH_POD)
    for rule_id in K8S_CROSS:
        assert rules[rule_id].needs(heat) is False, rule_id
    # the same mapping as a Kubernetes object is a workload with a claim and a ServiceAccount
    pod = yaml.safe_load(HEAT_WITH_POD)["resources"]["config"]["properties"]["config"]
    k8s = Document(Source("s.yaml", "s.yaml"), 0, "k8s", pod, None)
    assert rules["LK110"].needs(k8s) and rules["LK111"].needs(k8s)


def test_each_kubernetes_needs_still_keeps_its_failing_examples():
    """Every document of a k8s cross-object rule's failing example that the rule reports on or
    reads through the scan (each is a Kubernetes object) is kept."""
    rules = load_registry().rules
    for rule_id in K8S_CROSS:
        for example in rules[rule_id].examples["fail"]:
            docs = [d for d in yaml.safe_load_all(example["content"]) if d]
            assert docs and all(rules[rule_id].needs(Document(Source("e.yaml", "e.yaml"), i, "k8s", d, None))
                                for i, d in enumerate(docs)), rule_id


def test_a_heat_template_with_a_pod_shape_keeps_only_what_the_heat_rules_read():
    registry = load_registry()
    plan = Plan(registry, [r for r in registry.rules.values() if Judgement().enabled(r)], None)
    kept = plan.kept([_document("heat", HEAT_WITH_POD)])
    assert len(kept) == 1
    # resources whole, parameters' defaults only; outputs and descriptions dropped
    assert sorted(kept[0].data) == ["parameters", "resources"]
    assert kept[0].data["parameters"] == {"image": {"default": "cirros"}}


def test_a_needs_predicate_shared_by_rules_is_asked_once_per_document():
    asked = []

    def needs(document):
        asked.append(document.index)
        return document.data.get("kind") == "Wanted"

    def rule(rule_id):
        return Rule(id=rule_id, name=f"test-shared-needs-{rule_id.lower()}", title="t", vendor="aws",
                    category="api", strength="soft", severity="warning", kinds=("k8s",), rationale="r",
                    remediation="r", references=[], check=lambda doc, scan: [Hit((), "m")], needs=needs)
    registry = load_registry()
    plan = Plan(registry, [rule("LK991"), rule("LK992"), rule("LK993")], None)
    wanted = _document("k8s", "kind: Wanted\n")
    other = Document(wanted.source, 1, "k8s", {"kind": "Other"}, None)
    kept = plan.kept([wanted, other])
    assert kept == [wanted] and asked == [0, 1]
    asked.clear()
    for r in plan.cross:
        assert plan.wants(r, wanted)
    assert asked == [0]  # the reduce asks once for the three rules too


def test_claims_still_resolve_beside_heat_templates_with_pod_shapes(tmp_path):
    """End to end: the StorageClass and the claim are kept, the Heat template is not taken for
    either, and the claim's finding lands on its class name."""
    (tmp_path / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                                      "provisioner: ebs.csi.aws.com\n")
    (tmp_path / "pvc.yaml").write_text("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
                                       "spec:\n  storageClassName: fast\n")
    (tmp_path / "stack.yaml").write_text(HEAT_WITH_POD)
    result = run([str(tmp_path)])
    found = [(os.path.basename(f.file), f.span.line, f.span.column) for f in result.findings if f.rule.id == "LK110"]
    assert found == [("pvc.yaml", 5, 21)]
    assert where(result, "LK111") == []
