"""``lintra policy validate|test`` and ``lintra check --pack``, including the README's own pack."""

import os
import re

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.policy import rules_from_pack
from lintra.policy.pack import pack_files
from lintra.resources import policies_dir
from tests.conftest import ROOT
from tests.test_packs import RULE_HEAD, write_pack


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_shipped_policies_pass_their_own_examples():
    # What CI runs: `lintra policy test policies/` is green, and every shipped rule is in it.
    result = invoke("policy", "test", policies_dir())
    assert result.exit_code == 0, result.output
    passed = re.findall(r" (\S+) ok \(\d+ fail, \d+ pass examples\)$", result.output, re.M)
    assert sorted(passed) == sorted(rule.id for rule in rules_from_pack(policies_dir()))


def test_shipped_policies_validate():
    result = invoke("policy", "validate", policies_dir())
    assert result.exit_code == 0 and result.output.count(": ok (") == len(pack_files(policies_dir())) >= 6


POD = '"apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n  containers: [{name: c, image: registry.example.org/x}]\\n"'
BAD_EXAMPLE = ("    match: {path: '@containers.image', not: {startswith: registry.example.org/}}\n"
               f"    examples:\n      fail: [{POD}]\n      pass: [{POD}]\n")


def test_failing_example_is_shown_with_its_line_and_snippet(tmp_path):
    pack = write_pack(tmp_path, RULE_HEAD + BAD_EXAMPLE)
    result = invoke("policy", "test", pack)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{pack} ORG1 FAILED",
        f"  {pack}:16: fail example 1 (example.yaml): no finding",
        "    | apiVersion: v1",
        "    | kind: Pod",
        "    | metadata: {name: p}",
        "    | spec:",
        "    |   containers: [{name: c, image: registry.example.org/x}]",
    ]


def test_failing_example_in_json_names_rule_line_and_problem(tmp_path):
    import json

    pack = write_pack(tmp_path, RULE_HEAD + BAD_EXAMPLE)
    result = invoke("policy", "test", "--format", "json", pack)
    assert result.exit_code == 1
    [report] = json.loads(result.output)["rules"]
    assert (report["rule"], report["status"]) == ("ORG1", "failed")
    assert [(p["expect"], p["line"], p["problem"]) for p in report["problems"]] == [("fail", 16, "no finding")]


def test_rule_without_examples_fails_the_test(tmp_path):
    pack = write_pack(tmp_path, RULE_HEAD + "    match: {path: spec}\n")
    result = invoke("policy", "test", pack)
    assert result.exit_code == 1 and "ORG1 FAILED: needs at least one fail and one pass example" in result.output


@pytest.mark.parametrize("body, problem", [
    ("    match: {path: '@containers.image', regex: '(['}\n", ":14:40: rules.0.match.regex: regex '([' does not compile"),
    ("    match: {path: '@pods.image'}\n", ":14:13: rules.0.match.path: unknown path macro '@pods'"),
    ("    match: {path: spec, prefix: x}\n", ":14:25: rules.0.match.prefix: unknown operator 'prefix'"),
    ("    match: {path: spec}\n    severity: fatal\n", ":15:15: rules.0.severity: 'fatal' is not one of"),
])
def test_invalid_pack_is_exit_2_with_file_line_and_field(tmp_path, body, problem):
    pack = write_pack(tmp_path, RULE_HEAD + body)
    good = write_pack(tmp_path / "..", RULE_HEAD + "    match: {path: spec}\n")
    validate = invoke("policy", "validate", pack, good)
    assert validate.exit_code == 2
    assert validate.output.splitlines()[0].startswith(pack + problem)
    assert validate.output.splitlines()[-1] == f"{good}: ok (1 rule)"
    assert invoke("policy", "test", pack).exit_code == 2
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n")
    check = invoke("check", "--pack", pack, str(tmp_path / "pod.yaml"))
    assert check.exit_code == 2 and f"invalid policy pack:\n{pack}{problem}" in check.output


def test_missing_pack_or_empty_directory_is_exit_2(tmp_path):
    assert invoke("check", "--pack", str(tmp_path / "nope.yaml"), str(tmp_path)).exit_code == 2
    result = invoke("policy", "validate", str(tmp_path))
    assert result.exit_code == 2 and "no .yaml or .yml policy packs here" in result.output


def test_check_pack_is_repeatable(tmp_path):
    one = write_pack(tmp_path, RULE_HEAD + "    match: {path: '@containers.image', startswith: docker.io/}\n")
    (tmp_path / "two").mkdir()
    two = write_pack(tmp_path / "two", RULE_HEAD.replace("ORG1", "ORG2") + "    match: {path: metadata.name}\n")
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: docker.io/x}]\n")
    result = invoke("check", "--no-color", "--pack", one, "--pack", os.path.dirname(two), str(pod))
    assert f"{pod}:5:33: warning ORG1 image docker.io/x" in result.output
    assert f"{pod}:3:18: warning ORG2 image p" in result.output


def readme_blocks():
    """The README's user pack, its manifest and the console session that uses them."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("### Your own rules, as a policy pack", 1)[1].split("\n### ", 1)[0]
    files = {m.group(1): m.group(0)[len("```yaml\n"):-len("```")]
             for m in re.finditer(r"```yaml\n# (\S+)\n.*?```", section, re.S)}
    console = re.search(r"```console\n(.*?)```", section, re.S).group(1)
    return files, console


def test_readme_user_pack_end_to_end(tmp_path, monkeypatch):
    files, console = readme_blocks()
    assert "registry.example.org" in files["org-policy.yaml"] and "k8s/web.yaml" in files
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    sessions = re.findall(r"^\$ lintra (.*)\n((?:(?!\$ ).*\n)*)", console, re.M)
    assert [command.split()[0] for command, _ in sessions] == ["policy", "policy", "check"]
    for command, shown in sessions:
        result = invoke(*command.split())
        expected = shown.splitlines()
        assert result.output.splitlines()[:len(expected)] == expected, command
        assert result.exit_code == (1 if command.startswith("check") else 0)


def test_pack_flag_adds_to_the_configured_packs(tmp_path):
    one = write_pack(tmp_path, RULE_HEAD + "    match: {path: '@containers.image', startswith: docker.io/}\n")
    (tmp_path / "two").mkdir()
    two = write_pack(tmp_path / "two", RULE_HEAD.replace("ORG1", "ORG2") + "    match: {path: metadata.name}\n")
    config = tmp_path / ".lintra.yaml"
    config.write_text("packs: [pack.yaml]\n")  # relative to the configuration file
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: docker.io/x}]\n")
    result = invoke("check", "--config", str(config), "--pack", two, str(pod))
    assert sorted(re.findall(r"warning (ORG\d)", result.output)) == ["ORG1", "ORG2"], result.output
    (tmp_path / "pack.yaml").write_text(open(one).read().replace("startswith:", "startwith:"))
    broken = invoke("check", "--config", str(config), str(pod))
    assert broken.exit_code == 2 and f"{tmp_path / 'pack.yaml'}:14:40: rules.0.match.startwith: unknown operator" in broken.output
