"""LK116 k8s-vendor-csi-driver: storage bound to one vendor's CSI driver, wherever the name is written.

A CSI driver is named in more places than a StorageClass ``provisioner``: a VolumeSnapshotClass
(or VolumeGroupSnapshotClass) ``driver`` takes snapshots through it, a CSIDriver object installs
it (``metadata.name``), a PersistentVolume's ``spec.csi.driver`` and a pod's inline CSI volume
attach through it. Each of those exists only where that vendor's array or cloud service is: NetApp
Trident, Portworx and Pure Service Orchestrator, Dell PowerFlex/PowerStore/PowerScale/Unity/
PowerMax, HPE, IBM, Oracle, Hitachi, Huawei, Nutanix, and the managed drivers of AWS (incl. EKS
Auto Mode's ``ebs.csi.eks.amazonaws.com``), Google Cloud, Azure and vSphere. Snapshot classes and
CSIDriver objects are reported for every vendor; StorageClasses, PVs and pods only for the drivers
the storage packs do not already report (LK102/LK103, LK201, LK301, LK401, LK601), so one
coupling is one finding. Each finding names the driver's vendor.

References:
- https://kubernetes.io/docs/concepts/storage/volume-snapshot-classes/
- https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-driver-v1/
- https://kubernetes.io/docs/concepts/storage/volumes/#csi
- https://kubernetes-csi.github.io/docs/drivers.html
- https://docs.netapp.com/us-en/trident/trident-use/vol-snapshots.html
- https://dell.github.io/csm-docs/docs/csidriver/
- https://scod.hpedev.io/csi_driver/using.html
"""

from lintra.check.params import effective
from lintra.domain.kubernetes import pods, resolve
from lintra.model import Hit, Rule
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.storage_drivers import DRIVERS, reported_by_packs, vendor_of

#: kind -> (apiVersion prefixes, pointer of the driver name, whether every vendor is reported there)
FIELDS = {
    "VolumeSnapshotClass": (("snapshot.storage.k8s.io/",), ("driver",), True),
    "VolumeGroupSnapshotClass": (("groupsnapshot.storage.k8s.io/",), ("driver",), True),
    "CSIDriver": (("storage.k8s.io/",), ("metadata", "name"), True),
    "StorageClass": (("storage.k8s.io/",), ("provisioner",), False),
    "PersistentVolume": (("v1",), ("spec", "csi", "driver"), False),
}


def _hit(document, pointer, name, what, found):
    vendor, product = found
    return Hit(pointer, f"{what} uses {product} (driver {name})", at="value", vendor=vendor, service=product)


def _lookup(params):
    """``name -> (vendor, product)`` or None, with the run's extra and accepted drivers."""
    extra, accepted = params["extra_drivers"], set(params["accepted_drivers"])

    def lookup(name):
        if not isinstance(name, str) or name in accepted:
            return None
        if name in extra:
            return extra[name], f"the {extra[name]} driver {name}"
        return vendor_of(name)
    return lookup


def check(document, scan):
    lookup = _lookup(effective(RULE, scan))
    data = document.data
    kind = data.get("kind")
    known = FIELDS.get(kind)
    if known and str(data.get("apiVersion", "")).startswith(known[0]):
        prefixes, pointer, every_vendor = known
        name = document.get(pointer)
        found = lookup(name)
        if found and (every_vendor or not reported_by_packs(name)):
            yield _hit(document, pointer, name, f"{kind} '{document.name or '?'}'", found)
    for pod in pods(data):
        volumes = resolve(data, pod.spec + ("volumes",))  # through a podSpecPatch too
        for i, volume in enumerate(volumes if isinstance(volumes, list) else ()):
            csi = volume.get("csi") if isinstance(volume, dict) else None
            name = csi.get("driver") if isinstance(csi, dict) else None
            found = lookup(name)
            if found and not reported_by_packs(name):
                yield _hit(document, pod.spec + ("volumes", i, "csi", "driver"), name,
                           f"{kind} '{document.name or '?'}' volume '{volume.get('name', i)}'", found)


EXAMPLES = {
    "fail": [{"content": "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
                         "driver: csi.trident.netapp.io\ndeletionPolicy: Delete\n",
              "expect": [{"line": 4, "column": 9}]},  # the driver value
             {"content": "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: ebs.csi.aws.com\n",
              "expect": [{"line": 4, "column": 9}]}],
    "pass": ["apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
             "driver: rbd.csi.ceph.com\ndeletionPolicy: Delete\n"],
}

RULE = Rule(
    id="LK116", name="k8s-vendor-csi-driver", title="Storage bound to one vendor's CSI driver",
    vendor="other",  # each finding names the driver's vendor
    category="storage", strength="hard", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Keep vendor drivers, their snapshot classes and StorageClasses in the platform layer under "
                "neutral class names, and let applications claim storage by class name only.",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="vendor CSI drivers", effort=3,
    effort_reason="volumes are copied to another driver's storage (Velero file-system backup or a data "
                  "mover) and the snapshot classes and CSIDriver replaced in the platform layer",
    vendors=sorted({vendor for vendor, _ in DRIVERS.values()}),
    services=sorted({product for _, product in DRIVERS.values()}),
    params={
        "extra_drivers": {
            "type": "vendor_map", "default": {},
            "description": "Further CSI driver names that attach one vendor's storage, each with its vendor "
                           "(a driver the built-in table of kubernetes-csi.github.io/docs/drivers.html lacks)."},
        "accepted_drivers": {
            "type": "strings", "default": [],
            "description": "Vendor CSI drivers the organisation runs on every target (it accepts the "
                           "coupling): not reported."}},
)
