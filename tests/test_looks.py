"""Rules say where they look (``check.looks``), and the check stage calls a rule only on a document
where something it looks at may be found (:class:`lintra.check.Dispatch`): the paths all rules of a
kind look at form one tree, walked once per document, and each distinct ``(key, text)`` is tested
once per run for every rule looking there. None of it may change what is found, or where.

The promise is tested on the real trees of ../shared: every per-document rule, called on every
document of its kinds, finds exactly what the dispatched run finds, at the same places."""

import os

import pytest

from lintra.check import Dispatch, Scan, _internal_error, locate, run_rules
from lintra.discover import discover
from lintra.load import load_source
from lintra.model import Source
from lintra.pipeline import Plan
from lintra.plugins import load_registry
from lintra.policy.pack import _compile_file, _compile_rule
from lintra.policy.selector import compile_path, evaluate, reach_of, reached
from lintra.resources import policies_dir

from tests.conftest import SHARED, where

REGISTRY = load_registry()
#: the trees of ../shared with Kubernetes documents (and the vSphere exports and Heat templates
#: beside them: their kinds are dispatched by the same code)
TREES = [os.path.join(SHARED, "corpus", "examples"), os.path.join(SHARED, "corpus", "vsphere-csi-driver"),
         os.path.join(SHARED, "corpus", "heat-templates"), os.path.join(SHARED, "helm-kustomize"),
         os.path.join(SHARED, "vsphere")]


def _shared_trees():
    trees = [tree for tree in TREES if os.path.isdir(tree)]
    if not trees:
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    return trees


def _described(findings):
    return [(f.rule.id, f.file, f.span.line, f.span.column, f.pointer, f.message, f.vendor, f.service)
            for f in findings]


def _every_rule_everywhere(documents, rules, scan):
    """What run_rules found before dispatch: every rule on every document of its kinds."""
    found = []
    for doc in documents:
        for rule in rules:
            if doc.kind not in rule.kinds:
                continue
            try:
                found.extend(locate(rule, doc, hit) for hit in rule.check(doc, scan))
            except Exception as error:
                found.append(_internal_error(rule, doc, error))
    return found


def _compare_on(trees, rules, options=None):
    """(documents compared, findings) after checking that ``rules`` find on every document of
    ``trees`` what they find when given every document."""
    suffixes = {suffix for loader in REGISTRY.loaders for suffix in loader.suffixes}
    dispatch = Dispatch(rules)
    counted = {"documents": 0, "findings": 0}

    def each(documents):
        scan = Scan(documents, options, REGISTRY.resolvers)
        dispatched = run_rules(documents, dispatch, scan)
        expected = _every_rule_everywhere(documents, rules, scan)
        assert _described(dispatched) == _described(expected), documents[0].source.name
        counted["documents"] += len(documents)
        counted["findings"] += len(expected)
        return []

    for source in discover(trees, suffixes):
        load_source(source, REGISTRY.loaders, REGISTRY.detectors, options, each=each)
    return counted


def test_every_per_document_rule_finds_on_the_shared_trees_what_it_finds_given_every_document():
    trees = _shared_trees()
    plan = Plan(REGISTRY, list(REGISTRY.rules.values()), None)
    counted = _compare_on(trees, plan.local)
    # the comparison is not empty: the trees hold thousands of documents and coupling in them
    assert counted["documents"] > 1000 and counted["findings"] > 500


def test_rules_compiled_on_first_use_look_and_find_as_the_compiled_rules_do():
    # a run that reads the shipped packs from the cache compiles each rule's matches only when a
    # document first reaches one of its paths: until then its looks compile it, then change
    trees = _shared_trees()
    parsed = []
    for name in sorted(os.listdir(policies_dir())):
        if name.startswith("k8s-") and name.endswith(".yaml"):
            _compile_file(os.path.join(policies_dir(), name), False, parsed)
    specs = [{**(data.get("defaults") or {}), **raw} for data in parsed for raw in data["rules"]]
    assert len(specs) > 40
    deferred = [_compile_rule(spec, "test", deferred=True) for spec in specs]
    counted = _compare_on(trees[:2], deferred)
    assert counted["findings"] > 100
    compiled = [_compile_rule(spec, "test") for spec in specs]
    assert _compare_on(trees[:2], compiled) == counted


def test_configured_parameters_change_what_a_rule_looks_for():
    # LK304's public registries are a parameter: with gcr.io declared public, the image is not
    # reported, and the next run with the defaults reports it again (the looks follow the run)
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            "  containers: [{name: c, image: gcr.io/example/app:1}]\n")
    documents = load_source(Source("p.yaml", None, text.encode()), REGISTRY.loaders, REGISTRY.detectors).documents
    rule = REGISTRY.rules["LK304"]
    dispatch = Dispatch([rule])
    assert [(f.rule.id, f.span.line, f.span.column)
            for f in run_rules(documents, dispatch, Scan(documents, {}, REGISTRY.resolvers))] == [("LK304", 5, 33)]
    quiet = Scan(documents, {"rule_params": {"LK304": {"public_registries": ["gcr.io"]}}}, REGISTRY.resolvers)
    assert run_rules(documents, dispatch, quiet) == []
    assert [f.span.column for f in run_rules(documents, dispatch, Scan(documents, {}, REGISTRY.resolvers))] == [33]


def test_a_rule_is_called_only_where_one_of_its_paths_reaches_a_node_its_test_passes():
    seen = []

    def check(document, scan):
        seen.append(document.data["metadata"]["name"])
        return ()

    steps = compile_path("metadata.labels.*")

    def looks(scan):
        return [(reach_of(steps), lambda key, value: value == "blue")]

    check.looks = looks
    from lintra.model import Rule

    rule = Rule("ZZ1", "zz", "t", "other", "network", "soft", "warning", ("k8s",), "r", "m", check)
    text = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{labels}"
                   for name, labels in (("none", ""), ("red", "  labels: {colour: red}\n"),
                                        ("blue", "  labels: {colour: blue}\n"),
                                        ("both", "  labels: {a: red, b: blue}\n")))
    documents = load_source(Source("m.yaml", None, text.encode()), REGISTRY.loaders, REGISTRY.detectors).documents
    run_rules(documents, [rule], Scan(documents))
    assert seen == ["blue", "both"]


def test_a_path_continues_its_prefix_and_paths_that_start_alike_share_their_steps():
    volumes = reach_of(compile_path("@pod.volumes[*].csi.driver"))
    assert volumes.parent.parent is reach_of(compile_path("@pod.volumes[*].azureDisk")).parent
    assert compile_path("metadata.labels.*")[0] is compile_path("metadata.annotations.*")[0]
    data = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}],
                                           "volumes": [{"name": "a", "csi": {"driver": "x.example.org"}},
                                                       {"name": "b", "emptyDir": {}}]}}}}
    chain = []
    node = volumes
    while node is not None:
        chain.append(node)
        node = node.parent
    found = [((), None, data)]
    for reach in reversed(chain):
        found = reach.follow(found)
        assert found == list(evaluate(reach.steps, data)) == reached(reach.steps, data)
    assert found == [(("spec", "template", "spec", "volumes", 0, "csi", "driver"), "driver", "x.example.org")]
    assert reached([], data) == [((), None, data)]


def test_a_service_account_resolves_per_namespace_for_every_workload_of_a_file(lint):
    # the nearest definition is remembered per (name, file, namespace): two workloads of one
    # namespace share it, a third in another namespace resolves to that namespace's account
    result = lint("""\
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: app
          namespace: a
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: app, namespace: b}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: one, namespace: a}
        spec:
          serviceAccountName: app
          containers: [{name: c, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: two, namespace: b}
        spec:
          serviceAccountName: app
          containers: [{name: c, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: three, namespace: a}
        spec:
          serviceAccountName: app
          containers: [{name: c, image: nginx}]
        """)
    assert where(result, "LK111") == [("LK111", 17, 23), ("LK111", 31, 23)]
    for finding in (f for f in result.findings if f.rule.id == "LK111"):
        assert [(r.span.line, r.span.column) for r in finding.related] == [(7, 5)]


def test_claims_of_one_file_share_the_class_they_name_and_each_is_reported_at_its_own_name(lint):
    result = lint("""\
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: one}
        spec: {storageClassName: fast}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: two}
        spec:
          storageClassName: fast
        """)
    found = [f for f in result.findings if f.rule.id == "LK110"]
    assert [(f.span.line, f.span.column) for f in found] == [(9, 26), (15, 21)]
    assert [f.message for f in found] == [
        "PersistentVolumeClaim 'one' is coupled through StorageClass 'fast' (provisioner ebs.csi.aws.com)",
        "PersistentVolumeClaim 'two' is coupled through StorageClass 'fast' (provisioner ebs.csi.aws.com)"]
    assert [[(r.span.line, r.span.column) for r in f.related] for f in found] == [[(4, 14)], [(4, 14)]]
