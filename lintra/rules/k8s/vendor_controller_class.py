"""LK113 k8s-vendor-controller-class: an IngressClass or GatewayClass implemented by a vendor's controller.

A class object is where a cluster says which controller turns Ingresses or Gateways into load
balancers: ``spec.controller`` of an IngressClass, ``spec.controllerName`` of a GatewayClass
(``spec.controller`` in the v1alpha1 API AKO first supported). When that controller is a vendor's
(AWS, Google Cloud, Azure, VMware Avi, OpenShift), every Ingress or Gateway of the class gets that
vendor's load balancer. The class belongs to the platform layer, which a team installs once per
cluster and which is expected to differ per infrastructure, so this is substrate coupling: it
fails where the platform must be vendor-neutral too and informs where the vendor is the chosen
substrate. The objects that name the class are LK112 and LK114.

References:
- https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
- https://gateway-api.sigs.k8s.io/api-types/gatewayclass/
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways
- https://learn.microsoft.com/azure/application-gateway/for-containers/overview
- https://github.com/vmware/load-balancer-and-ingress-services-for-kubernetes/blob/master/docs/ingress/ingress.md
"""

from lintra.check.params import effective
from lintra.model import Hit, Rule
from lintra.rules.k8s.controllers import CONTROLLER_FIELDS, CONTROLLER_PARAMS, class_controller, controller_service, controller_services, controller_vendors
from lintra.rules.docstring import rationale, references


def check(document, scan):
    found = class_controller(document, effective(RULE, scan))
    if found and found[2]:
        pointer, controller, vendor = found
        yield Hit(pointer, f"{document.data.get('kind')} '{document.name}' is implemented by the {vendor} "
                           f"controller {controller}", vendor=vendor, service=controller_service(controller))


EXAMPLES = {
    "fail": [{"content": "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n"
                         "  controller: ingress.k8s.aws/alb\n",
              "expect": [{"line": 5, "column": 15}]}],  # the controller value
    "pass": ["apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n"
             "  controller: k8s.io/ingress-nginx\n"],
}

RULE = Rule(
    id="LK113", name="k8s-vendor-controller-class", title="Ingress or Gateway class implemented by a vendor controller",
    vendor="other", category="network", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Give classes platform-wide, controller-neutral names and install each cluster's class in a "
                "per-infrastructure platform overlay, or run a controller available everywhere "
                "(ingress-nginx, Envoy Gateway, Contour, Istio).",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="vendor Ingress and Gateway controllers", effort=3,
    effort_reason="the platform installs another controller under the class and re-tests the traffic path "
                  "(TLS, health checks, the controller's annotations)",
    vendors=controller_vendors(), services=controller_services(),
    params=CONTROLLER_PARAMS,
    finds_under=list(dict.fromkeys(pointer for _, pointers in CONTROLLER_FIELDS.values() for pointer in pointers)),
)
