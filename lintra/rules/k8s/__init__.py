"""Built-in plugin: Kubernetes rules written in Python (cross-object reasoning)."""

from lintra.hookspecs import hookimpl
from lintra.rules.k8s import (claim_vendor_storageclass, cloud_provider_flag, cluster_api_provider,
                              external_dns_provider, gateway_vendor_class, ingress_vendor_class, vendor_api_access,
                              vendor_controller_class, vendor_crd_group, vendor_csi_driver,
                              workload_cloud_identity, workload_cloud_secrets)

RULES = [
    claim_vendor_storageclass.RULE,
    workload_cloud_identity.RULE,
    ingress_vendor_class.RULE,
    vendor_controller_class.RULE,
    gateway_vendor_class.RULE,
    workload_cloud_secrets.RULE,
    vendor_csi_driver.RULE,
    vendor_crd_group.RULE,
    cloud_provider_flag.RULE,
    external_dns_provider.RULE,
    cluster_api_provider.RULE,
    vendor_api_access.RULE,
]


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)
