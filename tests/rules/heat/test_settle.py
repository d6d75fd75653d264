"""Heat's cross-object rules run in the map step wherever no other document can change what they
find (lintra.check.settle), and the map keeps for the reduce only the templates it still needs.

A ``get_param`` at a place a rule looks at (``value_specs`` of a Neutron net for LH113) takes its
value from a parent template's property or an environment (Heat's composition and environment
guides), so the rule must run in the reduce there; a literal value is judged from the template
alone. A template is read by rules on *other* documents only as a parent (it names a nested
template by path) or, once an environment applies (``-e``, ``--heat-env-auto``), as a template a
registry entry may name."""

import os
import textwrap

import pytest

from lintra.check import settle
from lintra.filter import Judgement
from lintra.model import Hit, Rule
from lintra.pipeline import run
from lintra.rules.heat import resolve
from tests.rules.heat import write
from tests.test_memory import _kept

NET_LITERAL = """\
heat_template_version: 2018-08-31
parameters:
  flavor: {type: string, default: m1.small}
resources:
  net:
    type: OS::Neutron::Net
    properties:
      name: {get_param: flavor}
      value_specs:
        provider:network_type: portgroup
"""
NET_PARAMETER = """\
heat_template_version: 2018-08-31
parameters:
  nettype: {type: string}
resources:
  net:
    type: OS::Neutron::Net
    properties:
      value_specs:
        provider:network_type: {get_param: nettype}
"""
PARENT = """\
heat_template_version: 2018-08-31
resources:
  network:
    type: net.yaml
    properties:
      nettype: portgroup
"""


def found(result, rule="LH113"):
    return [(os.path.basename(f.file), f.span.line, f.span.column, f.message)
            for f in result.findings if f.rule.id == rule]


def names(documents):
    return sorted(os.path.basename(doc.source.name) for doc in documents)


def test_a_template_whose_looked_at_places_hold_literals_is_settled_in_the_map_and_not_kept(tmp_path):
    write(tmp_path, "net.yaml", NET_LITERAL)
    result = run([str(tmp_path)], Judgement(select=["LH"]))
    # the literal network type is found at its value (line 10, column 32), from the map step
    assert [(name, line, column) for name, line, column, _ in found(result)] == [("net.yaml", 10, 32)]
    assert _kept([tmp_path]) == []  # no rule on another document reads it: nothing waits for the reduce


def test_a_parameter_a_parent_elsewhere_in_the_scan_sets_is_still_found_there(tmp_path):
    write(tmp_path, "net.yaml", NET_PARAMETER)
    write(tmp_path, "parent.yaml", PARENT)
    result = run([str(tmp_path)], Judgement(select=["LH"]))
    # the value the parent passes (parent.yaml line 6, column 16), through net.yaml's get_param
    assert [(name, line, column) for name, line, column, _ in found(result)] == [("parent.yaml", 6, 16)]
    assert "passed by resource 'network' of" in found(result)[0][3]
    # the nested template's get_param is resolved in the reduce, the parent read there
    assert names(_kept([tmp_path])) == ["net.yaml", "parent.yaml"]


def test_a_parameter_an_environment_sets_is_still_found_there(tmp_path):
    write(tmp_path, "net.yaml", NET_PARAMETER)
    env = write(tmp_path, "env.yaml", "parameter_defaults:\n  nettype: portgroup\n")
    result = run([str(tmp_path)], Judgement(select=["LH"]), options={"heat_env": [env]})
    assert [(name, line, column) for name, line, column, _ in found(result)] == [("env.yaml", 2, 12)]
    assert "from parameter_defaults of -e" in found(result)[0][3]
    assert names(_kept([tmp_path], heat_env=[env])) == ["env.yaml", "net.yaml"]


def test_with_environments_that_apply_every_template_is_kept(tmp_path):
    """A registry entry of an applying environment may name any template (LH107 judges it), so
    none can be left out of the reduce."""
    write(tmp_path, "net.yaml", NET_LITERAL)
    assert names(_kept([tmp_path], heat_env_auto=True)) == ["net.yaml"]


def test_a_rule_that_asks_for_other_documents_runs_in_the_reduce_even_when_it_catches_errors():
    asked = []

    def curious(document, scan):
        try:
            asked.append(len(list(scan.of_kind("heat-env"))))
        except Exception:  # a rule's own error handling must not swallow the map's stop
            asked.append("swallowed")
        yield Hit(("resources",), "found")

    def plain(document, scan):
        yield Hit(("resources", "net", "type"), "plain", at="value")

    from lintra.load import yamltree
    from lintra.model import Document, Source
    from lintra.check import locate

    [(data, locator)] = yamltree.parse(textwrap.dedent(NET_LITERAL))
    document = Document(Source("net.yaml", None, b""), 0, "heat", data, locator)
    rules = [_rule("X1", curious), _rule("X2", plain)]
    settled = settle.settle(document, rules, settle.LocalScan(None, None), locate)
    assert settled.left == ("X1",)
    assert asked == []
    assert [(f.rule.id, f.span.line, f.span.column) for f in settled.findings] == [("X2", 6, 11)]


def _rule(rule_id, check):
    return Rule(rule_id, rule_id.lower(), "t", "other", "api", "soft", "info", ("heat",), "r", "m", check)


def _located(result):
    return [(f.rule.id, f.file, f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message,
             f.pointer, f.vendor, f.service, tuple((r.message, r.file, r.span.line, r.span.column) for r in f.related),
             f.fingerprint, f.suppressed) for f in result.findings]


TREES = [("corpus", {}), ("corpus", {"heat_env_auto": True}), ("corpus/tripleo-heat-templates/deployment", {}),
         ("helm-kustomize", {}), ("vsphere", {})]


@pytest.mark.parametrize("tree,options", TREES, ids=[f"{t}{'-auto' if o else ''}" for t, o in TREES])
def test_the_map_finds_on_the_shared_trees_what_the_reduce_finds(tree, options, monkeypatch):
    """Every finding, in order, with its place, message, related locations and fingerprint, is the
    same whether the Heat rules run in the map where they can or all in the reduce."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", tree)
    if not os.path.isdir(path):
        pytest.skip(f"../shared/{tree} is absent (it sits beside the checkout in CI)")
    settled = _located(run([path], options=dict(options, cache=False)))
    monkeypatch.setattr(resolve.RESOLVER, "bundle", ())  # every Heat rule in the reduce, as before
    reduced = _located(run([path], options=dict(options, cache=False)))
    assert settled == reduced
    if tree == "corpus" and not options:
        assert any(item[0].startswith("LH") for item in settled)


def test_the_map_keeps_fewer_heat_templates_of_the_corpus(corpus, monkeypatch):
    kept = _kept([corpus])
    templates = [doc for doc in kept if doc.kind in ("heat", "cfn")]
    monkeypatch.setattr(resolve.RESOLVER, "bundle", ())
    before = [doc for doc in _kept([corpus]) if doc.kind in ("heat", "cfn")]
    assert len(templates) < len(before) / 2
    assert {doc.source.name for doc in templates} < {doc.source.name for doc in before}


def test_a_parent_is_kept_only_while_a_template_it_names_has_rules_left_for_the_reduce(tmp_path):
    write(tmp_path, "net.yaml", NET_LITERAL)
    write(tmp_path, "parent.yaml", PARENT)
    assert _kept([tmp_path]) == []  # the nested template was settled: nothing reads what the parent passes
    write(tmp_path, "net.yaml", NET_PARAMETER)
    assert names(_kept([tmp_path])) == ["net.yaml", "parent.yaml"]


def test_a_grandparent_is_kept_for_the_parameter_its_child_passes_on(tmp_path):
    write(tmp_path, "lib/net.yaml", NET_PARAMETER)
    write(tmp_path, "lib/parent.yaml", PARENT.replace("nettype: portgroup", "nettype: {get_param: outer}"))
    write(tmp_path, "grand.yaml", "heat_template_version: 2018-08-31\nresources:\n  stack:\n"
                                  "    type: lib/parent.yaml\n    properties:\n      outer: portgroup\n"
                                  "  other:\n    type: unrelated.yaml\n")
    write(tmp_path, "unrelated.yaml", "heat_template_version: 2018-08-31\nresources:\n  s:\n"
                                      "    type: child.yaml\n")
    write(tmp_path, "child.yaml", NET_LITERAL)
    result = run([str(tmp_path)], Judgement(select=["LH"]))
    assert [(name, line, column) for name, line, column, _ in found(result)] == [
        ("child.yaml", 10, 32), ("grand.yaml", 6, 14)]
    # the chain up from the template whose get_param waits for the reduce, and nothing else
    assert names(_kept([tmp_path])) == ["grand.yaml", "net.yaml", "parent.yaml"]


def test_the_reduce_does_not_dispatch_rules_on_a_document_the_map_settled_whole(tmp_path, monkeypatch):
    """An environment whose rules all ran in the map waits for the reduce only for the rules of
    other documents (the template's get_param reads it): it is among the reduce's documents, but
    no rule of its own is dispatched there again, so its data is not even read for that."""
    import lintra.pipeline as pipeline
    from lintra.check import Dispatch

    write(tmp_path, "net.yaml", NET_PARAMETER)
    env = write(tmp_path, "env.yaml", "parameter_defaults:\n  nettype: portgroup\n")
    reducing, dispatched = [], []
    real_reduce, real_rules_for = pipeline._reduce, Dispatch.rules_for

    def reduce(*args, **kwargs):
        reducing.append(True)
        try:
            return real_reduce(*args, **kwargs)
        finally:
            reducing.pop()

    def rules_for(self, document, resolved=False):
        if reducing:
            dispatched.append(os.path.basename(document.source.name))
        return real_rules_for(self, document, resolved)

    monkeypatch.setattr(pipeline, "_reduce", reduce)
    monkeypatch.setattr(Dispatch, "rules_for", rules_for)
    result = run([str(tmp_path)], Judgement(select=["LH"]), options={"heat_env": [env], "cache": False})
    assert [(name, line, column) for name, line, column, _ in found(result)] == [("env.yaml", 2, 12)]
    assert dispatched == ["net.yaml"]
    monkeypatch.undo()
    assert names(_kept([tmp_path], heat_env=[env])) == ["env.yaml", "net.yaml"]  # still there to be read
