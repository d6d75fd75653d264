"""LH128 heat-env-vendor-neutron-plugin and LH129 heat-env-vendor-storage-driver: an environment's parameters name a vendor's Neutron plugin (LH128) or Cinder/Manila driver (LH129).

TripleO (and any Heat-deployed OpenStack) selects its SDN and storage back ends through parameters
as much as through the resource registry: ``NeutronCorePlugin`` names the core plugin class,
``NeutronMechanismDrivers`` and ``NeutronServicePlugins`` list ML2 mechanism drivers and service
plugins by entry-point alias, ``BgpvpnServiceProvider``/``NeutronServiceProviders`` name service
drivers, and hiera in ``*ExtraConfig`` sets Cinder ``volume_driver`` and Manila ``share_driver``
classes, whatever the parameter is called. A value that names one vendor's plugin or driver makes
every network or volume of the cloud depend on that vendor's controller or array:

- Juniper Contrail / Tungsten Fabric (``neutron_plugin_contrail``, ``contrail_plugin``,
  ``networking_opencontrail``, the OpenContrail BGPVPN driver), Nokia Nuage (``nuage_neutron``,
  mechanism driver ``nuage``), Cisco (``networking_cisco``, ``cisco_vts``, ``cisco_nexus``,
  ``cisco_ucsm``, ``apic_aim``), Big Switch (``networking_bigswitch``, ``bsn_ml2``, ``bsn_l3``),
  Mellanox/NVIDIA (``networking_mlnx``, ``mlnx_sdn_assist``, ``mlnx_infiniband``), Arista
  (``networking_arista``, ``arista``), VMware (``vmware_nsx`` service plugins, ``vmware_dvs``);
- Cinder drivers under ``cinder.volume.drivers.`` of Dell EMC, NetApp (incl. SolidFire), Pure,
  HPE, IBM, Hitachi, Huawei, Fujitsu, NEC, Infinidat, Oracle ZFSSA and others, and Manila drivers
  under ``manila.share.drivers.`` of the same vendors.

ML2 itself, OVN, Open vSwitch, Linux bridge, SR-IOV, OpenDaylight, VPP, Ceph RBD/CephFS, LVM and
NFS are open and stay silent. One coupling is reported once: not when the same environment's
``resource_registry`` enables that vendor's service (LH124/LH125), nor for ``NeutronCorePlugin:
vmware_nsx...`` (LH120) or VMware drivers (LH127).

An organisation whose clouds run a further vendor's plugin or driver names it in ``extra_drivers``
(the value, exact, or a module path prefix ending in ``.``, with its vendor); one that runs the same
vendor back end on every cloud it deploys to lists it in ``accepted_drivers`` (same form).

References:
- https://docs.openstack.org/neutron/latest/admin/config-ml2.html
- https://docs.openstack.org/neutron/latest/configuration/neutron.html#DEFAULT.core_plugin
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments/neutron-ml2-bigswitch.yaml
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments/services/neutron-mlnx-agent.yaml
- https://github.com/tungstenfabric/tf-tripleo-heat-templates
- https://github.com/nuagenetworks/nuage-openstack-neutron
- https://opendev.org/x/networking-cisco
- https://opendev.org/x/networking-arista
- https://docs.openstack.org/networking-bgpvpn/latest/user/drivers/index.html
- https://docs.openstack.org/cinder/latest/reference/support-matrix.html
- https://docs.openstack.org/manila/latest/admin/share_back_ends_feature_support_mapping.html
"""

from __future__ import annotations

from lintra import lazy_re
from lintra.check.params import effective
from lintra.model import Hit, Rule
from lintra.rules.docstring import rationale, references
from lintra.rules.heat import environments, vendor_types

#: (pattern on one value or list item, vendor, product); the storage drivers are ``STORAGE_DRIVERS``
NETWORK_DRIVERS = tuple((lazy_re.compile(pattern), vendor, product) for pattern, vendor, product in (
    (r"^(neutron_plugin_contrail|contrail_plugin|networking_opencontrail|neutron_plugin_opencontrail)\b"
     r"|opencontrail\.OpenContrailBGPVPNDriver|^BGPVPN:OpenContrail:", "juniper", "Contrail/Tungsten Fabric"),
    (r"^nuage_neutron\b|^nuage(_\w+)?$|^BGPVPN:Nuage:|^NuagePortAttributes$", "nokia", "Nuage VSP"),
    (r"^networking_cisco\b|^cisco_\w+$|^apic_aim$", "cisco", "Cisco"),
    (r"^networking_bigswitch\b|^bsn_\w+$", "other", "Big Switch BCF"),
    (r"^networking_mlnx\b|^mlnx(_\w+)?$", "other", "Mellanox (NVIDIA) networking"),
    (r"^networking_arista\b|^arista(_\w+)?$", "other", "Arista CloudVision"),
    (r"^vmware_nsx\w*\b|^vmware_dvs$", "vmware", "VMware NSX"),
))
STORAGE_DRIVERS = tuple((lazy_re.compile(pattern), vendor, product) for pattern, vendor, product in (
    (r"^cinder\.volume\.drivers\.(dell_emc|dell|emc|coprhd)\.|^manila\.share\.drivers\.(dell_emc|emc)\.",
     "dell", "Dell EMC"),
    (r"^cinder\.volume\.drivers\.(netapp|solidfire)\b|^manila\.share\.drivers\.netapp\.", "netapp", "NetApp"),
    (r"^cinder\.volume\.drivers\.pure\.|^manila\.share\.drivers\.purestorage\.", "pure", "Pure Storage"),
    (r"^cinder\.volume\.drivers\.(hpe|san\.hp)\b|^manila\.share\.drivers\.hpe\.", "hpe", "HPE"),
    (r"^cinder\.volume\.drivers\.ibm\.|^manila\.share\.drivers\.ibm\.", "ibm", "IBM"),
    (r"^cinder\.volume\.drivers\.zfssa\.|^manila\.share\.drivers\.zfssa\.", "oracle", "Oracle ZFS Storage Appliance"),
    (r"^cinder\.volume\.drivers\.(hitachi|huawei|fujitsu|nec|infinidat|kaminario|nexenta|datera|zadara|"
     r"veritas_access|inspur|macrosan|synology|stx|toyou|fusionstorage|open_e|lenovo|dothill|sandstone)\.|"
     r"^manila\.share\.drivers\.(hitachi|huawei|infinidat|nexenta|veritas|inspur|macrosan|qnap|infortrend)\.",
     "other", "a storage vendor's array"),
))
#: one search that fails wherever every pattern of a table fails: most values name no driver
_ANY = {drivers: lazy_re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in drivers))
        for drivers in (NETWORK_DRIVERS, STORAGE_DRIVERS)}
#: reported by LH120 and LH127
_ELSEWHERE = lazy_re.compile(r"^vmware_(nsx|dvs)|^cinder\.volume\.drivers\.vmware\.")
_SPLIT = lazy_re.compile(r"\s*,\s*")
_MAX_NODES = 10000  # a parameter_defaults tree is small; a bomb-shaped one is not walked whole


def _values(node, pointer, budget):
    """``(pointer, key, string)`` of every string below ``node``; a comma-separated string yields
    its items at the string's own pointer."""
    stack = [(pointer, None, node)]
    while stack and budget[0] > 0:
        budget[0] -= 1
        at, key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((at + (k,), k, v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((at + (i,), key, v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            for item in _SPLIT.split(value.strip()):
                if item:
                    yield at, key, item


def _maker(vendor: str, product: str) -> str:
    # vendor "other" covers many makers: tell them apart by the product's first word (Mellanox, Big)
    return vendor if vendor != "other" else product.split()[0]


def _enabled_vendors(document):
    """Makers whose service the environment's registry enables (LH124/LH125 report those)."""
    vendors = set()
    for _, alias, target, _ in environments.registry_entries(document):
        if target in (None, "OS::Heat::None"):
            continue
        found = vendor_types.tripleo_service(target) or vendor_types.tripleo_service(alias)
        if found:
            vendors.add(_maker(found[0], found[1]))
    return vendors


def driver(value: str, drivers=NETWORK_DRIVERS + STORAGE_DRIVERS):
    """``(vendor, product)`` of the vendor plugin or driver a value names, else None."""
    for pattern, vendor, product in drivers:
        if pattern.search(value):
            return vendor, product
    return None


def _parameter(pointer, key) -> str:
    # the hiera key or parameter that holds the value, not hiera's own ``value`` wrapper
    return next((p for p in reversed(pointer) if isinstance(p, str) and p != "value"), str(key))


def _named(entries, value):
    """The entry of ``entries`` that names ``value``: the value itself, or a module path prefix of
    it ending in ``.``; None when none does."""
    for entry in entries:
        if value == entry or (entry.endswith(".") and value.startswith(entry)):
            return entry
    return None


#: where LH128 and LH129 find: the values of an environment's parameters
DRIVER_PLACES = [("parameter_defaults",), ("parameters",)]


def check_network(document, scan):
    return _check(document, NETWORK_DRIVERS, effective(RULE, scan))


def check_storage(document, scan):
    return _check(document, STORAGE_DRIVERS, effective(STORAGE_RULE, scan))


def _strings(data):
    """``(pointer, key, string)`` of the parameters' values that LH120/LH127 do not report, in
    order (both sections, within one budget): what LH128 and LH129 look at, walked once for both
    (remembered for the environment asked about last; documents are not modified after loading)."""
    global _walked
    walked, found = _walked  # one tuple, read and replaced whole: a thread never sees half of it
    if walked is not data:
        found = []
        budget = [_MAX_NODES]
        elsewhere = _ELSEWHERE.search
        for section in ("parameter_defaults", "parameters"):
            values = data.get(section)
            if isinstance(values, dict):
                found.extend(item for item in _values(values, (section,), budget) if not elsewhere(item[2]))
        _walked = (data, found)
    return found


#: the data :func:`_strings` answered for last, and its answer
_walked: tuple = (None, [])


def _check(document, drivers, params):
    extra, accepted = params["extra_drivers"], params["accepted_drivers"]
    data = document.data if isinstance(document.data, dict) else {}
    enabled = None
    named = _ANY[drivers].search
    reported = set()  # pointers start with their section: one set serves both
    for pointer, key, item in _strings(data):
        if pointer in reported:
            continue
        if accepted and _named(accepted, item):
            continue
        entry = _named(extra, item) if extra else None
        found = (extra[entry], f"the {entry} driver of {extra[entry]}") if entry else \
            driver(item, drivers) if named(item) else None
        if found is None:
            continue
        enabled = _enabled_vendors(document) if enabled is None else enabled
        vendor, product = found
        if _maker(vendor, product) in enabled:
            continue
        reported.add(pointer)
        yield Hit(pointer, f"{_parameter(pointer, key)} selects {product} ({item})", at="value", vendor=vendor,
                  service=product)


EXAMPLES = {
    "fail": [{"content": "parameter_defaults:\n  NeutronMechanismDrivers: ['ovn', 'cisco_nexus']\n",
              "expect": [{"line": 2, "column": 36}]}],  # the vendor list item
    "pass": ["parameter_defaults:\n  NeutronMechanismDrivers: ['ovn', 'sriovnicswitch']\n"],
}
STORAGE_EXAMPLES = {
    "fail": [{"content": "parameter_defaults:\n  ControllerExtraConfig:\n    cinder::config::cinder_config:\n"
                         "      tripleo_3par/volume_driver:\n"
                         "        value: cinder.volume.drivers.hpe.hpe_3par_fc.HPE3PARFCDriver\n",
              "expect": [{"line": 5, "column": 16}]}],
    "pass": ["parameter_defaults:\n  ControllerExtraConfig:\n    cinder::config::cinder_config:\n"
             "      tripleo_ceph/volume_driver:\n        value: cinder.volume.drivers.rbd.RBDDriver\n"],
}

#: LH128's and LH129's parameters (the shape of LK116's: a vendor_map of further drivers, the
#: accepted ones as strings)
DRIVER_PARAMS = {
    "extra_drivers": {
        "type": "vendor_map", "default": {},
        "description": "Further plugins or drivers an environment parameter may name (the value exactly, or a "
                       "Python module path prefix ending in '.', as Neutron's core_plugin and Cinder's "
                       "volume_driver take them: docs.openstack.org/neutron/latest/configuration/neutron.html, "
                       "docs.openstack.org/cinder/latest/reference/support-matrix.html) with their vendor."},
    "accepted_drivers": {
        "type": "strings", "default": [],
        "description": "Vendor plugins or drivers (the value exactly, or a module path prefix ending in '.') the "
                       "organisation runs on every cloud it deploys to: not reported."},
}

RULE = Rule(
    id="LH128",
    name="heat-env-vendor-neutron-plugin",
    title="Environment parameters select a vendor Neutron plugin or mechanism driver",
    vendor="other",  # each finding names the plugin's vendor
    category="network",
    strength="substrate",
    severity="error",
    kinds=("heat-env",),
    rationale=rationale(__doc__),
    remediation="Use ML2 with OVN or Open vSwitch, keep vendor SDN choices in the operator's environment, "
                "or sanction the vendor for this deployment.",
    references=references(__doc__),
    check=check_network,
    origin=__name__,
    examples=EXAMPLES,
    service="vendor Neutron plugins and mechanism drivers", effort=4,
    effort_reason="the cloud's SDN is replaced (ML2/OVN): every network, router and security group is "
                  "re-created and traffic cut over",
    vendors=sorted({vendor for _, vendor, _ in NETWORK_DRIVERS}),
    services=sorted({product for _, _, product in NETWORK_DRIVERS}),
    params=DRIVER_PARAMS,
    finds_under=DRIVER_PLACES,
)

STORAGE_RULE = Rule(
    id="LH129",
    name="heat-env-vendor-storage-driver",
    title="Environment parameters select a vendor Cinder or Manila driver",
    vendor="other",  # each finding names the driver's vendor
    category="storage",
    strength="substrate",
    severity="error",
    kinds=("heat-env",),
    rationale=rationale(__doc__),
    remediation="Use an open storage back end (Ceph RBD/CephFS, LVM, NFS), keep array choices in the "
                "operator's environment, or sanction the vendor for this deployment.",
    references=references(__doc__),
    check=check_storage,
    origin=__name__,
    examples=STORAGE_EXAMPLES,
    service="vendor Cinder and Manila drivers", effort=4,
    effort_reason="the cloud's block or file back end is replaced and its volumes or shares migrated",
    vendors=sorted({vendor for _, vendor, _ in STORAGE_DRIVERS}),
    services=sorted({product for _, _, product in STORAGE_DRIVERS}),
    params=DRIVER_PARAMS,
    finds_under=DRIVER_PLACES,
)
