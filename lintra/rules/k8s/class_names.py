"""Class names a vendor's controller installs its IngressClass or GatewayClass under.

An Ingress or Gateway names its class only by name. When the scan defines that class (the nearest
definition, see nearest.py), the definition's controller decides, whatever its name. When the scan
does not, the target cluster must provide the class, and the names below are the ones a vendor's
controller creates when it is installed, so only that vendor's clusters serve them:

- IngressClass ``alb``: the AWS Load Balancer Controller's Helm chart (``ingress.k8s.aws/alb``)
- IngressClass ``azure-application-gateway``: the AKS add-on of the Application Gateway Ingress
  Controller (``azure/application-gateway``)
- IngressClass and GatewayClass ``azure-alb-external``: the managed deployment of Application
  Gateway for Containers (``alb.networking.azure.io/alb-controller``)
- IngressClass ``webapprouting.kubernetes.azure.com``: the AKS application routing add-on
  (``webapprouting.kubernetes.azure.com/nginx``)
- GatewayClasses ``gke-l7-*``: installed by GKE for its Gateway controller
  (``networking.gke.io/gateway``)

GKE's ``gce`` and ``gce-internal`` are not class names: GKE's Ingress controller reads only the
``kubernetes.io/ingress.class`` annotation (LK307) and leaves an Ingress that sets
``ingressClassName`` to another controller, whatever the value.

References:
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://learn.microsoft.com/azure/application-gateway/tutorial-ingress-controller-add-on-new
- https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller
- https://learn.microsoft.com/azure/aks/app-routing
- https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities
- https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional

#: class kind -> {class name, or a prefix ending in ``*``: the controller that installs it}; the
#: defaults of LK112's and LK114's ``class_names``, which the rules read (through their params)
CONVENTIONAL_CLASSES = {
    "IngressClass": {
        "alb": "ingress.k8s.aws/alb",
        "azure-application-gateway": "azure/application-gateway",
        "azure-alb-external": "alb.networking.azure.io/alb-controller",
        "webapprouting.kubernetes.azure.com": "webapprouting.kubernetes.azure.com/nginx",
    },
    "GatewayClass": {
        "azure-alb-external": "alb.networking.azure.io/alb-controller",
        "gke-l7-*": "networking.gke.io/gateway",
    },
}


#: class kind -> {class name: the vendor documentation that installs the class under it}
SOURCES = {
    "IngressClass": {
        "alb": "kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/",
        "azure-application-gateway": "learn.microsoft.com/azure/application-gateway/tutorial-ingress-controller-add-on-new",
        "azure-alb-external": "learn.microsoft.com/azure/application-gateway/for-containers/"
                              "quickstart-deploy-application-gateway-for-containers-alb-controller",
        "webapprouting.kubernetes.azure.com": "learn.microsoft.com/azure/aks/app-routing",
    },
    "GatewayClass": {
        "azure-alb-external": "learn.microsoft.com/azure/application-gateway/for-containers/"
                              "quickstart-deploy-application-gateway-for-containers-alb-controller",
        "gke-l7-*": "cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities",
    },
}


def class_names_param(class_kind: str) -> Dict[str, Any]:
    """The ``class_names`` parameter of the rule that owns the class names of ``class_kind``."""
    return {
        "type": "string_map", "default": dict(CONVENTIONAL_CLASSES[class_kind]),
        "description": f"{class_kind} names a vendor's controller installs its class under, each with that "
                       "controller (a name ending in * is a prefix): an object naming one of them, when the "
                       "scan defines no class of that name in reach, is bound to the controller, and reported "
                       "when the controller is a vendor's (the built-in table, the vendor domains, "
                       "extra_controllers). The defaults are the names each vendor's install documents: "
                       + ", ".join(f"{name} ({source})" for name, source in SOURCES[class_kind].items())
                       + ". Add the class names your platform's vendor controllers are installed under; remove "
                       "one the organisation defines neutrally on every target.",
    }


def conventional_controller(names: Mapping[str, str], name: str) -> Optional[str]:
    """The controller that installs its class under ``name`` by ``names`` (a rule's ``class_names``:
    class name, or a prefix ending in ``*``, -> controller), or None for any other name."""
    if name in names:
        return names[name]
    return next((controller for pattern, controller in names.items()
                 if pattern.endswith("*") and name.startswith(pattern[:-1])), None)
