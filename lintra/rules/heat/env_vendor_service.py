"""LH124 heat-env-vendor-storage-service: an environment enables a TripleO vendor storage back-end service.

TripleO composes the cloud from services named in the resource registry. Vendor back ends are
services that default to ``OS::Heat::None`` (``overcloud-resource-registry-puppet.j2.yaml``); an
environment enables one by mapping it to the vendor's service template
(``OS::TripleO::Services::ManilaBackendIsilon: ../deployment/manila/manila-backend-isilon.yaml``) or
by pointing a generic service at the vendor alias (``NeutronCorePlugin: ...NeutronCorePluginNSX``).
From then on block or file storage runs on that vendor's array: Dell EMC (Isilon, Unity, VMAX, VNX,
PowerMax ...), NetApp, Pure, HPE LeftHand, Veritas HyperScale. (Network services: LH125.)

When the same file also sets the service's enable flag (``CinderEnablePureBackend: true``,
``NeutronCorePlugin: vmware_nsx...``), LH120-LH123 already report that choice there, so these rules
stay silent on the registry line to report one coupling once.

An organisation's own composable service for a vendor back end is named in ``extra_services``
(the service name after ``OS::TripleO::Services::`` or ``OS::TripleO::``, with its vendor;
LH125 reports the Neutron ones, LH124 the others); a vendor service every cloud it deploys to
runs goes in ``accepted_services`` and is not reported.

References:
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/overcloud-resource-registry-puppet.j2.yaml
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments
- https://docs.openstack.org/project-deploy-guide/tripleo-docs/latest/features/deploy_manila.html
"""

from lintra import lazy_re
from lintra.check.params import effective
from lintra.rules.docstring import rationale, references
from lintra.model import Hit, Rule
from lintra.rules.heat import environments, vendor_types

_DISABLED = (None, "OS::Heat::None")
#: How LH120-LH123 read an enable flag: a true boolean (or "true"), or NeutronCorePlugin vmware_nsx/dvs.
_REPORTED_FLAG = lazy_re.compile(r"(?i)^true$|^vmware_(nsx|dvs)")


#: LH124's and LH125's parameters: one declaration, so ``"*"`` sets both alike (each rule reports
#: the services of its category)
SERVICE_PARAMS = {
    "extra_services": {
        "type": "vendor_map", "default": {},
        "description": "Further TripleO composable services (the name after OS::TripleO::Services:: or "
                       "OS::TripleO::) that deploy a vendor's back end, with their vendor (services are "
                       "enabled by mapping them in resource_registry: opendev.org/openstack/"
                       "tripleo-heat-templates overcloud-resource-registry-puppet.j2.yaml)."},
    "accepted_services": {
        "type": "strings", "default": [],
        "description": "TripleO vendor services (the name after OS::TripleO::Services:: or OS::TripleO::) the "
                       "organisation runs on every cloud it deploys to: not reported."},
}


def _lookup(params):
    """``name -> (vendor, product, flag)`` or None: :func:`vendor_types.tripleo_service` with the
    run's extra and accepted services."""
    extra, accepted = params["extra_services"], set(params["accepted_services"])
    if not extra and not accepted:
        return vendor_types.tripleo_service

    def lookup(name):
        service = vendor_types.service_name(name)
        if service is None or service in accepted:
            return None
        if service in extra:
            return extra[service], f"{service} ({extra[service]})", None
        return vendor_types.tripleo_service(name)
    return lookup


def checker(category, rule):
    """The check for the vendor services of one category (Neutron services are ``network``);
    ``rule()`` is the rule whose parameters it reads."""
    def check(document, scan):
        tripleo_service = _lookup(effective(rule(), scan))
        for pointer, alias, target, _ in environments.registry_entries(document):
            if target in _DISABLED:
                continue
            named = target if tripleo_service(target) else alias
            service = tripleo_service(named)
            if service is None or vendor_types.service_category(named) != category:
                continue
            vendor, product, flag = service
            if flag and _flag_set(document, flag):
                continue
            yield Hit(pointer, f"resource_registry enables {alias} -> {target}, deploying on {product}",
                      at="key", vendor=vendor, service=product)
    return check


def _flag_set(document, flag):
    for section in ("parameter_defaults", "parameters"):
        values = document.data.get(section)
        if isinstance(values, dict) and _REPORTED_FLAG.search(str(values.get(flag))):
            return True
    return False


EXAMPLES = {
    "fail": [{"content": "resource_registry:\n"
                         "  OS::TripleO::Services::ManilaBackendIsilon: ../deployment/manila/manila-backend-isilon.yaml\n",
              "expect": [{"line": 2, "column": 3}]}],  # the service alias key
    "pass": ["resource_registry:\n  OS::TripleO::Services::ManilaBackendCephFs: cephfs.yaml\n"],
}

RULE = Rule(
    id="LH124",
    name="heat-env-vendor-storage-service",
    title="Environment enables a TripleO vendor storage back-end service",
    vendor="other",
    category="storage",
    strength="substrate",
    severity="error",
    kinds=("heat-env",),
    rationale=rationale(__doc__),
    remediation="Keep back-end selection in the operator's environment, prefer open back ends (Ceph RBD, "
                "CephFS), or sanction the vendor for this deployment.",
    references=references(__doc__),
    check=checker("storage", lambda: RULE),
    origin=__name__,
    examples=EXAMPLES,
    service="TripleO vendor storage back-end services", effort=4,
    effort_reason="the cloud's block or file back end is replaced and its volumes or shares migrated",
    vendors=vendor_types.service_vendors("storage"),
    services=vendor_types.service_products("storage"),
    params=SERVICE_PARAMS,
    finds_under=[("resource_registry",)],
)
