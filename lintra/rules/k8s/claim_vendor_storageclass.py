"""LK110 k8s-claim-vendor-storageclass: a claim coupled to a vendor through the StorageClass it names.

A PersistentVolumeClaim (or a StatefulSet ``volumeClaimTemplates`` entry, or the claim template
of a pod's generic ephemeral volume) names its class only by ``storageClassName`` (or the older
``volume.beta.kubernetes.io/storage-class`` annotation, which Kubernetes still honours); when the
class that name resolves to provisions through a vendor (vSphere, AWS, GCP, Azure, Portworx ...),
every volume of the claim is that vendor's storage.
Names resolve to the nearest definition in the scan: the same file, then the same directory, then
the ancestor directories of the scanned tree, because a repository of examples is not one cluster. When
definitions at the same distance disagree, the message says so instead of guessing. When the scan
defines no class of that name in reach, the target cluster provides it, and a name a managed
Kubernetes service itself creates on its clusters binds the claim to that class's provisioner
(``gp2`` on EKS, ``managed-csi``, ``managed-csi-premium``, ``azurefile-csi`` ... on AKS,
``standard-rwo``, ``premium-rwo`` and the Filestore ``*-rwx`` classes on GKE: the ``class_names``
parameter, whose defaults class_names.py lists with their sources); a class the scan does define
decides even under such a name. ``gp3`` is not among them: EKS does not create it, so whoever uses it
writes its StorageClass, which this rule then judges. A claim with no class (the cluster default)
stays silent.

References:
- https://kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1
- https://kubernetes.io/docs/concepts/storage/storage-classes/
- https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes
- https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
- https://learn.microsoft.com/azure/aks/concepts-storage
- https://cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes
- https://cloud.google.com/filestore/docs/csi-driver
"""

from lintra.check.params import effective
from lintra.model import Hit, Related, Rule
from lintra.domain.kubernetes import pods, resolve
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.class_names import class_names_param, conventional_controller
from lintra.rules.k8s.nearest import describe, remembered, resolved
from lintra.rules.k8s.storage_drivers import DRIVERS

#: provisioner -> vendor; in-tree and CSI drivers bound to one vendor's infrastructure (the
#: catalogue in storage_drivers.py, from each vendor's documentation)
VENDOR_PROVISIONERS = {name: vendor for name, (vendor, _) in DRIVERS.items()}


#: provisioner -> the storage service it provisions, as the vendor names it
PROVISIONER_SERVICES = {name: product for name, (_, product) in DRIVERS.items()}


BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def _claim_class(claim, base):
    """``(pointer, name)`` of the class a claim names: the field, else the beta annotation."""
    spec = claim.get("spec") if isinstance(claim.get("spec"), dict) else {}
    if "storageClassName" in spec:
        return base + ("spec", "storageClassName"), spec.get("storageClassName")
    meta = claim.get("metadata") if isinstance(claim.get("metadata"), dict) else {}
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    return base + ("metadata", "annotations", BETA_CLASS_ANNOTATION), annotations.get(BETA_CLASS_ANNOTATION)


def _label(what: str, name) -> str:
    return f"{what} '{name}'" if isinstance(name, str) and name else what


def _claims(document):
    """``(pointer, class name, label)`` of every claim the object makes; the label names the
    claim (a StatefulSet's claim template or a pod's ephemeral volume by its own name)."""
    data = document.data
    owner = describe(document)
    if data.get("kind") == "PersistentVolumeClaim":
        yield _claim_class(data, ()) + (owner,)
    elif data.get("kind") == "StatefulSet":
        templates = document.get(("spec", "volumeClaimTemplates"))
        for i, template in enumerate(templates if isinstance(templates, list) else ()):
            if isinstance(template, dict):
                base = ("spec", "volumeClaimTemplates", i)
                label = _label(f"{owner} claim template", document.get(base + ("metadata", "name")))
                yield _claim_class(template, base) + (label,)
    for found in pods(data):
        pod = found.spec
        volumes = resolve(data, pod + ("volumes",))  # through a podSpecPatch too
        for i in range(len(volumes) if isinstance(volumes, list) else 0):
            # a generic ephemeral volume: the pod's own claim, created from this template
            template = resolve(data, pod + ("volumes", i, "ephemeral", "volumeClaimTemplate"))
            if isinstance(template, dict):
                label = _label(f"{owner} ephemeral volume", resolve(data, pod + ("volumes", i, "name")))
                yield _claim_class(template, pod + ("volumes", i, "ephemeral", "volumeClaimTemplate")) + (label,)


def check(document, scan):
    values = vendor_of = accepted = names = None
    for pointer, name, claim in _claims(document):
        if not isinstance(name, str) or not name:
            continue
        if values is None:
            values = effective(RULE, scan)
            accepted = set(values["accepted_provisioners"])
            vendor_of = {**VENDOR_PROVISIONERS, **values["extra_provisioners"]}
            names = values["class_names"] or {}
        coupling = remembered(scan, "k8s.storageclasses/coupling", document, name,
                              lambda: _coupling(scan, document, name, vendor_of, accepted, names))
        if coupling is None:
            continue  # no definition, or a vendor-neutral one
        provisioner, disagreement, related = coupling
        # where the class is written goes in the related location, not the message: a message
        # with a line number changes whenever that other file does (baselines, GitLab reports)
        message = f"{claim} is coupled through StorageClass '{name}' (provisioner {provisioner}){disagreement}"
        yield Hit(pointer, message, related=[related] if related else [],
                  vendor=vendor_of[str(provisioner)], service=PROVISIONER_SERVICES.get(str(provisioner)))


def _coupling(scan, document, name, vendor_of, accepted, names):
    """``(provisioner, what the message adds, the related location or None)`` of the vendor class
    ``name`` binds ``document`` to, or None (the same for every claim of the file and namespace
    that names it)."""
    nearest = resolved(scan, document, "StorageClass", "k8s.storageclasses", name)
    if not nearest:
        # no definition in reach: the cluster provides the class, and a name a managed service
        # creates on its clusters says which provisioner
        provisioner = conventional_controller(names, name)
        if not provisioner or not vendor_of.get(provisioner) or provisioner in accepted:
            return None
        return (provisioner, f", the name the {vendor_of[provisioner]} managed Kubernetes service creates that class "
                             f"under (the scan defines no '{name}' in reach)", None)
    provisioners = [str(c.data.get("provisioner")) for c in nearest]
    vendors = {vendor_of.get(p) for p in provisioners}
    coupled = [c for c, p in zip(nearest, provisioners) if vendor_of.get(p) and p not in accepted]
    if not coupled:
        return None
    sc = coupled[0]
    disagreement = ""
    if len(vendors) > 1:
        disagreement = (f"; {len(nearest)} definitions of '{name}' at the same distance disagree "
                        f"({', '.join(sorted(provisioners))})")
    return sc.data.get("provisioner"), disagreement, \
        Related(f"StorageClass '{name}'", sc.source.name, sc.span(("provisioner",)))


def needs(document) -> bool:
    """The claims it reports on and the StorageClasses they name."""
    if document.kind != "k8s":
        return False  # the map asks every cross-object rule about every document it keeps: a Heat template too
    return document.data.get("kind") == "StorageClass" or next(_claims(document), None) is not None


EXAMPLES = {
    "fail": [{"content": "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                         "provisioner: ebs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\n"
                         "metadata: {name: data}\nspec:\n  storageClassName: fast\n",
              "expect": [{"line": 10, "column": 21}]}],  # the claim's class name
    "pass": ["apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
             "provisioner: rbd.csi.ceph.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\n"
             "metadata: {name: data}\nspec:\n  storageClassName: fast\n"],
}

RULE = Rule(
    id="LK110",
    name="k8s-claim-vendor-storageclass",
    title="Claim bound to a vendor StorageClass by name",
    vendor="other",  # each finding names the provisioner's vendor
    category="storage",
    strength="hard",
    severity="error",
    kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Keep the claim class-neutral (omit storageClassName for the cluster default, or use a "
                "platform-wide neutral class name whose definition each cluster provides).",
    references=references(__doc__),
    check=check,
    origin=__name__,
    needs=needs,
    examples=EXAMPLES,
    service="vendor StorageClass provisioners", effort=3,
    effort_reason="the claim keeps its shape, but the class it names provisions vendor storage: a neutral class "
                  "is defined on every target and the data migrated",
    vendors=sorted(set(VENDOR_PROVISIONERS.values())),
    services=sorted(set(PROVISIONER_SERVICES.values())),
    params={"accepted_provisioners": {
        "type": "strings", "default": [],
        "description": "Vendor provisioners the organisation runs on every target (it accepts the coupling): "
                       "claims bound through a class of one of them are not reported."},
        "extra_provisioners": {
            "type": "vendor_map", "default": {},
            "description": "Further provisioners that provision one vendor's storage, each with its vendor "
                           "(an in-house or distribution driver the built-in table lacks): claims bound "
                           "through a class of one of them are reported."},
        "class_names": class_names_param("StorageClass")},
    known_problems="A class name alone is judged only when the managed service that creates it is the only one "
                   "that does: standard (GKE's legacy Persistent Disk class, but also the neutral local class of "
                   "kind, minikube and others) and default (AKS's older default class) are not in class_names, "
                   "so a claim naming them without a definition in reach is not reported. GKE on AWS and on "
                   "Azure create standard-rwo and premium-rwo for EBS and Azure Disk: such a claim is reported "
                   "with GKE's Persistent Disk provisioner. A name the scan defines nowhere in reach is judged "
                   "by the table even when the StorageClass comes from another repository (define it in the "
                   "scan, or remove the name from class_names).",
)
