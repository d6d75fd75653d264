"""Build a kustomization natively, keeping the origin of every value.

Fields and their semantics follow the Kustomize reference
(https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/): a kustomization gathers
``resources`` (and the legacy ``bases``: files, or directories holding another kustomization,
built on their own first), then applies its ``components`` (``kind: Component``, which see and
change what was gathered so far), runs its generators (``configMapGenerator``,
``secretGenerator``, builtin ``generators:``), then the builtin transformers in kustomize's fixed
order (``patchesStrategicMerge``, ``patches``, ``namespace``, ``namePrefix``/``nameSuffix``,
``commonLabels``/``labels``, ``commonAnnotations``, ``patchesJson6902``, ``replicas``, ``images``,
``replacements``), then the ``transformers:`` it lists (builtin transformer configurations only).

What is not done, and said so in the file's record: remote resources and components (lintra never
touches the network), ``helmCharts`` whose chart is not in the repository (a local chart is
rendered by :mod:`lintra.load.helm`), non-builtin plugins (they run code), and what
:meth:`Builder._unhonoured` lists (``crds`` and ``openapi`` schemas, ``buildMetadata``, ...), each
said at its line. ``vars`` and ``configurations`` are applied (:mod:`lintra.load.kustomize.fieldspecs`). A build that kustomize refuses (a missing file, a cycle,
a kustomization that is not a mapping, a patch that matches nothing it must match) raises
:class:`BuildError` with the place in the root kustomization that leads to the problem.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from contextlib import contextmanager

from lintra.domain.kubernetes import CLUSTER_SCOPED_KINDS as CLUSTER_SCOPED
from lintra.load.kustomize import fieldspecs
from lintra.load.kustomize.fieldspecs import Config
from lintra.load.kustomize.files import (BuildError, Place, inline_documents, is_remote,
                                         kustomization_files, parse_documents, read_text)
from lintra.load.kustomize.patch import PatchError, json_patch, strategic_merge
from lintra.load.kustomize.tree import Origin, Part, Traced, copy, ensure_map, plain, trace
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.model import Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

#: kinds whose ``spec.selector.matchLabels`` and pod template labels commonLabels also sets
_SELECTING = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"})
_REPLICATED = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"})
_KNOWN_FIELDS = frozenset({
    "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "patches",
    "patchesStrategicMerge", "patchesJson6902", "images", "namePrefix", "nameSuffix", "namespace",
    "commonLabels", "labels", "commonAnnotations", "replicas", "replacements", "configMapGenerator",
    "secretGenerator", "generatorOptions", "generators", "transformers", "validators", "helmCharts",
    "helmGlobals", "helmChartInflationGenerator", "vars", "configurations", "openapi", "sortOptions",
    "buildMetadata",
})


#: helmCharts fields that change what ``helm template`` renders and lintra does not honour
_HELM_UNUSED = (
    ("releaseName", "is not used: .Release.Name stays unknown"),
    ("namespace", "is not used: .Release.Namespace stays unknown"),
    ("includeCRDs", "is not honoured: the chart's crds/ are read either way"),
    ("skipHooks", "is not honoured: hook templates are read too"),
    ("skipTests", "is not honoured: test templates are read too"),
    ("apiVersions", "is not used: .Capabilities.APIVersions stays unknown"),
    ("kubeVersion", "is not used: .Capabilities.KubeVersion stays unknown"),
    ("nameTemplate", "is not used"),
    ("version", "is not checked against the chart in the repository"),
)


class Budget:
    """What one root's build may still read and produce (:mod:`lintra.load.limits`)."""

    __slots__ = ("reads", "bytes", "objects", "entries")

    def __init__(self) -> None:
        self.reads = self.bytes = self.objects = self.entries = 0

    def spend_read(self, origin: Optional[Origin]) -> None:
        self.reads += 1
        if self.reads > limits.MAX_KUSTOMIZE_READS:
            raise BuildLimit(f"the build reads more than {limits.MAX_KUSTOMIZE_READS} kustomizations and files", origin)

    def spend_bytes(self, size: int, origin: Optional[Origin]) -> None:
        self.bytes += size
        if self.bytes > limits.MAX_KUSTOMIZE_BYTES:
            raise BuildLimit(f"the build reads more than {limits.size(limits.MAX_KUSTOMIZE_BYTES)}", origin)

    def spend_objects(self, count: int, origin: Optional[Origin]) -> None:
        self.objects += count
        if self.objects > limits.MAX_KUSTOMIZE_OBJECTS:
            raise BuildLimit(f"the build produces more than {limits.MAX_KUSTOMIZE_OBJECTS} objects", origin)

    def spend_entries(self, count: int, origin: Optional[Origin]) -> None:
        self.entries += count
        if self.entries > limits.MAX_GENERATOR_ENTRIES:
            raise BuildLimit(f"the generators hold more than {limits.MAX_GENERATOR_ENTRIES} entries", origin)


class BuildLimit(BuildError):
    """A build that goes past a safety limit (reported as an input limit, LT002)."""


class Resource:
    """One object of a build: its traced node, every name it had (patches name the base's name),
    and the entry of the root kustomization it came in through."""

    __slots__ = ("node", "names", "entry", "first_namespace")

    def __init__(self, node: Traced, entry: Optional[Origin]) -> None:
        self.node = node
        self.names: List[str] = [self.name] if self.name else []
        self.entry = entry
        #: the namespace as first written: kustomize's selectors match it or the current one
        self.first_namespace = self.namespace

    def effective_namespaces(self) -> Tuple[str, ...]:
        """kustomize's EffectiveNamespace of the original and the current id: "default" for a
        namespaced object that names none, "" for a cluster-scoped one."""
        if self.kind in CLUSTER_SCOPED:
            return ("",)
        return tuple(dict.fromkeys(namespace or "default" for namespace in (self.first_namespace, self.namespace)))

    @property
    def kind(self) -> str:
        kind = self.node.scalar("kind")
        return kind if isinstance(kind, str) else ""

    @property
    def name(self) -> str:
        name = self.node.scalar("metadata", "name")
        return name if isinstance(name, str) else ""

    @property
    def namespace(self) -> str:
        namespace = self.node.scalar("metadata", "namespace")
        return namespace if isinstance(namespace, str) else ""

    @property
    def group_version(self) -> Tuple[str, str]:
        api = self.node.scalar("apiVersion")
        api = api if isinstance(api, str) else ""
        group, _, version = api.rpartition("/")
        return group, version

    def labels(self, field: str = "labels") -> Dict[str, Any]:
        node = self.node.at("metadata", field)
        return plain(node) if node is not None and isinstance(node.value, dict) else {}

    def __repr__(self) -> str:
        return f"Resource({self.kind}/{self.name})"


class Kustomization:
    __slots__ = ("directory", "file", "text", "node", "kind")

    def __init__(self, directory: Place, file: Place, text: str, node: Traced) -> None:
        self.directory = directory
        self.file = file
        self.text = text
        self.node = node
        kind = node.scalar("kind")
        self.kind = kind if isinstance(kind, str) else "Kustomization"

    def list(self, field: str) -> List[Traced]:
        node = self.node.get(field)
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            raise BuildError(f"{field} must be a list", node.origin)
        return node.value

    def origin(self, *pointer: Any) -> Origin:
        node = self.node.at(*pointer)
        return node.origin if node is not None else self.node.origin


class Builder:
    """Builds one root. ``boundary`` is the real path no file may leave (the repository); ``notes``
    collects what was skipped and why; ``files`` every file read, in order."""

    def __init__(self, boundary: str) -> None:
        self.boundary = boundary
        self.budget = Budget()
        self.notes: List[str] = []
        self.files: Dict[str, None] = {}
        self.root_file: Optional[str] = None
        #: a remote resource or component was skipped: what it holds is missing from the build
        self.remote = False
        #: (kind, old name, new name) of this kustomization's renames, for the references to follow
        self.renames: List[Tuple[str, str, str]] = []
        #: the field specs of the kustomization being built (its configurations and its bases')
        self.config = Config()
        #: every ``vars`` entry of the build, by name: resolved once the root is built
        self.vars: Dict[str, Traced] = {}
        #: the generated ConfigMaps and Secrets whose names take a content hash once the root is
        #: built (by ``id``: a later generator's ``behavior`` may drop one)
        self.hashed: Dict[int, Resource] = {}

    # --- entry points ------------------------------------------------------------------------

    def build_root(self, directory: Place) -> List[Resource]:
        kustomization = self._load(directory, None)
        self.root_file = kustomization.file.name
        resources = self._build(kustomization, 0, (directory.real,), [])
        for resource in resources:
            if resource.entry is None:
                resource.entry = kustomization.node.origin
        self._hash_names(resources)
        if self.vars:
            where = kustomization.node.get("vars")
            with self._through(kustomization, where.origin if where is not None else kustomization.node.origin):
                self._resolve_vars(resources)
        return resources

    def _hash_names(self, resources: List[Resource]) -> None:
        """kustomize appends a generated object's content hash last, once the root is built (after
        every namePrefix/nameSuffix, so ``prod-cfg-<hash>``, and of the data its overlays merged
        and patched in), and then points the references at the hashed name."""
        for resource in resources:
            if id(resource) not in self.hashed or not resource.name:
                continue
            fields = {key: plain(resource.node.get(key)) for key in ("data", "binaryData", "type")
                      if resource.node.get(key) is not None}
            digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
            old = resource.name
            new = f"{old}-{_hash_name(digest)}"
            meta = resource.node.get("metadata")
            meta.value["name"] = Traced(new, meta.get("name").origin)
            resource.names.append(new)
            for other in resources:
                _update_references(other, resource.kind, old, new)
                self._configured_references(other, resource.kind, old, new)

    # --- reading -----------------------------------------------------------------------------

    def _load(self, directory: Place, origin: Optional[Origin]) -> Kustomization:
        found = kustomization_files(directory.path)
        if len(found) > 1:
            raise BuildError(f"found multiple kustomization files under {directory.name} (kustomize refuses the "
                             f"directory): {', '.join(os.path.basename(path) for path in found)}", origin)
        path = found[0] if found else None
        if path is None:
            raise BuildError(f"{directory.name} holds no kustomization.yaml, kustomization.yml or Kustomization",
                             origin)
        file = directory.join(os.path.basename(path))
        self._inside(file, origin)
        self.budget.spend_read(origin)
        text = read_text(file, origin, self.budget)
        self.files[file.name] = None
        documents = parse_documents(text, file.name, origin)
        if not documents or not isinstance(documents[0].value, dict):
            where = documents[0].origin if documents else origin
            raise BuildError(f"{file.name} is not a kustomization (a mapping of fields)", where)
        node = documents[0]
        for key in node.value:
            if key not in _KNOWN_FIELDS:
                raise BuildError(f"unknown kustomization field {key!r} (kustomize refuses it)",
                                 node.value[key].origin)
        return Kustomization(directory, file, text, node)

    def _inside(self, place: Place, origin: Optional[Origin]) -> None:
        real = place.real
        if not (real == self.boundary or real.startswith(self.boundary.rstrip(os.sep) + os.sep)):
            raise BuildError(f"{place.name} (real path {real}) lies outside the repository {self.boundary}: "
                             "not read (load restrictor)", origin)

    def _restricted(self, kustomization: Kustomization, place: Place, origin: Origin) -> None:
        """kustomize's default load restrictor (LoadRestrictionsRootOnly): a file a kustomization
        reads lies in or below its directory. Past it the file is still read (inside the repository)
        and the record says which build flag the root needs."""
        top = kustomization.directory.real
        real = place.real
        if not (real == top or real.startswith(top.rstrip(os.sep) + os.sep)):
            span = origin.span("value")
            self.notes.append(f"{origin.part.file}:{span.line}: {place.name} lies outside the kustomization's "
                              "directory (kustomize builds it only with --load-restrictor LoadRestrictionsNone)")

    def _read_file(self, kustomization: Kustomization, relative: str, origin: Origin) -> Tuple[Place, str]:
        place = kustomization.directory.join(relative)
        self._inside(place, origin)
        if not os.path.isfile(place.path):
            raise BuildError(f"{relative}: no such file ({place.name})", origin)
        self._restricted(kustomization, place, origin)
        self.budget.spend_read(origin)
        text = read_text(place, origin, self.budget)
        self.files[place.name] = None
        return place, text

    @contextmanager
    def _through(self, kustomization: Kustomization, origin: Origin) -> Iterator[None]:
        """Errors inside another file are reported at the entry of this kustomization that leads there."""
        try:
            yield
        except (PatchError, BuildError) as raised:
            # a patch in a file of its own fails at its own line: said in the message, and
            # reported here at the entry that names the file (not at an enclosing entry)
            error = raised if isinstance(raised, BuildError) else \
                BuildError(str(raised), raised.origin if isinstance(raised.origin, Origin) else origin)
            if error.origin is None or error.origin.part.file != kustomization.file.name:
                where = ""
                if error.origin is not None:
                    span = error.origin.span("value")
                    where = f" ({error.origin.part.file}:{span.line})"
                raise type(error)(f"{_text(origin)}: {error.message}{where}", origin) from None
            if error is raised:
                raise
            raise error from None

    # --- the build ---------------------------------------------------------------------------

    def _build(self, kustomization: Kustomization, depth: int, stack: Tuple[str, ...],
               accumulated: List[Resource]) -> List[Resource]:
        resources = list(accumulated)
        outer, self.renames = self.renames, []
        outer_config, self.config = self.config, Config()
        for entry in kustomization.list("configurations"):
            with self._through(kustomization, entry.origin):
                self._configuration(kustomization, entry)
        self._unhonoured(kustomization)
        for field in ("resources", "bases"):
            for entry in kustomization.list(field):
                with self._through(kustomization, entry.origin):
                    self._resource(kustomization, entry, resources, depth, stack)
        for entry in kustomization.list("components"):
            with self._through(kustomization, entry.origin):
                resources = self._component(kustomization, entry, resources, depth, stack)
        for entry in kustomization.list("helmCharts"):
            with self._through(kustomization, entry.origin):
                self._helm_chart(kustomization, entry, resources)
        with self._through(kustomization, kustomization.node.origin):
            self._generators(kustomization, resources, depth, stack)
            self._transform(kustomization, resources, depth, stack)
        for entry in kustomization.list("vars"):
            self._var(entry)
        for kind, old, new in self.renames:
            for resource in resources:
                _update_references(resource, kind, old, new)
                self._configured_references(resource, kind, old, new)
        self.renames = outer
        outer_config.merge(self.config)  # kustomize merges a base's transformer configs into its user's
        self.config = outer_config
        return resources

    # --- fields lintra reads but does not honour, and configurations --------------------------

    def _note(self, node: Traced, why: str) -> None:
        span = node.origin.span("key")
        self.notes.append(f"{node.origin.part.file}:{span.line}: {why}")

    def _unhonoured(self, kustomization: Kustomization) -> None:
        """Fields whose effect the build does not reproduce are said, at their line, in the root's
        record: the objects checked may then differ from what kustomize builds."""
        node = kustomization.node
        for entry in kustomization.list("crds"):
            # OpenAPI definitions of CRDs (x-kubernetes-object-ref-* name references, patch merge keys)
            with self._through(kustomization, entry.origin):
                if not isinstance(entry.value, str):
                    raise BuildError("a crds entry is the path of an OpenAPI definitions file", entry.origin)
                if is_remote(entry.value):
                    self._note(entry, f"remote CRD definitions {entry.value} skipped (lintra never fetches anything)")
                    continue
                self._read_file(kustomization, entry.value, entry.origin)
                self._note(entry, f"crds {entry.value}: the name references and merge keys its OpenAPI definitions "
                                  "declare are not applied (strategic merge patches replace lists of those kinds, "
                                  "and renames do not follow into their fields)")
        openapi = node.get("openapi")
        if openapi is not None and openapi.value:
            path = openapi.scalar("path")
            if isinstance(path, str) and not is_remote(path):
                with self._through(kustomization, openapi.origin):
                    self._read_file(kustomization, path, openapi.get("path").origin)
            self._note(openapi, "openapi: the schema it names is not used; strategic merge follows lintra's "
                                "built-in merge keys for Kubernetes kinds")
        for field, why in (
                ("validators", "validators are plugins and are not run"),
                ("helmChartInflationGenerator", "helmChartInflationGenerator (the legacy form of helmCharts) is not "
                                                "rendered"),
                ("buildMetadata", "buildMetadata labels and annotations (managed-by, origin) are not added"),
                ("sortOptions", "sortOptions only orders the output; the objects checked are the same")):
            value = node.get(field)
            if value is not None and value.value:
                self._note(value, why)
        for field in ("patches", "patchesJson6902"):
            for entry in kustomization.list(field):
                options = entry.get("options") if isinstance(entry.value, dict) else None
                if options is not None and isinstance(options.value, dict) and any(
                        options.scalar(key) is True for key in ("allowNameChange", "allowKindChange")):
                    self._note(options, "patch options allowNameChange/allowKindChange are not honoured: the "
                                        "patched object keeps its name and kind")

    def _configuration(self, kustomization: Kustomization, entry: Traced) -> None:
        if not isinstance(entry.value, str):
            raise BuildError("a configurations entry is the path of a transformer configuration file", entry.origin)
        if is_remote(entry.value):
            self._note(entry, f"remote configuration {entry.value} skipped (lintra never fetches anything)")
            return
        place, text = self._read_file(kustomization, entry.value, entry.origin)
        for document in parse_documents(text, place.name, entry.origin):
            unhonoured = self.config.read(document)
            if unhonoured:
                self._note(entry, f"configuration {entry.value}: {', '.join(map(str, unhonoured))} field specs are "
                                  "not honoured (only " + ", ".join(fieldspecs.HONOURED) + " are)")

    def _configured_references(self, resource: Resource, kind: str, old: str, new: str) -> None:
        """The name references a transformer configuration declares follow a rename too."""
        group, version = resource.group_version
        for referred, _, spec in self.config.name_references:
            if referred != kind or not fieldspecs.applies(spec, resource.kind, group, version):
                continue
            for parent, key in list(fieldspecs.slots(resource.node, spec["path"])):
                child = parent.value[key]
                if child.value == old:
                    parent.value[key] = Traced(new, child.origin)

    def _configured(self, specs: List[Dict[str, Any]], resource: Resource, values: Traced) -> None:
        """Set ``values`` (labels, annotations) at every field the specs name in ``resource``."""
        group, version = resource.group_version
        for spec in specs:
            if not fieldspecs.applies(spec, resource.kind, group, version):
                continue
            for parent, key in list(fieldspecs.slots(resource.node, spec["path"], spec.get("create", False))):
                if not isinstance(parent.value, dict):
                    continue
                _set_all(ensure_map(parent, key, values.origin), values)

    # --- vars ----------------------------------------------------------------------------------

    def _var(self, entry: Traced) -> None:
        name = entry.scalar("name")
        if not isinstance(entry.value, dict) or not isinstance(name, str) or \
                entry.get("objref") is None or not isinstance(entry.get("objref").value, dict):
            raise BuildError("a var has a name and an objref (kind, name, apiVersion)", entry.origin)
        if name in self.vars:
            raise BuildError(f"var {name!r} is defined twice (kustomize refuses it)", entry.origin)
        self.vars[name] = entry

    def _resolve_vars(self, resources: List[Resource]) -> None:
        """Each var's value from the object it names, substituted in the var-reference fields."""
        values: Dict[str, Traced] = {}
        for name, entry in self.vars.items():
            objref = entry.get("objref")
            api = objref.scalar("apiVersion")
            group, _, version = api.rpartition("/") if isinstance(api, str) else ("", "", None)
            wanted = {"group": objref.scalar("group") if objref.get("group") is not None else
                      (group if isinstance(api, str) else None),
                      "version": objref.scalar("version") if objref.get("version") is not None else version,
                      "kind": objref.scalar("kind"), "name": objref.scalar("name"),
                      "namespace": objref.scalar("namespace")}
            # objref names the object as written, before namePrefix/nameSuffix
            found = [resource for resource in resources if _matches_raw(resource, wanted)]
            if not found:
                if self.remote:
                    self._note(entry, f"var {name}: its object is not among the resources read (a skipped remote "
                                      "resource may hold it): not substituted")
                    continue
                raise BuildError(f"var {name}: no {wanted['kind']} {wanted['name']} among the resources",
                                 objref.origin)
            if len(found) > 1:
                raise BuildError(f"var {name}: {len(found)} objects match its objref, not one", objref.origin)
            path = entry.scalar("fieldref", "fieldpath") or "metadata.name"
            nodes = _field_nodes(found[0].node, _field_path(str(path)), create=False)
            if not nodes or isinstance(nodes[0].value, (dict, list)):
                raise BuildError(f"var {name}: {found[0].kind} {found[0].name} has no scalar field {path}",
                                 entry.get("fieldref").origin if entry.get("fieldref") is not None else objref.origin)
            values[name] = nodes[0]
        specs = fieldspecs.default_var_references() + self.config.var_references
        spec_origin = next(iter(self.vars.values())).origin
        used: set = set()
        for resource in resources:
            group, version = resource.group_version
            for spec in specs:
                if not fieldspecs.applies(spec, resource.kind, group, version):
                    continue
                for parent, key in list(fieldspecs.slots(resource.node, spec["path"])):
                    replaced = fieldspecs.substitute(parent.value[key], values, used,
                                                     lambda size: self.budget.spend_bytes(size, spec_origin))
                    if replaced is not None:
                        parent.value[key] = replaced

    def _resource(self, kustomization: Kustomization, entry: Traced, resources: List[Resource], depth: int,
                  stack: Tuple[str, ...]) -> None:
        reference = entry.value
        if not isinstance(reference, str) or not reference.strip():
            raise BuildError("a resource entry is a path (a string)", entry.origin)
        if is_remote(reference):
            span = entry.origin.span("value")
            self.notes.append(f"{entry.origin.part.file}:{span.line}: remote resource {reference} skipped "
                              "(lintra never fetches anything)")
            self.remote = True
            return
        place = kustomization.directory.join(reference)
        self._inside(place, entry.origin)
        if os.path.isdir(place.path):
            built = self._nested(place, entry.origin, depth, stack, "Kustomization")
            for resource in built:
                resource.entry = entry.origin
            self._add(resources, built, entry.origin)
            return
        if not os.path.isfile(place.path):
            raise BuildError(f"{reference}: no such file or directory ({place.name})", entry.origin)
        place, text = self._read_file(kustomization, reference, entry.origin)
        objects = []
        for document in parse_documents(text, place.name, entry.origin):
            objects.extend(self._objects(document, place.name))
        self._add(resources, [Resource(node, entry.origin) for node in objects], entry.origin)

    def _objects(self, document: Traced, name: str) -> List[Traced]:
        if document.value is None:
            return []
        if not isinstance(document.value, dict) or not isinstance(document.scalar("kind"), str):
            raise BuildError(f"{name}: a resource is a mapping with apiVersion and kind", document.origin)
        items = document.get("items")
        if document.scalar("kind").endswith("List") and items is not None and isinstance(items.value, list):
            return [item for item in items.value if isinstance(item.value, dict)]
        return [document]

    def _nested(self, place: Place, origin: Origin, depth: int, stack: Tuple[str, ...], kind: str) -> List[Resource]:
        real = place.real
        if real in stack:
            raise BuildError(f"cycle: {place.name} includes itself", origin)
        if depth + 1 > limits.MAX_KUSTOMIZE_DEPTH:
            raise BuildLimit(f"kustomizations nest deeper than {limits.MAX_KUSTOMIZE_DEPTH} levels", origin)
        nested = self._load(place, origin)
        if nested.kind != kind:
            raise BuildError(f"{nested.file.name} is a {nested.kind}, not a {kind}", origin)
        return self._build(nested, depth + 1, stack + (real,), [])

    def _component(self, kustomization: Kustomization, entry: Traced, resources: List[Resource], depth: int,
                   stack: Tuple[str, ...]) -> List[Resource]:
        reference = entry.value
        if not isinstance(reference, str):
            raise BuildError("a component entry is a path (a string)", entry.origin)
        if is_remote(reference):
            span = entry.origin.span("value")
            self.notes.append(f"{entry.origin.part.file}:{span.line}: remote component {reference} skipped "
                              "(lintra never fetches anything)")
            self.remote = True
            return resources
        place = kustomization.directory.join(reference)
        self._inside(place, entry.origin)
        if not os.path.isdir(place.path):
            raise BuildError(f"{reference}: a component is a directory with a kustomization ({place.name})",
                             entry.origin)
        real = place.real
        if real in stack:
            raise BuildError(f"cycle: {place.name} includes itself", entry.origin)
        if depth + 1 > limits.MAX_KUSTOMIZE_DEPTH:
            raise BuildLimit(f"kustomizations nest deeper than {limits.MAX_KUSTOMIZE_DEPTH} levels", entry.origin)
        component = self._load(place, entry.origin)
        if component.kind != "Component":
            raise BuildError(f"{component.file.name} is a {component.kind}, not a Component", entry.origin)
        before = {id(resource) for resource in resources}
        out = self._build(component, depth + 1, stack + (real,), resources)
        for resource in out:
            if id(resource) not in before:
                resource.entry = entry.origin
        return out

    def _helm_chart(self, kustomization: Kustomization, entry: Traced, resources: List[Resource]) -> None:
        """A ``helmCharts`` entry whose chart lies in the repository (``helmGlobals.chartHome``,
        default ``charts/``, then the chart's ``name``), rendered by lintra's chart analyser with
        its ``valuesFile``; a chart only a repository URL names is not fetched."""
        name = entry.scalar("name")
        span = entry.origin.span("key")
        if not isinstance(name, str) or not name:
            raise BuildError("a helmCharts entry needs the chart's name", entry.origin)
        home = kustomization.node.scalar("helmGlobals", "chartHome")
        place = kustomization.directory.join(os.path.join(home if isinstance(home, str) else "charts", name))
        self._inside(place, entry.origin)
        if not os.path.isfile(os.path.join(place.path, "Chart.yaml")):
            self.notes.append(f"{entry.origin.part.file}:{span.line}: helm chart {name} is not in the repository "
                              f"({place.name}); lintra does not pull charts")
            return
        from lintra.load.helm import HelmOptions, analyse
        from lintra.load.helm.values import Layer

        files = []
        for node in [entry.get("valuesFile")] + _items(entry.get("additionalValuesFiles")):
            if node is None or node.value is None:
                continue
            if not isinstance(node.value, str):
                raise BuildError("a values file is a path", node.origin)
            values_place = kustomization.directory.join(node.value)
            self._inside(values_place, node.origin)
            if not os.path.isfile(values_place.path):
                raise BuildError(f"{node.value}: no such values file ({values_place.name})", node.origin)
            self._restricted(kustomization, values_place, node.origin)
            self.files[values_place.name] = None
            files.append(values_place.path)
        inline = entry.get("valuesInline")
        values: List[Any] = files
        if inline is not None and inline.value is not None:
            if not isinstance(inline.value, dict):
                raise BuildError("valuesInline is a mapping of values", inline.origin)
            # values written in the kustomization: a finding they cause lands on the overlay's line
            layer = Layer(plain(inline), inline.origin.part.file, inline.origin.part.locator, inline.origin.pointer)
            merge = entry.scalar("valuesMerge") or "override"
            if merge not in ("override", "merge", "replace"):
                raise BuildError(f"valuesMerge {merge!r} is none of override, merge, replace",
                                 entry.get("valuesMerge").origin)
            # kustomize: override puts the inline values over the files', merge under them, replace
            # uses them alone (the chart's values.yaml still lies beneath, as helm reads it)
            values = [layer] + files if merge == "merge" else files + [layer] if merge == "override" else [layer]
        for field, why in _HELM_UNUSED:
            node = entry.get(field)
            if node is not None and node.value not in (None, False, "", [], {}):
                where = node.origin.span("key")
                self.notes.append(f"{entry.origin.part.file}:{where.line}: helm chart {name}: {field} {why}")
        self.budget.spend_read(entry.origin)
        try:
            rendered = analyse(place.path, place.name, HelmOptions(values))
        except LimitExceeded as error:
            raise BuildLimit(f"helm chart {name}: {error}", entry.origin) from None
        self.notes.extend(f"{place.name}: {note}" for note in rendered.notes[:20])
        for record in rendered.records:
            self.files[record.file] = None
        objects = []
        for data, locator in rendered:
            if isinstance(data, dict) and isinstance(data.get("kind"), str):  # what the chart renders as objects
                node = trace(data, Origin(Part(os.path.join(place.name, "Chart.yaml"), locator), ()))
                objects.extend(self._objects(node, place.name))
        self._add(resources, [Resource(node, entry.origin) for node in objects], entry.origin)

    def _add(self, resources: List[Resource], new: Sequence[Resource], origin: Origin) -> None:
        self.budget.spend_objects(len(new), origin)
        seen = {_identity(resource) for resource in resources}
        for resource in new:
            identity = _identity(resource)
            if identity in seen:
                raise BuildError(f"{resource.kind} {resource.name} is included twice (kustomize refuses an "
                                 "already registered id)", origin)
            seen.add(identity)
            resources.append(resource)

    # --- generators --------------------------------------------------------------------------

    def _generators(self, kustomization: Kustomization, resources: List[Resource], depth: int,
                    stack: Tuple[str, ...]) -> None:
        options = kustomization.node.get("generatorOptions")
        for field, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for entry in kustomization.list(field):
                with self._through(kustomization, entry.origin):
                    self._generate(kustomization, entry, kind, options, resources)
        for entry in kustomization.list("generators"):
            with self._through(kustomization, entry.origin):
                for config in self._configs(kustomization, entry, depth, stack):
                    kind = config.scalar("kind")
                    if config.scalar("apiVersion") == "builtin" and kind in ("ConfigMapGenerator", "SecretGenerator"):
                        self._generate(kustomization, config, kind[:-len("Generator")], None, resources)
                    else:
                        self._plugin_note(config, "generator")

    def _generate(self, kustomization: Kustomization, entry: Traced, kind: str, options: Optional[Traced],
                  resources: List[Resource]) -> None:
        if not isinstance(entry.value, dict) or not isinstance(entry.scalar("name"), str):
            raise BuildError(f"a {kind} generator entry needs a name", entry.origin)
        name_node = entry.get("name")
        data = Traced({}, name_node.origin)
        count = 0
        for literal in _items(entry.get("literals")):
            if not isinstance(literal.value, str) or "=" not in literal.value:
                raise BuildError("a literal is KEY=VALUE", literal.origin)
            key, _, value = literal.value.partition("=")
            data.value[key.strip()] = Traced(_unquote(value), literal.origin)
            count += 1
        for item in _items(entry.get("files")):
            if not isinstance(item.value, str):
                raise BuildError("a files entry is [KEY=]PATH", item.origin)
            key, _, relative = item.value.rpartition("=")
            relative = relative.strip()
            place, text = self._read_file(kustomization, relative, item.origin)
            data.value[key.strip() or os.path.basename(relative)] = Traced(text, Origin(Part(place.name, _FileLocator()), ()))
            count += 1
        for env in _items(entry.get("envs")) + _items(entry.get("env")):
            if not isinstance(env.value, str):
                raise BuildError("an envs entry is a path", env.origin)
            place, text = self._read_file(kustomization, env.value, env.origin)
            part = Part(place.name, _FileLocator())
            try:
                pairs = list(env_file_pairs(text, env.value))
            except ValueError as error:
                raise BuildError(str(error), env.origin) from None
            for number, key, value in pairs:
                data.value[key] = Traced(value, Origin(part, (number,)))
                count += 1
        self.budget.spend_entries(count, entry.origin)
        behavior = entry.scalar("behavior") or "create"
        namespace = entry.scalar("namespace")
        existing = None
        if behavior in ("merge", "replace"):
            for resource in resources:
                if resource.kind == kind and entry.scalar("name") in resource.names and \
                        (not namespace or resource.namespace == namespace):
                    existing = resource
                    break
            if existing is None:
                raise BuildError(f"behavior {behavior}: no {kind} {entry.scalar('name')} to {behavior}",
                                 entry.get("behavior").origin if entry.get("behavior") else entry.origin)
        field = "data"
        if kind == "Secret":
            data = Traced({key: Traced(base64.b64encode(str(value.value).encode()).decode(), value.origin)
                           for key, value in data.value.items()}, data.origin)
        if existing is not None:
            target = ensure_map(existing.node, field, data.origin)
            if behavior == "replace":
                target.value.clear()
            target.value.update(data.value)
            # kustomize merges the entry's labels and annotations into the object it merges into
            # or replaces, and the object keeps this entry's options (its name hash among them)
            hashed = self._options_metadata(existing.node.get("metadata"), options, entry)
            if hashed:
                self.hashed[id(existing)] = existing
            else:
                self.hashed.pop(id(existing), None)
            return
        obj = Traced({"apiVersion": Traced("v1", name_node.origin), "kind": Traced(kind, name_node.origin),
                      "metadata": Traced({"name": copy(name_node)}, name_node.origin)}, entry.origin)
        if isinstance(namespace, str):
            obj.value["metadata"].value["namespace"] = copy(entry.get("namespace"))
        if kind == "Secret":
            kind_type = entry.get("type")
            obj.value["type"] = copy(kind_type) if kind_type is not None else Traced("Opaque", name_node.origin)
        obj.value[field] = data
        hashed = self._options_metadata(obj.value["metadata"], options, entry)
        for opts in (options, entry.get("options")):
            if opts is not None and isinstance(opts.value, dict) and opts.scalar("immutable") is True:
                obj.value["immutable"] = copy(opts.get("immutable"))
        resource = Resource(obj, None)
        if hashed:
            self.hashed[id(resource)] = resource
        self._add(resources, [resource], entry.origin)

    @staticmethod
    def _options_metadata(metadata: Traced, options: Optional[Traced], entry: Traced) -> bool:
        """Set the generatorOptions' and the entry's own labels and annotations on ``metadata``;
        whether the name takes a content hash (either may disable it)."""
        hashed = True
        for opts in (options, entry.get("options")):
            if opts is None or not isinstance(opts.value, dict):
                continue
            for meta in ("labels", "annotations"):
                values = opts.get(meta)
                if values is not None and isinstance(values.value, dict):
                    target = ensure_map(metadata, meta, values.origin)
                    for key, value in values.value.items():
                        target.value[key] = copy(value)
            if opts.scalar("disableNameSuffixHash") is True:
                hashed = False
        return hashed

    # --- transformers ------------------------------------------------------------------------

    def _transform(self, kustomization: Kustomization, resources: List[Resource], depth: int,
                   stack: Tuple[str, ...]) -> None:
        node = kustomization.node
        for entry in kustomization.list("patchesStrategicMerge"):
            with self._through(kustomization, entry.origin):
                for patch in self._patch_documents(kustomization, entry, entry):
                    self._strategic(resources, patch, None, entry.origin)
        for entry in kustomization.list("patches"):
            with self._through(kustomization, entry.origin):
                self._patches_entry(kustomization, entry, resources, json_only=False)
        if node.get("namespace") is not None and isinstance(node.scalar("namespace"), str):
            self._namespace(resources, node.get("namespace"))
        prefix, suffix = node.get("namePrefix"), node.get("nameSuffix")
        if (prefix is not None and prefix.value) or (suffix is not None and suffix.value):
            self._prefix_suffix(resources, prefix, suffix)
        labels = node.get("commonLabels")
        if labels is not None and isinstance(labels.value, dict):
            self._labels(resources, labels, selectors=True, templates=True)
            for resource in resources:
                self._configured(self.config.labels, resource, labels)
        for entry in kustomization.list("labels"):
            pairs = entry.get("pairs")
            if pairs is not None and isinstance(pairs.value, dict):
                selectors = entry.scalar("includeSelectors") is True
                self._labels(resources, pairs, selectors=selectors,
                             templates=selectors or entry.scalar("includeTemplates") is True)
                with self._through(kustomization, entry.origin):
                    specs = [fieldspecs.read_spec(spec) for spec in _items(entry.get("fields"))]
                for resource in resources:  # the entry's own fields: field specs it adds
                    self._configured(specs, resource, pairs)
        annotations = node.get("commonAnnotations")
        if annotations is not None and isinstance(annotations.value, dict):
            self._annotations(resources, annotations)
            for resource in resources:
                self._configured(self.config.annotations, resource, annotations)
        for entry in kustomization.list("patchesJson6902"):
            with self._through(kustomization, entry.origin):
                self._patches_entry(kustomization, entry, resources, json_only=True)
        for entry in kustomization.list("replicas"):
            self._replicas(resources, entry)
        for entry in kustomization.list("images"):
            with self._through(kustomization, entry.origin):
                self._images(resources, entry)
        for entry in kustomization.list("replacements"):
            with self._through(kustomization, entry.origin):
                self._replacement_entry(kustomization, entry, resources)
        for entry in kustomization.list("transformers"):
            with self._through(kustomization, entry.origin):
                for config in self._configs(kustomization, entry, depth, stack):
                    with self._through(kustomization, entry.origin):
                        self._builtin_transformer(kustomization, config, resources)

    def _configs(self, kustomization: Kustomization, entry: Traced, depth: int,
                 stack: Tuple[str, ...]) -> List[Traced]:
        """The plugin configurations a ``transformers:``/``generators:`` entry names: an inline
        mapping, a file, or a directory whose kustomization builds them."""
        if isinstance(entry.value, dict):
            return [entry]
        if isinstance(entry.value, str) and "\n" in entry.value:
            return inline_documents(entry, kustomization.text, entry.origin)
        if not isinstance(entry.value, str):
            raise BuildError("a transformers/generators entry is a path or a configuration", entry.origin)
        if is_remote(entry.value):
            span = entry.origin.span("value")
            self.notes.append(f"{entry.origin.part.file}:{span.line}: remote configuration {entry.value} skipped "
                              "(lintra never fetches anything)")
            return []
        place = kustomization.directory.join(entry.value)
        self._inside(place, entry.origin)
        if os.path.isdir(place.path):
            return [resource.node for resource in self._nested(place, entry.origin, depth, stack, "Kustomization")]
        place, text = self._read_file(kustomization, entry.value, entry.origin)
        return [document for document in parse_documents(text, place.name, entry.origin) if document.value is not None]

    def _plugin_note(self, config: Traced, what: str) -> None:
        span = config.origin.span("key")
        self.notes.append(f"{config.origin.part.file}:{span.line}: {what} {config.scalar('apiVersion')}/"
                          f"{config.scalar('kind')} is not a builtin and is not run (plugins run code)")

    def _builtin_transformer(self, kustomization: Kustomization, config: Traced, resources: List[Resource]) -> None:
        kind = config.scalar("kind")
        if config.scalar("apiVersion") != "builtin" or not isinstance(config.value, dict):
            self._plugin_note(config, "transformer")
            return
        selected = resources
        if kind == "ImageTagTransformer":
            image = config.get("imageTag")
            if image is not None:
                self._images(selected, image)
        elif kind == "PatchTransformer":
            self._patches_entry(kustomization, config, resources, json_only=False)
        elif kind == "PatchStrategicMergeTransformer":
            for path in _items(config.get("paths")):
                for patch in self._patch_documents(kustomization, path, path):
                    self._strategic(resources, patch, None, path.origin)
            patches = config.get("patches")
            if patches is not None and isinstance(patches.value, str):
                for patch in inline_documents(patches, None, patches.origin):
                    self._strategic(resources, patch, None, patches.origin)
        elif kind == "PatchJson6902Transformer":
            self._patches_entry(kustomization, config, resources, json_only=True)
        elif kind == "ReplacementTransformer":
            for entry in _items(config.get("replacements")):
                self._replacement_entry(kustomization, entry, resources)
        elif kind == "NamespaceTransformer":
            namespace = config.at("metadata", "namespace")
            if namespace is not None:
                self._namespace(resources, namespace)
        elif kind in ("PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer"):
            self._prefix_suffix(resources, config.get("prefix"), config.get("suffix"))
        elif kind == "LabelTransformer":
            labels = config.get("labels")
            if labels is not None and isinstance(labels.value, dict):
                self._labels(resources, labels, selectors=False, templates=False)
        elif kind == "AnnotationsTransformer":
            annotations = config.get("annotations")
            if annotations is not None and isinstance(annotations.value, dict):
                self._annotations(resources, annotations)
        elif kind == "ReplicaCountTransformer":
            replica = config.get("replica")
            if replica is not None:
                self._replicas(resources, replica)
        else:
            self._plugin_note(config, "transformer")

    # patches

    def _patch_documents(self, kustomization: Kustomization, entry: Traced, where: Traced) -> List[Traced]:
        """The patch documents an entry names: inline text or a file path."""
        value = entry.value
        if isinstance(value, dict):
            return [entry]
        if not isinstance(value, str):
            raise BuildError("a patch is a path or inline text", entry.origin)
        if "\n" in value or value.lstrip().startswith(("{", "[", "-")) or ": " in value:
            return [document for document in inline_documents(entry, kustomization.text, where.origin)
                    if document.value is not None]
        place, text = self._read_file(kustomization, value, entry.origin)
        return [document for document in parse_documents(text, place.name, entry.origin)
                if document.value is not None]

    def _patches_entry(self, kustomization: Kustomization, entry: Traced, resources: List[Resource],
                       json_only: bool) -> None:
        if not isinstance(entry.value, dict):
            raise BuildError("a patches entry is a mapping with path or patch (and target); kustomize v5 refuses "
                             "a plain string", entry.origin)
        path, inline = entry.get("path"), entry.get("patch")
        if (path is None) == (inline is None):
            raise BuildError("a patch has exactly one of path and patch", entry.origin)
        documents = self._patch_documents(kustomization, inline if inline is not None else path, entry)
        documents = [document for document in documents if document.value is not None]
        target = entry.get("target")
        for document in documents:
            if isinstance(document.value, list):
                if not document.value and not json_only:
                    raise BuildError("the patch is empty: it illegally qualifies as both a strategic merge and a "
                                     "JSON patch", (path or inline).origin)
                if target is None:
                    raise BuildError("a JSON patch needs a target", entry.origin)
                matched = self._select(resources, target)
                for resource in matched:
                    patched = json_patch(resource.node, document)
                    if patched is not None:
                        resource.node = patched
            elif json_only:
                raise BuildError("a patchesJson6902 patch is a list of operations", document.origin)
            elif isinstance(document.value, dict):
                self._strategic(resources, document, target, entry.origin)
            else:
                raise BuildError("a patch is a mapping (strategic merge) or a list (JSON patch)", document.origin)

    def _strategic(self, resources: List[Resource], patch: Traced, target: Optional[Traced], origin: Origin) -> None:
        if not isinstance(patch.value, dict):
            raise BuildError("a strategic merge patch is a mapping", patch.origin)
        if target is not None:
            matched = self._select(resources, target)
        else:
            kind = patch.scalar("kind")
            name = patch.scalar("metadata", "name")
            namespace = patch.scalar("metadata", "namespace")
            api = patch.scalar("apiVersion")
            group = api.rpartition("/")[0] if isinstance(api, str) else None
            matched = [resource for resource in resources
                       if resource.kind == kind and name in resource.names
                       and (group is None or resource.group_version[0] == group)
                       and (not namespace or not resource.namespace or namespace in resource.effective_namespaces())]
            if not matched:
                if self.remote:  # it may patch what the skipped remote resource holds
                    span = patch.origin.span("key")
                    self.notes.append(f"{patch.origin.part.file}:{span.line}: the patch's target {kind} {name} is "
                                      "not among the resources read (a skipped remote resource may hold it)")
                    return
                raise BuildError(f"the patch's target {kind} {name} is not among the resources", patch.origin)
        for resource in matched:
            merged = strategic_merge(resource.node, patch)
            if merged is None:
                resources.remove(resource)
                continue
            # a patch never renames or re-kinds: kustomize refuses that unless allowNameChange
            for field in ("apiVersion", "kind"):
                if resource.node.get(field) is not None:
                    merged.value[field] = resource.node.value[field]
            meta = merged.get("metadata")
            name_node = resource.node.at("metadata", "name")
            if meta is not None and name_node is not None and isinstance(meta.value, dict):
                meta.value["name"] = name_node
            # nor does it move the object: kustomize's ApplySmPatch sets the namespace back
            namespace_node = resource.node.at("metadata", "namespace")
            if meta is not None and isinstance(meta.value, dict):
                if namespace_node is not None:
                    meta.value["namespace"] = namespace_node
                else:
                    meta.value.pop("namespace", None)
            resource.node = merged

    def _select(self, resources: List[Resource], target: Traced) -> List[Resource]:
        if not isinstance(target.value, dict):
            raise BuildError("a target is a mapping of group, version, kind, name, namespace and selectors",
                             target.origin)
        fields = {key: target.scalar(key) for key in ("group", "version", "kind", "name", "namespace",
                                                       "labelSelector", "annotationSelector")}
        return [resource for resource in resources if _matches(resource, fields, target.origin)]

    # simple transformers

    def _namespace(self, resources: List[Resource], namespace: Traced) -> None:
        for resource in resources:
            if resource.kind in CLUSTER_SCOPED:
                if resource.kind in ("ClusterRoleBinding",):
                    self._subjects_namespace(resource, namespace)
                if resource.kind.endswith("WebhookConfiguration"):
                    for hook in _items(resource.node.get("webhooks")):
                        service = hook.at("clientConfig", "service")
                        if service is not None and isinstance(service.value, dict):
                            service.value["namespace"] = copy(namespace)
                continue
            meta = ensure_map(resource.node, "metadata", namespace.origin)
            meta.value["namespace"] = copy(namespace)
            if resource.kind == "RoleBinding":
                self._subjects_namespace(resource, namespace)

    def _subjects_namespace(self, resource: Resource, namespace: Traced) -> None:
        for subject in _items(resource.node.get("subjects")):
            if subject.scalar("kind") == "ServiceAccount" and subject.scalar("namespace") in (None, "", "default"):
                subject.value["namespace"] = copy(namespace)

    def _prefix_suffix(self, resources: List[Resource], prefix: Optional[Traced], suffix: Optional[Traced]) -> None:
        before = prefix.value if prefix is not None and isinstance(prefix.value, str) else ""
        after = suffix.value if suffix is not None and isinstance(suffix.value, str) else ""
        for resource in list(resources):
            if resource.kind in ("CustomResourceDefinition", "APIService", "Namespace") or not resource.name:
                continue
            self._rename(resources, resource, before + resource.name + after)

    def _rename(self, resources: List[Resource], resource: Resource, new: str) -> None:
        old = resource.name
        meta = resource.node.get("metadata")
        node = meta.get("name") if meta is not None else None
        if node is None:
            return
        meta.value["name"] = Traced(new, node.origin)
        resource.names.append(new)
        # references follow at the end of this kustomization's build, as kustomize's
        # nameReference transformer runs after its patches
        self.renames.append((resource.kind, old, new))

    def _labels(self, resources: List[Resource], labels: Traced, selectors: bool, templates: bool) -> None:
        for resource in resources:
            meta = ensure_map(resource.node, "metadata", labels.origin)
            _set_all(ensure_map(meta, "labels", labels.origin), labels)
            kind = resource.kind
            if templates:
                for template in _pod_templates(resource.node, kind):
                    _set_all(ensure_map(ensure_map(template, "metadata", labels.origin), "labels", labels.origin),
                             labels)
            if selectors:
                spec = resource.node.get("spec")
                if spec is None or not isinstance(spec.value, dict):
                    continue
                if kind == "Service" or kind == "ReplicationController":
                    _set_all(ensure_map(spec, "selector", labels.origin), labels)
                elif kind in _SELECTING:
                    selector = ensure_map(spec, "selector", labels.origin)
                    _set_all(ensure_map(selector, "matchLabels", labels.origin), labels)

    def _annotations(self, resources: List[Resource], annotations: Traced) -> None:
        for resource in resources:
            meta = ensure_map(resource.node, "metadata", annotations.origin)
            _set_all(ensure_map(meta, "annotations", annotations.origin), annotations)
            for template in _pod_templates(resource.node, resource.kind):
                _set_all(ensure_map(ensure_map(template, "metadata", annotations.origin), "annotations",
                                    annotations.origin), annotations)

    def _replicas(self, resources: List[Resource], entry: Traced) -> None:
        name, count = entry.scalar("name"), entry.get("count")
        if count is None:
            return
        for resource in resources:
            if name in resource.names and resource.kind in _REPLICATED:
                ensure_map(resource.node, "spec", entry.origin).value["replicas"] = copy(count)

    def _images(self, resources: List[Resource], entry: Traced) -> None:
        name = entry.scalar("name")
        if not isinstance(name, str):
            raise BuildError("an images entry needs the name of the image it changes", entry.origin)
        new_name, new_tag, digest, suffix = (entry.get(key) for key in ("newName", "newTag", "digest", "tagSuffix"))
        if all(node is None for node in (new_name, digest, new_tag, suffix)):
            return
        for resource in resources:
            group, version = resource.group_version
            slots = [(container, "image") for container in _containers(resource.node)]
            slots += [(parent, key) for spec in self.config.images
                      if fieldspecs.applies(spec, resource.kind, group, version)
                      for parent, key in fieldspecs.slots(resource.node, spec["path"])]
            for container, key in slots:
                image = container.value[key] if isinstance(container.value, list) else container.get(key)
                if image is None or not isinstance(image.value, str):
                    continue
                repository, tag, sha = split_image(image.value)
                if repository != name:
                    continue
                if new_name is not None and isinstance(new_name.value, str):
                    repository = new_name.value
                if new_tag is not None and new_tag.value is not None:
                    tag, sha = str(new_tag.value), sha if digest is not None else None
                if suffix is not None and suffix.value is not None:
                    tag = (tag or "") + str(suffix.value)
                if digest is not None and digest.value is not None:
                    sha = str(digest.value)
                    tag = tag if new_tag is not None else None
                value = repository + (f":{tag}" if tag else "") + (f"@{sha}" if sha else "")
                # the registry and repository are what couple an image: a new tag or digest
                # leaves the value where its name is written (the base), newName moves it here
                where = new_name.origin if new_name is not None else image.origin
                container.value[key] = Traced(value, where)

    # replacements

    def _replacement_entry(self, kustomization: Kustomization, entry: Traced, resources: List[Resource]) -> None:
        path = entry.get("path")
        if path is not None and isinstance(path.value, str):
            place, text = self._read_file(kustomization, path.value, path.origin)
            for document in parse_documents(text, place.name, path.origin):
                for replacement in (document.value if isinstance(document.value, list) else [document]):
                    self._replace(replacement, resources)
            return
        self._replace(entry, resources)

    def _replace(self, replacement: Traced, resources: List[Resource]) -> None:
        if not isinstance(replacement.value, dict):
            raise BuildError("a replacement is a mapping with source and targets", replacement.origin)
        source_value = replacement.get("sourceValue")
        if source_value is not None:
            value = source_value
        else:
            source = replacement.get("source")
            if source is None or not isinstance(source.value, dict):
                raise BuildError("a replacement needs source or sourceValue", replacement.origin)
            fields = {key: source.scalar(key) for key in ("group", "version", "kind", "name", "namespace")}
            found = [resource for resource in resources if _matches(resource, fields, source.origin, exact=True)]
            if not found and self.remote:
                span = source.origin.span("key")
                self.notes.append(f"{source.origin.part.file}:{span.line}: replacement source not among the resources "
                                  "read (a skipped remote resource may hold it): not applied")
                return
            if len(found) != 1:
                raise BuildError(f"the replacement source matches {len(found)} resources, not one", source.origin)
            field_path = source.scalar("fieldPath") or "metadata.name"
            nodes = _field_nodes(found[0].node, _field_path(field_path), create=False)
            if not nodes:
                raise BuildError(f"the replacement source has no field {field_path}", source.origin)
            value = nodes[0]
            options = source.get("options")
            if options is not None and isinstance(value.value, str) and options.scalar("delimiter") is not None:
                parts = value.value.split(str(options.scalar("delimiter")))
                index = options.scalar("index") or 0
                if isinstance(index, int) and 0 <= index < len(parts):
                    value = Traced(parts[index], value.origin)
        for target in _items(replacement.get("targets")):
            select = target.get("select")
            if select is None or not isinstance(select.value, dict):
                raise BuildError("a replacement target needs select", target.origin)
            fields = {key: select.scalar(key) for key in ("group", "version", "kind", "name", "namespace",
                                                          "labelSelector", "annotationSelector")}
            rejects = [{key: reject.scalar(key) for key in fields} for reject in _items(target.get("reject"))]
            options = target.get("options")
            create = options is not None and options.scalar("create") is True
            for resource in resources:
                if not _matches(resource, fields, select.origin) or \
                        any(_matches(resource, reject, select.origin) for reject in rejects):
                    continue
                for field_path in _items(target.get("fieldPaths")):
                    if not isinstance(field_path.value, str):
                        continue
                    slots = _field_slots(resource.node, _field_path(field_path.value), create)
                    if not slots and not create:
                        # kustomize v5 refuses a target that lacks the field unless options.create
                        raise BuildError(f"unable to find field {field_path.value!r} in replacement target "
                                         f"{resource.kind} {resource.name} (kustomize v5 refuses it without "
                                         "options.create)", field_path.origin)
                    for node, parent, key in slots:
                        parent.value[key] = _replaced(node, value, options)


# --- helpers ------------------------------------------------------------------------------------

class _FileLocator(Locator):
    """A generator's file or env file: pointer ``(line,)`` is that line, anything else line 1."""

    __slots__ = ()

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        line = pointer[0] if pointer and isinstance(pointer[0], int) else 1
        return Span(line, 1)


def _items(node: Optional[Traced]) -> List[Traced]:
    return node.value if node is not None and isinstance(node.value, list) else []


def _text(origin: Origin) -> str:
    span = origin.span("value")
    return f"{origin.part.file}:{span.line}"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _hash_name(digest: str) -> str:
    alphabet = "bcdfghkmt"  # kustomize encodes its hash without vowels, so names spell no words
    return "".join(alphabet[int(ch, 16) % len(alphabet)] for ch in digest[:10])


def _identity(resource: Resource) -> Tuple[str, str, str, str, str]:
    group, version = resource.group_version
    return group, version, resource.kind, resource.namespace, resource.name


def split_image(image: str) -> Tuple[str, Optional[str], Optional[str]]:
    """``registry/repo:tag@sha256:...`` -> (name, tag, digest), as the images field matches names."""
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    tag = None
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        image, tag = image[:colon], image[colon + 1:]
    return image, tag, digest


_REGEX_CACHE: Dict[str, Any] = {}


def _regex_match(pattern: str, value: str) -> bool:
    """Target ``name``/``namespace`` are anchored regular expressions (kustomize uses Go's RE2).
    Patterns come from the scanned repository, so they run on RE2 too: linear time whatever the
    pattern; one RE2 cannot compile is compared literally."""
    matches = _REGEX_CACHE.get(pattern)
    if matches is None:
        import re2

        options = re2.Options()
        options.log_errors = False
        try:
            matches = re2.compile("(?:" + pattern + ")", options).fullmatch
        except (re2.error, UnicodeEncodeError):  # a lone surrogate is no UTF-8 RE2 can take
            matches = lambda text: text == pattern  # noqa: E731
        _REGEX_CACHE[pattern] = matches
    try:
        return bool(matches(value))
    except UnicodeEncodeError:  # a JSON resource's "\\ud800": RE2 matches UTF-8
        from lintra.policy.regex_safety import without_surrogates

        return bool(matches(without_surrogates(value)))


def _matches(resource: Resource, fields: Dict[str, Any], origin: Origin, exact: bool = False) -> bool:
    # an empty selector field selects every value, as in kustomize's selectors
    group, version = resource.group_version
    if fields.get("group") not in (None, "") and fields["group"] != group:
        return False
    if fields.get("version") not in (None, "") and fields["version"] != version:
        return False
    if fields.get("kind") not in (None, "") and fields["kind"] != resource.kind:
        return False
    name = fields.get("name")
    if name not in (None, ""):
        if exact:
            if str(name) not in resource.names:
                return False
        elif not any(_regex_match(str(name), candidate) for candidate in resource.names or [""]):
            return False
    namespace = fields.get("namespace")
    if namespace not in (None, ""):
        # the original or the current namespace, "default" where a namespaced object names none
        namespaces = resource.effective_namespaces()
        if exact and str(namespace) not in namespaces:
            return False
        if not exact and not any(_regex_match(str(namespace), candidate) for candidate in namespaces):
            return False
    for field, meta in (("labelSelector", "labels"), ("annotationSelector", "annotations")):
        selector = fields.get(field)
        if selector is not None and not _selected(str(selector), resource.labels(meta)):
            return False
    return True


_MAX_SELECTOR = 4096
#: a name kustomize takes as an environment variable's (k8s.io/apimachinery validation.IsEnvVarName;
#: which also refuses ".", ".." and a name starting with "..")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")


def env_file_pairs(text: str, name: str) -> Iterator[Tuple[int, str, str]]:
    """``(line, key, value)`` of each entry of an ``envs`` file, read as kustomize reads one
    (api/kv/kv.go ``keyValuesFromLine``): lines end at LF (a CR before it dropped), a BOM is
    dropped from the first, leading whitespace from each; a blank or ``#`` line is skipped;
    ``KEY=VALUE`` splits at the first ``=`` and keeps the value as written, trailing spaces
    included; a key that is no environment variable name is an error (ValueError). ``KEY`` alone takes the
    value of the variable in kustomize's own environment: lintra never reads its environment (the
    result would depend on the machine, and a secret of the CI runner would reach the report), so
    such a key is built with an empty value, as kustomize builds it where the variable is unset."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if number == 1:
            line = line[1:] if line.startswith("\ufeff") else line
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if not _ENV_NAME.fullmatch(key) or key in (".", "..") or key.startswith(".."):
            raise ValueError(f"{name}:{number}: {key!r} is not a valid environment variable name, "
                             "which kustomize refuses")
        yield number, key, value


_SET = re.compile(r"^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _selected(selector: str, labels: Dict[str, Any]) -> bool:
    """Kubernetes label selector syntax: ``k=v``, ``k==v``, ``k!=v``, ``k``, ``!k``, ``k in (a,b)``.
    A selector longer than any real one (a hostile file) selects nothing."""
    if len(selector) > _MAX_SELECTOR:
        return False
    for requirement in re.split(r",(?![^(]*\))", selector):
        requirement = requirement.strip()
        if not requirement:
            continue
        found = _SET.match(requirement)
        if found:
            key, op, values = found.groups()
            options = {value.strip() for value in values.split(",")}
            present = key in labels and str(labels[key]) in options
            if present != (op == "in"):
                return False
        elif "!=" in requirement:
            key, value = (part.strip() for part in requirement.split("!=", 1))
            if key in labels and str(labels[key]) == value:
                return False
        elif "=" in requirement:
            key, value = (part.strip() for part in requirement.replace("==", "=").split("=", 1))
            if key not in labels or str(labels[key]) != value:
                return False
        elif requirement.startswith("!"):
            if requirement[1:].strip() in labels:
                return False
        elif requirement not in labels:
            return False
    return True


def _matches_raw(resource: Resource, wanted: Dict[str, Any]) -> bool:
    """A var's objref: kind, group, version and namespace as given, the name as first written."""
    group, version = resource.group_version
    return (wanted["kind"] == resource.kind and bool(resource.names) and wanted["name"] == resource.names[0]
            and wanted["group"] in (None, group) and wanted["version"] in (None, version)
            and wanted["namespace"] in (None, "", resource.namespace))


def _set_all(target: Traced, values: Traced) -> None:
    for key, value in values.value.items():
        target.value[key] = copy(value)


def _pod_templates(node: Traced, kind: str) -> List[Traced]:
    """The pod templates of an object (where labels and annotations of its pods go), found as the
    Kubernetes domain module finds pods."""
    from lintra.domain.kubernetes import find_pods

    templates = []
    for pod in find_pods(plain(node)):
        # a PodTemplateSpec's metadata (not a SparkPodSpec's own labels or Argo's podMetadata)
        if pod.metadata is not None and len(pod.metadata) > 1 and pod.metadata[-1] == "metadata":
            parent = node.at(*pod.metadata[:-1])
            if parent is not None and isinstance(parent.value, dict):
                templates.append(parent)
    return templates


def _pod_specs(node: Traced) -> Iterator[Traced]:
    """Every pod spec of an object, at any depth (lintra.domain.kubernetes finds them by shape)."""
    from lintra.domain.kubernetes import find_pods

    for pod in find_pods(plain(node)):
        spec = node.at(*pod.spec)
        if spec is not None and isinstance(spec.value, dict):
            yield spec


def _containers(node: Traced) -> Iterator[Traced]:
    from lintra.domain.kubernetes import containers

    for pointer, _ in list(containers(plain(node))):
        if len(pointer) < 2 or pointer[-2] not in ("containers", "initContainers"):
            continue  # kustomize's image filter edits only items of containers/initContainers lists
        container = node.at(*pointer)
        if container is not None and isinstance(container.value, dict):
            yield container


#: name references kustomize's nameReference transformer updates, by referenced kind:
#: pod-spec fields as (path inside a pod spec) and object fields as (referring kind, path)
_POD_REFERENCES = {
    "ConfigMap": [("volumes", "*", "configMap", "name"), ("volumes", "*", "projected", "sources", "*", "configMap", "name"),
                  ("containers", "*", "env", "*", "valueFrom", "configMapKeyRef", "name"),
                  ("containers", "*", "envFrom", "*", "configMapRef", "name"),
                  ("initContainers", "*", "env", "*", "valueFrom", "configMapKeyRef", "name"),
                  ("initContainers", "*", "envFrom", "*", "configMapRef", "name")],
    "Secret": [("volumes", "*", "secret", "secretName"), ("volumes", "*", "projected", "sources", "*", "secret", "name"),
               ("containers", "*", "env", "*", "valueFrom", "secretKeyRef", "name"),
               ("containers", "*", "envFrom", "*", "secretRef", "name"),
               ("initContainers", "*", "env", "*", "valueFrom", "secretKeyRef", "name"),
               ("initContainers", "*", "envFrom", "*", "secretRef", "name"), ("imagePullSecrets", "*", "name")],
    "ServiceAccount": [("serviceAccountName",), ("serviceAccount",)],
    "PersistentVolumeClaim": [("volumes", "*", "persistentVolumeClaim", "claimName")],
    "PriorityClass": [("priorityClassName",)],
}
_OBJECT_REFERENCES = {
    "ServiceAccount": [("RoleBinding", ("subjects", "*", "name")), ("ClusterRoleBinding", ("subjects", "*", "name"))],
    "Role": [("RoleBinding", ("roleRef", "name"))],
    "ClusterRole": [("RoleBinding", ("roleRef", "name")), ("ClusterRoleBinding", ("roleRef", "name"))],
    "StorageClass": [("PersistentVolumeClaim", ("spec", "storageClassName")),
                     ("PersistentVolume", ("spec", "storageClassName")),
                     ("StatefulSet", ("spec", "volumeClaimTemplates", "*", "spec", "storageClassName"))],
    "PersistentVolume": [("PersistentVolumeClaim", ("spec", "volumeName"))],
    "IngressClass": [("Ingress", ("spec", "ingressClassName"))],
    "Service": [("StatefulSet", ("spec", "serviceName")), ("APIService", ("spec", "service", "name")),
                ("MutatingWebhookConfiguration", ("webhooks", "*", "clientConfig", "service", "name")),
                ("ValidatingWebhookConfiguration", ("webhooks", "*", "clientConfig", "service", "name")),
                ("Ingress", ("spec", "rules", "*", "http", "paths", "*", "backend", "service", "name")),
                ("Ingress", ("spec", "defaultBackend", "service", "name")),
                ("Ingress", ("spec", "rules", "*", "http", "paths", "*", "backend", "serviceName")),
                ("Ingress", ("spec", "backend", "serviceName")),
                ("HTTPRoute", ("spec", "rules", "*", "backendRefs", "*", "name"))],
    "Secret": [("ServiceAccount", ("secrets", "*", "name")), ("ServiceAccount", ("imagePullSecrets", "*", "name")),
               ("Ingress", ("spec", "tls", "*", "secretName")),
               ("StorageClass", ("parameters", "secretName")), ("StorageClass", ("parameters", "adminSecretName")),
               ("StorageClass", ("parameters", "userSecretName")), ("StorageClass", ("parameters", "secretRef")),
               ("PersistentVolume", ("spec", "azureFile", "secretName"))],
    "ConfigMap": [],
    "PersistentVolumeClaim": [],
    **{kind: [("HorizontalPodAutoscaler", ("spec", "scaleTargetRef", "name"))]
       for kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")},
}
_SUBJECT_KINDS = {"ServiceAccount"}


def _update_references(resource: Resource, kind: str, old: str, new: str) -> None:
    for path in _POD_REFERENCES.get(kind, ()):
        for spec in _pod_specs(resource.node):
            _replace_at(spec, path, old, new)
    for referrer, path in _OBJECT_REFERENCES.get(kind, ()):
        if resource.kind != referrer:
            continue
        if path[0] == "subjects":
            for subject in _items(resource.node.get("subjects")):
                if subject.scalar("kind") == kind:
                    _replace_at(subject, path[2:], old, new)
        elif path[0] == "roleRef" or path[:2] == ("spec", "scaleTargetRef"):
            if resource.node.scalar(*path[:-1], "kind") == kind:
                _replace_at(resource.node, path, old, new)
        else:
            _replace_at(resource.node, path, old, new)


def _replace_at(node: Traced, path: Tuple[str, ...], old: str, new: str) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in _items(node):
            _replace_at(item, rest, old, new)
        return
    if not isinstance(node.value, dict):
        return
    child = node.value.get(head)
    if child is None:
        return
    if not rest:
        if child.value == old:
            node.value[head] = Traced(new, child.origin)
        return
    _replace_at(child, rest, old, new)


def _field_path(text: str) -> List[str]:
    """kustomize's fieldPath: dot-separated, ``[key=value]`` selects a list element, ``[a.b/c]`` a key with dots."""
    parts, current, depth = [], "", 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [part for part in parts if part != ""]


def _step(node: Traced, part: str) -> List[Tuple[Traced, str]]:
    """(parent, key-or-index) slots ``part`` selects in ``node``."""
    if part.startswith("[") and part.endswith("]"):
        inner = part[1:-1]
        if "=" in inner and isinstance(node.value, list):
            key, _, wanted = inner.partition("=")
            return [(node, index) for index, item in enumerate(node.value)
                    if isinstance(item.value, dict) and str(item.scalar(key)) == wanted]
        part = inner
    if part == "*" and isinstance(node.value, list):
        return [(node, index) for index in range(len(node.value))]
    if isinstance(node.value, list) and part.isdigit():
        return [(node, int(part))] if int(part) < len(node.value) else []
    if isinstance(node.value, dict):
        return [(node, part)]
    return []


def _field_slots(root: Traced, parts: List[str], create: bool) -> List[Tuple[Optional[Traced], Traced, Any]]:
    slots: List[Tuple[Optional[Traced], Traced, Any]] = []
    frontier = [root]
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        following = []
        for node in frontier:
            for parent, key in _step(node, part):
                child = parent.value[key] if isinstance(parent.value, list) else parent.value.get(key)
                if last:
                    if child is not None or create:
                        slots.append((child, parent, key))
                elif child is not None:
                    following.append(child)
                elif create and isinstance(parent.value, dict):
                    parent.value[key] = Traced({}, parent.origin)
                    following.append(parent.value[key])
        frontier = following
    return slots


def _field_nodes(root: Traced, parts: List[str], create: bool) -> List[Traced]:
    return [node for node, _, _ in _field_slots(root, parts, create) if node is not None]


def _replaced(old: Optional[Traced], value: Traced, options: Optional[Traced]) -> Traced:
    if options is not None and old is not None and isinstance(old.value, str) and \
            options.scalar("delimiter") is not None:
        parts = old.value.split(str(options.scalar("delimiter")))
        index = options.scalar("index") or 0
        if isinstance(index, int) and 0 <= index < len(parts):
            parts[index] = str(plain(value))
            return Traced(str(options.scalar("delimiter")).join(parts), value.origin)
    return copy(value)


__all__ = ["Builder", "BuildError", "BuildLimit", "Resource", "split_image"]
