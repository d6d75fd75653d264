"""Class 9: limits are a contract a scan may tighten but a scanned repository may not loosen.
A repository's configuration may only lower a limit; raising one needs ``--limit`` or the
user-level configuration; every source stays within 1 .. 16 x the default; the effective limits
reach the loaders, in ``--jobs`` workers too."""

import json
import os

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.load import limits

#: its deepest value (line 8, column 9) sits past a max_depth of 3
NESTED = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a:\n      b:\n        c: 1\n"
#: 300 levels of nesting: past the default max_depth of 256
DEEP = "apiVersion: v1\nkind: ConfigMap\nspec:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)) + "  " * 300 + "v: 1\n"


def check(tree, *args):
    result = CliRunner().invoke(main, ["check", "--format", "json", *args, str(tree)])
    return result, (json.loads(result.stdout) if result.exit_code in (0, 1) else None)


def lt002(report):
    return [(f["file"], f["line"], f["message"]) for f in report["findings"] if f["rule_id"] == "LT002"]


def repo(tmp_path, config=None, files=None):
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / ".git").mkdir()
    for name, text in (files or {"deep.yaml": NESTED}).items():
        (tree / name).write_text(text)
    if config is not None:
        (tree / ".lintra.yaml").write_text(config)
    return tree


def test_lowering_a_limit_in_the_repository_config_takes_effect(tmp_path):
    tree = repo(tmp_path, "limits:\n  max_depth: 3\n")
    result, report = check(tree)
    assert result.exit_code == 1, result.output
    (entry,) = [f for f in report["files"] if f["file"].endswith("deep.yaml")]
    assert entry["status"] == "error" and entry["reason"] == "nesting deeper than 3 levels"
    assert [(os.path.basename(p), line, m) for p, line, m in lt002(report)] == [
        ("deep.yaml", 8, "nesting deeper than 3 levels")]


def test_without_configuration_the_default_holds(tmp_path):
    result, report = check(repo(tmp_path))
    assert result.exit_code == 0, result.output
    assert lt002(report) == []


def test_lowered_byte_limit_names_its_value_in_bytes(tmp_path):
    tree = repo(tmp_path, "limits:\n  max_file_bytes: 60\n", {"big.yaml": NESTED})
    result, report = check(tree)
    assert [(os.path.basename(p), line, m) for p, line, m in lt002(report)] == [
        ("big.yaml", 1, "larger than 60 bytes")]


def test_raising_a_limit_in_the_repository_config_exits_2_at_its_line(tmp_path):
    tree = repo(tmp_path, "profile: balanced\nlimits:\n  max_depth: 300\n")
    result, _ = check(tree)
    assert result.exit_code == 2
    config = str(tree / ".lintra.yaml")
    assert f"{config}:3:" in result.output
    assert "limits.max_depth: 300 is above the default 256" in result.output
    assert "--limit" in result.output and "user-level configuration" in result.output


def test_raising_a_limit_on_the_command_line_works(tmp_path):
    tree = repo(tmp_path, None, {"deep.yaml": DEEP})
    result, report = check(tree)
    assert [m for _, _, m in lt002(report)] == ["nesting deeper than 256 levels"]
    result, report = check(tree, "--limit", "max_depth=400")
    assert result.exit_code == 0, result.output
    assert lt002(report) == []


def test_the_command_line_overrides_a_repository_lowering(tmp_path):
    tree = repo(tmp_path, "limits:\n  max_depth: 3\n")
    result, report = check(tree, "--limit", "max_depth=10")
    assert result.exit_code == 0 and lt002(report) == []


def test_the_user_level_config_may_raise(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    (xdg / "lintra").mkdir(parents=True)
    (xdg / "lintra" / "config.yaml").write_text("limits:\n  max_depth: 400\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    result, report = check(repo(tmp_path, None, {"deep.yaml": DEEP}))
    assert result.exit_code == 0 and lt002(report) == []


@pytest.mark.parametrize("flag, message", [
    ("max_depth=0", "limit max_depth must be between 1 and 4096 (16 x the default 256), not 0"),
    ("max_depth=-5", "limit max_depth must be between 1 and 4096 (16 x the default 256), not -5"),
    ("max_depth=4097", "limit max_depth must be between 1 and 4096 (16 x the default 256), not 4097"),
    ("max_deep=3", "unknown limit 'max_deep'"),
    ("max_depth=lots", "--limit max_depth=lots: expected NAME=INTEGER"),
])
def test_command_line_bounds_are_enforced(tmp_path, flag, message):
    result, _ = check(repo(tmp_path), "--limit", flag)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("config, line, message", [
    ("limits:\n  max_depth: 0\n", 2, "limits.max_depth: 0 is less than the minimum of 1"),
    ("limits:\n  max_deep: 3\n", 2, "limits.max_deep: unknown key"),
    ("limits:\n  max_depth: three\n", 2, "limits.max_depth: 'three' is not of type 'integer'"),
])
def test_config_file_names_and_types_are_validated(tmp_path, config, line, message):
    tree = repo(tmp_path, config)
    result, _ = check(tree)
    assert result.exit_code == 2
    assert f"{tree / '.lintra.yaml'}:{line}:" in result.output and message in result.output


def test_user_level_config_cannot_pass_the_ceiling(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    (xdg / "lintra").mkdir(parents=True)
    (xdg / "lintra" / "config.yaml").write_text("limits:\n  max_depth: 5000\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    result, _ = check(repo(tmp_path))
    assert result.exit_code == 2 and "limits.max_depth: 5000 is greater than the maximum of 4096" in result.output


def test_config_show_lists_every_limit_with_its_origin(tmp_path):
    tree = repo(tmp_path, "limits:\n  max_depth: 3\n")
    result = CliRunner().invoke(main, ["config", "--format", "json", str(tree)])
    assert result.exit_code == 0, result.output
    rows = {row["key"]: row for row in json.loads(result.stdout)["settings"] if row["key"].startswith("limits.")}
    assert set(rows) == {f"limits.{name}" for name in limits.DEFAULTS}
    assert rows["limits.max_depth"]["value"] == 3
    assert rows["limits.max_depth"]["origin"].startswith(f"{tree / '.lintra.yaml'}:2:")
    assert rows["limits.max_rows"] == {"key": "limits.max_rows", "value": limits.MAX_ROWS, "origin": "default"}


def test_workers_see_the_limits(tmp_path):
    """More files than lintra.parallel.PARALLEL_FROM_FILES, so --jobs 2 forks workers."""
    from lintra import parallel

    if not parallel.can_fork():
        pytest.skip("this platform cannot fork workers")
    count = parallel.PARALLEL_FROM_FILES + 6
    tree = repo(tmp_path, "limits:\n  max_depth: 3\n", {f"f{i:03}.yaml": NESTED for i in range(count)})
    result, report = check(tree, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert sorted(os.path.basename(p) for p, _, _ in lt002(report)) == [f"f{i:03}.yaml" for i in range(count)]
    assert {m for _, _, m in lt002(report)} == {"nesting deeper than 3 levels"}


def test_a_run_leaves_the_defaults_in_place(tmp_path):
    check(repo(tmp_path, "limits:\n  max_depth: 3\n"))
    assert limits.MAX_DEPTH == limits.DEFAULTS["max_depth"] == 256


def test_schema_bounds_are_the_code_bounds():
    from lintra.config.files import schema

    properties = schema()["properties"]["limits"]["properties"]
    assert properties == {name: {"type": "integer", "minimum": 1, "maximum": limits.CEILING * default}
                          for name, default in limits.DEFAULTS.items()}
