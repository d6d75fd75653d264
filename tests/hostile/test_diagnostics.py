"""lintra's own diagnostics on standard error (exit 2) about hostile configuration and baseline
files: each names the file, line and the real reason, and carries nothing from the file raw.

GitHub Actions reads workflow commands (``::error::``) on a step's standard error as on its
standard output, and a terminal obeys escape sequences on either stream: a key or value quoted in
a message is written as :func:`lintra.escape.terminal` makes it ("\\n", "\\x1b").
"""

import os
import sys

import pytest

from tests.hostile.harness import coupled_repo, lintra



@pytest.fixture
def repo(tmp_path):
    return coupled_repo(tmp_path)


def test_an_unknown_configuration_key_with_controls_stays_on_its_line(repo):
    # YAML double-quoted escapes: \e is ESC, \a BEL, \x9b the one-byte CSI
    (repo / ".lintra.yaml").write_text('"\\e]0;owned\\aselcet\\n::error file=s.yaml::forged\\x9b": 1\n')
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2 and run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("Error: invalid configuration: ") and line.endswith(
        ".lintra.yaml:1:1: \\x1b]0;owned\\x07selcet\\n::error file=s.yaml::forged\\x9b: unknown key; expected one of: "
        "baseline, exclude, fail_on, hide_sanctioned, ignore, limits, local_plugins, packs, per_path, plugins, "
        "profile, profiles, rules, sanctioned_vendors, select, severity")


def test_a_nested_unknown_key_with_a_newline(repo):
    (repo / ".lintra.yaml").write_text('limits: {"max_depth\\n::warning::x": 5}\n')
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2
    [line] = run.stderr.splitlines()
    assert ".lintra.yaml:1:10: limits.max_depth\\n::warning::x: unknown key; expected one of: " in line


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and /dev/zero")
@pytest.mark.parametrize("make, name, reason", [
    (lambda repo: os.mkfifo(repo / "b.yaml"), "b.yaml", "a FIFO (named pipe), not a regular file: not read"),
    (lambda repo: None, "/dev/zero", "a character device, not a regular file: not read"),
])
def test_a_baseline_flag_naming_a_special_file_says_what_it_is(repo, make, name, reason):
    """It exists: "does not exist; create it with: lintra baseline create --output /dev/zero" was wrong."""
    make(repo)
    run = lintra(["check", "--baseline", name, "--", "s.yaml"], str(repo), timeout=30)
    assert run.code == 2
    assert run.stderr == f"Error: invalid baseline: {name}: cannot read baseline: {reason}\n"


@pytest.mark.parametrize("version", ["true", "2.0", "'2'"])
def test_a_baseline_version_must_be_the_integer_lintra_writes(repo, version):
    """``version: true`` passed as version 1 (True == 1 in Python) and ``2.0`` as 2."""
    (repo / "b.yaml").write_text(f"version: {version}\nfiles: {{}}\n")
    run = lintra(["check", "--baseline", "b.yaml", "--", "s.yaml"], str(repo))
    assert run.code == 2
    assert run.stderr == "Error: invalid baseline: b.yaml:1:1: not a lintra baseline (version 2, files: {FILE: [entries]})\n"


def test_a_missing_baseline_still_says_how_to_create_it(repo):
    run = lintra(["check", "--baseline", "nope.yaml", "--", "s.yaml"], str(repo))
    assert run.code == 2
    assert run.stderr == "Error: baseline nope.yaml does not exist; create it with: lintra baseline create --output nope.yaml\n"


CHART = {"c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n", "c/values.yaml": "prov: example.org/open\n",
         "c/templates/sc.yaml": "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: s\n"
                                "provisioner: {{ .Values.prov }}\n"}
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)) + "prov: *i\n"


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and /dev/zero")
@pytest.mark.parametrize("name, content, error", [
    ("v.yaml", "prov: [ebs.csi.aws.com\n", "v.yaml:2:1: values do not parse: while parsing a flow sequence "
                                          "did not find expected ',' or ']'"),
    ("v.yaml", "- prov\n", "v.yaml: values are a list, not a mapping"),
    ("v.yaml", b"prov: \xff\n", "v.yaml: not valid UTF-8 text (byte 0xff at offset 6)"),
    ("v.yaml", BOMB, "v.yaml:5:4: values do not parse: aliases expand to more than 1000000 nodes (alias bomb?)"),
    ("v.yaml", None, "v.yaml: a FIFO (named pipe), not a regular file: not read"),
    ("/dev/zero", None, "/dev/zero: a character device, not a regular file: not read"),
])
def test_a_helm_values_file_that_cannot_be_applied_is_a_usage_error(tmp_path, name, content, error):
    """``helm template -f FILE`` fails on such a file; lintra rendered every chart without it, as a
    note on Chart.yaml, and passed (exit 0) a run whose values the user had named."""
    for path, text in CHART.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    if isinstance(content, bytes):
        (tmp_path / name).write_bytes(content)
    elif content is not None:
        (tmp_path / name).write_text(content)
    elif not name.startswith("/"):
        os.mkfifo(tmp_path / name)
    run = lintra(["check", "--helm-values", name, "--", "c"], str(tmp_path), timeout=30)
    assert run.code == 2 and run.stdout == ""
    assert run.stderr == f"Error: --helm-values {error}\n"


def test_a_good_or_empty_helm_values_file_still_applies(tmp_path):
    for path, text in CHART.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "empty.yaml").write_text("# nothing yet\n")
    (tmp_path / "prod.yaml").write_text("prov: ebs.csi.aws.com\n")
    run = lintra(["check", "--format", "json", "--helm-values", "empty.yaml", "--helm-values", "prod.yaml", "--", "c"],
                 str(tmp_path))
    assert run.code == 1
    assert [(f["rule_id"], f["file"], f["line"]) for f in run.json()["findings"]] == [("LK201", "prod.yaml", 1)]
