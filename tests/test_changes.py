"""--changed-since / --new-only against a real throwaway git repository."""

import json
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HEAT = "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: OS::ContrailV2::VirtualNetwork\n"


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


def lintra(repo, *args):
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "-f", "json", *args], cwd=repo,
                          capture_output=True, text=True)
    return proc.returncode, (json.loads(proc.stdout) if proc.stdout.startswith("{") else proc.stderr)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "old.yaml").write_text(HEAT)
    (tmp_path / "same.yaml").write_text(HEAT)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    # a changed line far from the old finding, a new coupled line, and an untracked file
    (tmp_path / "old.yaml").write_text(HEAT + "  net2:\n    type: OS::ContrailV2::VirtualNetwork\n")
    (tmp_path / "new.yaml").write_text(HEAT)
    (tmp_path / "notes.md").write_text("not linted\n")
    return tmp_path


def found(report):
    return sorted((f["file"], f["line"]) for f in report["findings"])


def test_changed_since_lints_changed_and_untracked_files_only(repo):
    code, report = lintra(repo, "--changed-since", "HEAD")
    assert code == 1
    assert {f["file"] for f in report["files"]} == {"old.yaml", "new.yaml"}
    assert found(report) == [("new.yaml", 4), ("old.yaml", 4), ("old.yaml", 6)]


def test_new_only_keeps_changed_lines_and_new_files(repo):
    code, report = lintra(repo, "--changed-since", "HEAD", "--new-only")
    assert found(report) == [("new.yaml", 4), ("old.yaml", 6)]


def test_clean_change_passes(repo):
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "all")
    code, report = lintra(repo, "--changed-since", "HEAD")
    assert code == 0 and report["summary"]["files"]["total"] == 0


def test_bad_ref_and_no_repo_exit_2(repo, tmp_path_factory):
    code, err = lintra(repo, "--changed-since", "no-such-ref")
    assert code == 2 and "no-such-ref" in err
    outside = tmp_path_factory.mktemp("plain")
    code, err = lintra(outside, "--changed-since", "HEAD")
    assert code == 2 and "git repository" in err
