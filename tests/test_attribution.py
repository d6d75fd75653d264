"""Each finding names the vendor and service of what it matched, and every rule declares them:
per-match vendors (LK601's Photon PD is VMware's, Portworx Pure's), the service and migration
effort of every built-in rule, and the JSON views that carry them."""

import json

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.filter import Judgement
from lintra.model import VENDORS
from lintra.pipeline import run
from lintra.plugins import load_registry
from lintra.policy.examples import example_findings, example_parts

REGISTRY = load_registry()
COUPLING = sorted((r for r in REGISTRY.rules.values() if r.vendor != "lintra"), key=lambda r: r.id)

PX = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  volumes:\n"
PODS = {
    "photon.yaml": PX + "    - {name: v, photonPersistentDisk: {pdID: 7c1b, fsType: ext4}}\n",
    "portworx.yaml": PX + "    - {name: v, portworxVolume: {volumeID: vol1}}\n",
    "scaleio.yaml": PX + "    - {name: v, scaleIO: {gateway: https://gw, system: s, secretRef: {name: x}}}\n",
    "quobyte.yaml": PX + "    - {name: v, quobyte: {registry: 'r:7861', volume: v}}\n",
}


def test_every_built_in_rule_declares_service_and_effort_with_its_reason():
    missing = [r.id for r in COUPLING if not (r.service and r.effort_reason and r.effort in range(1, 6))]
    assert missing == []
    assert all(set(r.vendors) <= set(VENDORS) and r.service in r.services for r in COUPLING)


def findings_of_every_rule(corpus_result):
    for finding in corpus_result.findings:
        yield finding
    for rule in COUPLING:
        for example in rule.examples.get("fail", ()):
            name, content, environment = example_parts(example)
            yield from example_findings(rule, name, content, REGISTRY.loaders, REGISTRY.detectors,
                                        REGISTRY.resolvers, environment)


def test_every_finding_names_a_vendor_and_service_its_rule_declares(corpus_result):
    wrong = set()
    for finding in findings_of_every_rule(corpus_result):
        rule = finding.rule
        if rule.vendor == "lintra":
            continue
        if finding.vendor not in rule.vendors or finding.service not in rule.services:
            wrong.add((rule.id, finding.vendor, finding.service))
    assert wrong == set()


def test_lk601_attributes_each_in_tree_plugin_to_its_vendor(tmp_path):
    for name, text in PODS.items():
        (tmp_path / name).write_text(text)
    found = {f.file.rsplit("/", 1)[-1]: (f.span.line, f.span.column, f.vendor, f.service)
             for f in run([str(tmp_path)], Judgement(select=["LK601"])).findings}
    # each at its volume source key: line 7, column 17 (after the 16 characters "    - {name: v, ")
    assert found == {
        "photon.yaml": (7, 17, "vmware", "VMware Photon Platform persistent disk"),
        "portworx.yaml": (7, 17, "pure", "Portworx"),
        "scaleio.yaml": (7, 17, "dell", "Dell PowerFlex (ScaleIO)"),
        "quobyte.yaml": (7, 17, "other", "Quobyte"),
    }


def test_sanction_and_selectors_follow_the_finding_s_vendor(tmp_path):
    for name, text in PODS.items():
        (tmp_path / name).write_text(text)
    result = run([str(tmp_path)], Judgement(select=["LK601"], sanctioned=["vmware"]))
    sanctioned = {f.file.rsplit("/", 1)[-1] for f in result.findings if f.sanctioned}
    assert sanctioned == {"photon.yaml"}
    # --ignore other leaves Pure's, Dell's and VMware's findings of the rule declared "other"
    kept = {f.vendor for f in run([str(tmp_path)], Judgement(select=["LK601"], ignore=["other"])).findings}
    assert kept == {"vmware", "pure", "dell"}
    # a vendor selector reaches the matches of that vendor only
    assert [f.vendor for f in run([str(tmp_path)], Judgement(select=["pure"])).findings] == ["pure"]
    cli = CliRunner().invoke(main, ["check", "--select", "LK601", "--sanction", "vmware", str(tmp_path)])
    assert "by vendor: " in cli.output and "vmware 1" in cli.output and "pure 1" in cli.output, cli.output


def test_rules_json_lists_vendors_services_and_effort():
    rules = {r["id"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)}
    assert rules["LK601"]["vendors"] == ["pure", "dell", "other", "vmware"]
    assert "Portworx" in rules["LK601"]["services"] and rules["LK601"]["effort"] == 3
    assert rules["LK202"]["service"] == "AWS Load Balancer Controller and cloud-provider-aws load balancers"
    assert rules["LK112"]["vendors"] == ["aws", "azure", "gcp", "redhat", "vmware"]
    assert "AWS Load Balancer Controller (ALB)" in rules["LK112"]["services"]


def test_json_findings_carry_service_and_effort(tmp_path):
    (tmp_path / "photon.yaml").write_text(PODS["photon.yaml"])
    out = json.loads(CliRunner().invoke(main, ["check", "-f", "json", str(tmp_path)]).output)
    [finding] = [f for f in out["findings"] if f["rule_id"] == "LK601"]
    assert (finding["vendor"], finding["service"], finding["effort"]) == (
        "vmware", "VMware Photon Platform persistent disk", 3)


@pytest.mark.parametrize("controller, service", [
    ("ingress.k8s.aws/alb", "AWS Load Balancer Controller (ALB)"),
    ("azure/application-gateway", "Application Gateway Ingress Controller (AGIC)")])
def test_python_rules_name_the_service_per_hit(lint, controller, service):
    text = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n"
            f"  controller: {controller}\n")
    [finding] = [f for f in lint(text).findings if f.rule.id == "LK113"]
    assert finding.service == service


def test_a_vendor_selector_lists_the_rules_whose_findings_may_name_that_vendor(tmp_path, monkeypatch):
    """``lintra rules vmware`` lists LK601 (declared ``other``; its Photon PD match is VMware's,
    policies/k8s-cloud-storage.yaml), and a vendor a rule's vendor_map parameter adds lists it
    under that vendor too, as ``check --select`` reports its findings."""
    def listed(*args):
        result = CliRunner().invoke(main, ["rules", *args])
        assert result.exit_code == 0, result.output
        return [line.split()[0] for line in result.output.splitlines()]

    monkeypatch.chdir(tmp_path)
    assert "LK601" in listed("--isolated", "vmware")
    assert "LK601" not in listed("--isolated", "aws")
    (tmp_path / ".lintra.yaml").write_text("rules:\n  LK601:\n    params:\n      in_tree_volumes: {fooVolume: aws}\n")
    assert "LK601" in listed("aws")
