"""LH110 heat-vmware-flavor-extra-specs: a Nova flavor whose extra specs only the VMware driver reads.

Nova validates flavor extra specs per virt driver (nova ``nova/api/validation/extra_specs/``). The
``vmware:*`` namespace (``vmware:hw_version``, ``vmware:storage_policy``) and the resource-allocation
quotas ``quota:{cpu,memory,disk_io,vif}_{limit,reservation,shares_level,shares_share}`` are read only
by the vmwareapi driver (libvirt's quotas are ``quota:cpu_shares``, ``cpu_period``, ``cpu_quota``,
``disk_*_sec`` and ``vif_*_{average,peak,burst}``). VMware Integrated OpenStack adds keys such as
``quota:cpu_reservation_percent``. A flavor built on them schedules and behaves as intended only
on vSphere hypervisors.

References:
- https://docs.openstack.org/nova/latest/configuration/extra-specs.html
- https://github.com/openstack/nova/blob/master/nova/api/validation/extra_specs/vmware.py
- https://github.com/openstack/nova/blob/master/nova/api/validation/extra_specs/quota.py
"""

from lintra import lazy_re
from lintra.rules.docstring import rationale, references
from lintra.model import Rule
from lintra.rules.heat import resolve

_VMWARE_ONLY = lazy_re.compile(
    r"^vmware:|^quota:(?:cpu|memory|disk_io|vif)_(?:limit|reservation|shares_level|shares_share)$"
    r"|^quota:(?:cpu|memory)_reservation_percent$")


def check(document, scan):
    for name, _, properties in resolve.resources_of(document, ("OS::Nova::Flavor",)):
        if "extra_specs" not in properties:
            continue
        pointer = ("resources", name, "properties", "extra_specs")
        # {get_param: specs} is judged on every value the parameter can take; other intrinsics
        # resolve to nothing (unknown, not coupled)
        for specs in resolve.candidates(document, pointer, properties["extra_specs"], scan):
            if not isinstance(specs.value, dict):
                continue
            for key in specs.value:
                if isinstance(key, str) and _VMWARE_ONLY.search(key):
                    yield specs.hit((key,), f"flavor '{name}' sets extra spec {key}, read only by "
                                            f"Nova's VMware driver", at="key")


#: a template without a flavor is not given to the check (:func:`resolve.looks_at_types`)
check.looks = resolve.looks_at_types(lambda kind: kind == "OS::Nova::Flavor")


EXAMPLES = {
    "fail": [{"content": "heat_template_version: 2018-08-31\nresources:\n  f:\n    type: OS::Nova::Flavor\n"
                         "    properties:\n      ram: 1024\n      extra_specs: {\"vmware:hw_version\": vmx-19}\n",
              "expect": [{"line": 7, "column": 21}]}],  # the extra spec's key
    "pass": ["heat_template_version: 2018-08-31\nresources:\n  f:\n    type: OS::Nova::Flavor\n"
             "    properties:\n      ram: 1024\n      extra_specs: {\"hw:cpu_policy\": dedicated}\n"],
}

RULE = Rule(
    id="LH110",
    name="heat-vmware-flavor-extra-specs",
    title="Nova flavor with VMware-only extra specs",
    vendor="vmware",
    category="compute",
    strength="hard",
    severity="error",
    kinds=("heat",),
    rationale=rationale(__doc__),
    remediation="Express placement and limits with driver-neutral extra specs (hw:cpu_policy, "
                "hw:numa_nodes, quota:cpu_shares / cpu_quota for libvirt, resources:* and trait:* "
                "for placement), and keep per-hypervisor flavors out of application templates.",
    references=references(__doc__),
    check=check,
    origin=__name__,
    examples=EXAMPLES,
    service="VMware vCenter Nova driver (flavor extra specs)", effort=2,
    effort_reason="the vmware: and vCenter quota: specs are dropped or replaced by hw: and libvirt quota "
                  "equivalents; the flavor keeps its name",
    finds_under=resolve.FINDS_UNDER,
)
