"""Built-in plugin: the declarative packs shipped in ``policies/``."""

from lintra.hookspecs import hookimpl
from lintra.policy.pack import rules_from_pack
from lintra.resources import policies_dir


@hookimpl
def register_rules(register):
    for rule in rules_from_pack(policies_dir()):
        register(rule)
