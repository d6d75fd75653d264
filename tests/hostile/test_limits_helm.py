"""Class 9 for Helm, Heat references and pack regexes: their bounds are limits like the others
(lintra/load/limits.py), so a repository may lower them, ``--limit`` may raise them, and
``lintra config --show`` reports the values a check would use, ``--limit`` included."""

import io
import json
import os
import tarfile

from click.testing import CliRunner

from lintra.cli import main
from lintra.load import limits

CHART = "apiVersion: v2\nname: c\nversion: 1.0.0\n"
RANGE = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
         "{{- range until (int .Values.n) }}\n  k{{ . }}: v\n{{- end }}\n")


def run(*args):
    return CliRunner().invoke(main, list(args))


def chart_repo(tmp_path, config=None, templates=None, values="n: 1000\n"):
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    (tree / "chart" / "templates").mkdir(parents=True)
    (tree / "chart" / "Chart.yaml").write_text(CHART)
    (tree / "chart" / "values.yaml").write_text(values)
    for name, text in (templates or {"cm.yaml": RANGE}).items():
        (tree / "chart" / "templates" / name).write_text(text)
    if config is not None:
        (tree / ".lintra.yaml").write_text(config)
    return tree


def entries(tree, *args):
    result = run("check", "--format", "json", *args, "--", str(tree))
    assert result.exit_code in (0, 1), result.output
    return result, {os.path.relpath(f["file"], str(tree)) if os.path.isabs(f["file"]) else f["file"]: f
                    for f in json.loads(result.stdout)["files"]}


def shown(*args):
    result = run("config", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["key"]: (row["value"], row["origin"]) for row in json.loads(result.stdout)["settings"]}


def test_a_repository_lowers_the_template_step_bound(tmp_path):
    tree = chart_repo(tmp_path, "limits:\n  max_template_steps: 100\n")
    _, files = entries(tree)
    chart = next(f for name, f in files.items() if name.endswith("Chart.yaml"))
    assert [note.replace(str(tree) + "/", "") for note in chart["notes"]] == [
        "chart/templates/cm.yaml: rendering stopped: until 1000: longer than 100"]
    (tmp_path / "repo" / ".lintra.yaml").unlink()
    _, files = entries(tree)
    assert not next(f for name, f in files.items() if name.endswith("Chart.yaml")).get("notes")


def test_the_command_line_raises_a_helm_bound_a_repository_may_not(tmp_path):
    tree = chart_repo(tmp_path, "limits:\n  max_template_steps: 300000\n")
    result = run("check", "--format", "json", "--", str(tree))
    assert result.exit_code == 2
    assert "limits.max_template_steps: 300000 is above the default 200000" in result.output
    assert ".lintra.yaml:2" in result.output
    (tree / ".lintra.yaml").unlink()
    big = chart_repo(tmp_path / "big", values="n: 250000\n")
    _, files = entries(big)
    assert any("longer than 200000" in n for n in next(f for name, f in files.items()
                                                      if name.endswith("Chart.yaml"))["notes"])
    _, files = entries(big, "--limit", "max_template_steps=3000000", "--limit", "max_template_output=33554432",
                       "--limit", "max_document_nodes=1000000")
    assert not next(f for name, f in files.items() if name.endswith("Chart.yaml")).get("notes")


def test_a_lowered_chart_file_count_skips_the_rest_with_the_reason(tmp_path):
    tree = chart_repo(tmp_path, "limits:\n  max_chart_files: 3\n",
                      {"a.yaml": RANGE, "b.yaml": RANGE, "c.yaml": RANGE})
    _, files = entries(tree)
    skipped = {name: f["reason"] for name, f in files.items() if f["status"] == "skipped" and "chart/" in name}
    assert set(skipped.values()) == {"the chart has more than 3 files: not read"}
    assert len(skipped) == 2  # Chart.yaml, values.yaml and one template are read (5 files in all)


def _tgz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, (size, data) in members.items():
            info = tarfile.TarInfo(name)
            info.size = size
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_skipped_archive_members_count_toward_the_inflated_size(tmp_path):
    """A gzip bomb made of members too large to read: stepping over each still inflates it, so
    their declared sizes count, and the archive stops at MAX_CHART_ARCHIVE_BYTES, not after
    inflating gigabytes."""
    from lintra.load.helm import chart as reader

    zeros = b"\0" * (5 * 1024 * 1024)
    bomb = _tgz({"c/Chart.yaml": (len(CHART), CHART.encode()),
                 **{f"c/templates/big{i}.yaml": (len(zeros), zeros) for i in range(8)}})
    assert len(bomb) < 1024 * 1024
    try:
        reader.read_archive(bomb, "")
    except reader.ArchiveError as error:
        assert str(error) == "archive expands to more than 32 MiB"
    else:
        raise AssertionError("the archive was read")


def test_a_lowered_reference_cap_reports_lt002(tmp_path):
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    (tree / "lib").mkdir()
    (tree / ".lintra.yaml").write_text("limits:\n  max_referenced: 2\n")
    members = "".join(f"  m{n}:\n    type: lib/m{n}.yaml\n" for n in range(4))
    (tree / "parent.yaml").write_text("heat_template_version: 2018-08-31\nresources:\n" + members)
    for n in range(4):
        (tree / "lib" / f"m{n}.yaml").write_text("heat_template_version: 2018-08-31\nresources: {}\n")
    result = run("check", "--format", "json", "--", str(tree / "parent.yaml"))
    report = json.loads(result.stdout)
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "LT002"]
    assert finding["message"].startswith(f"nested template {tree / 'lib' / 'm2.yaml'} not read: a run reads at most 2 ")
    assert finding["line"] == 8  # the third member's type:
    assert {os.path.basename(f["file"]): f["status"] for f in report["files"]} == {
        "parent.yaml": "scanned", "m0.yaml": "scanned", "m1.yaml": "scanned", "m2.yaml": "skipped",
        "m3.yaml": "skipped"}


PACK = """pack: {name: mem, version: 1}
rules:
  - id: XP001
    name: big-regex
    title: t
    vendor: other
    category: storage
    strength: soft
    severity: error
    kinds: [k8s]
    rationale: r
    remediation: m
    match: {path: metadata.name, regex: "(abcdefghij){1,200}"}
    message: "named {value}"
"""


def test_the_regex_memory_budget_is_a_limit(tmp_path):
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    (tree / "pack.yaml").write_text(PACK)
    (tree / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: abcdefghij\n")
    fine = run("check", "--format", "json", "--pack", str(tree / "pack.yaml"), "--", str(tree / "cm.yaml"))
    assert fine.exit_code == 1, fine.output
    assert [f["rule_id"] for f in json.loads(fine.stdout)["findings"]] == ["XP001"]
    (tree / ".lintra.yaml").write_text("limits:\n  max_pattern_memory: 20000\n")
    tight = run("check", "--format", "json", "--pack", str(tree / "pack.yaml"), "--", str(tree / "cm.yaml"))
    assert tight.exit_code == 2, tight.output
    assert "pack.yaml:13" in tight.output and "cannot run in linear time" in tight.output


def test_config_show_takes_limit_and_names_each_source(tmp_path, monkeypatch):
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    (tree / ".lintra.yaml").write_text("limits:\n  max_depth: 64\n  max_chart_files: 10\n")
    monkeypatch.chdir(tree)
    rows = shown()
    assert rows["limits.max_depth"] == (64, f"{tree / '.lintra.yaml'}:2:3")
    assert rows["limits.max_chart_files"] == (10, f"{tree / '.lintra.yaml'}:3:3")
    assert rows["limits.max_template_steps"] == (200_000, "default")
    rows = shown("--limit", "max_depth=512", "--limit", "max_pattern_memory=16777216")
    assert rows["limits.max_depth"] == (512, "command line (--limit max_depth=)")
    assert rows["limits.max_pattern_memory"] == (16 * 1024 * 1024, "command line (--limit max_pattern_memory=)")
    assert rows["limits.max_chart_files"] == (10, f"{tree / '.lintra.yaml'}:3:3")
    assert set(rows) >= {f"limits.{name}" for name in limits.DEFAULTS}
    bad = run("config", "--limit", "max_depth=99999999")
    assert bad.exit_code == 2 and "between 1 and 4096" in bad.output
