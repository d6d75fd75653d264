"""Catalogue additions at exact locations: LK202/LK302/LK402 on pod templates, namespaces and
Ingresses (fixtures written by hand from the vendor docs each file cites), LK117 vendor CRD
definitions and LK118 cloud-provider flags on real install manifests in ../shared."""

import os

import pytest

from lintra.pipeline import run
from tests.conftest import ROOT, SHARED, where

SETTINGS = os.path.join(ROOT, "tests", "fixtures", "k8s-vendor-settings")


def test_vendor_settings_at_their_lines():
    result = run([SETTINGS])
    found = sorted((os.path.basename(f.file), f.span.line, f.span.column, f.rule.id) for f in result.findings)
    assert found == [
        ("aws-lbc.yaml", 8, 5, "LK202"),     # the namespace label elbv2.k8s.aws/pod-readiness-gate-inject
        ("aws-lbc.yaml", 16, 3, "LK202"),    # loadBalancerClass eks.amazonaws.com/nlb (the key, as LK202 points)
        ("azure-workload-identity.yaml", 16, 9, "LK402"),   # pod label azure.workload.identity/use
        ("azure-workload-identity.yaml", 18, 9, "LK402"),   # pod annotation of the webhook
        ("gke-ingress.yaml", 9, 5, "LK302"),   # kubernetes.io/ingress.global-static-ip-name
        ("gke-ingress.yaml", 10, 5, "LK302"),  # ingress.gcp.kubernetes.io/pre-shared-cert
        ("gke-ingress.yaml", 23, 9, "LK302"),  # gke-gcsfuse/volumes on the Job's pods
    ]


def test_neutral_pod_labels_stay_silent(lint):
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
            "    metadata:\n      labels: {app: d, azure.example.org/team: x}\n"
            "      annotations: {kubernetes.io/ingress.class: nginx}\n"
            "    spec:\n      containers: [{name: c, image: busybox}]\n")
    assert where(lint(text)) == []


def _real(relative):
    path = os.path.join(SHARED, relative)
    if not os.path.isfile(path):
        pytest.skip(f"../shared/{relative} is absent")
    return [(f.rule.id, f.span.line, f.span.column, f.vendor) for f in run([path]).findings]


def test_karpenter_chart_installs_the_aws_node_class_api():
    found = _real("helm-kustomize/aws__karpenter-provider-aws/charts/karpenter/crds/karpenter.k8s.aws_ec2nodeclasses.yaml")
    assert ("LK117", 9, 10, "aws") in found  # spec.group: karpenter.k8s.aws
    # the core NodePool CRD's group karpenter.sh is Karpenter's own, neutral
    assert [f for f in _real("helm-kustomize/aws__karpenter-provider-aws/charts/karpenter/crds/karpenter.sh_nodepools.yaml")
            if f[0] == "LK117"] == []


def test_vsphere_csi_operator_crds():
    found = _real("corpus/vsphere-csi-driver/pkg/apis/storagepool/config/cns.vmware.com_storagepools.yaml")
    assert ("LK117", 9, 10, "vmware") in found


def test_aws_cloud_controller_manager_args():
    found = _real("helm-kustomize/kubernetes__cloud-provider-aws/examples/existing-cluster/base/"
                  "aws-cloud-controller-manager-daemonset.yaml")
    assert ("LK118", 34, 15, "aws") in found  # - --cloud-provider=aws


@pytest.mark.parametrize("args, token", [
    ("[--cloud-provider, gce]", "gce"),                     # the value after the flag
    ("['--cloud-provider=azure', --v=2]", "'--cloud-provider=azure'"),
    ("[--cloud-provider=external]", None),
    ("[--cloud-provider=]", None),
])
def test_cloud_provider_flag_forms(lint, args, token):
    line = "        - {name: m, image: x, args: " + args + "}"
    text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ccm}\nspec:\n  template:\n    spec:\n" \
           "      containers:\n" + line + "\n"
    expected = [(8, line.index(token) + 1)] if token else []
    assert [(n, col) for _, n, col in where(lint(text), "LK118")] == expected


@pytest.mark.parametrize("relative, rule, line, column, vendor", [
    # CAPZ's controller pods opt into Azure Workload Identity with the pod label
    ("helm-kustomize/kubernetes-sigs__cluster-api-provider-azure/config/manager/manager.yaml", "LK402", 18, 9, "azure"),
    # the FSx for Lustre driver's CSIDriver object
    ("helm-kustomize/kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/csidriver.yaml", "LK116", 6, 9, "aws"),
    # ACK's S3 controller CRD and Velero's vSphere plugin CRDs install vendor API groups
    ("helm-kustomize/aws-controllers-k8s__s3-controller/config/crd/bases/s3.services.k8s.aws_buckets.yaml",
     "LK117", 9, 10, "aws"),
    ("helm-kustomize/vmware-tanzu__velero-plugin-for-vsphere/pkg/generated/crds/manifests/"
     "datamover.cnsdp.vmware.com_uploads.yaml", "LK117", 11, 10, "vmware"),
    ("helm-kustomize/GoogleCloudPlatform__prometheus-engine/charts/operator/crds/"
     "monitoring.googleapis.com_podmonitorings.yaml", "LK117", 21, 10, "gcp"),
])
def test_real_vendor_manifests(relative, rule, line, column, vendor):
    assert (rule, line, column, vendor) in _real(relative)


def test_cloud_provider_flag_printed_from_chart_values_points_at_the_values_line(scan_tree):
    # - --cloud-provider={{ .Values.cloudProvider }}: the item starts with template text, but the
    # provider is what values.yaml:2 writes, the line a user edits (README "Where a finding lands")
    files = {"Chart.yaml": "apiVersion: v2\nname: ccm\nversion: 0.1.0\n",
             "values.yaml": "image: registry.k8s.io/kube-controller-manager:v1.26.0\ncloudProvider: gce\n",
             "templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: kcm}\nspec:\n  containers:\n"
                                   "    - name: kcm\n      image: {{ .Values.image }}\n      command:\n"
                                   "        - kube-controller-manager\n"
                                   "        - --cloud-provider={{ .Values.cloudProvider }}\n"
                                   "        - --cloud-config=/etc/kubernetes/cloud.conf\n"}
    [finding] = scan_tree(files, "LK118")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column, finding.vendor) == \
        ("values.yaml", 2, 16, "gcp")
    assert [(os.path.basename(r.file), r.span.line) for r in finding.related] == [("pod.yaml", 10)]
    # written whole in the template, the flag stays at its item, as in a plain manifest
    files["templates/pod.yaml"] = files["templates/pod.yaml"].replace("{{ .Values.cloudProvider }}", "aws")
    assert [(os.path.basename(f.file), f.span.line, f.span.column) for f in scan_tree(files, "LK118")] == \
        [("pod.yaml", 10, 11)]
