"""Every pod-bearing kind is covered by the volume, image, node-selector and identity rules.

One pod spec (an in-tree vSphere volume, an image from VMware's registry, a GKE node-pool selector
and a ServiceAccount bound to AWS IAM) is placed where each kind keeps its pod spec; every rule
must find its key on the right line of each.
"""

import pytest

POD_SPEC = """\
serviceAccountName: app
nodeSelector:
  cloud.google.com/gke-nodepool: pool-a
containers:
  - name: c
    image: projects.registry.vmware.com/tkg/app:1.0
volumes:
  - name: v
    vsphereVolume: {volumePath: "[datastore1] v.vmdk"}
"""
ACCOUNT = """\
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/app"}
"""
KINDS = [
    ("v1", "Pod", ("spec",)),
    ("v1", "PodTemplate", ("template", "spec")),
    ("apps/v1", "Deployment", ("spec", "template", "spec")),
    ("apps/v1", "StatefulSet", ("spec", "template", "spec")),
    ("apps/v1", "DaemonSet", ("spec", "template", "spec")),
    ("apps/v1", "ReplicaSet", ("spec", "template", "spec")),
    ("batch/v1", "Job", ("spec", "template", "spec")),
    ("batch/v1", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    ("v1", "ReplicationController", ("spec", "template", "spec")),
    ("argoproj.io/v1alpha1", "Rollout", ("spec", "template", "spec")),
    ("serving.knative.dev/v1", "Service", ("spec", "template", "spec")),
    ("serving.knative.dev/v1", "Configuration", ("spec", "template", "spec")),
    ("serving.knative.dev/v1", "Revision", ("spec",)),
    ("apps.openshift.io/v1", "DeploymentConfig", ("spec", "template", "spec")),
]
#: rule -> (text of the line it must point at, the token it must start at)
EXPECTED = {
    "LK101": ("vsphereVolume:", "vsphereVolume"),
    "LK107": ("image: projects.registry.vmware.com/", "projects.registry.vmware.com/"),
    "LK305": ("cloud.google.com/gke-nodepool:", "cloud.google.com/gke-nodepool"),
    "LK111": ("serviceAccountName: app", "app"),
}


def manifest(api_version, kind, path):
    lines = [f"apiVersion: {api_version}", f"kind: {kind}", "metadata:", "  name: app"]
    for depth, key in enumerate(path):
        lines.append("  " * depth + f"{key}:")
    indent = "  " * len(path)
    lines.extend(indent + line for line in POD_SPEC.splitlines())
    return "\n".join(lines) + "\n" + ACCOUNT


@pytest.mark.parametrize("api_version, kind, path", KINDS, ids=[k[1] + "@" + k[0] for k in KINDS])
def test_pod_spec_rules_cover_the_kind(lint, api_version, kind, path):
    text = manifest(api_version, kind, path)
    lines = text.splitlines()
    found = {(f.rule.id, f.span.line, f.span.column) for f in lint(text).findings}
    for rule, (marker, token) in EXPECTED.items():
        line = next(n for n, content in enumerate(lines, 1) if marker in content)
        column = lines[line - 1].index(token) + 1
        assert (rule, line, column) in found, (rule, line, column, sorted(found))

def test_core_service_with_a_template_bears_no_pods(lint):
    text = manifest("v1", "Service", ("spec", "template", "spec"))
    assert {f.rule.id for f in lint(text).findings} & set(EXPECTED) == set()
