"""Finding identities: one fingerprint in the baseline, SARIF and GitLab, however lintra is invoked.

The expectations come from what CI systems do with them: GitLab de-duplicates Code Quality issues
across pipelines by ``fingerprint`` and GitHub code scanning tracks alerts by
``partialFingerprints``; a value that changes with the working directory shows every finding as
fixed and new again.
"""

import json
import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.filter.baseline import read

PVC_WITH_VSPHERE = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: legacy
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  vsphereVolume:
    volumePath: "[datastore1] volumes/legacy.vmdk"
    fsType: ext4
"""
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1
  - name: sidecar
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1
"""


def lintra(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make_repo(where):
    (where / "k8s").mkdir(parents=True)
    (where / "k8s" / "pv.yaml").write_text(PVC_WITH_VSPHERE)
    (where / "k8s" / "pod.yaml").write_text(POD)
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    return where


def fingerprints(monkeypatch, cwd, *paths):
    """{(format, rule, pointer or line): fingerprint} of one run, from JSON, SARIF and GitLab."""
    monkeypatch.chdir(cwd)
    out = {}
    for fmt in ("json", "sarif", "gitlab"):
        result = lintra("check", "--isolated", "-f", fmt, *paths)
        assert result.exit_code in (0, 1), result.output
        data = json.loads(result.output)
        if fmt == "json":
            out["json"] = sorted((f["rule_id"], f["fingerprint"]) for f in data["findings"])
        elif fmt == "sarif":
            out["sarif"] = sorted((r["ruleId"], r["partialFingerprints"]["lintra/v2"])
                                  for r in data["runs"][0]["results"])
        else:
            out["gitlab"] = sorted((i["check_name"], i["fingerprint"]) for i in data)
    return out


def test_same_fingerprints_from_root_subdirectory_absolute_paths_and_a_second_clone(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    from_root = fingerprints(monkeypatch, repo, "k8s")
    assert from_root["json"] == from_root["sarif"] == from_root["gitlab"]
    assert {rule for rule, _ in from_root["json"]} >= {"LK101"}
    assert fingerprints(monkeypatch, repo / "k8s", ".") == from_root
    assert fingerprints(monkeypatch, repo / "k8s", "pv.yaml", "pod.yaml") == from_root
    assert fingerprints(monkeypatch, tmp_path, str(repo / "k8s" / "pv.yaml"), str(repo / "k8s" / "pod.yaml")) \
        == from_root
    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(repo, clone)
    assert fingerprints(monkeypatch, tmp_path, str(clone)) == from_root
    assert fingerprints(monkeypatch, repo, "./k8s/../k8s") == from_root

    monkeypatch.chdir(repo / "k8s")
    assert lintra("baseline", "create", "--isolated", ".").exit_code == 0
    baseline = read(str(repo / ".lintra-baseline.yaml"))
    assert baseline.version == 2
    assert sorted((e["rule"], e["fingerprint"]) for e in baseline.entries) == from_root["json"]


def test_same_value_twice_in_one_object_has_two_identities_and_list_order_does_not_matter(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    first = fingerprints(monkeypatch, repo, "k8s/pod.yaml")["json"]
    images = [fp for rule, fp in first if rule == "LK301"] or [fp for _, fp in first]
    assert len(images) == len(set(images)) == 2
    swapped = POD.replace("name: app", "name: TMP").replace("name: sidecar", "name: app").replace("name: TMP",
                                                                                                  "name: sidecar")
    (repo / "k8s" / "pod.yaml").write_text(swapped)
    assert fingerprints(monkeypatch, repo, "k8s/pod.yaml")["json"] == first


def test_editing_a_child_of_a_baselined_key_keeps_it_baselined(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert lintra("baseline", "create", "--isolated", "k8s").exit_code == 0
    assert lintra("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "k8s").exit_code == 0
    pv = repo / "k8s" / "pv.yaml"
    pv.write_text(pv.read_text().replace("volumes/legacy.vmdk", "volumes/renamed.vmdk").replace("ext4", "xfs"))
    result = lintra("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "-f", "json", "k8s")
    data = json.loads(result.output)
    assert (result.exit_code, data["findings"]) == (0, [])
    assert data["summary"]["baselined"] >= 1


V1_BASELINE = """\
version: 1
files:
  k8s/pv.yaml:
  - rule: LK101
    pointer: /spec/vsphereVolume
    fingerprint: {fingerprint}
    message: old
"""


def test_version_1_baseline_is_still_read_and_upgrade_rewrites_it(tmp_path, monkeypatch):
    from lintra.model import Finding
    from lintra.pipeline import run

    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    [lk101] = [f for f in run(["k8s/pv.yaml"]).findings if f.rule.id == "LK101"]
    assert isinstance(lk101, Finding) and lk101.legacy_identity != lk101.fingerprint
    (repo / ".lintra-baseline.yaml").write_text(V1_BASELINE.format(fingerprint=lk101.legacy_identity))
    result = lintra("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "-f", "json", "k8s/pv.yaml")
    data = json.loads(result.output)
    assert data["summary"]["baselined"] == 1 and "LK101" not in {f["rule_id"] for f in data["findings"]}
    upgraded = lintra("baseline", "upgrade", "--isolated", "--baseline", ".lintra-baseline.yaml")
    assert upgraded.exit_code == 0 and "from version 1: 1 entries" in upgraded.output
    baseline = read(str(repo / ".lintra-baseline.yaml"))
    assert baseline.version == 2 and [e["fingerprint"] for e in baseline.entries] == [lk101.fingerprint]
    assert "version: 2" in (repo / ".lintra-baseline.yaml").read_text()
    data = json.loads(lintra("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "-f", "json", "k8s/pv.yaml").output)
    assert data["summary"]["baselined"] == 1
    assert "already version 2" in lintra("baseline", "upgrade", "--isolated", "--baseline", ".lintra-baseline.yaml").output


@pytest.mark.parametrize("args", [("k8s/pv.yaml",), ("./k8s/pv.yaml",)])
def test_identity_parts_name_the_object_and_the_key_not_the_subtree(tmp_path, monkeypatch, args):
    from lintra.pipeline import run

    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    [lk101] = [f for f in run(list(args)).findings if f.rule.id == "LK101"]
    assert lk101.identity_parts == ("v1/PersistentVolume//legacy", "/spec/vsphereVolume", "key:vsphereVolume")
    assert lk101.path_key == "k8s/pv.yaml" and lk101.ordinal == 0
    assert os.path.isabs(lk101.file) is False


CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
TEMPLATED_PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-{{ .Values.suffix }}
spec:
  volumes:
    - name: v
      vsphereVolume: {volumePath: "[ds] a.vmdk"}
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Values.suffix }}-second
spec:
  volumes:
    - name: v
      vsphereVolume: {volumePath: "[ds] b.vmdk"}
  containers: [{name: c, image: nginx}]
"""
LITERAL_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: literal
spec:
  volumes:
    - name: v
      vsphereVolume: {volumePath: "[ds] c.vmdk"}
  containers: [{name: c, image: nginx}]
"""


def make_chart_repo(where, suffix="data"):
    templates = where / "deploy" / "chart" / "templates"
    templates.mkdir(parents=True)
    (where / "deploy" / "chart" / "Chart.yaml").write_text(CHART)
    (where / "deploy" / "chart" / "values.yaml").write_text(f"suffix: {suffix}\n")
    (templates / "pods.yaml").write_text(TEMPLATED_PODS)
    (templates / "literal.yaml").write_text(LITERAL_POD)
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    return where


def test_templated_object_names_key_on_the_template_not_the_rendered_name(tmp_path, monkeypatch):
    """A Helm-templated name (``{{ .Release.Name }}-{{ .Values.suffix }}``) renders differently
    with other values; the identity takes the template's file and the object's kind instead, the
    same from the root, a subdirectory, absolute paths and a second clone."""
    repo = make_chart_repo(tmp_path / "repo")
    from_root = fingerprints(monkeypatch, repo, "deploy")
    assert from_root["json"] == from_root["sarif"] == from_root["gitlab"]
    lk101 = [fp for rule, fp in from_root["json"] if rule == "LK101"]
    assert len(lk101) == len(set(lk101)) == 3  # two templated pods in one template stay apart
    assert fingerprints(monkeypatch, repo / "deploy" / "chart", ".") == from_root
    assert fingerprints(monkeypatch, repo / "deploy" / "chart" / "templates", "pods.yaml", "literal.yaml") \
        == from_root
    assert fingerprints(monkeypatch, tmp_path, str(repo / "deploy" / "chart")) == from_root
    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(repo, clone)
    assert fingerprints(monkeypatch, tmp_path, str(clone / "deploy")) == from_root
    # other values and another release: the rendered names change, the identities do not
    assert fingerprints(monkeypatch, repo, "--helm-set", "suffix=other", "deploy") == from_root
    (repo / "deploy" / "chart" / "values.yaml").write_text("suffix: renamed\n")
    assert fingerprints(monkeypatch, repo, "deploy") == from_root


def test_templated_names_stay_baselined_when_values_change(tmp_path, monkeypatch):
    repo = make_chart_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert lintra("baseline", "create", "--isolated", "deploy").exit_code == 0
    (repo / "deploy" / "chart" / "values.yaml").write_text("suffix: renamed\n")
    result = lintra("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "-f", "json", "deploy")
    data = json.loads(result.output)
    assert (result.exit_code, data["findings"]) == (0, [])
    assert data["summary"]["baselined"] == 3


def test_a_literal_name_keeps_its_object_identity(tmp_path, monkeypatch):
    from lintra.pipeline import run

    repo = make_chart_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    parts = sorted(f.identity_parts for f in run(["deploy"]).findings if f.rule.id == "LK101")
    assert parts == [
        ("template:deploy/chart/templates/pods.yaml#v1/Pod", "/spec/volumes[name=v]/vsphereVolume", "key:vsphereVolume"),
        ("template:deploy/chart/templates/pods.yaml#v1/Pod", "/spec/volumes[name=v]/vsphereVolume", "key:vsphereVolume"),
        ("v1/Pod//literal", "/spec/volumes[name=v]/vsphereVolume", "key:vsphereVolume"),
    ]
