"""The selector language of policy packs: paths into a document, and conditions on what is there.

A *path* is dotted segments: ``spec.volumes[*].vsphereVolume``. A segment is a key (``spec``), a
quoted key (``["ncp/ingress-controller"]`` or ``metadata.annotations["a.b/c"]``), ``*`` (every
value of a mapping), ``[*]`` (every item of a list), ``[N]`` (one item), or ``**`` (this node and
every node below it). A path may start with a macro that knows where Kubernetes keeps pod specs:
``@pod`` (the pod spec of any pod-bearing kind) and ``@containers`` (every container, init and
ephemeral container in it).

Why not jsonpath-ng or jmespath: both return values, not the path that led to each value, and
lintra must turn every hit back into file:line:column; the subset we need compiles to a few
generator steps that yield ``(pointer, key, value)`` directly.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, List, Tuple

from lintra.model import Pointer

Step = Callable[[Pointer, Any, Any], Iterator[Tuple[Pointer, Any, Any]]]

#: Where each pod-bearing kind keeps its pod spec.
POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
#: Kinds with the pod spec at ``spec.template.spec``: the workload controllers, Argo Rollouts,
#: Knative Services and OpenShift DeploymentConfigs.
TEMPLATED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                             "ReplicationController", "Rollout", "Service", "DeploymentConfig",
                             "Configuration", "Revision"})
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
    path = POD_SPEC_PATHS.get(kind)
    if path is None and kind in TEMPLATED_KINDS:
        if kind == "Service" and not str(data.get("apiVersion", "")).startswith("serving.knative.dev/"):
            return None  # a core Service has no pods
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
        elif macro == "@containers":
            steps.extend((_pod, _containers))
        else:
            raise SelectorError(f"unknown path macro {macro!r} (known: @pod, @containers)", at)
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


def _containers(pointer, key, value):
    if isinstance(value, dict):
        for field in CONTAINER_LISTS:
            items = value.get(field)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    yield pointer + (field, i), i, item
