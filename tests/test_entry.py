"""The console entry point's click-free path (lintra/cli/entry.py) answers exactly as the click
command does: same parameters, same stdout and stderr bytes, same exit code; and everything it does
not fully understand goes to click."""

import os
import subprocess
import sys

import pytest

from lintra.cli.check import check
from lintra.cli.entry import DEFAULTS, FLAGS, fast_check_params

CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n"
#: an AWS EBS StorageClass (an error: exit 1) and an AWS load balancer annotation (a warning)
COUPLED = ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: ebs.csi.aws.com\n"
           "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
           "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\nspec:\n  type: LoadBalancer\n")
BROKEN = "apiVersion: v1\nkind: ConfigMap\nmetadata: [name: x\n"

#: the two ways in, as separate processes: the console entry point, and the click group itself
FAST = "from lintra.cli.entry import main; main()"
CLICK = "from lintra.cli import main; main()"


def _click_params(args):
    return check.make_context("check", list(args)).params  # click consumes the list it is given


def test_defaults_are_the_click_commands():
    """A new option of `lintra check`, or a changed default, fails here until DEFAULTS has it."""
    assert _click_params([]) == DEFAULTS


@pytest.mark.parametrize("args", [
    [],
    ["svc.yaml"],
    ["a.yaml", "b.yaml"],
    ["--force-exclude", "--context", ".", "--", "a.yaml", "b.yaml"],
    ["--force-exclude", "--context=.", "--", "--output=x.yaml", "-f", "--", "-"],
    ["a.yaml", "--force-exclude", "b.yaml", "--context", "sub"],
    ["--context", ".", "--context", "sub", "a.yaml"],
    ["--", "--help"],
    [""],
    ["--isolated", "a.yaml", "--isolated"],
    ["--isolated", "--force-exclude", "--context=sub", "--", "--isolated"],
])
def test_parameters_are_what_click_passes(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text(CLEAN)
    assert fast_check_params(["check", *args]) == _click_params(args)


@pytest.mark.parametrize("flag", sorted(FLAGS))
def test_each_fast_flag_is_what_click_makes_of_it(flag, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(CLEAN)
    for args in ([flag, "a.yaml"], ["a.yaml", flag], [flag, flag, "--", "a.yaml"]):
        assert fast_check_params(["check", *args]) == _click_params(args)


@pytest.mark.parametrize("args", [
    ["--no-cache", "--isolated", "--quiet", "--statistics", "--exit-zero", "a.yaml"],
    ["--color", "--no-color", "a.yaml"], ["--no-color", "--color", "a.yaml"],
    ["--jobs", "2", "a.yaml"], ["--jobs=12", "--jobs", "1", "a.yaml"], ["a.yaml", "--jobs", "3", "--", "--jobs"],
    [flag for flag in FLAGS if flag not in ("--color", "--no-color")] + ["--jobs", "2", "--context", ".", "a.yaml"],
])
def test_fast_flags_together_are_what_click_passes(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(CLEAN)
    assert fast_check_params(["check", *args]) == _click_params(args)


@pytest.mark.parametrize("args", [
    ["check", "--jobs", "0", "a.yaml"], ["check", "--jobs", "02", "a.yaml"], ["check", "--jobs", "x", "a.yaml"],
    ["check", "--jobs", "-1", "a.yaml"], ["check", "--jobs"], ["check", "--jobs=", "a.yaml"],
    ["check", "--jobs", " 2", "a.yaml"], ["check", "--jobs", "\u00b2", "a.yaml"], ["check", "-j", "2", "a.yaml"],
    ["check", "--no-cache", "-v", "a.yaml"], ["check", "--no-caches", "a.yaml"], ["check", "--color=yes", "a.yaml"],
])
def test_other_spellings_of_fast_flags_go_to_click(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(CLEAN)
    assert fast_check_params(args) is None


@pytest.mark.parametrize("args", [
    [], ["--version"], ["--help"], ["rules"], ["audit", "."], ["baseline", "create"],
    ["check", "--help"], ["check", "-h"], ["check", "-f", "json", "a.yaml"], ["check", "--format=json", "a.yaml"],
    ["check", "-"], ["check", "a.yaml", "-q"], ["check", "--isolated", "--config", "a.yaml", "a.yaml"], ["check", "--forc", "a.yaml"],
    ["check", "--context"], ["check", "--context", "--force-exclude", "a.yaml"], ["check", "--context="],
    ["check", "--context", "missing"], ["check", "--context", "a.yaml"], ["check", "--context=a.yaml"],
    ["check", "a\0b.yaml"], ["CHECK", "a.yaml"],
])
def test_anything_else_goes_to_click(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(CLEAN)
    assert fast_check_params(args) is None


def test_shell_completion_goes_to_click():
    assert fast_check_params(["check", "a.yaml"], {"_LINTRA_COMPLETE": "bash_complete"}) is None
    assert fast_check_params(["check", "a.yaml"], {"PATH": "/bin"}) is not None


def _run(code, args, cwd, cache):
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    env.update(LANG="C.UTF-8", LINTRA_CACHE_DIR=str(cache), XDG_CONFIG_HOME=str(cwd / "xdg"))
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True)
    return proc.stdout, proc.stderr, proc.returncode


def _repository(tmp_path, configuration=None):
    (tmp_path / "xdg").mkdir()
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "coupled.yaml").write_text(COUPLED)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    (tmp_path / "--output=x.yaml").write_text(COUPLED)
    (tmp_path / "-f").mkdir()
    (tmp_path / "-f" / "svc.yaml").write_text(COUPLED)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "svc.yaml").write_text(COUPLED)
    if configuration is not None:
        (tmp_path / ".lintra.yaml").write_text(configuration)
    return tmp_path


CASES = {
    "no findings": (["check", "clean.yaml"], 0),
    "findings": (["check", "coupled.yaml"], 1),
    "findings and a clean file, as pre-commit passes them":
        (["check", "--force-exclude", "--context", ".", "--", "coupled.yaml", "clean.yaml"], 1),
    "syntax error (LT000, an error)": (["check", "broken.yaml", "clean.yaml"], 1),
    "missing file": (["check", "--", "clean.yaml", "missing.yaml"], 2),
    "option-like file names after --": (["check", "--force-exclude", "--context=.", "--", "--output=x.yaml", "-f"], 1),
    "a directory": (["check", "vendor"], 1),
    "--isolated": (["check", "--isolated", "coupled.yaml", "vendor"], 1),
    "--isolated --no-cache, as the benchmark compares": (["check", "--isolated", "--no-cache", "coupled.yaml"], 1),
    "text options": (["check", "--no-cache", "--show-remediation", "--verbose", "--no-color", "coupled.yaml",
                      "broken.yaml"], 1),
    "--quiet --statistics --exit-zero --jobs 2": (["check", "--quiet", "--statistics", "--exit-zero", "--jobs", "2",
                                                   "coupled.yaml"], 0),
    "--new-only without --changed-since (a usage error)": (["check", "--new-only", "coupled.yaml"], 2),
    "--fail-on-empty on no file": (["check", "--fail-on-empty", "--", "missing.yml"], 2),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("configuration", [None, "profile: balanced\nfail_on: error\n"])
def test_fast_path_output_is_the_click_paths(name, configuration, tmp_path):
    args, code = CASES[name]
    repository = _repository(tmp_path, configuration)
    assert fast_check_params(args, {}) is not None  # this case does take the fast path
    click_run = _run(CLICK, args, repository, tmp_path / "click-cache")
    fast_run = _run(FAST, args, repository, tmp_path / "fast-cache")
    assert fast_run == click_run
    assert fast_run[2] == code, fast_run
    assert b"Traceback" not in fast_run[1]
    assert _run(FAST, args, repository, tmp_path / "fast-cache") == click_run  # with a warm cache too


@pytest.mark.parametrize("configuration, args, code, message", [
    ("exclude: ['vendor/**']\n", ["check", "--force-exclude", "--context", ".", "--", "vendor/svc.yaml"], 0,
     b"lintra: warning: no file was scanned"),
    ("fail_on: warning\nunknown_key: 1\n", ["check", "clean.yaml"], 2, b".lintra.yaml:2:1: unknown_key: unknown key"),
    ("profile: nosuchprofile\n", ["check", "clean.yaml"], 2, b"Error: invalid configuration"),
    ("profile: nosuchprofile\n", ["check", "--isolated", "clean.yaml"], 0, b""),
])
def test_configured_repositories_answer_alike(configuration, args, code, message, tmp_path):
    repository = _repository(tmp_path, configuration)
    click_run = _run(CLICK, args, repository, tmp_path / "cache")
    assert _run(FAST, args, repository, tmp_path / "cache") == click_run
    assert click_run[2] == code and message in click_run[1], click_run


def test_colour_and_python_dash_m_alike(tmp_path):
    repository = _repository(tmp_path)
    env = dict(os.environ, LANG="C.UTF-8", LINTRA_CACHE_DIR=str(tmp_path / "cache"), FORCE_COLOR="1",
               XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    env.pop("NO_COLOR", None)
    env.pop("GITHUB_ACTIONS", None)
    runs = [subprocess.run([sys.executable, *how, "check", "coupled.yaml"], cwd=repository, env=env,
                           capture_output=True) for how in (["-c", CLICK], ["-c", FAST], ["-m", "lintra"])]
    assert b"\x1b[" in runs[0].stdout
    assert {(run.stdout, run.stderr, run.returncode) for run in runs} == {(runs[0].stdout, runs[0].stderr, 1)}


def test_the_fast_path_ends_the_process_without_the_interpreters_teardown(tmp_path):
    """What the interpreter's exit does that is seen still happens (atexit handlers, flushed
    output, the exit status), then ``os._exit`` ends the process: freeing every object of the run
    is left out. The click path exits as it always did."""
    repository = _repository(tmp_path)
    code = ("import atexit, os, sys\n"
            "atexit.register(lambda: sys.stderr.write('atexit ran\\n'))\n"
            "real_exit = os._exit\n"
            "def _exit(status):\n"
            "    os.write(2, b'os._exit(%d)\\n' % status)\n"
            "    real_exit(status)\n"
            "os._exit = _exit\n")
    args = ["check", "coupled.yaml"]
    out, err, status = _run(code + FAST, args, repository, tmp_path / "cache")
    click_out, click_err, click_status = _run(code + CLICK, args, repository, tmp_path / "cache")
    assert (out, status) == (click_out, click_status) == (click_out, 1) and out
    assert click_err.endswith(b"atexit ran\n") and b"os._exit" not in click_err
    assert err == click_err + b"os._exit(1)\n"
