"""The entries of the built-in packs and profiles that ship inside the package (lintra/shipped/):
up to date with the packs, read by a first run instead of compiling, and left alone once stale."""

import os
import shutil
import subprocess
import sys

import pytest

from lintra import cache
from lintra.filter import profiles
from lintra.policy import pack, shipped
from lintra.policy.pack import rules_from_pack
from lintra.resources import policies_dir

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STORAGE_CLASS = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: ebs.csi.aws.com\n"


def _metadata(rule):
    return {slot: getattr(rule, slot) for slot in type(rule).__slots__ if slot != "check"}


def test_the_shipped_entries_are_what_the_packs_and_profiles_make():
    problems = shipped.stale()
    assert not problems, "\n".join(problems)


def test_a_stale_or_missing_shipped_entry_is_reported_with_the_command_to_rewrite_it(tmp_path):
    copy = tmp_path / "shipped"
    shutil.copytree(cache.SHIPPED, copy)
    assert shipped.stale(str(copy)) == []
    rules = copy / f"{pack.CACHE_KIND}.json"
    rules.write_text(rules.read_text().replace('"LK101"', '"LK100"', 1))
    (copy / "profiles.json").unlink()
    problems = shipped.stale(str(copy))
    assert problems == [f"{rules} is stale: run `python -m lintra.policy.shipped` to write it again",
                        f"{copy / 'profiles.json'} is missing: run `python -m lintra.policy.shipped` to write it again"]
    assert len(shipped.write(str(copy))) == 2 and shipped.stale(str(copy)) == []
    assert shipped.write(str(copy)) == []


def test_the_shipped_entries_are_deterministic_and_one_item_a_line():
    first, second = shipped.forms(), shipped.forms()
    assert first == second
    text = first[pack.CACHE_KIND]
    rule_lines = [line for line in text.splitlines() if line.startswith('[{"')]
    assert len(rule_lines) == len(rules_from_pack(policies_dir(), validate=False))
    assert len(text.splitlines()[-1]) < 10_000  # no line is the whole file


def test_the_shipped_rules_are_the_compiled_ones_and_nothing_is_compiled_or_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    eager = rules_from_pack(policies_dir(), validate=False)

    def compiled(*args, **kwargs):
        raise AssertionError("a pack was compiled")
    monkeypatch.setattr(pack, "_compile_file", compiled)
    rules = rules_from_pack(policies_dir(), validate=False, trusted=True, shipped=True)
    assert [_metadata(r) for r in rules] == [_metadata(r) for r in eager]
    assert all(r.check.__qualname__.startswith("_deferred_rule") for r in rules)
    assert list(tmp_path.iterdir()) == []


def test_a_stale_shipped_entry_is_not_used(tmp_path, monkeypatch):
    """A developer edited the deriving code (or a pack) since the entry was made: the rules are
    compiled and cached in the user's cache, as without a shipped entry."""
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    eager = rules_from_pack(policies_dir(), validate=False)
    other = tmp_path / "selector.py"
    other.write_text("# another selector language\n")
    monkeypatch.setattr(pack, "_selector_file", lambda: str(other))
    calls = []
    original = pack._compile_file
    monkeypatch.setattr(pack, "_compile_file", lambda *args: calls.append(args[0]) or original(*args))
    rules = rules_from_pack(policies_dir(), validate=False, trusted=True, shipped=True)
    assert [_metadata(r) for r in rules] == [_metadata(r) for r in eager]
    assert len(calls) == len(pack.pack_files(policies_dir()))
    assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == [pack.CACHE_KIND]
    calls.clear()
    again = rules_from_pack(policies_dir(), validate=False, trusted=True, shipped=True)  # now from the cache
    assert calls == [] and [_metadata(r) for r in again] == [_metadata(r) for r in eager]


def test_a_shipped_entry_for_other_content_is_not_decoded(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "SHIPPED", str(tmp_path))
    (tmp_path / "kind.json").write_text(cache.shipped_text("k1", [1, [2]], 2))
    assert cache.shipped("kind", "k1") == [1, [2]]
    assert cache.shipped("kind", "k2") is None
    assert cache.shipped("other", "k1") is None
    (tmp_path / "kind.json").write_text('{"key":"k1","data":[1,')
    assert cache.shipped("kind", "k1") is None


def test_the_shipped_profiles_are_read_and_a_stale_entry_falls_back(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    expected = dict(zip([data["profile"] for data in profiles.parse_profiles(profiles.profile_files())],
                        profiles.parse_profiles(profiles.profile_files())))
    profiles.builtin_profiles.cache_clear()
    try:
        found = profiles.builtin_profiles()
        assert {name: data for name, (data, _) in found.items()} == expected
        assert not (tmp_path / "cache").exists()
        monkeypatch.setattr(cache, "SHIPPED", str(tmp_path / "nothing-shipped"))
        profiles.builtin_profiles.cache_clear()
        found = profiles.builtin_profiles()
        assert {name: data for name, (data, _) in found.items()} == expected
        assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == ["profiles"]
    finally:
        profiles.builtin_profiles.cache_clear()


def test_a_first_run_writes_nothing_to_the_cache_directory(tmp_path):
    """What a user's first `lintra check` pays: the shipped entries are read, none is made."""
    (tmp_path / "svc.yaml").write_text(STORAGE_CLASS)
    cache_dir = tmp_path / "cache"
    env = dict(os.environ, LINTRA_CACHE_DIR=str(cache_dir), XDG_CONFIG_HOME=str(tmp_path))
    for argv in (["check", "svc.yaml"], ["check", "--isolated", "--no-cache", "--jobs", "1", "-f", "json", "svc.yaml"],
                 ["check", "-p", "agile", "svc.yaml"]):
        out = subprocess.run([sys.executable, "-m", "lintra", *argv], cwd=tmp_path, env=env, capture_output=True,
                             text=True)
        assert out.returncode == 1 and "LK201" in out.stdout, out.stderr
        assert not cache_dir.exists(), sorted(os.listdir(cache_dir))


@pytest.mark.skipif(not os.path.isdir(os.path.join(ROOT, ".git")) and not os.path.isfile(os.path.join(ROOT, ".git")),
                    reason="not a git checkout")
def test_the_shipped_entries_are_not_ignored_by_git():
    """hatchling builds the wheel from what git does not ignore: an ignored entry would not ship."""
    names = [os.path.join("lintra", "shipped", f"{kind}.json") for kind in shipped.DEPTHS]
    out = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout == ""
