"""LK125 k8s-cluster-api-vendor-provider: a Cluster API object, reference or CRD of a vendor's infrastructure provider.

Cluster API's core types (Cluster, Machine, KubeadmControlPlane) are neutral, but each
infrastructure provider serves its own kinds in the shared ``infrastructure.cluster.x-k8s.io``
and ``controlplane.cluster.x-k8s.io`` groups and names them after its platform: AzureCluster,
AzureMachineTemplate and AzureManagedControlPlane (CAPZ) create Azure networks, VMs and AKS
clusters, VSphereCluster and VSphereMachine (CAPV) clone vSphere VMs, AWSCluster and
AWSManagedControlPlane (CAPA) EC2 and EKS, GCPMachine (CAPG) Compute Engine, IBMPowerVS* and
IBMVPC* IBM Cloud, OCI* Oracle Cloud. The group alone does not say which cloud, the kind does.
Reported where a user states such a kind: the object's own ``kind``, a reference to it
(``infrastructureRef``, ``controlPlaneRef``, ClusterClass templates, any ``apiVersion``/``kind``
pair), and the ``spec.names.kind`` of a CRD that defines it in the neutral group (a CRD of a vendor
group is LK117). The provider provisions the platform the cluster runs on, so this is substrate
coupling; each finding names the provider's vendor. The ``provider_kinds`` parameter is the
table of kind prefixes and their vendors: add the prefix of a further (third-party or in-house)
infrastructure provider, remove one the organisation accepts everywhere.

References:
- https://cluster-api.sigs.k8s.io/reference/providers
- https://cluster-api.sigs.k8s.io/developer/providers/contracts/infra-cluster
- https://capz.sigs.k8s.io/
- https://github.com/kubernetes-sigs/cluster-api-provider-vsphere
- https://cluster-api-aws.sigs.k8s.io/
- https://github.com/kubernetes-sigs/cluster-api-provider-gcp
- https://cluster-api-ibmcloud.sigs.k8s.io/
- https://oracle.github.io/cluster-api-provider-oci/
"""

from lintra.check.params import effective
from lintra.model import Hit, Rule
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.controllers import (CLUSTER_API_PROVIDER_KINDS, PROVIDER_KIND_VENDORS, api_group,
                                          group_vendor, provider_kind)

#: Cluster API's groups (core, infrastructure, control plane, bootstrap, add-ons) all end so
CLUSTER_API_GROUP_SUFFIX = "cluster.x-k8s.io"


def _references(node, pointer, kinds):
    """``(pointer, vendor, provider, kind)`` of each mapping naming a provider kind by apiVersion and
    kind (a loaded document's depth is bounded by the loader's limits.MAX_DEPTH)."""
    if isinstance(node, dict):
        found = provider_kind(api_group(node.get("apiVersion")), node.get("kind"), kinds)
        if found:
            yield pointer + ("kind",), found[0], found[1], node["kind"]
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _references(value, pointer + (key,), kinds)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield from _references(value, pointer + (i,), kinds)


def _crd_kind(document, kinds):
    if not str(document.data.get("apiVersion", "")).startswith("apiextensions.k8s.io/"):
        return None
    group, kind = document.get(("spec", "group")), document.get(("spec", "names", "kind"))
    if group_vendor(group):
        return None  # a vendor's own group: LK117 reports the CRD
    found = provider_kind(group, kind, kinds)
    return (("spec", "names", "kind"),) + found + (kind,) if found else None


def check(document, scan):
    if not isinstance(document.data, dict):
        return
    if document.data.get("kind") == "CustomResourceDefinition":
        crd = _crd_kind(document, effective(RULE, scan)["provider_kinds"])
        if crd:
            pointer, vendor, provider, kind = crd
            yield Hit(pointer, f"CustomResourceDefinition '{document.name or '?'}' defines {kind}, a kind of "
                               f"{provider}", at="value", vendor=vendor, service=provider)
        return
    if not (api_group(document.data.get("apiVersion")) or "").endswith(CLUSTER_API_GROUP_SUFFIX):
        return  # only Cluster API's own objects refer to provider kinds: no walk of other objects
    kinds = effective(RULE, scan)["provider_kinds"]
    for pointer, vendor, provider, kind in _references(document.data, (), kinds):
        what = "is" if pointer == ("kind",) else "refers to"
        yield Hit(pointer, f"{document.data.get('kind', '?')} '{document.name or '?'}' {what} {kind}, a kind of "
                           f"{provider}", at="value", vendor=vendor, service=provider)


def _cluster_api(key, value) -> bool:
    return (api_group(value) or "").endswith(CLUSTER_API_GROUP_SUFFIX)


#: where the check can find anything (:class:`lintra.check.Dispatch`): a CRD, or an object of a
#: Cluster API group; other objects (most) are not given to it
def _looks(scan):
    if not _LOOKS:  # the selector's paths compile on first use (no regex at import)
        from lintra.policy.selector import compile_path, reach_of

        _LOOKS.extend([(reach_of(compile_path("kind")), lambda key, value: value == "CustomResourceDefinition"),
                       (reach_of(compile_path("apiVersion")), _cluster_api)])
    return _LOOKS


check.looks = _looks
_LOOKS: list = []


EXAMPLES = {
    "fail": [{"content": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c}\nspec:\n"
                         "  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n"
                         "    kind: AzureCluster\n    name: c\n",
              "expect": [{"line": 7, "column": 11}]},  # the referenced kind
             {"content": "apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereMachineTemplate\n"
                         "metadata: {name: workers}\nspec:\n  template:\n    spec: {template: ubuntu-2204}\n",
              "expect": [{"line": 2, "column": 7}]},
             {"content": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                         "metadata: {name: awsmachines.infrastructure.cluster.x-k8s.io}\nspec:\n"
                         "  group: infrastructure.cluster.x-k8s.io\n  names:\n    kind: AWSMachine\n"
                         "    plural: awsmachines\n  scope: Namespaced\n",
              "expect": [{"line": 7, "column": 11}]}],
    "pass": ["apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c}\nspec:\n"
             "  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n"
             "    kind: Metal3Cluster\n    name: c\n"
             "  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n"
             "    kind: KubeadmControlPlane\n    name: c\n"],
}

RULE = Rule(
    id="LK125", name="k8s-cluster-api-vendor-provider",
    title="Cluster API object, reference or CRD of a vendor's infrastructure provider",
    vendor="other",  # each finding names the provider's vendor
    category="compute", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Keep the infrastructure provider's objects in a per-platform layer and share the neutral "
                "Cluster API objects (Cluster, MachineDeployment, KubeadmControlPlane, ClusterClass "
                "variables) across platforms.",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="Cluster API infrastructure providers", effort=4,
    effort_reason="each provider kind is rewritten for the target's provider (machine templates, networks, "
                  "identities) and the clusters are re-provisioned",
    vendors=sorted({vendor for _, vendor, _ in CLUSTER_API_PROVIDER_KINDS}),
    services=sorted({provider for _, _, provider in CLUSTER_API_PROVIDER_KINDS}),
    params={"provider_kinds": {
        "type": "vendor_map", "default": dict(PROVIDER_KIND_VENDORS),
        "description": "Kind prefixes of Cluster API infrastructure and control-plane providers, each with "
                       "its vendor; a kind is the provider's when it starts with the prefix followed by a "
                       "capital (AzureCluster, not Azurite) and is served in infrastructure.cluster.x-k8s.io "
                       "or controlplane.cluster.x-k8s.io. Defaults, from each provider's book "
                       "(cluster-api.sigs.k8s.io/reference/providers): Azure (CAPZ, capz.sigs.k8s.io), "
                       "VSphere (CAPV, github.com/kubernetes-sigs/cluster-api-provider-vsphere), AWS and "
                       "ROSA (CAPA, cluster-api-aws.sigs.k8s.io), GCP (CAPG, "
                       "github.com/kubernetes-sigs/cluster-api-provider-gcp), IBMPowerVS and IBMVPC "
                       "(CAPIBM, cluster-api-ibmcloud.sigs.k8s.io), OCI (CAPOCI, "
                       "oracle.github.io/cluster-api-provider-oci). Add the prefix of a further provider "
                       "(Hetzner, Nutanix, an in-house one) with its vendor; remove one the organisation "
                       "accepts."}},
)
