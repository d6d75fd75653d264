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

from typing import Optional

#: class kind -> {class name, or a prefix ending in ``*``: the controller that installs it}
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


def conventional_controller(class_kind: str, name: str) -> Optional[str]:
    """The controller that installs a ``class_kind`` called ``name``, or None for any other name."""
    names = CONVENTIONAL_CLASSES.get(class_kind, {})
    if name in names:
        return names[name]
    return next((controller for pattern, controller in names.items()
                 if pattern.endswith("*") and name.startswith(pattern[:-1])), None)
