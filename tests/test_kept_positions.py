"""What the map records of a kept document's positions (lintra.load.yamltree._kept_positions,
straight off the node tree) equals the document's whole positions cut down to the kept paths
(_keep_positions of _positions): on every YAML file of the shared trees and on merge keys,
aliases, non-string and non-scalar keys, for the paths the Heat rules and the reference
follower keep and for wildcard, numeric and empty paths."""

import os

import pytest
import yaml

from lintra.load.references import READS as REFERENCE_READS
from lintra.load.yamltree import _keep_positions, _kept_positions, _positions
from lintra.rules.heat import TEMPLATE_READS
from tests.conftest import SHARED

PATH_SETS = [list(TEMPLATE_READS), list(REFERENCE_READS["heat-env"]), [("*",)], [("*", "*", "type")],
             [("metadata", "annotations"), ("spec",)], [("1",), (1,)], [("a", "*")], [()], [("parameters", "*")],
             [("<<",)], [("true",), (True,)]]

HANDWRITTEN = [
    "base: &b {default: 1, type: string}\nparameters:\n  a: {<<: *b, description: x}\n  b: *b\n",
    "parameters:\n  <<: {x: {default: 2}}\n  y: {default: 3, <<: [{default: 4}, {type: n}]}\n",
    "? [not, scalar]\n: 1\n1: one\ntrue: yes\n'1': quoted\nparameters: {a: {default: !!str 5}}\n",
    "resources:\n  r: {type: OS::Nova::Server, properties: {name: &n x, other: *n}}\nresources2: 1\n",
    "!!map {parameters: !!map {a: !!map {default: !!int 3}}, ? !!str resources : {}}\n",
]


def _documents():
    for text in HANDWRITTEN:
        yield from yaml.compose_all(text, Loader=yaml.CSafeLoader)
    for tree in ("corpus/tripleo-heat-templates", "corpus/heat-templates", "helm-kustomize"):
        top = os.path.join(SHARED, tree)
        for directory, _, files in sorted(os.walk(top)):
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml")):
                    continue
                try:
                    with open(os.path.join(directory, name), "rb") as handle:
                        yield from yaml.compose_all(handle, Loader=yaml.CSafeLoader)
                except yaml.YAMLError:
                    continue


def test_kept_positions_are_the_whole_positions_cut_down():
    if not os.path.isdir(os.path.join(SHARED, "corpus")):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    checked = 0
    for node in _documents():
        if node is None:
            continue
        whole = _positions(node, {})
        for paths in PATH_SETS:
            assert _kept_positions(node, paths, {}) == _keep_positions(whole, paths), (node.start_mark, paths)
        checked += 1
    assert checked > 1500
