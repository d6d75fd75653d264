"""Baselines: adopt lintra on an old repository, then fail only on new coupling."""

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.filter.baseline import read

NEW_COUPLING = "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: new}\nprovisioner: ebs.csi.aws.com\n"


def lintra(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def old_repo(corpus, tmp_path):
    """A writable copy of ../shared/corpus with a baseline created on it."""
    root = tmp_path / "repo"
    shutil.copytree(corpus, root)
    (root / ".git").mkdir()
    created = lintra("baseline", "create", str(root))
    assert created.exit_code == 0 and "wrote" in created.output
    return root


def check_json(root, *args):
    result = lintra("check", str(root), "-f", "json", *args)
    return result.exit_code, json.loads(result.output)


def test_corpus_baseline_survives_moved_lines_and_catches_exactly_the_new_coupling(old_repo):
    baseline = read(str(old_repo / ".lintra-baseline.yaml"))
    assert len(baseline.entries) > 100
    code, data = check_json(old_repo)
    assert (code, data["findings"], data["summary"]["baselined"]) == (0, [], len(baseline.entries))

    yaml_file = next(e["file"] for e in baseline.entries if e["file"].endswith(".yaml"))
    path = old_repo / yaml_file
    path.write_text("\n" * 10 + path.read_text())
    assert check_json(old_repo)[0] == 0

    with open(path, "a") as handle:
        handle.write(NEW_COUPLING)
    code, data = check_json(old_repo)
    assert code == 1
    assert [(f["rule_id"], os.path.relpath(f["file"], old_repo), f["pointer"]) for f in data["findings"]] == [
        ("LK201", yaml_file, "/provisioner")]


def test_prune_drops_entries_that_no_longer_occur_and_output_is_stable(old_repo):
    target = old_repo / ".lintra-baseline.yaml"
    before = target.read_bytes()
    assert lintra("baseline", "create", str(old_repo)).exit_code == 0
    assert target.read_bytes() == before  # sorted, reproducible: reviewable as a diff
    gone = next(e for e in read(str(target)).entries if e["rule"] == "LK201")
    os.remove(old_repo / gone["file"])
    result = lintra("baseline", "prune", str(old_repo))
    assert result.exit_code == 0
    after = read(str(target)).entries
    assert gone not in after and len(after) == len(read_entries(before)) - sum(
        1 for e in read_entries(before) if e["file"] == gone["file"])


def read_entries(text: bytes):
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".yaml", delete=False) as handle:
        handle.write(text)
    try:
        return read(handle.name).entries
    finally:
        os.remove(handle.name)


def test_explicit_and_missing_and_broken_baselines(tmp_path):
    (tmp_path / "sc.yaml").write_text(NEW_COUPLING)
    accepted = tmp_path / "accepted.yaml"
    assert lintra("baseline", "create", str(tmp_path), "-o", str(accepted)).exit_code == 0
    assert lintra("check", str(tmp_path), "--baseline", str(accepted)).exit_code == 0
    assert lintra("check", str(tmp_path), "--baseline", str(accepted), "--no-baseline").exit_code == 1
    missing = lintra("check", str(tmp_path), "--baseline", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "lintra baseline create" in missing.output
    accepted.write_text("version: 1\nfiles:\n  sc.yaml:\n  - {rule: LK201}\n")
    broken = lintra("check", str(tmp_path), "--baseline", str(accepted))
    assert broken.exit_code == 2 and "accepted.yaml:4:5: baseline entry needs 'rule' and 'fingerprint'" in broken.output


def test_a_second_identical_coupling_is_not_hidden_by_the_first_ones_entry(tmp_path):
    (tmp_path / "a.yaml").write_text(NEW_COUPLING)
    lintra("baseline", "create", str(tmp_path))
    (tmp_path / "a.yaml").write_text(NEW_COUPLING + NEW_COUPLING)
    assert lintra("check", str(tmp_path)).exit_code == 1


def test_create_and_prune_on_a_subtree_keep_the_rest_of_the_repository(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "sc.yaml").write_text(NEW_COUPLING)
    (tmp_path / ".git").mkdir()
    assert lintra("baseline", "create", str(tmp_path)).exit_code == 0
    target = str(tmp_path / ".lintra-baseline.yaml")
    assert {e["file"] for e in read(target).entries} == {"a/sc.yaml", "b/sc.yaml"}
    (tmp_path / "a" / "sc.yaml").write_text("kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n")
    assert "kept 1 of 2" in lintra("baseline", "prune", str(tmp_path / "a"), "--baseline", target).output
    assert "kept 1 of 1" in lintra("baseline", "prune", str(tmp_path / "b"), "--baseline", target).output
    created = lintra("baseline", "create", str(tmp_path / "a"), "-o", target)
    assert "kept 1 entries for files not scanned" in created.output
    assert {e["file"] for e in read(target).entries} == {"b/sc.yaml"}


def test_baseline_made_with_a_heat_env_matches_the_check_that_uses_it(tmp_path):
    (tmp_path / "env.yaml").write_text("parameter_defaults:\n  NeutronCorePlugin: vmware_nsx.plugin.NsxV3Plugin\n")
    (tmp_path / "t.yaml").write_text("heat_template_version: 2018-08-31\nresources: {}\n")
    target = str(tmp_path / "b.yaml")
    assert lintra("baseline", "create", str(tmp_path / "t.yaml"), "-e", str(tmp_path / "env.yaml"), "-o", target).exit_code == 0
    assert read(target).entries
    assert lintra("check", str(tmp_path / "t.yaml"), "-e", str(tmp_path / "env.yaml"), "--baseline", target).exit_code == 0


def test_unwritable_baseline_target_is_a_clean_error(tmp_path):
    (tmp_path / "sc.yaml").write_text(NEW_COUPLING)
    result = lintra("baseline", "create", str(tmp_path), "-o", str(tmp_path / "missing" / "b.yaml"))
    assert result.exit_code == 2 and "cannot write baseline" in result.output


def test_named_objects_keep_matching_when_a_document_is_inserted_above(tmp_path):
    (tmp_path / "a.yaml").write_text(NEW_COUPLING)
    lintra("baseline", "create", str(tmp_path))
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n" + NEW_COUPLING)
    assert lintra("check", str(tmp_path)).exit_code == 0


def test_prune_and_create_with_some_rules_keep_the_entries_of_the_others(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pv.yaml").write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\n"
                                      "spec:\n  vsphereVolume: {volumePath: a}\n")
    (tmp_path / "sc.yaml").write_text(NEW_COUPLING)
    (tmp_path / "broken.yaml").write_text("kind: [unclosed\n")
    lintra("baseline", "create", str(tmp_path))
    target = str(tmp_path / ".lintra-baseline.yaml")
    assert sorted(e["rule"] for e in read(target).entries) == ["LK101", "LK201"]  # never LT000
    assert "kept 2 of 2" in lintra("baseline", "prune", "--select", "LK101", str(tmp_path)).output
    lintra("baseline", "create", "--select", "LK101", "--baseline", target, str(tmp_path))
    assert sorted(e["rule"] for e in read(target).entries) == ["LK101", "LK201"]
