"""A Heat rule is given a template only where it may find, as a Kubernetes rule is given an object.

Heat's resolver may stand the values of an environment, a parameter default or a parent's property
in for a ``get_param``/``Ref`` node, and only for such a node (``Resolver.stands_in``): so a rule
whose looks (or places) a template does not reach, with no ``get_param`` on the way to them, finds
nothing there and asks the run for no other document. The map step then runs on each template the
few rules that may find (:mod:`lintra.check.settle`), and the reduce too, instead of every one."""

import os
import textwrap

import pytest

from lintra.check import Dispatch, Scan, run_rules
from lintra.load import load_source
from lintra.model import Hit, Rule, Source
from lintra.pipeline import run
from lintra.plugins import load_registry
from lintra.rules.heat import resolve
from tests.conftest import CORPUS

REGISTRY = load_registry()
RESOLVER = REGISTRY.resolvers["heat"]

SERVER = """\
heat_template_version: 2018-08-31
parameters:
  net: {type: string, default: private}
resources:
  web:
    type: OS::Nova::Server
    properties:
      image: cirros
      networks: [{network: {get_param: net}}]
"""


def template(text):
    [document] = load_source(Source("t.yaml", None, textwrap.dedent(text).encode()), REGISTRY.loaders,
                             REGISTRY.detectors).documents
    assert document.kind == "heat"
    return document


def given(rule_id, text, resolver=RESOLVER):
    rule = REGISTRY.rules[rule_id]
    return rule in Dispatch([rule]).given(Scan([])).rules_for(template(text), resolver)


def net(value_specs):
    return ("heat_template_version: 2018-08-31\nparameters:\n  p: {type: json}\nresources:\n  net:\n"
            f"    type: OS::Neutron::Net\n    properties:\n{value_specs}")


def test_get_param_stands_in_and_no_other_node_does():
    assert resolve.stands_in({"get_param": "x"}) and resolve.stands_in({"get_param": ["x", "k", 0]})
    assert resolve.stands_in({"Ref": "X"})
    assert not resolve.stands_in({"get_attr": ["a", "b"]}) and not resolve.stands_in({"get_param": []})
    assert not resolve.stands_in({"get_param": "x", "other": 1}) and not resolve.stands_in("get_param")
    assert RESOLVER.stands_in is resolve.stands_in


def test_a_pack_rule_is_given_a_template_only_where_its_path_or_a_get_param_on_it_may_find():
    # LH113 looks at resources.*.properties.value_specs.provider:network_type (and its kin)
    assert not given("LH113", SERVER)  # a get_param elsewhere changes nothing
    assert given("LH113", SERVER, resolver=True)  # a resolver that does not say where: every rule, as before
    assert not given("LH113", net("      value_specs: {provider:network_type: vlan}\n"))
    assert given("LH113", net("      value_specs: {provider:network_type: portgroup}\n"))
    # a get_param at the value, at the mapping holding it, or at the properties above it
    assert given("LH113", net("      value_specs: {provider:network_type: {get_param: p}}\n"))
    assert given("LH113", net("      value_specs: {get_param: p}\n"))
    assert given("LH113", net("      {get_param: p}\n").replace("properties:\n      ", "properties: "))
    # another intrinsic resolves to nothing: unknown, not coupled
    assert not given("LH113", net("      value_specs: {get_attr: [a, b]}\n"))


def test_a_python_heat_rule_is_given_a_template_only_with_a_resource_of_a_type_it_judges():
    flavor = "heat_template_version: 2018-08-31\nresources:\n  f:\n    type: OS::Nova::Flavor\n"
    assert not given("LH110", SERVER) and given("LH110", flavor)
    assert given("LH118", SERVER) and not given("LH118", flavor)
    assert not given("LH117", SERVER)
    assert given("LH117", flavor.replace("OS::Nova::Flavor", "OS::Cinder::VolumeType"))
    assert not given("LH106", SERVER) and not given("LH106", flavor.replace("OS::Nova::Flavor", "lib/f.yaml"))
    assert given("LH106", flavor.replace("OS::Nova::Flavor", "OS::Acme::Widget"))
    # a type a get_param gives is not judged by these rules; a resources section one gives may hold any type
    assert given("LH106", "heat_template_version: 2018-08-31\nresources:\n  f: {get_param: r}\n")


def test_a_rule_given_every_resolved_document_by_places_is_given_one_where_a_get_param_stands_above_them():
    seen = []

    def check(document, scan):
        seen.append(document.source.name)
        return [Hit(("resources",), "found")]

    rule = Rule("ZZ1", "zz1", "t", "other", "api", "soft", "info", ("heat",), "r", "m", check,
                finds_under=[("resources", "net", "properties", "value_specs")])
    plain = template(SERVER)
    standing = template(net("      {get_param: p}\n").replace("properties:\n      ", "properties: "))
    literal = template(net("      value_specs: {a: b}\n"))
    run_rules([plain, standing, literal], [rule], Scan([], resolvers=REGISTRY.resolvers))
    assert len(seen) == 2  # the server template has no value_specs, and no get_param on the way


HEAT_TREES = [os.path.join(CORPUS, "tripleo-heat-templates"), os.path.join(CORPUS, "heat-templates")]
ENV = os.path.join(CORPUS, "tripleo-heat-templates", "environments", "neutron-nuage-config.yaml")
OPTIONS = [{}, {"heat_env_auto": True}, {"heat_env": [ENV]}]


def _located(result):
    return [(f.rule.id, f.file, f.span.line, f.span.column, f.message, f.pointer, f.vendor, f.service,
             tuple((r.message, r.file, r.span.line, r.span.column) for r in f.related), f.fingerprint)
            for f in result.findings]


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "heat-env-auto", "heat-env"])
def test_the_heat_trees_give_what_every_rule_on_every_template_gives(options, monkeypatch):
    if not all(os.path.isdir(tree) for tree in HEAT_TREES + [os.path.dirname(ENV)]):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    options = dict(options, cache=False)
    dispatched = _located(run(HEAT_TREES, options=options))
    monkeypatch.setattr(resolve.RESOLVER, "stands_in", None)  # every Heat rule on every template, as before
    everywhere = _located(run(HEAT_TREES, options=options))
    assert dispatched == everywhere
    assert any(item[0] in ("LH106", "LH107", "LH108") for item in dispatched)


def test_most_heat_rules_are_not_given_most_templates_of_the_corpus():
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    rules = [rule for rule in REGISTRY.rules.values() if "heat" in rule.kinds]
    dispatch = Dispatch(rules).given(Scan([]))
    given_count = templates = 0
    for tree in HEAT_TREES:
        for root, _, files in os.walk(tree):
            for name in files:
                if name.endswith(".yaml"):
                    path = os.path.join(root, name)
                    loaded = load_source(Source(path, path), REGISTRY.loaders, REGISTRY.detectors)
                    for document in loaded.documents:
                        if document.kind == "heat":
                            templates += 1
                            given_count += len(dispatch.rules_for(document, RESOLVER))
    assert templates > 300
    assert given_count < templates * len(rules) / 5
