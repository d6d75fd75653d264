"""LK114 k8s-gateway-vendor-class: a Gateway bound to a vendor load balancer through its GatewayClass.

A Gateway names only ``spec.gatewayClassName``; when that GatewayClass (nearest definition in the
scan) names a vendor's controller (GKE ``networking.gke.io/gateway``, the AWS Load Balancer
Controller ``gateway.k8s.aws/alb`` and ``/nlb``, the AWS Gateway API controller for VPC Lattice,
Application Gateway for Containers ``alb.networking.azure.io/alb-controller``, VMware Avi
``ako.vmware.com/avi-lb``), the Gateway provisions that vendor's load balancer or service network.
When the scan defines no such class in reach, a name those controllers install their class under
(GKE's ``gke-l7-*``, ``azure-alb-external``) binds it the same way; a class the scan does define
decides even under such a name. Routes stay silent: in the Gateway API's role model an HTTPRoute
attaches to whatever Gateway of that name the cluster provides, so the coupling sits in the
Gateway (and its class, LK113).

References:
- https://gateway-api.sigs.k8s.io/api-types/gateway/
- https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways
- https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/gateway/l7gateway/
- https://learn.microsoft.com/azure/application-gateway/for-containers/overview
"""

from lintra.check.params import effective
from lintra.model import Rule
from lintra.rules.k8s.class_names import class_names_param
from lintra.rules.k8s.class_reference import through_class
from lintra.rules.k8s.controllers import CONTROLLER_PARAMS, controller_services, controller_vendors
from lintra.rules.docstring import rationale, references

GATEWAY_GROUPS = ("gateway.networking.k8s.io/", "networking.x-k8s.io/")


def check(document, scan):
    data = document.data
    if data.get("kind") == "Gateway" and str(data.get("apiVersion", "")).startswith(GATEWAY_GROUPS):
        yield from through_class(document, scan, "GatewayClass", ("spec", "gatewayClassName"),
                                 effective(RULE, scan))


def needs(document) -> bool:
    """Gateways, and the GatewayClasses they may name."""
    if document.kind != "k8s":
        return False  # the map asks every cross-object rule about every document it keeps: a Heat template too
    return document.data.get("kind") in ("Gateway", "GatewayClass")


EXAMPLES = {
    "fail": [{"content": "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n"
                         "  gatewayClassName: gke-l7-rilb\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n",
              "expect": [{"line": 5, "column": 21}]}],  # the Gateway's class name
    "pass": ["apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n"
             "  gatewayClassName: eg\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n"],
}

RULE = Rule(
    id="LK114", name="k8s-gateway-vendor-class", title="Gateway bound to a vendor controller by class name",
    vendor="other", category="network", strength="hard", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Name a GatewayClass every target cluster provides (one name, a per-platform controller) "
                "and keep vendor GatewayClasses and their parameters in the platform layer.",
    references=references(__doc__),
    check=check, origin=__name__, needs=needs,
    examples=EXAMPLES,
    service="vendor Gateway API controllers", effort=3,
    effort_reason="the object moves to a class every target provides; its shape stays, the controller's "
                  "behaviour (TLS, health checks, annotations) is re-tested",
    vendors=controller_vendors(), services=controller_services(),
    params={**CONTROLLER_PARAMS, "class_names": class_names_param("GatewayClass")},
)
