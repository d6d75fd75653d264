"""The YAML builder's fast paths give what a plain reading of the node tree gives (issue 12, the
parse and build cost): libyaml composes with PyYAML's own tag resolution (``CSafeLoader``), and a
straightforward recursion turns those nodes into data and positions. The builder under test
composes without tag resolution, resolves plain scalars by text through one cache, and builds an
alias-free text without alias bookkeeping; on every YAML/JSON file of ../shared and tests/, and on
the cases written below, its data (types included), its recorded positions and the spans its
locators answer are the reference's, and so are its errors."""

import math
import os

import pytest
import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from lintra.load import decode, yamltree
from lintra.load.limits import LimitExceeded

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
SUFFIXES = (".yaml", ".yml", ".json", ".hot", ".template", ".env")


def _reference_scalar(node):
    if node.tag == "tag:yaml.org,2002:merge":
        return node.value  # a ``<<`` that is no key: its text
    return yamltree._scalar_of(node.tag, node.value, node)


def _reference_data(node, memo):
    """Data from resolved nodes: merge keys applied as :func:`yamltree._pairs` says (the merge
    order is tested on its own in tests/test_load.py), collection keys as their text."""
    if isinstance(node, ScalarNode):
        return _reference_scalar(node)
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, SequenceNode):
        value = [_reference_data(child, memo) for child in node.value]
    else:
        value = {}
        for key_node, value_node in yamltree._pairs(node, strict=True):
            key = _reference_data(key_node, memo)
            if isinstance(key, (dict, list)):
                key = str(key)
            value[key] = _reference_data(value_node, memo)
    if node.tag.startswith("!"):
        value = yamltree._short_form(node.tag, value)
    memo[id(node)] = value
    return value


def _span(node):
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) or start.line == end.line:
        return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    return (start.line + 1, start.column + 1, start.line + 1, start.column + 1)


def _reference_positions(node):
    """:data:`yamltree.Position` of a node, written out plainly."""
    if isinstance(node, ScalarNode):
        return _span(node)
    if isinstance(node, SequenceNode):
        return ("seq", _span(node), [_reference_positions(child) for child in node.value])
    return ("map", _span(node), [(_reference_data(key, {}), _span(key), _reference_positions(value))
                                 for key, value in yamltree._pairs(node) if isinstance(key, ScalarNode)])


def _typed(value):
    """``value`` compared with its types: ``1 == 1.0 == True`` in Python, not in a document."""
    if isinstance(value, dict):
        return ("map", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def _pointers(value, base=()):
    yield base
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _pointers(child, base + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _pointers(child, base + (index,))


def _spans(locator, pointers):
    spans = [locator.span(pointer, at) for pointer in pointers for at in (None, "key", "value")]
    return [(span.line, span.column, span.end_line, span.end_column) for span in spans]


def _reference(text):
    try:
        roots = [root for root in yaml.compose_all(text, Loader=yaml.CSafeLoader) if root is not None]
        return [(_typed(_reference_data(root, {})), _reference_positions(root)) for root in roots]
    except yaml.YAMLError:
        return "syntax error"
    except LimitExceeded:
        return "limit"


def _built(text):
    """What :func:`yamltree.stream` gives, with spans asked of each live locator and then of the
    settled one (the same answers), and the positions it settles."""
    out = []
    try:
        for data, locator in yamltree.stream(text):
            pointers = list(_pointers(data))[:2000] + [("no such key",), (0, "x", 1)]
            live = _spans(locator, pointers)
            locator.settle()
            assert _spans(locator, pointers) == live
            out.append((_typed(data), locator.root))
    except yamltree.YamlSyntaxError:
        return "syntax error"
    except LimitExceeded:
        return "limit"
    return out


CASES = {
    "merge keys": "base: &b {x: 1, y: [a, {z: 2}]}\nm:\n  <<: *b\n  y: own\n",
    "inline merge, no alias": "m: {<<: {a: 1, b: 2}, b: 3}\nn:\n  <<: [{c: 1}, {c: 2, d: 3}]\n  e: 4\n",
    "explicit merge tag": "m: {!!merge <<: {a: 1}, b: 2}\n",
    "a << that is a value or quoted": "a: <<\nb: [<<, '<<']\n'<<': quoted\n",
    "plain scalars resolved": "a: [true, yes, No, ~, null, '', 12, 0x1F, 0o7, 1_000, 1.5, .inf, -.Inf, .NaN, 2013-05-23, "
                              "'12', \"true\", 1e3, +12, 0b101, 1:20, 190:20:30.15, =, <]\n~: k\n12: int key\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!bool maybe\nd: !!float x\ne: !Ref p\nf: !Sub 's'\n"
                     "g: !GetAtt [a, b]\nh: !custom v\n!Ref key: v\n!!null '': n\n",
    "collection keys": "? [a, b]\n: seq\n? {c: 1}\n: map\n? !Ref x\n: short\n",
    "aliases of scalars and collections": "a: &s text\nb: *s\nc: &l [1, 2]\nd: [*l, *l]\ne: &m {k: *s}\nf: *m\n",
    "an asterisk that is no alias": "cron: '*/5 * * * *'\nglob: \"*.conf\"\nplain: a*b\n",
    "multi-document": "---\na: 1\n---\n---\n- x\n- y\n--- plain\n...\n",
    "block scalars": "a: |\n  line\n  two\nb: >-\n  folded\n  text\nc: [\n  x,\n  y\n]\n",
    "duplicate keys, last wins": "k: first\nk: second\n1: int\n'1': str\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_written_cases_are_built_as_the_plain_reading_builds_them(name):
    text = CASES[name]
    built = _built(text)
    assert built == [(data, positions) for data, positions in _reference(text)]
    assert built  # every case has documents


def test_an_alias_cycle_and_a_deep_document_are_refused_by_both_paths():
    assert _built("a: &a [*a]\n") == "limit"
    deep = "a: " + "[" * 300 + "]" * 300 + "\n"  # no alias: the fast path leaves the limit to the builder
    with pytest.raises(LimitExceeded, match="nesting deeper than 256 levels") as error:
        list(yamltree.stream(deep))
    assert (error.value.line, error.value.column) == (1, 4 + 256)


def _files():
    roots = [HERE] + ([SHARED] if os.path.isdir(SHARED) else [])
    for root in roots:
        for directory, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if name.endswith(SUFFIXES):
                    yield os.path.join(directory, name)


def test_every_yaml_and_json_file_here_is_built_as_the_plain_reading_builds_it():
    if not os.path.isdir(SHARED):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    differ, count = [], 0
    for path in _files():
        try:
            text = decode(open(path, "rb").read())
        except UnicodeDecodeError:
            continue
        count += 1
        reference = _reference(text)
        built = _built(text)
        if isinstance(reference, str) or isinstance(built, str):
            if reference != built:
                differ.append(path)
        elif built != [(data, positions) for data, positions in reference]:
            differ.append(path)
    assert count > 3000
    assert differ == []
