"""get_param in a nested/provider template also resolves to what each parent resource passes."""

import os

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run
from tests.rules.heat import write

NESTED_NET = """\
heat_template_version: 2018-08-31
parameters:
  nettype: {type: string, default: vlan}
resources:
  net:
    type: OS::Neutron::Net
    properties:
      value_specs:
        provider:network_type: {get_param: nettype}
"""
NESTED_FLAVOR = """\
heat_template_version: 2018-08-31
parameters:
  specs: {type: json, default: {}}
resources:
  flavor:
    type: OS::Nova::Flavor
    properties:
      ram: 1024
      vcpus: 1
      extra_specs: {get_param: [specs, flavor]}
"""


def repo(tmp_path):
    root = tmp_path / "repo"
    write(root, "LICENSE", "Apache-2.0\n")
    return root


def found(result, rule="LH113"):
    return [(f.file.rsplit("/", 1)[-1], f.span.line, f.span.column) for f in result.findings if f.rule.id == rule]


def scan(paths, **options):
    return run(paths, Judgement(select=["LH", "LT"]), options=options)


def parent(nettype, type_="../lib/net.yaml"):
    return f"""\
heat_template_version: 2018-08-31
resources:
  net:
    type: {type_}
    properties:
      nettype: {nettype}
"""


def test_value_passed_by_the_parent_is_judged_where_the_parent_writes_it(tmp_path):
    root = repo(tmp_path)
    top = write(root, "stacks/top.yaml", parent("portgroup"))
    write(root, "lib/net.yaml", NESTED_NET)
    result = scan([top])
    assert found(result) == [("top.yaml", 6, 16)]  # only the parent makes lib/net.yaml coupled
    finding = [f for f in result.findings if f.rule.id == "LH113"][0]
    assert "passed by resource 'net' of" in finding.message and "top.yaml" in finding.message
    assert "consumed by resource 'net' property value_specs.provider:network_type in" in finding.message
    assert [(r.file.rsplit("/", 1)[-1], r.span.line) for r in finding.related] == [("net.yaml", 9)]


def test_neutral_value_passed_by_the_parent_passes(tmp_path):
    root = repo(tmp_path)
    top = write(root, "stacks/top.yaml", parent("geneve"))
    write(root, "lib/net.yaml", NESTED_NET)
    assert found(scan([top])) == []
    # an intrinsic the resolver cannot follow is unknown, never a crash or a guess
    top = write(root, "stacks/top.yaml", parent("{get_attr: [x, y]}"))
    assert found(scan([top])) == []


def test_group_member_properties_reach_the_member_template(tmp_path):
    root = repo(tmp_path)
    top = write(root, "stacks/top.yaml", """\
        heat_template_version: 2018-08-31
        resources:
          flavors:
            type: OS::Heat::ResourceGroup
            properties:
              count: 2
              resource_def:
                type: ../lib/flavor.yaml
                properties:
                  specs: {flavor: {"vmware:hw_version": vmx-13}, other: {}}
        """)
    write(root, "lib/flavor.yaml", NESTED_FLAVOR)
    assert found(scan([top]), "LH110") == [("top.yaml", 10, 28)]


@pytest.mark.parametrize("auto", [False, True])
def test_registry_alias_mapped_to_the_template(tmp_path, auto):
    root = repo(tmp_path)
    top = write(root, "stacks/top.yaml", parent("nsx-net", type_="OS::Foo::Net"))
    write(root, "lib/net.yaml", NESTED_NET)
    env = write(root, "env/registry.yaml", "resource_registry:\n  OS::Foo::Net: OS::Foo::NetImpl\n"
                                           "  OS::Foo::NetImpl: ../lib/net.yaml\n")
    options = {"heat_env_auto": True} if auto else {"heat_env": [env]}
    assert found(scan([top, env], **options)) == [("top.yaml", 6, 16)]
    # without an environment that applies, the alias is no template and nothing is known
    assert found(scan([top, env])) == []


def test_parent_get_param_resolves_through_the_parents_own_chain(tmp_path):
    root = repo(tmp_path)
    write(root, "lib/net.yaml", NESTED_NET)
    write(root, "lib/mid.yaml", """\
        heat_template_version: 2018-08-31
        parameters:
          outer_type: {type: string, default: vxlan}
        resources:
          net:
            type: net.yaml
            properties:
              nettype: {get_param: outer_type}
        """)
    top = write(root, "stacks/top.yaml", """\
        heat_template_version: 2018-08-31
        parameters:
          site: {type: json, default: {net: stt}}
        resources:
          mid:
            type: ../lib/mid.yaml
            properties:
              outer_type: {get_param: [site, net]}
        """)
    result = scan([top])
    assert found(result) == [("top.yaml", 3, 37)]  # two levels up: the top template's default
    finding = [f for f in result.findings if f.rule.id == "LH113"][0]
    assert [(r.file.rsplit("/", 1)[-1], r.span.line) for r in finding.related] == [
        ("net.yaml", 9), ("mid.yaml", 8), ("top.yaml", 8)]
    env = write(root, "env/defaults.yaml", "parameter_defaults:\n  outer_type: l3_ext\n")
    # parameter_defaults reach mid.yaml too (for a stack whose parent does not pass outer_type)
    assert found(scan([top, env], heat_env=[env])) == [("defaults.yaml", 2, 15), ("top.yaml", 3, 37)]


def test_templates_that_pass_parameters_around_a_cycle_terminate(tmp_path):
    root = repo(tmp_path)
    a = write(root, "lib/a.yaml", """\
        heat_template_version: 2018-08-31
        parameters:
          nettype: {type: string}
        resources:
          net:
            type: OS::Neutron::Net
            properties:
              value_specs: {"provider:network_type": {get_param: nettype}}
          b:
            type: b.yaml
            properties: {nettype: {get_param: nettype}}
        """)
    write(root, "lib/b.yaml", """\
        heat_template_version: 2018-08-31
        parameters:
          nettype: {type: string}
        resources:
          a:
            type: a.yaml
            properties: {nettype: {get_param: nettype}}
        """)
    result = scan([a])
    assert found(result) == [] and not [f for f in result.findings if f.rule.id.startswith("LT")]
    write(root, "stacks/top.yaml", parent("bridge", type_="../lib/b.yaml"))
    assert found(scan([a, str(root / "stacks/top.yaml")])) == [("top.yaml", 6, 16)]


def test_wide_deep_nesting_follows_each_parent_once(tmp_path):
    """Eight levels of templates, each instantiating the next ten times with the same
    {get_param: p}: following every sibling separately is 10**8 lookups. The subprocess timeout
    catches that hang; it is not a speed target."""
    import subprocess
    import sys

    (tmp_path / "LICENSE").write_text("x\n")
    levels = 8
    for level in range(levels):
        resources = "".join(f"  r{i}:\n    type: t{level + 1}.yaml\n    properties:\n      p: {{get_param: p}}\n"
                            for i in range(10))
        default = "portgroup" if level == 0 else "vlan"
        (tmp_path / f"t{level}.yaml").write_text(
            f"heat_template_version: 2018-08-31\nparameters:\n  p: {{type: string, default: {default}}}\n"
            f"resources:\n{resources}")
    (tmp_path / f"t{levels}.yaml").write_text(
        "heat_template_version: 2018-08-31\nparameters:\n  p: {type: string, default: vlan}\nresources:\n"
        "  net:\n    type: OS::Neutron::Net\n    properties:\n      value_specs:\n"
        "        provider:network_type: {get_param: p}\n")
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "--isolated", "--select", "LH113", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "t0.yaml:3:30: error LH113" in proc.stdout  # portgroup, passed down eight levels


def test_resource_chain_passes_its_resource_properties_to_each_link(tmp_path):

    (tmp_path / "LICENSE").write_text("x\n")
    (tmp_path / "top.yaml").write_text(
        "heat_template_version: 2018-08-31\nresources:\n  chain:\n    type: OS::Heat::ResourceChain\n"
        "    properties:\n      resources: [lib/net.yaml]\n      resource_properties: {nettype: portgroup}\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "net.yaml").write_text(
        "heat_template_version: 2018-08-31\nparameters:\n  nettype: {type: string}\nresources:\n"
        "  net:\n    type: OS::Neutron::Net\n    properties:\n      value_specs:\n"
        "        provider:network_type: {get_param: nettype}\n")
    found = [(os.path.basename(f.file), f.span.line, f.span.column)
             for f in run([str(tmp_path / "top.yaml")]).findings if f.rule.id == "LH113"]
    assert found == [("top.yaml", 7, 38)]  # lib/net.yaml is loaded as a link of the chain
