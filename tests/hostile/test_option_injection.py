"""Class 2: file names that look like options stay file names, through the real pre-commit.

pre-commit appends the staged file names after the hook's ``args``; the hook's default ``args:
["--"]`` ends lintra's options, so ``--exclude=*.yaml`` cannot exclude every file (and pass the
gate) and ``--output=values.yaml`` cannot overwrite a file.
"""

import os
import shutil

import pytest

from tests.hostile.harness import lintra
from tests.test_precommit import COUPLED, git, try_repo

VALUES = "replicas: 3\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_precommit_passes_option_like_names_as_files(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "storage.yaml").write_text(COUPLED)
    (repo / "values.yaml").write_text(VALUES)
    (repo / "--exclude=*.yaml").write_text("a: 1\n")
    (repo / "--output=values.yaml").write_text("b: 2\n")
    git(repo, "add", "--", ".")
    proc, _ = try_repo(repo, str(tmp_path / "home"), "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "storage.yaml:5:14: error LK102" in proc.stdout
    assert (repo / "values.yaml").read_text() == VALUES
    assert (repo / "--output=values.yaml").read_text() == "b: 2\n"


def test_double_dash_ends_options_on_the_command_line(tmp_path):
    (tmp_path / "storage.yaml").write_text(COUPLED)
    (tmp_path / "values.yaml").write_text(VALUES)
    (tmp_path / "--output=values.yaml").write_text("b: 2\n")
    run = lintra(["check", "--format", "json", "--", "storage.yaml", "--output=values.yaml"], str(tmp_path))
    assert run.code == 1
    assert {r["file"]: r["status"] for r in run.json()["files"]} == {"storage.yaml": "scanned",
                                                                    "--output=values.yaml": "skipped"}
    assert (tmp_path / "values.yaml").read_text() == VALUES
