"""The Kubernetes rules on the real vSphere manifests of ../shared/corpus.

Expected locations are read from the files' text, independently of the rules: every in-tree
vsphereVolume, every vSphere StorageClass provisioner and every vSphere CSI topology key must be
found on its own line, and the platform-neutral images beside them must stay silent.
"""

import glob
import os

from tests.conftest import CORPUS

VSPHERE_EXAMPLES = os.path.join(CORPUS, "examples", "_archived", "volumes", "vsphere")
CSI_EXAMPLES = os.path.join(CORPUS, "vsphere-csi-driver", "example")


def lines_with(pattern_dir, needle):
    """{(relative file, line)} of every line under pattern_dir containing needle outside comments."""
    out = set()
    for path in glob.glob(os.path.join(pattern_dir, "**", "*.yaml"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if needle in line.split("#")[0]:
                    out.add((os.path.relpath(path, CORPUS), number))
    return out


def found(result, rule):
    return {(os.path.relpath(f.file, CORPUS), f.span.line) for f in result.findings if f.rule.id == rule}


def test_every_vsphere_volume_and_storageclass_at_its_line(corpus_result):
    volumes = lines_with(VSPHERE_EXAMPLES, "vsphereVolume:")
    classes = (lines_with(VSPHERE_EXAMPLES, "provisioner: kubernetes.io/vsphere-volume")
               | lines_with(VSPHERE_EXAMPLES, "provisioner: csi.vsphere.vmware.com"))
    assert len(volumes) == 3 and len(classes) == 7
    assert volumes <= found(corpus_result, "LK101")
    assert classes <= found(corpus_result, "LK102")


def test_every_vsphere_csi_topology_key_at_its_line(corpus_result):
    keys = lines_with(CSI_EXAMPLES, "key: topology.csi.vmware.com/")
    assert len(keys) == 6
    assert keys == {hit for hit in found(corpus_result, "LK108") if hit[0].startswith("vsphere-csi-driver/example/")}


def test_neutral_images_beside_them_stay_silent(corpus_result):
    windows = "vsphere-csi-driver/example/vanilla-k8s-RWO-filesystem-volumes/example-windows-pod.yaml"
    assert not [hit for hit in found(corpus_result, "LK407") if hit[0] == windows]
    busybox = lines_with(CSI_EXAMPLES, "image: gcr.io/google_containers/")
    assert busybox and not busybox & found(corpus_result, "LK304")
