"""LK117 k8s-vendor-crd-definition: a CustomResourceDefinition of a vendor controller's API group.

An API group is a DNS subdomain owned by whoever defines it (LK105, LK206, LK306, LK405 and LK501
report objects of those groups). A repository that ships the CustomResourceDefinition itself
(``spec.group`` ``elbv2.k8s.aws``, ``karpenter.k8s.aws``, ``networking.gke.io``,
``*.cnrm.cloud.google.com``, ``alb.networking.azure.io``, ``*.vmware.com``, ``*.openshift.io``
...) installs that vendor's controller or operator: the deployment depends on it even when no
custom object is in the repository yet. The CRD belongs to the platform layer, so this is
substrate coupling; each finding names the vendor.

References:
- https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
- https://kubernetes.io/docs/reference/using-api/#api-groups
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
- https://karpenter.sh/docs/getting-started/
- https://cloud.google.com/config-connector/docs/how-to/install-manually
- https://azure.github.io/azure-service-operator/
- https://github.com/vmware/load-balancer-and-ingress-services-for-kubernetes
- https://docs.openshift.com/container-platform/latest/rest_api/index.html
"""

from lintra.check.params import effective
from lintra.model import Hit, Rule
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.controllers import VENDOR_DOMAINS, VENDOR_GROUPS, group_vendor

#: vendor -> the controllers its API groups belong to
SERVICES = {"aws": "AWS controllers (Load Balancer Controller, Karpenter AWS, ACK, VPC CNI)",
            "gcp": "Google Cloud controllers (GKE networking, Config Connector, Managed Prometheus)",
            "azure": "Azure controllers (Service Operator, Application Gateway, pod identity)",
            "vmware": "VMware controllers (Tanzu, CNS, NSX, AKO, Velero vSphere plugin)",
            "redhat": "OpenShift operators"}


def check(document, scan):
    data = document.data
    if data.get("kind") != "CustomResourceDefinition" or \
            not str(data.get("apiVersion", "")).startswith("apiextensions.k8s.io/"):
        return
    group = document.get(("spec", "group"))
    params = effective(RULE, scan)
    if not isinstance(group, str) or group in params["accepted_groups"]:
        return
    vendor = params["extra_groups"].get(group) or group_vendor(group)
    if vendor:
        yield Hit(("spec", "group"), f"CustomResourceDefinition '{document.name or '?'}' installs API group "
                                     f"{group}, served by {vendor}'s controllers", at="value", vendor=vendor,
                  service=SERVICES.get(vendor, f"{vendor} controllers"))


EXAMPLES = {
    "fail": [{"content": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                         "metadata: {name: ec2nodeclasses.karpenter.k8s.aws}\nspec:\n  group: karpenter.k8s.aws\n"
                         "  names: {kind: EC2NodeClass, plural: ec2nodeclasses}\n  scope: Cluster\n",
              "expect": [{"line": 5, "column": 10}]}],  # the group value
    "pass": ["apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
             "metadata: {name: nodepools.karpenter.sh}\nspec:\n  group: karpenter.sh\n"
             "  names: {kind: NodePool, plural: nodepools}\n  scope: Cluster\n"],
}

RULE = Rule(
    id="LK117", name="k8s-vendor-crd-definition",
    title="CustomResourceDefinition of a vendor controller's API group",
    vendor="other",  # each finding names the group's vendor
    category="api", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Install vendor controllers and their CRDs from a per-infrastructure platform layer, not "
                "with the application; prefer neutral APIs (Gateway API, Cluster API core, Crossplane).",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="vendor controller APIs", effort=3,
    effort_reason="the platform layer installs another controller with its own API; the objects of the "
                  "vendor group are rewritten for it",
    vendors=sorted(set(VENDOR_GROUPS.values()) | {vendor for _, vendor in VENDOR_DOMAINS}), services=sorted(SERVICES.values()),
    params={
        "extra_groups": {
            "type": "vendor_map", "default": {},
            "description": "Further API groups that only one vendor's controllers serve, each with its vendor "
                           "(a group outside the vendor's own domains, as aadpodidentity.k8s.io is Azure's)."},
        "accepted_groups": {
            "type": "strings", "default": [],
            "description": "Vendor API groups whose controllers the organisation installs on every target "
                           "(it accepts the coupling): their CRDs are not reported."}},
    finds_under=[("spec", "group")],
)
