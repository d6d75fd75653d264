import os

from lintra.pipeline import run
from tests.conftest import CORPUS, where

SC = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {{name: fast}}\nprovisioner: {provisioner}\n"
PVC = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  storageClassName: fast\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_claim_through_vendor_class_in_same_directory(tmp_path):
    write(tmp_path / "sc.yaml", SC.format(provisioner="ebs.csi.aws.com"))
    write(tmp_path / "pvc.yaml", PVC)
    finding = [f for f in run([str(tmp_path)]).findings if f.rule.id == "LK110"][0]
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("pvc.yaml", 5, 21)
    assert finding.vendor == "aws"
    # the class's file and line are the related location; in the message they would churn
    # baselines and GitLab descriptions whenever sc.yaml changes
    assert finding.message == ("PersistentVolumeClaim 'data' is coupled through StorageClass 'fast' "
                               "(provisioner ebs.csi.aws.com)")
    assert (finding.related[0].file, finding.related[0].span.line) == (str(tmp_path / "sc.yaml"), 4)


def test_nearest_definition_wins_and_neutral_class_is_silent(tmp_path):
    write(tmp_path / "sc.yaml", SC.format(provisioner="csi.vsphere.vmware.com"))
    write(tmp_path / "app" / "sc.yaml", SC.format(provisioner="rbd.csi.ceph.com"))
    write(tmp_path / "app" / "pvc.yaml", PVC)
    assert where(run([str(tmp_path)]), "LK110") == []


def test_disagreeing_definitions_at_same_distance_are_named(tmp_path):
    write(tmp_path / "a.yaml", SC.format(provisioner="csi.vsphere.vmware.com"))
    write(tmp_path / "b.yaml", SC.format(provisioner="rbd.csi.ceph.com"))
    write(tmp_path / "pvc.yaml", PVC)
    finding = [f for f in run([str(tmp_path)]).findings if f.rule.id == "LK110"][0]
    assert "2 definitions of 'fast' at the same distance disagree" in finding.message


def test_statefulset_claim_template_and_claim_without_class(tmp_path):
    write(tmp_path / "sc.yaml", SC.format(provisioner="kubernetes.io/gce-pd"))
    write(tmp_path / "sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
          "  volumeClaimTemplates:\n  - metadata: {name: d}\n    spec: {storageClassName: fast}\n")
    write(tmp_path / "nocls.yaml", PVC.replace("  storageClassName: fast\n", "  accessModes: [ReadWriteOnce]\n"))
    assert [(os.path.basename(f.file), f.span.line, f.message) for f in run([str(tmp_path)]).findings
            if f.rule.id == "LK110"] == [("sts.yaml", 7, "StatefulSet 's' claim template 'd' is coupled through "
                                                        "StorageClass 'fast' (provisioner kubernetes.io/gce-pd)")]


def test_corpus_vsphere_claims_bound_by_name(corpus_result):
    found = {(os.path.relpath(f.file, CORPUS), f.span.line) for f in corpus_result.findings if f.rule.id == "LK110"}
    vsphere = "examples/_archived/volumes/vsphere/"
    assert {(vsphere + "simple-statefulset.yaml", 50), (vsphere + "vsphere-volume-pvcsc.yaml", 11)} <= found
    assert not [f for f in found if f[0] == vsphere + "vsphere-volume-pvc.yaml"]


def test_definition_in_a_sibling_directory_is_out_of_scope(tmp_path):
    # kubernetes/examples: the storageos claims name 'fast', which only the vsphere example defines
    write(tmp_path / "vsphere" / "sc.yaml", SC.format(provisioner="kubernetes.io/vsphere-volume"))
    write(tmp_path / "storageos" / "pvc.yaml", PVC)
    write(tmp_path / "sc-in-parent" / "app" / "pvc.yaml", PVC)
    write(tmp_path / "sc-in-parent" / "sc.yaml", SC.format(provisioner="kubernetes.io/vsphere-volume"))
    assert [os.path.relpath(f.file, tmp_path) for f in run([str(tmp_path)]).findings
            if f.rule.id == "LK110"] == [os.path.join("sc-in-parent", "app", "pvc.yaml")]


def test_beta_storage_class_annotation_names_the_class(tmp_path):
    write(tmp_path / "sc.yaml", SC.format(provisioner="pd.csi.storage.gke.io"))
    write(tmp_path / "sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
          "  volumeClaimTemplates:\n  - metadata:\n      name: d\n      annotations:\n"
          "        volume.beta.kubernetes.io/storage-class: fast\n    spec: {accessModes: [ReadWriteOnce]}\n")
    [finding] = [f for f in run([str(tmp_path)]).findings if f.rule.id == "LK110"]
    assert (finding.span.line, finding.span.column, finding.vendor) == (9, 50, "gcp")


def test_corpus_storageos_claims_do_not_bind_to_the_vsphere_example(corpus_result):
    storageos = "examples/_archived/volumes/storageos/"
    assert not [f for f in corpus_result.findings
                if f.rule.id == "LK110" and os.path.relpath(f.file, CORPUS).startswith(storageos)]


def test_generic_ephemeral_volume_claims_through_its_class(tmp_path):
    write(tmp_path / "sc.yaml", SC.format(provisioner="disk.csi.azure.com"))
    write(tmp_path / "job.yaml", """\
apiVersion: batch/v1
kind: Job
metadata: {name: scratch}
spec:
  template:
    spec:
      containers: [{name: c, image: busybox}]
      volumes:
        - name: cache
          emptyDir: {}
        - name: scratch
          ephemeral:
            volumeClaimTemplate:
              spec:
                accessModes: [ReadWriteOnce]
                storageClassName: fast
                resources: {requests: {storage: 1Gi}}
        - name: broken
          ephemeral: [not, a, mapping]
""")
    [finding] = [f for f in run([str(tmp_path)]).findings if f.rule.id in ("LK110", "LT900")]
    assert (finding.rule.id, finding.span.line, finding.span.column, finding.vendor) == ("LK110", 16, 35, "azure")
    assert finding.message.startswith("Job 'scratch' ephemeral volume 'scratch' is coupled through StorageClass 'fast'")
