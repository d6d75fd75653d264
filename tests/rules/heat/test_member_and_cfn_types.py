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
