"""LH107: generic aliases that an environment's resource_registry maps to a vendor type or template."""

from lintra.filter import Judgement
from lintra.pipeline import run

TEMPLATE = """\
heat_template_version: 2018-08-31
resources:
  net:
    type: OS::Foo::Net
  server:
    type: OS::Nova::Server
    properties: {image: i, flavor: f}
"""


def lh107(tmp_path, env_text, files=None, auto=False, explicit=True):
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "env.yaml").write_text(env_text)
    for name, text in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    options = {"heat_env": [str(tmp_path / "env.yaml")] if explicit else [], "heat_env_auto": auto}
    result = run([str(tmp_path)], Judgement(select=["LH107"]), options=options)
    return [(f.file.rsplit("/", 1)[-1], f.span.line, f.span.column, f.vendor,
             [(r.file.rsplit("/", 1)[-1], r.span.line) for r in f.related]) for f in result.findings]


def test_alias_mapped_to_a_vendor_plugin_type(tmp_path):
    found = lh107(tmp_path, "resource_registry:\n  OS::Foo::Net: OS::ContrailV2::VirtualNetwork\n")
    assert found == [("t.yaml", 4, 11, "juniper", [("env.yaml", 2)])]


def test_upstream_type_overridden_per_resource(tmp_path):
    env = "resource_registry:\n  resources:\n    serv*:\n      OS::Nova::Server: Rackspace::Cloud::Server\n"
    assert lh107(tmp_path, env) == [("t.yaml", 6, 11, "rackspace", [("env.yaml", 4)])]


def test_glob_mapping(tmp_path):
    assert lh107(tmp_path, "resource_registry:\n  OS::Foo::*: F5::LTM::*\n")[0][:4] == ("t.yaml", 4, 11, "f5")


def test_chain_to_a_template_that_declares_a_vendor_type(tmp_path):
    env = "resource_registry:\n  OS::Foo::Net: My::Net\n  My::Net: nested/net.yaml\n"
    nested = {"nested/net.yaml": "heat_template_version: 2018-08-31\nresources:\n  vn:\n"
                                 "    type: OS::Contrail::VirtualNetwork\n"}
    assert lh107(tmp_path, env, nested) == [
        ("t.yaml", 4, 11, "juniper", [("env.yaml", 2), ("env.yaml", 3), ("net.yaml", 4)])]


def test_tripleo_vendor_service(tmp_path):
    env = "resource_registry:\n  OS::Foo::Net: OS::TripleO::Services::NeutronCorePluginNSX\n"
    assert lh107(tmp_path, env)[0][3] == "vmware"


def test_passes_for_neutral_or_disabled_mappings(tmp_path):
    assert lh107(tmp_path, "resource_registry:\n  OS::Foo::Net: OS::Neutron::Net\n") == []
    assert lh107(tmp_path, "resource_registry:\n  OS::Foo::Net: OS::Heat::None\n") == []
    neutral = {"nested/net.yaml": "heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::Neutron::Net\n"}
    assert lh107(tmp_path, "resource_registry:\n  OS::Foo::Net: nested/net.yaml\n", neutral) == []


def test_repository_environments_apply_only_with_auto(tmp_path):
    env = "resource_registry:\n  OS::Foo::Net: OS::Contrail::VirtualNetwork\n"
    assert lh107(tmp_path, env, explicit=False) == []
    assert len(lh107(tmp_path, env, explicit=False, auto=True)) == 1


def test_corpus_tripleo_nuage_alias_with_auto(corpus):
    import os

    root = os.path.join(corpus, "tripleo-heat-templates")
    result = run([root], Judgement(select=["LH107"]), options={"heat_env_auto": True})
    found = sorted((f.file.rsplit("/", 1)[-1], f.span.line, f.vendor) for f in result.findings)
    assert found == [("neutron-plugin-ml2-ansible-container-puppet.yaml", 45, "nokia"),
                     ("neutron-plugin-ml2-container-puppet.yaml", 41, "nokia")]
    assert run([root], Judgement(select=["LH107"])).findings == []



def test_extra_types_make_an_organisation_s_plugin_type_a_vendor_mapping(tmp_path):
    # Acme::SDN::* is in no built-in table: mapped to it, the alias is no vendor's until
    # .lintra.yaml names the plugin's vendor (the finding: the alias's type value, line 4 column 11)
    import json

    from click.testing import CliRunner

    from lintra.cli import main

    env = "resource_registry:\n  OS::Foo::Net: Acme::SDN::Net\n"
    assert lh107(tmp_path, env) == []
    (tmp_path / ".lintra.yaml").write_text('rules:\n  "*":\n    params:\n      extra_types: {"Acme::": cisco}\n')
    out = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LH107", "-e", str(tmp_path / "env.yaml"),
                                    str(tmp_path / "t.yaml")]).output
    assert [(f["line"], f["column"], f["vendor"], f["service"]) for f in json.loads(out)["findings"]] == [
        (4, 11, "cisco", "the Acme:: plugin of cisco")]
