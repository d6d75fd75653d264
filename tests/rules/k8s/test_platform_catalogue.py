"""LK125 Cluster API provider kinds, LK126 vendor API access, LK127 kops clouds, LK520 Red Hat
operator APIs and LK602 other clouds' load balancers, on manifests written by hand from the
documents each rule cites (the Cluster API provider books, the RBAC and admission webhook
references, the kops cluster spec, each cloud-controller-manager's annotation list)."""

import pytest

from tests.conftest import where


def _vendors(result, rule_id):
    return [(f.span.line, f.span.column, f.vendor) for f in result.findings if f.rule.id == rule_id]


@pytest.mark.parametrize("kind, vendor", [
    ("AWSManagedControlPlane", "aws"),  # CAPA's EKS control plane (controlplane.cluster.x-k8s.io)
    ("GCPMachineTemplate", "gcp"),
    ("IBMPowerVSCluster", "ibm"),
    ("OCIManagedCluster", "oracle"),
    ("VSphereDeploymentZone", "vmware"),
])
def test_provider_kinds_name_their_vendor(lint, kind, vendor):
    group = "controlplane" if kind.endswith("ControlPlane") else "infrastructure"
    text = f"apiVersion: {group}.cluster.x-k8s.io/v1beta2\nkind: {kind}\nmetadata: {{name: x}}\nspec: {{}}\n"
    assert _vendors(lint(text), "LK125") == [(2, 7, vendor)]


def test_cluster_class_references_are_reported_where_they_are_written(lint):
    text = ("apiVersion: cluster.x-k8s.io/v1beta1\nkind: ClusterClass\nmetadata: {name: azure}\nspec:\n"
            "  controlPlane:\n    ref: {apiVersion: controlplane.cluster.x-k8s.io/v1beta1, kind: KubeadmControlPlaneTemplate,"
            " name: cp}\n"
            "    machineInfrastructure:\n      ref:\n        apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n"
            "        kind: AzureMachineTemplate\n        name: cp\n"
            "  infrastructure:\n    ref:\n        apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n"
            "        kind: AzureClusterTemplate\n        name: c\n")
    assert _vendors(lint(text), "LK125") == [(10, 15, "azure"), (15, 15, "azure")]


def test_neutral_cluster_api_objects_and_look_alikes_stay_silent(lint):
    text = ("apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata: {name: md}\nspec:\n"
            "  template:\n    spec:\n      bootstrap:\n        configRef: {apiVersion: bootstrap.cluster.x-k8s.io/v1beta1,"
            " kind: KubeadmConfigTemplate, name: b}\n"
            "      infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: DockerMachineTemplate,"
            " name: m}\n"
            "---\n"
            # a kind that merely starts with the letters of a prefix is not the provider's
            "apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: Awesome\nmetadata: {name: a}\n"
            "---\n"
            # an Azure-named kind outside Cluster API's groups is another rule's business
            "apiVersion: example.org/v1\nkind: AzureCluster\nmetadata: {name: e}\n")
    assert where(lint(text), "LK125") == []


def test_a_crd_of_a_vendor_group_is_reported_once_by_lk117(lint):
    text = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: vspheremachines.vmware.infrastructure.cluster.x-k8s.io}\nspec:\n"
            "  group: vmware.infrastructure.cluster.x-k8s.io\n  names: {kind: VSphereMachine, plural: vspheremachines}\n"
            "  scope: Namespaced\n")
    result = lint(text)
    assert where(result, "LK125") == []
    assert _vendors(result, "LK117") == [(5, 10, "vmware")]


def test_each_vendor_group_of_a_role_is_reported_once_at_its_first_item(lint):
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n"
            "- apiGroups: [vmoperator.vmware.com]\n  resources: [virtualmachines]\n  verbs: [get]\n"
            "- apiGroups: [vmoperator.vmware.com, config.openshift.io, '']\n  resources: ['*']\n  verbs: [list]\n")
    assert _vendors(lint(text), "LK126") == [(5, 15, "vmware"), (8, 38, "redhat")]


def test_webhooks_and_bindings(lint):
    text = ("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: m}\n"
            "webhooks:\n- name: a.example.org\n  rules:\n  - apiGroups: [apps]\n    resources: [deployments]\n"
            "- name: b.example.org\n  rules:\n  - apiGroups:\n    - containerservice.azure.com\n"
            "---\n"
            # a binding names a role, not an API group; a look-alike kind outside RBAC is not a grant
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\n"
            "---\n"
            "apiVersion: example.org/v1\nkind: ClusterRole\nmetadata: {name: x}\nrules: [{apiGroups: [cns.vmware.com]}]\n")
    assert _vendors(lint(text), "LK126") == [(12, 7, "azure")]


@pytest.mark.parametrize("provider, vendor", [("gce", "gcp"), ("azure", "azure"), ("hetzner", "other")])
def test_kops_clouds(lint, provider, vendor):
    text = f"apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata: {{name: c}}\nspec:\n  cloudProvider: {provider}\n"
    assert _vendors(lint(text), "LK127") == [(5, 18, vendor)]


def test_kops_cloud_provider_mapping(lint):
    text = "apiVersion: kops.k8s.io/v1alpha3\nkind: Cluster\nmetadata: {name: c}\nspec:\n  cloudProvider:\n    aws: {}\n"
    assert _vendors(lint(text), "LK127") == [(6, 5, "aws")]  # the provider key of the mapping


def test_red_hat_operator_objects(lint):
    text = "apiVersion: rhdh.redhat.com/v1alpha5\nkind: Backstage\nmetadata: {name: hub}\n"
    assert _vendors(lint(text), "LK520") == [(1, 13, "redhat")]


@pytest.mark.parametrize("key, vendor", [
    ("service.beta.kubernetes.io/linode-loadbalancer-throttle", "other"),
    ("load-balancer.hetzner.cloud/location", "other"),
    ("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec", "other"),
    ("service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "ibm"),
    ("oci-network-load-balancer.oraclecloud.com/security-list-management-mode", "oracle"),
    ("service.beta.kubernetes.io/scw-loadbalancer-type", "other"),
])
def test_other_clouds_load_balancer_annotations(lint, key, vendor):
    text = (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    {key}: x\n"
            "spec: {type: LoadBalancer}\n")
    assert _vendors(lint(text), "LK602") == [(6, 5, vendor)]


def test_azure_workload_identity_webhook_selector(lint):
    """The objectSelector of AWI's mutating webhook selects pods by the label the project documents
    (azure.workload.identity/use); a webhook selecting by a neutral label is not Azure's."""
    text = ("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: m}\n"
            "webhooks:\n- name: mutation.azure-workload-identity.io\n  objectSelector:\n    matchLabels:\n"
            "      azure.workload.identity/use: 'true'\n"
            "- name: other.example.org\n  objectSelector:\n    matchLabels: {app.kubernetes.io/name: web}\n")
    assert _vendors(lint(text), "LK402") == [(8, 7, "azure")]
