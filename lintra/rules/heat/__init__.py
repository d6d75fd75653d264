"""Built-in plugin: Heat rules written in Python. The registry below is the whole list."""

from lintra.hookspecs import hookimpl
from lintra.rules.heat import vmware_flavor_extra_specs

RULES = [
    vmware_flavor_extra_specs.RULE,
]


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)
