"""Every lintra command in README "Use in CI" runs, as written, against a fixture repository."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ci_blocks():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("## Use in CI", 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def commands(node):
    """The shell lines of every run:/script: entry that call lintra."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                for line in value if isinstance(value, list) else [value]:
                    if isinstance(line, str) and line.startswith("lintra check"):
                        yield line
            else:
                yield from commands(value)
    elif isinstance(node, list):
        for item in node:
            yield from commands(item)


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(os.path.join(ROOT, "examples"), tmp_path / "infra")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git + ["init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(git + ["add", "."], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "base"], cwd=tmp_path, check=True)
    subprocess.run(git + ["update-ref", "FETCH_HEAD", "HEAD"], cwd=tmp_path, check=True)
    (tmp_path / "infra" / "k8s" / "new-class.yaml").write_text(  # what the branch adds
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
        "provisioner: csi.vsphere.vmware.com\n")
    return tmp_path


def run(line, cwd):
    argv = shlex.split(line)
    assert argv[0] == "lintra"
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "lintra", *argv[1:]], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_readme_has_the_three_snippets():
    lines = [line for block in ci_blocks() for line in commands(block)]
    assert len(lines) == 3, lines


def test_every_ci_command_ends_options_before_its_paths():
    """A file named ``--output=x`` in the checked-out branch must not become an option."""
    for line in (line for block in ci_blocks() for line in commands(block)):
        argv = shlex.split(line)
        assert "--" in argv and argv.index("--") == len(argv) - 2, line


def test_github_actions_snippet(repo):
    [workflow] = [b for b in ci_blocks() if "jobs" in b]
    [line] = commands(workflow)
    proc = run(line, repo)
    assert proc.returncode == 1
    assert "::error file=infra/heat/web-stack.yaml,line=20,col=9" in proc.stdout
    uploaded = [s for s in workflow["jobs"]["lintra"]["steps"] if "upload-sarif" in s.get("uses", "")][0]
    log = json.loads((repo / uploaded["with"]["sarif_file"]).read_text())
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"LH110", "LK101", "LK102"}


def test_gitlab_snippets(repo):
    blocks = [b for b in ci_blocks() if "lintra" in b or "lintra-mr" in b]
    job = next(b["lintra"] for b in blocks if "lintra" in b)
    [line] = commands(job)
    proc = run(line, repo)
    assert proc.returncode == 1 and "infra/k8s/new-class.yaml:5:14: error LK102" in proc.stdout
    quality = json.loads((repo / job["artifacts"]["reports"]["codequality"]).read_text())
    assert ("infra/heat/web-stack.yaml", 25) in {(i["location"]["path"], i["location"]["lines"]["begin"])
                                                  for i in quality}
    suites = ET.parse(repo / job["artifacts"]["reports"]["junit"]).getroot()
    assert {s.get("name") for s in suites} == {"heat", "k8s"}
    mr = next(b["lintra-mr"] for b in blocks if "lintra-mr" in b)
    [line] = commands(mr)
    proc = run(line, repo)
    assert proc.returncode == 1
    assert "infra/k8s/new-class.yaml:5:14: error LK102" in proc.stdout
    assert "storage.yaml" not in proc.stdout and "LH110" not in proc.stdout  # only what the branch adds


def test_precommit_snippet_names_real_hooks():
    config = next(b for b in ci_blocks() if "repos" in b)
    offered = {hook["id"]: hook for hook in yaml.safe_load(open(os.path.join(ROOT, ".pre-commit-hooks.yaml")))}
    wanted = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert wanted == ["lintra", "lintra-audit"] and set(wanted) <= set(offered)
    assert offered["lintra-audit"]["stages"] == ["manual"] and offered["lintra-audit"]["pass_filenames"] is False


def _version():
    text = open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8").read()
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def test_install_lines_and_precommit_rev_name_this_version():
    """`pip install lintra` did not work (no release on an index) and `rev:` lagged the version."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    installs = re.findall(r"pip install (\S.*)", text)
    from_repository = [line for line in installs if "git+" in line]
    assert from_repository, installs
    for line in from_repository:
        assert re.search(r'"lintra(\[\w+\])? @ git\+https://github\.com/lintra/lintra@v' + re.escape(_version()) + '"',
                         line), line
    assert not [line for line in installs if re.match(r"['\"]?lintra\b", line) and "git+" not in line], installs
    config = next(b for b in ci_blocks() if "repos" in b)
    assert [repo["rev"] for repo in config["repos"]] == ["v" + _version()]
    assert config["repos"][0]["repo"] == "https://github.com/lintra/lintra"
