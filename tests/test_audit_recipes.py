"""The scale-out recipes in examples/audit/ use the shard contract as lintra implements it: their
shard and merge commands run, as written, on a small local estate and produce estate.html."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT
from tests.test_audit import POD

RECIPES = os.path.join(ROOT, "examples", "audit")


def load(name):
    with open(os.path.join(RECIPES, name), encoding="utf-8") as handle:
        return list(yaml.safe_load_all(handle))


@pytest.fixture
def estate(tmp_path):
    for name in ("alpha", "beta", "gamma"):
        (tmp_path / "repos" / name).mkdir(parents=True)
        (tmp_path / "repos" / name / "pod.yaml").write_text(POD)
    (tmp_path / "REPOS.txt").write_text("".join(f"{tmp_path}/repos/{n}\n" for n in ("alpha", "beta", "gamma")))
    bin_dir = tmp_path / "bin"  # `lintra` and a no-op `pip` on PATH, as the recipe's image has them
    bin_dir.mkdir()
    (bin_dir / "lintra").write_text(f"#!/bin/sh\nexec {sys.executable} -m lintra \"$@\"\n")
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n")
    for tool in ("lintra", "pip"):
        os.chmod(bin_dir / tool, 0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", LANG="C.UTF-8")
    return tmp_path, env


def sh(command, cwd, env):
    done = subprocess.run(["sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
    return done


def test_github_actions_recipe_runs_as_written(estate):
    top, env = estate
    workflow = load("github-actions.yml")[0]
    shards = int(workflow["env"]["SHARDS"])
    jobs = workflow["jobs"]
    assert jobs["shard"]["needs"] == "list" and jobs["merge"]["needs"] == "shard"
    assert "fromJSON(needs.list.outputs.shards)" in jobs["shard"]["strategy"]["matrix"]["shard"]
    listing = next(s["run"] for s in jobs["list"]["steps"] if s.get("id") == "shards")
    out = sh(listing.replace('>> "$GITHUB_OUTPUT"', ""), top, dict(env, SHARDS=str(shards)))
    assert out.stdout.strip() == "shards=" + str(list(range(shards))).replace(" ", "")
    audit = next(s["run"] for s in jobs["shard"]["steps"] if "lintra audit" in s.get("run", ""))
    work = top / "gh"
    work.mkdir()
    shutil.copy(top / "REPOS.txt", work / "REPOS.txt")
    for index in range(shards):
        sh(audit.replace("${{ matrix.shard }}", str(index)).replace("${{ env.SHARDS }}", str(shards)), work, env)
    merge = [s["run"] for s in jobs["merge"]["steps"] if "run" in s and "pip install" not in s["run"]]
    for command in merge:
        sh(command, work, dict(env, SHARDS=str(shards)))
    assert "lintra estate audit" in (work / "estate.html").read_text(encoding="utf-8")
    assert any(s.get("with", {}).get("path", "").startswith("estate.html") for s in jobs["merge"]["steps"])


def test_kubernetes_indexed_job_recipe_runs_as_written(estate):
    top, env = estate
    config, volume, job = load("kubernetes-indexed-job.yaml")
    merge_job, = load("kubernetes-merge-job.yaml")
    assert config["kind"] == "ConfigMap" and "REPOS.txt" in config["data"]
    assert volume["spec"]["accessModes"] == ["ReadWriteMany"]  # every pod writes to the same volume
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    shards = spec["completions"]
    container = spec["template"]["spec"]["containers"][0]
    command = container["args"][0]
    assert f"--shard auto/{shards}" in command and "$JOB_COMPLETION_INDEX" in command
    merge_command = merge_job["spec"]["template"]["spec"]["containers"][0]["args"][0]
    assert f'-eq {shards}' in merge_command  # complete only when every shard reported
    results = top / "results"
    (top / "config").mkdir()
    results.mkdir()
    shutil.copy(top / "REPOS.txt", top / "config" / "REPOS.txt")

    def local(text):
        return text.replace("/config/", f"{top}/config/").replace("/results/", f"{results}/")

    for index in range(shards):
        sh(local(command), top, dict(env, JOB_COMPLETION_INDEX=str(index)))
    assert len([n for n in os.listdir(results) if re.fullmatch(r"shard-\d+\.json", n)]) == shards
    sh(local(merge_command), top, env)
    assert "lintra estate audit" in (results / "estate.html").read_text(encoding="utf-8")
