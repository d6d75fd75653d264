"""LK210 / LK308 / LK409: container resources only one cloud's nodes advertise."""

from tests.conftest import where

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox
          resources:
            limits: {vpc.amazonaws.com/pod-eni: "1"}
      containers:
        - name: c
          image: busybox
          resources:
            requests: {cpu: 100m, google.com/tpu: 4}
            limits: {nvidia.com/gpu: 1, kubernetes.azure.com/sgx_epc_mem_in_MiB: 10, google.com/tpu: 4}
"""
RESOURCE_RULES = {"LK210", "LK308", "LK409"}


def found(result):
    return sorted(f for f in where(result) if f[0] in RESOURCE_RULES)


def test_each_vendor_resource_at_its_key(lint):
    assert found(lint(DEPLOYMENT)) == [("LK210", 11, 22), ("LK308", 16, 35), ("LK308", 17, 86),
                                       ("LK409", 17, 41)]


def test_pod_level_resources_count_too(lint):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resources:\n"
           "    limits: {vpc.amazonaws.com/PrivateIPv4Address: 1}\n  containers: [{name: c, image: busybox}]\n")
    assert found(lint(pod)) == [("LK210", 6, 14)]


def test_hardware_vendor_and_lookalike_resources_stay_silent(lint):
    neutral = (DEPLOYMENT.replace("vpc.amazonaws.com/pod-eni", "example.com/pod-eni")
               .replace("google.com/tpu", "amd.com/gpu")
               .replace("kubernetes.azure.com/sgx_epc_mem_in_MiB", "sgx.intel.com/epc"))
    assert found(lint(neutral)) == []
    assert found(lint(DEPLOYMENT.replace("vpc.amazonaws.com", "vpcamazonaws.com"))) == [
        ("LK308", 16, 35), ("LK308", 17, 86), ("LK409", 17, 41)]
