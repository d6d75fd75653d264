"""The foundation's bar on real repositories (../shared/corpus)."""

import collections
import os

import jsonschema

from lintra.report.json import to_dict
from tests.conftest import CORPUS
from tests.test_cli import output_schema


def rel(path):
    return os.path.relpath(path, CORPUS)


def test_every_file_is_accounted_for_and_nothing_crashes(corpus_result):
    on_disk = set()
    for dirpath, dirnames, names in os.walk(CORPUS):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        on_disk.update(rel(os.path.join(dirpath, n)) for n in names
                       if n.lower().endswith((".yaml", ".yml", ".json", ".template", ".hot", ".env")))
    reported = [rel(r.file) for r in corpus_result.files]
    assert len(reported) == len(set(reported)) and set(reported) == on_disk
    assert all(r.status in ("scanned", "skipped", "error") for r in corpus_result.files)
    assert all(r.reason for r in corpus_result.files if r.status != "scanned")
    assert not [f for f in corpus_result.findings if f.rule.id == "LT900"]
    jsonschema.validate(to_dict(corpus_result), output_schema())


def test_tripleo_jinja_files_are_templates_not_syntax_errors(corpus_result):
    j2 = [r for r in corpus_result.files if r.file.endswith(".j2.yaml")]
    assert len(j2) == 51
    assert all(r.status == "skipped" and "Jinja" in r.reason for r in j2)
    assert not [f for f in corpus_result.findings if f.file.endswith(".j2.yaml")]


def test_release_notes_are_not_heat(corpus_result):
    notes = [r for r in corpus_result.files if "/releasenotes/" in r.file]
    assert len(notes) > 100
    assert all(r.status == "skipped" and r.reason == "not an infrastructure document" for r in notes)


def test_kinds_found(corpus_result):
    kinds = collections.Counter(kind for r in corpus_result.files for kind in r.kinds)
    assert kinds["heat"] > 400 and kinds["heat-env"] > 250 and kinds["k8s"] > 300 and kinds["cfn"] >= 5


def test_every_vsphere_volume_and_storageclass_at_its_line(corpus_result):
    found = {(rel(f.file), f.span.line, f.span.column, f.rule.id) for f in corpus_result.findings}
    vsphere = "examples/_archived/volumes/vsphere/"
    expected = {
        (vsphere + "deployment.yaml", 23, 9, "LK101"),
        (vsphere + "vsphere-volume-pod.yaml", 15, 5, "LK101"),
        (vsphere + "vsphere-volume-pv.yaml", 11, 3, "LK101"),
        (vsphere + "simple-storageclass.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-sc-fast.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-sc-vsancapabilities.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-sc-vsancapabilities-with-datastore.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-sc-with-datastore.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-spbm-policy.yaml", 5, 14, "LK102"),
        (vsphere + "vsphere-volume-spbm-policy-with-datastore.yaml", 5, 14, "LK102"),
    }
    assert expected <= found
    # Independently of the rules: every line of the corpus that names the in-tree volume or a
    # vSphere provisioner in a manifest is found.
    for dirpath, _, names in os.walk(os.path.join(CORPUS, "examples")):
        for name in names:
            if not name.endswith((".yaml", ".yml", ".json")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    stripped = line.strip()
                    if stripped.startswith(("vsphereVolume:", '"vsphereVolume"')):
                        assert (rel(path), number, "LK101") in {(a, b, d) for a, b, _, d in found}, (path, number)
                    if stripped.startswith("provisioner: kubernetes.io/vsphere-volume"):
                        assert (rel(path), number, "LK102") in {(a, b, d) for a, b, _, d in found}, (path, number)


def test_vsphere_csi_driver_storage_classes(corpus_result):
    csi = [f for f in corpus_result.findings if f.rule.id == "LK102" and "vsphere-csi-driver" in f.file]
    assert len(csi) >= 5
    for finding in csi:
        with open(finding.file, encoding="utf-8") as handle:
            line = handle.read().splitlines()[finding.span.line - 1]
        assert line[finding.span.column - 1:].startswith("csi.vsphere.vmware.com")
