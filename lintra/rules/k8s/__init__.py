"""Built-in plugin: Kubernetes rules written in Python (cross-object reasoning)."""

from lintra.hookspecs import hookimpl
from lintra.rules.k8s import claim_vendor_storageclass

RULES = [
    claim_vendor_storageclass.RULE,
]


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)
