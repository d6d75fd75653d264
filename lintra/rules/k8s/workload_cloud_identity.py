"""LK111 k8s-workload-cloud-identity: a workload that runs as a cloud-IAM-bound ServiceAccount.

The workload names only ``serviceAccountName``; when that ServiceAccount (nearest definition in
the scan) carries an AWS IRSA role (``eks.amazonaws.com/role-arn``), a GKE Workload Identity
binding (``iam.gke.io/gcp-service-account``) or an Azure Workload Identity client id
(``azure.workload.identity/client-id``; the rule's ``identity_annotations`` parameter), every pod
of the workload authenticates to that cloud's IAM and breaks elsewhere. The annotation itself is flagged by LK203 / LK303 / LK402.

References:
- https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
- https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
- https://azure.github.io/azure-workload-identity/docs/
"""

from lintra.check.params import effective
from lintra.model import Hit, Related, Rule
from lintra.domain.kubernetes import pods, resolve
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.nearest import describe, remembered, resolved

#: ServiceAccount annotation -> the cloud whose IAM it binds the account to; the default of the
#: ``identity_annotations`` parameter, which the check reads
IAM_ANNOTATIONS = {
    "eks.amazonaws.com/role-arn": "aws",
    "iam.gke.io/gcp-service-account": "gcp",
    "azure.workload.identity/client-id": "azure",
}


#: vendor -> the workload identity service the annotation binds to
IAM_SERVICES = {
    "aws": "IAM Roles for Service Accounts (IRSA)",
    "gcp": "GKE Workload Identity Federation",
    "azure": "Microsoft Entra Workload ID",
}


def check(document, scan):
    annotations = None
    for pod in pods(document.data):
        path = pod.spec
        name = resolve(document.data, path + ("serviceAccountName",))
        if not isinstance(name, str) or not name:
            continue
        if annotations is None:
            annotations = effective(RULE, scan)["identity_annotations"]
        binding = remembered(scan, "k8s.serviceaccounts/bindings", document, name,
                             lambda: _binding(scan, document, name, annotations))
        if binding is not None:
            key, vendor, related = binding
            yield Hit(path + ("serviceAccountName",),
                      f"{describe(document)} runs as ServiceAccount '{name}', bound to {vendor} IAM through {key}",
                      related=[related], vendor=vendor, service=IAM_SERVICES.get(vendor))


def _binding(scan, document, name, identity_annotations):
    """``(annotation, vendor, related location)`` of the first identity annotation of the nearest
    ServiceAccount ``name`` that has one, or None (the same for every workload of the file and
    namespace that names it)."""
    for account in resolved(scan, document, "ServiceAccount", "k8s.serviceaccounts", name):
        annotations = account.get(("metadata", "annotations")) or {}
        for key, vendor in identity_annotations.items():
            if key in annotations:
                span = account.span(("metadata", "annotations", key), "key")
                return key, vendor, Related(f"ServiceAccount '{name}'", account.source.name, span)
    return None


def needs(document) -> bool:
    """Workloads that name a ServiceAccount, and ServiceAccounts."""
    if document.kind != "k8s":
        return False  # the map asks every cross-object rule about every document it keeps: a Heat template too
    if document.data.get("kind") == "ServiceAccount":
        return True
    return any(isinstance(resolve(document.data, pod.spec + ("serviceAccountName",)), str) for pod in pods(document.data))


EXAMPLES = {
    "fail": [{"content": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n"
                         "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n---\n"
                         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
                         "    spec:\n      serviceAccountName: app\n      containers: [{name: c, image: nginx}]\n",
              "expect": [{"line": 14, "column": 27}]}],  # the workload's serviceAccountName value
    "pass": ["apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n"
             "    example.org/owner: team-a\n---\n"
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
             "    spec:\n      serviceAccountName: app\n      containers: [{name: c, image: nginx}]\n"],
}

RULE = Rule(
    id="LK111", name="k8s-workload-cloud-identity", title="Workload runs as a cloud-IAM-bound ServiceAccount",
    vendor="other", category="identity", strength="hard", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Use a provider-neutral workload identity (SPIFFE/SPIRE, Vault Kubernetes auth) or keep "
                "the cloud binding in a platform overlay the application does not ship.",
    references=references(__doc__),
    check=check, origin=__name__, needs=needs,
    examples=EXAMPLES,
    service="cloud IAM for Kubernetes workloads", effort=4,
    effort_reason="the workload's permissions come from the cloud's IAM; credentials and policies are "
                  "redesigned for the target's identity model",
    vendors=sorted(set(IAM_ANNOTATIONS.values())),
    services=sorted(IAM_SERVICES.values()),
    params={"identity_annotations": {
        "type": "vendor_map", "default": dict(IAM_ANNOTATIONS),
        "description": "ServiceAccount annotations that bind the account to one cloud's IAM, each with its "
                       "vendor: eks.amazonaws.com/role-arn (IAM Roles for Service Accounts, "
                       "docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html), "
                       "iam.gke.io/gcp-service-account (GKE Workload Identity, "
                       "cloud.google.com/kubernetes-engine/docs/how-to/workload-identity) and "
                       "azure.workload.identity/client-id (Microsoft Entra Workload ID, "
                       "azure.github.io/azure-workload-identity/docs/). Add the annotations of further "
                       "clouds' workload identity; remove one the organisation accepts."}},
)
