"""Rule parameters: declared with types and defaults, set per rule in .lintra.yaml, validated,
shown, and read by pack and Python rules (LK304's public_registries, LK110's accepted_provisioners)."""

import json

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.model import Rule
from lintra.policy import PackError
from lintra.policy.pack import rules_from_pack

POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
       "    - {name: a, image: europe-docker.pkg.dev/acme/public/app:1}\n"
       "    - {name: b, image: gcr.io/distroless/static-debian12:nonroot}\n"
       "    - {name: c, image: europe-docker.pkg.dev/acme/team/app:1}\n")


def lk304(tmp_path, config=None):
    (tmp_path / "pod.yaml").write_text(POD)
    if config is not None:
        (tmp_path / ".lintra.yaml").write_text(config)
    result = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK304", str(tmp_path / "pod.yaml")])
    return result, [(f["line"], f["column"]) for f in json.loads(result.output)["findings"]] if result.exit_code < 2 else None


def test_public_images_on_google_registries_are_not_coupling_by_default(tmp_path):
    # distroless (line 7) is public by its project's docs; the two Artifact Registry paths are
    # project-scoped, each found at its image value (column 24, after "    - {name: a, image: ")
    _, found = lk304(tmp_path)
    assert found == [(6, 24), (8, 24)]


def test_a_configured_list_replaces_the_default(tmp_path):
    _, found = lk304(tmp_path, "rules:\n  LK304:\n    params:\n      public_registries: [europe-docker.pkg.dev/acme/public/]\n")
    assert found == [(7, 24), (8, 24)]


@pytest.mark.parametrize("config, message", [
    ("rules:\n  LK304:\n    params:\n      public_registry: [x/]\n",
     "rules.LK304.params.public_registry: LK304 has no parameter 'public_registry' (known: public_registries)"),
    ("rules:\n  LK304:\n    params:\n      public_registries: x/\n",
     "rules.LK304.params.public_registries: must be of type strings, not 'x/'"),
    ("rules:\n  LK999:\n    params: {x: 1}\n", "rules.LK999: no rule has this id"),
])
def test_unknown_parameters_and_wrong_types_exit_2_naming_the_file(tmp_path, config, message):
    result, _ = lk304(tmp_path, config)
    assert result.exit_code == 2 and message in result.output and ".lintra.yaml" in result.output


def test_config_show_and_rules_json_show_the_parameters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".lintra.yaml").write_text("rules:\n  LK304:\n    params:\n      public_registries: [a/]\n")
    shown = CliRunner().invoke(main, ["config", "--show"]).output
    assert 'rules = {"LK304": {"params": {"public_registries": ["a/"]}}}' in shown
    [rule] = json.loads(CliRunner().invoke(main, ["rules", "LK304", "--format", "json"]).output)
    param = rule["params"]["public_registries"]
    assert param["type"] == "strings" and param["value"] == ["a/"] and "gcr.io/distroless/" in param["default"]
    assert "github.com/GoogleContainerTools/distroless" in param["description"]


def test_python_rule_parameter(tmp_path):
    sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: px}\nprovisioner: kubernetes.io/portworx-volume\n"
    pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nspec:\n  storageClassName: px\n"
    (tmp_path / "sc.yaml").write_text(sc)
    (tmp_path / "pvc.yaml").write_text(pvc)

    def found():
        out = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK110", str(tmp_path)]).output
        return [(f["file"].rsplit("/", 1)[-1], f["line"], f["column"], f["vendor"]) for f in json.loads(out)["findings"]]
    assert found() == [("pvc.yaml", 5, 21, "pure")]
    (tmp_path / ".lintra.yaml").write_text(
        "rules:\n  LK110:\n    params:\n      accepted_provisioners: [kubernetes.io/portworx-volume]\n")
    assert found() == []


PACK = """\
pack: {name: p, version: 1}
rules:
  - id: P1
    name: p
    title: t
    vendor: other
    category: image
    params:
      allowed: {type: strings, default: [ok/], description: images that may run}
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: r
    remediation: m
    match: {path: "@containers.image", not: {startswith: {param: %s}}}
    message: "image {value}"
"""


def test_a_pack_condition_naming_an_undeclared_parameter_is_a_pack_error(tmp_path):
    (tmp_path / "p.yaml").write_text(PACK % "allowed")
    [rule] = rules_from_pack(str(tmp_path / "p.yaml"))
    assert rule.params["allowed"]["default"] == ["ok/"]
    (tmp_path / "p.yaml").write_text(PACK % "alowed")
    with pytest.raises(PackError) as info:
        rules_from_pack(str(tmp_path / "p.yaml"))
    assert "unknown parameter 'alowed' (declared: allowed)" in str(info.value)


def test_a_default_of_the_wrong_type_is_refused():
    with pytest.raises(ValueError, match="default 'x' is not of type strings"):
        Rule("X1", "x", "x", "other", "api", "soft", "info", ("k8s",), "r", "m", check=lambda d, s: (),
             params={"p": {"type": "strings", "default": "x", "description": "d"}})


IMAGE_RULES = ("LK107", "LK204", "LK304", "LK403", "LK504")


def test_every_image_rule_takes_the_same_documented_public_registries():
    rules = {r["id"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)}
    judging = sorted(r for r, rule in rules.items() if "public_registries" in rule["params"])
    assert judging == list(IMAGE_RULES)
    specs = [rules[r]["params"]["public_registries"] for r in IMAGE_RULES]
    assert all(spec == specs[0] for spec in specs)
    # each default prefix is named in the description together with the source that makes it public
    for prefix, source in [("gcr.io/distroless/", "github.com/GoogleContainerTools/distroless"),
                           ("gcr.io/kaniko-project/", "github.com/GoogleContainerTools/kaniko"),
                           ("gcr.io/cadvisor/", "github.com/google/cadvisor"),
                           ("gcr.io/knative-releases/", "knative.dev/docs/install"),
                           ("gcr.io/tekton-releases/", "tekton.dev/docs/pipelines/install"),
                           ("public.ecr.aws/", "docs.aws.amazon.com/AmazonECR/latest/public/"),
                           ("mcr.microsoft.com/", "github.com/microsoft/containerregistry"),
                           ("registry.k8s.io/", "kubernetes.io/blog/2023/03/10/image-registry-redirect")]:
        assert prefix in specs[0]["default"]
        description = " ".join(specs[0]["description"].split())
        assert description.index(prefix) < description.index(source) < description.index(prefix) + 200
    assert len(specs[0]["default"]) == 8


PUBLIC_POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
              "    - {name: a, image: gcr.io/distroless/static-debian12:nonroot}\n"
              "    - {name: b, image: public.ecr.aws/docker/library/nginx:1.27}\n"
              "    - {name: c, image: mcr.microsoft.com/dotnet/aspnet:8.0}\n"
              "    - {name: d, image: registry.k8s.io/pause:3.9}\n"
              "    - {name: e, image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1}\n"
              "    - {name: f, image: contoso.azurecr.io/app:1}\n")


def image_findings(tmp_path, config=None):
    (tmp_path / "pod.yaml").write_text(PUBLIC_POD)
    if config:
        (tmp_path / ".lintra.yaml").write_text(config)
    out = CliRunner().invoke(main, ["check", "-f", "json", "--profile", "agile", str(tmp_path / "pod.yaml")]).output
    return sorted((f["rule_id"], f["line"], f["column"]) for f in json.loads(out)["findings"])


def test_public_images_under_vendor_hosts_give_no_coupling_finding_in_any_rule(tmp_path):
    # lines 6-9 are public images (distroless, ECR Public, MAR, registry.k8s.io): no rule reports
    # them; the ECR account host (line 10) and the ACR registry (line 11) are scoped, at the image
    assert image_findings(tmp_path) == [("LK204", 10, 24), ("LK403", 11, 24)]


def test_the_star_entry_sets_public_registries_for_every_image_rule(tmp_path):
    config = ('rules:\n  "*":\n    params:\n      public_registries: [111122223333.dkr.ecr.eu-west-1.amazonaws.com/,'
              ' contoso.azurecr.io/]\n')
    # the list replaces the default, so distroless (line 6) is project-scoped again for LK304
    assert image_findings(tmp_path, config) == [("LK304", 6, 24)]
    # a rule's own entry wins over "*"
    config += "  LK403:\n    params:\n      public_registries: [gcr.io/distroless/]\n"
    assert image_findings(tmp_path, config) == [("LK304", 6, 24), ("LK403", 11, 24)]


@pytest.mark.parametrize("config, message", [
    ("rules:\n  LK304:\n    params:\n      public_registry: [x/]\n", ".lintra.yaml:4:7: rules.LK304.params.public_registry"),
    ("rules:\n  LK118:\n    params:\n      providers: {aws: amazon}\n",
     ".lintra.yaml:4:7: rules.LK118.params.providers: must be of type vendor_map"),
    ("rules:\n  LK999:\n    params: {x: 1}\n", ".lintra.yaml:2:3: rules.LK999: no rule has this id"),
    ('rules:\n  "*":\n    params:\n      public_registry: []\n', ".lintra.yaml:4:7: rules.*.params.public_registry: no rule"),
    ('rules:\n  "*":\n    params:\n      public_registries: x\n', ".lintra.yaml:4:7: rules.*.params.public_registries: must be"),
])
def test_a_parameter_error_names_its_line_in_the_configuration(tmp_path, config, message):
    result, _ = lk304(tmp_path, config)
    assert result.exit_code == 2 and message in result.output


def test_rules_json_and_config_show_report_the_star_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".lintra.yaml").write_text('rules:\n  "*":\n    params:\n      public_registries: [a/]\n')
    assert 'rules = {"*": {"params": {"public_registries": ["a/"]}}}' in CliRunner().invoke(main, ["config", "--show"]).output
    rules = json.loads(CliRunner().invoke(main, ["rules", "LK204", "LK110", "--format", "json"]).output)
    from lintra.rules.k8s.class_names import CONVENTIONAL_CLASSES

    # the star entry reaches the rule that declares public_registries; LK110 keeps its defaults
    assert [(r["id"], {n: p["value"] for n, p in r["params"].items()}) for r in rules] == [
        ("LK110", {"accepted_provisioners": [], "extra_provisioners": {},
                   "class_names": CONVENTIONAL_CLASSES["StorageClass"]}),
        ("LK204", {"public_registries": ["a/"]})]


AWS_GROUP = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
             "metadata: {name: targetgroupbindings.elbv2.k8s.aws}\nspec:\n  group: elbv2.k8s.aws\n"
             "---\napiVersion: elbv2.k8s.aws/v1beta1\nkind: TargetGroupBinding\nmetadata: {name: t}\n")
# the CRD's group value: line 5, column 10 (LK117); the object's apiVersion: line 7, column 13 (LK206)


def group_findings(tmp_path, config=None):
    (tmp_path / "m.yaml").write_text(AWS_GROUP)
    if config is not None:
        (tmp_path / ".lintra.yaml").write_text(config)
    result = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK117,LK206", str(tmp_path / "m.yaml")])
    if result.exit_code == 2:
        return result.output
    return sorted((f["rule_id"], f["line"], f["column"]) for f in json.loads(result.output)["findings"])


def test_the_star_entry_accepts_an_api_group_for_its_crd_and_its_objects(tmp_path):
    assert group_findings(tmp_path) == [("LK117", 5, 10), ("LK206", 7, 13)]
    assert group_findings(tmp_path, 'rules:\n  "*":\n    params:\n      accepted_groups: [elbv2.k8s.aws]\n') == []


@pytest.mark.parametrize("value", ["{lb.example.net: aws}", "[lb.example.net]"])
def test_a_star_value_must_suit_every_type_a_rule_declares_for_the_name(tmp_path, value):
    # LK117 lists extra groups with their vendor; the one-vendor pack rules list group names
    output = group_findings(tmp_path, f'rules:\n  "*":\n    params:\n      extra_groups: {value}\n')
    assert ".lintra.yaml:4:7: rules.*.params.extra_groups: must be of type" in output


MAPPED_PACK = """\
pack: {name: p, version: 1}
rules:
  - id: P2
    name: p2
    title: t
    vendor: other
    category: storage
    params:
      plugins: {type: vendor_map, default: {acmeDisk: dell, betaDisk: hpe}, description: volume sources and vendors}
    strength: hard
    severity: error
    kinds: [k8s]
    rationale: r
    remediation: m
    service: in-house volume plugins
    match: {path: "@pod.volumes[*].*", key: {in: {param: plugins}}, MAPPING}
    message: "{kind} '{name}' uses {key}"
"""
VOLUMES = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n"
           "  volumes:\n    - {name: a, acmeDisk: {}}\n    - {name: b, betaDisk: {}}\n")  # keys: column 17


def test_a_pack_match_takes_each_finding_s_vendor_from_a_vendor_map(tmp_path):
    (tmp_path / "p.yaml").write_text(MAPPED_PACK.replace(
        "MAPPING", "vendor_map: {param: plugins}, service_map: {acmeDisk: Acme Disk}"))
    (tmp_path / "m.yaml").write_text(VOLUMES)

    def found(config=None):
        if config:
            (tmp_path / ".lintra.yaml").write_text(config)
        out = CliRunner().invoke(main, ["check", "-f", "json", "--pack", str(tmp_path / "p.yaml"), "--select", "P2",
                                        str(tmp_path / "m.yaml")]).output
        return [(f["line"], f["column"], f["vendor"], f["service"]) for f in json.loads(out)["findings"]]
    assert found() == [(7, 17, "dell", "Acme Disk"), (8, 17, "hpe", "in-house volume plugins")]
    [rule] = rules_from_pack(str(tmp_path / "p.yaml"))
    assert rule.vendors == ("dell", "hpe") and "Acme Disk" in rule.services
    # a configured entry names its own vendor; the entry left out is no longer reported
    assert found("rules:\n  P2:\n    params:\n      plugins: {betaDisk: netapp}\n") == [
        (8, 17, "netapp", "in-house volume plugins")]


@pytest.mark.parametrize("mapping, message", [
    ("vendor: dell, vendor_map: {param: plugins}", "a match has a 'vendor' or a 'vendor_map', not both"),
    ("service_map: {acmeDisk: Acme Disk}", "p.yaml:16:69: rules.0.match.service_map: 'service_map' needs 'vendor_map' beside it"),
    ("vendor_map: {param: plugin}", "unknown parameter 'plugin' (declared: plugins)"),
])
def test_a_wrong_vendor_map_match_is_a_pack_error(tmp_path, mapping, message):
    (tmp_path / "p.yaml").write_text(MAPPED_PACK.replace("MAPPING", mapping))
    with pytest.raises(PackError) as info:
        rules_from_pack(str(tmp_path / "p.yaml"))
    assert message in str(info.value)


def test_a_vendor_map_match_names_a_vendor_map_parameter(tmp_path):
    pack = MAPPED_PACK.replace("MAPPING", "vendor_map: {param: names}").replace(
        "    strength: hard", "      names: {type: strings, default: [acmeDisk], description: d}\n    strength: hard")
    (tmp_path / "p.yaml").write_text(pack)
    with pytest.raises(PackError) as info:
        rules_from_pack(str(tmp_path / "p.yaml"))
    assert "'vendor_map' names a vendor_map parameter: {param: NAME}" in str(info.value)
