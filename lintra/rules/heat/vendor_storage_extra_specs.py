"""LH117 heat-vendor-storage-extra-specs: volume/share type extra specs that one vendor's driver owns.

Cinder and Manila let a driver claim keys in a type's extra specs with its own scope
(``netapp:qos_policy_group``, ``hpe3par:persona``, ``drivers:rsize``; Cinder's driver base class,
``_init_vendor_properties``: "Vendor unique properties must start with vendor prefix + ':'"); the scheduler ignores such
scoped keys and only that vendor's driver reads them, so on any other back end the storage class the
template asks for silently loses its meaning. Unscoped vendor capabilities (``netapp_raid_type``,
``huawei_smartcache``, also written ``capabilities:huawei_smartcache``) are matched by the
CapabilitiesFilter against what the back end reports, and only that vendor's driver reports them:
elsewhere the type does not schedule at all. Each prefix below is taken from the driver's own
documentation or source and names one vendor: NetApp ONTAP (``netapp:``, ``netapp_``), HPE
3PAR/Primera/Alletra (``hpe3par:``, ``hpe3par_``, and the pre-Mitaka ``hp3par`` spellings), HPE
LeftHand (``hpelh:``, ``hplh:``), HPE Nimble (``nimble:``), Pure FlashArray (``flasharray:``), IBM
Storage Virtualize/Storwize (``drivers:``), Dell EMC PowerMax/VMAX, VNX and Unity (``storagetype:``),
Dell EMC ScaleIO (``sio:``), Oracle ZFSSA (``zfssa:``), Hitachi VSP (``hbsd:``), Datera (``DF:``)
and Huawei OceanStor (``huawei_*``, ``smarttier``, ``smartcache``, ``smartpartition``,
``hypermetro``). Open or common keys stay silent: ``capabilities:thin_provisioning``,
``driver_handles_share_servers``, ``snapshot_support``, ``provisioning:type``,
``replication_enabled``, ``volume_backend_name``, ``cephfs:*``, ``zfsonlinux:*``; ``vmware:*``
volume types are LH112's.

An organisation whose clouds run another vendor's driver lists that driver's scopes in
``extra_scopes`` (key prefix -> vendor); one whose every cloud has the same array accepts its
scopes in ``accepted_scopes``. Both are key prefixes as above, compared after a leading
``capabilities:``.

QoS specs (``OS::Cinder::QoSSpecs``) are not judged: the back-end QoS keys drivers read there
(``maxIOPS``, ``maxBWS``, ``minIOPS``, ``IOType``, ``latency``, ``qos:IOThrottling``) are unscoped
names several vendors share, so they name no single vendor.

References:
- https://docs.openstack.org/manila/latest/admin/capabilities_and_extra_specs.html
- https://opendev.org/openstack/cinder/src/branch/master/cinder/volume/driver.py
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/netapp-volume-driver.html
- https://opendev.org/openstack/manila/src/branch/master/manila/share/drivers/netapp/dataontap/cluster_mode/lib_base.py
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/hpe-3par-driver.html
- https://docs.openstack.org/manila/latest/configuration/shared-file-systems/drivers/hpe-3par-share-driver.html
- https://opendev.org/openstack/manila/src/branch/master/manila/share/drivers/hpe/hpe_3par_mediator.py
- https://opendev.org/openstack/cinder/src/branch/master/cinder/volume/drivers/hpe/hpe_lefthand_iscsi.py
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/nimble-volume-driver.html
- https://opendev.org/openstack/cinder/src/branch/master/doc/source/configuration/tables/manual/cinder-pure_storage_extraspecs.inc
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/ibm-storwize-svc-driver.html
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/dell-emc-powermax-driver.html
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/dell-emc-vnx-driver.html
- https://docs.openstack.org/cinder/queens/configuration/block-storage/drivers/dell-emc-scaleio-driver.html
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/zfssa-iscsi-driver.html
- https://docs.openstack.org/cinder/latest/configuration/block-storage/drivers/hitachi-vsp-driver.html
- https://opendev.org/openstack/cinder/src/branch/master/cinder/volume/drivers/huawei/huawei_utils.py
- https://opendev.org/openstack/manila/src/commit/90060722a9c33176f705705dd071052cddf4d3dd/doc/source/contributor/huawei_nas_driver.rst
- https://opendev.org/openstack/cinder/src/branch/master/cinder/volume/drivers/datera/datera_api22.py
"""

from lintra.check.params import effective
from lintra.rules.docstring import rationale, references
from lintra.model import Rule
from lintra.rules.heat import resolve

#: (key prefixes, vendor, product). A prefix ending in ":" is a driver scope, one ending in "_" a
#: vendor capability (the Manila convention "vendor prefix followed by an underscore"); Huawei's
#: feature names (SmartTier, SmartCache, SmartPartition, HyperMetro) stand alone as capabilities
#: and as scopes (``smartcache:cachename``).
SCOPES = (
    (("netapp:", "netapp_"), "netapp", "NetApp ONTAP"),
    (("hpe3par:", "hpe3par_", "hp3par:", "hp3par_"), "hpe", "HPE 3PAR/Primera/Alletra"),
    (("hpelh:", "hplh:"), "hpe", "HPE LeftHand/StoreVirtual"),
    (("nimble:",), "hpe", "HPE Nimble Storage"),
    (("flasharray:",), "pure", "Pure Storage FlashArray"),
    (("drivers:",), "ibm", "IBM Storage Virtualize (Storwize/SVC)"),
    (("storagetype:",), "dell", "Dell EMC PowerMax/VMAX, VNX or Unity"),
    (("sio:",), "dell", "Dell EMC ScaleIO/VxFlex OS"),
    (("zfssa:",), "oracle", "Oracle ZFS Storage Appliance"),
    (("hbsd:",), "other", "Hitachi VSP"),
    (("DF:",), "other", "Datera"),
    (("huawei_", "smarttier", "smartcache", "smartpartition", "hypermetro"), "other", "Huawei OceanStor"),
)

#: Keys of a vendor scope that a second vendor's driver reads too: Fujitsu's ETERNUS DX driver was
#: derived from EMC's SMI-S driver and kept its ``storagetype:pool`` and ``storagetype:provisioning``.
SHARED = {
    "storagetype:pool": ("other", "Dell EMC or Fujitsu ETERNUS DX"),
    "storagetype:provisioning": ("other", "Dell EMC or Fujitsu ETERNUS DX"),
}

#: Heat resource type -> (property holding the extra specs, what the message calls it)
TYPES = {
    "OS::Cinder::VolumeType": ("metadata", "volume type"),
    "OS::Manila::ShareType": ("extra_specs", "share type"),
}


def owner(key, extra=None, accepted=()):
    """``(vendor, product)`` of the driver that owns extra-spec ``key``, or None for open/common keys
    (and those of ``accepted`` scopes); ``extra`` maps further scopes to their vendor."""
    if key.startswith("capabilities:"):
        key = key[len("capabilities:"):]
    if accepted and key.startswith(tuple(accepted)):
        return None
    for prefix, vendor in (extra or {}).items():
        if key.startswith(prefix):
            return vendor, f"{prefix} ({vendor})"
    if key in SHARED:
        return SHARED[key]
    for prefixes, vendor, product in SCOPES:
        if key.startswith(prefixes):
            return vendor, product
    return None


def check(document, scan):
    params = effective(RULE, scan)
    extra, accepted = params["extra_scopes"], params["accepted_scopes"]
    for name, kind, properties in resolve.resources_of(document, TYPES):
        prop, noun = TYPES[kind]
        if prop not in properties:
            continue
        pointer = ("resources", name, "properties", prop)
        # {get_param: specs} is judged on every value the parameter can take; other intrinsics
        # resolve to nothing (unknown, not coupled)
        for specs in resolve.candidates(document, pointer, properties[prop], scan):
            if not isinstance(specs.value, dict):
                continue
            for key in specs.value:
                found = owner(key, extra, accepted) if isinstance(key, str) else None
                if found:
                    vendor, product = found
                    yield specs.hit((key,), f"{noun} '{name}' sets {key}, an extra spec of the {product} "
                                            f"driver", at="key", vendor=vendor, service=f"{product} Cinder/Manila driver")


#: a template without a volume or share type is not given to the check (:func:`resolve.looks_at_types`)
check.looks = resolve.looks_at_types(TYPES.__contains__)


EXAMPLES = {
    "fail": [{"content": "heat_template_version: 2018-08-31\nresources:\n  gold:\n    type: OS::Cinder::VolumeType\n"
                         "    properties:\n      name: gold\n      metadata: {\"netapp:qos_policy_group\": gold}\n",
              "expect": [{"line": 7, "column": 18}]}],  # the extra spec's key
    "pass": ["heat_template_version: 2018-08-31\nresources:\n  gold:\n    type: OS::Cinder::VolumeType\n"
             "    properties:\n      name: gold\n      metadata: {volume_backend_name: ceph}\n"],
}

RULE = Rule(
    id="LH117",
    name="heat-vendor-storage-extra-specs",
    title="Cinder volume type or Manila share type with vendor-scoped extra specs",
    vendor="other",
    category="storage",
    strength="hard",
    severity="error",
    kinds=("heat",),
    rationale=rationale(__doc__),
    remediation="Describe the storage class with common capabilities (thin_provisioning, dedupe, "
                "compression, replication_enabled, QoS front-end specs) and leave vendor-scoped specs "
                "to the operator's own volume and share types; consider Ceph RBD/CephFS for a "
                "vendor-neutral back end.",
    references=references(__doc__),
    check=check,
    origin=__name__,
    examples=EXAMPLES,
    service="vendor Cinder and Manila storage drivers", effort=3,
    effort_reason="the type's vendor specs are replaced by a back end's capabilities on the target, and the "
                  "volumes or shares of the type are migrated",
    vendors=sorted({vendor for _, vendor, _ in SCOPES} | {vendor for vendor, _ in SHARED.values()}),
    params={
        "extra_scopes": {
            "type": "vendor_map", "default": {},
            "description": "Further extra-spec key prefixes (a driver scope ending in ':', a capability prefix "
                           "ending in '_') with the vendor whose Cinder or Manila driver reads them (Cinder's "
                           "driver.py _init_vendor_properties: vendor properties start with the vendor prefix "
                           "and ':')."},
        "accepted_scopes": {
            "type": "strings", "default": [],
            "description": "Extra-spec key prefixes of vendor drivers the organisation runs on every cloud: not "
                           "reported."},
    },
    services=sorted({f"{product} Cinder/Manila driver" for _, _, product in SCOPES}
                    | {f"{product} Cinder/Manila driver" for _, product in SHARED.values()}),
    finds_under=resolve.FINDS_UNDER,
)
