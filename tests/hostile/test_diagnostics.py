"""lintra's own diagnostics on standard error (exit 2) about hostile configuration and baseline
files: each names the file, line and the real reason, and carries nothing from the file raw.

GitHub Actions reads workflow commands (``::error::``) on a step's standard error as on its
standard output, and a terminal obeys escape sequences on either stream: a key or value quoted in
a message is written as :func:`lintra.escape.terminal` makes it ("\\n", "\\x1b").
"""

import os
import sys

import pytest

from tests.hostile.harness import lintra

COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "s.yaml").write_text(COUPLED)
    return tmp_path / "repo"


def test_an_unknown_configuration_key_with_controls_stays_on_its_line(repo):
    # YAML double-quoted escapes: \e is ESC, \a BEL, \x9b the one-byte CSI
    (repo / ".lintra.yaml").write_text('"\\e]0;owned\\aselcet\\n::error file=s.yaml::forged\\x9b": 1\n')
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2 and run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("Error: invalid configuration: ") and line.endswith(
        ".lintra.yaml:1:1: \\x1b]0;owned\\x07selcet\\n::error file=s.yaml::forged\\x9b: unknown key; expected one of: "
        "baseline, exclude, fail_on, hide_sanctioned, ignore, limits, local_plugins, packs, per_path, plugins, "
        "profile, profiles, rules, sanctioned_vendors, select, severity")


def test_a_nested_unknown_key_with_a_newline(repo):
    (repo / ".lintra.yaml").write_text('limits: {"max_depth\\n::warning::x": 5}\n')
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2
    [line] = run.stderr.splitlines()
    assert ".lintra.yaml:1:10: limits.max_depth\\n::warning::x: unknown key; expected one of: " in line
