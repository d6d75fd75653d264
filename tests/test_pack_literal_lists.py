"""Every literal list of names in a built-in pack rule is either a rule parameter or a vocabulary
the vendor's own API fixes (issue 17 item 4).

An organisation extends a table of drivers, controllers, prefixes or providers (its mirror, its
in-house controller, a cloud lintra does not list): those are parameters. It cannot add to the
annotation names a vendor's controller reads, the environment variables a vendor's SDK reads, the
values of a vendor's API enum or the config keys a vendor's driver reads: a new vendor release is a
lintra update. This test walks every built-in pack rule's conditions (``where``, ``match`` and the
``if``/``not``/``any`` nested in them), finds each literal list (``in``, ``startswith``,
``endswith``, ``apigroup``, ``imagename`` with more than one entry, and each ``regex`` with an
alternation ``|``), and fails unless it is written down below with the vendor document that fixes
it. A literal is keyed by its text, so adding a name to a fixed list (or a new list) fails here
until someone decides which kind it is. Single names (``equals: X``, one prefix) are not tables.
"""

from pathlib import Path

import yaml

from lintra.resources import policies_dir

OPERATORS = ("in", "startswith", "endswith", "apigroup", "imagename")

#: the vendor's own domain, on a rule whose extension is a parameter (extra_groups / extra_label_prefixes /
#: extra_resources add names under other domains; a vendor's domains are its own)
_AWS_DOMAINS = "AWS's own DNS domains (amazonaws.com, aws.com, k8s.aws) as its controllers and docs name groups/labels under them; further names go in the rule's extra_* parameter"
_GCP_DOMAINS = "Google's own DNS domains (google.com, gke.io, googleapis.com) as GKE and Config Connector name groups/labels under them; further names go in the rule's extra_* parameter"
_AZURE_DOMAINS = "Microsoft's own DNS domains (azure.com, azure.io) as AKS and its add-ons name groups/labels under them; further names go in the rule's extra_* parameter"
_GLANCE_TYPES = "Heat's own Glance resource types (docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Glance::Image), not a vendor table"
_AZURE_ENV = ("the environment variables Azure Identity's EnvironmentCredential reads "
              "(learn.microsoft.com/python/api/azure-identity/azure.identity.environmentcredential)")
_VSPHERE_CONF = ("the file names the vSphere CPI and CSI manifests mount their config under "
                 "(kubernetes/cloud-provider-vsphere docs/book/cloud_config.md); any other key is caught by the "
                 "[VirtualCenter]/vcenter: content match")
_IMAGESTREAM = ("OpenShift's image.openshift.io kinds a trigger or build names "
                "(docs.openshift.com openshift_images/using-imagestreams-with-kube-resources.html)")

#: (rule id, literal) -> why the vendor fixes it (a tuple for a list, the pattern for a regex)
VENDOR_FIXED = {
    # Heat
    ("LH111", ("OS::Glance::WebImage", "OS::Glance::Image")): _GLANCE_TYPES,
    ("LH111", "^(vmware_|img_linked_clone$)"): "the image properties Nova's VMware driver reads (opendev.org/openstack/glance etc/metadefs/compute-vmware.json, docs.openstack.org/nova/latest/admin/configuration/hypervisor-vmware.html)",
    ("LH113", ("portgroup", "nsx-net", "l3_ext", "stt", "bridge")): "the provider network types the vmware-nsx plugins accept (opendev.org/x/vmware-nsx vmware_nsx/common/utils.py network type constants)",
    ("LH113", r"^(dvportgroup|dvs|network|portgroup)-\d+$"): "vCenter managed object ids (dvportgroup-N, dvs-N, network-N), the moref format of the vSphere API that vmware-nsx takes as physical_network",
    ("LH113", ("router_type", "router_size", "vnic_index", "provider_security_groups", "dhcp_mtu")): "the Neutron API extension attributes vmware-nsx defines (opendev.org/x/vmware-nsx vmware_nsx/extensions/routertype.py and siblings)",
    ("LH114", "^(nuage|net_partition$|nuagenet$)"): "the Neutron API extension attributes Nuage's plugin defines (nuagenetworks/nuage-openstack-neutron nuage_neutron/plugins/common/extensions)",
    ("LH116", ("OS::Glance::WebImage", "OS::Glance::Image")): _GLANCE_TYPES,
    ("LH120", "^vmware_(nsx|dvs)"): "the core plugin entry points vmware-nsx registers (opendev.org/x/vmware-nsx setup.cfg neutron.core_plugins)",
    ("LH121", r"^CinderEnable(Powermax|PowerFlex|PowerStore|Sc|DellSc|DellEMC\w*|Xtremio|VxFlexOS|ScaleIO)Backend$"): "the enable parameters tripleo-heat-templates' Dell EMC Cinder environments define (opendev.org/openstack/tripleo-heat-templates environments/)",
    ("LH123", "^(CinderEnableNetappBackend|ManilaEnableNetappBackend)$"): "the enable parameters tripleo-heat-templates' NetApp environments define (tripleo-heat-templates environments/cinder-netapp-config.yaml and its Manila counterpart)",
    ("LH127", r"^(nova\.virt\.)?vmwareapi\.(driver\.)?VMwareVCDriver$|^cinder\.volume\.drivers\.vmware\."): "the class paths of Nova's and Cinder's VMware drivers (docs.openstack.org/nova/latest/admin/configuration/hypervisor-vmware.html, cinder vmware-vmdk-driver.html)",
    # Kubernetes
    ("LK106", r"^(ncp/|nsx\.vmware\.com/|avi_proxy$|([a-z0-9.-]+\.)?ako\.vmware\.com/)"): "the annotation keys NCP, NSX Operator and AKO read (VMware NSX Container Plugin docs, avinetworks.com/docs/ako/, vmware-tanzu/nsx-operator pkg/nsx/services/common/types.go)",
    ("LK119", ("vsphere.conf", "vsphere.yaml")): _VSPHERE_CONF,
    ("LK119", ("vsphere.conf", "vsphere.yaml", "csi-vsphere.conf")): _VSPHERE_CONF,
    ("LK119", r'(?m)^\s*\[VirtualCenter\s+"|^vcenter:\s*$'): "the section headers of the vSphere CPI/CSI config in its INI and YAML forms (kubernetes/cloud-provider-vsphere docs/book/cloud_config.md)",
    ("LK127", ("digitalocean", "hetzner", "scaleway")): "values of kops's spec.cloudProvider enum (kops.sigs.k8s.io/cluster_spec/); a cloud kops adds is a kops and lintra release",
    ("LK206", r"^([a-z0-9-]+\.)*(k8s\.aws|amazonaws\.com)/"): _AWS_DOMAINS,
    ("LK205", r"^([a-z0-9-]+\.)*(amazonaws\.com|aws\.com|k8s\.aws)/"): _AWS_DOMAINS,
    ("LK210", r"^([a-z0-9-]+\.)*(amazonaws\.com|amazon\.com|k8s\.aws)/"): _AWS_DOMAINS,
    ("LK209", ("eks.amazonaws.com/audience", "eks.amazonaws.com/sts-regional-endpoints", "eks.amazonaws.com/token-expiration")): "the ServiceAccount annotations the EKS pod identity webhook reads (github.com/aws/amazon-eks-pod-identity-webhook README)",
    ("LK209", ("eks.amazonaws.com/skip-containers", "eks.amazonaws.com/token-expiration")): "the pod annotations the EKS pod identity webhook reads (github.com/aws/amazon-eks-pod-identity-webhook README)",
    ("LK212", ("iam.amazonaws.com/role", "iam.amazonaws.com/external-id")): "the pod annotations kiam and kube2iam read (github.com/uswitch/kiam README \"Overview\"; github.com/jtblin/kube2iam README \"kubernetes annotation\" and its defaultIAMExternalID)",
    ("LK212", ("iam.amazonaws.com/permitted", "iam.amazonaws.com/allowed-roles")): "the Namespace annotations kiam (permitted) and kube2iam --namespace-restrictions (allowed-roles) read (the kiam and kube2iam READMEs)",
    ("LK302", ("kubernetes.io/ingress.global-static-ip-name", "kubernetes.io/ingress.regional-static-ip-name", "ingress.gcp.kubernetes.io/pre-shared-cert", "kubernetes.io/ingress.allow-http")): "the Ingress annotations outside GKE's prefixes that the GKE Ingress controller reads (cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration); prefixes are annotation_prefixes",
    ("LK304", r"^(([a-z]+\.)?gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)/"): "the hosts of Container Registry and Artifact Registry (cloud.google.com/artifact-registry/docs/docker/names); public paths under them are public_registries",
    ("LK304", r"^(([a-z]+\.)?gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)/(google[-_]containers|k8s-artifacts-prod|k8s-staging-[a-z0-9-]+)/"): "the Kubernetes project's own image repositories on Google hosts (kubernetes.io/blog/2023/03/10/image-registry-redirect/); further public paths are public_registries",
    ("LK305", r"^([a-z0-9-]+\.)*(google\.com|gke\.io|googleapis\.com)/"): _GCP_DOMAINS,
    ("LK306", r"^([a-z0-9-]+\.)*(cloud\.google\.com|gke\.io|googleapis\.com)/"): _GCP_DOMAINS,
    ("LK308", r"^([a-z0-9-]+\.)*(google\.com|gke\.io|googleapis\.com)/"): _GCP_DOMAINS,
    ("LK402", ("azure.workload.identity/", "service.beta.kubernetes.io/azure-")): "the annotation namespaces of Azure Workload Identity's webhook (azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html) and cloud-provider-azure (cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/), on pod templates; object annotations are annotation_prefixes",
    ("LK403", r"^[a-z0-9]+\.azurecr\.(io|cn|us)/"): "ACR's login server domains of the public, China and US Government clouds (learn.microsoft.com/azure/container-registry/container-registry-intro)",
    ("LK404", r"^([a-z0-9-]+\.)*azure\.(com|io)/"): _AZURE_DOMAINS,
    ("LK405", r"^(([a-z0-9-]+\.)*azure\.(com|io)|aadpodidentity\.k8s\.io|appgw\.ingress\.k8s\.io)/"): _AZURE_DOMAINS + ", and the two k8s.io groups AAD Pod Identity and AGIC serve",
    ("LK409", r"^([a-z0-9-]+\.)*azure\.(com|io)/"): _AZURE_DOMAINS,
    ("LK411", ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE")): _AZURE_ENV + " and Azure Service Operator's credential secret keys (azure.github.io/azure-service-operator/guide/authentication/credential-format/)",
    ("LK503", ("ImageStreamTag", "ImageStreamImage")): _IMAGESTREAM,
    ("LK504", r"^(image-registry\.openshift-image-registry|docker-registry\.default)\.svc(\.cluster\.local)?(:[0-9]+)?/"): "the service names of OpenShift's integrated registry in 4.x and 3.x (docs.openshift.com registry/accessing-the-registry.html)",
    ("LK505", ("route.openshift.io/termination", "route.openshift.io/destination-ca-certificate-secret")): "the Ingress annotations OpenShift's ingress-to-route controller reads (docs.openshift.com route-configuration.html#nw-ingress-creating-a-route-via-an-ingress); router prefixes are annotation_prefixes",
    ("LK506", ("use", "*")): "the RBAC verbs that grant an SCC (docs.openshift.com managing-security-context-constraints.html#role-based-access-to-ssc), Kubernetes RBAC's vocabulary",
    ("LK507", ("serviceaccounts.openshift.io/oauth-redirecturi.", "serviceaccounts.openshift.io/oauth-redirectreference.")): "the ServiceAccount annotation prefixes OpenShift's OAuth server reads (docs.openshift.com using-service-accounts-as-oauth-client.html)",
    ("LK508", ("service.beta.openshift.io/serving-cert-secret-name", "service.alpha.openshift.io/serving-cert-secret-name", "service.beta.openshift.io/inject-cabundle")): "the annotations OpenShift's service CA operator reads (docs.openshift.com security/certificates/service-serving-certificate.html)",
    # vSphere
    ("LV102", ("virtual", "physical")): "values of the vSphere API enum VirtualSCSIController.Sharing (developer.broadcom.com vim.vm.device.VirtualSCSIController.Sharing)",
    ("LV103", ("independent_persistent", "independent_nonpersistent")): "values of the vSphere API enum VirtualDiskOption.DiskMode (developer.broadcom.com vim.vm.device.VirtualDiskOption.DiskMode)",
    ("LV111", ("vmxnet3", "vmxnet2", "vmxnet")): "the VMXNET adapter device types of the vSphere API (developer.broadcom.com vim.vm.device.VirtualVmxnet3)",
}


def literal_lists(node):
    """Each literal list of names under ``node`` (a rule's conditions): a tuple for a list
    operand, the pattern for a regex with an alternation; ``{param: NAME}`` operands are not literal."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in OPERATORS and isinstance(value, list) and len(value) > 1:
                yield tuple(value)
            elif key == "regex" and isinstance(value, str) and "|" in value:
                yield value
            else:
                yield from literal_lists(value)
    elif isinstance(node, list):
        for value in node:
            yield from literal_lists(value)


def found():
    """``(rule id, literal)`` of every literal list in the built-in packs."""
    result = set()
    for pack in sorted(Path(policies_dir()).glob("*.yaml")):
        for rule in yaml.safe_load(pack.read_text(encoding="utf-8"))["rules"]:
            for part in ("where", "match"):
                result.update((rule["id"], literal) for literal in literal_lists(rule.get(part)))
    return result


def test_every_literal_list_is_a_parameter_or_a_vendor_fixed_vocabulary():
    unexplained = found() - set(VENDOR_FIXED)
    assert unexplained == set(), ("take these lists from a rule parameter, or add them to VENDOR_FIXED with the "
                                  f"vendor document that fixes them: {sorted(unexplained, key=str)}")


def test_the_vendor_fixed_table_names_only_lists_the_packs_have():
    assert set(VENDOR_FIXED) - found() == set()


def test_the_walk_finds_a_literal_list_and_skips_a_parameter():
    match = [{"path": "a", "in": ["x", "y"]}, {"path": "b", "in": {"param": "names"}},
             {"path": "c", "key": {"not": {"startswith": ["p/", "q/"]}}}, {"path": "d", "regex": "^(e|f)$"},
             {"path": "g", "regex": "^h$"}, {"path": "i", "startswith": ["only/"]}]
    assert list(literal_lists(match)) == [("x", "y"), ("p/", "q/"), "^(e|f)$"]


def test_the_tables_converted_this_round_are_parameters():
    # LK301's inline drivers and LK602's other-cloud prefixes were literal; an organisation extends them
    rules = {rule_id for rule_id, _ in found()}
    assert "LK301" not in rules and "LK602" not in rules
