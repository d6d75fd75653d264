"""Heat aliases in partial scans (issue 17 item 6): the run reads, as context, the environment files
of a scanned template's repository that the scanned paths leave out, so a scan of ``templates/``
alone reports on the templates exactly what the scan of the whole repository reports (LH106 for
what nothing registers, LH107 with ``--heat-env-auto`` for an alias mapped to a vendor type), and
no finding lands in the environments read only as context."""

import os

import pytest

from lintra.filter import Judgement
from lintra.load import heat_environment
from lintra.pipeline import run

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


def heat(*paths, auto=False):
    options = {"heat_env_auto": True} if auto else None
    found = run([str(p) for p in paths], Judgement(select=["LH106", "LH107"]), options=options).findings
    return [(f.rule.id, os.path.basename(f.file), f.span.line, f.span.column, f.vendor,
             [(os.path.basename(r.file), r.span.line, r.span.column) for r in f.related]) for f in found]


def test_a_partial_scan_reports_what_the_whole_repository_scan_reports(repo):
    # c (line 8) is registered nowhere: LH106. a, b, d and e are aliases env.yaml registers, so
    # without --heat-env-auto (repository environments are alternatives, not applied) nothing more
    unknown = ("LH106", "t.yaml", 8, 11, "other", [])
    assert heat(repo / "templates") == heat(repo) == [unknown]
    # with it, b is Contrail's type through the entry's value at env.yaml:3:12; a and e end in a
    # template, d is disabled
    contrail = ("LH107", "t.yaml", 6, 11, "juniper", [("env.yaml", 3, 12)])
    assert heat(repo / "templates", auto=True) == heat(repo, auto=True) == [contrail, unknown]


def test_a_template_named_alone_is_judged_with_its_repository_too(repo):
    assert [f[:3] for f in heat(repo / "templates" / "t.yaml", auto=True)] == [("LH107", "t.yaml", 6),
                                                                              ("LH106", "t.yaml", 8)]


def test_no_finding_lands_in_an_environment_read_as_context(repo):
    # the environment also selects a Cisco driver: scanned, an environment rule reports it there
    with open(repo / "environments" / "env.yaml", "a") as handle:
        handle.write("parameter_defaults:\n  NeutronMechanismDrivers: ['ovn', 'cisco_nexus']\n")
    result = run([str(repo / "templates")], Judgement())
    assert all(os.path.basename(f.file) == "t.yaml" for f in result.findings)
    assert [os.path.basename(r.file) for r in result.files] == ["t.yaml"]
    assert any(os.path.basename(f.file) == "env.yaml" for f in run([str(repo)], Judgement()).findings)


def test_without_the_repository_environment_every_alias_is_unknown(repo):
    os.remove(repo / "environments" / "env.yaml")
    assert [line for _, _, line, *_ in heat(repo / "templates")] == [4, 6, 8, 10, 12]


def test_the_look_stays_in_the_repository_follows_no_link_out_and_is_bounded(repo, monkeypatch,
                                                                              tmp_path_factory):
    lines = lambda: [line for _, _, line, *_ in heat(repo / "templates")]  # noqa: E731
    outside = tmp_path_factory.mktemp("outside")
    (outside / "env.yaml").write_text(ENV)
    os.remove(repo / "environments" / "env.yaml")
    os.symlink(outside / "env.yaml", repo / "environments" / "env.yaml")  # a link out of the repository
    assert lines() == [4, 6, 8, 10, 12]
    os.remove(repo / "environments" / "env.yaml")
    (repo / "environments" / "env.yaml").write_text(ENV)
    monkeypatch.setattr(heat_environment, "REPOSITORY_FILE_BYTES", 10)  # larger files are not read
    assert lines() == [4, 6, 8, 10, 12]
    monkeypatch.setattr(heat_environment, "REPOSITORY_FILE_BYTES", 1 << 20)
    (repo / "docs").mkdir()  # walked before environments/ (sorted), and the one file the bound allows
    (repo / "docs" / "x.yaml").write_text("a: 1\n")
    monkeypatch.setattr(heat_environment, "REPOSITORY_FILES", 1)
    assert lines() == [4, 6, 8, 10, 12]
    monkeypatch.setattr(heat_environment, "REPOSITORY_FILES", 5000)
    assert lines() == [8]


def test_excluded_environments_stay_excluded(repo):
    found = run([str(repo / "templates")], Judgement(select=["LH106"]), exclude=["environments"]).findings
    assert [f.span.line for f in found] == [4, 6, 8, 10, 12]


def test_only_environment_shaped_files_are_loaded(tmp_path):
    sources = []
    from lintra.model import Source

    for name, text in (("env.yaml", ENV), ("t.yaml", TEMPLATE), ("k.yaml", "apiVersion: v1\nkind: Pod\n"),
                       ("values.yaml", "replicas: 1\n"), ("params.yaml", "parameter_defaults:\n  A: 1\n")):
        (tmp_path / name).write_text(text)
        sources.append(Source(name, str(tmp_path / name)))
    done = {os.path.realpath(tmp_path / "params.yaml")}  # already read by the scan
    assert [s.name for s in heat_environment.environment_candidates(sources, done)] == ["env.yaml"]


def test_tripleo_neutron_services_alone_get_the_full_scan_s_lh107(corpus):
    """tripleo-heat-templates/environments/neutron-nuage-config.yaml line 10 maps
    OS::TripleO::Services::NeutronMl2PluginBase to ...NeutronCorePluginML2Nuage (Nuage), and
    deployment/neutron/neutron-plugin-ml2-container-puppet.yaml line 41 and
    neutron-plugin-ml2-ansible-container-puppet.yaml line 45 declare a resource of that type
    (grepped below). Scanning deployment/neutron alone with --heat-env-auto finds both, as the
    scan of the whole repository does, with the registry entry as related location."""
    root = os.path.join(corpus, "tripleo-heat-templates")
    with open(os.path.join(root, "environments", "neutron-nuage-config.yaml")) as handle:
        entry = handle.read().splitlines()[9]
    assert entry.strip() == \
        "OS::TripleO::Services::NeutronMl2PluginBase: OS::TripleO::Services::NeutronCorePluginML2Nuage"
    value_column = entry.index(": ") + 3
    expected = []
    for name, line in (("neutron-plugin-ml2-ansible-container-puppet.yaml", 45),
                       ("neutron-plugin-ml2-container-puppet.yaml", 41)):
        with open(os.path.join(root, "deployment", "neutron", name)) as handle:
            text = handle.read().splitlines()[line - 1]
        assert text.strip() == "type: OS::TripleO::Services::NeutronMl2PluginBase"
        expected.append(("LH107", name, line, text.index("OS::") + 1, "nokia",
                         [("neutron-nuage-config.yaml", 10, value_column)]))
    partial = heat(os.path.join(root, "deployment", "neutron"), auto=True)
    assert partial == expected
    full = [f for f in heat(root, auto=True) if f[0] == "LH107"]
    assert full == expected
