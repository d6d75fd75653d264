"""OpenStack Heat: where a template names the types it instantiates.

A resource names its type in ``type`` (HOT) or ``Type`` (a CloudFormation-format template, whose
resources sit under ``Resources`` with ``Properties``). A group is a resource whose members are
made from one definition held in a property (``OS::Heat::ResourceGroup`` ``resource_def``,
``OS::Heat::AutoScalingGroup`` ``resource``), and an ``OS::Heat::ResourceChain`` lists the types
of its links in ``resources`` (with ``resource_properties`` passed to each):
https://docs.openstack.org/heat/latest/template_guide/hot_spec.html#resources-section,
https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::ResourceGroup,
https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::AutoScalingGroup,
https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::ResourceChain.
Used by the loader following nested templates and by the Heat rules alike.
"""

#: (resources section, its type key, its properties key): HOT, then CloudFormation format
RESOURCE_SECTIONS = (("resources", "type", "properties"), ("Resources", "Type", "Properties"))

#: HOT group type -> the property holding the definition (``type``, ``properties``) of its members
GROUP_MEMBERS = {"OS::Heat::ResourceGroup": "resource_def", "OS::Heat::AutoScalingGroup": "resource"}

#: the HOT type whose ``resources`` property lists the types of its links
RESOURCE_CHAIN = "OS::Heat::ResourceChain"
