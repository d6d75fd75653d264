"""Each vendor table converted into a rule parameter changes the outcome when .lintra.yaml sets it:
extending it reports a new finding, narrowing it (or an allow list) removes one.

Every case is a small manifest written for the test; the expected places are read off its text
(1-based line and column of the key or value a user edits), not taken from lintra's output. The
annotation, label and taint rules point at the key (``at: key``); the others at the value.
"""

import json

import pytest
from click.testing import CliRunner

from lintra.cli import main

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: s
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
    lb.example.org/aws-tier: gold
spec:
  type: LoadBalancer
  loadBalancerClass: lb.example.org/aws-nlb
"""
# line 6 col 5: the AWS annotation key; line 7 col 5: an in-house prefix; line 10 col 3: the class
# key (LK202 points every match at its key)

GKE = """\
apiVersion: v1
kind: Service
metadata:
  name: s
  annotations:
    cloud.google.com/neg: '{"ingress": true}'
    gke.example.org/tier: gold
"""

AZURE = """\
apiVersion: v1
kind: Service
metadata:
  name: s
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    lb.example.org/azure-tier: gold
"""

ROUTER = """\
apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: r
  annotations:
    haproxy.router.openshift.io/timeout: 5m
    router.example.org/timeout: 5m
spec:
  to: {kind: Service, name: s}
"""


def spc(provider):
    return ("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: s\nspec:\n"
            f"  provider: {provider}\n")  # the provider value: line 6, column 13


def ingress(klass):
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n"
            f"    kubernetes.io/ingress.class: {klass}\n")  # the class value: line 6, column 34


def api_object(api_version):
    return f"apiVersion: {api_version}\nkind: Widget\nmetadata:\n  name: w\n"  # the value: line 1, column 13


def pod_requesting(resource):
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
            f"      image: i\n      resources:\n        limits:\n          {resource}: 1\n")  # the key: line 11, column 11


def storageclass(provisioner):
    return ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
            f"provisioner: {provisioner}\n")  # the provisioner value: line 5, column 14


def pod_selecting(key):
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector:\n"
            f"    {key}: x\n  containers:\n    - name: c\n      image: nginx:1.27\n")  # the key: line 7, column 5


def pod_image(image):
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
            f"      image: {image}\n")  # the image value: line 8, column 14


CLAIMS = ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
          "provisioner: csi.example.org\n---\n"
          "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n"
          "  storageClassName: fast\n")  # the claim's class name: line 12, column 21


def classes(controller):
    return ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: web\nspec:\n"
            f"  controller: {controller}\n---\n"  # the controller value: line 6, column 15
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n"
            "  ingressClassName: web\n")  # the Ingress's class name: line 13, column 21


def gateways(controller):
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: edge\nspec:\n"
            f"  controllerName: {controller}\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n"
            "  gatewayClassName: edge\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n")  # line 13, column 21


def snapshotclass(driver):
    return ("apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
            f"driver: {driver}\ndeletionPolicy: Delete\n")  # the driver value: line 4, column 9


def registrar(socket):
    """A node DaemonSet whose node-driver-registrar names ``socket`` (the argument: line 10, column 16)."""
    return ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: node}\nspec:\n  template:\n    spec:\n"
            "      containers:\n      - name: registrar\n        image: registry.k8s.io/sig-storage/csi-node-driver-registrar\n"
            f"        args: ['--kubelet-registration-path={socket}']\n")


def crd(group):
    return ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec:\n"
            f"  group: {group}\n  names: {{kind: X, plural: xs}}\n  scope: Cluster\n")  # the group: line 5, column 10


#: a ClusterRole granting one API group (LK126 points at the group's item, line 5 column 15)
GRANT = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: manager}\nrules:\n"
         "- apiGroups: [GROUP]\n  resources: ['*']\n  verbs: [get]\n")


KCM = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kcm\nspec:\n  containers:\n    - name: kcm\n"
       "      image: registry.k8s.io/kube-controller-manager:v1.26.0\n"
       "      command:\n        - kube-controller-manager\n        - --cloud-provider=NAME\n")  # line 11, column 11
EXTERNAL_DNS = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: external-dns\nspec:\n  containers:\n"
                "    - name: external-dns\n      image: registry.k8s.io/external-dns/external-dns:v0.15.0\n"
                "      args:\n        - --source=service\n        - --provider=NAME\n")  # line 11, column 11

def vsphere_class(provisioner, key="storagepolicyname"):
    return ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gold\n"
            f"provisioner: {provisioner}\nparameters:\n  {key}: Gold\n"  # the key: line 7, column 3
            "  vsanpolicy.example.org/tier: gold\n")  # an in-house key: line 8, column 3


def zonal_class(provisioner):
    return ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: zonal\n"
            f"provisioner: {provisioner}\nallowedTopologies:\n  - matchLabelExpressions:\n"
            "      - {key: failure-domain.beta.kubernetes.io/zone, values: [zone-a]}\n")  # the key's value: line 8, column 15


def zonal_volume(driver):
    return ("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n"
            f"  csi: {{driver: {driver}, volumeHandle: x}}\n  nodeAffinity:\n    required:\n"
            "      nodeSelectorTerms:\n        - matchExpressions:\n"
            "            - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [zone-a]}\n")  # line 10, column 21


def bound_account(annotation):
    """A Deployment running as a ServiceAccount annotated with ``annotation`` (the workload's
    serviceAccountName value: line 14, column 27)."""
    return ("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n"
            f"    {annotation}: x\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
            "    spec:\n      serviceAccountName: app\n      containers: [{name: c, image: nginx}]\n")


def mounted_secrets(provider):
    """A Deployment mounting a SecretProviderClass of ``provider`` (the class name in the volume's
    attributes: line 20, column 53)."""
    return ("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
            f"metadata: {{name: app-secrets}}\nspec:\n  provider: {provider}\n  parameters: {{objects: x}}\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
            "    spec:\n      containers: [{name: c, image: nginx}]\n      volumes:\n"
            "        - name: secrets\n          csi:\n            driver: secrets-store.csi.k8s.io\n"
            "            readOnly: true\n            volumeAttributes: {secretProviderClass: app-secrets}\n")


def ingress_named(klass):
    """An Ingress naming IngressClass ``klass``, which the scan does not define (line 6, column 21)."""
    return f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  ingressClassName: {klass}\n"


def gateway_named(klass):
    """A Gateway naming GatewayClass ``klass``, which the scan does not define (line 6, column 21)."""
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n"
            f"  gatewayClassName: {klass}\n  listeners: [{{name: http, port: 80, protocol: HTTP}}]\n")

def claim_named(klass):
    """A PersistentVolumeClaim naming StorageClass ``klass``, which the scan does not define (line 6, column 21)."""
    return f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: d\nspec:\n  storageClassName: {klass}\n"


#: LK601's defaults (policies/k8s-cloud-storage.yaml), as a user copies them to add or drop one
IN_TREE_VOLUMES = {"portworxVolume": "pure", "scaleIO": "dell", "storageos": "other", "quobyte": "other",
                   "photonPersistentDisk": "vmware", "flocker": "other"}
IN_TREE_PROVISIONERS = {"kubernetes.io/portworx-volume": "pure", "kubernetes.io/scaleio": "dell",
                        "kubernetes.io/storageos": "other", "kubernetes.io/quobyte": "other"}
#: a GlusterFS volume (its key: line 11, column 7) and a Portworx one (line 13, column 7)
IN_TREE_POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
               "      image: nginx:1.27\n  volumes:\n    - name: v\n      glusterfs: {endpoints: gluster, path: vol}\n"
               "    - name: w\n      portworxVolume: {volumeID: vol1}\n")

#: a Heat resource of type TYPE (the type value: line 4, column 11)
HEAT_TYPE = "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: TYPE\n"
#: a Cinder volume type with extra spec KEY (the key: line 7, column 18)
VOLUME_TYPE = ("heat_template_version: 2018-08-31\nresources:\n  gold:\n    type: OS::Cinder::VolumeType\n"
               "    properties:\n      name: gold\n      metadata: {\"KEY\": gold}\n")

#: an environment's ML2 mechanism drivers, the second one DRIVER (its item: line 2, column 36)
NEUTRON_ENV = "parameter_defaults:\n  NeutronMechanismDrivers: ['ovn', 'DRIVER']\n"
#: hiera in an environment setting a Cinder back end's volume_driver (the value: line 5, column 16)
CINDER_ENV = ("parameter_defaults:\n  ControllerExtraConfig:\n    cinder::config::cinder_config:\n"
              "      tripleo_array/volume_driver:\n        value: DRIVER\n")

#: an environment enabling TripleO service SERVICE (its alias key: line 2, column 3)
REGISTRY = "resource_registry:\n  OS::TripleO::Services::SERVICE: service.yaml\n"

def inline_csi(driver):
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n"
            f"  volumes:\n    - name: v\n      csi: {{driver: {driver}}}\n")  # the driver value: line 8, column 21


def lb_service(annotation):
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n"
            f"    {annotation}: 'true'\nspec: {{type: LoadBalancer}}\n")  # the annotation key: line 6, column 5


#: LK602's default load_balancer_annotations (policies/k8s-vendor-platforms.yaml, each from its
#: cloud-controller-manager's annotation reference)
OTHER_LB = {"service.beta.kubernetes.io/do-loadbalancer-": "other", "service.beta.kubernetes.io/oci-load-balancer-": "oracle",
            "oci.oraclecloud.com/": "oracle", "oci-network-load-balancer.oraclecloud.com/": "oracle",
            "service.beta.kubernetes.io/scw-loadbalancer-": "other", "service.beta.kubernetes.io/exoscale-loadbalancer-": "other",
            "service.beta.kubernetes.io/linode-loadbalancer-": "other", "load-balancer.hetzner.cloud/": "other",
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-": "other",
            "service.beta.kubernetes.io/alicloud-loadbalancer-": "other",
            "service.kubernetes.io/ibm-load-balancer-cloud-provider-": "ibm", "service.beta.kubernetes.io/osc-load-balancer-": "other"}


#: a Cluster referring to infrastructure kind KIND (its value: line 7, column 11)
CAPI_CLUSTER = ("apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c}\nspec:\n"
                "  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n"
                "    kind: KIND\n    name: c\n")
#: LK125's default provider_kinds (the table in lintra/rules/k8s/controllers.py, one prefix per provider book)
CAPI_KINDS = {"Azure": "azure", "VSphere": "vmware", "AWS": "aws", "ROSA": "aws", "GCP": "gcp",
              "IBMPowerVS": "ibm", "IBMVPC": "ibm", "OCI": "oracle"}

#: (rule, parameter, value, manifest, places by default, places with the value set)
CASES = [
    # item 4: annotation prefixes, load-balancer and ingress classes
    ("LK202", "annotation_prefixes", ["service.beta.kubernetes.io/aws-load-balancer-", "lb.example.org/aws-"],
     SERVICE, [(6, 5)], [(6, 5), (7, 5)]),
    ("LK202", "annotation_prefixes", ["alb.ingress.kubernetes.io/"], SERVICE, [(6, 5)], []),
    ("LK202", "load_balancer_classes", ["lb.example.org/aws-nlb"], SERVICE, [(6, 5)], [(6, 5), (10, 3)]),
    ("LK302", "annotation_prefixes", ["cloud.google.com/", "gke.example.org/"], GKE, [(6, 5)], [(6, 5), (7, 5)]),
    ("LK302", "annotation_prefixes", ["networking.gke.io/"], GKE, [(6, 5)], []),
    ("LK402", "annotation_prefixes", ["service.beta.kubernetes.io/azure-", "lb.example.org/azure-"], AZURE,
     [(6, 5)], [(6, 5), (7, 5)]),
    ("LK402", "annotation_prefixes", [], AZURE, [(6, 5)], []),
    ("LK505", "annotation_prefixes", ["haproxy.router.openshift.io/", "router.example.org/"], ROUTER,
     [(6, 5)], [(6, 5), (7, 5)]),
    ("LK505", "annotation_prefixes", ["router.openshift.io/"], ROUTER, [(6, 5)], []),
    ("LK307", "ingress_classes", ["gce", "gce-l7-custom"], ingress("gce-l7-custom"), [], [(6, 34)]),
    ("LK307", "ingress_classes", ["gce-internal"], ingress("gce"), [(6, 34)], []),
    ("LK406", "ingress_classes", ["azure/application-gateway", "azure/agic-2"], ingress("azure/agic-2"), [], [(6, 34)]),
    ("LK406", "ingress_classes", [], ingress("azure/application-gateway"), [(6, 34)], []),
    # secret providers
    ("LK211", "providers", ["aws", "aws-fips"], spc("aws-fips"), [], [(6, 13)]),
    ("LK211", "providers", [], spc("aws"), [(6, 13)], []),
    ("LK309", "providers", ["gcp"], spc("gke"), [(6, 13)], []),
    ("LK410", "providers", ["azure", "azure-gov"], spc("azure-gov"), [], [(6, 13)]),
    # storage provisioners and CSI drivers
    ("LK102", "provisioners", ["csi.vsphere.vmware.com", "csi.vsan.example.org"], storageclass("csi.vsan.example.org"),
     [], [(5, 14)]),
    ("LK102", "provisioners", ["kubernetes.io/vsphere-volume"], storageclass("csi.vsphere.vmware.com"), [(5, 14)], []),
    ("LK201", "provisioners", ["ebs.csi.aws.com", "ebs.csi.example.org"], storageclass("ebs.csi.example.org"),
     [], [(5, 14)]),
    ("LK201", "provisioners", ["ebs.csi.aws.com"], storageclass("efs.csi.aws.com"), [(5, 14)], []),
    ("LK301", "provisioners", ["pd.csi.storage.gke.io", "pd.csi.example.org"], storageclass("pd.csi.example.org"),
     [], [(5, 14)]),
    ("LK301", "provisioners", ["pd.csi.storage.gke.io"], storageclass("filestore.csi.storage.gke.io"), [(5, 14)], []),
    ("LK401", "provisioners", ["disk.csi.azure.com", "disk.csi.example.org"], storageclass("disk.csi.example.org"),
     [], [(5, 14)]),
    ("LK401", "provisioners", ["disk.csi.azure.com"], storageclass("blob.csi.azure.com"), [(5, 14)], []),
    # node label and taint prefixes
    ("LK205", "extra_label_prefixes", ["nodes.example.org/aws-"], pod_selecting("nodes.example.org/aws-pool"),
     [], [(7, 5)]),
    ("LK205", "accepted_label_prefixes", ["eks.amazonaws.com/nodegroup"], pod_selecting("eks.amazonaws.com/nodegroup"),
     [(7, 5)], []),
    ("LK305", "extra_label_prefixes", ["nodes.example.org/gke-"], pod_selecting("nodes.example.org/gke-pool"),
     [], [(7, 5)]),
    ("LK305", "accepted_label_prefixes", ["cloud.google.com/gke-nodepool"], pod_selecting("cloud.google.com/gke-nodepool"),
     [(7, 5)], []),
    ("LK404", "extra_label_prefixes", ["nodes.example.org/aks-"], pod_selecting("nodes.example.org/aks-pool"),
     [], [(7, 5)]),
    ("LK404", "accepted_label_prefixes", ["kubernetes.azure.com/"], pod_selecting("kubernetes.azure.com/agentpool"),
     [(7, 5)], []),
    ("LK108", "extra_label_prefixes", ["zones.example.org/vsphere-"], pod_selecting("zones.example.org/vsphere-zone"),
     [], [(7, 5)]),
    ("LK108", "accepted_label_prefixes", ["topology.csi.vmware.com/"], pod_selecting("topology.csi.vmware.com/k8s-zone"),
     [(7, 5)], []),
    # item 3: the image rules' shared public_registries (a public repository of a vendor's registry)
    ("LK204", "public_registries", ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/public/"],
     pod_image("111122223333.dkr.ecr.eu-west-1.amazonaws.com/public/app:1"), [(8, 14)], []),
    ("LK403", "public_registries", ["contoso.azurecr.io/"], pod_image("contoso.azurecr.io/app:1"), [(8, 14)], []),
    ("LK107", "public_registries", ["projects.registry.vmware.com/antrea/"],
     pod_image("projects.registry.vmware.com/antrea/antrea-ubuntu:v1.15.0"), [(8, 14)], []),
    ("LK504", "public_registries", ["image-registry.openshift-image-registry.svc:5000/shared/"],
     pod_image("image-registry.openshift-image-registry.svc:5000/shared/base:1"), [(8, 14)], []),
    ("LK304", "public_registries", [], pod_image("gcr.io/distroless/static-debian12:nonroot"), [], [(8, 14)]),
    # Python rules
    ("LK110", "extra_provisioners", {"csi.example.org": "netapp"}, CLAIMS, [], [(12, 21)]),
    ("LK112", "extra_controllers", {"ingress.example.org/f5": "f5"}, classes("ingress.example.org/f5"), [], [(13, 21)]),
    ("LK112", "accepted_controllers", ["ingress.k8s.aws/alb"], classes("ingress.k8s.aws/alb"), [(13, 21)], []),
    ("LK113", "extra_controllers", {"ingress.example.org/f5": "f5"}, classes("ingress.example.org/f5"), [], [(6, 15)]),
    ("LK113", "accepted_controllers", ["ingress.k8s.aws/alb"], classes("ingress.k8s.aws/alb"), [(6, 15)], []),
    ("LK114", "extra_controllers", {"gateway.example.org/edge": "f5"}, gateways("gateway.example.org/edge"),
     [], [(13, 21)]),
    ("LK114", "accepted_controllers", ["networking.gke.io/gateway"], gateways("networking.gke.io/gateway"),
     [(13, 21)], []),
    ("LK116", "extra_drivers", {"csi.example-array.com": "hpe"}, snapshotclass("csi.example-array.com"), [], [(4, 9)]),
    ("LK116", "accepted_drivers", ["csi.trident.netapp.io"], snapshotclass("csi.trident.netapp.io"), [(4, 9)], []),
    # the same tables decide a driver named by its kubelet plugin socket in a container's args
    ("LK116", "extra_drivers", {"csi.example-array.com": "hpe"},
     registrar("/var/lib/kubelet/plugins/csi.example-array.com/csi.sock"), [], [(10, 16)]),
    ("LK116", "accepted_drivers", ["ebs.csi.aws.com"],
     registrar("/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock"), [(10, 16)], []),
    ("LK105", "extra_groups", ["vm.example-vsphere.net"], api_object("vm.example-vsphere.net/v1"), [], [(1, 13)]),
    ("LK105", "accepted_groups", ["vmoperator.vmware.com"], api_object("vmoperator.vmware.com/v1alpha1"), [(1, 13)], []),
    ("LK206", "extra_groups", ["lb.example-aws.net"], api_object("lb.example-aws.net/v1"), [], [(1, 13)]),
    ("LK206", "accepted_groups", ["elbv2.k8s.aws"], api_object("elbv2.k8s.aws/v1beta1"), [(1, 13)], []),
    ("LK306", "extra_groups", ["lb.example-gke.net"], api_object("lb.example-gke.net/v1"), [], [(1, 13)]),
    ("LK306", "accepted_groups", ["networking.gke.io"], api_object("networking.gke.io/v1"), [(1, 13)], []),
    ("LK405", "extra_groups", ["lb.example-aks.net"], api_object("lb.example-aks.net/v1"), [], [(1, 13)]),
    ("LK405", "accepted_groups", ["aadpodidentity.k8s.io"], api_object("aadpodidentity.k8s.io/v1"), [(1, 13)], []),
    ("LK501", "extra_groups", ["apps.example-okd.net"], api_object("apps.example-okd.net/v1"), [], [(1, 13)]),
    ("LK501", "accepted_groups", ["route.openshift.io"], api_object("route.openshift.io/v1"), [(1, 13)], []),
    # exact groups: a subdomain of an extra group, or the group as a prefix of another, is not it
    ("LK206", "extra_groups", ["example-aws.net"], api_object("lb.example-aws.net/v1"), [], []),
    ("LK206", "accepted_groups", ["k8s.aws"], api_object("elbv2.k8s.aws/v1beta1"), [(1, 13)], [(1, 13)]),
    ("LK210", "extra_resources", ["fpga.example-aws.net/f1"], pod_requesting("fpga.example-aws.net/f1"), [], [(11, 11)]),
    ("LK210", "accepted_resources", ["vpc.amazonaws.com/efa"], pod_requesting("vpc.amazonaws.com/efa"), [(11, 11)], []),
    ("LK308", "extra_resources", ["tpu.example-gke.net/v5"], pod_requesting("tpu.example-gke.net/v5"), [], [(11, 11)]),
    ("LK308", "accepted_resources", ["google.com/tpu"], pod_requesting("google.com/tpu"), [(11, 11)], []),
    ("LK409", "extra_resources", ["sgx.example-aks.net/epc"], pod_requesting("sgx.example-aks.net/epc"), [], [(11, 11)]),
    ("LK409", "accepted_resources", ["kubernetes.azure.com/sgx_epc_mem_in_MiB"],
     pod_requesting("kubernetes.azure.com/sgx_epc_mem_in_MiB"), [(11, 11)], []),
    # exact names: accepting one resource of a domain leaves the domain's others reported
    ("LK210", "accepted_resources", ["vpc.amazonaws.com/efa"], pod_requesting("vpc.amazonaws.com/pod-eni"), [(11, 11)], [(11, 11)]),
    ("LK117", "extra_groups", {"lb.example-cloud.net": "f5"}, crd("lb.example-cloud.net"), [], [(5, 10)]),
    ("LK117", "accepted_groups", ["karpenter.k8s.aws"], crd("karpenter.k8s.aws"), [(5, 10)], []),
    ("LK118", "providers", {"aws": "aws", "openstack": "other"}, KCM.replace("NAME", "openstack"), [], [(11, 11)]),
    ("LK118", "providers", {"gce": "gcp"}, KCM.replace("NAME", "aws"), [(11, 11)], []),
    ("LK120", "providers", {"aws": "aws", "cloudflare": "other"}, EXTERNAL_DNS.replace("NAME", "cloudflare"), [], [(11, 11)]),
    ("LK120", "providers", {"google": "gcp"}, EXTERNAL_DNS.replace("NAME", "aws"), [(11, 11)], []),
    ("LK126", "extra_groups", {"lb.example-cloud.net": "f5"}, GRANT.replace("GROUP", "lb.example-cloud.net"),
     [], [(5, 15)]),
    ("LK126", "accepted_groups", ["crd.nsx.vmware.com"], GRANT.replace("GROUP", "crd.nsx.vmware.com"), [(5, 15)], []),
    # the tables that were still written into the Kubernetes rules
    ("LK107", "registries", ["projects.registry.vmware.com/", "projects.packages.broadcom.com/", "harbor.example.org/vmware/"],
     pod_image("harbor.example.org/vmware/tkg/pause:3.9"), [], [(8, 14)]),
    ("LK107", "registries", ["projects.packages.broadcom.com/"], pod_image("projects.registry.vmware.com/tkg/pause:3.9"),
     [(8, 14)], []),
    ("LK104", "parameter_keys", ["storagepolicyname", "vsanpolicy.example.org/tier"], vsphere_class("csi.vsphere.vmware.com"),
     [(7, 3)], [(7, 3), (8, 3)]),
    ("LK104", "parameter_keys", ["datastoreurl"], vsphere_class("csi.vsphere.vmware.com"), [(7, 3)], []),
    # keys compare ignoring case, as the driver reads them
    ("LK104", "parameter_keys", ["DataStoreURL"], vsphere_class("csi.vsphere.vmware.com", "datastoreURL"), [(7, 3)], [(7, 3)]),
    ("LK104", "provisioners", ["kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com", "csi.vsan.example.org"],
     vsphere_class("csi.vsan.example.org"), [], [(7, 3)]),
    ("LK104", "provisioners", ["kubernetes.io/vsphere-volume"], vsphere_class("csi.vsphere.vmware.com"), [(7, 3)], []),
    ("LK109", "provisioners", ["kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com", "csi.vsan.example.org"],
     zonal_class("csi.vsan.example.org"), [], [(8, 15)]),
    ("LK109", "provisioners", ["kubernetes.io/vsphere-volume"], zonal_class("csi.vsphere.vmware.com"), [(8, 15)], []),
    ("LK109", "provisioners", ["csi.vsphere.vmware.com", "csi.vsan.example.org"], zonal_volume("csi.vsan.example.org"),
     [], [(10, 21)]),
    ("LK109", "provisioners", [], zonal_volume("csi.vsphere.vmware.com"), [(10, 21)], []),
    ("LK407", "component_prefixes", ["mcr.microsoft.com/aks/", "registry.example.org/aks-mirror/"],
     pod_image("registry.example.org/aks-mirror/addon:1.0"), [], [(8, 14)]),
    ("LK407", "component_prefixes", ["mcr.microsoft.com/aks/"],
     pod_image("mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.20"), [(8, 14)], []),
    ("LK407", "component_images", ["azuredisk-csi", "azure-npm"],
     pod_image("mcr.microsoft.com/containernetworking/azure-npm:v1.5.45"), [], [(8, 14)]),
    ("LK407", "component_images", ["azuredisk-csi"], pod_image("mcr.microsoft.com/oss/kubernetes-csi/azurefile-csi:v1.30.3"),
     [(8, 14)], []),
    # a name is the repository's last segment: neither a longer name nor a path segment above it
    ("LK407", "component_images", ["azure-npm"], pod_image("mcr.microsoft.com/azure-npm/npm-exporter:v1"), [], []),
    ("LK111", "identity_annotations", {"eks.amazonaws.com/role-arn": "aws", "iam.example-cloud.net/role": "ibm"},
     bound_account("iam.example-cloud.net/role"), [], [(14, 27)]),
    ("LK111", "identity_annotations", {"eks.amazonaws.com/role-arn": "aws"}, bound_account("iam.gke.io/gcp-service-account"),
     [(14, 27)], []),
    ("LK115", "providers", {"aws": "aws", "oci": "oracle"}, mounted_secrets("oci"), [], [(20, 53)]),
    ("LK115", "providers", {"aws": "aws"}, mounted_secrets("gke"), [(20, 53)], []),
    ("LK112", "class_names", {"alb": "ingress.k8s.aws/alb", "aws-internal": "ingress.k8s.aws/alb"},
     ingress_named("aws-internal"), [], [(6, 21)]),
    ("LK112", "class_names", {"alb": "ingress.k8s.aws/alb"}, ingress_named("azure-application-gateway"), [(6, 21)], []),
    # a conventional name binds only to a vendor's controller: a neutral one is not reported
    ("LK112", "class_names", {"web": "k8s.io/ingress-nginx"}, ingress_named("web"), [], []),
    ("LK114", "class_names", {"gke-l7-*": "networking.gke.io/gateway",
                              "lattice": "application-networking.k8s.aws/gateway-api-controller"},
     gateway_named("lattice"), [], [(6, 21)]),
    ("LK114", "class_names", {"azure-alb-external": "alb.networking.azure.io/alb-controller"},
     gateway_named("gke-l7-global-external-managed"), [(6, 21)], []),
    ("LK114", "class_names", {"edge-*": "gateway.k8s.aws/alb"}, gateway_named("edge-public"), [], [(6, 21)]),
    # LK110: StorageClass names a managed service creates, each with its class's provisioner
    ("LK110", "class_names", {"gp2": "kubernetes.io/aws-ebs", "oci-bv": "blockvolume.csi.oraclecloud.com"},
     claim_named("oci-bv"), [], [(6, 21)]),
    ("LK110", "class_names", {"gp2": "kubernetes.io/aws-ebs"}, claim_named("managed-csi"), [(6, 21)], []),
    # a name mapped to a neutral provisioner binds to nothing
    ("LK110", "class_names", {"standard": "rancher.io/local-path"}, claim_named("standard"), [], []),
    # LK601's in-tree plugins, each entry with its vendor (the defaults, plus or minus one)
    ("LK601", "in_tree_volumes", {**IN_TREE_VOLUMES, "glusterfs": "redhat"}, IN_TREE_POD, [(13, 7)], [(11, 7), (13, 7)]),
    ("LK601", "in_tree_volumes", {k: v for k, v in IN_TREE_VOLUMES.items() if k != "portworxVolume"}, IN_TREE_POD,
     [(13, 7)], []),
    ("LK601", "in_tree_provisioners", {**IN_TREE_PROVISIONERS, "kubernetes.io/glusterfs": "redhat"},
     storageclass("kubernetes.io/glusterfs"), [], [(5, 14)]),
    ("LK601", "in_tree_provisioners", {}, storageclass("kubernetes.io/portworx-volume"), [(5, 14)], []),
    # Heat: an organisation's own plugin types, and vendor-scoped Cinder/Manila extra specs
    ("LH106", "accepted_types", ["Acme::"], HEAT_TYPE.replace("TYPE", "Acme::SDN::Net"), [(4, 11)], []),
    ("LH106", "accepted_types", ["Nuage::Neutron::Gateway"], HEAT_TYPE.replace("TYPE", "Nuage::Neutron::Gateway"),
     [(4, 11)], []),
    # an unknown type stays where it is; extra_types gives it its vendor (test_extra_types_name_the_vendor)
    ("LH106", "extra_types", {"Acme::": "cisco"}, HEAT_TYPE.replace("TYPE", "Acme::SDN::Net"), [(4, 11)], [(4, 11)]),
    ("LH117", "extra_scopes", {"infinidat:": "other"}, VOLUME_TYPE.replace("KEY", "infinidat:pool"), [], [(7, 18)]),
    ("LH117", "accepted_scopes", ["netapp:"], VOLUME_TYPE.replace("KEY", "netapp:qos_policy_group"), [(7, 18)], []),
    ("LH124", "extra_services", {"CinderBackendAcmeFlash": "other"}, REGISTRY.replace("SERVICE", "CinderBackendAcmeFlash"),
     [], [(2, 3)]),
    ("LH124", "accepted_services", ["CinderBackendPure"], REGISTRY.replace("SERVICE", "CinderBackendPure"), [(2, 3)], []),
    ("LH125", "extra_services", {"NeutronAcmeSdnAgent": "cisco"}, REGISTRY.replace("SERVICE", "NeutronAcmeSdnAgent"),
     [], [(2, 3)]),
    ("LH125", "accepted_services", ["NeutronCorePluginVTS"], REGISTRY.replace("SERVICE", "NeutronCorePluginVTS"),
     [(2, 3)], []),
    # LK301's inline CSI drivers: an in-house build of the Cloud Storage FUSE driver under the
    # organisation's own name; accepting the Secret Manager add-on's driver
    ("LK301", "inline_drivers", ["gcsfuse.csi.example.org"], inline_csi("gcsfuse.csi.example.org"), [], [(8, 21)]),
    ("LK301", "inline_drivers", ["gcsfuse.csi.storage.gke.io", "parallelstore.csi.storage.gke.io"],
     inline_csi("secrets-store-gke.csi.k8s.io"), [(8, 21)], []),
    # LK602: Vultr's cloud-controller-manager reads service.beta.kubernetes.io/vultr-loadbalancer-*
    # (its load-balancer annotations, github.com/vultr/vultr-cloud-controller-manager), not in the built-in
    # table; dropping Hetzner's prefix accepts its annotations
    ("LK602", "load_balancer_annotations", {**OTHER_LB, "service.beta.kubernetes.io/vultr-loadbalancer-": "other"},
     lb_service("service.beta.kubernetes.io/vultr-loadbalancer-proxy-protocol"), [], [(6, 5)]),
    ("LK602", "load_balancer_annotations", {k: v for k, v in OTHER_LB.items() if "hetzner" not in k},
     lb_service("load-balancer.hetzner.cloud/uses-proxyprotocol"), [(6, 5)], []),
    # Cluster API: NutanixCluster is CAPX's kind (github.com/nutanix-cloud-native/
    # cluster-api-provider-nutanix), not in the built-in table; dropping VSphere accepts CAPV's kinds
    ("LK125", "provider_kinds", {**CAPI_KINDS, "Nutanix": "other"}, CAPI_CLUSTER.replace("KIND", "NutanixCluster"),
     [], [(7, 11)]),
    ("LK125", "provider_kinds", {k: v for k, v in CAPI_KINDS.items() if k != "VSphere"},
     CAPI_CLUSTER.replace("KIND", "VSphereCluster"), [(7, 11)], []),
    ("LH128", "extra_drivers", {"acme_sdn": "cisco"}, NEUTRON_ENV.replace("DRIVER", "acme_sdn"), [], [(2, 36)]),
    ("LH128", "accepted_drivers", ["cisco_nexus"], NEUTRON_ENV.replace("DRIVER", "cisco_nexus"), [(2, 36)], []),
    ("LH129", "extra_drivers", {"acme.volume.drivers.": "other"},
     CINDER_ENV.replace("DRIVER", "acme.volume.drivers.flash.FlashDriver"), [], [(5, 16)]),
    ("LH129", "accepted_drivers", ["cinder.volume.drivers.hpe."],
     CINDER_ENV.replace("DRIVER", "cinder.volume.drivers.hpe.hpe_3par_fc.HPE3PARFCDriver"), [(5, 16)], []),
]

def places(tmp_path, rule, manifest, config=None):
    (tmp_path / "m.yaml").write_text(manifest)
    config_file = tmp_path / ".lintra.yaml"
    if config is None:
        config_file.unlink(missing_ok=True)
    else:
        config_file.write_text(config)
    result = CliRunner().invoke(main, ["check", "-f", "json", "--select", rule, str(tmp_path / "m.yaml")])
    assert result.exit_code in (0, 1), result.output
    return sorted((f["line"], f["column"]) for f in json.loads(result.output)["findings"] if f["rule_id"] == rule)


@pytest.mark.parametrize("rule, name, value, manifest, before, after", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_setting_the_parameter_changes_the_outcome(tmp_path, rule, name, value, manifest, before, after):
    assert places(tmp_path, rule, manifest) == before
    config = json.dumps({"rules": {rule: {"params": {name: value}}}})  # JSON is YAML
    assert places(tmp_path, rule, manifest, config) == after


def test_every_declared_parameter_has_a_case():
    rules = json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)
    declared = {(r["id"], name) for r in rules for name in r["params"]}
    covered = {(c[0], c[1]) for c in CASES} | {("LK110", "accepted_provisioners")}  # test_rule_params.py
    covered |= {("LH107", "extra_types")}  # needs an environment: tests/rules/heat/test_registry_vendor_type.py
    assert declared - covered == set()


def vendors(tmp_path, rule, manifest, config):
    """The vendors of ``rule``'s findings on ``manifest`` with ``config``, and those
    ``lintra rules --format json`` declares for it under the same configuration."""
    (tmp_path / "m.yaml").write_text(manifest)
    (tmp_path / ".lintra.yaml").write_text(config)
    out = CliRunner().invoke(main, ["check", "-f", "json", "--select", rule, str(tmp_path / "m.yaml")]).output
    found = {f["vendor"] for f in json.loads(out)["findings"] if f["rule_id"] == rule}
    listed = CliRunner().invoke(main, ["rules", rule, "--format", "json", "--config", str(tmp_path / ".lintra.yaml")])
    [declared] = [r["vendors"] for r in json.loads(listed.output) if r["id"] == rule]
    return found, declared


@pytest.mark.parametrize("rule, name, value, manifest", [c[:4] for c in CASES if isinstance(c[2], dict) and c[5]],
                         ids=[f"{c[0]}-{c[1]}" for c in CASES if isinstance(c[2], dict) and c[5]])
def test_a_vendor_map_entry_s_vendor_is_one_the_rule_declares(tmp_path, rule, name, value, manifest):
    # an entry may name a vendor the rule's built-in tables do not (LK601's glusterfs: redhat,
    # LK117's f5): the configured rule declares it, so every finding's vendor is a declared one
    found, declared = vendors(tmp_path, rule, manifest, json.dumps({"rules": {rule: {"params": {name: value}}}}))
    assert found and found <= set(declared)


def test_extra_types_name_the_vendor(tmp_path):
    manifest = HEAT_TYPE.replace("TYPE", "Acme::SDN::Net")
    (tmp_path / "m.yaml").write_text(manifest)
    out = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LH106", str(tmp_path / "m.yaml")]).output
    assert [f["vendor"] for f in json.loads(out)["findings"]] == ["other"]
    found, declared = vendors(tmp_path, "LH106", manifest,
                              json.dumps({"rules": {"LH106": {"params": {"extra_types": {"Acme::": "cisco"}}}}}))
    assert found == {"cisco"} and "cisco" in declared


def test_lk602_finding_names_the_vendor_and_service_of_its_longest_prefix(tmp_path):
    # an OCI annotation is Oracle's OCI Load Balancer by default; an organisation's broader entry
    # for the same key (any service.beta.kubernetes.io/oci- key, counted as IBM's for the test)
    # does not take it over from the longer built-in prefix, and names the rule's service
    def found(config):
        (tmp_path / "m.yaml").write_text(lb_service("service.beta.kubernetes.io/oci-load-balancer-shape") +
                                         "---\n" + lb_service("service.beta.kubernetes.io/oci-acme-tier"))
        (tmp_path / ".lintra.yaml").write_text(config)
        out = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK602", str(tmp_path)]).output
        return [(f["line"], f["vendor"], f["service"]) for f in json.loads(out)["findings"]]
    assert found("{}\n") == [(6, "oracle", "OCI Load Balancer")]
    widened = {**OTHER_LB, "service.beta.kubernetes.io/oci-": "ibm"}
    assert found(json.dumps({"rules": {"LK602": {"params": {"load_balancer_annotations": widened}}}})) == [
        (6, "oracle", "OCI Load Balancer"), (14, "ibm", "cloud-controller-manager load balancers")]


def test_lk601_extended_in_tree_volume_follows_its_vendor(tmp_path):
    # the GlusterFS entry is Red Hat's: --sanction redhat sanctions it and leaves Portworx failing
    (tmp_path / "m.yaml").write_text(IN_TREE_POD)
    (tmp_path / ".lintra.yaml").write_text(json.dumps(
        {"rules": {"LK601": {"params": {"in_tree_volumes": {**IN_TREE_VOLUMES, "glusterfs": "redhat"}}}}}))
    result = CliRunner().invoke(main, ["check", "-f", "json", "--select", "LK601", "--sanction", "redhat",
                                       str(tmp_path / "m.yaml")])
    found = [(f["line"], f["column"], f["vendor"], f["service"], f["sanctioned"]) for f in json.loads(result.output)["findings"]]
    assert found == [(11, 7, "redhat", "vendor in-tree volume plugins", True), (13, 7, "pure", "Portworx", False)]
    assert result.exit_code == 1
    text = CliRunner().invoke(main, ["check", "--select", "LK601", str(tmp_path / "m.yaml")]).output
    assert "redhat 1" in text and "pure 1" in text, text
