"""LK211 / LK309 / LK410: Secrets Store CSI driver classes served by a cloud's secret manager.

The driver (secrets-store.csi.k8s.io) is neutral; the provider a SecretProviderClass names decides
where secrets come from. Vault's and Conjur's providers are open source and run anywhere, so they stay silent. Akeyless's
provider serves a SaaS secret manager: the class rules are per cloud, and LK115 reports the
workload that mounts it (vendor other).
"""

import pytest

from tests.conftest import where

CLASS = """\
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: {{name: app-secrets}}
spec:
  provider: {provider}
  parameters:
    objects: |
      - objectName: app
"""
SECRET_RULES = {"LK211", "LK309", "LK410"}


@pytest.mark.parametrize("provider, rule", [("aws", "LK211"), ("gcp", "LK309"), ("gke", "LK309"),
                                            ("azure", "LK410")])
def test_cloud_provider_is_found_at_its_value(lint, provider, rule):
    assert [f for f in where(lint(CLASS.format(provider=provider))) if f[0] in SECRET_RULES] == [(rule, 5, 13)]


@pytest.mark.parametrize("provider", ["vault", "conjur"])
def test_providers_that_run_anywhere_stay_silent(lint, provider):
    assert [f for f in where(lint(CLASS.format(provider=provider))) if f[0] in SECRET_RULES | {"LK115"}] == []


def test_a_saas_secret_manager_is_coupling(lint):
    workload = ("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n"
                "  volumes:\n    - name: s\n      csi:\n        driver: secrets-store.csi.k8s.io\n"
                "        volumeAttributes: {secretProviderClass: app-secrets}\n")
    result = lint(CLASS.format(provider="akeyless") + workload)
    # the class name in the pod's volume: line 19 (8 lines of class, the separator, 10 of pod),
    # column 49 (after the 48 characters "        volumeAttributes: {secretProviderClass: ")
    [finding] = [f for f in result.findings if f.rule.id == "LK115"]
    assert (finding.span.line, finding.span.column, finding.vendor, finding.service) == (
        19, 49, "other", "Akeyless Vault Platform (SaaS)")


def test_provider_field_of_another_kind_is_not_a_secret_class(lint):
    other = CLASS.format(provider="aws").replace("kind: SecretProviderClass", "kind: DNSEndpointSource")
    assert [f for f in where(lint(other)) if f[0] in SECRET_RULES] == []


def test_gke_secret_driver_volume_is_gke_only(lint):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n"
           "  volumes:\n    - name: s\n      csi: {driver: secrets-store-gke.csi.k8s.io, readOnly: true}\n"
           "    - name: t\n      csi: {driver: secrets-store.csi.k8s.io, readOnly: true}\n")
    assert where(lint(pod), "LK301") == [("LK301", 8, 21)]
