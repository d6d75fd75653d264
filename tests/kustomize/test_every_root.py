"""Every Kustomize root of ../shared/helm-kustomize, built as `lintra check ROOT` builds it: the
coupling each root reports, at the line a user edits.

All 145 roots are named in exactly one table (the first test fails when a root is added or lost):

- ``FOUND``: the findings of the root, exactly: (rule, file, line). Each place was read in the file
  (see the line's text in the comment of its rule below) and is coupling by the vendor document
  cited for its rule. A finding on a base shows under every root that builds the base (the run
  names it once, at the base, with each root as a related location).
- ``NONE``: roots with no coupling, and the reason from their files.

A root added to ../shared whose coupling no rule reports belongs in neither table: the first test
fails until it is stated (and its rule written).

The rules, what the lines hold, and the documents that make them coupling:
- LK116 ``CSIDriver`` ``name: fsx.csi.aws.com`` / ``filestore.csi.storage.gke.io`` /
  ``gcsfuse.csi.storage.gke.io``: the CSI drivers of Amazon FSx for Lustre, Filestore and Cloud
  Storage FUSE (https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi.html,
  https://cloud.google.com/filestore/docs/csi-driver,
  https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver).
- LK116 ``--kubelet-registration-path=/var/lib/kubelet/plugins/filestore.csi.storage.gke.io/csi.sock``
  (or the env ``value`` such an argument expands as ``$(DRIVER_REG_SOCK_PATH)``) in a node DaemonSet:
  node-driver-registrar registers the driver with the kubelet by the socket under the kubelet's
  plugin directory named after the driver (https://kubernetes-csi.github.io/docs/node-driver-registrar.html),
  here Filestore's, Cloud Storage FUSE's and FSx for Lustre's (the pages above).
- LK411 Azure Identity SDK credential settings (``AZURE_SUBSCRIPTION_ID``/``AZURE_TENANT_ID``/
  ``AZURE_CLIENT_ID`` keys of the ASO credential Secret ``aso-controller-settings``, the
  ``AZURE_TENANT_ID`` literal of Azure Workload Identity's webhook ConfigMap, a manager's
  ``env`` ``- name: AZURE_SUBSCRIPTION_ID``)
  (https://azure.github.io/azure-service-operator/guide/authentication/,
  https://learn.microsoft.com/en-us/python/api/azure-identity/azure.identity.environmentcredential).
- LK117 CRD ``group: s3.services.k8s.aws`` / ``services.k8s.aws``: the API groups of AWS
  Controllers for Kubernetes (https://aws-controllers-k8s.github.io/community/docs/community/overview/).
- LK118 ``--cloud-provider=aws`` (https://kubernetes.io/docs/concepts/architecture/cloud-controller/,
  https://github.com/kubernetes/cloud-provider-aws).
- LK202 ``service.beta.kubernetes.io/aws-load-balancer-*`` Service annotations
  (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/).
- LK204 ``newName: 602401143452.dkr.ecr.us-west-2.amazonaws.com/...``: an Amazon ECR private
  registry (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html); the overlay's
  ``newName:`` line is where the image is set.
- LK205 ``key: eks.amazonaws.com/compute-type``: the node label EKS sets on Fargate nodes
  (https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html).
- LK301 ``provisioner: gcsfuse.csi.storage.gke.io``: a GKE-managed CSI provisioner (same page as LK116).
- LK304 ``image: gke.gcr.io/...``: GKE's image registry
  (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver).
- LK306 ``apiVersion: monitoring.googleapis.com/v1`` PodMonitoring: Google Cloud Managed Service
  for Prometheus (https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed).
- LK402 pod label ``azure.workload.identity/use: "true"``, and the same key in the objectSelector
  of Azure Workload Identity's own mutating webhook
  (https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html).
- LK407 ``newName: mcr.microsoft.com/oss/azure/...``: Microsoft's container registry serving Azure
  components (https://mcr.microsoft.com/); the overlay's ``newName:`` line.
- LK125 ``kind: Azure*`` / ``VSphere*`` in the neutral ``infrastructure.cluster.x-k8s.io`` group (an
  object's own kind, an ``infrastructureRef``/ClusterClass reference, a CRD's ``spec.names.kind``):
  kinds of Cluster API Provider Azure and vSphere, which provision Azure and vSphere resources
  (https://capz.sigs.k8s.io/, https://github.com/kubernetes-sigs/cluster-api-provider-vsphere,
  https://cluster-api.sigs.k8s.io/reference/providers).
- LK117 CRD ``group: vmware.infrastructure.cluster.x-k8s.io`` (CAPV on vSphere with Tanzu's
  supervisor) and ``group: rhdh.redhat.com`` (Red Hat Developer Hub's operator,
  https://docs.redhat.com/en/documentation/red_hat_developer_hub/).
- LK126 a Role/ClusterRole ``apiGroups`` item or a webhook rule's ``apiGroups`` item naming a vendor
  group (``- crd.nsx.vmware.com``, ``- vmoperator.vmware.com``, ``- iam.services.k8s.aws``,
  ``- containerservice.azure.com``, ``- config.openshift.io``, ``- rhdh.redhat.com``, ...): the
  software that ships the grant reads or writes that vendor's API (https://github.com/vmware-tanzu/nsx-operator,
  https://azure.github.io/azure-service-operator/, the ACK page above,
  https://docs.openshift.com/container-platform/4.16/rest_api/config_apis/config-apis-index.html).
- LK127 kops ``cloudProvider: aws`` (https://kops.sigs.k8s.io/cluster_spec/).
- LK520 ``apiVersion: rhdh.redhat.com/...`` Backstage objects (the RHDH page above).
- LK602 ``service.beta.kubernetes.io/do-loadbalancer-*`` (DigitalOcean), ``oci-load-balancer-*``
  (Oracle, vendor ``oracle``), ``scw-loadbalancer-*`` (Scaleway), ``exoscale-loadbalancer-*``
  (Exoscale) Service annotations, each read only by that provider's cloud-controller-manager
  (https://docs.digitalocean.com/products/kubernetes/how-to/configure-load-balancers/,
  https://github.com/oracle/oci-cloud-controller-manager/blob/master/docs/load-balancer-annotations.md,
  https://github.com/scaleway/scaleway-cloud-controller-manager/blob/master/docs/loadbalancer-annotations.md,
  https://github.com/exoscale/exoscale-cloud-controller-manager/blob/master/docs/service-loadbalancer.md).
- LT005 at the line kustomize fails on: /work/shared/README.md records that kustomize v5.5.0 refuses
  these roots too (``[]`` placeholder patches, legacy string ``patches:``, a missing file).
"""

import os
from collections import defaultdict

import pytest

from lintra.pipeline import run
from tests.conftest import SHARED

HK = os.path.join(SHARED, "helm-kustomize")
NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CAPZ = "kubernetes-sigs__cluster-api-provider-azure"
CAPV = "kubernetes-sigs__cluster-api-provider-vsphere"


def _at(rule, file, *lines):
    """The findings of one rule in one file, at each of ``lines``."""
    return {(rule, file, line) for line in lines}


#: CAPZ's CRDs of its Azure* kinds in the neutral infrastructure.cluster.x-k8s.io group: each
#: file's spec.names.kind line (LK125)
CAPZ_CRDS = {
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedclusters.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedclustertemplates.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedcontrolplanes.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedcontrolplanetemplates.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedmachinepools.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureasomanagedmachinepooltemplates.yaml", 11),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureclusteridentities.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureclusters.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azureclustertemplates.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremachinepoolmachines.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremachinepools.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremachines.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremachinetemplates.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedclusters.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedclustertemplates.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedcontrolplanes.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedcontrolplanetemplates.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedmachinepools.yaml", 13),
    ("LK125", f"{CAPZ}/config/crd/bases/infrastructure.cluster.x-k8s.io_azuremanagedmachinepooltemplates.yaml", 13),
}
#: CAPV's CRDs of its VSphere* kinds in that group (LK125)
CAPV_CRDS = {
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vsphereclusteridentities.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vsphereclusters.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vsphereclustertemplates.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vspheredeploymentzones.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vspherefailuredomains.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vspheremachines.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vspheremachinetemplates.yaml", 13),
    ("LK125", f"{CAPV}/config/default/crd/bases/infrastructure.cluster.x-k8s.io_vspherevms.yaml", 13),
}

FOUND = {
    "Azure__azure-workload-identity/config/default": {
        ("LK402", "Azure__azure-workload-identity/config/webhook/webhook_patch.yaml", 10),
        ("LK407", "Azure__azure-workload-identity/config/manager/kustomization.yaml", 7),
        ("LK411", "Azure__azure-workload-identity/config/manager/kustomization.yaml", 11),
    },
    "Azure__azure-workload-identity/config/webhook": {
        ("LK402", "Azure__azure-workload-identity/config/webhook/webhook_patch.yaml", 10),
    },
    "Azure__azure-workload-identity/config/manager": {
        ("LK407", "Azure__azure-workload-identity/config/manager/kustomization.yaml", 7),
        ("LK411", "Azure__azure-workload-identity/config/manager/kustomization.yaml", 11),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/controller": {
        ("LK304", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/controller/controller.yaml", 36),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/node": {
        ("LK304", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/node/node.yaml", 48),
        ("LK116", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/node/node.yaml", 142),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup": {
        ("LK116", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup/csi_driver.yaml", 19),
        ("LK301", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup/storageclass.yaml", 22),
        ("LK301", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup/storageclass.yaml", 40),
        ("LK301", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup/storageclass.yaml", 65),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/webhook": {
        ("LK304", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/webhook/deployment.yaml", 47),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/dev": {
        ("LT005", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/dev/kustomization.yaml", 32),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/gcsfuse_kernel_params": {
        ("LT005", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/gcsfuse_kernel_params/kustomization.yaml", 26),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/shared-mount": {
        ("LT005", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/shared-mount/kustomization.yaml", 34),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/sidecar_bucket_access_check": {
        ("LT005", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/sidecar_bucket_access_check/kustomization.yaml", 26),
    },
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/stable": {
        ("LT005", "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/overlays/stable/kustomization.yaml", 28),
    },
    "GoogleCloudPlatform__prometheus-engine/examples/shared-configs": {
        ("LK306", "GoogleCloudPlatform__prometheus-engine/examples/shared-configs/podmonitorings.yaml", 15),
        ("LK306", "GoogleCloudPlatform__prometheus-engine/examples/shared-configs/podmonitorings.yaml", 35),
        ("LK306", "GoogleCloudPlatform__prometheus-engine/examples/shared-configs/podmonitorings.yaml", 47),
    },
    "aws-controllers-k8s__s3-controller/config/crd/common": {
        ("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_fieldexports.yaml", 9),
        ("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_iamroleselectors.yaml", 9),
    },
    "aws-controllers-k8s__s3-controller/config/crd": {
        ("LK117", "aws-controllers-k8s__s3-controller/config/crd/bases/s3.services.k8s.aws_buckets.yaml", 9),
        ("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_fieldexports.yaml", 9),
        ("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_iamroleselectors.yaml", 9),
    },
    "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base": {
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/csidriver.yaml", 6),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/controller-deployment.yaml", 141),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 33),
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 94),
    },
    "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable/ecr-public": {
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/csidriver.yaml", 6),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/controller-deployment.yaml", 141),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 33),
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 94),
    },
    "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable/ecr": {
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/csidriver.yaml", 6),
        ("LK204", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable/ecr/kustomization.yaml", 7),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/controller-deployment.yaml", 141),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 33),
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 94),
    },
    "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable": {
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/csidriver.yaml", 6),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/controller-deployment.yaml", 141),
        ("LK205", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 33),
        ("LK116", "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/base/node-daemonset.yaml", 94),
    },
    "kubernetes-sigs__cluster-api-provider-azure/config/manager": {
        ("LK402", "kubernetes-sigs__cluster-api-provider-azure/config/manager/manager.yaml", 18),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/manifests": {
        ("LT005", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/manifests/kustomization.yaml", 7),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/dev": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/lockrelease": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/multishare": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-head": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-1-16": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-1-17": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-1-18": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-1-19": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-1-20": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/prow-gke-release-staging-rc-master": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-1-16": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-1-17": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-1-18": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-1-19": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-1-20": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/overlays/stable-master": {
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml", 4),
        ("LK116", "kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32),
    },
    "kubernetes__cloud-provider-aws/examples/existing-cluster/base": {
        ("LK118", "kubernetes__cloud-provider-aws/examples/existing-cluster/base/aws-cloud-controller-manager-daemonset.yaml", 34),
    },
    "kubernetes__cloud-provider-aws/examples/existing-cluster/overlays/superset-role": {
        ("LT005", "kubernetes__cloud-provider-aws/examples/existing-cluster/overlays/superset-role/kustomization.yaml", 5),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/aws": {
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml", 339),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml", 340),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml", 341),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination": {
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml", 346),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml", 347),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml", 348),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml", 349),
        ("LK202", "kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml", 350),
    },
    "validator-labs__validator-plugin-vsphere/config/samples": {
        ("LT005", "validator-labs__validator-plugin-vsphere/config/samples/kustomization.yaml", 3),
    },
    "aws-controllers-k8s__s3-controller/config/default": {
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/bases/s3.services.k8s.aws_buckets.yaml", 9),
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_fieldexports.yaml", 9),
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_iamroleselectors.yaml", 9),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/cluster-role-controller.yaml", 26, 34, 54),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-reader.yaml", 10),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-writer.yaml", 10),
    },
    "aws-controllers-k8s__s3-controller/config/overlays/namespaced": {
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/bases/s3.services.k8s.aws_buckets.yaml", 9),
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_fieldexports.yaml", 9),
        *_at("LK117", "aws-controllers-k8s__s3-controller/config/crd/common/bases/services.k8s.aws_iamroleselectors.yaml", 9),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/cluster-role-controller.yaml", 26, 34, 54),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-reader.yaml", 10),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-writer.yaml", 10),
    },
    "aws-controllers-k8s__s3-controller/config/rbac": {
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/cluster-role-controller.yaml", 26, 34, 54),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-reader.yaml", 10),
        *_at("LK126", "aws-controllers-k8s__s3-controller/config/rbac/role-writer.yaml", 10),
    },
    f"{CAPZ}/config/aso": {
        *_at("LK411", f"{CAPZ}/config/aso/settings.yaml", 13, 14, 15),
    },
    f"{CAPZ}/config/capz": {
        *CAPZ_CRDS,
        *_at("LK126", f"{CAPZ}/config/rbac/role.yaml", 123, 215, 235, 263),
        *_at("LK402", f"{CAPZ}/config/manager/manager.yaml", 18),
        ("LK411", f"{CAPZ}/config/capz/manager_credentials_patch.yaml", 12),
    },
    f"{CAPZ}/config/crd": {
        *CAPZ_CRDS,
    },
    f"{CAPZ}/config/default": {
        *CAPZ_CRDS,
        *_at("LK126", f"{CAPZ}/config/rbac/role.yaml", 123, 215, 235, 263),
        *_at("LK402", f"{CAPZ}/config/manager/manager.yaml", 18),
        *_at("LK411", f"{CAPZ}/config/aso/settings.yaml", 13, 14, 15),
        ("LK411", f"{CAPZ}/config/capz/manager_credentials_patch.yaml", 12),
    },
    f"{CAPZ}/config/rbac": {
        *_at("LK126", f"{CAPZ}/config/rbac/role.yaml", 123, 215, 235, 263),
    },
    f"{CAPZ}/templates/azure-cluster-identity": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
    },
    f"{CAPZ}/templates/flavors/aad": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/aad/machine-deployment.yaml", 23, 26),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
    },
    f"{CAPZ}/templates/flavors/aks": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/managedazurecluster-identity-ref.yaml", 8),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks/cluster-template.yaml", 16, 20, 27, 43, 65, 72, 96, 103),
    },
    f"{CAPZ}/templates/flavors/aks-aso": {
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso/cluster-template.yaml", 10, 14, 18, 43, 72, 77, 111, 116),
    },
    f"{CAPZ}/templates/flavors/aks-aso-clusterclass": {
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso-clusterclass/azure-managed-cluster-template.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso-clusterclass/azure-managed-controlplane-template.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso-clusterclass/azure-managed-machinepool-template.yaml", 2, 11),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso-clusterclass/clusterclass.yaml", 10, 15, 29, 41, 51, 72, 103, 131),
    },
    f"{CAPZ}/templates/flavors/aks-aso-maintenance": {
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-aso/cluster-template.yaml", 10, 14, 18, 43, 72, 77, 111, 116),
    },
    f"{CAPZ}/templates/flavors/aks-clusterclass": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-clusterclass/azure-managed-cluster-template.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-clusterclass/azure-managed-controlplane-template.yaml", 2, 11),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-clusterclass/azure-managed-machinepool-template.yaml", 2, 14),
        *_at("LK125", f"{CAPZ}/templates/flavors/aks-clusterclass/clusterclass.yaml", 10, 15, 29, 41),
    },
    f"{CAPZ}/templates/flavors/apiserver-ilb": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/apiserver-ilb/machine-deployment.yaml", 23, 26),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
    },
    f"{CAPZ}/templates/flavors/azure-bastion": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/azure-cni-v1": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/base": {
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
    },
    f"{CAPZ}/templates/flavors/clusterclass": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass/azure-cluster-template.yaml", 2, 12),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass/azure-machine-template-controlplane.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass/azure-machine-template-worker.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass/clusterclass.yaml", 10, 20, 34),
    },
    f"{CAPZ}/templates/flavors/clusterclass-rke2": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass-rke2/azure-cluster-template.yaml", 2, 10),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass-rke2/azure-machine-template-controlplane.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass-rke2/azure-machine-template-worker.yaml", 2),
        *_at("LK125", f"{CAPZ}/templates/flavors/clusterclass-rke2/clusterclass.yaml", 13, 19, 33, 40, 102),
    },
    f"{CAPZ}/templates/flavors/default": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/dual-stack": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/dual-stack/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/edgezone": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/ephemeral": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/flatcar": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/flatcar/machine-deployment.yaml", 21, 26),
    },
    f"{CAPZ}/templates/flavors/flatcar-sysext": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/flatcar-sysext/machine-deployment.yaml", 21, 26),
    },
    f"{CAPZ}/templates/flavors/ipv6": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/ipv6/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/machinepool": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/machinepool/machine-pool-deployment.yaml", 21, 24),
    },
    f"{CAPZ}/templates/flavors/machinepool-windows": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/machinepool-windows/machine-pool-deployment-windows.yaml", 21, 24),
        *_at("LK125", f"{CAPZ}/templates/flavors/machinepool/machine-pool-deployment.yaml", 21, 24),
    },
    f"{CAPZ}/templates/flavors/nvidia-gpu": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/nvidia-gpu/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/private": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/windows": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/default/machine-deployment.yaml", 23, 26),
        *_at("LK125", f"{CAPZ}/templates/flavors/windows/machine-deployment-windows.yaml", 23, 26),
    },
    f"{CAPZ}/templates/flavors/windows-apiserver-ilb": {
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azure-cluster-identity.yaml", 3),
        *_at("LK125", f"{CAPZ}/templates/azure-cluster-identity/azurecluster-identity-ref.yaml", 9),
        *_at("LK125", f"{CAPZ}/templates/flavors/apiserver-ilb/machine-deployment.yaml", 23, 26),
        *_at("LK125", f"{CAPZ}/templates/flavors/base/cluster-template.yaml", 12, 20, 44, 106),
        *_at("LK125", f"{CAPZ}/templates/flavors/windows-apiserver-ilb/machine-deployment-windows.yaml", 23, 26),
    },
    f"{CAPV}/config/base": {
        *_at("LK126", f"{CAPV}/config/rbac/role.yaml", 139, 211, 232, 242, 271, 284),
    },
    f"{CAPV}/config/default": {
        *CAPV_CRDS,
        *_at("LK126", f"{CAPV}/config/rbac/role.yaml", 139, 211, 232, 242, 271, 284),
    },
    f"{CAPV}/config/default/crd": {
        *CAPV_CRDS,
    },
    f"{CAPV}/config/rbac": {
        *_at("LK126", f"{CAPV}/config/rbac/role.yaml", 139, 211, 232, 242, 271, 284),
    },
    f"{CAPV}/config/supervisor": {
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_providerserviceaccounts.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclusters.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclustertemplates.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachines.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachinetemplates.yaml", 9),
        *_at("LK126", f"{CAPV}/config/rbac/role.yaml", 139, 211, 232, 242, 271, 284),
        *_at("LK126", f"{CAPV}/config/supervisor/webhook/manifests.yaml", 19, 46),
    },
    f"{CAPV}/config/supervisor-tilt": {
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_providerserviceaccounts.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclusters.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclustertemplates.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachines.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachinetemplates.yaml", 9),
        *_at("LK126", f"{CAPV}/config/rbac/role.yaml", 139, 211, 232, 242, 271, 284),
        *_at("LK126", f"{CAPV}/config/supervisor-tilt/metrics/crd-clusterrole.yaml", 10),
        *_at("LK126", f"{CAPV}/config/supervisor/webhook/manifests.yaml", 19, 46),
    },
    f"{CAPV}/config/supervisor-tilt/metrics": {
        *_at("LK126", f"{CAPV}/config/supervisor-tilt/metrics/crd-clusterrole.yaml", 10),
    },
    f"{CAPV}/config/supervisor/crd": {
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_providerserviceaccounts.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclusters.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vsphereclustertemplates.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachines.yaml", 9),
        *_at("LK117", f"{CAPV}/config/supervisor/crd/bases/vmware.infrastructure.cluster.x-k8s.io_vspheremachinetemplates.yaml", 9),
    },
    f"{CAPV}/config/supervisor/webhook": {
        *_at("LK126", f"{CAPV}/config/supervisor/webhook/manifests.yaml", 19, 46),
    },
    "kubernetes__cloud-provider-aws/examples/kops-new-cluster/base": {
        *_at("LK127", "kubernetes__cloud-provider-aws/examples/kops-new-cluster/base/cluster.yaml", 12),
    },
    "kubernetes__cloud-provider-aws/examples/kops-new-cluster/overlays/cloud-controller-manager": {
        *_at("LK127", "kubernetes__cloud-provider-aws/examples/kops-new-cluster/base/cluster.yaml", 12),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/do": {
        *_at("LK602", "kubernetes__ingress-nginx/deploy/static/provider/do/deploy.yaml", 340),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/exoscale": {
        *_at("LK602", "kubernetes__ingress-nginx/deploy/static/provider/exoscale/deploy.yaml", 339, 341, 342, 343, 344, 345, 346),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/oracle": {
        *_at("LK602", "kubernetes__ingress-nginx/deploy/static/provider/oracle/deploy.yaml", 339, 340, 341),
    },
    "kubernetes__ingress-nginx/deploy/static/provider/scw": {
        *_at("LK602", "kubernetes__ingress-nginx/deploy/static/provider/scw/deploy.yaml", 340),
    },
    "redhat-developer__rhdh-operator/config/crd": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
    },
    "redhat-developer__rhdh-operator/config/manifests/backstage.io": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha4_backstage.yaml", 1),
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha5_backstage.yaml", 1),
    },
    "redhat-developer__rhdh-operator/config/manifests/rhdh": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha4_backstage.yaml", 1),
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha5_backstage.yaml", 1),
    },
    "redhat-developer__rhdh-operator/config/profile/backstage.io": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
    },
    "redhat-developer__rhdh-operator/config/profile/external": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
    },
    "redhat-developer__rhdh-operator/config/profile/rhdh": {
        *_at("LK117", "redhat-developer__rhdh-operator/config/crd/bases/rhdh.redhat.com_backstages.yaml", 9),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
    },
    "redhat-developer__rhdh-operator/config/rbac": {
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_editor_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/backstage_viewer_role.yaml", 15),
        *_at("LK126", "redhat-developer__rhdh-operator/config/rbac/role.yaml", 53, 74, 100),
    },
    "redhat-developer__rhdh-operator/config/samples": {
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha4_backstage.yaml", 1),
        *_at("LK520", "redhat-developer__rhdh-operator/config/samples/_v1alpha5_backstage.yaml", 1),
    },
}

#: roots with no coupling: why, from their files
NONE = {
    "Azure__azure-workload-identity/config/certmanager": "a cert-manager Issuer and Certificate for the webhook",
    "Azure__azure-workload-identity/config/pdb": "a PodDisruptionBudget selecting the webhook's own pods",
    "Azure__azure-workload-identity/config/prometheus": "a ServiceMonitor (Prometheus Operator, neutral)",
    "Azure__azure-workload-identity/config/rbac": "RBAC on core resources for the webhook's ServiceAccount",
    "Azure__azure-workload-identity/config/secret": "an empty Secret for the webhook's serving certificate",
    "GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/images/stable":
        "builtin ImageTagTransformer configurations, not objects; the gke.gcr.io images they name are "
        "reported where the bases write them (deploy/base/*)",
    f"{CAPZ}/config/certmanager": "a cert-manager Issuer and Certificate for the webhooks",
    f"{CAPZ}/templates/flavors/aks-aso-topology": "a CAPI Cluster naming its ClusterClass (topology.class); "
                                                 "the Azure objects are in the class's root (LK125 there, FOUND above)",
    f"{CAPZ}/templates/flavors/aks-topology": "a CAPI Cluster naming its ClusterClass (topology.class)",
    f"{CAPZ}/templates/flavors/topology": "a CAPI Cluster naming its ClusterClass (topology.class)",
    f"{CAPV}/config/certmanager": "a cert-manager Issuer and Certificate for the webhooks",
    f"{CAPV}/config/manager": "the controller Deployment alone, image from the Kubernetes project's staging "
                              "registry; the vSphere credentials come in through config/base",
    f"{CAPV}/config/metrics": "kube-state-metrics ClusterRole on the provider's kinds (neutral API group)",
    f"{CAPV}/config/govmomi/webhook": "webhooks for the provider's kinds in the neutral CAPI group; "
                                     "the VSphere* kinds are stated at the CRD root (LK125 there, FOUND above)",
    f"{CAPZ}/config/webhook": "webhooks for the provider's kinds in the neutral CAPI group; the Azure* "
                              "kinds are stated at the CRD root (LK125 there, FOUND above)",
    **{f"kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/images/{name}":
       "builtin ImageTagTransformer configurations naming Kubernetes-project registries "
       "(k8s.gcr.io, registry.k8s.io, gcr.io/k8s-staging-*), not objects"
       for name in ("prow-gke-release-staging-head", "prow-gke-release-staging-rc-1-16",
                    "prow-gke-release-staging-rc-1-17", "prow-gke-release-staging-rc-1-18",
                    "prow-gke-release-staging-rc-1-19", "prow-gke-release-staging-rc-1-20",
                    "prow-gke-release-staging-rc-master", "stable-1-16", "stable-1-17", "stable-1-18",
                    "stable-1-19", "stable-1-20", "stable-master")},
    "kubernetes__ingress-nginx/deploy/static/provider/baremetal": "a NodePort Service; no cloud setting",
    "kubernetes__ingress-nginx/deploy/static/provider/cloud": "a LoadBalancer Service with no annotation",
    "kubernetes__ingress-nginx/deploy/static/provider/kind": "NodePort and host ports for kind; no cloud setting",
    "redhat-developer__rhdh-operator/config/manager": "the operator Deployment (image controller:latest, set "
                                                      "by the manifests roots)",
    "aws-controllers-k8s__s3-controller/config/controller":
        "the ACK S3 controller's Deployment; its image (newName: public.ecr.aws/aws-controllers-k8s/...) is on "
        "Amazon ECR Public, a registry AWS hosts for everyone "
        "(https://docs.aws.amazon.com/AmazonECR/latest/public/public-registries.html): not coupling by issue 17 "
        "item 3; the controller's coupling is its CRDs and RBAC (config/crd, config/rbac)",
    "redhat-developer__rhdh-operator/config/prometheus": "a ServiceMonitor (Prometheus Operator, neutral)",
    "redhat-developer__rhdh-operator/config/profile/rhdh/plugin-rbac":
        "a ClusterRole on sonataflow.org and networking.k8s.io (SonataFlow is the CNCF/Apache KIE project)",
    "redhat-developer__rhdh-operator/config/scorecard": "Operator SDK scorecard tests (quay.io/operator-framework "
                                                        "image: a public registry, not a platform)",
    **{f"validator-labs__validator-plugin-vsphere/config/{name}":
       "the validator's manager Deployment (quay.io/validator-labs image: a public registry) and RBAC on its own "
       "API group; it reaches vSphere through credentials the user supplies, no VMware key or API group here "
       "(the previous round's closing note: a catalogue question)"
       for name in ("default", "devspace", "manager")},
    "validator-labs__validator-plugin-vsphere/config/crd":
        "the CRD of the validator's own API group (validation.spectrocloud.labs); no VMware API group",
    "validator-labs__validator-plugin-vsphere/config/network-policy": "a NetworkPolicy for the manager's metrics",
    "validator-labs__validator-plugin-vsphere/config/prometheus": "a ServiceMonitor (Prometheus Operator, neutral)",
    "validator-labs__validator-plugin-vsphere/config/rbac": "RBAC on the validator's own kinds",
}


def _roots():
    found = []
    for directory, dirs, files in os.walk(HK):
        dirs.sort()
        found.extend(os.path.relpath(directory, HK) for name in files if name in NAMES)
    return sorted(found)


@pytest.fixture(scope="module")
def by_root():
    """Each root's findings. The roots are named one by one, as `lintra check ROOT/kustomization.yaml`
    names them, in one run: a finding on a place several roots build is reported once, with every
    root that builds it as a related location, so it is each of those roots' finding."""
    if not os.path.isdir(HK):
        pytest.skip("../shared/helm-kustomize is absent (it sits beside the checkout in CI)")
    named = [os.path.join(HK, root, next(n for n in NAMES if os.path.isfile(os.path.join(HK, root, n))))
             for root in _roots()]
    result = run(named)
    out = defaultdict(set)
    for finding in result.findings:
        builders = [r.file for r in finding.related if r.message.startswith("built by kustomization")]
        for builder in builders or [finding.file]:
            root = os.path.dirname(os.path.relpath(builder, HK))
            out[root].add((finding.rule.id, os.path.relpath(finding.file, HK), finding.span.line, finding.vendor))
    return out


def test_every_root_is_stated_once():
    if not os.path.isdir(HK):
        pytest.skip("../shared/helm-kustomize is absent (it sits beside the checkout in CI)")
    tables = [set(FOUND), set(NONE)]
    assert sum(len(t) for t in tables) == len(set().union(*tables))  # no root in two tables
    assert sorted(set().union(*tables)) == _roots()
    assert len(_roots()) == 145


@pytest.mark.parametrize("root", sorted(FOUND) + sorted(NONE))
def test_root_reports_its_coupling_at_the_lines_a_user_edits(by_root, root):
    expected = FOUND.get(root, set())
    assert {(rule, file, line) for rule, file, line, _ in by_root.get(root, ())} == expected, NONE.get(root)


def test_a_root_checked_as_a_directory_reports_the_same_places():
    """`lintra check OVERLAY_DIR`: the directory form of one stated root gives its stated places."""
    if not os.path.isdir(HK):
        pytest.skip("../shared/helm-kustomize is absent (it sits beside the checkout in CI)")
    root = "kubernetes-sigs__aws-fsx-csi-driver/deploy/kubernetes/overlays/stable/ecr"
    result = run([os.path.join(HK, root)])
    assert {(f.rule.id, os.path.relpath(f.file, HK), f.span.line) for f in result.findings} == FOUND[root]
