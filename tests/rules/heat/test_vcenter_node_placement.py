import textwrap

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run
from lintra.rules.heat.vcenter_node_placement import describe, forced_node, query_node

NODE = "domain-c26.9d51f082-58a4-4449-beed-6fd205a5726b"

SERVER = """\
heat_template_version: 2018-08-31
resources:
  web:
    type: OS::Nova::Server
    properties:
      image: cirros
      flavor: m1.small
      {prop}: {value}
"""


def findings(result):
    return [(f.span.line, f.span.column) for f in result.findings if f.rule.id == "LH118"]


@pytest.mark.parametrize("value, expected", [
    (f"'nova::{NODE}'", [(8, 26)]),
    (f"'az1:esx-compute-01:{NODE}'", [(8, 26)]),
    ("'nova::domain-1000(MyCluster)'", [(8, 26)]),  # pre-Liberty node names
    ("'nova::resgroup-7(Gold Pool)'", [(8, 26)]),
    # zone and host names are free text; a libvirt or ironic node is not a vCenter cluster
    ("nova", []), (f"'nova:{NODE}'", []), ("'nova::compute-0.localdomain'", []),
    ("'nova::4c5b3b9e-0a6f-4a0e-9d7b-5f7a3c1e2d10'", []), ("'nova::domain-c26'", []),
    ("'nova::domain-c26.not-a-uuid'", []), (f"'a:b:c:{NODE}'", []),
    ("{get_param: zone}", []), ("{get_attr: [x, zone]}", []), ("[nova]", []),
])
def test_availability_zone(lint, value, expected):
    assert findings(lint(SERVER.format(prop="availability_zone", value=value))) == expected


@pytest.mark.parametrize("value, expected", [
    ("{query: '[\"=\", \"$hypervisor_hostname\", \"%s\"]'}" % NODE, [(8, 32)]),
    ("{query: [and, ['>=', $free_ram_mb, 1024], ['=', $hypervisor_hostname, '%s']]}" % NODE, [(8, 32)]),
    ("{query: '[\">=\", \"$free_ram_mb\", 1024]'}", []),
    ("{query: '[\"=\", \"$hypervisor_hostname\", \"compute-0\"]'}", []),
    ("{query: '[\"=\", \"$host\", \"%s\"]'}" % NODE, []),  # not compared with the node name
    ("{query: 'not json ['}", []),
    ("{group: 8c3b5e8a-1d9e-4a43-9b8d-3f2c1a0d9e7f}", []),
])
def test_query_scheduler_hint(lint, value, expected):
    assert findings(lint(SERVER.format(prop="scheduler_hints", value=value))) == expected


def test_message_names_cluster_and_vcenter(lint):
    [finding] = lint(SERVER.format(prop="availability_zone", value=f"'nova::{NODE}'")).findings
    assert finding.message == ("server 'web' is forced onto vCenter cluster domain-c26 of vCenter "
                               "9d51f082-58a4-4449-beed-6fd205a5726b by availability_zone nova::" + NODE)
    assert finding.vendor == "vmware"


def test_only_servers(lint):
    text = SERVER.format(prop="availability_zone", value=f"'nova::{NODE}'").replace("OS::Nova::Server",
                                                                                   "OS::Cinder::Volume")
    assert findings(lint(text)) == []


def test_parameter_default_is_judged_where_it_is_written(lint):
    result = lint(f"""\
        heat_template_version: 2018-08-31
        parameters:
          zone: {{type: string, default: 'nova::{NODE}'}}
        resources:
          web:
            type: OS::Nova::Server
            properties: {{image: cirros, flavor: m1.small, availability_zone: {{get_param: zone}}}}
        """)
    assert findings(result) == [(3, 33)]
    assert "consumed by resource 'web' property availability_zone" in result.findings[0].message


def test_only_fails_after_the_environment_is_applied(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(textwrap.dedent("""\
        heat_template_version: 2018-08-31
        parameters:
          zone: {type: string, default: nova}
        resources:
          web:
            type: OS::Nova::Server
            properties: {image: cirros, flavor: m1.small, availability_zone: {get_param: zone}}
        """))
    env = tmp_path / "vio.yaml"
    env.write_text(f"parameter_defaults:\n  zone: 'nova::{NODE}'\n")
    paths = [str(template), str(env)]
    assert run(paths, Judgement(select=["LH118"])).findings == []
    applied = run(paths, Judgement(select=["LH118"]), options={"heat_env": [str(env)]})
    assert [(f.file.rsplit("/", 1)[-1], f.span.line, f.span.column) for f in applied.findings] == [
        ("vio.yaml", 2, 9)]


def test_helpers():
    assert forced_node("z:h:n") == "n" and forced_node("z::n") == "n" and forced_node("z:h:") is None
    assert forced_node("z:h") is None and forced_node(None) is None
    assert describe("domain-s8.9D51F082-58A4-4449-BEED-6FD205A5726B").startswith("vCenter cluster domain-s8")
    assert query_node([["="] * 40]) is None and query_node({"=": 1}) is None
    deep = NODE
    for _ in range(100):
        deep = [deep]
    assert query_node(["=", "$hypervisor_hostname", deep]) is None  # too deep to be a real query: unknown
