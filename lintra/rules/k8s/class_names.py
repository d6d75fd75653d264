"""Class names a vendor's controller (or managed Kubernetes service) installs its class under.

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

StorageClasses (LK110, through a claim's ``storageClassName``) follow the same logic with the
provisioner in the controller's place. The names are those a managed Kubernetes service itself
creates on its clusters, each with the provisioner the vendor's documentation gives it:

- ``gp2``: created by Amazon EKS on every cluster (``kubernetes.io/aws-ebs``, migrated to the EBS
  CSI driver; since Kubernetes 1.30 EKS still creates it, only no longer marks it the default)
- ``managed-csi``, ``managed-csi-premium`` (``disk.csi.azure.com``), ``azurefile-csi``,
  ``azurefile-csi-premium`` (``file.csi.azure.com``): the built-in classes of AKS, and the older
  built-in ``managed-premium`` (Azure Disk), ``azurefile`` and ``azurefile-premium`` (Azure Files)
- ``standard-rwo``, ``premium-rwo``: GKE's Compute Engine persistent disk CSI classes
  (``pd.csi.storage.gke.io``); ``standard-rwx``, ``premium-rwx``, ``enterprise-rwx``,
  ``enterprise-multishare-rwx``: the classes GKE installs with its Filestore CSI driver
  (``filestore.csi.storage.gke.io``)

Left out on purpose: ``default`` (AKS's older default class) and ``standard`` (GKE's legacy
``kubernetes.io/gce-pd`` class) are also the names kind, minikube and other distributions give their
neutral local classes, so the name alone does not say which; ``gp3`` is not created by EKS at all
(whoever uses it writes its StorageClass, which the scan then judges by its provisioner).

References:
- https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
- https://learn.microsoft.com/azure/application-gateway/tutorial-ingress-controller-add-on-new
- https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller
- https://learn.microsoft.com/azure/aks/app-routing
- https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities
- https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
- https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
- https://learn.microsoft.com/azure/aks/concepts-storage
- https://learn.microsoft.com/azure/aks/azure-disk-csi
- https://learn.microsoft.com/azure/aks/azure-files-csi
- https://cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes
- https://cloud.google.com/filestore/docs/csi-driver
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional

#: class kind -> {class name, or a prefix ending in ``*``: the controller (a StorageClass: the
#: provisioner) that installs it}; the defaults of LK112's, LK114's and LK110's ``class_names``,
#: which the rules read (through their params)
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
    "StorageClass": {
        "gp2": "kubernetes.io/aws-ebs",
        "managed-csi": "disk.csi.azure.com",
        "managed-csi-premium": "disk.csi.azure.com",
        "azurefile-csi": "file.csi.azure.com",
        "azurefile-csi-premium": "file.csi.azure.com",
        "managed-premium": "kubernetes.io/azure-disk",
        "azurefile": "kubernetes.io/azure-file",
        "azurefile-premium": "kubernetes.io/azure-file",
        "standard-rwo": "pd.csi.storage.gke.io",
        "premium-rwo": "pd.csi.storage.gke.io",
        "standard-rwx": "filestore.csi.storage.gke.io",
        "premium-rwx": "filestore.csi.storage.gke.io",
        "enterprise-rwx": "filestore.csi.storage.gke.io",
        "enterprise-multishare-rwx": "filestore.csi.storage.gke.io",
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
    "StorageClass": {
        "gp2": "docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
        **{name: "learn.microsoft.com/azure/aks/azure-disk-csi"
           for name in ("managed-csi", "managed-csi-premium", "managed-premium")},
        **{name: "learn.microsoft.com/azure/aks/azure-files-csi"
           for name in ("azurefile-csi", "azurefile-csi-premium", "azurefile", "azurefile-premium")},
        **{name: "cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes"
           for name in ("standard-rwo", "premium-rwo")},
        **{name: "cloud.google.com/filestore/docs/csi-driver"
           for name in ("standard-rwx", "premium-rwx", "enterprise-rwx", "enterprise-multishare-rwx")},
    },
}


def class_names_param(class_kind: str) -> Dict[str, Any]:
    """The ``class_names`` parameter of the rule that owns the class names of ``class_kind``."""
    sources = ", ".join(f"{name} ({source})" for name, source in SOURCES[class_kind].items())
    if class_kind == "StorageClass":
        description = ("StorageClass names a managed Kubernetes service creates on its clusters, each with that "
                       "class's provisioner (a name ending in * is a prefix): a claim naming one of them, when the "
                       "scan defines no StorageClass of that name in reach, is bound to the provisioner, and "
                       "reported when the provisioner is a vendor's (the built-in table, extra_provisioners) and "
                       "not accepted. The defaults are the names each vendor documents its service creating: "
                       + sources + ". Names other distributions also give neutral classes (standard, default) "
                       "are left out; add the names your platform's vendor classes are created under, remove one "
                       "the organisation defines neutrally on every target.")
    else:
        description = (f"{class_kind} names a vendor's controller installs its class under, each with that "
                       "controller (a name ending in * is a prefix): an object naming one of them, when the "
                       "scan defines no class of that name in reach, is bound to the controller, and reported "
                       "when the controller is a vendor's (the built-in table, the vendor domains, "
                       "extra_controllers). The defaults are the names each vendor's install documents: "
                       + sources + ". Add the class names your platform's vendor controllers are installed under; "
                       "remove one the organisation defines neutrally on every target.")
    return {"type": "string_map", "default": dict(CONVENTIONAL_CLASSES[class_kind]), "description": description}


def conventional_controller(names: Mapping[str, str], name: str) -> Optional[str]:
    """The controller that installs its class under ``name`` by ``names`` (a rule's ``class_names``:
    class name, or a prefix ending in ``*``, -> controller), or None for any other name."""
    if name in names:
        return names[name]
    return next((controller for pattern, controller in names.items()
                 if pattern.endswith("*") and name.startswith(pattern[:-1])), None)
