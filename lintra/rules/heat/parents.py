"""Which template resources of the scan instantiate a nested template, and with which properties.

A template resource (``type: lib/net.yaml``, or ``type: OS::Foo::Net`` that an applicable
environment's ``resource_registry`` maps to ``lib/net.yaml``) creates a nested stack whose
parameters are the resource's ``properties``; a ``ResourceGroup``/``AutoScalingGroup`` does the
same for each member (``resource_def`` / ``resource``), and a ``ResourceChain`` passes its
``resource_properties`` to every type in its ``resources`` list. The index, built once per run, maps the
nested template's real path to every ``(parent document, resource name, properties pointer)``
that does so, so that :mod:`lintra.rules.heat.resolve` can follow a ``get_param`` up to the value
a parent passes.

A registry alias counts only through the environments that apply to the parent
(:func:`lintra.rules.heat.environments.applicable`: ``-e`` files, the repository's own with
``--heat-env-auto``), as for LH107; a relative path in a registry is relative to the environment
file that holds it, as heatclient resolves it.

References:
- https://docs.openstack.org/heat/latest/template_guide/composition.html ("the properties of the
  template resource are passed as parameters to the nested template")
- https://docs.openstack.org/heat/latest/template_guide/environment.html#mapping-resources
- https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::ResourceChain
- heat/engine/resources/template_resource.py ``child_params``: a template resource's properties
  become the nested stack's parameters
"""

from __future__ import annotations

import os

from lintra.domain.heat import GROUP_MEMBERS, RESOURCE_CHAIN, RESOURCE_SECTIONS
from lintra.model import Document, Pointer
from lintra.rules.heat import environments, upstream_types

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple, TypeAlias

#: (parent document, resource name, pointer of the properties mapping, the properties)
Parent: TypeAlias = "Tuple[Document, str, Pointer, dict]"

#: Hops of an alias chain (``A -> B -> lib/net.yaml``) followed, as LH107 does.
_MAX_HOPS = 8


def of(document: Document, scan) -> List[Parent]:
    """Every resource of the scan that instantiates ``document`` as a nested template."""
    if not document.source.path:
        return []
    return scan.memo("heat.parents", _build).get(environments.real_paths(scan).of(document.source.path), [])


def _build(scan) -> Dict[str, List[Parent]]:
    found: Dict[str, List[Parent]] = {}
    for parent in scan.of_kind(*environments.KINDS):
        if not parent.source.path:
            continue
        for name, kind, pointer, properties in _template_resources(parent.data):
            for path in _targets(parent, name, kind, scan):
                found.setdefault(path, []).append((parent, name, pointer, properties))
    return found


def nested(document: Document, options) -> Optional[Tuple[str, ...]]:
    """The templates ``document`` may be a parent of in a run with ``options``, as the paths
    (relative to its directory) its resources, group members and chain links name; None when
    any template may be one: an environment applies, and may map one of its types to any."""
    if environments.applies_any(options):
        return None
    return tuple(kind for _, kind, _, _ in _template_resources(document.data)
                 if isinstance(kind, str) and upstream_types.is_template_reference(kind)
                 and "://" not in kind and not os.path.isabs(kind))  # as :func:`_local` reads them


def _template_resources(data):
    """``(resource name, type, properties pointer, properties)`` of every resource and group member."""
    if not isinstance(data, dict):
        return
    for section, type_key, props_key in RESOURCE_SECTIONS:
        resources = data.get(section)
        if not isinstance(resources, dict):
            continue
        for name, resource in resources.items():
            if not isinstance(resource, dict):
                continue
            properties = resource.get(props_key)
            yield name, resource.get(type_key), (section, name, props_key), properties
            if isinstance(properties, dict):
                for member in GROUP_MEMBERS.values():
                    spec = properties.get(member)
                    if isinstance(spec, dict):
                        yield name, spec.get("type"), (section, name, props_key, member, "properties"), \
                            spec.get("properties")
                if resource.get(type_key) == RESOURCE_CHAIN and isinstance(properties.get("resources"), list):
                    for member_type in properties["resources"]:
                        yield name, member_type, (section, name, props_key, "resource_properties"), \
                            properties.get("resource_properties")


def _targets(parent: Document, name, kind, scan) -> List[str]:
    """Real paths of the templates a resource of type ``kind`` can be."""
    if not isinstance(kind, str):
        return []
    if upstream_types.is_template_reference(kind):
        local = _local(parent, kind, scan)
        return [local] if local else []
    if not environments.is_alias(kind, scan):  # cheap: most types are mapped by no registry
        return []
    envs = environments.applicable(parent, scan)
    explicit = environments.index(scan).explicit
    found = []
    for env, _, target in environments.registry_starts(kind, name, envs, explicit):
        seen = {kind}
        while isinstance(target, str) and not upstream_types.is_template_reference(target) \
                and target not in seen and len(seen) < _MAX_HOPS:
            seen.add(target)
            step = environments.lookup_last(target, None, explicit) or environments.lookup_last(target, None, [env])
            if step is None:
                break
            env, _, target = step
        if isinstance(target, str) and upstream_types.is_template_reference(target):
            local = _local(env, target, scan)
            if local and local not in found:
                found.append(local)
    return found


def _local(holder: Document, reference: str, scan) -> Optional[str]:
    if "://" in reference or os.path.isabs(reference) or not holder.source.path:
        return None
    return environments.real_paths(scan).below(os.path.dirname(holder.source.path), reference)
