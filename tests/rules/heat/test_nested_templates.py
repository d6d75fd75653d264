"""Nested/provider templates referenced by relative path are loaded and checked once each."""

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
