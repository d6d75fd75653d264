"""VMware catalogue at exact locations: NSX (NCP, NSX Operator) and Avi (AKO) annotations and the
AKO load balancer class (LK106), and the vCenter connection configuration of the vSphere cloud
provider and CSI driver (LK119). Fixtures in tests/fixtures/k8s-vmware are written by hand from the
VMware documentation each file cites; the real-data test reads the Cluster API vSphere templates in
../shared/helm-kustomize, whose ClusterResourceSet Secret carries the CSI driver's csi-vsphere.conf."""

import os

import pytest

from lintra.pipeline import run
from tests.conftest import ROOT, SHARED, where

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "k8s-vmware")
CAPV = os.path.join(SHARED, "helm-kustomize", "kubernetes-sigs__cluster-api-provider-vsphere", "templates")


def test_vmware_settings_at_their_lines():
    result = run([FIXTURES])
    found = sorted((os.path.basename(f.file), f.span.line, f.span.column, f.rule.id, f.vendor or f.rule.vendor)
                   for f in result.findings)
    assert found == [
        ("nsx-avi.yaml", 12, 5, "LK106", "vmware"),    # ncp/snat_pool on the Service
        ("nsx-avi.yaml", 24, 5, "LK106", "vmware"),    # nsx.vmware.com/vpc_name on the Namespace
        ("nsx-avi.yaml", 32, 5, "LK106", "vmware"),    # aviinfrasetting.ako.vmware.com/name
        ("nsx-avi.yaml", 35, 3, "LK106", "vmware"),    # loadBalancerClass ako.vmware.com/avi-lb (the key)
        ("vsphere-cpi.yaml", 11, 3, "LK119", "vmware"),   # vsphere.conf, YAML form
        ("vsphere-cpi.yaml", 32, 3, "LK119", "vmware"),   # an INI cloud config under another key
        ("vsphere-cpi.yaml", 60, 15, "LK118", "vmware"),  # the CPI DaemonSet's --cloud-provider=vsphere
    ]


def test_avi_load_balancer_class_names_its_service(lint):
    result = lint("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                  "spec: {type: LoadBalancer, loadBalancerClass: ako.vmware.com/avi-lb}\n")
    assert [f.service for f in result.findings] == ["VMware Avi Kubernetes Operator (AKO)"]


def test_neutral_configuration_stays_silent(lint):
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n"
            "  app.ini: |\n    [Global]\n    name = app\n"
            "  notes: \"the vcenter: key of a cloud config\"\n"
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  annotations: {nsx.example.org/x: y}\n")
    assert where(lint(text)) == []


def _line_after(path, marker, start_marker):
    """The 1-based line of the first ``marker`` line after ``start_marker`` (read off the file)."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    start = lines.index(start_marker)
    return lines.index(marker, start) + 1


@pytest.mark.parametrize("name", ["cluster-template.yaml", "cluster-template-supervisor.yaml",
                                  "cluster-template-topology.yaml"])
def test_capv_templates_ship_the_csi_driver_vcenter_config(name):
    path = os.path.join(CAPV, name)
    if not os.path.isfile(path):
        pytest.skip(f"../shared/helm-kustomize CAPV template {name} is absent")
    result = run([path])
    # the Secret vsphere-config-secret's stringData.data holds a Secret whose csi-vsphere.conf has
    # [VirtualCenter "${VSPHERE_SERVER}"]: the finding is on that data key
    line = _line_after(path, "  data: |-", "  name: vsphere-config-secret")
    assert [(f.span.line, f.span.column) for f in result.findings if f.rule.id == "LK119"] == [(line, 3)]
