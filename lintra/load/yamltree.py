"""YAML to plain data with every node's position kept, at libyaml speed.

libyaml composes the node tree (C, with marks); we turn nodes into plain Python data ourselves so
that rules work on dicts and lists while the engine can still map a pointer back to the node. The
node tree is kept and walked only when a finding needs a location.

Heat (and so lintra) reads YAML timestamps as the strings the user wrote:
``heat_template_version: 2013-05-23`` stays ``"2013-05-23"``, not a ``date``.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lintra.load.limits import LimitExceeded, MAX_DEPTH, MAX_EXPANDED_NODES
from lintra.model import Locator, Pointer, Span

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_SCALARS = SafeConstructor()
_CONSTRUCT = {
    _TAG + "int": _SCALARS.construct_yaml_int,
    _TAG + "float": _SCALARS.construct_yaml_float,
    _TAG + "bool": _SCALARS.construct_yaml_bool,
}
#: CloudFormation's YAML short forms; ``!Ref x`` means ``{"Ref": x}``, ``!Sub s`` ``{"Fn::Sub": s}``.
_CFN_PLAIN = {"!Ref": "Ref", "!Condition": "Condition"}

# Every nesting level needs one of these characters, so their count bounds the depth from above
# at C speed. libyaml's composer recurses in C and crashes the process somewhere past 20,000
# levels, so files whose bound reaches this pay for an exact, event-based depth check first.
_NESTING_CHARS = "[{-?:"
_COMPOSE_SAFE_DEPTH = 10_000
_NESTING_REFUSED = "exceeded maximum nesting depth"


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def parse(text: str) -> List[Tuple[Any, "YamlLocator"]]:
    """Every document of ``text`` as ``(data, locator)``; empty documents are left out."""
    _check_depth(text)
    try:
        roots = list(yaml.compose_all(text, Loader=Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        if _NESTING_REFUSED in message:  # libyaml >= 0.2.6 (PyYAML 6.0.3+ wheels) has its own cap
            raise LimitExceeded(f"nesting deeper than the YAML parser allows ({message})",
                                mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
        raise YamlSyntaxError(message or str(error), mark.line + 1 if mark else 1,
                              mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), 1, 1) from None
    out = []
    for root in roots:
        if root is None:
            continue
        builder = _Builder()
        out.append((builder.build(root, 0), YamlLocator(root)))
    return out


def _check_depth(text: str) -> None:
    if sum(text.count(ch) for ch in _NESTING_CHARS) < _COMPOSE_SAFE_DEPTH:
        return  # libyaml cannot overflow; the builder enforces MAX_DEPTH exactly
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels",
                                        event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if _NESTING_REFUSED in str(error.problem):
            mark = error.problem_mark
            raise LimitExceeded(f"nesting deeper than the YAML parser allows ({error.problem})",
                                mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
        return  # the real parse reports it with its own location
    except yaml.YAMLError:
        return


class _Builder:
    """Builds plain data from one document's nodes, bounding alias expansion (billion laughs)."""

    __slots__ = ("seen", "expanded")

    def __init__(self) -> None:
        self.seen: dict = {}
        self.expanded = 0

    def build(self, node: Node, depth: int) -> Any:
        if isinstance(node, ScalarNode):
            return _scalar(node)
        known = self.seen.get(id(node))
        if known is not None:
            # An alias: share the value, but count what a naive walk would expand.
            value, size = known
            self.expanded += size
            if self.expanded > MAX_EXPANDED_NODES:
                raise LimitExceeded(f"aliases expand to more than {MAX_EXPANDED_NODES} nodes (alias bomb?)",
                                    node.start_mark.line + 1, node.start_mark.column + 1)
            return value
        if depth > MAX_DEPTH:
            raise LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels",
                                node.start_mark.line + 1, node.start_mark.column + 1)
        before = self.expanded
        self.expanded += 1
        if isinstance(node, SequenceNode):
            value: Any = []
            self.seen[id(node)] = (value, 1)
            value.extend(self.build(child, depth + 1) for child in node.value)
        else:
            value = {}
            self.seen[id(node)] = (value, 1)
            for key_node, value_node in _pairs(node):
                key = self.build(key_node, depth + 1)
                if isinstance(key, (dict, list)):
                    key = str(key)
                value[key] = self.build(value_node, depth + 1)
        self.seen[id(node)] = (value, self.expanded - before)
        if node.tag.startswith("!") and isinstance(node, (MappingNode, SequenceNode)):
            return _short_form(node.tag, value)
        return value


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return node.value
    if tag == _TAG + "null":
        return None
    construct = _CONSTRUCT.get(tag)
    if construct is not None:
        try:
            return construct(node)
        except (ValueError, ConstructorError):
            return node.value
    if tag.startswith("!"):
        return _short_form(tag, node.value)
    return node.value


def _short_form(tag: str, value: Any) -> Any:
    plain = _CFN_PLAIN.get(tag)
    if plain is not None:
        return {plain: value}
    if tag.startswith("!") and not tag.startswith("!!") and tag[1:2].isupper():
        return {"Fn::" + tag[1:]: value}
    return value


def _pairs(node: MappingNode):
    """Key/value node pairs with YAML merge keys (``<<: *base``) applied, later keys winning."""
    merged = []
    own = []
    for key_node, value_node in node.value:
        if key_node.tag == _TAG + "merge":
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, MappingNode):
                    merged.extend(_pairs(source))
        else:
            own.append((key_node, value_node))
    return merged + own if merged else own


class YamlLocator(Locator):
    __slots__ = ("root",)

    def __init__(self, root: Node) -> None:
        self.root = root

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        node: Node = self.root
        key_node: Optional[Node] = None
        for part in pointer:
            found = _child(node, part)
            if found is None:
                break  # the deepest node we can place: a computed or short-form value
            key_node, node = found
        if key_node is not None and (at == "key" or (at is None and not isinstance(node, ScalarNode))):
            return _node_span(key_node)
        return _node_span(node)


def _child(node: Node, part: Any) -> Optional[Tuple[Optional[Node], Node]]:
    if isinstance(node, SequenceNode):
        if isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None
    if isinstance(node, MappingNode):
        loose = None
        for key_node, value_node in reversed(_pairs(node)):
            if not isinstance(key_node, ScalarNode):
                continue
            key = _scalar(key_node)
            if key == part and type(key) is type(part):
                return key_node, value_node
            if loose is None and str(key) == str(part):
                loose = key_node, value_node
        return loose
    return None


def _node_span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) or end.line == start.line:
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    # A block collection ends where the next sibling starts; stop at the end of its first line.
    return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 1)
