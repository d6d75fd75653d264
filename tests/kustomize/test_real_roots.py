"""Real Kustomize roots of ../shared/helm-kustomize, built natively.

Expectations come from the files (kustomize's field semantics applied by hand) and from the vendor
documentation that makes a value coupling; they are not lintra's output frozen:
- Amazon ECR private registries are ``ACCOUNT.dkr.ecr.REGION.amazonaws.com``
  (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html).
- ``eks.amazonaws.com/compute-type`` is the node label EKS sets on Fargate nodes
  (https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html).
- ``service.beta.kubernetes.io/aws-load-balancer-*`` Service annotations configure the AWS cloud
  provider's load balancers (https://kubernetes.io/docs/reference/labels-annotations-taints/,
  https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/).
- ``fsx.csi.aws.com`` is the CSI driver of Amazon FSx for Lustre
  (https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi.html).
- ``mcr.microsoft.com`` is Microsoft's container registry, serving Azure components
  (https://mcr.microsoft.com/).
/work/shared/README.md says which roots kustomize v5.5.0 builds and which fail upstream, and why.
"""

import os
from collections import Counter

import pytest

from lintra.pipeline import run
from tests.conftest import SHARED
from tests.kustomize.helpers import by_name

HK = os.path.join(SHARED, "helm-kustomize")


def _need():
    if not os.path.isdir(HK):
        pytest.skip("../shared/helm-kustomize is absent (it sits beside the checkout in CI)")


@pytest.fixture(scope="module")
def scan():
    _need()
    return run([HK])


def rel(path):
    return os.path.relpath(path, HK)


def found(result, rule=None):
    return sorted((f.rule.id, rel(f.file), f.span.line) for f in result.findings
                  if rule is None or f.rule.id == rule)


def test_every_root_builds_or_fails_as_kustomize_does(scan):
    roots = [r for r in scan.files if os.path.basename(r.file) in ("kustomization.yaml", "kustomization.yml",
                                                                    "Kustomization")]
    assert len(roots) == 145
    failed = sorted((rel(f.file), f.span.line) for f in scan.findings if f.rule.id == "LT005")
    # README: gcs-fuse overlays hold `[]` placeholder patches ("illegally qualifies as both an SM
    # and JSON patch"), two roots use a legacy `patches:` list of strings (kustomize v5 rejects
    # them), validator samples lists a file the repository does not have. CAPZ aso/default fail
    # upstream only for want of network: here the remote resource is skipped and the rest built.
    assert failed == [
        ("GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/dev/kustomization.yaml", 32),
        ("GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/gcsfuse_kernel_params/kustomization.yaml", 26),
        ("GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/shared-mount/kustomization.yaml", 34),
        ("GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/sidecar_bucket_access_check/kustomization.yaml", 26),
        ("GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/stable/kustomization.yaml", 28),
        ("kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/manifests/kustomization.yaml", 7),
        ("kubernetes__cloud-provider-aws/examples/existing-cluster/overlays/superset-role/kustomization.yaml", 5),
        ("validator-labs__validator-plugin-vsphere/config/samples/kustomization.yaml", 3),
    ]
    assert not [f for f in scan.findings if f.rule.id in ("LT900", "LT002")]
    failing = {path for path, _ in failed}
    assert sorted(r.status for r in roots if rel(r.file) not in failing) == ["scanned"] * (145 - 8)


def test_no_place_is_reported_twice(scan):
    places = Counter((f.rule.id, f.file, f.span.line, f.span.column) for f in scan.findings)
    assert [place for place, count in places.items() if count > 1] == []


def test_fsx_ecr_overlay_new_name_and_base_fargate_labels(scan):
    fsx = [item for item in found(scan) if item[1].startswith("kubernetes-sigs__aws-fsx-csi-driver/deploy/")]
    base = "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/"
    assert fsx == [
        # base files: reported once although base, stable, stable/ecr and stable/ecr-public build them
        ("LK116", base + "base/csidriver.yaml", 6),  # CSIDriver fsx.csi.aws.com: the FSx for Lustre driver
        # the registrar's socket /var/lib/kubelet/plugins/fsx.csi.aws.com/csi.sock (env DRIVER_REG_SOCK_PATH)
        ("LK116", base + "base/node-daemonset.yaml", 94),
        ("LK204", base + "overlays/stable/ecr/kustomization.yaml", 7),  # newName: ...dkr.ecr.us-west-2...
        ("LK205", base + "base/controller-deployment.yaml", 141),
        ("LK205", base + "base/node-daemonset.yaml", 33),
    ]
    ecr = next(f for f in scan.findings if f.rule.id == "LK204" and "aws-fsx" in f.file)
    assert "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-fsx-csi-driver:v1.1.0" in ecr.message
    assert [(rel(r.file), r.span.line) for r in ecr.related] == [(base + "overlays/stable/ecr/kustomization.yaml", 4)]


def test_fsx_overlay_alone_reports_the_base_lines_and_accounts_for_its_files():
    _need()
    overlay = os.path.join(HK, "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable/ecr")
    result = run([overlay])
    base = "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/"
    assert found(result) == [("LK116", base + "base/csidriver.yaml", 6),
                             ("LK116", base + "base/node-daemonset.yaml", 94),
                             ("LK204", base + "overlays/stable/ecr/kustomization.yaml", 7),
                             ("LK205", base + "base/controller-deployment.yaml", 141),
                             ("LK205", base + "base/node-daemonset.yaml", 33)]
    files = {rel(r.file): r for r in result.files}
    assert base + "base/controller-deployment.yaml" in files  # read by the build: accounted for
    assert "read by the build of" in files[base + "base/controller-deployment.yaml"].reason
    assert len(files) == 9  # the overlay, the base kustomization and its 7 resources


def test_ingress_nginx_aws_load_balancer_annotations_once(scan):
    provider = "kubernetes__ingress-nginx/deploy/static/provider/"
    assert [item for item in found(scan, "LK202") if item[1].startswith(provider + "aws/")] == [
        ("LK202", provider + "aws/deploy.yaml", 339),
        ("LK202", provider + "aws/deploy.yaml", 340),
        ("LK202", provider + "aws/deploy.yaml", 341),
        ("LK202", provider + "aws/nlb-with-tls-termination/deploy.yaml", 346),
        ("LK202", provider + "aws/nlb-with-tls-termination/deploy.yaml", 347),
        ("LK202", provider + "aws/nlb-with-tls-termination/deploy.yaml", 348),
        ("LK202", provider + "aws/nlb-with-tls-termination/deploy.yaml", 349),
        ("LK202", provider + "aws/nlb-with-tls-termination/deploy.yaml", 350),
    ]


def test_ingress_nginx_root_named_alone_reaches_deploy_yaml():
    _need()
    root = os.path.join(HK, "kubernetes__ingress-nginx/deploy/static/provider/aws/kustomization.yaml")
    result = run([root])
    assert found(result, "LK202") == [("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml", n)
                                      for n in (339, 340, 341)]
    assert all(f.related and rel(f.related[0].file).endswith("provider/aws/kustomization.yaml") for f in result.findings)


def test_azure_workload_identity_manager_image_from_mcr_at_the_new_name(scan):
    assert ("LK407", "Azure__azure-workload-identity/config/manager/kustomization.yaml", 7) in found(scan, "LK407")
    finding = next(f for f in scan.findings if f.rule.id == "LK407" and "workload-identity/config" in f.file)
    # both roots that build the manager are named: config/manager itself and config/default over it
    assert sorted(rel(r.file) for r in finding.related) == [
        "Azure__azure-workload-identity/config/default/kustomization.yaml",
        "Azure__azure-workload-identity/config/manager/kustomization.yaml"]


def _built(relative):
    from lintra.load.kustomize import build_source
    from lintra.model import Source
    _need()
    path = os.path.join(HK, relative)
    return list(build_source(Source(path, path)))


def _at(doc, *pointer):
    span = doc.span(pointer)
    return rel(span.file), span.line


def test_gcp_filestore_overlays_on_overlays():
    root = "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/"
    docs = _built(root + "overlays/dev/kustomization.yaml")  # dev -> stable-master -> base/controller
    controller = by_name(docs, "Deployment", "gcp-filestore-csi-controller")
    containers = controller.data["spec"]["template"]["spec"]["containers"]
    driver = next(i for i, c in enumerate(containers) if c["name"] == "gcp-filestore-driver")
    # the ImageTagTransformer of images/stable-master sets the tag; the name stays the base's
    assert containers[driver]["image"] == "registry.k8s.io/cloud-provider-gcp/gcp-filestore-csi-driver:v1.7.0"
    assert _at(controller, "spec", "template", "spec", "containers", driver, "image") == \
        (root + "base/controller/controller.yaml", 107)
    # dev's strategic merge patch sets the pull policy, and deletes the credentials env/volume (noauth.yaml)
    assert containers[driver]["imagePullPolicy"] == "Always"
    assert _at(controller, "spec", "template", "spec", "containers", driver, "imagePullPolicy")[0] == \
        root + "overlays/dev/controller_always_pull.yaml"
    assert all(e.get("name") != "GOOGLE_APPLICATION_CREDENTIALS" for e in containers[driver].get("env", []))
    assert controller.data["metadata"]["namespace"] == "gcp-filestore-csi-driver"
    driver_object = by_name(docs, "CSIDriver", "filestore.csi.storage.gke.io")
    # stable-master's JSON 6902 patch (fsgrouppolicy.yaml) adds fsGroupPolicy and rewrites apiVersion
    assert driver_object.data["spec"]["fsGroupPolicy"] == "File"
    assert _at(driver_object, "spec", "fsGroupPolicy") == (root + "overlays/stable-master/fsgrouppolicy.yaml", 3)
    assert driver_object.data["apiVersion"] == "storage.k8s.io/v1"
    assert "namespace" not in driver_object.data["metadata"]  # CSIDriver is cluster-scoped


def test_capv_default_prefix_namespace_and_patched_image():
    root = "kubernetes-sigs__cluster-api-provider-vsphere/config/"
    docs = _built(root + "default/kustomization.yaml")
    manager = by_name(docs, "Deployment", "capv-controller-manager")
    assert manager.data["metadata"]["namespace"] == "capv-system"
    assert manager.data["metadata"]["labels"]["cluster.x-k8s.io/provider"] == "infrastructure-vsphere"
    containers = manager.data["spec"]["template"]["spec"]["containers"]
    index = next(i for i, c in enumerate(containers) if c["name"] == "manager")
    assert containers[index]["image"] == "gcr.io/k8s-staging-capi-vsphere/cluster-api-vsphere-controller:main"
    assert _at(manager, "spec", "template", "spec", "containers", index, "image") == \
        (root + "base/manager_image_patch.yaml", 10)


def test_capz_default_builds_its_component_without_the_remote_resource():
    root = "kubernetes-sigs__cluster-api-provider-azure/config/"
    from lintra.load.kustomize import build_source
    from lintra.model import Source
    _need()
    path = os.path.join(HK, root + "default/kustomization.yaml")
    out = build_source(Source(path, path))
    assert "remote resource https://github.com/Azure/azure-service-operator/releases/download/v2.19.0/" in out.reason
    manager = next(d for d in out if d.data["kind"] == "Deployment" and d.data["metadata"]["name"].endswith(
        "controller-manager") and "capz" in str(d.data["metadata"].get("labels")))
    labels = manager.data["spec"]["template"]["metadata"]["labels"]
    assert labels["azure.workload.identity/use"] == "true"
    assert _at(manager, "spec", "template", "metadata", "labels", "azure.workload.identity/use") == \
        (root + "manager/manager.yaml", 18)


def test_s3_controller_json6902_patches_in_json_files():
    root = "aws-controllers-k8s__s3-controller/config/"
    docs = _built(root + "overlays/namespaced/kustomization.yaml")
    role = by_name(docs, "Role", "ack-s3-controller")  # role.json: replace /kind, add /metadata/namespace
    assert role.data["metadata"]["namespace"] == "ack-system"
    assert _at(role, "kind") == (root + "overlays/namespaced/role.json", 1)
    assert _at(role, "metadata", "namespace") == (root + "overlays/namespaced/role.json", 2)
    binding = by_name(docs, "RoleBinding", "ack-s3-controller-rolebinding")
    assert binding.data["roleRef"]["kind"] == "Role"
    assert _at(binding, "roleRef", "kind") == (root + "overlays/namespaced/role-binding.json", 3)
    assert not [d for d in docs if d.data["kind"] in ("ClusterRole", "ClusterRoleBinding")
                and d.data["metadata"]["name"] in ("ack-s3-controller", "ack-s3-controller-rolebinding")]


def test_prometheus_engine_inline_builtin_transformers():
    """ReplacementTransformer copies common.yaml's tls into every endpoint, then a PatchTransformer
    deletes the temporary object with $patch: delete (both inline in the kustomization)."""
    root = "GoogleCloudPlatform__prometheus-engine/examples/shared-configs/"
    docs = _built(root + "kustomization.yaml")
    assert sorted(d.data["kind"] for d in docs) == ["ClusterPodMonitoring", "PodMonitoring", "PodMonitoring"]
    monitoring = by_name(docs, "PodMonitoring", "prom-example-a")
    assert monitoring.data["spec"]["endpoints"][0]["tls"] == {"insecureSkipVerify": True, "minVersion": "TLS13"}
    assert _at(monitoring, "spec", "endpoints", 0, "tls", "minVersion") == (root + "common.yaml", 20)
    assert _at(monitoring, "spec", "endpoints", 0, "port") == (root + "podmonitorings.yaml", 25)


def test_worker_processes_merge_the_same_way(scan):
    """With --jobs the map step runs in workers; built findings travel apart and merge in the run."""
    from lintra import parallel
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    result = run([HK], jobs=2)
    assert found(result) == found(scan)
