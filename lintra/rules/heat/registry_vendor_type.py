"""LH107 heat-registry-vendor-type: a resource whose type an environment maps to a vendor's type or template.

A template can look portable and still deploy only on one vendor's stack: ``type: OS::Foo::Net``
(or even ``OS::Nova::Server``, which Rackspace once overrode) becomes ``OS::Contrail::VirtualNetwork``
through the ``resource_registry`` of the environment it is deployed with. Heat follows alias chains
(``NeutronCorePlugin -> NeutronCorePluginNSX -> neutron-plugin-nsx.yaml``), per-resource overrides
(``resources: {name: {Type: ...}}``) and globs; so does this rule, over the environments that apply
(``-e`` files, and the repository's own with ``--heat-env-auto``, each an alternative). A mapping is
a vendor's when a name on the chain is a vendor plugin type or a TripleO vendor back-end service, or
when the template it ends in declares a vendor plugin type. The finding is on the template's
``type:``; each registry entry on the chain (and the vendor resource in the target template) is a
related location.

``extra_types`` (the parameter LH106 takes too; ``rules: {"*": {params: {extra_types: ...}}}``
sets both) names further plugin types, exact or as a prefix ending in ``::``, with their vendor: an
alias an environment maps to one of them, or to a template that declares one, is that vendor's.

References:
- https://docs.openstack.org/heat/latest/template_guide/environment.html#mapping-resources
- https://opendev.org/openstack/heat/src/branch/master/heat/engine/environment.py
- https://opendev.org/openstack/tripleo-heat-templates/src/branch/master/overcloud-resource-registry-puppet.j2.yaml
"""

import os

from lintra.check.params import effective
from lintra.rules.docstring import rationale, references
from lintra.model import Hit, Related, Rule
from lintra.rules.heat import environments, upstream_types, vendor_types
from lintra.rules.heat.unknown_resource_type import EXTRA_TYPES, entry_for, resource_types

_MAX_HOPS = 8
_DISABLED = (None, "OS::Heat::None")


def _lookups(extra):
    """``(plugin_type, vendor_of)`` of :mod:`vendor_types`, with the run's ``extra_types`` first:
    ``(vendor, product)`` of a plugin type, and of a type or TripleO service alias."""
    if not extra:
        return vendor_types.plugin_type, vendor_types.vendor_of

    def extra_type(name):
        entry = entry_for(extra, name)
        return (extra[entry], f"the {entry} plugin of {extra[entry]}") if entry else None

    def plugin_type(name):
        return extra_type(name) or vendor_types.plugin_type(name)

    def vendor_of(name):
        return extra_type(name) or vendor_types.vendor_of(name)
    return plugin_type, vendor_of


def check(document, scan):
    envs = environments.applicable(document, scan)
    if not envs:
        return
    explicit = environments.index(scan).explicit
    plugin_type, vendor_of = _lookups(effective(RULE, scan)["extra_types"])
    for pointer, name, kind in resource_types(document):
        if plugin_type(kind):
            continue  # the type itself is reported by LH101-LH106
        for chain in _chains(kind, name, envs, explicit, vendor_of):
            verdict = _vendor(chain, scan, plugin_type, vendor_of)
            if verdict is None:
                continue
            vendor, product, evidence = verdict
            first_env = chain[0][0]
            related = [Related(f"{alias} mapped to {target}", env.source.name, env.span(at, "value"))
                       for env, at, alias, target in chain] + evidence
            yield Hit(pointer, f"resource '{name}' has type {kind}, which {first_env.source.name} maps to "
                               f"{chain[-1][3]} ({product})", at="value", vendor=vendor, related=related,
                      service=product)


def _chains(kind, name, envs, explicit, vendor_of):
    """Registry chains for ``kind``: the effective one of the ``-e`` files if they map it, else one
    per repository environment that maps it (alternatives)."""
    for env, at, target in environments.registry_starts(kind, name, envs, explicit):
        chain = [(env, at, kind, target)]
        # a vendor name on the chain settles it; hops after it could come from another alternative
        while isinstance(target, str) and len(chain) < _MAX_HOPS and not _terminal(target) \
                and not vendor_of(target):
            step = (environments.lookup_last(target, None, explicit) or environments.lookup_last(target, None, [env])
                    or environments.lookup_last(target, None, envs))
            if step is None or any(hop[2] == target for hop in chain):
                break
            env, at, next_target = step
            chain.append((env, at, target, next_target))
            target = next_target
        yield chain


def _terminal(target):
    return upstream_types.is_upstream(target) or upstream_types.is_template_reference(target)


def _vendor(chain, scan, plugin_type, vendor_of):
    final = chain[-1][3]
    if final in _DISABLED:
        return None
    for _, _, _, target in chain:
        found = vendor_of(target) if isinstance(target, str) else None
        if found:
            return found[0], found[1], []
    if isinstance(final, str) and upstream_types.is_template_reference(final) and "://" not in final:
        env = chain[-1][0]
        if env.source.path:
            path = environments.real_paths(scan).below(os.path.dirname(env.source.path), final)
            for template in environments.index(scan).by_path.get(path, ()):
                for at, _, kind in resource_types(template):
                    found = plugin_type(kind)
                    if found:
                        where = Related(f"{final} declares {kind}", template.source.name, template.span(at, "value"))
                        return found[0], found[1], [where]
    return None


EXAMPLES = {
    "fail": [{"content": "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: OS::Foo::Net\n",
              "environment": "resource_registry:\n  OS::Foo::Net: OS::ContrailV2::VirtualNetwork\n",
              "expect": [{"line": 4, "column": 11}]}],  # the alias the environment maps
    "pass": [{"content": "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: OS::Foo::Net\n",
              "environment": "resource_registry:\n  OS::Foo::Net: OS::Neutron::Net\n"}],
}

RULE = Rule(
    id="LH107",
    name="heat-registry-vendor-type",
    title="Resource type mapped by an environment to a vendor type or template",
    vendor="other",
    category="api",
    strength="hard",
    severity="error",
    kinds=("heat", "cfn"),
    rationale=rationale(__doc__),
    remediation="Keep the generic alias, and map it in the operator's environment to an upstream type or "
                "to a template built from upstream types; treat vendor mappings as a sanctioned substrate choice.",
    references=references(__doc__),
    check=check,
    origin=__name__,
    examples=EXAMPLES,
    service="vendor Heat plugins and TripleO back ends mapped by environments", effort=3,
    effort_reason="the template keeps its generic alias; the operator's environment maps it to an upstream type "
                  "or template instead, and the resources it then creates are re-tested",
    vendors=sorted(set(vendor_types.plugin_vendors()) | set(vendor_types.service_vendors())),
    services=vendor_types.plugin_products() + vendor_types.service_products(),
    params={"extra_types": EXTRA_TYPES},
    finds_under=[("resources",), ("Resources",)],  # every finding is a resource's type
)
