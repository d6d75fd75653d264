"""LH106 heat-unknown-resource-type: a resource type upstream Heat does not register and nothing in the scan maps.

Heat instantiates a ``type:`` from its registry: the types its own resource plugins register,
aliases an environment's ``resource_registry`` maps, and templates named by path. Anything else
exists only where a third-party Heat plugin is installed (``plugin_dirs``), or where an
environment outside the scan defines the alias, and ``openstack stack create`` fails elsewhere with
"The Resource Type (X) could not be found". The ``OS::`` prefix proves nothing: Venafi ships
``OS::Nova::VenafiCertificate`` and Contrail ``OS::Contrail::*``.

Effort 3: an unknown type is replaced by upstream resources (or its environment is shipped
with the template), with properties that differ, so the template is rewritten and re-tested.

Types that LH101-LH105 already attribute are left to them; a prefix that names a known plugin
(Nuage, Infoblox) attributes the vendor, anything else is reported as an unknown vendor.

An organisation that runs its own Heat plugins on every cloud it deploys to lists their types in
``accepted_types`` (an exact type, or a prefix ending in ``::``): they are not reported. Types of a
plugin whose vendor it knows go in ``extra_types`` (type or ``::`` prefix -> vendor): they are
reported as that vendor's plugin type instead of an unknown one (types LH101-LH105 report stay
theirs, and a name an environment registers stays an alias).

A partial scan sees the same registry as a scan of the whole repository: the run also reads, as
context, the environment files of the template's repository that the scanned paths leave out (a
user checking ``templates/`` alone still deploys with the repository's ``environments/``). A type
one of them registers is an alias, not an unknown type; with ``--heat-env-auto`` LH107 judges it
as the target it is mapped to, exactly as in the full scan.

The strength is ``soft``, not ``hard``: the evidence is weak. lintra cannot attribute such a type
to any vendor, and cannot tell a plugin type from an alias defined in an environment it was not
shown (pass it with ``-e`` or scan the repository). A hard finding fails every profile, and an
unattributed name is not proof of lock-in; a soft one warns under ``balanced`` and fails under
``agile``, which is what "unknown, worth a look" deserves. Types lintra can attribute are hard
under LH101-LH105 and LH107.

References:
- https://docs.openstack.org/heat/latest/template_guide/openstack.html
- https://docs.openstack.org/heat/latest/template_guide/environment.html#mapping-resources
- https://docs.openstack.org/heat/latest/developing_guides/pluginguide.html
- https://opendev.org/openstack/heat/src/branch/master/heat/engine/environment.py
"""

from lintra.check.params import effective
from lintra.domain.heat import GROUP_MEMBERS
from lintra.rules.docstring import rationale, references
from lintra.model import Hit, Rule
from lintra.rules.heat import environments, resolve, upstream_types, vendor_types

#: TripleO maps its whole namespace in overcloud-resource-registry-puppet.j2.yaml, a Jinja template
#: rendered before deployment that lintra skips; tripleo ships no resource plugins, so these are
#: aliases by construction, not plugin types.
ALIAS_NAMESPACES = ("OS::TripleO::",)


#: LH106's and LH107's parameter, one declaration so that ``"*"`` sets both alike
EXTRA_TYPES = {
    "type": "vendor_map", "default": {},
    "description": "Further plugin resource types (exact, or a prefix ending in ::) with the vendor whose Heat "
                   "plugin provides them (a plugin's types are what its resource_mapping() registers: "
                   "docs.openstack.org/heat/latest/developing_guides/pluginguide.html): LH106 reports them as "
                   "that vendor's, not as unknown; LH107 reports an alias an environment maps to one."}




def resource_types(document):
    """``(pointer, resource name, type)`` for every resource with a string type (HOT and CFN),
    and for the members of a HOT ResourceGroup or AutoScalingGroup (under the group's name)."""
    data = document.data
    for section, field in (("resources", "type"), ("Resources", "Type")):
        resources = data.get(section) if isinstance(data, dict) else None
        if not isinstance(resources, dict):
            continue
        for name, resource in resources.items():
            kind = resource.get(field) if isinstance(resource, dict) else None
            if not isinstance(kind, str) or not kind:
                continue  # a computed type ({get_param: ...}) names no group either
            yield (section, name, field), name, kind
            member = GROUP_MEMBERS.get(kind) if section == "resources" else None
            properties = resource.get("properties") if member else None
            definition = properties.get(member) if isinstance(properties, dict) else None
            inner = definition.get("type") if isinstance(definition, dict) else None
            if isinstance(inner, str) and inner:
                yield (section, name, "properties", member, "type"), name, inner


def entry_for(table, kind):
    """The entry of ``table`` (exact types, and prefixes ending in ``::``) that ``kind`` is, or None."""
    for entry in table:
        if kind == entry or (entry.endswith("::") and kind.startswith(entry)):
            return entry
    return None


def check(document, scan):
    params = effective(RULE, scan)
    accepted, extra = params["accepted_types"], params["extra_types"]
    for pointer, name, kind in resource_types(document):
        if upstream_types.is_upstream(kind) or upstream_types.is_template_reference(kind):
            continue
        if accepted and entry_for(accepted, kind):
            continue  # the organisation's clouds all register it
        known = vendor_types.plugin_type(kind)
        if known and known[2]:
            continue  # LH101-LH105 report it with their own rationale
        if kind.startswith(ALIAS_NAMESPACES) or environments.is_alias(kind, scan):
            continue
        entry = entry_for(extra, kind) if extra else None
        if entry is not None:
            vendor = extra[entry]
            yield Hit(pointer, f"resource '{name}' has type {kind}, provided by a {vendor} Heat plugin "
                               f"({entry} in extra_types)", at="value", vendor=vendor, service=f"{vendor} Heat plugin")
            continue
        if known:
            yield Hit(pointer, f"resource '{name}' has type {kind}, provided by the {known[1]} Heat plugin",
                      at="value", vendor=known[0], service=f"{known[1]} Heat plugin")
        else:
            yield Hit(pointer, f"resource '{name}' has type {kind}, which upstream Heat does not register "
                               f"and no resource_registry in the scan maps: a third-party plugin type or an "
                               f"alias defined elsewhere", at="value")


def _may_report(kind):
    """What the check goes past its first test for: a type neither upstream nor a template."""
    return bool(kind) and not (upstream_types.is_upstream(kind) or upstream_types.is_template_reference(kind))


#: a template whose types are all upstream or templates is not given to the check (nor does it
#: ask the run's environments which names are aliases there)
check.looks = resolve.looks_at_types(_may_report, ("resources", "Resources"), members=tuple(GROUP_MEMBERS.values()))


EXAMPLES = {
    "fail": [{"content": "heat_template_version: 2018-08-31\nresources:\n  r:\n    type: OS::Acme::Widget\n",
              "expect": [{"line": 4, "column": 11}]}],  # the type value
    "pass": ["heat_template_version: 2018-08-31\nresources:\n  r:\n    type: OS::Nova::Server\n"],
}

RULE = Rule(
    id="LH106",
    name="heat-unknown-resource-type",
    title="Resource type neither upstream nor mapped (plugin type)",
    vendor="other",
    category="api",
    strength="soft",
    severity="info",
    kinds=("heat", "cfn"),
    rationale=rationale(__doc__),
    remediation="Use upstream resource types, or ship the provider template (type: path/to/x.yaml) or the "
                "environment that maps the alias with the template, so any Heat can deploy it.",
    references=references(__doc__),
    check=check,
    origin=__name__,
    examples=EXAMPLES,
    service="third-party Heat resource plugins", effort=3,
    effort_reason="the type is replaced by upstream resources (or the environment mapping it ships with the "
                  "template); properties differ, so the template is rewritten and re-tested",
    vendors=vendor_types.plugin_vendors(reported_here_only=True),
    params={
        "accepted_types": {
            "type": "strings", "default": [],
            "description": "Resource types (exact, or a prefix ending in ::) of Heat plugins the organisation "
                           "installs on every cloud it deploys to (a plugin's types are what its "
                           "resource_mapping() registers: docs.openstack.org/heat/latest/developing_guides/"
                           "pluginguide.html): not reported."},
        "extra_types": EXTRA_TYPES,
    },
    services=[f"{product} Heat plugin" for product in vendor_types.plugin_products(reported_here_only=True)],
    finds_under=[("resources",), ("Resources",)],  # every finding is a resource's type
)
