"""SARIF output: valid against the official OASIS 2.1.0 schema, with the contents code scanning reads."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import jsonschema
import pytest

from lintra.pipeline import run
from lintra.report import sarif

HERE = os.path.dirname(__file__)
EXAMPLES = os.path.join(HERE, "..", "examples")
SCHEMA = json.load(open(os.path.join(HERE, "schemas", "sarif-schema-2.1.0.json"), encoding="utf-8"))


def validate(log):
    jsonschema.Draft7Validator(SCHEMA).validate(log)


def test_examples_sarif_names_rules_paths_and_lines():
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "heat", "-f", "sarif"],
                          cwd=EXAMPLES, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    validate(log)
    run_ = log["runs"][0]
    rules = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in run_["results"]}
    # relative to the repository root (this checkout), as code scanning resolves them
    assert ("LH110", "examples/heat/web-stack.yaml", 20, 9) in found
    assert ("LH101", "examples/heat/web-stack.yaml", 25, 11) in found
    for r in run_["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"]
        assert r["level"] == "error"
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    root = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == pathlib.Path(HERE).parent.resolve().as_uri() + "/"
    lh110 = run_["tool"]["driver"]["rules"][rules.index("LH110")]
    assert lh110["properties"]["tags"][0] == "vmware"
    assert "Open alternative" in lh110["help"]["markdown"]
    assert lh110["defaultConfiguration"]["level"] == "error"


def test_suppressed_left_out_unless_asked(lint):
    result = lint("""\
        heat_template_version: 2018-08-31
        resources:
          net:
            type: OS::ContrailV2::VirtualNetwork
        """)
    assert result.findings
    result.findings[0].suppressed = True
    result.findings[0].suppression = "migration ticket OPS-12"
    assert sarif.to_dict(result, {})["runs"][0]["results"] == []
    log = sarif.to_dict(result, {"include_suppressed": True})
    validate(log)
    [item] = log["runs"][0]["results"]
    assert item["ruleId"] == "LH101"
    assert item["suppressions"] == [{"kind": "inSource", "justification": "migration ticket OPS-12"}]


def _fingerprints(root):
    log = sarif.to_dict(run([root]), {"root": root})
    validate(log)
    return log, {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["partialFingerprints"]["lintra/v2"]) for r in log["runs"][0]["results"]}


@pytest.mark.corpus
def test_corpus_sarif_valid_and_fingerprints_survive_line_shifts(corpus, tmp_path):
    copy = str(tmp_path / "corpus")
    shutil.copytree(corpus, copy, symlinks=True)
    before_log, before = _fingerprints(copy)
    assert len(before) > 20
    for folder, _dirs, files in os.walk(copy):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith((".yaml", ".yml", ".json")) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    data = handle.read()
                bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
                with open(path, "wb") as handle:  # a BOM must stay first or the file stops parsing
                    handle.write(bom + b"\n\n\n" + data[len(bom):])
    after_log, after = _fingerprints(copy)
    assert after == before
    lines = lambda log: sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                               for r in log["runs"][0]["results"])
    assert lines(after_log) != lines(before_log)  # the shift really moved the findings


def test_related_locations_carry_message_and_place(lint, tmp_path):
    from lintra.model import Related, Span
    result = lint("heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n")
    result.findings[0].related = (Related("defined here", str(tmp_path / "env.yaml"), Span(3, 5, 3, 9)),)
    log = sarif.to_dict(result, {"root": str(tmp_path)})
    validate(log)
    [related] = log["runs"][0]["results"][0]["relatedLocations"]
    assert related["message"]["text"] == "defined here"
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "env.yaml"
    assert related["physicalLocation"]["region"]["startLine"] == 3


def test_artifact_uris_relative_to_the_root_or_absolute_without_base(lint, tmp_path):
    result = lint("heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n",
                  name="my stacks/net.yaml")
    inside = sarif.to_dict(result, {"root": str(tmp_path)})
    validate(inside)
    artifact = inside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "my%20stacks/net.yaml", "uriBaseId": "%SRCROOT%"}  # a URI, percent-encoded
    outside = sarif.to_dict(result, {"root": str(tmp_path / "my stacks" / "elsewhere")})
    validate(outside)
    artifact = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "my stacks" / "net.yaml").as_uri()}  # SARIF §3.4.4: no base


CONTRAIL = "heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n"


def test_sanctioned_findings_and_the_profile_are_marked(lint):
    log = sarif.to_dict(lint(CONTRAIL, sanctioned=["juniper"]), {})
    validate(log)
    [run_] = log["runs"]
    [item] = run_["results"]
    assert item["level"] == "note" and item["properties"]["sanctioned"] is True
    assert run_["properties"] == {"profile": "balanced", "failOn": "error"}
    assert sarif.to_dict(lint(CONTRAIL), {})["runs"][0]["results"][0]["properties"]["sanctioned"] is False


@pytest.mark.parametrize("content, exit_code", [
    (CONTRAIL, 1),
    (CONTRAIL.replace("OS::ContrailV2::VirtualNetwork", "OS::Neutron::Net"), 0),
    (b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n", 2),  # not UTF-8: the file was not judged
], ids=["findings", "clean", "unreadable"])
def test_invocation_says_whether_the_run_completed(lint, content, exit_code):
    result = lint(content)
    assert result.exit_code == exit_code
    log = sarif.to_dict(result, {})
    validate(log)
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": exit_code != 2, "exitCode": exit_code}]


def test_suppression_without_reason_has_no_justification(lint):
    result = lint(CONTRAIL.replace("VirtualNetwork", "VirtualNetwork  # lintra: ignore[LH101]"))
    assert result.findings[0].suppressed
    log = sarif.to_dict(result, {"include_suppressed": True})
    validate(log)
    assert log["runs"][0]["results"][0]["suppressions"] == [{"kind": "inSource"}]


SHARED_SCHEMA = os.path.join(HERE, "..", "..", "shared", "schemas", "sarif-schema-2.1.0.json")


def shared_validate(log):
    """Against ../shared's copy of the OASIS schema too, where it is present."""
    validate(log)
    if os.path.isfile(SHARED_SCHEMA):
        jsonschema.Draft7Validator(json.load(open(SHARED_SCHEMA, encoding="utf-8"))).validate(log)


def test_code_scanning_fields(lint):
    """GitHub code scanning reads automationDetails.id as the analysis category, helpUri as the
    rule's help link, properties.tags as filters and precision to rank alerts."""
    log = sarif.to_dict(lint(CONTRAIL), {})
    shared_validate(log)
    [run_] = log["runs"]
    assert run_["automationDetails"] == {"id": "lintra/balanced/"}
    [rule] = run_["tool"]["driver"]["rules"]
    assert rule["helpUri"] == "https://github.com/lintra/lintra/blob/main/docs/rules/LH101.md"
    assert os.path.isfile(os.path.join(HERE, "..", "docs", "rules", "LH101.md"))
    assert rule["properties"] == {"tags": ["juniper", "api", "hard"], "precision": "high"}
    assert list(run_["results"][0]["partialFingerprints"]) == ["lintra/v2"]


def test_reserved_rules_link_their_page_not_a_missing_readme_anchor(lint):
    log = sarif.to_dict(lint("heat_template_version: 2018-08-31\nresources: [\n"), {})
    shared_validate(log)
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "LT000" and rule["helpUri"].endswith("/docs/rules/LT000.md")
    assert rule["properties"]["precision"] == "very-high"


def test_standard_input_is_a_named_artifact(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "--isolated", "-f", "sarif", "-"],
                          input=CONTRAIL, capture_output=True, text=True, cwd=str(tmp_path))
    log = json.loads(proc.stdout)
    shared_validate(log)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "stdin" and "standard input" in artifact["description"]["text"]


def test_baselined_and_suppressed_findings_carry_their_suppression_kind(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "net.yaml").write_text(CONTRAIL + "  m:\n    type: OS::ContrailV2::VirtualNetwork"
                                                  "  # lintra: ignore[LH101] migration OPS-7\n")
    from click.testing import CliRunner
    from lintra.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["baseline", "create", "--isolated", str(tmp_path)]).exit_code == 0
    args = ["check", "--isolated", "--baseline", str(tmp_path / ".lintra-baseline.yaml"), "-f", "sarif",
            str(tmp_path)]
    assert json.loads(runner.invoke(main, args).stdout)["runs"][0]["results"] == []
    log = json.loads(runner.invoke(main, args + ["--sarif-include-suppressed"]).stdout)
    shared_validate(log)
    kinds = [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["suppressions"])
             for r in log["runs"][0]["results"]]
    assert kinds == [(4, [{"kind": "external", "justification": "accepted by the lintra baseline"}]),
                     (6, [{"kind": "inSource", "justification": "migration OPS-7"}])]


def test_a_spreadsheet_cell_is_the_region_message_not_a_snippet(tmp_path):
    # SARIF 2.1.0 3.30.13: a snippet is the artifact's content in the region; the cell reference is
    # no such text (the cell holds "running"), it describes the region (3.30.14 message)
    from lintra.pipeline import run
    from lintra.report import sarif

    (tmp_path / "RVTools_tabvInfo.csv").write_text("vInfoVMName,vInfoFTState\nvm1,running\n")
    log = sarif.to_dict(run([str(tmp_path)]), {"root": str(tmp_path)})
    [region] = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    # the region is the characters of "running" on line 2, after "vm1,"
    assert region == {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 5 + len("running"),
                      "message": {"text": "vInfo!B2"}}
