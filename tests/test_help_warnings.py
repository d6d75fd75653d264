"""Every command's ``--help`` (and a plain check) runs under ``python -W error``: a deprecation
in click, jinja2 or our own imports would otherwise reach users as a warning first and as a crash
with the next release. Each runs as a real process, as a user starts it."""

import os
import subprocess
import sys

import click
import pytest

from lintra.cli import COMMANDS
from lintra.cli.group import main as group

ENV = dict(os.environ, LANG="C.UTF-8", PYTHONWARNINGS="error")


def _command_paths():
    """Every command line ``lintra A [B] --help`` answers, from the click group itself."""
    paths = [()]
    context = click.Context(group)
    for name in COMMANDS:
        command = group.get_command(context, name)
        assert command is not None, name
        paths.append((name,))
        if isinstance(command, click.Group):
            paths.extend((name, sub) for sub in command.list_commands(context))
    return paths


def _run(args, cwd=None):
    return subprocess.run([sys.executable, "-W", "error", "-m", "lintra", *args], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=120)


def test_every_command_is_listed():
    """The sub-commands of groups are found too (a group with none would test nothing below it)."""
    paths = _command_paths()
    assert ("policy", "test") in paths and ("cache", "clear") in paths and ("check",) in paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda path: " ".join(path) or "lintra")
def test_help_has_no_warning(path):
    done = _run([*path, "--help"])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Usage: ") and "lintra" in done.stdout.splitlines()[0]


def test_check_has_no_warning(tmp_path):
    (tmp_path / "svc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n"
                                       "  name: fast\nprovisioner: ebs.csi.aws.com\n")
    for args in (["check", "svc.yaml"], ["check", "-f", "sarif", "svc.yaml"], ["check", "--jobs", "1", "."]):
        done = _run(args, cwd=tmp_path)
        assert done.returncode == 1, (args, done.stderr)  # an AWS EBS StorageClass is an error
        assert "Warning" not in done.stderr, (args, done.stderr)
        assert "ebs.csi.aws.com" in done.stdout
