"""The pre-commit hooks, run by the real pre-commit (it installs this checkout from PyPI deps)."""

import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"
OPEN = COUPLED.replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com")
CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One PRE_COMMIT_HOME for the module, so the hook environment is built once."""
    return str(tmp_path_factory.mktemp("pre-commit-home"))


def try_repo(repo, home, *args):
    env = dict(os.environ, PRE_COMMIT_HOME=home)
    env.pop("GITHUB_ACTIONS", None)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", CHECKOUT, "lintra", *args],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    return proc, time.perf_counter() - started


def test_hook_fails_on_coupled_file_and_passes_once_fixed(tmp_path, home):
    git(tmp_path, "init", "-q")
    (tmp_path / "storage.yaml").write_text(COUPLED)
    (tmp_path / "config.yaml").write_text(CLEAN)
    git(tmp_path, "add", ".")
    proc, _ = try_repo(tmp_path, home, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "storage.yaml:5:14: error LK102" in proc.stdout
    assert "config.yaml:" not in proc.stdout.split("Failed", 1)[1]
    (tmp_path / "storage.yaml").write_text(OPEN)
    git(tmp_path, "add", ".")
    proc, _ = try_repo(tmp_path, home, "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


RDM_VMX = ('.encoding = "UTF-8"\ndisplayName = "db01"\nvirtualHW.version = "19"\nscsi0.present = "TRUE"\n'
           'scsi0.virtualDev = "lsilogic"\nscsi0:1.present = "TRUE"\nscsi0:1.fileName = "db01-rdmp.vmdk"\n'
           'scsi0:1.deviceType = "scsi-passthru"\n')


def hook_pattern():
    with open(os.path.join(CHECKOUT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        [hook] = [h for h in yaml.safe_load(handle) if h["id"] == "lintra"]
    return re.compile(hook["files"])


@pytest.mark.parametrize("name", ["Chart.yaml", "values-prod.yaml", "charts/web/templates/_helpers.tpl",
                                  "overlays/prod/Kustomization", "Kustomization", "kustomization.yml"])
def test_hook_files_cover_helm_and_kustomize_names(name):
    assert hook_pattern().search(name), name


def test_hook_files_cover_every_suffix_a_loader_reads_and_nothing_else_by_accident():
    from lintra.plugins import load_registry

    suffixes = {suffix for loader in load_registry().loaders for suffix in loader.suffixes}
    assert {".vmx", ".ovf", ".ova", ".csv", ".xlsx", ".yaml"} <= suffixes
    pattern = hook_pattern()
    # a suffix without a dot is a whole file name (Kustomize's extensionless ``Kustomization``;
    # loaders match names case-insensitively, the hook as the format spells the name)
    from lintra.load.kustomize.files import KUSTOMIZATION_NAMES
    spelled = {name.lower(): name for name in KUSTOMIZATION_NAMES}
    assert [s for s in sorted(suffixes) if not pattern.search(f"dir/file{s}" if s.startswith(".") or s not in spelled
                                                              else f"dir/{spelled[s]}")] == []
    assert not pattern.search("README.md") and not pattern.search("setup.py") and not pattern.search("x.yaml.orig")


def test_hook_checks_a_coupled_vmx_and_a_coupled_manifest(tmp_path, home):
    """pre-commit said "(no files to check) Skipped" for a .vmx with a raw device mapping."""
    git(tmp_path, "init", "-q")
    (tmp_path / "vms").mkdir()
    (tmp_path / "vms" / "db01.vmx").write_text(RDM_VMX)
    (tmp_path / "storage.yaml").write_text(COUPLED)
    (tmp_path / "notes.md").write_text("csi.vsphere.vmware.com\n")
    git(tmp_path, "add", ".")
    proc, _ = try_repo(tmp_path, home, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "vms/db01.vmx:7:21: error LV101" in proc.stdout
    assert "storage.yaml:5:14: error LK102" in proc.stdout
    assert "notes.md" not in proc.stdout.split("Failed", 1)[1]


def test_hook_on_a_few_hundred_files(tmp_path, home):
    """Start-up cost on 300 files, from a pinned config as users run it (try-repo reinstalls each time)."""
    git(tmp_path, "init", "-q")
    for n in range(300):
        folder = tmp_path / f"app{n // 50}"
        folder.mkdir(exist_ok=True)
        (folder / f"m{n}.yaml").write_text(COUPLED if n % 100 == 0 else CLEAN)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=CHECKOUT, capture_output=True, text=True).stdout.strip()
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {CHECKOUT}\n  rev: {head}\n  hooks:\n  - id: lintra\n")
    git(tmp_path, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=home)
    env.pop("GITHUB_ACTIONS", None)
    command = [sys.executable, "-m", "pre_commit", "run", "lintra", "--all-files"]
    subprocess.run(command, cwd=tmp_path, capture_output=True, env=env, timeout=600)  # installs the env
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    seconds = time.perf_counter() - started
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.count("error LK102") == 3
    print(f"\npre-commit run lintra --all-files on 300 files (environment built): {seconds:.2f}s")
