"""Vendor resource types (LH101-LH103) where Heat reads a type besides ``resources.*.type``: a
ResourceGroup's ``resource_def`` and an AutoScalingGroup's ``resource`` (Heat template guide,
OS::Heat::ResourceGroup / OS::Heat::AutoScalingGroup), and a CloudFormation-format template's
``Resources.*.Type`` (Heat serves both formats from one resource registry)."""

from lintra.pipeline import run
from tests.conftest import where

GROUPS = """\
heat_template_version: wallaby
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: OS::Contrail::VirtualNetwork
        properties: {name: net_%index%}
  asg:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 3
      resource:
        type: F5::LTM::Pool
  other:
    type: OS::Heat::Value
    properties:
      resource_def: {type: Rackspace::Cloud::Server}
"""

CFN = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Net": {"Type": "OS::Contrail::VirtualNetwork"},
    "Lb": {"Type": "Rackspace::Cloud::LoadBalancer", "Properties": {}},
    "Srv": {"Type": "AWS::EC2::Instance"}
  }
}
"""


def test_group_member_types_are_judged(tmp_path):
    (tmp_path / "groups.yaml").write_text(GROUPS)
    result = run([str(tmp_path / "groups.yaml")])
    # the member's type value; an OS::Heat::Value's property named resource_def is no member
    assert where(result) == [("LH101", 8, 15), ("LH103", 16, 15)]
    assert [f.message for f in result.findings] == [
        "resource 'group' has type OS::Contrail::VirtualNetwork, provided only by the Contrail/Tungsten Fabric Heat plugin",
        "resource 'asg' has type F5::LTM::Pool, provided only by F5's Heat plugin"]


def test_cfn_format_resource_types_are_judged(tmp_path):
    (tmp_path / "stack.template").write_text(CFN)
    result = run([str(tmp_path / "stack.template")])
    assert [list(r.kinds) for r in result.files] == [["cfn"]]
    assert where(result) == [("LH101", 4, 21), ("LH102", 5, 20)]
    assert result.findings[1].message == ("resource 'Lb' has type Rackspace::Cloud::LoadBalancer, "
                                          "provided only by Rackspace's Heat plugin")


MEMBER_ALIASES = """\
heat_template_version: 2021-04-16
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: Acme::Thing
  group2:
    type: OS::Heat::ResourceGroup
    properties:
      resource_def: {type: OS::Foo::Net}
  contrail:
    type: OS::Heat::ResourceGroup
    properties:
      resource_def: {type: OS::Contrail::VirtualNetwork}
"""


def test_group_member_types_reach_lh106_and_lh107(tmp_path):
    (tmp_path / "groups.yaml").write_text(MEMBER_ALIASES)
    (tmp_path / "env.yaml").write_text("resource_registry:\n  OS::Foo::Net: OS::ContrailV2::VirtualNetwork\n")
    result = run([str(tmp_path)], options={"heat_env": [str(tmp_path / "env.yaml")]})
    # a member's unknown type (LH106), a member's alias the environment maps to Contrail (LH107),
    # and a member's Contrail type reported once, by LH101
    assert sorted(where(result)) == [("LH101", 16, 28), ("LH106", 8, 15), ("LH107", 12, 28)]
    lh107 = next(f for f in result.findings if f.rule.id == "LH107")
    assert lh107.message.startswith("resource 'group2' has type OS::Foo::Net, which ")


def test_a_computed_group_type_is_no_crash(tmp_path):
    (tmp_path / "t.yaml").write_text("heat_template_version: 2021-04-16\nparameters: {kind: {type: string}}\n"
                                     "resources:\n  g:\n    type: {get_param: kind}\n"
                                     "    properties: {resource_def: {type: Acme::Thing}}\n")
    assert where(run([str(tmp_path / "t.yaml")])) == []
