"""The composite GitHub Action (action.yml): its steps' commands run as the runner would run them.

The runner gives each ``shell: bash`` step ``bash --noprofile --norc -eo pipefail``, the step's
``env:`` with ``${{ ... }}`` expressions evaluated, and the files behind ``GITHUB_OUTPUT`` and
``GITHUB_PATH``; ``uses:`` steps (upload-sarif) are GitHub's, so the test checks what they are
given instead of running them.
"""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

ACTION = yaml.safe_load(open(os.path.join(ROOT, "action.yml"), encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(expression, context):
    """The few expression forms action.yml uses: names, always(), == / != against a string, &&."""
    def value(term):
        term = term.strip()
        if term == "always()":
            return True
        for op in ("!=", "=="):
            if op in term:
                left, right = (part.strip() for part in term.split(op))
                equal = str(value(left)) == right.strip("'")
                return equal if op == "==" else not equal
        return context[term]
    terms = expression.split("&&")
    return value(terms[0]) if len(terms) == 1 else all(value(term) for term in terms)


def substitute(text, context):
    return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), str(text))


def run_action(workspace, temp, inputs):
    given = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    given.update(inputs)
    context = {f"inputs.{name}": value for name, value in given.items()}
    context["github.action_path"] = ROOT
    outputs, path_file = workspace / "github_output", workspace / "github_path"
    uploads, ran = [], []
    for step in ACTION["runs"]["steps"]:
        condition = step.get("if")
        if condition is not None and not evaluate(EXPRESSION.sub(r"\1", condition), context):
            continue
        if "uses" in step:
            uploads.append((step["uses"], {k: substitute(v, context) for k, v in step.get("with", {}).items()}))
            continue
        assert step["shell"] == "bash"
        outputs.write_text("")
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "LINTRA_PLUGINS", "VIRTUAL_ENV")}
        env.update({k: substitute(v, context) for k, v in step.get("env", {}).items()})
        env.update(RUNNER_TEMP=str(temp), GITHUB_OUTPUT=str(outputs), GITHUB_PATH=str(path_file))
        assert "${{" not in step["run"]  # inputs reach scripts through env only: no shell injection
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                              cwd=workspace, env=env, capture_output=True, text=True, timeout=900)
        ran.append((step["name"], proc))
        for line in outputs.read_text().splitlines():
            key, _, val = line.partition("=")
            context[f"steps.{step['id']}.outputs.{key}"] = val
        if proc.returncode != 0:
            break
    return ran, uploads


@pytest.fixture(scope="module")
def temp(tmp_path_factory):
    """RUNNER_TEMP, shared so the install step builds its venv once for the module."""
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(os.path.join(ROOT, "examples"), tmp_path / "infra")
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_action_annotates_uploads_sarif_and_fails_on_coupling(workspace, temp):
    ran, uploads = run_action(workspace, temp, {"paths": "infra/heat infra/k8s"})
    names = [name for name, _ in ran]
    assert names == ["Install lintra", "Run lintra", "Fail on findings"], [p.stderr for _, p in ran]
    install, check, fail = (proc for _, proc in ran)
    assert install.returncode == 0, install.stderr
    assert "::error file=infra/heat/web-stack.yaml,line=20,col=9" in check.stdout
    assert fail.returncode == 1
    [(uses, given)] = uploads
    assert uses.startswith("github/codeql-action/upload-sarif@") and given == {"sarif_file": "lintra.sarif",
                                                                               "category": "lintra"}
    log = json.loads((workspace / "lintra.sarif").read_text())
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"LH110", "LK101", "LK102"}


def test_action_inputs_profile_format_and_fail_on(workspace, temp):
    ran, uploads = run_action(workspace, temp, {"paths": "infra/k8s/storage.yaml", "profile": "conservative",
                                                "format": "text", "fail-on": "error", "sarif-file": "out.sarif",
                                                "upload-sarif": "false"})
    check = dict(ran)["Run lintra"]
    assert check.stdout.startswith("infra/k8s/storage.yaml:6:14: error LK102")
    assert uploads == [] and (workspace / "out.sarif").is_file()
    assert json.loads((workspace / "out.sarif").read_text())["runs"][0]["automationDetails"]["id"] == \
        "lintra/conservative/"
    clean = workspace / "clean.yaml"
    clean.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    ran, _ = run_action(workspace, temp, {"paths": "clean.yaml", "upload-sarif": "false"})
    assert [name for name, _ in ran] == ["Install lintra", "Run lintra"]  # exit 0: no failing step


def test_a_hostile_path_input_stays_a_path(workspace, temp):
    ran, _ = run_action(workspace, temp, {"paths": "$(touch pwned) --exclude=x", "upload-sarif": "false"})
    assert not (workspace / "pwned").exists()
    assert "no such file or directory: $(touch" in dict(ran)["Run lintra"].stderr


def test_readme_documents_the_action_with_its_real_inputs_and_this_version():
    from tests.test_readme_ci import _version, ci_blocks

    [snippet] = [b for b in ci_blocks() if "steps" in b and "jobs" not in b]
    [step] = [s for s in snippet["steps"] if s.get("uses", "").startswith("lintra/lintra@")]
    assert step["uses"] == "lintra/lintra@v" + _version()
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert {"paths", "profile", "format", "fail-on"} <= set(ACTION["inputs"])
