"""Class 5: a repository's configuration names only regular files inside the repository, bounded
in size; each refusal names the configuration line. A user-level configuration may name the
user's own files."""

import os
import sys

import pytest

from tests.hostile.harness import coupled_repo, lintra

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX paths and special files")
PACK = """pack: {name: org, version: 1}
rules:
  - id: ORG001
    name: no-fast
    title: t
    vendor: other
    category: storage
    strength: soft
    severity: error
    kinds: [k8s]
    rationale: r
    remediation: m
    match: {path: metadata.name, equals: fast}
    message: "named {value}"
"""


@pytest.fixture
def repo(tmp_path):
    return coupled_repo(tmp_path)


def refused(repo, config):
    (repo / ".lintra.yaml").write_text(config)
    run = lintra(["check", "--", "s.yaml"], str(repo), timeout=60)
    assert run.code == 2 and run.stdout == "", run.stdout
    return run.stderr


@pytest.mark.parametrize("config, line, message", [
    ("packs: [/etc]\n", "1:9", "policy pack /etc lies outside"),
    ("exclude: []\npacks:\n  - org.yaml\n  - /\n", "4:5", "policy pack / lies outside"),
    ("packs: [../org.yaml]\n", "1:9", "lies outside"),
    ("baseline: /dev/zero\n", "1:1", "baseline /dev/zero lies outside"),
    ("local_plugins: [/etc/passwd]\n", "1:17", "Python plugin /etc/passwd lies outside"),
])
def test_paths_out_of_the_repository_are_refused_at_their_line(repo, config, line, message):
    (repo / "org.yaml").write_text(PACK)
    (repo.parent / "org.yaml").write_text(PACK)
    stderr = refused(repo, config)
    assert f".lintra.yaml:{line}: " in stderr and message in stderr and "outside" in stderr, stderr


def test_a_pack_link_out_of_the_repository(repo):
    os.symlink("/etc/passwd", repo / "org.yaml")
    stderr = refused(repo, "packs: [org.yaml]\n")
    assert "(real path /etc/passwd) lies outside" in stderr and "root:" not in stderr


def test_a_fifo_named_as_a_pack_or_baseline_does_not_block(repo):
    os.mkfifo(repo / "org.yaml")
    assert "/org.yaml is a FIFO (named pipe), not a regular file" in refused(repo, "packs: [org.yaml]\n")
    assert "a FIFO (named pipe), not a regular file" in refused(repo, "baseline: org.yaml\n")


def test_a_configuration_file_that_links_out(repo):
    os.symlink("/etc/passwd", repo / ".lintra.yaml")
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2 and "configuration file" in run.stderr and "lies outside" in run.stderr
    assert "root:" not in run.stderr


def test_an_alias_bomb_in_the_configuration(repo):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    stderr = refused(repo, bomb)
    assert ".lintra.yaml:" in stderr and "alias" in stderr


def test_a_huge_configuration_file(repo):
    with open(repo / ".lintra.yaml", "wb") as handle:
        handle.truncate(5 * 1024 * 1024)
    run = lintra(["check", "--", "s.yaml"], str(repo))
    assert run.code == 2 and run.stderr.rstrip().endswith(".lintra.yaml: cannot read configuration: larger than 4 MiB")


def test_user_configuration_may_name_the_users_files(repo, tmp_path):
    (tmp_path / "org.yaml").write_text(PACK)
    home = tmp_path / "xdg"
    (home / "lintra").mkdir(parents=True)
    (home / "lintra" / "config.yaml").write_text(f"packs: [{tmp_path / 'org.yaml'}]\n")
    run = lintra(["check", "-f", "json", "--", "s.yaml"], str(repo), home=str(home))
    assert "ORG001" in {f["rule_id"] for f in run.json()["findings"]}


def test_the_command_line_may_name_any_pack(repo, tmp_path):
    (tmp_path / "org.yaml").write_text(PACK)
    run = lintra(["check", "-f", "json", "--pack", str(tmp_path / "org.yaml"), "--", "s.yaml"], str(repo))
    assert "ORG001" in {f["rule_id"] for f in run.json()["findings"]}
