"""LH125 heat-env-vendor-network-service: an environment enables a TripleO vendor SDN/network service.

Like LH124 for storage: TripleO's vendor Neutron services default to ``OS::Heat::None``, and an
environment that maps one to its service template, or points the generic
``NeutronCorePlugin``/``NeutronMl2PluginBase``/``ComputeNeutronCorePlugin`` service at the vendor
alias, makes every network of the cloud depend on that vendor's controller: VMware NSX, Nokia Nuage
VSP, Cisco VTS, Mellanox NEO (SDN assist) or Big Switch BCF. An environment that also sets
``NeutronCorePlugin: vmware_nsx...`` is reported by LH120 instead. ``extra_services`` and
``accepted_services`` are LH124's (the Neutron services they name are this rule's).

References:
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/overcloud-resource-registry-puppet.j2.yaml
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments/neutron-ml2-cisco-vts.yaml
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments/neutron-nuage-config.yaml
"""

from lintra.rules.docstring import rationale, references
from lintra.model import Rule
from lintra.rules.heat import vendor_types
from lintra.rules.heat.env_vendor_service import SERVICE_PARAMS, checker

EXAMPLES = {
    "fail": [{"content": "resource_registry:\n  OS::TripleO::NeutronBigswitchAgent: agent.yaml\n",
              "expect": [{"line": 2, "column": 3}]}],  # the service alias key
    "pass": ["resource_registry:\n  OS::TripleO::Services::NeutronOvsAgent: ovs.yaml\n"],
}

RULE = Rule(
    id="LH125",
    name="heat-env-vendor-network-service",
    title="Environment enables a TripleO vendor SDN/network service",
    vendor="other",
    category="network",
    strength="substrate",
    severity="error",
    kinds=("heat-env",),
    rationale=rationale(__doc__),
    remediation="Use ML2 with OVN or OVS; if the SDN is a sanctioned substrate, sanction the vendor for "
                "this repository.",
    references=references(__doc__),
    check=checker("network", lambda: RULE),
    origin=__name__,
    examples=EXAMPLES,
    service="TripleO vendor SDN and network services", effort=4,
    effort_reason="the cloud's SDN is replaced (ML2/OVN): every network, router and security group is "
                  "re-created and traffic cut over",
    vendors=vendor_types.service_vendors("network"),
    services=vendor_types.service_products("network"),
    params=SERVICE_PARAMS,
    finds_under=[("resource_registry",)],
)
