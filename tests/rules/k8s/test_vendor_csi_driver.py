"""LK116: a vendor's CSI driver named by snapshot classes, CSIDriver objects, PVs, pods and the
StorageClasses of storage vendors the packs do not cover.

Fixtures in tests/fixtures/k8s-storage-vendors are written by hand from each vendor's documentation
(cited in each file); the real files are the drivers' own install manifests in ../shared.
"""

import os

import pytest

from lintra.pipeline import run
from tests.conftest import ROOT, SHARED, where

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "k8s-storage-vendors")


def test_vendor_drivers_at_their_lines():
    result = run([FIXTURES])
    found = sorted((os.path.basename(f.file), f.span.line, f.span.column, f.rule.id, f.vendor)
                   for f in result.findings)
    assert found == [
        ("aws-snapshots.yaml", 8, 9, "LK116", "aws"),     # VolumeSnapshotClass driver: ebs.csi.aws.com
        ("aws-snapshots.yaml", 15, 14, "LK201", "aws"),   # EKS Auto Mode's provisioner (the pack's list)
        ("dell-hpe.yaml", 12, 13, "LK116", "dell"),       # PV spec.csi.driver
        ("dell-hpe.yaml", 26, 17, "LK116", "hpe"),        # pod inline CSI volume
        ("trident.yaml", 8, 14, "LK116", "netapp"),       # StorageClass provisioner
        ("trident.yaml", 16, 9, "LK116", "netapp"),       # VolumeSnapshotClass driver
    ]  # the Ceph RBD snapshot class (line 22) is open storage


@pytest.mark.parametrize("relative, line, vendor", [
    ("corpus/vsphere-csi-driver/manifests/vanilla/vsphere-csi-driver.yaml", 4, "vmware"),
    ("helm-kustomize/GoogleCloudPlatform__gcs-fuse-csi-driver/deploy/base/setup/csi_driver.yaml", 19, "gcp"),
    ("helm-kustomize/kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/controller/csi_driver.yaml",
     4, "gcp"),
])
def test_csidriver_objects_in_real_install_manifests(relative, line, vendor):
    path = os.path.join(SHARED, relative)
    if not os.path.isfile(path):
        pytest.skip(f"../shared/{relative} is absent")
    result = run([path])
    hits = [(f.span.line, f.span.column, f.vendor) for f in result.findings if f.rule.id == "LK116"]
    assert (line, 9, vendor) in hits  # the CSIDriver's metadata.name value


@pytest.mark.parametrize("text", [
    # open drivers, and a look-alike kind of another group
    "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: rbd.csi.ceph.com}\n",
    "apiVersion: example.org/v1\nkind: VolumeSnapshotClass\nmetadata: {name: x}\ndriver: csi.trident.netapp.io\n",
    # the vSphere StorageClass is LK102's, not reported twice
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: x}\nprovisioner: csi.vsphere.vmware.com\n",
])
def test_silent(lint, text):
    assert where(lint(text), "LK116") == []


def test_claims_follow_storage_vendor_classes_too(lint):
    result = lint("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gold}\n"
                  "provisioner: csi.trident.netapp.io\n---\n"
                  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
                  "spec:\n  storageClassName: gold\n  resources: {requests: {storage: 1Gi}}\n")
    assert [(f.rule.id, f.span.line, f.vendor) for f in result.findings if f.rule.id == "LK110"] == [
        ("LK110", 10, "netapp")]

