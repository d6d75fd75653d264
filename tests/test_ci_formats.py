"""junit, github and gitlab formats read back with real parsers; --format/--output pairing."""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.report import github

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")


def lintra(*args, env=None, cwd=EXAMPLES):
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}  # CI may set it
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "lintra", "check", *args], cwd=cwd,
                          capture_output=True, text=True, env=environ)


def test_junit_suite_per_family_case_per_file_and_rule_and_per_scanned_file():
    proc = lintra("heat", "k8s", "-f", "junit")
    assert proc.returncode == 1, proc.stderr
    root = ET.fromstring(proc.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"heat", "k8s"}
    heat_cases = suites["heat"].findall("testcase")
    assert len(heat_cases) == int(suites["heat"].get("tests")) == 3
    names = [case.get("name") for case in heat_cases]
    # no line:col in names: test history must survive moved lines; GitLab links `file` from the root
    assert names == ["LH110 examples/heat/web-stack.yaml", "LH101 examples/heat/web-stack.yaml",
                     "examples/heat/web-stack.yaml"]
    assert {case.get("file") for case in heat_cases} == {"examples/heat/web-stack.yaml"}
    [lh101] = [case for case in heat_cases if case.get("name").startswith("LH101")]
    assert lh101.find("failure") is not None
    assert "examples/heat/web-stack.yaml:25:" in lh101.find("failure").text  # each place in the text
    assert {case.get("classname").split(".")[-1] for case in suites["k8s"]} == {"LK101", "LK102", "LK104", "LK110",
                                                                               "files"}
    # LK104 is a warning: under fail_on error it does not fail the run, so it is no <failure>
    assert root.get("tests") == "9" and root.get("failures") == "5"
    [lk104] = [case for case in suites["k8s"] if case.get("classname").endswith("LK104")]
    assert lk104.find("failure") is None and "warning LK104" in lk104.find("system-out").text
    scanned = [case for case in root.iter("testcase") if case.get("classname").endswith(".files")]
    assert [case.get("name") for case in scanned] == ["examples/heat/web-stack.yaml",
                                                      "examples/k8s/legacy-app.json", "examples/k8s/storage.yaml"]
    assert all(len(case) == 1 and case[0].tag == "system-out" for case in scanned)


def test_junit_names_stay_when_lines_move_and_a_clean_run_is_a_green_suite(tmp_path):
    (tmp_path / ".git").mkdir()
    coupled = tmp_path / "sc.yaml"
    coupled.write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                       "provisioner: csi.vsphere.vmware.com\n")
    names = [c.get("name") for c in ET.fromstring(lintra("-f", "junit", ".", cwd=tmp_path).stdout).iter("testcase")]
    coupled.write_text("\n\n\n" + coupled.read_text())
    moved = [c.get("name") for c in ET.fromstring(lintra("-f", "junit", ".", cwd=tmp_path).stdout).iter("testcase")]
    assert names == moved and "LK102 sc.yaml" in names
    coupled.write_text(coupled.read_text().replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com"))
    clean = ET.fromstring(lintra("-f", "junit", ".", cwd=tmp_path).stdout)
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    assert [c.get("name") for c in clean.iter("testcase")] == ["sc.yaml"]


CONTRAIL = "heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n"


@pytest.mark.parametrize("judgement, fails", [
    ({}, True),
    ({"severity": {"LH101": "warning"}}, False),
    ({"severity": {"LH101": "warning"}, "fail_on": "warning"}, True),
    ({"sanctioned": ["juniper"]}, False),
    ({"sanctioned": ["juniper"], "fail_on": "info"}, False),  # accepted coupling never fails
])
def test_junit_fails_only_what_fails_the_run(lint, judgement, fails):
    """GitLab and Jenkins count a <failure> as a failed test: one on a run that exits 0 would
    show a red report on a green pipeline."""
    from lintra.report import junit
    result = lint(CONTRAIL, **judgement)
    assert (result.exit_code == 1) is fails
    root = junit.to_element(result)
    case = root.find("testsuite/testcase")
    assert (case.find("failure") is not None) is fails
    assert root.get("failures") == root.find("testsuite").get("failures") == ("1" if fails else "0")
    if not fails:  # still in the report: a passing case that says what was found
        out = case.find("system-out").text
        assert "LH101" in out and result.findings[0].message in out
        assert ("sanctioned" in out) is bool(judgement.get("sanctioned"))


def test_junit_marks_suppressed_as_skipped(lint):
    from lintra.report import junit
    result = lint("heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n")
    result.findings[0].suppressed, result.findings[0].suppression = True, "accepted until Q3"
    case = junit.to_element(result).find("testsuite/testcase")
    assert case.find("skipped").get("message") == "accepted until Q3" and case.find("failure") is None


def test_junit_failures_follow_the_threshold_of_each_file(lint, tmp_path):
    """A per-path profile's fail_on decides for its files, for the exit code and so for JUnit."""
    from lintra.filter import Judgement
    from lintra.report import junit
    strict = Judgement(severity={"LH101": "warning"}, fail_on="warning")
    result = lint(CONTRAIL, severity={"LH101": "warning"}, per_path=[(["t.yaml"], strict)], root=str(tmp_path))
    assert result.judgement.fail_on.name == "error" and result.exit_code == 1
    assert junit.to_element(result).get("failures") == "1"


def test_github_commands_parse_back():
    proc = lintra("heat", "-f", "github")
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    parsed = []
    for line in lines:
        head, _, message = line[2:].partition("::")
        level, _, props = head.partition(" ")
        fields = dict(item.split("=", 1) for item in props.split(","))
        parsed.append((level, fields["file"], int(fields["line"]), int(fields["col"]), fields["title"]))
        assert "endLine" in fields and "endColumn" in fields and message
    assert any(p[:4] == ("error", "examples/heat/web-stack.yaml", 20, 9) and p[4].startswith("LH110 ") for p in parsed)
    assert len(parsed) == 3


def test_github_escaping():
    assert github.escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_is_default_on_actions_only():
    assert lintra("heat", env={"GITHUB_ACTIONS": "true"}).stdout.startswith("::error file=examples/heat/web-stack.yaml")
    assert lintra("heat").stdout.startswith("heat/web-stack.yaml:20:9: error LH110")


def test_gitlab_code_quality():
    proc = lintra("heat", "k8s", "-f", "gitlab")
    issues = json.loads(proc.stdout)
    assert len(issues) == 7 and len({i["fingerprint"] for i in issues}) == 7
    first = next(i for i in issues if i["check_name"] == "LH101")
    assert first["location"] == {"path": "examples/heat/web-stack.yaml", "lines": {"begin": 25, "end": 25}}
    assert first["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert first["description"].startswith("LH101 ")


@pytest.fixture
def repo(tmp_path):
    """A repository (its root marked by .git) holding examples/heat as heat/, and a file outside it."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    shutil.copytree(os.path.join(EXAMPLES, "heat"), tmp_path / "repo" / "heat")
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(os.path.join(EXAMPLES, "heat", "web-stack.yaml"), tmp_path / "elsewhere" / "other.yaml")
    return tmp_path / "repo"


def test_ci_paths_are_relative_to_the_repository_root(repo):
    """GitLab and GitHub resolve paths from the repository root: a run from a subdirectory, or on
    an absolute path, must not name files relative to where it ran."""
    gitlab = json.loads(lintra("-f", "gitlab", ".", cwd=repo / "heat").stdout)
    assert {issue["location"]["path"] for issue in gitlab} == {"heat/web-stack.yaml"}
    annotations = lintra("-f", "github", str(repo / "heat"), cwd=repo.parent).stdout
    assert annotations.startswith("::error file=heat/web-stack.yaml,line=20,col=9")
    assert str(repo) not in annotations
    cases = ET.fromstring(lintra("-f", "junit", ".", cwd=repo / "heat").stdout).iter("testcase")
    assert {case.get("file") for case in cases} == {"heat/web-stack.yaml"}
    log = json.loads(lintra("-f", "sarif", ".", cwd=repo / "heat").stdout)
    [run_] = log["runs"]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]} == {
        "heat/web-stack.yaml"}
    # the text format is for the person at the terminal: paths as they typed them
    assert lintra(".", cwd=repo / "heat").stdout.startswith("web-stack.yaml:20:9: error LH110")


def test_files_outside_the_root_keep_their_path(repo):
    other = str(repo.parent / "elsewhere" / "other.yaml")
    gitlab = json.loads(lintra("-f", "gitlab", "heat", other, cwd=repo).stdout)
    assert {issue["location"]["path"] for issue in gitlab} == {"heat/web-stack.yaml", other}
    assert lintra("-f", "github", other, "heat", cwd=repo).stdout.count(f"file={other.replace(':', '%3A')},") == 3


def test_without_a_root_paths_stay_as_given(lint):
    from lintra.report import gitlab, paths
    result = lint(CONTRAIL)
    assert gitlab.to_list(result)[0]["location"]["path"] == result.findings[0].file
    assert github.command(result.findings[0]).startswith(f"::error file={result.findings[0].file},")
    assert paths.ci_path("-", "/") == "-"


def test_format_output_pairs(tmp_path):
    sarif_file, junit_file = tmp_path / "l.sarif", tmp_path / "l.xml"
    proc = lintra("heat", "--format", "sarif", "--output", str(sarif_file), "--format", "junit",
                  "--output", str(junit_file), "--format", "text")
    assert proc.returncode == 1
    assert proc.stdout.startswith("heat/web-stack.yaml:20:9: error LH110")
    assert json.loads(sarif_file.read_text())["runs"][0]["results"][0]["ruleId"] == "LH110"
    assert ET.parse(junit_file).getroot().find("testsuite").get("name") == "heat"


@pytest.mark.parametrize("args, message", [
    (["-f", "text", "-f", "json"], "only one --format may write to standard output"),
    (["-f", "sarif", "-o", "a", "-o", "b"], "2 --output for 1 --format"),
    (["-f", "nope"], "unknown format 'nope'"),
])
def test_ambiguous_pairs_exit_2(args, message):
    result = CliRunner().invoke(main, ["check", EXAMPLES, *args])
    assert result.exit_code == 2 and message in result.output


def test_force_exclude_applies_to_named_files():
    base = ["heat/web-stack.yaml", "--exclude", "heat/*", "-f", "json"]
    assert json.loads(lintra(*base).stdout)["summary"]["files"]["total"] == 1
    assert json.loads(lintra(*base, "--force-exclude").stdout)["summary"]["files"]["total"] == 0


def test_gitlab_and_github_link_the_rule_page():
    issues = json.loads(lintra("heat", "-f", "gitlab").stdout)
    lh101 = next(i for i in issues if i["check_name"] == "LH101")
    assert lh101["content"]["body"].startswith(
        "[LH101 heat-contrail-resource-type](https://github.com/lintra/lintra/blob/main/docs/rules/LH101.md): ")
    line = next(x for x in lintra("heat", "-f", "github").stdout.splitlines() if "title=LH101" in x)
    assert line.endswith("%0ALH101 documentation: https://github.com/lintra/lintra/blob/main/docs/rules/LH101.md")


def test_every_format_names_the_sheet_of_a_spreadsheet_finding(tmp_path):
    # two findings of one RVTools CSV pair of tabs can share line and column; only the cell
    # reference (span.region) says which sheet a user must open
    (tmp_path / "RVTools_tabvInfo.csv").write_text("vInfoVMName,vInfoFTState\nvm1,running\n")
    (tmp_path / "RVTools_tabvNetwork.csv").write_text("vNetworkVMName,vNetworkAdapter\nvm1,Vmxnet3\n")
    text = lintra(".", "-q", cwd=tmp_path).stdout.splitlines()
    # both values start at the fifth character of line 2 ("vm1," before them)
    assert text == ["RVTools_tabvInfo.csv:2:5: error LV104 Fault Tolerance is configured (running) (vInfo!B2)",
                    "RVTools_tabvNetwork.csv:2:5: warning LV111 network adapter is VMware paravirtual vmxnet3"
                    " (vNetwork!B2)"]
    annotations = lintra(".", "-f", "github", cwd=tmp_path).stdout.splitlines()
    assert annotations[0].split("::", 2)[2].startswith("Fault Tolerance is configured (running) (vInfo!B2)%0A")
    issues = json.loads(lintra(".", "-f", "gitlab", cwd=tmp_path).stdout)
    assert [i["description"] for i in issues] == [
        "LV104 Fault Tolerance is configured (running) (vInfo!B2)",
        "LV111 network adapter is VMware paravirtual vmxnet3 (vNetwork!B2)"]
    junit = ET.fromstring(lintra(".", "-f", "junit", cwd=tmp_path).stdout)
    [failure] = junit.iter("failure")
    assert failure.text.startswith("RVTools_tabvInfo.csv:2:5 (vInfo!B2): error LV104")


def test_the_sheet_cell_suffix_is_written_once_for_every_format():
    # text, github, gitlab and junit each rebuilt " (region)" themselves; one helper says it now,
    # so a change to how a cell is named reaches every format
    import inspect

    from lintra.model import Span
    from lintra.report import cell, github as github_format, gitlab, junit, text

    assert cell(Span(2, 2, 2, 9, region="vInfo!B2")) == " (vInfo!B2)"
    assert cell(Span(2, 2)) == ""
    for module in (text, github_format, gitlab, junit):
        source = inspect.getsource(module)
        assert ".region" not in source and "cell(" in source, module.__name__


def test_junit_reports_a_file_lintra_could_not_read_as_an_error_not_a_failure(tmp_path):
    """JUnit tells a test that failed (``<failure>``) from one that could not run (``<error>``),
    and GitLab and Jenkins show the two apart: a file lintra cannot read was not judged (the run
    exits 2), so its case is an error; a syntax error is a verdict on the file (exit 1), a
    failure like a coupling finding."""
    (tmp_path / "latin1.yaml").write_bytes(b"kind: caf\xe9\n")  # not UTF-8
    (tmp_path / "broken.yaml").write_text("heat_template_version: 2018-08-31\nresources: [\n")
    (tmp_path / "net.yaml").write_text(CONTRAIL)
    proc = lintra("-f", "junit", ".", cwd=tmp_path)
    assert proc.returncode == 2
    root = ET.fromstring(proc.stdout)
    cases = {case.get("name"): case for case in root.iter("testcase")}
    unread = cases["LT001 latin1.yaml"]
    assert unread.find("failure") is None and unread.find("error").get("type") == "LT001"
    assert unread.find("error").text.startswith("latin1.yaml:1:10: error LT001 ")
    assert cases["LT000 broken.yaml"].find("failure") is not None and cases["LT000 broken.yaml"].find("error") is None
    assert cases["LH101 net.yaml"].find("failure") is not None and cases["LH101 net.yaml"].find("error") is None
    assert (root.get("errors"), root.get("failures")) == ("1", "2")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert (suites["lintra"].get("errors"), suites["lintra"].get("failures")) == ("1", "1")
    assert (suites["heat"].get("errors"), suites["heat"].get("failures")) == ("0", "1")
