"""Field specs: where kustomize's transformers write, extended by a kustomization's ``configurations``.

A field spec names a field of some kinds: ``{group, version, kind, path: spec/template/spec/containers/image,
create}``; a list met on the way applies the rest of the path to each item, and a list of strings at
the end is each string (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configurations/,
https://github.com/kubernetes-sigs/kustomize/blob/master/examples/transformerconfigs/README.md).
A transformer configuration file may extend ``nameReference`` (fields that name another object,
renamed with it), ``commonLabels``, ``commonAnnotations``, ``images`` and ``varReference`` (fields
where ``$(VAR)`` is substituted); those are honoured. Its other sections (``namePrefix``,
``nameSuffix``, ``namespace``, ``replicas``, ``templateLabels``) are said in the root's record.

``vars`` (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/vars/) are resolved
once, over the whole build of the root, as kustomize resolves them after every transformation:
each var's value is the (transformed) field ``fieldref.fieldpath`` (default ``metadata.name``) of
the one object ``objref`` names by its name as written, substituted for ``$(NAME)`` in the
default var-reference fields (container ``command``, ``args``, ``env`` values and volume mount
paths of the workload kinds, Service ports, Ingress hosts and TLS, every object's labels:
kustomize's ``builtinpluginconsts/varreference.go``) and those the configurations add. A value
that is a whole reference carries the origin of the source field, so a finding lands where the
value is written; a reference inside a longer string keeps the string's own line.
"""

from __future__ import annotations

import re

from lintra.load.kustomize.files import BuildError
from lintra.load.kustomize.tree import Traced

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Tuple

#: sections of a transformer configuration lintra honours, and those it only reports
HONOURED = ("nameReference", "commonLabels", "commonAnnotations", "images", "varReference")
REPORTED = ("namePrefix", "nameSuffix", "namespace", "replicas", "templateLabels")

_WORKLOADS = {
    "CronJob": "spec/jobTemplate/spec/template/spec/",
    "DaemonSet": "spec/template/spec/", "Deployment": "spec/template/spec/", "Job": "spec/template/spec/",
    "Pod": "spec/", "ReplicaSet": "spec/template/spec/", "StatefulSet": "spec/template/spec/",
}
_DEFAULT_VAR_REFERENCES: List[Dict[str, Any]] = [
    {"kind": kind, "path": prefix + containers + "/" + field}
    for kind, prefix in _WORKLOADS.items()
    for containers in ("containers", "initContainers")
    for field in ("args", "command", "env/value", "volumeMounts/mountPath")
] + [
    {"kind": "Ingress", "path": "spec/rules/host"}, {"kind": "Ingress", "path": "spec/tls/hosts"},
    {"kind": "Ingress", "path": "spec/tls/secretName"},
    {"kind": "Service", "path": "spec/ports/port"}, {"kind": "Service", "path": "spec/ports/targetPort"},
    {"path": "metadata/labels"},
]

_VAR = re.compile(r"\$\(([A-Za-z0-9_.\-]+)\)")
_MAX_SPECS = 4096  # more field specs than any real configuration: a hostile file


class Config:
    """The field specs of one build: the kustomization's own configurations and its bases'."""

    __slots__ = ("name_references", "labels", "annotations", "images", "var_references")

    def __init__(self) -> None:
        #: (referenced kind, referenced group or None, field spec)
        self.name_references: List[Tuple[str, Optional[str], Dict[str, Any]]] = []
        self.labels: List[Dict[str, Any]] = []
        self.annotations: List[Dict[str, Any]] = []
        self.images: List[Dict[str, Any]] = []
        self.var_references: List[Dict[str, Any]] = []

    def merge(self, other: "Config") -> None:
        """Add ``other``'s specs not already here (a base's configurations join its user's)."""
        for field in self.__slots__:
            mine = getattr(self, field)
            known = {_key(item) for item in mine}
            for item in getattr(other, field):
                if _key(item) not in known:
                    known.add(_key(item))
                    mine.append(item)
        if self.size() > _MAX_SPECS:
            raise BuildError(f"the transformer configurations hold more than {_MAX_SPECS} field specs", None)

    def size(self) -> int:
        return sum(len(getattr(self, field)) for field in self.__slots__)

    def read(self, document: Traced) -> List[str]:
        """Add the sections of one configuration document; return the sections it does not honour."""
        if document.value is None:
            return []
        if not isinstance(document.value, dict):
            raise BuildError("a transformer configuration is a mapping of field spec lists", document.origin)
        unhonoured = []
        for section, node in document.value.items():
            if section == "nameReference":
                for item in _list(node, section):
                    kind = item.scalar("kind")
                    if not isinstance(kind, str):
                        raise BuildError("a nameReference entry names the kind it refers to", item.origin)
                    group = item.scalar("group")
                    for spec in _list(item.get("fieldSpecs"), "fieldSpecs"):
                        self.name_references.append((kind, group if isinstance(group, str) else None,
                                                     read_spec(spec)))
            elif section in ("commonLabels", "commonAnnotations", "images", "varReference"):
                target = {"commonLabels": self.labels, "commonAnnotations": self.annotations,
                          "images": self.images, "varReference": self.var_references}[section]
                target.extend(read_spec(spec) for spec in _list(node, section))
            else:
                unhonoured.append(section)
            if self.size() > _MAX_SPECS:
                raise BuildError(f"the transformer configurations hold more than {_MAX_SPECS} field specs",
                                 node.origin)
        return unhonoured


def applies(spec: Dict[str, Any], kind: str, group: str, version: str) -> bool:
    return (spec.get("kind") in (None, kind) and spec.get("group") in (None, group)
            and spec.get("version") in (None, version))


def slots(node: Traced, path: str, create: bool = False) -> Iterator[Tuple[Traced, Any]]:
    """(parent, key or index) of every value a field spec path reaches."""
    parts = [part for part in path.split("/") if part]
    yield from _walk(node, parts, create)


def _walk(node: Traced, parts: List[str], create: bool) -> Iterator[Tuple[Traced, Any]]:
    if isinstance(node.value, list):
        for item in list(node.value):
            yield from _walk(item, parts, create)
        return
    if not parts or not isinstance(node.value, dict):
        return
    head, rest = parts[0], parts[1:]
    child = node.value.get(head)
    if not rest:
        if child is not None and isinstance(child.value, list) and all(
                not isinstance(item.value, (dict, list)) for item in child.value):
            for index in range(len(child.value)):
                yield child, index
        elif child is not None or create:
            yield node, head
        return
    if child is None:
        if not create:
            return
        child = node.value[head] = Traced({}, node.origin)
    yield from _walk(child, rest, create)


def default_var_references() -> List[Dict[str, Any]]:
    return list(_DEFAULT_VAR_REFERENCES)


def substitute(node: Traced, values: Dict[str, Traced], used: set, spend) -> Optional[Traced]:
    """``node`` with ``$(VAR)`` replaced; None when it holds no known reference. A mapping (the
    labels) has its values substituted in place. ``spend(size)`` is charged with each new string:
    one long value referenced everywhere must not grow the build without bound."""
    if isinstance(node.value, dict):
        for key, child in list(node.value.items()):
            replaced = substitute(child, values, used, spend)
            if replaced is not None:
                node.value[key] = replaced
        return None
    if not isinstance(node.value, str) or "$(" not in node.value:
        return None
    whole = _VAR.fullmatch(node.value)
    if whole and whole.group(1) in values:
        used.add(whole.group(1))
        source = values[whole.group(1)]
        return Traced(source.value, source.origin)
    hit = False

    def replace(match: "re.Match[str]") -> str:
        nonlocal hit
        known = values.get(match.group(1))
        if known is None:
            return match.group(0)
        used.add(match.group(1))
        hit = True
        return str(known.value)

    text = _VAR.sub(replace, node.value)
    if not hit:
        return None
    spend(len(text))
    return Traced(text, node.origin)


def _key(item: Any) -> Any:
    if isinstance(item, dict):
        return tuple(sorted(item.items()))
    return tuple(_key(part) for part in item) if isinstance(item, tuple) else item


def _list(node: Optional[Traced], field: str) -> List[Traced]:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, list):
        raise BuildError(f"{field} must be a list of field specs", node.origin)
    return node.value


def read_spec(node: Traced) -> Dict[str, Any]:
    if not isinstance(node.value, dict) or not isinstance(node.scalar("path"), str):
        raise BuildError("a field spec is a mapping with a path (and kind, group, version, create)", node.origin)
    spec = {key: node.scalar(key) for key in ("group", "version", "kind", "path")}
    spec["create"] = node.scalar("create") is True
    return {key: value for key, value in spec.items() if value is not None}
