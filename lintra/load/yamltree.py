"""YAML to plain data with every node's position kept, at libyaml speed.

libyaml composes the node tree (C, with marks); we turn nodes into plain Python data ourselves so
that rules work on dicts and lists, and in the same walk record each node's position in a compact
form of plain tuples (:class:`YamlLocator`). The node tree, whose marks cost several times the
data, is dropped as soon as the file is built: no node tree outlives its file, and the positions
are plain data that can cross a process boundary (``--jobs``).

Heat (and so lintra) reads YAML timestamps as the strings the user wrote:
``heat_template_version: 2013-05-23`` stays ``"2013-05-23"``, not a ``date``.
"""

from __future__ import annotations

import re
import sys

from lintra import lazy_re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterator, List, Optional, Tuple

# PyYAML's pure-Python reader and timestamp constructor compile their patterns at import (the
# reader's class of printable characters alone costs about a third of importing PyYAML); libyaml
# reads the text itself and timestamps stay strings here, so they compile only if something uses them
with lazy_re.deferred(("yaml.reader", "yaml.constructor")):
    import yaml
    from yaml.constructor import ConstructorError, SafeConstructor
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lintra.load.limits import LimitExceeded
from lintra.load import limits, packing
from lintra.model import Locator, Pointer, Span

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_intern = sys.intern
#: strings up to this length are shared (interned); longer ones rarely repeat
_INTERNED = 48
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


def _libyaml_caps_nesting() -> bool:
    """libyaml 0.2.6 refuses nesting past 1,000 levels itself, so its composer cannot overflow."""
    if Loader is not getattr(yaml, "CSafeLoader", None):
        return False
    try:
        from yaml import _yaml

        return tuple(_yaml.get_version()) >= (0, 2, 6)
    except (ImportError, AttributeError):  # pragma: no cover - exotic builds
        return False


#: Whether every file must pay for the event-based depth check before it is composed.
_PRE_CHECK_DEPTH = not _libyaml_caps_nesting()


#: Files larger than this keep each document's positions packed (see :meth:`YamlLocator.pack`)
#: from the moment it is built: a 20 MB stream of manifests holds thousands of documents at once.
PACK_FROM_BYTES = 1024 * 1024


def parse(text: str) -> List[Tuple[Any, "YamlLocator"]]:
    """Every document of ``text`` as ``(data, locator)``; empty documents are left out.

    Each document is built as soon as libyaml has composed it, so only one document's node tree
    is alive at a time. Errors come out as if the whole stream were composed first: a syntax
    error anywhere wins over a limit a document passes (alias expansion, depth)."""
    pack = len(text) > PACK_FROM_BYTES
    out = []
    for data, locator in stream(text):
        locator.settle()
        if pack:
            locator.pack()
        out.append((data, locator))
    return out


def stream(text: str) -> Iterator[Tuple[Any, "YamlLocator"]]:
    """:func:`parse` one document at a time, for a reader that is done with each document before
    it asks for the next (the check stage: parse, check, locate, drop). A document's locator
    reads positions off the document's live node tree until :meth:`YamlLocator.settle` makes
    them plain data (or the document is dropped, and the tree with it): recording every node's
    position as it is built cost twice the building of the data itself, and most documents are
    never located at all.

    The errors are :func:`parse`'s, raised where the stream reaches them: a syntax error
    anywhere wins over a limit, which is raised only once the rest of the stream is known to
    parse. A reader that has consumed documents before an error must drop what it made of them."""
    if _PRE_CHECK_DEPTH:
        _check_depth(text)
    # A node takes two characters at least ("a,"): only a document longer than this can pass the
    # node limit, so the event-level count runs on a file only when one of its documents may.
    if len(text) > 2 * limits.MAX_DOCUMENT_NODES and _longest_document(text) > 2 * limits.MAX_DOCUMENT_NODES:
        _check_nodes(text)
    build = _Builder.of if _ALIAS.search(text) else _built
    built = 0
    exceeded: Optional[LimitExceeded] = None
    try:
        for root in yaml.compose_all(text, Loader=_ComposeLoader):
            if root is None or exceeded is not None:
                continue
            if built >= limits.MAX_DOCUMENTS:
                exceeded = LimitExceeded(f"more than {limits.MAX_DOCUMENTS} documents in one file",
                                         root.start_mark.line + 1, root.start_mark.column + 1)
                continue
            try:
                data = build(root)
            except LimitExceeded as error:
                exceeded = error  # raised once the rest of the stream is known to parse
                continue
            built += 1
            yield data, YamlLocator(root)
            # the reader is done with it: the next document is composed without this one's tree
            data = root = None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        if _NESTING_REFUSED in message:  # libyaml >= 0.2.6 (PyYAML 6.0.3+ wheels) has its own cap
            if not _PRE_CHECK_DEPTH:
                # The file nests past libyaml's cap: say where it first passed ours, as the check
                # before composing says it (this second parse is paid only by such files).
                _check_depth(text)
            raise LimitExceeded(f"nesting deeper than the YAML parser allows ({message})",
                                mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
        raise YamlSyntaxError(message or str(error), mark.line + 1 if mark else 1,
                              mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), 1, 1) from None
    except UnicodeEncodeError as error:  # libyaml reads UTF-8: a lone surrogate has no UTF-8 form
        raise _not_utf8(text, error.start) from None
    if exceeded is not None:
        raise exceeded


def _not_utf8(text: str, at: int) -> YamlSyntaxError:
    """The error for text that holds a lone surrogate at ``at``: a byte that was not UTF-8, kept by
    ``surrogateescape`` (a ``--helm-set`` value from a non-UTF-8 command line, a ``b64dec``), or a
    surrogate code point no encoding carries alone."""
    code = ord(text[at])
    what = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"lone surrogate U+{code:04X}"
    line = text.count("\n", 0, at) + 1
    return YamlSyntaxError(f"not valid UTF-8 text: {what}", line, at - (text.rfind("\n", 0, at) + 1) + 1)


def _longest_document(text: str) -> int:
    """An upper bound of the characters of any one document of ``text``: the longest stretch
    between ``---`` lines. libyaml takes ``---`` at column 0 followed by a blank or the end of the
    line as a document start wherever it stands (inside a scalar it is an error), so no document
    spans such a line; ``---x`` is content and does not split. A stream of ordinary manifests is
    ruled out of the node-count pass by this one scan, without a second parse."""
    longest = previous = 0
    at = text.find("\n---")
    while at != -1:
        if text[at + 4:at + 5] in ("", " ", "\t", "\r", "\n"):
            longest = max(longest, at - previous)
            previous = at + 1
        at = text.find("\n---", at + 4)
    return max(longest, len(text) - previous)


def _check_nodes(text: str) -> None:
    """Refuse a document of more than ``limits.MAX_DOCUMENT_NODES`` nodes before libyaml composes
    it: the composer holds the whole node tree of a document (about 1 KB a node), so counting has
    to happen on the event stream, which holds one event at a time. Only files large enough to
    hold so many nodes pay for this pass."""
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if nodes > limits.MAX_DOCUMENT_NODES:
                    raise LimitExceeded(f"a document with more than {limits.MAX_DOCUMENT_NODES} nodes",
                                        event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, yaml.DocumentEndEvent):
                nodes = 0
    except yaml.YAMLError:
        return  # the real parse reports it with its own location


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _check_depth(text: str) -> None:
    if sum(text.count(ch) for ch in _NESTING_CHARS) < _COMPOSE_SAFE_DEPTH:
        return  # libyaml cannot overflow; the builder enforces limits.MAX_DEPTH exactly
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    raise LimitExceeded(f"nesting deeper than {limits.MAX_DEPTH} levels",
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


#: marks a collection whose value is being built, so an alias to it from inside is seen as a cycle
_BUILDING = object()
_MISSING = object()
_STR = _TAG + "str"
_MERGE = _TAG + "merge"


class _ComposeLoader(Loader):  # type: ignore[misc, valid-type]
    """libyaml's composer, with tag resolution left to :class:`_Builder`.

    The composer asks the loader for the tag of every node it composes, through three Python calls
    (``descend_resolver``, ``resolve``, ``ascend_resolver``): together more than a third of the
    compose time. Answered by C callables instead, a node without an explicit tag carries
    ``slice(kind, value, implicit)``, and the builder resolves a plain scalar's tag itself, with
    PyYAML's own implicit resolvers, once per distinct text (:func:`_plain`). The data is the same
    as SafeLoader's resolution gives."""

    resolve = slice
    descend_resolver = {}.get  # (parent, index) -> index: no path resolvers (the safe loader has none)
    ascend_resolver = tuple


#: PyYAML's implicit resolvers of plain scalars, by first character ("" for the empty scalar)
_IMPLICIT = {first: list(resolvers) + list(Loader.yaml_implicit_resolvers.get(None, []))
             for first, resolvers in Loader.yaml_implicit_resolvers.items() if first is not None}
_WILDCARD = list(Loader.yaml_implicit_resolvers.get(None, []))
#: plain scalar text (of at most _INTERNED characters) -> its value: the builder looks a plain
#: scalar up here before anything else, so a text seen before costs one lookup, whether an implicit
#: resolver claims it (``true``, ``12``, ``~``) or not (a key, ``OS::Neutron::Port``).
_PLAIN: dict = {}
_PLAIN_CACHE_SIZE = 32768


def _plain(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar: ``true``, ``12``, ``~``, ``1.5``,
    ``2013-05-23`` as PyYAML's implicit resolvers say, any other text as itself (shared)."""
    value = _PLAIN.get(text, _MISSING)
    if value is _MISSING:
        if text[:1] in _IMPLICIT:
            tag = _STR
            for candidate, regexp in _IMPLICIT[text[:1]]:
                if regexp.match(text):
                    tag = candidate
                    break
            value = _scalar_of(tag, text, None)
        else:
            value = _intern(text) if len(text) <= _INTERNED else text
        if len(text) <= _INTERNED:
            if len(_PLAIN) >= _PLAIN_CACHE_SIZE:
                _PLAIN.clear()
            _PLAIN[text] = value
    return value


def _scalar_of(tag: str, text: str, node: Optional[ScalarNode]) -> Any:
    if tag == _STR or tag == _TAG + "timestamp":
        # Keys and short values repeat across thousands of documents (type, properties, get_param,
        # OS::Neutron::Port): one shared string each instead of a copy per occurrence.
        return _intern(text) if len(text) <= _INTERNED else text
    if tag == _TAG + "null":
        return None
    construct = _CONSTRUCT.get(tag)
    if construct is not None:
        try:
            return construct(node if node is not None else ScalarNode(tag, text))
        except (ValueError, KeyError, TypeError, OverflowError, ConstructorError):
            return text  # ``!!bool maybe``, ``!!int 0x``, a 5000-digit int: the text as written
    if tag.startswith("!"):
        return _short_form(tag, text)
    return text


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    text = node.value
    if tag.__class__ is slice:
        if tag.step[0]:
            return _plain(text)
        return _intern(text) if len(text) <= _INTERNED else text
    return _scalar_of(tag, text, node)


def _is_merge(key_node: Node) -> bool:
    tag = key_node.tag
    if tag.__class__ is slice:
        return key_node.__class__ is ScalarNode and tag.step[0] and key_node.value == "<<"
    return tag == _MERGE


class _Builder:
    """Builds plain data from one document's nodes, bounding alias expansion (billion laughs).

    Most nodes are scalars, so a collection converts its scalar children in its own loop: one
    Python call per collection, not one per node. Positions are not recorded here: the node tree
    is alive while its document is checked, and :class:`YamlLocator` reads them off it."""

    __slots__ = ("seen", "expanded", "aliased")

    def __init__(self) -> None:
        self.seen: dict = {}
        self.expanded = 0
        self.aliased = 0

    @staticmethod
    def of(root: Node) -> Any:
        """The data of one document."""
        return _Builder().build(root, 0)

    def build(self, node: Node, depth: int) -> Any:
        """The data of ``node``."""
        if node.__class__ is ScalarNode:
            self.expanded += 1  # scalar leaves count: aliased lists of scalars are a bomb as well
            return _scalar(node)
        return self.collection(node, depth)

    def collection(self, node: Node, depth: int) -> Any:
        seen = self.seen
        known = seen.get(id(node))
        if known is _BUILDING:  # an alias to a collection from inside it: the data would be a cycle
            raise LimitExceeded("recursive alias: a collection contains an alias to itself",
                                node.start_mark.line + 1, node.start_mark.column + 1)
        if known is not None:
            # An alias: share the value, but count what a naive walk would expand.
            value, size = known
            self.expanded += size
            self.aliased += size  # the file's own nodes are bounded by its size; aliases multiply them
            if self.aliased > limits.MAX_EXPANDED_NODES:
                raise LimitExceeded(f"aliases expand to more than {limits.MAX_EXPANDED_NODES} nodes (alias bomb?)",
                                    node.start_mark.line + 1, node.start_mark.column + 1)
            return value
        if depth > limits.MAX_DEPTH:
            raise LimitExceeded(f"nesting deeper than {limits.MAX_DEPTH} levels",
                                node.start_mark.line + 1, node.start_mark.column + 1)
        before = self.expanded
        scalars = 1  # this node, and the scalar children converted here
        seen[id(node)] = _BUILDING
        inner = depth + 1
        if node.__class__ is SequenceNode:
            value: Any = []
            add = value.append
            # The scalar conversion below is written out for sequence items, keys and values alike
            # rather than called: it runs once per scalar of every file, on the path benchmarks/
            # holds to the libyaml floor, where a Python call per scalar is a cost of its own.
            for child in node.value:
                if child.__class__ is ScalarNode:
                    scalars += 1
                    tag, text = child.tag, child.value
                    if tag.__class__ is not slice:
                        add(_scalar_of(tag, text, child))
                    elif tag.step[0]:  # plain: its value by its text (_plain)
                        found = _PLAIN.get(text, _MISSING)
                        add(found if found is not _MISSING else _plain(text))
                    else:
                        add(_intern(text) if len(text) <= _INTERNED else text)
                else:
                    add(self.collection(child, inner))
        else:
            value = {}
            pairs = node.value
            for key_node, _ in pairs:
                if (key_node.value == "<<" or key_node.tag.__class__ is str) and _is_merge(key_node):
                    pairs = _pairs(node, strict=True)
                    # merge keys copy other mappings' pairs: they count as aliases do
                    self.aliased += max(0, len(pairs) - len(node.value))
                    if self.aliased > limits.MAX_EXPANDED_NODES:
                        raise LimitExceeded(f"aliases expand to more than {limits.MAX_EXPANDED_NODES} nodes "
                                            "(alias bomb?)", node.start_mark.line + 1, node.start_mark.column + 1)
                    break
            for key_node, value_node in pairs:
                if key_node.__class__ is ScalarNode:
                    scalars += 1
                    tag, text = key_node.tag, key_node.value
                    if tag.__class__ is not slice:
                        key = _scalar_of(tag, text, key_node)
                        if key.__class__ is dict:  # a short form (``!Ref k: v``) is no key: its text is
                            key = str(key)
                    elif tag.step[0]:  # plain: its value by its text (_plain)
                        found = _PLAIN.get(text, _MISSING)
                        key = found if found is not _MISSING else _plain(text)
                    else:
                        key = _intern(text) if len(text) <= _INTERNED else text
                else:
                    key = self.collection(key_node, inner)
                    if key.__class__ is dict or key.__class__ is list:
                        key = str(key)
                if value_node.__class__ is ScalarNode:
                    scalars += 1
                    tag, text = value_node.tag, value_node.value
                    if tag.__class__ is not slice:
                        value[key] = _scalar_of(tag, text, value_node)
                    elif tag.step[0]:  # plain: its value by its text (_plain)
                        found = _PLAIN.get(text, _MISSING)
                        value[key] = found if found is not _MISSING else _plain(text)
                    else:
                        value[key] = _intern(text) if len(text) <= _INTERNED else text
                else:
                    value[key] = self.collection(value_node, inner)
        self.expanded += scalars
        seen[id(node)] = (value, self.expanded - before)
        tag = node.tag
        if tag.__class__ is str and tag.startswith("!"):
            return _short_form(tag, value)
        return value


#: An alias is ``*`` followed by an anchor name, which libyaml scans as ASCII letters, digits, ``_``
#: and ``-``: a text without this has no alias in any of its documents (it may match where no alias
#: is, in a comment or a string: such a file takes the :class:`_Builder`, which is only slower).
_ALIAS = re.compile(r"\*[0-9A-Za-z_-]")


class _Rebuild(Exception):
    """A document :func:`_tree` leaves to :class:`_Builder`: it has a merge key, or a limit fails."""


def _built(root: Node) -> Any:
    """The data of one document of a text without aliases (:data:`_ALIAS`): what :class:`_Builder`
    makes of it, without its bookkeeping of shared nodes and alias expansion, which only aliases
    need (about a third of the building time). Merge keys and limits are left to the builder, so
    they are applied and reported exactly as there."""
    if root.__class__ is ScalarNode:
        return _scalar(root)
    try:
        return _tree(root, 0)
    except (_Rebuild, LimitExceeded):
        return _Builder().build(root, 0)


def _tree(node: Node, depth: int) -> Any:
    """:meth:`_Builder.collection` for a node tree without aliases (each node is reached once)."""
    if depth > limits.MAX_DEPTH:
        raise _Rebuild
    inner = depth + 1
    if node.__class__ is SequenceNode:
        value: Any = []
        add = value.append
        for child in node.value:  # scalars converted inline, as in _Builder.collection
            if child.__class__ is ScalarNode:
                tag, text = child.tag, child.value
                if tag.__class__ is not slice:
                    add(_scalar_of(tag, text, child))
                elif tag.step[0]:  # plain: its value by its text (_plain)
                    found = _PLAIN.get(text, _MISSING)
                    add(found if found is not _MISSING else _plain(text))
                else:
                    add(_intern(text) if len(text) <= _INTERNED else text)
            else:
                add(_tree(child, inner))
    else:
        value = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is ScalarNode:
                tag, text = key_node.tag, key_node.value
                if tag.__class__ is not slice:
                    if tag == _MERGE:
                        raise _Rebuild
                    key = _scalar_of(tag, text, key_node)
                    if key.__class__ is dict:
                        key = str(key)
                elif tag.step[0]:  # plain: its value by its text (_plain); ``<<`` is a merge key
                    if text == "<<":
                        raise _Rebuild
                    found = _PLAIN.get(text, _MISSING)
                    key = found if found is not _MISSING else _plain(text)
                else:
                    key = _intern(text) if len(text) <= _INTERNED else text
            else:
                key = _tree(key_node, inner)
                if key.__class__ is dict or key.__class__ is list:
                    key = str(key)
            if value_node.__class__ is ScalarNode:
                tag, text = value_node.tag, value_node.value
                if tag.__class__ is not slice:
                    value[key] = _scalar_of(tag, text, value_node)
                elif tag.step[0]:  # plain: its value by its text (_plain)
                    found = _PLAIN.get(text, _MISSING)
                    value[key] = found if found is not _MISSING else _plain(text)
                else:
                    value[key] = _intern(text) if len(text) <= _INTERNED else text
            else:
                value[key] = _tree(value_node, inner)
    tag = node.tag
    if tag.__class__ is str and tag.startswith("!"):
        return _short_form(tag, value)
    return value


def _short_form(tag: str, value: Any) -> Any:
    plain = _CFN_PLAIN.get(tag)
    if plain is not None:
        return {plain: value}
    if tag.startswith("!") and not tag.startswith("!!") and tag[1:2].isupper():
        return {"Fn::" + tag[1:]: value}
    return value


def _pairs(node: MappingNode, strict: bool = False) -> list:
    """Key/value node pairs with YAML merge keys (``<<: *base``) applied, later pairs winning.

    As the merge-key spec and SafeLoader say: a mapping's own keys override merged ones, and in
    ``<<: [*a, *b]`` the mapping earlier in the sequence overrides the later one. A merge that
    reaches a mapping it is already merging (``a: &a {<<: *a}``) is a cycle: refused when
    ``strict`` (building the data), left out otherwise. Each mapping is merged once however many
    paths reach it (``<<: [*b, *b]`` thirty levels deep would otherwise be 2**30 pairs): only its
    highest-priority occurrence counts, and that one overrides all the others anyway."""
    segments: list = []  # each mapping's own pairs, highest priority first
    seen: set = set()
    _segments(node, strict, frozenset(), seen, segments)
    if len(segments) == 1:
        return segments[0]
    return [pair for segment in reversed(segments) for pair in segment]


def _segments(node: MappingNode, strict: bool, merging: frozenset, seen: set, segments: list) -> None:
    own, merges = [], []
    for key_node, value_node in node.value:
        if _is_merge(key_node):
            merges.append((key_node, value_node))
        else:
            own.append((key_node, value_node))
    segments.append(own)
    merging = merging | {id(node)}
    for key_node, value_node in reversed(merges):  # a later ``<<`` entry overrides an earlier one
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:  # earlier in the sequence: higher priority
            if not isinstance(source, MappingNode):
                continue
            if id(source) in merging:
                if strict:
                    raise LimitExceeded("recursive merge key: a mapping merges itself",
                                        key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                continue
            if id(source) in seen:
                continue
            seen.add(id(source))
            _segments(source, strict, merging, seen, segments)


#: A node's place in the file: a scalar's is its span ``(line, column, end_line, end_column)``
#: (1-based); a sequence's ``(_SEQUENCE, span, [item positions])``; a mapping's ``(_MAPPING, span,
#: [(key, key span, value position)])`` with merge keys applied, in the order ``_pairs`` gives.
Position = tuple
_SEQUENCE = "seq"
_MAPPING = "map"


class YamlLocator(Locator):
    """Maps pointers to spans: off the document's live node tree while it is checked (a locator
    from :func:`stream`), else from plain positions (:data:`Position`, made by :meth:`settle`).

    A mapping's keys are indexed the first time a pointer passes through it, so a thousand
    findings in one mapping cost a thousand dictionary lookups, not a thousand scans of it."""

    __slots__ = ("root", "_indexes")

    def __init__(self, root: Any) -> None:
        #: a :data:`Position`, its ``marshal`` bytes (:meth:`pack`), or a live root :class:`Node`
        self.root = root
        self._indexes: dict = {}

    def settle(self) -> None:
        """Record the positions of the whole document as plain data and let go of its node tree:
        the document outlives the check (a kept document, one :func:`parse` returns)."""
        if isinstance(self.root, Node):
            self.root = _positions(self.root, {})
            self._indexes = {}

    def pack(self) -> None:
        """Keep the positions as compressed ``marshal`` bytes until a span is asked for: a document
        kept for the cross-object rules waits in a fraction of the memory (positions are runs of
        small, similar integers: a third of their marshal size), and most are never located."""
        self.settle()
        if not isinstance(self.root, bytes):
            self.root = pack_positions(self.root)
            self._indexes = {}

    def keep_only(self, paths) -> None:
        """Forget the positions of everything outside ``paths`` (tuples of keys, ``"*"`` any
        key), as :func:`lintra.check.kept.parts` keeps the data: spans are asked for nothing else.
        From a node tree, only those positions are recorded."""
        if isinstance(self.root, Node):
            self.root = _kept_positions(self.root, paths, {})
            self._indexes = {}
        elif not isinstance(self.root, bytes):
            self.root = _keep_positions(self.root, paths)
            self._indexes = {}

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        if isinstance(self.root, Node):
            return self._node_span(pointer, at)
        if isinstance(self.root, bytes):
            self.root = unpack_positions(self.root)
        position: Position = self.root
        key_span: Optional[tuple] = None
        for part in pointer:
            found = self._child(position, part)
            if found is None:
                break  # the deepest node we can place: a computed or short-form value
            key_span, position = found
        if key_span is not None and (at == "key" or (at is None and position[0] in (_SEQUENCE, _MAPPING))):
            return Span(*key_span)
        return Span(*(position[1] if position[0] in (_SEQUENCE, _MAPPING) else position))

    def _child(self, position: Position, part: Any) -> Optional[Tuple[Optional[tuple], Position]]:
        tag = position[0]
        if tag == _SEQUENCE:
            items = position[2]
            if isinstance(part, int) and 0 <= part < len(items):
                return None, items[part]
            return None
        if tag != _MAPPING:
            return None
        index = self._indexes.get(id(position))
        if index is None:
            index = self._indexes[id(position)] = _index(position[2])
        return _found(index, part)

    def _node_span(self, pointer: Pointer, at: Optional[str]) -> Span:
        """:meth:`span` off the node tree: the same answers as from the positions it would record."""
        node = self.root
        key_node: Optional[Node] = None  # its span is made only if the answer is the key's
        for part in pointer:
            cls = node.__class__
            if cls is SequenceNode:
                items = node.value
                if not (isinstance(part, int) and 0 <= part < len(items)):
                    break
                key_node, node = None, items[part]
                continue
            if cls is not MappingNode:
                break
            index = self._indexes.get(id(node))
            if index is None:
                index = self._indexes[id(node)] = _index(_located(node))
            found = _found(index, part)
            if found is None:
                break
            key_node, node = found
        if key_node is not None and (at == "key" or (at is None and node.__class__ is not ScalarNode)):
            return Span(*_node_span(key_node))
        return Span(*_node_span(node))


def _found(index: Tuple[dict, dict], part: Any) -> Optional[tuple]:
    exact, loose = index
    try:
        found = exact.get((type(part), part))
    except TypeError:  # an unhashable pointer part names no key
        found = None
    return found if found is not None else loose.get(str(part))


def _located(node: MappingNode) -> list:
    """``(key, key node, value node)`` of each scalar key of a mapping (the locator places only
    those), merge keys applied, as the builder gave the data its keys."""
    pairs = node.value
    if any(_is_merge(key_node) for key_node, _ in pairs):
        pairs = _pairs(node)  # the document was built, so no merge in it is a cycle
    return [(_scalar(key_node), key_node, value_node)
            for key_node, value_node in pairs if key_node.__class__ is ScalarNode]


def _positions(node: Node, seen: dict) -> Position:
    """The :data:`Position` of ``node``; an alias shares its anchor's (``seen``: id -> position).
    Scalar children are placed in their parent's loop, as :class:`_Builder` converts them."""
    if node.__class__ is ScalarNode:
        start, end = node.start_mark, node.end_mark
        return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    known = seen.get(id(node))
    if known is not None:
        return known
    start, end = node.start_mark, node.end_mark
    line, column = start.line + 1, start.column + 1
    span = (line, column, end.line + 1, end.column + 1) if end.line + 1 == line else (line, column, line, column)
    if node.__class__ is SequenceNode:
        items: list = []
        place = items.append
        for child in node.value:
            if child.__class__ is ScalarNode:
                start, end = child.start_mark, child.end_mark
                place((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
            else:
                place(_positions(child, seen))
        position: Position = (_SEQUENCE, span, items)
    else:
        located: list = []
        locate = located.append
        pairs = node.value
        for key_node, _ in pairs:
            if (key_node.value == "<<" or key_node.tag.__class__ is str) and _is_merge(key_node):
                pairs = _pairs(node)  # the document was built, so no merge in it is a cycle
                break
        for key_node, value_node in pairs:
            if key_node.__class__ is not ScalarNode:
                continue  # the locator places only scalar keys
            tag, text = key_node.tag, key_node.value
            if tag.__class__ is not slice:
                key = _scalar_of(tag, text, key_node)
            elif tag.step[0]:  # plain: its value by its text (_plain)
                found = _PLAIN.get(text, _MISSING)
                key = found if found is not _MISSING else _plain(text)
            else:
                key = _intern(text) if len(text) <= _INTERNED else text
            start, end = key_node.start_mark, key_node.end_mark
            key_span = (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
            if value_node.__class__ is ScalarNode:
                start, end = value_node.start_mark, value_node.end_mark
                locate((key, key_span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1)))
            else:
                locate((key, key_span, _positions(value_node, seen)))
        position = (_MAPPING, span, located)
    seen[id(node)] = position
    return position


def _kept_positions(node: Node, paths, seen: dict) -> Position:
    """:func:`_keep_positions` of the node's positions, recording only those kept."""
    if not all(paths) or node.__class__ is not MappingNode:
        return _positions(node, seen)
    named = {path[0] for path in paths}
    # a key converts to a string only from that very text, so a key of another text is passed
    # over without converting it or placing it (a parameter's type and description)
    texts = None if "*" in named or not all(isinstance(key, str) for key in named) else named
    pairs = node.value
    for key_node, _ in pairs:
        if (key_node.value == "<<" or key_node.tag.__class__ is str) and _is_merge(key_node):
            pairs = _pairs(node)  # the document was built, so no merge in it is a cycle
            break
    kept = []
    for key_node, value_node in pairs:
        if key_node.__class__ is not ScalarNode or (texts is not None and key_node.value not in texts):
            continue  # the locator places only scalar keys
        key = _scalar(key_node)
        deeper = [path[1:] for path in paths if path[0] == "*" or path[0] == key]
        if deeper:
            kept.append((key, _node_span(key_node), _kept_positions(value_node, deeper, seen) if all(deeper)
                         else _positions(value_node, seen)))  # a kept path ends here: all of it
    return (_MAPPING, _node_span(node), kept)


def pack_positions(root: Position) -> bytes:
    """``root`` as the bytes :meth:`YamlLocator.pack` keeps (only this process reads them back)."""
    return packing.pack(root)


def unpack_positions(packed: bytes) -> Position:
    return packing.unpack(packed)


def _keep_positions(position: Position, paths) -> Position:
    if any(not path for path in paths) or position[0] != _MAPPING:
        return position
    kept = []
    for key, key_span, value in position[2]:
        deeper = [path[1:] for path in paths if path[0] == "*" or path[0] == key]
        if deeper:
            kept.append((key, key_span, _keep_positions(value, deeper)))
    return (_MAPPING, position[1], kept)


def _index(pairs: list) -> Tuple[dict, dict]:
    """``(exact, loose)`` for one mapping (``pairs``: ``(key, key's span or node, value)``), each
    giving ``(key's span or node, value)``: a key of the same type and value, else one whose string
    form matches (a pointer part ``1`` for the key ``"1"``); the last of equal keys wins, as in
    the data."""
    exact: dict = {}
    loose: dict = {}
    for key, key_span, value in pairs:
        try:
            exact[(type(key), key)] = (key_span, value)
        except TypeError:  # a short-form key ({"Ref": ...}) equals no pointer part
            pass
        loose[str(key)] = (key_span, value)
    return exact, loose


def _node_span(node: Node) -> tuple:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) or end.line == start.line:
        return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    # A block collection ends where the next sibling starts; stop at the end of its first line.
    return (start.line + 1, start.column + 1, start.line + 1, start.column + 1)
