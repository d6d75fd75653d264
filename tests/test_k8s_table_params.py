"""The Kubernetes vendor tables that were written into rule code and packs (LK104, LK107, LK109,
LK110, LK111, LK112, LK114, LK115, LK407) are read only through the rules' parameters.

Two proofs. Each entry of each table's default is found by default in a manifest that uses it, at
the place read off the manifest's text, and is no longer found once .lintra.yaml leaves that one
entry out of the parameter: a copy of the table left in the code would still find it. And the
converted pack rules' conditions name no literal list of values: every list they compare against is
a parameter.
"""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from lintra.cli import main
from lintra.domain.kubernetes import image_name
from lintra.model import Document, Source
from lintra.policy import PackError, rules_from_pack
from lintra.rules.k8s.class_names import CONVENTIONAL_CLASSES, SOURCES
from lintra.rules.k8s.claim_vendor_storageclass import VENDOR_PROVISIONERS
from lintra.rules.k8s.controllers import controller_vendor
from tests.conftest import ROOT
from tests.test_packs import RULE_HEAD, write_pack
from tests.test_rule_param_tables import (bound_account, claim_named, gateway_named, ingress_named, mounted_secrets, pod_image,
                                          vsphere_class, zonal_class, zonal_volume)

#: (rule, parameter, manifest using one entry, where the finding lands) for every converted table
TABLES = [
    ("LK107", "registries", lambda prefix: pod_image(prefix + "tkg/pause:3.9"), (8, 14)),
    ("LK104", "parameter_keys", lambda key: vsphere_class("csi.vsphere.vmware.com", key), (7, 3)),
    ("LK104", "provisioners", vsphere_class, (7, 3)),
    ("LK109", "provisioners", zonal_class, (8, 15)),
    ("LK407", "component_prefixes", lambda prefix: pod_image(prefix + "addon/agent:1.0"), (8, 14)),
    ("LK407", "component_images", lambda name: pod_image(f"mcr.microsoft.com/oss/example/{name}:v1.0.0"), (8, 14)),
    ("LK111", "identity_annotations", bound_account, (14, 27)),
    ("LK115", "providers", mounted_secrets, (20, 53)),
    ("LK112", "class_names", ingress_named, (6, 21)),
    # a prefix entry (gke-l7-*) is used by a name under it
    ("LK114", "class_names", lambda name: gateway_named(name.replace("*", "global-external-managed")), (6, 21)),
    ("LK110", "class_names", claim_named, (6, 21)),
]


def _defaults():
    rules = json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)
    return {(r["id"], name): spec["default"] for r in rules for name, spec in r["params"].items()}


DEFAULTS = _defaults()
ENTRIES = [(rule, name, manifest, place, entry) for rule, name, manifest, place in TABLES
           for entry in DEFAULTS[(rule, name)]]


def findings(tmp_path, rule, manifest, config=None):
    (tmp_path / "m.yaml").write_text(manifest)
    config_file = tmp_path / ".lintra.yaml"
    config_file.unlink(missing_ok=True)
    if config is not None:
        config_file.write_text(json.dumps(config))  # JSON is YAML
    result = CliRunner().invoke(main, ["check", "-f", "json", "--select", rule, str(tmp_path / "m.yaml")])
    assert result.exit_code in (0, 1), result.output
    return [f for f in json.loads(result.output)["findings"] if f["rule_id"] == rule]


def test_every_table_has_entries():
    assert all(DEFAULTS[(rule, name)] for rule, name, _, _ in TABLES)


@pytest.mark.parametrize("rule, name, manifest, place, entry", ENTRIES,
                         ids=[f"{e[0]}-{e[1]}-{e[4]}" for e in ENTRIES])
def test_each_default_entry_is_read_through_the_parameter(tmp_path, rule, name, manifest, place, entry):
    default = DEFAULTS[(rule, name)]
    found = findings(tmp_path, rule, manifest(entry))
    assert [(f["line"], f["column"]) for f in found] == [place]
    if isinstance(default, dict):  # a table naming each entry's vendor (or controller) gives the finding's vendor
        vendor = (VENDOR_PROVISIONERS[default[entry]] if rule == "LK110" else controller_vendor(default[entry])
                  if name == "class_names" else default[entry])
        assert found[0]["vendor"] == vendor
    without = ({k: v for k, v in default.items() if k != entry} if isinstance(default, dict)
               else [e for e in default if e != entry])
    assert findings(tmp_path, rule, manifest(entry), {"rules": {rule: {"params": {name: without}}}}) == []


def test_a_pv_of_each_vsphere_driver_is_read_through_lk109s_parameter(tmp_path):
    # LK109's provisioners also decide a PersistentVolume's CSI driver
    found = findings(tmp_path, "LK109", zonal_volume("csi.vsphere.vmware.com"))
    assert [(f["line"], f["column"]) for f in found] == [(10, 21)]
    assert findings(tmp_path, "LK109", zonal_volume("csi.vsphere.vmware.com"),
                    {"rules": {"LK109": {"params": {"provisioners": ["kubernetes.io/vsphere-volume"]}}}}) == []


#: operators whose operand is a list of values to compare against (a table when written literally)
LIST_OPERATORS = ("in", "startswith", "endswith", "apigroup", "imagename")


def _literal_lists(node, at=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in LIST_OPERATORS and isinstance(value, list):
                yield at + (key,), value
            yield from _literal_lists(value, at + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _literal_lists(value, at + (i,))


PACK_RULES = {"LK104": "k8s-cloud-storage.yaml", "LK107": "k8s-cloud-services.yaml",
              "LK109": "k8s-node-placement.yaml", "LK407": "k8s-cloud-services.yaml"}


@pytest.mark.parametrize("rule_id", sorted(PACK_RULES))
def test_converted_pack_rules_compare_against_parameters_only(rule_id):
    rules = yaml.safe_load(Path(ROOT, "policies", PACK_RULES[rule_id]).read_text(encoding="utf-8"))["rules"]
    (rule,) = [r for r in rules if r["id"] == rule_id]
    literal = list(_literal_lists({"where": rule.get("where"), "match": rule.get("match")}))
    assert literal == []
    assert {name for rid, name, _, _ in TABLES if rid == rule_id} <= set(rule["params"])


def test_every_default_class_name_cites_its_source():
    assert {kind: set(names) for kind, names in SOURCES.items()} == \
        {kind: set(names) for kind, names in CONVENTIONAL_CLASSES.items()}


# An image reference is [HOST[:PORT]/]PATH[:TAG][@DIGEST], PATH's components separated by '/'
# (github.com/distribution/reference, reference.go grammar): the name is PATH's last component.
@pytest.mark.parametrize("image, name", [
    ("mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.3", "azuredisk-csi"),
    ("mcr.microsoft.com/azuredisk-csi", "azuredisk-csi"),
    ("mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager@sha256:" + "a" * 64, "azure-cloud-node-manager"),
    ("mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager:v1.30.0@sha256:" + "a" * 64, "azure-cloud-node-manager"),
    ("registry.example.org:5000/team/app:1", "app"),  # a port is not a tag
    ("registry.example.org:5000/team/app", "app"),
    ("nginx:1.27", "nginx"),
    ("nginx", "nginx"),
    ("mcr.microsoft.com/azure-npm/npm-exporter:v1", "npm-exporter"),
])
def test_image_name(image, name):
    assert image_name(image) == name


def test_imagename_condition_compares_the_image_name_exactly(tmp_path):
    body = RULE_HEAD + "    match: {path: \"@containers.image\", imagename: [azuredisk-csi, App]}\n"
    rule, = rules_from_pack(write_pack(tmp_path, body))

    def flagged(image):
        data = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": image}]}}
        document = Document(Source("m.yaml"), 0, "k8s", data, locator=None)
        return [hit.message for hit in rule.check(document, None)]

    assert flagged("mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.3") == [
        "image mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.3"]
    assert flagged("mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi-driver:v1") == []
    assert flagged("mcr.microsoft.com/azuredisk-csi/other:v1") == []  # a path component, not the name
    assert flagged("example.org/app:1") == []  # case matters without ignorecase
    folded, = rules_from_pack(write_pack(tmp_path, body.replace("App]}", "App], ignorecase: true}")))
    data = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "example.org/app:1"}]}}
    assert len(list(folded.check(Document(Source("m.yaml"), 0, "k8s", data, locator=None), None))) == 1
    with pytest.raises(PackError, match="rules.0.match.imagename.0: 1 is not of type 'string'"):
        rules_from_pack(write_pack(tmp_path, body.replace("[azuredisk-csi, App]", "[1]")))


def test_the_vsphere_rules_share_one_provisioner_list():
    # LK104 and LK109 check the classes (and volumes) of the provisioners LK102 reports: one list,
    # which a user extends in all three (the README's parameter table says so)
    assert DEFAULTS[("LK104", "provisioners")] == DEFAULTS[("LK109", "provisioners")] == \
        DEFAULTS[("LK102", "provisioners")]
