"""Resolve ``get_param`` to the literal values a Heat property can take, and where each is written.

A property written ``{get_param: flavor_specs}`` (or ``{get_param: [specs, key]}``, or CloudFormation's
``{Ref: Param}``) takes its value from, in Heat's order of precedence:

1. the ``-e`` environment files (``parameters`` before ``parameter_defaults``, later files win);
2. the parameter's ``default`` in the template;
3. with ``--heat-env-auto``, any environment file of the same repository (each one is an
   alternative deployment, so each coupled value is reported where it is written).

A template that a resource of the scan instantiates (``type: lib/net.yaml``, or a registry alias
mapped to it; :mod:`lintra.rules.heat.parents`) also gets, for that nested stack, the value the
parent passes as the property of the same name; a parent's own ``get_param`` is followed through
the parent's chain (its environments, default and its own parents), a bounded number of levels
deep and never around a cycle. Each parent is one more alternative.

An environment's ``parameters`` set the parameters of the template the stack is created from
only; its ``parameter_defaults`` are passed into every template resource, nested ones included.
So ``parameters`` apply to the templates the user named, never to one lintra loaded because
another template references it (``Source.referenced_by``); ``parameter_defaults`` apply to both.

A rule judges every candidate; a finding lands on the value in the file that holds it, names the
resource and property that consume it, and relates back to the ``get_param``. Every other
intrinsic (``get_attr``, ``str_replace``, ``if``, ``yaql``, ``Fn::*`` ...) and any parameter that
cannot be found resolve to nothing: unknown, not coupled.

References:
- https://docs.openstack.org/heat/latest/template_guide/hot_spec.html#get-param
- https://docs.openstack.org/heat/latest/template_guide/environment.html ("Define values for
  template arguments" vs "Define defaults to parameters ... passed into all template resources")
- https://docs.openstack.org/heat/latest/template_guide/composition.html (a template resource's
  properties are the nested template's parameters)
- heat/engine/environment.py ``get_child_environment``: a nested stack's environment keeps the
  parent's registry and ``parameter_defaults`` but its ``parameters`` are replaced by the
  properties the parent passes ("they won't be relevant in the child template")
- Red Hat OpenStack Platform 16.2, Advanced Overcloud Customization, 2.2 Environment files
  (parameters apply only to the top-level template, parameter_defaults to every template):
  https://docs.redhat.com/ja/documentation/red_hat_openstack_platform/16.2/html/advanced_overcloud_customization/con_environment-files_understanding-heat-templates
"""

from __future__ import annotations

from lintra.model import Document, Pointer, Related
from lintra.policy.resolvers import Candidate, Resolver
from lintra.rules.heat import environments, parents

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, List, Tuple

#: HOT functions of every heat_template_version (hot/functions.py, template.py); CloudFormation's
#: are ``Ref`` and ``Fn::*``.
HOT_FUNCTIONS = frozenset({
    "get_param", "get_resource", "get_attr", "get_file", "str_replace", "str_replace_strict",
    "str_replace_vstrict", "list_join", "list_concat", "list_concat_unique", "map_merge",
    "map_replace", "repeat", "digest", "resource_facade", "str_split", "yaql", "if", "equals", "not",
    "and", "or", "contains", "filter", "make_url", "Ref", "Condition",
})


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key in HOT_FUNCTIONS or key.startswith("Fn::"))


#: :attr:`lintra.Rule.finds_under` of a rule that looks at :func:`resources_of` only: it finds
#: nothing in a template without resources (a value a parent or an environment passes in is
#: found there, through :func:`candidates`)
FINDS_UNDER = [("resources",)]


def looks_at_types(test: Callable[[Any], bool], sections: Tuple[str, ...] = ("resources",),
                   members: Tuple[str, ...] = ()):
    """``looks`` (see :class:`lintra.check.Dispatch`) of a rule that finds only at resources whose
    literal ``type`` passes ``test`` (:func:`resources_of`): a template without one is not given
    to it (unless a ``get_param`` stands on the way to a type: :func:`stands_in`). ``sections``:
    ``resources`` (HOT), and ``Resources`` (CloudFormation, whose field is ``Type``); ``members``:
    HOT properties holding a group member's definition (``resource_def``), whose ``type`` counts too."""
    made: list = []

    def passes(key: Any, value: Any) -> bool:
        return isinstance(value, str) and test(value)

    def looks(scan):
        if not made:  # the selector's paths compile on first use
            from lintra.policy.selector import compile_path, reach_of

            made.extend((reach_of(compile_path(f"{section}.*.{'type' if section == 'resources' else 'Type'}")), passes)
                        for section in sections)
            made.extend((reach_of(compile_path(f"resources.*.properties.{member}.type")), passes)
                        for member in members)
        return made
    return looks


def resources_of(document: Document, types) -> Iterator[Tuple[str, str, dict]]:
    """``(name, type, properties)`` of every HOT resource whose ``type`` is in ``types``; a
    resource whose properties are computed (not a mapping) is unknown and left out."""
    resources = document.data.get("resources") if isinstance(document.data, dict) else None
    if not isinstance(resources, dict):
        return
    for name, resource in resources.items():
        kind = resource.get("type") if isinstance(resource, dict) else None
        if isinstance(kind, str) and kind in types and isinstance(resource.get("properties"), dict):
            yield name, kind, resource["properties"]


def candidates(document: Document, pointer: Pointer, node: Any, scan) -> List[Candidate]:
    """The literal values ``node`` (at ``pointer`` in ``document``) can take; [] when unknown."""
    if not is_intrinsic(node):
        return [Candidate(node, None, pointer)]
    return resolved(document, pointer, node, scan)


def resolved(document: Document, pointer: Pointer, node: Any, scan) -> List[Candidate]:
    """Candidates for a ``get_param``/``Ref`` node; [] for any other intrinsic or an unknown parameter."""
    reference = _parameter_reference(node)
    if reference is None:
        return []
    name, path = reference
    consumer = _consumer(pointer)
    related = (Related(f"consumed here by {consumer}", document.source.name, document.span(pointer, "value")),)
    found, seen = [], set()
    for source, at, value, origin, hops in _sources(document, name, scan, 0, frozenset()):
        value, at = _descend(value, at, path)
        if value is _MISSING or is_intrinsic(value) or (id(source), at) in seen:
            continue
        seen.add((id(source), at))
        where = "" if source is document else f" in {document.source.name}"
        note = f" (parameter {name} {origin}, consumed by {consumer}{where})"
        found.append(Candidate(value, source, at, note, related + hops))
    return found


def stands_in(value: Any) -> bool:
    """Whether :func:`resolved` may give candidates for a node written ``value`` (a ``get_param``
    or ``Ref``): every other node resolves to nothing (:attr:`lintra.Resolver.stands_in`)."""
    return is_intrinsic(value) and _parameter_reference(value) is not None


def _parameter_reference(node: Any):
    """``(parameter name, path into its value)`` of a ``get_param``/``Ref`` node, else None."""
    function, argument = next(iter(node.items()))
    if function not in ("get_param", "Ref"):
        return None
    if isinstance(argument, str):
        return argument, []
    if function == "get_param" and isinstance(argument, list) and argument and isinstance(argument[0], str):
        return argument[0], argument[1:]
    return None


#: Nesting levels followed up from a template to the parents that pass its parameters.
_MAX_DEPTH = 8


def _sources(document: Document, name: str, scan, depth: int, visiting: frozenset):
    """``(document, pointer, value, origin, related hops)`` for every value parameter ``name`` of
    ``document`` can take: its own chain (environments, default), then what each parent resource
    in the scan passes as property ``name``, followed through the parent's own ``get_param``."""
    if (id(document), name) in visiting:
        return  # a template that (through its parents) passes a parameter back to itself
    visiting = visiting | {(id(document), name)}
    for source, at, value, origin in _values(document, name, scan):
        yield source, at, value, origin, ()
    if depth >= _MAX_DEPTH:
        return
    # Sibling resources of one parent often pass the same {get_param: x}: follow it once, or the
    # work grows as (resources per template) ** (nesting depth). The first hop is the one shown.
    followed = set()
    for parent, resource, properties_at, properties in parents.of(document, scan):
        if not isinstance(properties, dict) or name not in properties:
            continue
        value, at = properties[name], properties_at + (name,)
        passed = f"passed by resource '{resource}' of {parent.source.name}"
        if not is_intrinsic(value):
            yield parent, at, value, passed, ()
            continue
        reference = _parameter_reference(value)
        if reference is None:
            continue  # get_attr, str_replace ...: unknown
        outer, path = reference
        key = (id(parent), outer, repr(path))
        if key in followed:
            continue
        followed.add(key)
        hop = Related(f"passed as parameter {name} of {document.source.name} by resource '{resource}'",
                      parent.source.name, parent.span(at, "value"))
        for source, found_at, found, origin, hops in _sources(parent, outer, scan, depth + 1, visiting):
            found, found_at = _descend(found, found_at, path)
            if found is not _MISSING:
                yield source, found_at, found, f"{passed} as its parameter {outer} ({origin})", (hop,) + hops


#: Environment sections that set a template's parameters: all of them for a template the user
#: named (a stack's top-level template), ``parameter_defaults`` only for a nested one.
_SECTIONS_NAMED = ("parameter_defaults", "parameters")
_SECTIONS_NESTED = ("parameter_defaults",)


def _values(document: Document, name: str, scan):
    """``(document, pointer, value, origin)`` for every value parameter ``name`` can take."""
    sections = _SECTIONS_NESTED if document.source.referenced_by else _SECTIONS_NAMED
    given = default = None
    for env in environments.index(scan).explicit:
        for section in sections:
            values = env.data.get(section)
            if isinstance(values, dict) and name in values:
                entry = (env, (section, name), values[name], f"from {section} of -e {env.source.name}")
                if section == "parameters":
                    given = entry
                else:
                    default = entry
    if given or default:
        return [given or default]
    found = []
    own = _template_default(document, name)
    if own is not None:
        found.append(own)
    if environments.index(scan).auto:
        for env in environments.applicable(document, scan):
            for section in sections:
                values = env.data.get(section)
                if isinstance(values, dict) and name in values:
                    found.append((env, (section, name), values[name], f"from {section} of {env.source.name}"))
    return found


def _template_default(document: Document, name: str):
    data = document.data
    for section, field in (("parameters", "default"), ("Parameters", "Default")):
        params = data.get(section) if isinstance(data, dict) else None
        spec = params.get(name) if isinstance(params, dict) else None
        if isinstance(spec, dict) and field in spec:
            return document, (section, name, field), spec[field], "default"
    return None


_MISSING = object()


def _descend(value: Any, pointer: Pointer, path: list):
    """Follow ``get_param: [name, key, index ...]`` into a json/comma_delimited_list value."""
    for part in path:
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            value, pointer = value[part], pointer + (part,)
        elif isinstance(value, list) and isinstance(part, int) and not isinstance(part, bool) \
                and 0 <= part < len(value):
            value, pointer = value[part], pointer + (part,)
        else:
            return _MISSING, pointer
    return value, pointer


def _consumer(pointer: Pointer) -> str:
    if len(pointer) >= 2 and pointer[0] in ("resources", "Resources"):
        rest = [str(p) for p in pointer[3:]] if len(pointer) > 3 else []
        prop = ".".join(rest) or "properties"
        return f"resource '{pointer[1]}' property {prop}"
    return "/".join(str(p) for p in pointer)


def _expand(document: Document, scan):
    """``expand(pointer, value)`` for policy packs: the candidates of a ``get_param``/``Ref``, or
    None when ``value`` is not an intrinsic."""
    def expand(pointer: Pointer, value: Any):
        return resolved(document, pointer, value, scan) if is_intrinsic(value) else None
    return expand


#: Registered by the ``lintra.heat`` plugin's ``register_resolvers`` hook.
RESOLVER = Resolver("heat-get-param", ("heat", "cfn"), _expand,
                    needs=lambda document: document.kind in environments.BUNDLE_KINDS, stands_in=stands_in)
