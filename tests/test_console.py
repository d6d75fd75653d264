"""Console conventions users of ruff, checkov and kube-linter expect from `lintra check`."""

import os

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.cli.check import use_colour

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")
STORAGE = os.path.join(EXAMPLES, "k8s", "storage.yaml")


def check(*args, env=None):
    return CliRunner().invoke(main, ["check", "--isolated", *args], env=env)


def test_show_remediation_prints_the_open_alternative_under_each_finding():
    lines = check("--show-remediation", STORAGE).stdout.splitlines()
    lk102 = next(n for n, line in enumerate(lines) if " LK102 " in line)
    assert lines[lk102 + 1].startswith("    open alternative: Keep backend-specific StorageClasses in the platform layer")
    assert "open alternative" not in check(STORAGE).stdout


def test_quiet_prints_findings_only():
    result = check("-q", STORAGE)
    assert result.exit_code == 1
    assert [line.split()[2] for line in result.stdout.splitlines() if not line.startswith("    ")] == [
        "LK102", "LK104", "LK110"]
    assert "finding(s)" not in result.stdout and "by vendor" not in result.stdout


def test_statistics_counts_findings_per_rule(tmp_path):
    result = check("--statistics", os.path.join(EXAMPLES, "heat"))
    lines = result.stdout.splitlines()
    assert lines[:2] == ["2  LH110   heat-vmware-flavor-extra-specs: Nova flavor with VMware-only extra specs",
                         "1  LH101   heat-contrail-resource-type: Contrail / Tungsten Fabric resource type"]
    assert result.exit_code == 1 and lines[-1].startswith("3 finding(s)")
    assert check("--statistics", "-q", os.path.join(EXAMPLES, "heat")).stdout.count("\n") == 2


def test_exit_zero_keeps_exit_2_for_files_that_could_not_be_read(monkeypatch):
    assert check("--exit-zero", STORAGE).exit_code == 0
    assert check(STORAGE).exit_code == 1

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("lintra.model.Source.read_bytes", denied)
    assert check("--exit-zero", STORAGE).exit_code == 2


class Tty:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("flag, environ, tty, colour", [
    (None, {}, True, True), (None, {}, False, False),
    (None, {"NO_COLOR": "1"}, True, False), (None, {"NO_COLOR": ""}, True, True),  # no-color.org: non-empty
    (None, {"FORCE_COLOR": "1"}, False, True), (None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
    (True, {"NO_COLOR": "1"}, False, True), (False, {"FORCE_COLOR": "1"}, True, False),
])
def test_colour_follows_flag_then_no_color_then_force_color_then_terminal(flag, environ, tty, colour):
    assert use_colour(flag, Tty(tty), environ) is colour


def test_force_color_colours_piped_output():
    assert "\x1b[" in check(STORAGE, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" not in check(STORAGE, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout


def test_unknown_format_suggests_the_closest_name():
    result = check("-f", "sarf", STORAGE)
    assert result.exit_code == 2
    assert "unknown format 'sarf' (did you mean 'sarif'?); known: github, gitlab, json, junit, sarif, text" \
        in result.output


def test_a_reader_that_closes_the_pipe_early_gets_no_error_and_the_gate_keeps_its_exit_code(tmp_path):
    """`lintra check . | head -1` must not end in a traceback or "Broken pipe" on stderr (as grep and ruff)."""
    import subprocess
    import sys

    for n in range(2000):
        (tmp_path / f"pod{n}.yaml").write_text(
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{n}\nspec:\n  volumes:\n"
            "  - name: d\n    awsElasticBlockStore:\n      volumeID: vol-1\n")
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    proc = subprocess.Popen([sys.executable, "-m", "lintra", "check", "--jobs", "1", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with most of the output unread
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 1, stderr
    assert b"LK201" in first
    assert stderr == b"", stderr
