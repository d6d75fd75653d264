"""The selector language of policy packs: paths into a document, and conditions on what is there.

A *path* is dotted segments: ``spec.volumes[*].vsphereVolume``. A segment is a key (``spec``), a
quoted key (``["ncp/ingress-controller"]`` or ``metadata.annotations["a.b/c"]``), ``*`` (every
value of a mapping), ``[*]`` (every item of a list), ``[N]`` (one item), or ``**`` (this node and
every node below it). A path may start with a macro that asks ``lintra.domain.kubernetes``
where an object keeps its pods: ``@pod`` (every pod spec of the object, found by shape at any
depth), ``@podmeta`` (the metadata beside each: a Pod's own, a pod template's), ``@containers``
(every container, init and ephemeral container of each pod), and ``@nodekeys`` (every node label
or taint key the object schedules or provisions against).

Why not jsonpath-ng or jmespath: both return values, not the path that led to each value, and
lintra must turn every hit back into file:line:column; the subset we need compiles to a few
generator steps that yield ``(pointer, key, value)`` directly.
"""

from __future__ import annotations

import re

from lintra.domain import kubernetes
from lintra.domain.kubernetes import pod_spec_pointer  # noqa: F401  (the name rules imported from here)
from lintra.model import Pointer

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, TypeAlias

Step: TypeAlias = "Callable[[Pointer, Any, Any], Iterator[Tuple[Pointer, Any, Any]]]"


class SelectorError(ValueError):
    """A selector that cannot compile; ``pointer`` is where in the rule it is written."""

    def __init__(self, message: str, pointer: Pointer = ()) -> None:
        super().__init__(message)
        self.pointer = tuple(pointer)


_SEGMENT = re.compile(r"""
    \[\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<idx>-?\d+)|(?P<all>\*))\s*\]
  | (?P<name>[^.\[\]]+)
  | (?P<dot>\.)
""", re.X)


def compile_path(path: str, at: Pointer = ()) -> List[Step]:
    """Compile ``path``; ``at`` is where it is written, for the error of a path that cannot compile.

    One path text compiles to one list of steps, shared by every rule that writes it, so that
    :func:`reached` walks it once per document however many rules ask (do not modify the list)."""
    steps = _COMPILED.get(path) if isinstance(path, str) else None
    if steps is None:
        steps = _COMPILED[path] = _compile(path, at)
    return steps


#: path text -> its steps (the texts of the loaded packs: a few hundred)
_COMPILED: Dict[str, List[Step]] = {}


def _compile(path: str, at: Pointer) -> List[Step]:
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
            steps.append(_containers)
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
            if name == "**" and steps and steps[-1] is _descend:
                continue  # ``**.**`` reaches what ``**`` reaches
            steps.append(_values if name == "*" else _descend if name == "**" else _key(name))
        else:
            quoted = match.group("dq")
            steps.append(_key(quoted.replace('\\"', '"') if quoted is not None else match.group("sq")))
    return steps


def evaluate(steps: List[Step], data: Any) -> Iterator[Tuple[Pointer, Any, Any]]:
    """Every ``(pointer, key, value)`` the path reaches in ``data``."""
    current: List[Tuple[Pointer, Any, Any]] = [((), None, data)]
    for step in steps:
        current = _step(step, current)
        if not current:
            return iter(())
    return iter(current)


def _step(step: Step, current: List[Tuple[Pointer, Any, Any]]) -> List[Tuple[Pointer, Any, Any]]:
    """What one step reaches from each of ``current``."""
    name = _KEY_OF.get(step)
    if name is not None:  # most steps name one key, and most documents lack it: no generator
        return [(pointer + (name,), name, value[name]) for pointer, _, value in current
                if isinstance(value, dict) and name in value]
    # ``*`` and ``[*]`` inline too (what :func:`_values` and :func:`_items` yield): one generator
    # per node reached costs more than the step itself
    if step is _values:
        return [(pointer + (k,), k, v) for pointer, _, value in current if isinstance(value, dict)
                for k, v in value.items()]
    if step is _items:
        return [(pointer + (i,), i, v) for pointer, _, value in current if isinstance(value, list)
                for i, v in enumerate(value)]
    current = [out for pointer, key, value in current for out in step(pointer, key, value)]
    if step is _descend and len(current) > 1:
        # one node reached by several routes is one node: ``**.*.**`` would otherwise list each
        # node once per ancestor, and thirty such steps grow beyond memory
        seen: set = set()
        current = [item for item in current if item[0] not in seen and not seen.add(item[0])]
    return current


#: the key a compiled key step takes (``evaluate`` runs those steps inline)
_KEY_OF: dict = {}

#: the document :func:`reached` answered for last, and its answers by path prefix
_reached: List[Any] = [None, {}]
#: id of a path's steps -> (the steps, the number of each of its prefixes: its first n steps, n = 1..len)
_PREFIXES: Dict[int, Tuple[List[Step], List[int]]] = {}
#: a path prefix (the tuple of its steps) -> its number
_PREFIX_NUMBERS: Dict[Tuple[Step, ...], int] = {}


def reached(steps: List[Step], data: Any) -> List[Tuple[Pointer, Any, Any]]:
    """``evaluate(steps, data)`` as a list, for a whole document: remembered for the document
    asked about last, since every rule of a document asks in turn and many ask the same paths
    (``metadata.annotations.*``, ``@containers.image``). What a path's first steps reach is
    remembered too, so paths that start alike (``@pod.volumes[*].csi.driver``,
    ``@pod.volumes[*].azureDisk``) walk their common start once. Documents are not modified
    after loading, and the one remembered is held, so the answer cannot go stale."""
    memo = _reached
    if memo[0] is not data:
        memo[0], memo[1] = data, {}
    answers = memo[1]
    known = _PREFIXES.get(id(steps))
    if known is None or known[0] is not steps:
        # held with its steps, so that an id is never another list's (a path text's steps live
        # as long as the process; other lists are remembered too, and kept alive by it)
        known = _PREFIXES[id(steps)] = (steps, [_PREFIX_NUMBERS.setdefault(tuple(steps[:n + 1]), len(_PREFIX_NUMBERS))
                                                for n in range(len(steps))])
    prefixes = known[1]
    if not prefixes:
        return [((), None, data)]
    found = answers.get(prefixes[-1])
    if found is None:
        start = len(prefixes) - 1
        while start and prefixes[start - 1] not in answers:
            start -= 1
        found = answers[prefixes[start - 1]] if start else [((), None, data)]
        for n in range(start, len(prefixes)):
            if found:
                found = _step(steps[n], found)
            answers[prefixes[n]] = found
    return found


class Reach:
    """What one path reaches in a document (``reach(data)``, :func:`reached`), as a node of the tree
    of paths by their steps: ``parent`` is the reach of the path without its last step (None for
    one step), ``follow(found)`` what the last step reaches from what the parent reached, ``key``
    the key that step takes when it takes one (else None). One reach per path
    (:func:`reach_of`), so that the check stage walks each path once per document however many
    rules look there (:class:`lintra.check.Dispatch`)."""

    __slots__ = ("steps", "parent", "key", "_last")

    def __init__(self, steps: List[Step], parent: "Optional[Reach]") -> None:
        self.steps = steps
        self.parent = parent
        self._last = steps[-1]
        self.key = _KEY_OF.get(self._last)

    def __call__(self, data: Any) -> List[Tuple[Pointer, Any, Any]]:
        return reached(self.steps, data)

    def follow(self, found: List[Tuple[Pointer, Any, Any]]) -> List[Tuple[Pointer, Any, Any]]:
        return _step(self._last, found)


def reach_of(steps: List[Step]) -> Reach:
    """The reach of the path ``steps`` (not empty)."""
    key = tuple(steps)
    found = _REACHES.get(key)
    if found is None:
        found = _REACHES[key] = Reach(list(key), reach_of(key[:-1]) if len(key) > 1 else None)
    return found


#: a path's steps -> its reach (the steps of the loaded packs' paths: a few hundred)
_REACHES: Dict[Tuple[Step, ...], Reach] = {}


def reaches_pods(steps: List[Step], data: Any) -> bool:
    """False when the path starts at the object's pods (``@pod``, ``@podmeta``, ``@containers``)
    and the object has none (the pods are memoised: every rule asks about the same object)."""
    return not steps or steps[0] not in _POD_MACROS or bool(kubernetes.pods(data))


def anchor(steps: List[Step]):
    """Where in a document everything the path reaches lies (:attr:`lintra.Rule.finds_under`):
    the keys it starts with (a tuple, empty when it starts anywhere), or for a path starting at a
    macro, the part of the object it stands for (:data:`lintra.domain.kubernetes.PARTS`)."""
    if steps and steps[0] in _POD_MACROS:
        return kubernetes.PODS
    if steps and steps[0] is _node_keys:
        return kubernetes.NODE_KEYS
    return key_prefix(steps)


def key_prefix(steps: List[Step]) -> Tuple[str, ...]:
    """The keys the path's first steps name, in order, up to its first other step: whatever the
    path reaches lies under them."""
    prefix = []
    for step in steps:
        name = _KEY_OF.get(step)
        if name is None:
            break
        prefix.append(name)
    return tuple(prefix)


def _key(name: str) -> Step:
    """The step taking key ``name``: one per name, so that paths starting alike share their steps
    (and what those reach: :func:`reached`, :class:`Reach`)."""
    found = _KEY_STEPS.get(name)
    if found is None:
        def found(pointer, key, value):
            if isinstance(value, dict) and name in value:
                yield pointer + (name,), name, value[name]
        _KEY_STEPS[name] = found
        _KEY_OF[found] = name
    return found


def _index(i: int) -> Step:
    found = _INDEX_STEPS.get(i)
    if found is None:
        def found(pointer, key, value):
            if isinstance(value, list) and -len(value) <= i < len(value):
                j = i % len(value)
                yield pointer + (j,), j, value[j]
        _INDEX_STEPS[i] = found
    return found


#: name -> its key step, index -> its index step
_KEY_STEPS: Dict[str, Step] = {}
_INDEX_STEPS: Dict[int, Step] = {}


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
    for pod in kubernetes.pods(value):
        yield pointer + pod.spec, pod.spec[-1], kubernetes.resolve(value, pod.spec)


def _pod_metadata(pointer, key, value):
    """The metadata of the pods an object stamps out: beside the pod spec (``template.metadata``
    of a workload, a Pod's own ``metadata``), where pod annotations that webhooks read are written."""
    for path, node in kubernetes.pod_metadata(value):
        yield pointer + path, path[-1], node


def _containers(pointer, key, value):
    for path, container in kubernetes.containers(value):
        yield pointer + path, path[-1], container


#: path macros that reach nothing in an object without pods
_POD_MACROS = frozenset((_pod, _pod_metadata, _containers))


def _node_keys(pointer, key, value):
    """Every node label or taint key the object names, as ``(pointer, key, label)``."""
    for path, k, label in kubernetes.node_keys(value):
        yield pointer + path, k, label
