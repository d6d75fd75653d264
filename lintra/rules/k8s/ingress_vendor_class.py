"""LK112 k8s-ingress-vendor-class: an Ingress bound to a vendor load balancer through its IngressClass.

The Ingress names only ``spec.ingressClassName``; when that IngressClass (nearest definition in
the scan) names a cloud vendor's controller (AWS Load Balancer Controller ``ingress.k8s.aws/alb``,
GKE ``networking.gke.io/ingress-gce``, Azure AGIC ``azure/application-gateway``, VMware Avi
``ako.vmware.com/avi-lb``), the Ingress provisions that vendor's load balancer.

References:
- https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://azure.github.io/application-gateway-kubernetes-ingress/
"""

from lintra.model import Hit, Related, Rule
from lintra.rules.k8s.nearest import index, nearest

VENDOR_CONTROLLERS = {
    "ingress.k8s.aws/alb": "aws",
    "networking.gke.io/ingress-gce": "gcp",
    "azure/application-gateway": "azure",
    "ako.vmware.com/avi-lb": "vmware",
}


def check(document, scan):
    if document.data.get("kind") != "Ingress":
        return
    name = document.get(("spec", "ingressClassName"))
    if not isinstance(name, str) or not name:
        return
    for klass in nearest(document, index(scan, "IngressClass", "k8s.ingressclasses").get(name)):
        controller = klass.get(("spec", "controller"))
        vendor = VENDOR_CONTROLLERS.get(controller)
        if vendor:
            span = klass.span(("spec", "controller"))
            yield Hit(("spec", "ingressClassName"),
                      f"Ingress class '{name}' uses the {vendor} controller {controller} at "
                      f"{klass.source.name}:{span.line}",
                      related=[Related(f"IngressClass '{name}'", klass.source.name, span)], vendor=vendor)
            return


RULE = Rule(
    id="LK112", name="k8s-ingress-vendor-class", title="Ingress bound to a vendor controller by class name",
    vendor="other", category="network", strength="hard", severity="error", kinds=("k8s",),
    rationale=__doc__.split("\n\n")[1],
    remediation="Name a platform-provided, controller-neutral IngressClass (or use Gateway API) and keep "
                "cloud load-balancer classes in the platform layer.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class",),
    check=check, origin=__name__,
)
