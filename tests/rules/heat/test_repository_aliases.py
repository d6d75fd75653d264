"""LH106 in partial scans: an alias that an environment of the template's repository registers,
outside the scanned paths, is judged as its target; known vendor contrib types name their vendor."""

import json
import os

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run
from lintra.rules.heat import environments

TEMPLATE = """\
heat_template_version: 2018-08-31
resources:
  a:
    type: My::Server
  b:
    type: My::Net
  c:
    type: My::Unknown
  d:
    type: My::Disabled
  e:
    type: My::Chained
"""
ENV = """\
resource_registry:
  My::Server: ../templates/server.yaml
  My::Net: OS::ContrailV2::VirtualNetwork
  My::Disabled: OS::Heat::None
  My::Chained: My::Server
"""


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository root
    (tmp_path / "templates").mkdir()
    (tmp_path / "environments").mkdir()
    (tmp_path / "templates" / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "environments" / "env.yaml").write_text(ENV)
    return tmp_path


def lh106(*paths):
    return [(f.span.line, f.span.column, f.vendor, [(os.path.basename(r.file), r.span.line, r.span.column)
                                                   for r in f.related])
            for f in run([str(p) for p in paths], Judgement(select=["LH106"])).findings]


def test_a_partial_scan_judges_each_alias_as_its_repository_target(repo):
    # a (-> a template), d (disabled) and e (-> a -> a template) are silent; b is Contrail's
    # type through the registry entry at env.yaml:3:3; c is registered nowhere
    assert lh106(repo / "templates") == [(6, 11, "juniper", [("env.yaml", 3, 3)]), (8, 11, "other", [])]


def test_without_the_repository_environment_every_alias_is_unknown(repo):
    os.remove(repo / "environments" / "env.yaml")
    assert [line for line, *_ in lh106(repo / "templates")] == [4, 6, 8, 10, 12]


def test_the_look_is_bounded_and_follows_no_link(repo, monkeypatch, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "env.yaml").write_text(ENV)
    os.remove(repo / "environments" / "env.yaml")
    os.symlink(outside / "env.yaml", repo / "environments" / "env.yaml")
    assert len(lh106(repo / "templates")) == 5
    os.remove(repo / "environments" / "env.yaml")
    (repo / "environments" / "env.yaml").write_text(ENV)
    monkeypatch.setattr(environments, "REPOSITORY_FILE_BYTES", 10)
    assert len(lh106(repo / "templates")) == 5
    monkeypatch.setattr(environments, "REPOSITORY_FILE_BYTES", 1 << 20)
    (repo / "docs").mkdir()
    (repo / "docs" / "x.yaml").write_text("a: 1\n")
    monkeypatch.setattr(environments, "REPOSITORY_FILES", 1)  # docs/x.yaml is the one file walked
    assert len(lh106(repo / "templates")) == 5


def test_rackspace_chef_solo_is_rackspace_s(tmp_path):
    (tmp_path / "t.yaml").write_text("heat_template_version: 2014-10-16\nresources:\n  setup:\n"
                                     "    type: OS::Heat::ChefSolo\n")
    [finding] = run([str(tmp_path)], Judgement(select=["LH106"])).findings
    assert (finding.span.line, finding.span.column, finding.vendor) == (4, 11, "rackspace")
    assert finding.service == "Rackspace Cloud Orchestration Heat plugin"
