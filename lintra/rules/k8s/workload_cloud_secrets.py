"""LK115 k8s-workload-cloud-secrets: a workload that mounts secrets through a cloud's SecretProviderClass.

A pod's Secrets Store CSI volume (driver ``secrets-store.csi.k8s.io``) names only a
SecretProviderClass, in ``volumeAttributes.secretProviderClass``; the class's ``spec.provider``
decides which provider plugin fetches the secrets. When that class (nearest definition in the scan)
has provider aws, azure, gcp or gke (the rule's ``providers`` parameter), every pod of the
workload reads its secrets from that cloud's secret manager with the pod's cloud identity, and on
another cluster the mount fails and the pod never starts. Akeyless's provider serves the Akeyless Vault Platform, a SaaS secret manager: the
same dependency on one vendor's service, so it is reported too (vendor other). The driver is
neutral, and so is a class served by Vault or Conjur, which run anywhere. The class itself is flagged
by LK211 / LK309 / LK410; this rule reports the workload that depends on it. When definitions at
the same distance disagree, the message says so instead of guessing.

References:
- https://secrets-store-csi-driver.sigs.k8s.io/
- https://secrets-store-csi-driver.sigs.k8s.io/getting-started/usage.html
- https://secrets-store-csi-driver.sigs.k8s.io/providers.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_csi_driver.html
- https://learn.microsoft.com/azure/aks/csi-secrets-store-driver
- https://github.com/GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp
- https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component
"""

from lintra.check.params import effective
from lintra.model import Hit, Related, Rule
from lintra.domain.kubernetes import pods
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.nearest import describe, resolved

DRIVER = "secrets-store.csi.k8s.io"
#: spec.provider -> vendor; the provider plugins that serve only one cloud's secret manager: the
#: default of the ``providers`` parameter, which the check reads
CLOUD_PROVIDERS = {"aws": "aws", "azure": "azure", "gcp": "gcp", "gke": "gcp", "akeyless": "other"}
#: provider -> the secret manager behind it
PROVIDER_SERVICES = {"aws": "AWS Secrets Manager and Parameter Store", "azure": "Azure Key Vault",
                     "gcp": "Google Secret Manager", "gke": "Google Secret Manager (GKE add-on)",
                     "akeyless": "Akeyless Vault Platform (SaaS)"}


def _class_references(document, spec_path):
    """``(pointer, name)`` of each Secrets Store CSI volume's ``secretProviderClass``."""
    volumes = document.get(spec_path + ("volumes",))
    for i, volume in enumerate(volumes if isinstance(volumes, list) else ()):
        csi = volume.get("csi") if isinstance(volume, dict) else None
        if not isinstance(csi, dict) or csi.get("driver") != DRIVER:
            continue
        attributes = csi.get("volumeAttributes")
        name = attributes.get("secretProviderClass") if isinstance(attributes, dict) else None
        if isinstance(name, str) and name:
            yield spec_path + ("volumes", i, "csi", "volumeAttributes", "secretProviderClass"), name


def _provider(klass):
    spec = klass.data.get("spec")
    provider = spec.get("provider") if isinstance(spec, dict) else None
    return provider if isinstance(provider, str) else None


def _is_secret_class(doc) -> bool:
    # a SecretProviderClass of another API group is not the driver's class
    return str(doc.data.get("apiVersion", "")).startswith("secrets-store.csi.x-k8s.io/")


def check(document, scan):
    references = [ref for pod in pods(document.data) for ref in _class_references(document, pod.spec)]
    providers = effective(RULE, scan)["providers"] if references else {}
    for pointer, name in references:
        in_reach = resolved(scan, document, "SecretProviderClass", "k8s.secretproviderclasses", name, _is_secret_class)
        coupled = [c for c in in_reach if _provider(c) in providers]
        if not coupled:
            continue  # no definition in reach, or a provider that runs anywhere (vault, ...)
        klass = coupled[0]
        provider = _provider(klass)
        message = f"{describe(document)} mounts secrets through SecretProviderClass '{name}' (provider {provider})"
        if len({_provider(c) for c in in_reach}) > 1:
            message += (f"; {len(in_reach)} definitions of '{name}' at the same distance disagree "
                        f"({', '.join(sorted(str(_provider(c)) for c in in_reach))})")
        yield Hit(pointer, message,
                  related=[Related(f"SecretProviderClass '{name}'", klass.source.name,
                                   klass.span(("spec", "provider")))],
                  vendor=providers[provider], service=PROVIDER_SERVICES.get(provider))


def needs(document) -> bool:
    """Workloads that mount a Secrets Store CSI volume, and SecretProviderClasses."""
    if document.kind != "k8s":
        return False  # the map asks every cross-object rule about every document it keeps: a Heat template too
    if document.data.get("kind") == "SecretProviderClass":
        return True
    return any(next(_class_references(document, pod.spec), None) is not None for pod in pods(document.data))


EXAMPLES = {
    "fail": [{"content": "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
                         "metadata: {name: app-secrets}\nspec:\n  provider: aws\n  parameters: {objects: x}\n---\n"
                         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
                         "    spec:\n      containers: [{name: c, image: nginx}]\n      volumes:\n"
                         "        - name: secrets\n          csi:\n            driver: secrets-store.csi.k8s.io\n"
                         "            readOnly: true\n            volumeAttributes: {secretProviderClass: app-secrets}\n",
              "expect": [{"line": 20, "column": 53}]}],  # the class name the volume mounts
    "pass": ["apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
             "metadata: {name: app-secrets}\nspec:\n  provider: vault\n  parameters: {objects: x}\n---\n"
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
             "    spec:\n      containers: [{name: c, image: nginx}]\n      volumes:\n"
             "        - name: secrets\n          csi:\n            driver: secrets-store.csi.k8s.io\n"
             "            readOnly: true\n            volumeAttributes: {secretProviderClass: app-secrets}\n"],
}

RULE = Rule(
    id="LK115", name="k8s-workload-cloud-secrets",
    title="Workload mounts secrets through a cloud secret manager's SecretProviderClass",
    vendor="other",  # each finding names the provider's cloud
    category="identity", strength="hard", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Keep the secret source in a per-platform SecretProviderClass of the same name that the "
                "application does not ship, or use a store every target reaches (Vault, OpenBao).",
    references=references(__doc__),
    check=check, origin=__name__, needs=needs,
    examples=EXAMPLES,
    service="cloud secret managers (Secrets Store CSI providers)", effort=3,
    effort_reason="the secrets move to a manager every target runs (Vault, Kubernetes Secrets) and the "
                  "SecretProviderClass is rewritten; the workload's volume keeps its shape",
    vendors=sorted(set(CLOUD_PROVIDERS.values())),
    services=sorted(set(PROVIDER_SERVICES.values())),
    params={"providers": {
        "type": "vendor_map", "default": dict(CLOUD_PROVIDERS),
        "description": "SecretProviderClass spec.provider values whose plugin serves one vendor's secret "
                       "manager, each with its vendor: aws (AWS Secrets Manager and Parameter Store, "
                       "docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_csi_driver.html), "
                       "azure (Azure Key Vault, learn.microsoft.com/azure/aks/csi-secrets-store-driver), gcp "
                       "(github.com/GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp) and gke (the GKE "
                       "add-on, cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component), and "
                       "akeyless (the Akeyless Vault Platform, a SaaS secret manager; vendor other), as "
                       "secrets-store-csi-driver.sigs.k8s.io/providers.html lists them. Add a further "
                       "vendor's provider; remove one the organisation accepts. A provider that runs anywhere "
                       "(vault, conjur) does not belong here."}},
)
