"""LK112 k8s-ingress-vendor-class: an Ingress bound to a vendor load balancer through its IngressClass.

The Ingress names only ``spec.ingressClassName``; when that IngressClass (nearest definition in
the scan) names a cloud or platform vendor's controller (AWS Load Balancer Controller
``ingress.k8s.aws/alb``, Azure AGIC ``azure/application-gateway``, Application Gateway for
Containers ``alb.networking.azure.io/alb-controller``, the AKS application routing add-on
``webapprouting.kubernetes.azure.com/nginx``, VMware Avi ``ako.vmware.com/avi-lb``, OpenShift's
``openshift.io/ingress-to-route``, or any controller under those vendors' domains), the Ingress
provisions that vendor's load balancer. When the scan defines no such class in reach, a name those
controllers install their class under (``alb``, ``azure-application-gateway``,
``azure-alb-external``, ``webapprouting.kubernetes.azure.com``) binds it the same way; a class the
scan does define decides even under such a name. The class object itself is LK113; the older
``kubernetes.io/ingress.class`` annotation, which names no IngressClass, is LK202 / LK307 / LK406.

References:
- https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://azure.github.io/application-gateway-kubernetes-ingress/
- https://learn.microsoft.com/azure/application-gateway/tutorial-ingress-controller-add-on-new
- https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller
- https://learn.microsoft.com/azure/aks/app-routing
"""

from lintra.check.params import effective
from lintra.model import Rule
from lintra.rules.k8s.class_names import class_names_param
from lintra.rules.k8s.class_reference import through_class
from lintra.rules.k8s.controllers import CONTROLLER_PARAMS, controller_services, controller_vendors
from lintra.rules.docstring import rationale, references


def check(document, scan):
    if document.data.get("kind") == "Ingress":
        yield from through_class(document, scan, "IngressClass", ("spec", "ingressClassName"),
                                 effective(RULE, scan))


def needs(document) -> bool:
    """Ingresses, and the IngressClasses they may name."""
    if document.kind != "k8s":
        return False  # the map asks every cross-object rule about every document it keeps: a Heat template too
    return document.data.get("kind") in ("Ingress", "IngressClass")


EXAMPLES = {
    "fail": [{"content": "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n"
                         "  controller: ingress.k8s.aws/alb\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                         "metadata: {name: i}\nspec:\n  ingressClassName: web\n",
              "expect": [{"line": 11, "column": 21}]}],  # the Ingress's class name
    "pass": ["apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n"
             "  controller: k8s.io/ingress-nginx\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
             "metadata: {name: i}\nspec:\n  ingressClassName: web\n"],
}

RULE = Rule(
    id="LK112", name="k8s-ingress-vendor-class", title="Ingress bound to a vendor controller by class name",
    vendor="other", category="network", strength="hard", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Name a platform-provided, controller-neutral IngressClass (or use Gateway API) and keep "
                "cloud load-balancer classes in the platform layer.",
    references=references(__doc__),
    check=check, origin=__name__, needs=needs,
    examples=EXAMPLES,
    service="vendor Ingress controllers", effort=3,
    effort_reason="the object moves to a class every target provides; its shape stays, the controller's "
                  "behaviour (TLS, health checks, annotations) is re-tested",
    vendors=controller_vendors(), services=controller_services(),
    params={**CONTROLLER_PARAMS, "class_names": class_names_param("IngressClass")},
)
