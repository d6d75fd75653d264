"""Built-in plugin: Heat rules written in Python (the registry below is the whole list), and the
resolver that lets declarative packs see through ``get_param`` (:mod:`lintra.rules.heat.resolve`).
"""

from lintra.hookspecs import hookimpl
from lintra.rules.heat import (env_vendor_driver, env_vendor_network_service, env_vendor_service, environments,
                               parents, registry_vendor_type, resolve, unknown_resource_type, vcenter_node_placement,
                               vendor_storage_extra_specs, vmware_flavor_extra_specs)

RULES = [
    unknown_resource_type.RULE,
    registry_vendor_type.RULE,
    env_vendor_service.RULE,
    env_vendor_network_service.RULE,
    env_vendor_driver.RULE,
    env_vendor_driver.STORAGE_RULE,
    vmware_flavor_extra_specs.RULE,
    vendor_storage_extra_specs.RULE,
    vcenter_node_placement.RULE,
]


#: All that the Heat rules and the ``get_param`` resolver read of a template in the reduce (its
#: resources with their types and properties, and its parameters' defaults; environments are read
#: whole): the rest of a template (outputs, conditions, descriptions) is dropped by the map step.
TEMPLATE_READS = (("resources",), ("Resources",), ("parameters", "*", "default"), ("Parameters", "*", "Default"))
READS = {**{kind: TEMPLATE_READS for kind in environments.KINDS}, "heat-env": None}


def in_bundle(document) -> bool:
    """Every Heat rule may read any template or environment of the run (the environments that
    apply, the parents that pass a parameter, the registry that maps a type), so each is a
    cross-object rule over the whole Heat bundle of the scan."""
    return document.kind in environments.BUNDLE_KINDS


def shared_with(document, options):
    """Which other documents' Heat rules may read ``document``: any, for an environment (its
    parameters and registry) and, once environments apply, for a template (a registry entry may
    name it: LH107); else the nested templates a parent names (:func:`parents.nested`: what it
    passes to their ``get_param``). Any other template is read only by the rules run on it."""
    return None if document.kind not in environments.KINDS else parents.nested(document, options)


for _rule in RULES:
    _rule.needs = in_bundle
    _rule.reads = READS
resolve.RESOLVER.reads = READS
resolve.RESOLVER.bundle = environments.BUNDLE_KINDS
resolve.RESOLVER.shared_with = shared_with


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)


@hookimpl
def register_resolvers(register):
    register(resolve.RESOLVER)
