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


# A class name the scan defines nowhere in reach: the target cluster provides the class. EKS creates
# gp2 (kubernetes.io/aws-ebs), AKS managed-csi / azurefile-csi (disk/file.csi.azure.com), GKE
# standard-rwo (pd.csi.storage.gke.io) and, with its Filestore driver, the *-rwx classes.

def test_claim_naming_an_eks_class_the_scan_does_not_define(tmp_path):
    write(tmp_path / "pvc.yaml", PVC.replace("fast", "gp2"))
    [finding] = [f for f in run([str(tmp_path)]).findings if f.rule.id == "LK110"]
    assert (finding.span.line, finding.span.column) == (5, 21)  # the storageClassName value
    assert (finding.vendor, finding.service) == ("aws", "Amazon EBS")
    assert not finding.related  # no definition to point at
    assert finding.message == ("PersistentVolumeClaim 'data' is coupled through StorageClass 'gp2' (provisioner "
                               "kubernetes.io/aws-ebs), the name the aws managed Kubernetes service creates that "
                               "class under (the scan defines no 'gp2' in reach)")


def test_aks_and_gke_class_names_in_claim_templates_and_ephemeral_volumes(tmp_path):
    write(tmp_path / "sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
          "  volumeClaimTemplates:\n  - metadata: {name: d}\n    spec: {storageClassName: managed-csi}\n"
          "  - metadata: {name: f}\n    spec: {storageClassName: enterprise-multishare-rwx}\n")
    write(tmp_path / "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n"
          "  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n"
          "        spec: {storageClassName: standard-rwo}\n")
    assert sorted((os.path.basename(f.file), f.span.line, f.span.column, f.vendor, f.service)
                  for f in run([str(tmp_path)]).findings if f.rule.id == "LK110") == [
        ("pod.yaml", 9, 34, "gcp", "Persistent Disk"),
        ("sts.yaml", 7, 30, "azure", "Azure Disk"),
        ("sts.yaml", 9, 30, "gcp", "Filestore")]


def test_a_definition_in_the_scan_decides_even_under_a_vendor_name(tmp_path):
    # the scan's own gp2 with a neutral provisioner: judged by that definition, not by the name
    write(tmp_path / "sc.yaml", SC.format(provisioner="rbd.csi.ceph.com").replace("fast", "gp2"))
    write(tmp_path / "pvc.yaml", PVC.replace("fast", "gp2"))
    assert where(run([str(tmp_path)]), "LK110") == []


def test_names_other_distributions_give_neutral_classes_are_not_reported(tmp_path):
    # kind and minikube name their local class standard; AKS's old default is default; EKS creates no gp3
    for name in ("standard", "default", "gp3", "local-path"):
        write(tmp_path / f"{name}.yaml", PVC.replace("fast", name))
    assert where(run([str(tmp_path)]), "LK110") == []


def test_accepted_provisioner_and_class_names_parameter(tmp_path):
    import json

    from click.testing import CliRunner

    from lintra.cli import main
    write(tmp_path / "pvc.yaml", PVC.replace("fast", "azurefile-csi"))

    def lk110(params):
        (tmp_path / ".lintra.yaml").write_text(json.dumps({"rules": {"LK110": {"params": params}}}))
        out = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK110", str(tmp_path / "pvc.yaml")])
        return [(f["line"], f["column"], f["vendor"]) for f in json.loads(out.output)["findings"]]

    assert lk110({}) == [(5, 21, "azure")]
    assert lk110({"accepted_provisioners": ["file.csi.azure.com"]}) == []
    assert lk110({"class_names": {"gp2": "kubernetes.io/aws-ebs"}}) == []  # the name left out of the table
    # an organisation's own name for a vendor class, a prefix ending in *
    write(tmp_path / "pvc.yaml", PVC.replace("fast", "corp-ebs-fast"))
    assert lk110({"class_names": {"corp-ebs-*": "ebs.csi.aws.com"}}) == [(5, 21, "aws")]


def test_corpus_azure_nfs_example_names_aks_managed_premium(corpus_result):
    # Kubernetes' archived NFS example for Azure claims AKS's built-in managed-premium class through
    # the beta annotation, and the corpus defines no managed-premium StorageClass
    found = [(f.span.line, f.span.column, f.vendor, f.service) for f in corpus_result.findings
             if f.rule.id == "LK110" and os.path.relpath(f.file, CORPUS)
             == "examples/_archived/volumes/nfs/provisioner/nfs-server-azure-pv.yaml"]
    assert found == [(6, 46, "azure", "Azure Disk")]
