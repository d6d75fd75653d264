"""Incremental runs read what changed files refer to from the unchanged rest of the repository.

A PersistentVolumeClaim switched to a StorageClass defined in an unchanged file is coupled through
that class (LK110), exactly as a full scan says; only the changed files are reported.
"""

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from lintra.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLASSES = ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
           "provisioner: csi.vsphere.vmware.com\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\n"
           "metadata:\n  name: standard\nprovisioner: rbd.csi.ceph.com\n")
CLAIM = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n"
         "  storageClassName: standard\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n")


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


def make_claim_repository(root):
    """storage-classes.yaml at the root, committed and unchanged; apps/claim.yaml committed with
    class standard (Ceph), then switched in the work tree to fast (vSphere)."""
    git(root, "init", "-q")
    (root / "storage-classes.yaml").write_text(CLASSES)
    (root / "apps").mkdir()
    (root / "apps" / "claim.yaml").write_text(CLAIM)
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    (root / "apps" / "claim.yaml").write_text(CLAIM.replace("standard", "fast"))
    return root


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(make_claim_repository(tmp_path))
    return tmp_path


def findings(*args):
    result = CliRunner().invoke(main, ["check", "--isolated", "-f", "json", *args])
    data = json.loads(result.stdout)
    return result.exit_code, [(f["rule_id"], f["file"], f["line"]) for f in data["findings"]], data


def test_full_scan_reports_the_claim(repo):
    code, found, _ = findings(".")
    assert code == 1 and ("LK110", "apps/claim.yaml", 6) in found


def test_changed_since_new_only_reads_the_unchanged_class(repo):
    code, found, data = findings("--changed-since", "HEAD", "--new-only")
    assert (code, found) == (1, [("LK110", "apps/claim.yaml", 6)])
    [lk110] = data["findings"]
    assert lk110["related"][0]["file"].endswith("storage-classes.yaml")
    assert [f["file"] for f in data["files"]] == ["apps/claim.yaml"]  # the context is not a checked file


def test_changed_since_from_a_subdirectory(repo, monkeypatch):
    monkeypatch.chdir(repo / "apps")
    code, found, _ = findings("--changed-since", "HEAD", "--new-only", "--", ".")
    assert (code, found) == (1, [("LK110", "claim.yaml", 6)])


def test_a_file_list_with_context_reports_only_the_files(repo):
    assert findings("apps/claim.yaml")[:2] == (0, [])  # alone, the claim's class is unknown
    code, found, _ = findings("--context", ".", "apps/claim.yaml")
    assert (code, found) == (1, [("LK110", "apps/claim.yaml", 6)])  # not LK102 of the unchanged class
