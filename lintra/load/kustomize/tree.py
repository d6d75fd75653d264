"""Traced data: every value of a built object remembers the file, document and pointer that wrote it.

A kustomize build copies, merges and rewrites values from many files. Instead of keeping a
parallel table, the builder works on :class:`Traced` nodes: a mapping, list or scalar plus its
:class:`Origin`. A transformation that writes a value gives it the origin of what the user wrote
(the overlay's ``newName:``, the patch's line, the generator's literal), so the finding lands
there. Rules never see these nodes: :func:`plain` turns a built object into dicts and lists, and
:class:`TracedLocator` maps a pointer back through the nodes to the origin's span.
"""

from __future__ import annotations


from lintra.model import Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Optional


class Part:
    """One parsed document of a file a build read: the display name of the file and the locator of
    that document (YAML node tree or JSON index)."""

    __slots__ = ("file", "locator")

    def __init__(self, file: str, locator: Locator) -> None:
        self.file = file
        self.locator = locator

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        span = self.locator.span(pointer, at)
        if span.file is None:  # a rendered chart's locator already names the file it answers in
            span.file = self.file
        return span


class Origin:
    __slots__ = ("part", "pointer")

    def __init__(self, part: Part, pointer: Pointer) -> None:
        self.part = part
        self.pointer = pointer

    def child(self, key: Any) -> "Origin":
        return Origin(self.part, self.pointer + (key,))

    def span(self, at: Optional[str] = None) -> Span:
        return self.part.span(self.pointer, at)


class Traced:
    """A value with its origin. ``value`` is a dict of str -> Traced, a list of Traced, or a scalar."""

    __slots__ = ("value", "origin")

    def __init__(self, value: Any, origin: Origin) -> None:
        self.value = value
        self.origin = origin

    def get(self, key: Any) -> Optional["Traced"]:
        if isinstance(self.value, dict):
            return self.value.get(key)
        if isinstance(self.value, list) and isinstance(key, int) and 0 <= key < len(self.value):
            return self.value[key]
        return None

    def at(self, *path: Any) -> Optional["Traced"]:
        node: Optional[Traced] = self
        for key in path:
            if node is None:
                return None
            node = node.get(key)
        return node

    def scalar(self, *path: Any) -> Any:
        node = self.at(*path)
        if node is None or isinstance(node.value, (dict, list)):
            return None
        return node.value

    def __repr__(self) -> str:
        return f"Traced({plain(self)!r})"


def trace(data: Any, origin: Origin) -> Traced:
    """Plain data parsed from a file -> traced nodes, each at its own pointer in that file."""
    # scalars (most nodes) are traced in their parent's loop, not through a call each: this runs
    # on every node of every file a build reads
    part, pointer = origin.part, origin.pointer
    if isinstance(data, dict):
        mapping = {}
        for key, value in data.items():
            here = Origin(part, pointer + (key,))
            mapping[key] = trace(value, here) if isinstance(value, (dict, list)) else Traced(value, here)
        return Traced(mapping, origin)
    if isinstance(data, list):
        items = []
        add = items.append
        for index, value in enumerate(data):
            here = Origin(part, pointer + (index,))
            add(trace(value, here) if isinstance(value, (dict, list)) else Traced(value, here))
        return Traced(items, origin)
    return Traced(data, origin)


def stamp(data: Any, origin: Origin) -> Traced:
    """Plain data a transformation writes, every node attributed to one place (``namespace:``)."""
    if isinstance(data, dict):
        return Traced({key: stamp(value, origin) for key, value in data.items()}, origin)
    if isinstance(data, list):
        return Traced([stamp(value, origin) for value in data], origin)
    return Traced(data, origin)


def plain(node: Traced) -> Any:
    value = node.value
    if isinstance(value, dict):  # scalar children unwrapped here, as :func:`trace` wraps them
        return {key: plain(child) if isinstance(child.value, (dict, list)) else child.value
                for key, child in value.items()}
    if isinstance(value, list):
        return [plain(child) if isinstance(child.value, (dict, list)) else child.value for child in value]
    return value


def copy(node: Traced) -> Traced:
    """A deep copy of the structure (origins are shared: they never change)."""
    value = node.value
    if isinstance(value, dict):
        return Traced({key: copy(child) for key, child in value.items()}, node.origin)
    if isinstance(value, list):
        return Traced([copy(child) for child in value], node.origin)
    return Traced(value, node.origin)


def ensure_map(parent: Traced, key: str, origin: Origin) -> Traced:
    """``parent[key]`` as a mapping, created (attributed to ``origin``) when missing or not a mapping."""
    child = parent.value.get(key)
    if child is None or not isinstance(child.value, dict):
        child = Traced({}, origin)
        parent.value[key] = child
    return child


class TracedLocator(Locator):
    """Spans of a built object: the deepest traced node a pointer reaches, in the file that wrote it.

    ``related`` names the kustomization that built the object, reported with each finding."""

    __slots__ = ("root", "related")

    def __init__(self, root: Traced, related: List[Any]) -> None:
        self.root = root
        self.related = related

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        node = self.root
        for part in pointer:
            child = node.get(part)
            if child is None:
                return node.origin.span(None)  # a computed value: the deepest place that holds it
            node = child
        return node.origin.span(at)

