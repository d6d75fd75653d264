"""The selector language of policy packs: paths into a document, and conditions on what is there.

A *path* is dotted segments: ``spec.volumes[*].vsphereVolume``. A segment is a key (``spec``), a
quoted key (``["ncp/ingress-controller"]`` or ``metadata.annotations["a.b/c"]``), ``*`` (every
value of a mapping), ``[*]`` (every item of a list), ``[N]`` (one item), or ``**`` (this node and
every node below it). A path may start with a macro that knows where Kubernetes keeps pod specs:
``@pod`` (the pod spec of any pod-bearing kind), ``@podmeta`` (the metadata beside it: a Pod's own,
a workload's pod template's), ``@containers`` (every container, init and ephemeral container in
the pod spec), and ``@nodekeys`` (every node label or taint key the object schedules or provisions
against).

Why not jsonpath-ng or jmespath: both return values, not the path that led to each value, and
lintra must turn every hit back into file:line:column; the subset we need compiles to a few
generator steps that yield ``(pointer, key, value)`` directly.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, List, Tuple

from lintra.model import Pointer

Step = Callable[[Pointer, Any, Any], Iterator[Tuple[Pointer, Any, Any]]]

#: Where each pod-bearing kind keeps its pod spec. A Knative Revision inlines the pod spec in
#: ``spec`` (RevisionSpec embeds corev1.PodSpec).
POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Revision": ("spec",),
}
#: Kinds with the pod spec at ``spec.template.spec``: the workload controllers, Argo Rollouts,
#: Knative Services and Configurations, and OpenShift DeploymentConfigs.
TEMPLATED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                             "ReplicationController", "Rollout", "Service", "DeploymentConfig",
                             "Configuration"})
#: Kind names that bear pods only in Knative's API group (a core Service has no pods).
KNATIVE_KINDS = frozenset({"Service", "Configuration", "Revision"})
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


class SelectorError(ValueError):
    """A selector that cannot compile; ``pointer`` is where in the rule it is written."""

    def __init__(self, message: str, pointer: Pointer = ()) -> None:
        super().__init__(message)
        self.pointer = tuple(pointer)


def pod_spec_pointer(data: Any) -> Pointer:
    """The pointer to the pod spec of a Kubernetes object, or None when it bears no pods."""
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if kind in KNATIVE_KINDS and not str(data.get("apiVersion", "")).startswith("serving.knative.dev/"):
        return None
    path = POD_SPEC_PATHS.get(kind)
    if path is None and kind in TEMPLATED_KINDS:
        path = ("spec", "template", "spec")
    if path is None:
        return None
    node = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return path if isinstance(node, dict) else None


_SEGMENT = re.compile(r"""
    \[\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<idx>-?\d+)|(?P<all>\*))\s*\]
  | (?P<name>[^.\[\]]+)
  | (?P<dot>\.)
""", re.X)


def compile_path(path: str, at: Pointer = ()) -> List[Step]:
    """Compile ``path``; ``at`` is where it is written, for the error of a path that cannot compile."""
    if not isinstance(path, str) or not path.strip():
        raise SelectorError("a path must be a non-empty string", at)
    steps: List[Step] = []
    text = path.strip()
    if text.startswith("@"):
        macro, _, text = text.partition(".")
        if macro == "@pod":
            steps.append(_pod)
        elif macro == "@podmeta":
            steps.append(_pod_metadata)
        elif macro == "@containers":
            steps.extend((_pod, _containers))
        elif macro == "@nodekeys":
            steps.append(_node_keys)
        else:
            raise SelectorError(f"unknown path macro {macro!r} (known: @pod, @podmeta, @containers, @nodekeys)", at)
    pos = 0
    while pos < len(text):
        match = _SEGMENT.match(text, pos)
        if match is None:
            raise SelectorError(f"cannot read path {path!r} at {text[pos:]!r}", at)
        pos = match.end()
        if match.group("dot"):
            continue
        if match.group("all"):
            steps.append(_items)
        elif match.group("idx") is not None:
            steps.append(_index(int(match.group("idx"))))
        elif match.group("name") is not None:
            name = match.group("name").strip()
            steps.append(_values if name == "*" else _descend if name == "**" else _key(name))
        else:
            quoted = match.group("dq")
            steps.append(_key(quoted.replace('\\"', '"') if quoted is not None else match.group("sq")))
    return steps


def evaluate(steps: List[Step], data: Any) -> Iterator[Tuple[Pointer, Any, Any]]:
    """Every ``(pointer, key, value)`` the path reaches in ``data``."""
    current: List[Tuple[Pointer, Any, Any]] = [((), None, data)]
    for step in steps:
        current = [out for pointer, key, value in current for out in step(pointer, key, value)]
        if not current:
            return iter(())
    return iter(current)


def _key(name: str) -> Step:
    def step(pointer, key, value):
        if isinstance(value, dict) and name in value:
            yield pointer + (name,), name, value[name]
    return step


def _index(i: int) -> Step:
    def step(pointer, key, value):
        if isinstance(value, list) and -len(value) <= i < len(value):
            j = i % len(value)
            yield pointer + (j,), j, value[j]
    return step


def _values(pointer, key, value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield pointer + (k,), k, v


def _items(pointer, key, value):
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield pointer + (i,), i, v


def _descend(pointer, key, value):
    stack = [(pointer, key, value)]
    while stack:
        item = stack.pop()
        yield item
        p, _, v = item
        if isinstance(v, dict):
            stack.extend((p + (k,), k, c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((p + (i,), i, c) for i, c in reversed(list(enumerate(v))))


def _pod(pointer, key, value):
    path = pod_spec_pointer(value)
    if path:
        node = value
        for part in path:
            node = node[part]
        yield pointer + path, path[-1], node


def _pod_metadata(pointer, key, value):
    """The metadata of the pods an object stamps out: beside the pod spec (``template.metadata``
    of a workload, a Pod's own ``metadata``), where pod annotations that webhooks read are written."""
    path = pod_spec_pointer(value)
    if path:
        path = path[:-1] + ("metadata",)
        node = value
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            yield pointer + path, path[-1], node


def _containers(pointer, key, value):
    if isinstance(value, dict):
        for field in CONTAINER_LISTS:
            items = value.get(field)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    yield pointer + (field, i), i, item


#: Where a pod spec names node label and taint keys: node selector and affinity terms,
#: (anti-)affinity and spread topology keys, tolerations. A path ending in ``*`` names the key of
#: each entry (nodeSelector maps label to value); the others end at the key string itself.
POD_NODE_KEYS = (
    "nodeSelector.*",
    "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[*]"
    ".matchExpressions[*].key",
    "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].preference"
    ".matchExpressions[*].key",
    "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[*].topologyKey",
    "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm.topologyKey",
    "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[*].topologyKey",
    "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm.topologyKey",
    "topologySpreadConstraints[*].topologyKey",
    "tolerations[*].key",
)
#: Objects other than pods that constrain nodes: ``kind -> (apiVersion prefix or "", paths)``.
OBJECT_NODE_KEYS = {
    "StorageClass": ("storage.k8s.io/", ("allowedTopologies[*].matchLabelExpressions[*].key",)),
    "PersistentVolume": ("v1", ("spec.nodeAffinity.required.nodeSelectorTerms[*].matchExpressions[*].key",)),
    "RuntimeClass": ("node.k8s.io/", ("scheduling.nodeSelector.*", "scheduling.tolerations[*].key")),
    "NodePool": ("karpenter.sh/", ("spec.template.spec.requirements[*].key",)),
    "NodeClaim": ("karpenter.sh/", ("spec.requirements[*].key",)),
    "Provisioner": ("karpenter.sh/", ("spec.requirements[*].key",)),
}
_POD_NODE_STEPS = [(compile_path(p), p.endswith("*")) for p in POD_NODE_KEYS]
_OBJECT_NODE_STEPS = {kind: (api, [(compile_path(p), p.endswith("*")) for p in paths])
                      for kind, (api, paths) in OBJECT_NODE_KEYS.items()}


def _node_keys(pointer, key, value):
    """Every node label or taint key the object names, as ``(pointer, key, label)``."""
    if not isinstance(value, dict):
        return
    scopes = []
    pod = pod_spec_pointer(value)
    if pod:
        scopes.append((pod, _POD_NODE_STEPS))
    api, steps = _OBJECT_NODE_STEPS.get(value.get("kind"), (None, None))
    if steps and str(value.get("apiVersion", "")).startswith(api):
        scopes.append(((), steps))
    for base, entries in scopes:
        node = value
        for part in base:
            node = node[part]
        for path, names_key in entries:
            for p, k, v in evaluate(path, node):
                label = k if names_key else v
                if isinstance(label, str):
                    yield pointer + base + p, k, label
