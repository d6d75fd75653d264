"""LK108 / LK109 / LK205 / LK305 / LK404: scheduling and provisioning on vendor node labels."""

from tests.conftest import where

PLACEMENT_RULES = {"LK108", "LK109", "LK205", "LK305", "LK404"}

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      nodeSelector:
        eks.amazonaws.com/nodegroup: ng-1
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 1
              preference:
                matchExpressions:
                  - {key: cloud.google.com/gke-spot, operator: In, values: ["true"]}
      tolerations:
        - {key: kubernetes.azure.com/scalesetpriority, operator: Equal, value: spot, effect: NoSchedule}
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.csi.vmware.com/k8s-zone, whenUnsatisfiable: DoNotSchedule}
      containers: [{name: c, image: nginx}]
"""


def test_every_vendor_key_is_found_at_the_key(lint):
    found = [(rule, line, column) for rule, line, column in where(lint(DEPLOYMENT)) if rule in PLACEMENT_RULES]
    assert found == [("LK205", 8, 9), ("LK305", 15, 27), ("LK404", 17, 17), ("LK108", 19, 37)]


def test_neutral_and_lookalike_keys_stay_silent(lint):
    neutral = (DEPLOYMENT
               .replace("eks.amazonaws.com/nodegroup", "node.kubernetes.io/instance-type")
               .replace("cloud.google.com/gke-spot", "failure-domain.beta.kubernetes.io/zone")
               .replace("kubernetes.azure.com/scalesetpriority", "evil-azure.com/spot")
               .replace("topology.csi.vmware.com/k8s-zone", "topology.kubernetes.io/zone"))
    assert [f for f in where(lint(neutral)) if f[0] in PLACEMENT_RULES] == []


VSPHERE_PV = """\
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec:
  csi: {driver: csi.vsphere.vmware.com, volumeHandle: 8f1f5e44-fafa-4404-91f7-d7a9bfd30e16}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [zone-a]}
"""


def test_failure_domain_keys_count_only_on_vsphere_storage(lint):
    assert where(lint(VSPHERE_PV), "LK109") == [("LK109", 10, 21)]
    ceph = VSPHERE_PV.replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com")
    assert where(lint(ceph), "LK109") == []


def test_karpenter_pool_on_aws_instance_labels_and_node_class(lint):
    pool = """\
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      requirements:
        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m]}
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
"""
    result = lint(pool)
    assert where(result, "LK205") == [("LK205", 8, 17)]
    assert where(result, "LK207") == [("LK207", 10, 54)]
    # a node pool is the cluster administrator's platform layer, not the application's
    assert {f.rule.strength for f in result.findings if f.rule.id == "LK207"} == {"substrate"}


def test_karpenter_pool_on_aks_node_class_and_labels(lint):
    pool = """\
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      requirements:
        - {key: karpenter.azure.com/sku-family, operator: In, values: [D]}
      nodeClassRef: {group: karpenter.azure.com, kind: AKSNodeClass, name: default}
"""
    result = lint(pool)
    assert where(result, "LK404") == [("LK404", 8, 17)]
    assert where(result, "LK408") == [("LK408", 9, 56)]
    assert {f.rule.strength for f in result.findings if f.rule.id == "LK408"} == {"substrate"}
    assert where(result, "LK207") == []
    assert where(lint(pool.replace("karpenter.sh/v1", "example.org/v1")), "LK408") == []
