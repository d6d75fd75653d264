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

A driver's own node DaemonSet names it once more, in a container's ``args`` or ``command``: the
kubelet finds a CSI driver by the socket it serves under the kubelet's plugin directory,
``/var/lib/kubelet/plugins/<driver name>/csi.sock``, which the node-driver-registrar sidecar
registers with ``--kubelet-registration-path`` (and the driver serves through ``--endpoint`` or
``--csi-address``); its registration socket is ``plugins_registry/<driver name>-reg.sock``. A
vendor driver named as such a path segment is reported for every vendor, once per object and
driver (the first argument that names it; not again when an inline volume of the same object names
it), at that argument; an argument that holds ``$(NAME)`` is read as the kubelet expands it, from
the container's ``env`` entry NAME with a literal ``value``, and reported at that value. Only a segment right under a kubelet ``plugins`` or ``plugins_registry``
directory counts: a driver's short socket path inside its own container (``/csi/csi.sock``) or
any other path does not.

References:
- https://kubernetes.io/docs/concepts/storage/volume-snapshot-classes/
- https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-driver-v1/
- https://kubernetes.io/docs/concepts/storage/volumes/#csi
- https://kubernetes-csi.github.io/docs/drivers.html
- https://docs.netapp.com/us-en/trident/trident-use/vol-snapshots.html
- https://dell.github.io/csm-docs/docs/csidriver/
- https://scod.hpedev.io/csi_driver/using.html
- https://kubernetes-csi.github.io/docs/node-driver-registrar.html
- https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
- https://cloud.google.com/filestore/docs/csi-driver
"""

from lintra import lazy_re
from lintra.check.params import effective
from lintra.domain.kubernetes import containers, pods, resolve
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


#: the driver name as the directory of a kubelet plugin socket (``.../kubelet/plugins/<driver>/``,
#: Windows ``...\kubelet\plugins\<driver>\``) or its registration socket
#: (``.../kubelet/plugins_registry/<driver>-reg.sock``), as node-driver-registrar documents them
PLUGIN_PATH = lazy_re.compile(r"kubelet[/\\]+plugins[/\\]+([A-Za-z0-9][A-Za-z0-9._-]*)[/\\]"
                              r"|kubelet[/\\]+plugins_registry[/\\]+([A-Za-z0-9][A-Za-z0-9._-]*?)-reg\.sock")


#: ``$(NAME)``, which the kubelet expands in command and args from the container's env (``$$`` escapes it)
VARIABLE = lazy_re.compile(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def _argument_texts(pointer, container):
    """``(pointer, text)`` of each command/args string and of each literal env value one of them
    references as ``$(NAME)``: the text the kubelet passes, at the place it is written."""
    env = container.get("env")
    values = {}
    for j, entry in enumerate(env if isinstance(env, list) else ()):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("value"), str):
            values.setdefault(entry["name"], (pointer + ("env", j, "value"), entry["value"]))
    for field in ("command", "args"):
        items = container.get(field)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str):
                yield pointer + (field, i), item
                for name in VARIABLE.findall(item) if "$(" in item else ():
                    if name in values:
                        yield values[name]


def _socket_drivers(document, lookup):
    """``(pointer, driver, vendor and product)`` of each vendor driver a container's args or command
    names in a kubelet plugin socket path: the first place per driver."""
    seen = set()
    for pointer, container in containers(document.data):
        if not isinstance(container, dict):
            continue
        for at, text in _argument_texts(pointer, container):
            if "kubelet" not in text:
                continue  # what PLUGIN_PATH must find first: most arguments are flags
            for match in PLUGIN_PATH.finditer(text):
                name = match.group(1) or match.group(2)
                found = lookup(name)
                if found and name not in seen:
                    seen.add(name)
                    yield at, name, found


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
    data = document.data
    kind = data.get("kind")
    known = FIELDS.get(kind)
    if known and not str(data.get("apiVersion", "")).startswith(known[0]):
        known = None
    if known is None and not pods(data):
        return  # no driver field and no pod: most objects
    lookup = _lookup(effective(RULE, scan))
    if known:
        prefixes, pointer, every_vendor = known
        name = document.get(pointer)
        found = lookup(name)
        if found and (every_vendor or not reported_by_packs(name)):
            yield _hit(document, pointer, name, f"{kind} '{document.name or '?'}'", found)
    in_volumes = set()
    for pod in pods(data):
        volumes = resolve(data, pod.spec + ("volumes",))  # through a podSpecPatch too
        for i, volume in enumerate(volumes if isinstance(volumes, list) else ()):
            csi = volume.get("csi") if isinstance(volume, dict) else None
            name = csi.get("driver") if isinstance(csi, dict) else None
            found = lookup(name)
            if found and not reported_by_packs(name):
                in_volumes.add(name)
                yield _hit(document, pod.spec + ("volumes", i, "csi", "driver"), name,
                           f"{kind} '{document.name or '?'}' volume '{volume.get('name', i)}'", found)
    for pointer, name, found in _socket_drivers(document, lookup):
        if name not in in_volumes:
            where = pointer[:-3] if pointer[-1] == "value" else pointer[:-2]  # env[j].value or args[i]
            container = document.get(where)
            label = container.get("name", where[-1]) if isinstance(container, dict) else where[-1]
            yield _hit(document, pointer, name,
                       f"{kind} '{document.name or '?'}' container '{label}' (its kubelet plugin socket)", found)


def _driver_kind(key, value) -> bool:
    return isinstance(value, str) and value in FIELDS


#: where the check can find anything (:class:`lintra.check.Dispatch`): an object of a kind with a
#: driver field, or one with pods; other objects (most) are not given to it
def _looks(scan):
    if not _LOOKS:  # the selector's paths compile on first use (no regex at import)
        from lintra.policy.selector import compile_path, reach_of

        _LOOKS.extend([(reach_of(compile_path("kind")), _driver_kind), (reach_of(compile_path("@pod")), None)])
    return _LOOKS


check.looks = _looks
_LOOKS: list = []


EXAMPLES = {
    "fail": [{"content": "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
                         "driver: csi.trident.netapp.io\ndeletionPolicy: Delete\n",
              "expect": [{"line": 4, "column": 9}]},  # the driver value
             {"content": "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: ebs.csi.aws.com\n",
              "expect": [{"line": 4, "column": 9}]},
             # the node-driver-registrar's registration path: the argument, once for the object
             {"content": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: filestore-node}\nspec:\n"
                         "  template:\n    spec:\n      containers:\n      - name: registrar\n"
                         "        image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.9.0\n"
                         "        args:\n        - --csi-address=/csi/csi.sock\n"
                         "        - --kubelet-registration-path=/var/lib/kubelet/plugins/filestore.csi.storage.gke.io/csi.sock\n"
                         "      - name: driver\n        image: registry.k8s.io/cloud-provider-gcp/gcp-filestore-csi-driver\n"
                         "        args: ['--endpoint=unix:///var/lib/kubelet/plugins/filestore.csi.storage.gke.io/csi.sock']\n",
              "expect": [{"line": 12, "column": 11}]},
             # the path in an env value the argument expands: at the value
             {"content": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: vsphere-csi-node}\nspec:\n"
                         "  template:\n    spec:\n      containers:\n      - name: node-driver-registrar\n"
                         "        image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.17.0\n"
                         "        args: ['--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)']\n        env:\n"
                         "        - name: DRIVER_REG_SOCK_PATH\n"
                         "          value: /var/lib/kubelet/plugins/csi.vsphere.vmware.com/csi.sock\n",
              "expect": [{"line": 13, "column": 18}]}],
    "pass": ["apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
             "driver: rbd.csi.ceph.com\ndeletionPolicy: Delete\n",
             # a neutral driver's socket, and a vendor name that is no kubelet plugin directory
             "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ceph-node}\nspec:\n  template:\n    spec:\n"
             "      containers:\n      - name: registrar\n        image: registry.k8s.io/sig-storage/csi-node-driver-registrar\n"
             "        args: [--kubelet-registration-path=/var/lib/kubelet/plugins/rbd.csi.ceph.com/csi.sock,"
             " --csi-address=/csi/csi.sock, --log-dir=/var/log/ebs.csi.aws.com/]\n"],
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
