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



#: a node DaemonSet whose containers are given ``args`` (one list per container)
def _node(*args_lists, env=""):
    containers = "".join(f"      - name: c{i}\n        image: registry.k8s.io/sig-storage/csi-node-driver-registrar\n"
                         f"        args: {args}\n{env}" for i, args in enumerate(args_lists))
    return ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: node}\nspec:\n  template:\n    spec:\n"
            "      containers:\n" + containers)


@pytest.mark.parametrize("args, column", [
    # node-driver-registrar's documented socket under the kubelet's plugin directory
    ("['--kubelet-registration-path=/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock']", 16),
    # the driver's own --endpoint, and a kubelet root dir other than /var/lib/kubelet (k0s)
    ("['--endpoint=unix:///var/lib/k0s/kubelet/plugins/disk.csi.azure.com/csi.sock']", 16),
    # the Windows form, and the registration socket in plugins_registry
    ("['--csi-address=unix://C:\\\\var\\\\lib\\\\kubelet\\\\plugins\\\\pd.csi.storage.gke.io\\\\csi.sock']", 16),
    ("['--reg=/var/lib/kubelet/plugins_registry/csi.trident.netapp.io-reg.sock']", 16),
])
def test_a_vendor_driver_named_by_its_kubelet_plugin_socket(lint, args, column):
    assert where(lint(_node(args)), "LK116") == [("LK116", 10, column)]


def test_a_socket_path_is_one_finding_per_object_and_driver(lint):
    # the registrar and the driver both name the Filestore socket: the registrar's argument only
    text = _node("['--kubelet-registration-path=/var/lib/kubelet/plugins/filestore.csi.storage.gke.io/csi.sock']",
                 "['--endpoint=unix:///var/lib/kubelet/plugins/filestore.csi.storage.gke.io/csi.sock']")
    result = lint(text)
    assert where(result, "LK116") == [("LK116", 10, 16)]
    assert [(f.vendor, f.service) for f in result.findings if f.rule.id == "LK116"] == [("gcp", "Filestore")]


def test_an_argument_is_read_as_the_kubelet_expands_it(lint):
    env = ("        env:\n        - {name: SOCK, value: /var/lib/kubelet/plugins/csi.vsphere.vmware.com/csi.sock}\n")
    assert where(lint(_node("['--kubelet-registration-path=$(SOCK)']", env=env)), "LK116") == [("LK116", 12, 31)]  # the env value
    # $$(SOCK) is the literal text, not the variable
    assert where(lint(_node("['--kubelet-registration-path=$$(SOCK)']", env=env)), "LK116") == []


@pytest.mark.parametrize("args", [
    "['--kubelet-registration-path=/var/lib/kubelet/plugins/rbd.csi.ceph.com/csi.sock']",  # an open driver
    "['--csi-address=/csi/csi.sock']",                    # the socket inside the driver's own container
    "['--log-dir=/var/log/ebs.csi.aws.com/']",             # a vendor name outside a kubelet plugin directory
    "['--driver-name=ebs.csi.aws.com']",                   # no path (the driver's CSIDriver object says it)
])
def test_other_arguments_are_silent(lint, args):
    assert where(lint(_node(args)), "LK116") == []


@pytest.mark.parametrize("relative, line, column", [
    # the node-driver-registrar's --kubelet-registration-path of the Filestore node DaemonSet
    ("helm-kustomize/kubernetes-sigs__gcp-filestore-csi-driver/deploy/kubernetes/base/node_linux/node.yaml", 32, 15),
    # the Linux vSphere node DaemonSet passes it as $(DRIVER_REG_SOCK_PATH): the env value
    ("corpus/vsphere-csi-driver/manifests/vanilla/vsphere-csi-driver.yaml", 466, 22),
])
def test_node_daemonsets_in_real_install_manifests(relative, line, column):
    path = os.path.join(SHARED, relative)
    if not os.path.isfile(path):
        pytest.skip(f"../shared/{relative} is absent")
    hits = [(f.span.line, f.span.column) for f in run([path]).findings if f.rule.id == "LK116"
            and "kubelet plugin socket" in f.message]
    assert (line, column) in hits


def test_a_driver_an_inline_volume_names_is_not_reported_again_by_its_socket(lint):
    # the Trident volume is LK116's (line 13, its driver value); the socket argument is the same driver
    text = (_node("['--kubelet-registration-path=/var/lib/kubelet/plugins/csi.trident.netapp.io/csi.sock']")
            + "      volumes:\n      - name: data\n        csi: {driver: csi.trident.netapp.io}\n")
    assert where(lint(text), "LK116") == [("LK116", 13, 23)]
