"""LH118 heat-server-on-vcenter-node: a Nova server forced onto a compute node that is a vCenter cluster.

Nova's vmwareapi driver does not manage hypervisors: one nova-compute drives a whole vCenter
cluster, and the compute node it reports is named after that cluster's managed-object id and the
vCenter's instance UUID, ``<mo id>.<vcenter uuid>`` (``domain-c26.9d51f082-58a4-4449-beed-6fd205a5726b``;
before Liberty ``domain-1000(MyCluster)`` or ``resgroup-1000(MyResourcePool)``). No other driver names
its nodes this way. A server that names such a node, through the ``availability_zone`` form
``ZONE:HOST:NODE`` / ``ZONE::NODE`` (forced placement, scheduler filters bypassed) or a JsonFilter
``query`` scheduler hint on ``$hypervisor_hostname``, boots only into that one vCenter cluster: the
template is tied to VMware and to one site. Zone names, host names and other hints are free text
and are not judged.

References:
- https://docs.openstack.org/nova/latest/admin/availability-zones.html#using-availability-zones-to-select-hosts
- https://opendev.org/openstack/nova/src/branch/master/nova/virt/vmwareapi/driver.py (``_create_nodename``)
- https://opendev.org/openstack/nova/src/branch/master/nova/compute/api.py (``parse_availability_zone``)
- https://docs.openstack.org/nova/latest/admin/scheduling.html#jsonfilter
- https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Nova::Server
"""

import json

from lintra import lazy_re
from lintra.rules.docstring import rationale, references
from lintra.model import Rule
from lintra.rules.heat import resolve

_UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
#: ``<cluster mo id>.<vCenter instance UUID>``, or the pre-Liberty ``<mo id>(<display name>)``
VCENTER_NODE = lazy_re.compile(rf"^(?P<moid>domain-[cs]?\d+)\.(?P<vcenter>{_UUID})$"
                               r"|^(?P<legacy>(?:domain-[cs]?|resgroup-)\d+)\([^()]+\)$")


def forced_node(zone):
    """The NODE of an availability zone written ``ZONE:HOST:NODE`` or ``ZONE::NODE`` (nova's parser)."""
    if not isinstance(zone, str) or zone.count(":") != 2:
        return None
    return zone.split(":")[2] or None


def describe(node):
    """'vCenter cluster domain-c26 of vCenter <uuid>' for a vmwareapi node name, else None."""
    match = VCENTER_NODE.match(node) if isinstance(node, str) else None
    if not match:
        return None
    if match.group("moid"):
        return f"vCenter cluster {match.group('moid')} of vCenter {match.group('vcenter')}"
    return f"vCenter cluster or resource pool {node}"


def query_node(query):
    """A vmwareapi node that a JsonFilter query compares ``$hypervisor_hostname`` with, else None."""
    if isinstance(query, str):
        try:
            query = json.loads(query)
        except ValueError:
            return None
    leaves = []
    _strings(query, leaves, depth=0)
    if "$hypervisor_hostname" not in leaves:
        return None
    return next((leaf for leaf in leaves if describe(leaf)), None)


def _strings(node, out, depth):
    if depth > 32:  # a query is a few levels deep; a pathological one is unknown, not coupled
        return
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list):
        for item in node:
            _strings(item, out, depth + 1)


def check(document, scan):
    for name, _, properties in resolve.resources_of(document, ("OS::Nova::Server",)):
        base = ("resources", name, "properties")
        if "availability_zone" in properties:
            for zone in resolve.candidates(document, base + ("availability_zone",),
                                           properties["availability_zone"], scan):
                where = describe(forced_node(zone.value))
                if where:
                    yield zone.hit((), f"server '{name}' is forced onto {where} by availability_zone "
                                       f"{zone.value}", at="value")
        hints = properties.get("scheduler_hints")
        if isinstance(hints, dict) and "query" in hints:
            pointer = base + ("scheduler_hints", "query")
            for query in resolve.candidates(document, pointer, hints["query"], scan):
                node = query_node(query.value)
                if node:
                    yield query.hit((), f"server '{name}' is scheduled onto {describe(node)} by a "
                                        f"$hypervisor_hostname query hint", at="value")


#: a template without a server is not given to the check (:func:`resolve.looks_at_types`)
check.looks = resolve.looks_at_types(lambda kind: kind == "OS::Nova::Server")


EXAMPLES = {
    "fail": [{"content": "heat_template_version: 2018-08-31\nresources:\n  web:\n    type: OS::Nova::Server\n"
                         "    properties:\n      image: cirros\n      flavor: m1.small\n"
                         "      availability_zone: 'nova::domain-c26.9d51f082-58a4-4449-beed-6fd205a5726b'\n",
              "expect": [{"line": 8, "column": 26}]}],  # the zone value naming the cluster
    "pass": ["heat_template_version: 2018-08-31\nresources:\n  web:\n    type: OS::Nova::Server\n"
             "    properties:\n      image: cirros\n      flavor: m1.small\n      availability_zone: nova\n"],
}

RULE = Rule(
    id="LH118",
    name="heat-server-on-vcenter-node",
    title="Nova server forced onto a vCenter cluster compute node",
    vendor="vmware",
    category="compute",
    strength="hard",
    severity="error",
    kinds=("heat",),
    rationale=rationale(__doc__),
    remediation="Let the scheduler place the server: use an availability zone name alone, flavor "
                "extra specs, traits or server groups instead of naming a compute node.",
    references=references(__doc__),
    check=check,
    origin=__name__,
    examples=EXAMPLES,
    service="VMware vCenter Nova driver (cluster compute nodes)", effort=2,
    effort_reason="the forced node is dropped; placement is expressed with availability zones, flavor extra "
                  "specs or server groups the target offers",
    finds_under=resolve.FINDS_UNDER,
)
