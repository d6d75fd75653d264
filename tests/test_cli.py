"""End to end: the ``lintra`` command through click's CliRunner and as a real subprocess."""

import json
import os
import subprocess
import sys

import jsonschema
from click.testing import CliRunner

from lintra import __version__
from lintra.cli import main
from lintra.resources import schema_path
from tests.conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")
PV = """apiVersion: v1
kind: PersistentVolume
metadata: {name: pv0001}
spec:
  capacity: {storage: 2Gi}
  vsphereVolume:
    volumePath: "[datastore1] volumes/myDisk"
"""


def invoke(*args, input=None, env=None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def output_schema():
    with open(schema_path("output.schema.json")) as handle:
        return json.load(handle)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_check_examples_text_output_and_exit_code():
    result = invoke("check", "--no-color", EXAMPLES)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    web = os.path.join(EXAMPLES, "heat", "web-stack.yaml")
    assert f"{web}:20:9: error LH110 flavor 'web_flavor' sets extra spec vmware:hw_version, " \
           "read only by Nova's VMware driver" in lines
    assert any(line.startswith("by vendor: juniper 1, vmware ") for line in lines)


def test_clean_examples_exit_zero():
    result = invoke("check", os.path.join(EXAMPLES, "clean"))
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


def test_json_output_validates_against_the_shipped_schema():
    result = invoke("check", "--format", "json", EXAMPLES)
    data = json.loads(result.output)
    jsonschema.validate(data, output_schema())
    assert data["summary"]["exit_code"] == result.exit_code == 1
    by_file = {f["file"]: f for f in data["files"]}
    assert by_file[os.path.join(EXAMPLES, "k8s", "legacy-app.json")]["kind"] == "k8s"
    finding = next(f for f in data["findings"] if f["rule_id"] == "LK101")
    assert (finding["line"], finding["column"], finding["pointer"]) == \
        (16, 32, "/items/0/spec/template/spec/volumes/0/vsphereVolume")
    assert finding["vendor"] == "vmware" and finding["category"] == "storage"


def test_stdin_is_read_and_named():
    result = invoke("check", "--stdin-filename", "rendered.yaml", "-", input=PV)
    assert result.exit_code == 1
    assert result.output.startswith("rendered.yaml:6:3: error LK101 ")


def test_stdin_json_is_sniffed():
    doc = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "x"},
           "spec": {"vsphereVolume": {"volumePath": "a"}}}
    result = invoke("check", "-f", "json", "-", input=json.dumps(doc))
    assert json.loads(result.output)["findings"][0]["file"] == "-"


def test_fail_on_and_select_ignore(tmp_path):
    path = tmp_path / "pv.yaml"
    path.write_text(PV)
    assert invoke("check", str(path), "--ignore", "LK101").exit_code == 0
    assert invoke("check", str(path), "--select", "aws").exit_code == 0
    assert invoke("check", str(path), "--select", "vmware").exit_code == 1
    assert invoke("check", str(path), "--select", "LK1,LH").exit_code == 1


def test_missing_path_is_a_usage_error():
    result = CliRunner().invoke(main, ["check", "does/not/exist.yaml"])
    assert result.exit_code == 2
    assert "no such file or directory: does/not/exist.yaml" in result.output


def test_unknown_format_is_a_usage_error():
    result = CliRunner().invoke(main, ["check", "--format", "nope", EXAMPLES])
    assert result.exit_code == 2 and "unknown format 'nope'" in result.output


def test_exclude_glob(tmp_path):
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "pv.yaml").write_text(PV)
    assert invoke("check", str(tmp_path), "--exclude", "gen").exit_code == 0
    assert invoke("check", str(tmp_path), "--exclude", "*.yaml").exit_code == 0
    assert invoke("check", str(tmp_path)).exit_code == 1


def test_unreadable_file_exits_2(tmp_path, monkeypatch):
    path = tmp_path / "secret.yaml"
    path.write_text(PV)

    def denied(self, limit=None):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("lintra.model.Source.read_bytes", denied)
    result = invoke("check", "-f", "json", str(path))
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["files"] == [{"file": str(path), "status": "error", "kind": None, "documents": 0,
                              "reason": "cannot read: Permission denied"}]
    assert data["findings"][0]["rule_id"] == "LT001"


def test_rules_lists_every_rule_with_metadata():
    result = invoke("rules")
    ids = [line.split()[0] for line in result.output.splitlines()]
    assert {"LT000", "LK101", "LK102", "LH101", "LH110"} <= set(ids)
    data = json.loads(invoke("rules", "--format", "json").output)
    lk101 = next(r for r in data if r["id"] == "LK101")
    assert (lk101["vendor"], lk101["category"], lk101["strength"]) == ("vmware", "storage", "hard")
    assert lk101["origin"].endswith("(pack k8s-vsphere-storage)")


def test_real_subprocess_exit_codes(tmp_path):
    path = tmp_path / "pv.yaml"
    path.write_text(PV)
    command = [sys.executable, "-m", "lintra", "check", "--format", "json", str(path)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["line"] == 6
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "-"], input=PV.replace("vsphereVolume", "nfs"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_json_example_follows_the_output_schema():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text[text.index("### JSON output"):]
    example = json.loads(section[section.index("```json\n") + 8:section.index("```\n", section.index("```json\n"))])
    jsonschema.validate(example, output_schema())
    summary = output_schema()["properties"]["summary"]["properties"]
    assert set(example["summary"]) == set(summary)  # every summary field is shown in the example
