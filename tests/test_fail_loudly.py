"""Runs that would pass without judging anything say so: no scanned file, plugins that leave
lintra unable to read or report, skipped files in the summary, lintra's diagnostics apart."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lintra.cli import main

NOT_INFRA = "name: release notes\nitems: [a, b]\n"


def check(*args, env=None):
    return CliRunner().invoke(main, ["check", "--isolated", *args], env=env)


@pytest.fixture
def not_infra(tmp_path):
    (tmp_path / "notes.yaml").write_text(NOT_INFRA)
    (tmp_path / "README.md").write_text("# not read\n")
    return tmp_path


def test_no_scanned_file_warns_on_stderr_and_in_the_summary(not_infra):
    result = check(str(not_infra))
    assert result.exit_code == 0
    assert result.stderr == "lintra: warning: no file was scanned (1 skipped: not an infrastructure document)\n"
    assert result.stdout.strip().endswith("(0 scanned, 1 skipped: 1 not an infrastructure document; "
                                          "0 with errors); NO FILE SCANNED")


def test_fail_on_empty_makes_it_exit_2(not_infra, tmp_path):
    assert check("--fail-on-empty", str(not_infra)).exit_code == 2
    (tmp_path / "empty").mkdir()
    result = check("--fail-on-empty", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "the paths hold no file lintra reads" in result.stderr
    (not_infra / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\n"
                                       "provisioner: rbd.csi.ceph.com\n")
    assert check("--fail-on-empty", str(not_infra)).exit_code == 0


def test_summary_names_the_most_common_skip_reasons(not_infra):
    (not_infra / "other.yaml").write_text(NOT_INFRA)
    (not_infra / "empty.yaml").write_text("")
    (not_infra / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\n"
                                       "provisioner: rbd.csi.ceph.com\n")
    result = check(str(not_infra))
    assert "(1 scanned, 3 skipped: 2 not an infrastructure document, 1 empty file; 0 with errors)" in result.stdout
    data = json.loads(check("-f", "json", str(not_infra)).stdout)
    assert data["summary"]["skipped_reasons"] == {"not an infrastructure document": 2, "empty file": 1}


@pytest.mark.parametrize("plugins, message", [
    ("lintra.loaders,lintra.formats,acme-typo", "LINTRA_PLUGINS names plugin(s) that are not installed: acme-typo"),
    ("lintra.formats,lintra.k8s", "no plugin provides a loader, so no file can be read; "
                                  "LINTRA_PLUGINS leaves out lintra.loaders"),
    ("lintra.loaders,lintra.k8s", "unknown format 'text'; known: none; LINTRA_PLUGINS leaves out lintra.formats"),
])
def test_lintra_plugins_that_leave_lintra_unable_to_work_exit_2(plugins, message, not_infra):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["LINTRA_PLUGINS"] = plugins
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "--isolated", str(not_infra)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def test_lintra_diagnostics_are_not_a_vendor(tmp_path):
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: [\n")
    (tmp_path / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\n"
                                      "provisioner: csi.vsphere.vmware.com\n")
    result = check(str(tmp_path))
    assert "by vendor: vmware 1\n" in result.stdout and "lintra 1" not in result.stdout
    assert "lintra diagnostics (files lintra could not judge, suppressions): 1" in result.stdout
    summary = json.loads(check("-f", "json", str(tmp_path)).stdout)["summary"]
    assert summary["by_vendor"] == {"vmware": 1} and summary["diagnostics"] == 1
