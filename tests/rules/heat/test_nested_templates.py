"""Nested/provider templates referenced by relative path are loaded and checked once each, and never
from outside the repository of the template that references them."""

import os

import pytest

from lintra.load import limits
from lintra.filter import Judgement
from lintra.pipeline import run

PARENT = """\
heat_template_version: 2018-08-31
resources:
  net:
    type: ../lib/contrail-net.yaml
  group:
    type: OS::Heat::ResourceGroup
    properties:
      resource_def: {type: ../lib/contrail-net.yaml}
  loop:
    type: parent.yaml
"""
NESTED = """\
heat_template_version: 2018-08-31
resources:
  vn:
    type: OS::Contrail::VirtualNetwork
  back:
    type: ../stacks/parent.yaml
"""


def layout(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "stacks" / "parent.yaml").write_text(PARENT)
    (tmp_path / "lib" / "contrail-net.yaml").write_text(NESTED)
    return str(tmp_path / "stacks")


def lh101(result):
    return [(f.file.replace("\\", "/").split("/")[-2:], f.span.line) for f in result.findings if f.rule.id == "LH101"]


def test_template_outside_the_scanned_paths_is_checked_once(tmp_path):
    result = run([layout(tmp_path)], Judgement(select=["LH101"]))
    assert lh101(result) == [(["lib", "contrail-net.yaml"], 4)]
    assert sorted(r.file.replace("\\", "/").rsplit("/", 2)[-2] for r in result.files) == ["lib", "stacks"]


def test_template_inside_the_scanned_paths_is_not_read_twice(tmp_path):
    layout(tmp_path)
    result = run([str(tmp_path)], Judgement(select=["LH101"]))
    assert lh101(result) == [(["lib", "contrail-net.yaml"], 4)] and len(result.files) == 2


def test_excluded_references_stay_excluded(tmp_path):
    result = run([layout(tmp_path)], Judgement(select=["LH101"]), exclude=["lib"])
    assert lh101(result) == []


def test_registry_references_and_missing_files(tmp_path):
    layout(tmp_path)
    (tmp_path / "env.yaml").write_text("resource_registry:\n  OS::Foo::Net: lib/contrail-net.yaml\n"
                                       "  OS::Foo::Gone: lib/missing.yaml\n  OS::Foo::Url: https://x/y.yaml\n"
                                       "  resources:\n    r: {OS::Foo::Bar: lib/contrail-net.yaml}\n")
    result = run([str(tmp_path / "env.yaml")], Judgement(select=["LH101"]))
    assert [f[0] for f in lh101(result)] == [["lib", "contrail-net.yaml"]]


def records(result):
    return {r.file.replace("\\", "/"): (r.status, r.reason) for r in result.files}


def outside_layout(tmp_path, reference):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "stacks").mkdir()
    (repo / "stacks" / "parent.yaml").write_text(
        f"heat_template_version: 2018-08-31\nresources:\n  net:\n    type: {reference}\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "net.yaml").write_text(NESTED)
    return repo


def test_reference_out_of_the_repository_is_skipped_with_its_reason(tmp_path):
    repo = outside_layout(tmp_path, "../../outside/net.yaml")
    result = run([str(repo / "stacks")], Judgement(select=["LH101"]))
    assert lh101(result) == []
    status, reason = records(result)[str(tmp_path / "outside" / "net.yaml")]
    assert status == "skipped"
    assert f"referenced by {repo / 'stacks' / 'parent.yaml'}" in reason
    assert f"outside its repository {os.path.realpath(repo)}" in reason


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symbolic_link_out_of_the_repository_is_not_followed(tmp_path):
    repo = outside_layout(tmp_path, "../lib/net.yaml")
    (repo / "lib").mkdir()
    os.symlink(tmp_path / "outside" / "net.yaml", repo / "lib" / "net.yaml")
    result = run([str(repo / "stacks")], Judgement(select=["LH101"]))
    assert lh101(result) == []
    status, reason = records(result)[str(repo / "lib" / "net.yaml")]
    assert status == "skipped" and f"real path {os.path.realpath(tmp_path / 'outside' / 'net.yaml')}" in reason
    if os.path.isfile("/etc/passwd"):
        (repo / "lib" / "net.yaml").unlink()
        os.symlink("/etc/passwd", repo / "lib" / "net.yaml")
        status, reason = records(run([str(repo / "stacks")]))[str(repo / "lib" / "net.yaml")]
        assert status == "skipped" and "real path /etc/passwd" in reason


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symbolic_link_inside_the_repository_is_followed(tmp_path):
    repo = outside_layout(tmp_path, "../lib/net.yaml")
    (repo / "shared").mkdir()
    (repo / "shared" / "net.yaml").write_text(NESTED)
    (repo / "lib").mkdir()
    os.symlink(repo / "shared" / "net.yaml", repo / "lib" / "net.yaml")
    assert lh101(run([str(repo / "stacks")], Judgement(select=["LH101"]))) == [(["lib", "net.yaml"], 4)]


def test_template_in_no_repository_reaches_only_its_own_directory(tmp_path):
    stacks = layout(tmp_path)
    os.rmdir(tmp_path / ".git")
    (tmp_path / "stacks" / "own.yaml").write_text(NESTED)
    (tmp_path / "stacks" / "parent.yaml").write_text(PARENT + "  own:\n    type: own.yaml\n")
    result = run([os.path.join(stacks, "parent.yaml")], Judgement(select=["LH101"]))
    assert lh101(result) == [(["stacks", "own.yaml"], 4)]
    status, reason = records(result)[os.path.join(str(tmp_path), "lib", "contrail-net.yaml")]
    assert status == "skipped" and "in no repository" in reason


def test_references_past_the_limit_are_reported_not_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_REFERENCED", 2)
    (tmp_path / ".git").mkdir()
    members = "".join(f"  m{n}:\n    type: lib/m{n}.yaml\n" for n in range(4))
    (tmp_path / "parent.yaml").write_text("heat_template_version: 2018-08-31\nresources:\n" + members)
    (tmp_path / "lib").mkdir()
    for n in range(4):
        (tmp_path / "lib" / f"m{n}.yaml").write_text(NESTED.replace("../stacks/parent.yaml", "OS::Nova::Server"))
    result = run([str(tmp_path / "parent.yaml")])
    files = records(result)
    assert [files[str(tmp_path / "lib" / f"m{n}.yaml")][0] for n in range(4)] == ["scanned", "scanned", "skipped", "skipped"]
    assert "past the limit of 2 nested templates" in files[str(tmp_path / "lib" / "m3.yaml")][1]
    limit, = [f for f in result.findings if f.rule.id == "LT002"]
    assert (limit.file, limit.span.line, limit.span.column) == (str(tmp_path / "parent.yaml"), 8, 11)
    assert "a run reads at most 2 nested templates" in limit.message and result.exit_code == 1
