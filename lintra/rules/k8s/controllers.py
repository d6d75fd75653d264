"""Which vendor an IngressClass or GatewayClass controller name belongs to.

Both ``IngressClass.spec.controller`` and ``GatewayClass.spec.controllerName`` are, by the API's
own definition, domain-prefixed paths naming the controller that implements the class, so a name
under a vendor's domain is that vendor's controller. The documented names are listed first, each
from the vendor's own manual; AGIC's ``azure/application-gateway`` predates the convention and is
only known by name. Controllers that run anywhere (``k8s.io/ingress-nginx``,
``gateway.envoyproxy.io/gatewayclass-controller``, ``istio.io/gateway-controller``) stay unknown.

The same vendor domains decide whose controllers serve an API group (``group_vendor``: LK117 CRDs,
LK126 grants and webhooks), and the kinds Cluster API's infrastructure providers serve in the
neutral Cluster API groups are told apart by their vendor prefix (``provider_kind``: LK125).

References:
- https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
- https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.GatewayClassSpec
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/gateway/l7gateway/
- https://www.gateway-api-controller.eks.aws.dev/latest/api-types/gateway/
- https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways
- https://azure.github.io/application-gateway-kubernetes-ingress/features/custom-ingress-class/
- https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller
- https://learn.microsoft.com/azure/aks/app-routing
- https://github.com/vmware/load-balancer-and-ingress-services-for-kubernetes/blob/master/docs/ingress/ingress.md
- https://github.com/vmware/load-balancer-and-ingress-services-for-kubernetes/blob/master/docs/gateway-api/gateway-api-v1.md
- https://docs.openshift.com/container-platform/latest/networking/routes/route-configuration.html
"""

from __future__ import annotations


from lintra import lazy_re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional

#: controller name -> vendor, as each vendor documents it
VENDOR_CONTROLLERS = {
    "ingress.k8s.aws/alb": "aws",  # AWS Load Balancer Controller, IngressClass
    "gateway.k8s.aws/alb": "aws",  # ... and its Gateway API controllers (ALB, NLB)
    "gateway.k8s.aws/nlb": "aws",
    "application-networking.k8s.aws/gateway-api-controller": "aws",  # Gateway API on VPC Lattice
    "networking.gke.io/gateway": "gcp",  # GKE Gateway controller (every gke-l7-* class)
    "azure/application-gateway": "azure",  # Application Gateway Ingress Controller (AGIC)
    "alb.networking.azure.io/alb-controller": "azure",  # Application Gateway for Containers
    "webapprouting.kubernetes.azure.com/nginx": "azure",  # AKS application routing add-on
    "ako.vmware.com/avi-lb": "vmware",  # Avi Kubernetes Operator, ingress and gateway classes
    "openshift.io/ingress-to-route": "redhat",  # OpenShift turns the Ingress into a Route
}
#: controller name -> the product that implements it, as its vendor names it
CONTROLLER_SERVICES = {
    "ingress.k8s.aws/alb": "AWS Load Balancer Controller (ALB)",
    "gateway.k8s.aws/alb": "AWS Load Balancer Controller (ALB)",
    "gateway.k8s.aws/nlb": "AWS Load Balancer Controller (NLB)",
    "application-networking.k8s.aws/gateway-api-controller": "Amazon VPC Lattice Gateway API controller",
    "networking.gke.io/gateway": "GKE Gateway controller",
    "azure/application-gateway": "Application Gateway Ingress Controller (AGIC)",
    "alb.networking.azure.io/alb-controller": "Application Gateway for Containers",
    "webapprouting.kubernetes.azure.com/nginx": "AKS application routing add-on",
    "ako.vmware.com/avi-lb": "VMware Avi Kubernetes Operator (AKO)",
    "openshift.io/ingress-to-route": "OpenShift router (Ingress to Route)",
}
#: vendor domains of domain-prefixed controller names (``<domain>/<path>``)
VENDOR_DOMAINS = (
    (lazy_re.compile(r"^([a-z0-9-]+\.)*(amazonaws\.com|aws\.com|k8s\.aws)$"), "aws"),
    (lazy_re.compile(r"^([a-z0-9-]+\.)*(google\.com|gke\.io|googleapis\.com)$"), "gcp"),
    (lazy_re.compile(r"^([a-z0-9-]+\.)*azure\.(com|io)$"), "azure"),
    (lazy_re.compile(r"^([a-z0-9-]+\.)*vmware\.com$"), "vmware"),
    (lazy_re.compile(r"^([a-z0-9-]+\.)*openshift\.io$"), "redhat"),
    # Red Hat's own operators outside OpenShift's domain (rhdh.redhat.com: Red Hat Developer Hub)
    (lazy_re.compile(r"^([a-z0-9-]+\.)*redhat\.com$"), "redhat"),
)


def controller_service(name) -> Optional[str]:
    """The product implementing controller ``name``, when the table names it."""
    return CONTROLLER_SERVICES.get(name) if isinstance(name, str) else None


def controller_vendors():
    """Every vendor a controller name may belong to."""
    return sorted(set(VENDOR_CONTROLLERS.values()) | {vendor for _, vendor in VENDOR_DOMAINS})


def controller_services():
    """Every product the controller table names."""
    return sorted(set(CONTROLLER_SERVICES.values()))


#: the parameters LK112, LK113 and LK114 take over the table above
CONTROLLER_PARAMS = {
    "extra_controllers": {
        "type": "vendor_map", "default": {},
        "description": "Further controller names (IngressClass spec.controller, GatewayClass "
                       "spec.controllerName) that are one vendor's, each with its vendor: an in-house or "
                       "distribution controller the built-in table and vendor domains do not name."},
    "accepted_controllers": {
        "type": "strings", "default": [],
        "description": "Vendor controller names the organisation runs on every target (it accepts the "
                       "coupling): classes they implement, and objects bound to those classes, are not reported."},
}


def controller_vendor(name, params=None) -> Optional[str]:
    """The vendor whose controller ``name`` is, or None when it is not a vendor's (or not a name).
    ``params`` are the rule's effective CONTROLLER_PARAMS values."""
    if not isinstance(name, str):
        return None
    if params:
        if name in params.get("accepted_controllers", ()):
            return None
        if name in params.get("extra_controllers", {}):
            return params["extra_controllers"][name]
    if name in VENDOR_CONTROLLERS:
        return VENDOR_CONTROLLERS[name]
    domain, slash, _ = name.partition("/")
    if not slash:
        return None
    return next((vendor for pattern, vendor in VENDOR_DOMAINS if pattern.match(domain)), None)


#: API groups of vendor controllers outside the vendors' own domains (AAD Pod Identity, AGIC, and
#: CAPV's supervisor mode, whose kinds provision VMs through vSphere with Tanzu's vm-operator)
VENDOR_GROUPS = {"aadpodidentity.k8s.io": "azure", "appgw.ingress.k8s.io": "azure",
                 "vmware.infrastructure.cluster.x-k8s.io": "vmware"}


def group_vendor(group) -> Optional[str]:
    """The vendor whose controllers serve an API group (a DNS subdomain), or None."""
    if not isinstance(group, str) or not group:
        return None
    if group in VENDOR_GROUPS:
        return VENDOR_GROUPS[group]
    # the same few groups (apps, rbac.authorization.k8s.io ...) come back in role after role,
    # and each is matched against every vendor domain: remembered per group text
    known = _DOMAIN_VENDORS.get(group, _UNKNOWN)
    if known is _UNKNOWN:
        if len(_DOMAIN_VENDORS) >= 4096:
            _DOMAIN_VENDORS.clear()
        known = _DOMAIN_VENDORS[group] = next((vendor for pattern, vendor in VENDOR_DOMAINS if pattern.match(group)),
                                              None)
    return known


#: API group -> the vendor its domain names, or None (:func:`group_vendor`)
_DOMAIN_VENDORS: dict = {}
_UNKNOWN = object()


#: where each class kind names its controller: IngressClass, GatewayClass (v1) and the
#: v1alpha1 GatewayClass of networking.x-k8s.io that AKO's first Gateway support used
CONTROLLER_FIELDS = {
    "IngressClass": (("networking.k8s.io/",), (("spec", "controller"),)),
    "GatewayClass": (("gateway.networking.k8s.io/", "networking.x-k8s.io/"),
                     (("spec", "controllerName"), ("spec", "controller"))),
}


def is_class(document) -> bool:
    """Whether the object is an IngressClass or GatewayClass of a class API (not a look-alike kind)."""
    known = CONTROLLER_FIELDS.get(document.data.get("kind"))
    return known is not None and str(document.data.get("apiVersion", "")).startswith(known[0])


def class_controller(document, params=None):
    """``(pointer, name, vendor)`` of the controller a class object names, or None."""
    if not is_class(document):
        return None
    for pointer in CONTROLLER_FIELDS[document.data["kind"]][1]:
        name = document.get(pointer)
        if isinstance(name, str):
            return pointer, name, controller_vendor(name, params)
    return None


#: Cluster API's neutral groups in which every infrastructure provider serves its own kinds
CLUSTER_API_PROVIDER_GROUPS = frozenset({"infrastructure.cluster.x-k8s.io", "controlplane.cluster.x-k8s.io"})
#: kind prefix -> (vendor, provider): each provider names its kinds after its platform, as its book
#: documents (AzureCluster, VSphereMachine, AWSManagedControlPlane, GCPMachineTemplate, ...)
CLUSTER_API_PROVIDER_KINDS = (
    ("Azure", "azure", "Cluster API Provider Azure (CAPZ)"),
    ("VSphere", "vmware", "Cluster API Provider vSphere (CAPV)"),
    ("AWS", "aws", "Cluster API Provider AWS (CAPA)"),
    ("ROSA", "aws", "Cluster API Provider AWS (CAPA), Red Hat OpenShift Service on AWS"),
    ("GCP", "gcp", "Cluster API Provider GCP (CAPG)"),
    ("IBMPowerVS", "ibm", "Cluster API Provider IBM Cloud (CAPIBM)"),
    ("IBMVPC", "ibm", "Cluster API Provider IBM Cloud (CAPIBM)"),
    ("OCI", "oracle", "Cluster API Provider OCI (CAPOCI)"),
)

#: kind prefix -> vendor: the default of LK125's ``provider_kinds`` parameter
PROVIDER_KIND_VENDORS = {prefix: vendor for prefix, vendor, _ in CLUSTER_API_PROVIDER_KINDS}
#: kind prefix -> the provider that serves it (an organisation's further prefix is named by itself)
PROVIDER_KIND_SERVICES = {prefix: provider for prefix, _, provider in CLUSTER_API_PROVIDER_KINDS}


def api_group(api_version) -> Optional[str]:
    """The group of an ``apiVersion`` (``group/version``; the core group is '')."""
    if not isinstance(api_version, str):
        return None
    group, slash, _ = api_version.rpartition("/")
    return group if slash else ""


def provider_kind(group, kind, kinds=None) -> Optional[tuple]:
    """``(vendor, provider)`` of a kind a vendor's Cluster API provider serves in a neutral
    Cluster API group, or None (the core kinds Cluster, Machine, KubeadmControlPlane ...).
    ``kinds`` is LK125's ``provider_kinds`` (kind prefix -> vendor), else the built-in table."""
    if group not in CLUSTER_API_PROVIDER_GROUPS or not isinstance(kind, str):
        return None
    if kinds is None:
        kinds = PROVIDER_KIND_VENDORS
    # longest prefix first, so an organisation's "IBMCloud" is not read as a kind of a shorter "IBM"
    for prefix in sorted(kinds, key=len, reverse=True):
        if kind.startswith(prefix) and kind[len(prefix):len(prefix) + 1].isupper():
            return kinds[prefix], PROVIDER_KIND_SERVICES.get(prefix, f"Cluster API provider of {prefix}* kinds")
    return None
    for prefix, vendor, provider in CLUSTER_API_PROVIDER_KINDS:
        if kind.startswith(prefix) and kind[len(prefix):len(prefix) + 1].isupper():
            return vendor, provider
    return None
