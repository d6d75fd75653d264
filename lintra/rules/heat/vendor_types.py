"""Which vendor a Heat resource type or TripleO service alias belongs to, from the plugins that define them.

Two tables: resource types shipped by vendor Heat plugins (by name prefix), and the TripleO
composable services that deploy a vendor back end (their default in
``overcloud-resource-registry-puppet.j2.yaml`` is ``OS::Heat::None``; an environment enables one by
mapping it to the vendor's service template).

References:
- https://github.com/tungstenfabric/tf-heat-plugin (OS::Contrail::*, OS::ContrailV2::*)
- https://github.com/openstack/heat/tree/stable/newton/contrib/rackspace (Rackspace::*)
- https://github.com/openstack/heat/blob/stable/newton/doc/source/template_guide/contrib.rst (heat's
  contrib tree: the Rackspace Cloud types Rackspace::* and the DockerInc::Docker::Container plugin,
  "not enabled by default"; its OS::* contrib types are OpenStack projects', not a vendor's)
- https://github.com/F5Networks/f5-openstack-heat (F5::*)
- https://github.com/nuagenetworks/heat (Nuage::Neutron::*)
- https://pypi.org/project/heat-infoblox/ (Infoblox::Grid::*, Infoblox::NetMRI::*)
- https://github.com/rackspace-orchestration-templates (OS::Heat::ChefSolo: "a Heat provider that
  supports the Rackspace OS::Heat::ChefSolo plugin")
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/overcloud-resource-registry-puppet.j2.yaml
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/environments
- https://github.com/tungstenfabric/tf-tripleo-heat-templates (environments/contrail/contrail-services.yaml)
- https://github.com/nuagenetworks/nuage-tripleo-heat-templates
"""

from __future__ import annotations


from lintra import lazy_re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional, Tuple

#: (type prefix ending in ``::`` or exact name, vendor, product, rule that already reports the type itself or None)
PLUGIN_TYPES = (
    ("OS::Contrail::", "juniper", "Contrail/Tungsten Fabric", "LH101"),
    ("OS::ContrailV2::", "juniper", "Contrail/Tungsten Fabric", "LH101"),
    ("Rackspace::", "rackspace", "Rackspace Cloud", "LH102"),
    ("F5::", "f5", "F5 BIG-IP", "LH103"),
    ("CloudSigma::", "other", "CloudSigma", "LH105"),
    ("DockerInc::", "other", "Docker (heat_docker)", "LH105"),
    ("OS::GroupBasedPolicy::", "other", "Group-Based Policy", "LH105"),
    ("OS::Nova::VenafiCertificate", "other", "Venafi", "LH105"),
    ("Nuage::", "nokia", "Nuage VSP", None),
    # Rackspace Cloud Orchestration's own plugin: its templates require "a Heat provider that
    # supports the Rackspace OS::Heat::ChefSolo plugin", and `rack orchestration resource
    # list-types` lists it beside Rackspace::*; upstream Heat never registered it
    ("OS::Heat::ChefSolo", "rackspace", "Rackspace Cloud Orchestration", None),
    ("Infoblox::", "other", "Infoblox", None),
)

#: Most services are ``OS::TripleO::Services::X``; older ones (the Big Switch agent) ``OS::TripleO::X``.
_PREFIXES = ("OS::TripleO::Services::", "OS::TripleO::")
#: TripleO service -> (vendor, product, environment flag that LH120-123 report for the same choice)
TRIPLEO_VENDOR_SERVICES = {
    "CinderBackendDellSc": ("dell", "Dell SC", "CinderEnableDellScBackend"),
    "CinderBackendDellEMCSc": ("dell", "Dell EMC SC", "CinderEnableScBackend"),
    "CinderBackendDellEMCPowerFlex": ("dell", "Dell EMC PowerFlex", "CinderEnablePowerFlexBackend"),
    "CinderBackendDellEMCPowermax": ("dell", "Dell EMC PowerMax", "CinderEnablePowermaxBackend"),
    "CinderBackendDellEMCPowerStore": ("dell", "Dell EMC PowerStore", "CinderEnablePowerStoreBackend"),
    "CinderBackendDellEMCUnity": ("dell", "Dell EMC Unity", "CinderEnableDellEMCUnityBackend"),
    "CinderBackendDellEMCVMAXISCSI": ("dell", "Dell EMC VMAX", "CinderEnableDellEMCVMAXISCSIBackend"),
    "CinderBackendDellEMCVNX": ("dell", "Dell EMC VNX", "CinderEnableDellEMCVNXBackend"),
    "CinderBackendDellEMCVxFlexOS": ("dell", "Dell EMC VxFlex OS", "CinderEnableVxFlexOSBackend"),
    "CinderBackendVxFlexOS": ("dell", "Dell EMC VxFlex OS", "CinderEnableVxFlexOSBackend"),
    "CinderBackendDellEMCXtremio": ("dell", "Dell EMC XtremIO", "CinderEnableXtremioBackend"),
    "CinderBackendDellEMCXTREMIOISCSI": ("dell", "Dell EMC XtremIO", "CinderEnableDellEMCXTREMIOIscsiBackend"),
    "CinderBackendDellEMCXTREMIOIscsi": ("dell", "Dell EMC XtremIO", "CinderEnableDellEMCXTREMIOIscsiBackend"),
    "CinderBackendScaleIO": ("dell", "Dell EMC ScaleIO", "CinderEnableScaleIOBackend"),
    "CinderBackendNetApp": ("netapp", "NetApp ONTAP", "CinderEnableNetappBackend"),
    "CinderBackendPure": ("pure", "Pure Storage FlashArray", "CinderEnablePureBackend"),
    "CinderHPELeftHandISCSI": ("hpe", "HPE LeftHand/StoreVirtual", None),
    "CinderBackendVRTSHyperScale": ("other", "Veritas HyperScale", None),
    "VRTSHyperScale": ("other", "Veritas HyperScale", None),
    "ManilaBackendIsilon": ("dell", "Dell EMC Isilon", None),
    "ManilaBackendUnity": ("dell", "Dell EMC Unity", None),
    "ManilaBackendVMAX": ("dell", "Dell EMC VMAX", None),
    "ManilaBackendVNX": ("dell", "Dell EMC VNX", None),
    "ManilaBackendNetapp": ("netapp", "NetApp ONTAP", None),
    "NeutronCorePluginNSX": ("vmware", "VMware NSX", "NeutronCorePlugin"),
    "NeutronCorePluginNuage": ("nokia", "Nuage VSP", None),
    "NeutronCorePluginML2Nuage": ("nokia", "Nuage VSP", None),
    "ComputeNeutronCorePluginNuage": ("nokia", "Nuage VSP", None),
    "NeutronNuageVrs": ("nokia", "Nuage VSP", None),
    "NeutronCorePluginVTS": ("cisco", "Cisco VTS", None),
    "NeutronCorePluginMLNXSDN": ("other", "Mellanox NEO SDN", None),
    "NeutronBigswitchAgent": ("other", "Big Switch BCF", None),
}


#: Vendor services by name, for the many a vendor's own TripleO environments add (Contrail ships
#: ContrailAnalytics, ContrailControl, ContrailVrouter ... and NeutronCorePluginContrail):
#: ``(pattern on the service name, vendor, product, category)``. OVN, OVS, OpenDaylight, VPP and
#: Ceph services are open and match none.
SERVICE_PATTERNS = tuple((lazy_re.compile(pattern), vendor, product, category) for pattern, vendor, product, category in (
    (r"Contrail|Tungsten", "juniper", "Contrail/Tungsten Fabric", "network"),
    (r"Nuage", "nokia", "Nuage VSP", "network"),
    (r"NSX|Nsx", "vmware", "VMware NSX", "network"),
    (r"VTS|Cisco|Nexus|Ucsm|UCSM|N1kv|N1KV|Aci(?![a-z])|ACI(?![a-z])", "cisco", "Cisco", "network"),
    (r"Bigswitch|BigSwitch", "other", "Big Switch BCF", "network"),
    (r"MLNX|Mlnx|Mellanox", "other", "Mellanox (NVIDIA) networking", "network"),
    (r"Arista", "other", "Arista CloudVision", "network"),
    (r"Plumgrid|PLUMgrid", "other", "PLUMgrid", "network"),
    (r"^(Cinder|Manila)(Backend)?(DellEMC|DellSc|Dell|PowerFlex|Powermax|PowerMax|PowerStore|Unity|VMAX|VNX|"
     r"VxFlexOS|ScaleIO|Xtremio|XtremIO|Isilon)", "dell", "Dell EMC", "storage"),
    (r"^(Cinder|Manila)(Backend)?(NetApp|Netapp|SolidFire)", "netapp", "NetApp", "storage"),
    (r"^(Cinder|Manila)(Backend)?Pure", "pure", "Pure Storage", "storage"),
    (r"^(Cinder|Manila)(Backend)?(HPE|Hpe|3Par|3PAR|LeftHand|Nimble)", "hpe", "HPE", "storage"),
    (r"^(Cinder|Manila)(Backend)?(IBM|Ibm|Storwize|FlashSystem|Gpfs|GPFS)", "ibm", "IBM", "storage"),
    (r"^(Cinder|Manila)(Backend)?(Hitachi|Hnas|HNAS)", "other", "Hitachi", "storage"),
    (r"^(Cinder|Manila)(Backend)?Huawei", "other", "Huawei", "storage"),
    (r"^(Cinder|Manila)(Backend)?(Veritas|VRTS)|^VRTS", "other", "Veritas HyperScale", "storage"),
    (r"^(Cinder|Manila)(Backend)?(Infinidat|Datera|Kaminario|Nexenta|Zadara|Fujitsu)", "other",
     "a storage vendor's array", "storage"),
))


def _service_name(name) -> Optional[str]:
    if isinstance(name, str):
        for prefix in _PREFIXES:
            if name.startswith(prefix):
                return name[len(prefix):]
    return None


def service_name(name) -> Optional[str]:
    """The service of a TripleO alias (``CinderBackendPure`` of ``OS::TripleO::Services::CinderBackendPure``),
    or None for another name: what the rules' ``extra_services``/``accepted_services`` name."""
    return _service_name(name)


def service_category(name: str) -> str:
    """``network`` or ``storage``: what a TripleO vendor service deploys."""
    service = _service_name(name) or name
    if service in TRIPLEO_VENDOR_SERVICES:
        return "network" if "Neutron" in service else "storage"
    for pattern, _, _, category in SERVICE_PATTERNS:
        if pattern.search(service):
            return category
    return "network" if "Neutron" in service else "storage"


def plugin_vendors(reported_here_only: bool = False):
    """Every vendor a plugin type may belong to (only those no LH101-LH105 rule reports, when
    ``reported_here_only``), plus ``other`` for types attributed to no one."""
    return sorted({v for _, v, _, rule in PLUGIN_TYPES if not (reported_here_only and rule)} | {"other"})


def service_vendors(category: Optional[str] = None):
    """Every vendor a TripleO vendor service alias belongs to (of one ``category``, ``network``
    for the Neutron services or ``storage`` for the others, when given)."""
    return sorted({vendor for name, (vendor, _, _) in TRIPLEO_VENDOR_SERVICES.items()
                   if category is None or ("Neutron" in name) == (category == "network")}
                  | {vendor for _, vendor, _, kind in SERVICE_PATTERNS if category in (None, kind)})


def plugin_products(reported_here_only: bool = False):
    """The product of every plugin type (only those no LH101-LH105 rule reports, when asked)."""
    return sorted({p for _, _, p, rule in PLUGIN_TYPES if not (reported_here_only and rule)})


def service_products(category: Optional[str] = None):
    """The product of every TripleO vendor service (of one category, as :func:`service_vendors`)."""
    return sorted({product for name, (_, product, _) in TRIPLEO_VENDOR_SERVICES.items()
                   if category is None or ("Neutron" in name) == (category == "network")}
                  | {product for _, _, product, kind in SERVICE_PATTERNS if category in (None, kind)})


def plugin_type(resource_type: str) -> Optional[Tuple[str, str, Optional[str]]]:
    """``(vendor, product, rule id already reporting it)`` for a vendor plugin's type, else None."""
    for prefix, vendor, product, rule in PLUGIN_TYPES:
        if resource_type == prefix or (prefix.endswith("::") and resource_type.startswith(prefix)):
            return vendor, product, rule
    return None


def tripleo_service(name: str) -> Optional[Tuple[str, str, Optional[str]]]:
    """``(vendor, product, flag parameter)`` for a TripleO vendor service alias, else None: the
    services TripleO itself defines, then any service named after a vendor's product.

    Remembered by name: the same aliases and targets come back in every environment of a
    repository (tripleo's ``OS::TripleO::Services::*``), and each unknown one is tried against
    every pattern."""
    if name.__class__ is str:
        found = _SERVICES.get(name, _UNKNOWN)
        if found is _UNKNOWN:
            if len(_SERVICES) >= _REMEMBERED:
                _SERVICES.clear()
            found = _SERVICES[name] = _tripleo_service(name)
        return found
    return _tripleo_service(name)


#: name -> :func:`tripleo_service` of it, for names that are ``str`` exactly
_SERVICES: dict = {}
_UNKNOWN = object()
_REMEMBERED = 4096


def _tripleo_service(name) -> Optional[Tuple[str, str, Optional[str]]]:
    service = _service_name(name)
    if service is None:
        return None
    if service in TRIPLEO_VENDOR_SERVICES:
        return TRIPLEO_VENDOR_SERVICES[service]
    for pattern, vendor, product, _ in SERVICE_PATTERNS:
        if pattern.search(service):
            return vendor, product, None
    return None


def vendor_of(name: str) -> Optional[Tuple[str, str]]:
    """``(vendor, product)`` when a type or alias name alone tells the vendor."""
    found = plugin_type(name) or tripleo_service(name)
    return (found[0], found[1]) if found else None
