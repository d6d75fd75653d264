"""The configuration file: discovery, validation errors with file/line/key, and its effect on check."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lintra.cli import main

VSPHERE_SC = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: csi.vsphere.vmware.com
"""
AWS_ANNOTATION = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web
"""


def invoke(*args, cwd=None):
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def repo(tmp_path, config=None, name=".lintra.yaml"):
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "sc.yaml").write_text(VSPHERE_SC)
    (tmp_path / "k8s" / "sa.yaml").write_text(AWS_ANNOTATION)
    if config is not None:
        (tmp_path / name).write_text(config)
    return tmp_path


def findings(result):
    return json.loads(result.output)["findings"]


def test_sanctioned_vmware_is_info_while_aws_annotation_still_fails(tmp_path):
    repo(tmp_path, "sanctioned_vendors: [vmware]\n")
    result = invoke("check", str(tmp_path / "k8s"), "-f", "json")
    assert result.exit_code == 1
    failing = {(f["vendor"], f["level"]) for f in findings(result) if f["level"] == "error"}
    assert failing == {("aws", "error")}
    vmware = [f for f in findings(result) if f["vendor"] == "vmware"]
    assert vmware and all(f["level"] == "info" and f["sanctioned"] for f in vmware)


def test_hide_sanctioned_counts_what_it_hid(tmp_path):
    repo(tmp_path)
    result = invoke("check", str(tmp_path / "k8s"), "-f", "json", "--sanction", "vmware", "--hide-sanctioned")
    data = json.loads(result.output)
    assert not [f for f in data["findings"] if f["vendor"] == "vmware"]
    assert data["summary"]["hidden_sanctioned"] >= 1


def test_config_found_upward_from_the_scanned_path_and_cli_overrides_it(tmp_path):
    repo(tmp_path, "profile: conservative\nignore: [aws]\n")
    data = json.loads(invoke("check", str(tmp_path / "k8s" / "sc.yaml"), str(tmp_path / "k8s"), "-f", "json").output)
    assert data["summary"]["profile"] == "conservative"
    assert not [f for f in data["findings"] if f["vendor"] == "aws"]
    data = json.loads(invoke("check", str(tmp_path / "k8s"), "-f", "json", "--profile", "agile",
                             "--ignore", "vmware").output)
    assert data["summary"]["profile"] == "agile"
    assert {f["vendor"] for f in data["findings"]} == {"aws"}


def test_pyproject_tool_table_is_read(tmp_path):
    repo(tmp_path, '[project]\nname = "x"\n\n[tool.lintra]\nselect = ["aws"]\n', name="pyproject.toml")
    assert {f["vendor"] for f in findings(invoke("check", str(tmp_path / "k8s"), "-f", "json"))} == {"aws"}


def test_per_path_overrides_apply_to_matching_files_only(tmp_path):
    repo(tmp_path, "per_path:\n  k8s/sc.yaml:\n    sanctioned_vendors: [vmware]\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "sc.yaml").write_text(VSPHERE_SC)
    levels = {(os.path.basename(os.path.dirname(f["file"])), f["level"])
              for f in findings(invoke("check", str(tmp_path), "-f", "json")) if f["vendor"] == "vmware"}
    assert levels == {("k8s", "info"), ("other", "error")}


@pytest.mark.parametrize("config, name, expected", [
    ("profile: agile\nselcet: [LK1]\n", ".lintra.yaml", ".lintra.yaml:2:1: selcet: unknown key"),
    ("fail_on: 3\n", ".lintra.yaml", ".lintra.yaml:1:1: fail_on: 3 is not one of"),
    ("per_path:\n  legacy/*:\n    fail_on: info\n", ".lintra.yml", ".lintra.yml:3:5: per_path.legacy/*.fail_on: unknown key"),
    ("sanctioned_vendors: [vmwre]\n", ".lintra.yaml", ".lintra.yaml:1:22: sanctioned_vendors[0]: 'vmwre' is not one of"),
    ("profile: nope\n", ".lintra.yaml", ".lintra.yaml:1:1: profile: unknown profile 'nope'"),
    ("[tool.lintra]\nprofile = \"agile\"\nseverity = 4\n", "pyproject.toml", "pyproject.toml:3:1: severity: 4 is not of type 'object'"),
    ("profile: [a\n", ".lintra.yaml", ".lintra.yaml:2:1: YAML syntax error"),
    # a second key silently replaced the first: here the sanctioned vendors written above
    ("sanctioned_vendors: [vmware]\nfail_on: warning\nsanctioned_vendors: []\n", ".lintra.yaml",
     ".lintra.yaml:3:1: the key 'sanctioned_vendors' is written twice in one mapping (first at line 1)"),
    ("per_path:\n  legacy/*:\n    profile: conservative\n    hide_sanctioned: true\n    profile: agile\n",
     ".lintra.yaml", ".lintra.yaml:5:5: the key 'profile' is written twice in one mapping (first at line 3)"),
    # the second key is an alias of the first: the same node, located by its value
    ("per_path:\n  &p legacy/*: {profile: agile}\n  *p : {profile: conservative}\n", ".lintra.yaml",
     ".lintra.yaml:3:8: the key 'legacy/*' is written twice in one mapping (first at line 2)"),
])
def test_broken_config_exits_2_naming_file_line_and_key(tmp_path, config, name, expected):
    repo(tmp_path, config, name=name)
    result = subprocess.run([sys.executable, "-m", "lintra", "check", str(tmp_path / "k8s")],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_explicit_config_and_show_name_the_origin_of_each_value(tmp_path):
    repo(tmp_path)
    (tmp_path / "team.yaml").write_text("profile: agile\nsanctioned_vendors: [vmware]\n")
    result = invoke("config", "--show", "--config", str(tmp_path / "team.yaml"), "--format", "json")
    rows = {row["key"]: row for row in json.loads(result.output)["settings"]}
    assert rows["profile"]["value"] == "agile" and rows["profile"]["origin"].endswith("team.yaml:1:1")
    assert rows["sanctioned_vendors"]["origin"].endswith("team.yaml:2:1")
    assert rows["fail_on"] == {"key": "fail_on", "value": "error", "origin": "profile agile"}
    assert rows["select"]["origin"] == "default"


def test_unknown_sanctioned_vendor_on_the_command_line_exits_2(tmp_path):
    result = invoke("check", str(repo(tmp_path)), "--sanction", "vmwre")
    assert result.exit_code == 2 and "unknown vendor vmwre" in result.output


def test_user_profile_from_config_is_listed_and_usable(tmp_path):
    repo(tmp_path, "profile: ours\nprofiles:\n  ours:\n    extends: agile\n    description: agile, "
                   "but vendor registries only warn\n    rules:\n      image: {max: warning}\n")
    listed = invoke("profiles", cwd=tmp_path).output
    assert "* ours" in listed and "(extends agile)" in listed
    rules = invoke("rules", "LK304", cwd=tmp_path).output
    assert " warning " in rules



def test_readme_configuration_example_is_valid(tmp_path):
    from lintra.config.files import read
    from lintra.filter.profiles import resolve
    from tests.conftest import ROOT

    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text[text.index("### Configuration file"):]
    example = section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml\n"))]
    (tmp_path / ".lintra.yaml").write_text(example)
    config = read(str(tmp_path / ".lintra.yaml"))
    assert config.data["profile"] == "balanced"
    profile = resolve("acme", {name: (data, "README") for name, data in config.data["profiles"].items()})
    assert profile.chain == ("acme", "agile", "balanced", "conservative")


PLUGIN = '''
from lintra import Hit, Rule, hookimpl

def check(document, scan):
    if document.data.get("kind") == "StorageClass":
        yield Hit(("metadata", "name"), "every StorageClass is reviewed by the storage team")

@hookimpl
def register_rules(register):
    register(Rule(id="ACME1", name="acme-storage-review", title="StorageClass needs review", vendor="other",
                  category="storage", strength="soft", severity="error", kinds=("k8s",), rationale="r",
                  remediation="r", check=check))
'''


def test_project_config_cannot_run_python_without_explicit_permission(tmp_path):
    repo(tmp_path, "local_plugins: [tools/acme.py]\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "acme.py").write_text(PLUGIN)
    refused = invoke("check", str(tmp_path / "k8s"))
    assert refused.exit_code == 2 and "--allow-local-plugins" in refused.output
    allowed = invoke("check", str(tmp_path / "k8s"), "--allow-local-plugins", "-f", "json")
    assert "ACME1" in {f["rule_id"] for f in findings(allowed)}


def test_rules_under_a_profile_show_what_each_rule_becomes():
    lines = {line.split()[0]: line.split()[4] for line in invoke("rules", "--profile", "conservative").output.splitlines()}
    assert lines["LK101"] == "error" and lines["LH121"] == "info" and lines["LK104"] == "info"
    lines = {line.split()[0]: line.split()[4] for line in invoke("rules", "-p", "agile").output.splitlines()}
    assert lines["LK304"] == "error"


def test_required_plugin_missing_from_config_exits_2_naming_it(tmp_path):
    repo(tmp_path, "plugins: [lintra-acme]\n")
    result = invoke("check", str(tmp_path / "k8s"))
    assert result.exit_code == 2
    assert "required plugin(s) missing: lintra-acme" in result.output and "installed: " in result.output


ORG_PACK = """pack: {name: org, version: '1', description: d}
rules:
  - id: ORG1
    name: org-no-fast-class
    title: t
    vendor: other
    category: storage
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: r
    remediation: r
    match: {path: metadata.name, equals: fast}
    message: class {value}
"""


def test_exclude_and_packs_from_config_are_relative_to_its_directory(tmp_path):
    repo(tmp_path, "exclude: [k8s/sa.yaml]\npacks: [policy/org.yaml]\n")
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "org.yaml").write_text(ORG_PACK)
    data = json.loads(invoke("check", str(tmp_path / "k8s"), "-f", "json").output)
    assert {f["rule_id"] for f in data["findings"]} >= {"ORG1", "LK102"}
    assert not [f for f in data["files"] if f["file"].endswith("sa.yaml")]


def test_pyproject_dotted_tool_keys_and_broken_toml(tmp_path):
    repo(tmp_path, '[tool]\nlintra.select = ["aws"]\n', name="pyproject.toml")
    assert {f["vendor"] for f in findings(invoke("check", str(tmp_path / "k8s"), "-f", "json"))} == {"aws"}
    (tmp_path / "pyproject.toml").write_text("[tool.lintra\nselect = 1\n")
    broken = invoke("check", str(tmp_path / "k8s"))
    assert broken.exit_code == 2 and "pyproject.toml: TOML syntax error" in broken.output


def test_selector_that_names_no_rule_is_a_configuration_error(tmp_path):
    repo(tmp_path, "ignore: [vmwre]\n")
    result = invoke("check", str(tmp_path / "k8s"), "--select", "LHX01")
    assert result.exit_code == 2
    assert "command line (--select): select: 'LHX01' matches no rule" in result.output
    assert ".lintra.yaml:1:1: ignore: 'vmwre' matches no rule" in result.output


def test_select_never_hides_a_file_that_could_not_be_read(tmp_path):
    (tmp_path / "broken.yaml").write_text("kind: [unclosed\n")
    result = invoke("check", str(tmp_path), "--select", "LH", "-f", "json")
    assert [f["rule_id"] for f in findings(result)] == ["LT000"] and result.exit_code == 1


def test_exclude_with_a_directory_part_is_anchored_at_the_config_file(tmp_path):
    repo(tmp_path, "exclude: [k8s/sa.yaml]\n")
    (tmp_path / "nested" / "k8s").mkdir(parents=True)
    (tmp_path / "nested" / "k8s" / "sa.yaml").write_text(AWS_ANNOTATION)
    data = json.loads(invoke("check", ".", "-f", "json", cwd=tmp_path / "k8s").output)
    assert not [f for f in data["files"] if f["file"].endswith("sa.yaml")]  # excluded from inside k8s/
    data = json.loads(invoke("check", str(tmp_path), "-f", "json").output)
    assert [f["file"] for f in data["files"] if f["file"].endswith("sa.yaml")] == [str(tmp_path / "nested/k8s/sa.yaml")]


def test_profile_cycle_names_where_it_is_written_and_builtin_names_can_be_extended(tmp_path):
    repo(tmp_path, "profile: a\nprofiles:\n  a: {extends: b}\n  b: {extends: a}\n")
    result = invoke("check", str(tmp_path / "k8s"))
    assert result.exit_code == 2 and ".lintra.yaml:4:3: profile 'a': 'extends' forms a cycle: a -> b -> a" in result.output
    (tmp_path / ".lintra.yaml").write_text("profiles:\n  balanced:\n    extends: balanced\n    rules: {LK102: {max: info}}\n")
    levels = {f["rule_id"]: f["level"] for f in findings(invoke("check", str(tmp_path / "k8s"), "-f", "json"))}
    assert levels["LK102"] == "info" and levels["LK203"] == "error"


PVC = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  storageClassName: fast\n"


def test_vendor_selectors_judge_findings_by_their_own_vendor(tmp_path):
    repo(tmp_path)
    (tmp_path / "k8s" / "pvc.yaml").write_text(PVC)  # LK110 is declared 'other', this finding is vmware
    selected = {f["rule_id"] for f in findings(invoke("check", str(tmp_path / "k8s"), "-f", "json", "--select", "vmware"))}
    assert {"LK102", "LK110"} <= selected and "LK203" not in selected
    ignored = {f["rule_id"] for f in findings(invoke("check", str(tmp_path / "k8s"), "-f", "json", "--ignore", "vmware"))}
    assert "LK110" not in ignored and "LK203" in ignored


def test_per_path_profile_sets_the_threshold_for_its_files(tmp_path):
    repo(tmp_path, "profile: conservative\nprofiles:\n  strictp: {extends: balanced, fail_on: warning}\n"
                   "per_path:\n  strict/**: {profile: strictp}\n")
    (tmp_path / "k8s" / "sa.yaml").unlink()
    (tmp_path / "k8s" / "sc.yaml").write_text(VSPHERE_SC.replace("provisioner:", "parameters: {storagepolicyname: gold}\nprovisioner:")
                                               .replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com"))
    assert invoke("check", str(tmp_path / "k8s")).exit_code == 0
    (tmp_path / "strict").mkdir()
    (tmp_path / "strict" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
        "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\nspec: {type: LoadBalancer}\n")
    result = invoke("check", str(tmp_path), "-f", "json")
    assert [(f["rule_id"], f["level"]) for f in findings(result)] == [("LK202", "warning")]
    assert result.exit_code == 1  # a warning fails in strict/, whose profile fails on warnings


def test_a_pack_named_in_config_and_on_the_command_line_loads_once(tmp_path):
    repo(tmp_path, "packs: [policy/org.yaml]\n")
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "org.yaml").write_text(ORG_PACK)
    result = invoke("check", "k8s", "--pack", "policy/org.yaml", "--pack", "./policy/org.yaml", cwd=tmp_path)
    assert result.exit_code == 1 and "ORG1" in result.output
    assert "org-no-fast-class" in invoke("rules", "ORG1", "--pack", "policy/org.yaml",
                                         cwd=tmp_path).output
    (tmp_path / "empty").mkdir()
    for pack, message in (("empty", "no policy packs here"), ("nope.yaml", "no such policy pack")):
        result = invoke("check", "k8s", "--pack", pack, cwd=tmp_path)
        assert result.exit_code == 2 and message in result.output


def test_typos_in_the_configs_own_profiles_are_errors(tmp_path):
    repo(tmp_path, "profiles:\n  acme:\n    extends: agile\n    rules: {imgae: {max: warning}}\n"
                   "    suppressions: {non_suppressible: [vmwre]}\n")
    result = invoke("check", str(tmp_path / "k8s"))
    assert result.exit_code == 2
    assert "profiles.acme.rules: 'imgae' matches no rule" in result.output
    assert "profiles.acme.suppressions.non_suppressible: 'vmwre' matches no rule" in result.output


def test_rules_command_refuses_unknown_selectors_and_marks_sanctioned_vendors(tmp_path):
    assert invoke("rules", "NOPE").exit_code == 2
    repo(tmp_path, "sanctioned_vendors: [vmware]\n")
    lines = {line.split()[0]: line.split()[4] for line in invoke("rules", "LK1", cwd=tmp_path).output.splitlines()}
    assert lines["LK101"] == "sanctioned"


def test_sanctioned_findings_never_fail_even_at_fail_on_info(tmp_path):
    repo(tmp_path, "sanctioned_vendors: [vmware]\nfail_on: info\n")
    (tmp_path / "k8s" / "sa.yaml").unlink()
    result = invoke("check", str(tmp_path / "k8s"), "-f", "json")
    assert [f["level"] for f in findings(result)] == ["info"] and result.exit_code == 0


def test_keys_shared_through_an_alias_or_a_merge_are_not_duplicates(tmp_path):
    """The same mapping reached twice through an alias, and a merge key (``<<``) whose keys a
    mapping overrides, are YAML's own ways to reuse keys: neither is a key written twice."""
    config = ("per_path:\n  a/*: &strict\n    profile: agile\n  b/*: *strict\n"
              "  c/*:\n    <<: *strict\n    profile: conservative\n")
    repo(tmp_path, config)
    result = subprocess.run([sys.executable, "-m", "lintra", "check", "-f", "json", str(tmp_path / "k8s")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr == "", result.stderr
