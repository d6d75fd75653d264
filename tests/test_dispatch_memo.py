"""What the check stage remembers and where it looks, so that one document of a large file costs
little: a test that reads the key only is answered once per key (``spec.*`` reaches mappings), a
scoped match (``each`` + ``if`` + ``path``) is dispatched on its path's nodes, and the Python rules
that used to be called on every object (LK116, LK125) say where they can find. None of it may
change what is found: a rule must still be called on every document where it finds something."""

from lintra.check import Dispatch, Scan, run_rules
from lintra.load import load_source
from lintra.model import Rule, Source
from lintra.plugins import load_registry
from lintra.policy.conditions import compile_condition, key_only, remembered
from lintra.policy.pack import _compile_rule
from lintra.policy.selector import _items, _step, _values, compile_path, evaluate, reach_of

REGISTRY = load_registry()


def _documents(text):
    return load_source(Source("m.yaml", None, text.encode()), REGISTRY.loaders, REGISTRY.detectors).documents


def _found(documents, rules):
    return [(f.rule.id, f.span.line, f.span.column)
            for f in run_rules(documents, Dispatch(rules), Scan(documents, {}, REGISTRY.resolvers))]


def _spec(rule_id, match, message="{kind} '{name}' {key}"):
    return {"id": rule_id, "name": rule_id.lower(), "title": "t", "vendor": "other", "category": "storage",
            "strength": "hard", "severity": "error", "kinds": ["k8s"], "rationale": "r", "remediation": "m",
            "message": message, "match": match}


def test_only_conditions_on_the_key_alone_say_they_read_the_key_only():
    assert key_only(compile_condition({"key": {"in": ["a", "b"]}}))
    assert key_only(compile_condition({"not": {"key": {"startswith": "x"}}}))
    assert key_only(compile_condition({"any": [{"key": {"equals": "a"}}, {"key": {"regex": "^b"}}]}))
    assert key_only(compile_condition({"key": {"in": ["a"]}, "ignorecase": True}))
    for spec in ({"equals": "a"}, {"key": {"in": ["a"]}, "type": "mapping"},
                 {"any": [{"key": {"equals": "a"}}, {"equals": "a"}]}, {"not": {"equals": "a"}},
                 {"path": "server", "key": {"in": ["a"]}}, {"key": {"in": ["a"]}, "path": "x", "exists": False}):
        assert not key_only(compile_condition(spec)), spec


def test_a_key_only_condition_remembered_by_key_answers_as_the_condition_does():
    # 1 and True are equal and hash alike: a key-only answer for one must not be given for the other
    condition = compile_condition({"key": {"any": [{"type": "boolean"}, {"in": ["vol"]}]}})
    memo = remembered(condition)
    assert key_only(memo)
    cases = [("vol", {"a": 1}), ("vol", {"b": 2}), ("vol", "text"), ("other", {}), (True, {}), (1, {}), (1, []),
             (True, "x"), (0, None)]
    for _ in range(2):
        assert [memo(k, v) for k, v in cases] == [bool(condition(k, v)) for k, v in cases]
    assert [memo(k, v) for k, v in cases] == [True, True, True, False, True, False, False, True, False]


def test_a_key_only_test_is_asked_once_per_key_whatever_mapping_is_there():
    asked = []

    def test(key, value):
        asked.append(key)
        return key == "portworxVolume"
    test.key_only = True
    called = []

    def check(document, scan):
        called.append(document.data["metadata"]["name"])
        return ()
    check.looks = lambda scan: [(reach_of(compile_path("spec.*")), test)]
    rule = Rule("ZZ1", "zz", "t", "other", "storage", "hard", "error", ("k8s",), "r", "m", check)
    text = "".join(f"---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {name}}}\nspec: {spec}\n"
                   for name, spec in (("a", "{portworxVolume: {volumeID: a}, capacity: {storage: 1Gi}}"),
                                      ("b", "{portworxVolume: {volumeID: b}, capacity: {storage: 2Gi}}"),
                                      ("c", "{nfs: {server: x}, capacity: {storage: 3Gi}}")))
    run_rules(_documents(text), Dispatch([rule]), Scan([]))
    assert called == ["a", "b"]
    assert sorted(asked) == ["capacity", "nfs", "portworxVolume"]


def test_a_test_on_the_value_beside_a_key_only_one_still_sees_each_mapping():
    # both rules look at spec.*: the first reads the key only, the second also the mapping there.
    # The second must be asked again for the same key with another mapping (c finds, b does not)
    by_key = _compile_rule(_spec("ZZ2", {"path": "spec.*", "key": {"in": ["portworxVolume"]}}), "test")
    by_value = _compile_rule(_spec("ZZ3", {"path": "spec.*", "key": {"in": ["portworxVolume"]},
                                           "any": [{"path": "fsType", "equals": "xfs"}]}), "test")
    text = "".join(f"---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {name}}}\nspec:\n"
                   f"  portworxVolume: {volume}\n"
                   for name, volume in (("b", "{volumeID: b, fsType: ext4}"), ("c", "{volumeID: c, fsType: xfs}")))
    found = sorted(_found(_documents(text), [by_key, by_value]))
    assert found == [("ZZ2", 6, 3), ("ZZ2", 12, 3), ("ZZ3", 12, 3)]
    # and the other way round: the mapping that passes first, then the one that does not
    found = sorted(_found(list(reversed(_documents(text.replace("fsType: ext4", "fsType: tmp")))),
                          [by_key, by_value]))
    assert found == [("ZZ2", 6, 3), ("ZZ2", 12, 3), ("ZZ3", 12, 3)]


SCOPED = {"each": "metadata", "if": {"path": 'annotations["eks.amazonaws.com/role-arn"]', "exists": False},
          "path": "annotations.*", "key": {"in": ["eks.amazonaws.com/audience"]}}
ACCOUNTS = "".join(
    f"---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  annotations: {annotations}\n"
    for name, annotations in (("plain", "{team: a}"), ("tuned", "{eks.amazonaws.com/audience: sts}"),
                              ("arn", "{eks.amazonaws.com/role-arn: 'arn:aws:iam::1:role/x', "
                                      "eks.amazonaws.com/audience: sts}")))


def test_a_scoped_match_is_dispatched_on_its_path_below_the_scope_and_the_check_tests_the_scope():
    for deferred in (True, False):  # a rule compiled on first use looks where the compiled one does
        rule = _compile_rule(_spec("ZZ4", SCOPED), "test", deferred=deferred)
        documents = _documents(ACCOUNTS)
        dispatch = Dispatch([rule]).given(Scan([]))
        # the first account has no annotation the match's conditions accept: not given the rule
        assert [[r.id for r in dispatch.rules_for(doc)] for doc in documents] == [[], ["ZZ4"], ["ZZ4"]]
        # the third is given it (its annotation passes) but has the role ARN the scope's `if` refuses
        assert _found(_documents(ACCOUNTS), [_compile_rule(_spec("ZZ4", SCOPED), "test", deferred=deferred)]) \
            == [("ZZ4", 12, 45)]


def test_a_scoped_rule_compiled_on_first_use_finds_on_the_first_document_that_reaches_it():
    rule = _compile_rule(_spec("ZZ5", SCOPED), "test", deferred=True)
    documents = _documents(ACCOUNTS)[1:2]
    assert _found(documents, [rule]) == [("ZZ5", 12, 45)]


def _given(rule, text):
    dispatch = Dispatch([rule]).given(Scan([]))
    return [bool(dispatch.rules_for(doc)) for doc in _documents(text)]


def test_the_csi_driver_rule_is_given_objects_with_a_driver_field_or_pods_only():
    rule = REGISTRY.rules["LK116"]
    text = ("---\napiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: s}\n"
            "driver: csi.trident.netapp.io\n"
            "---\napiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: ebs.csi.aws.com}\n"
            "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec: {csi: {driver: x}}\n"
            "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n"
            "    spec: {containers: [{name: c, image: i}]}\n"
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ebs.csi.aws.com}\ndata: {driver: x}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 1}]}\n")
    assert _given(rule, text) == [True, True, True, True, False, False]


def test_the_cluster_api_rule_is_given_crds_and_cluster_api_objects_only():
    rule = REGISTRY.rules["LK125"]
    text = ("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\n"
            "---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureCluster\nmetadata: {name: a}\n"
            "---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c}\n"
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
            "---\napiVersion: example.com/v1\nkind: CustomResourceDefinitionList\nmetadata: {name: l}\n")
    assert _given(rule, text) == [True, True, True, False, False]


def _by_generators(step, current):
    return [out for pointer, key, value in current for out in step(pointer, key, value)]


def test_every_and_each_item_steps_reach_what_their_generators_yield():
    nodes = [((), None, {"a": {"x": 1}, "b": [1, {"c": 2}], "c": None}), (("l",), "l", [{"y": 1}, [2], "s"]),
             (("s",), "s", "text"), (("n",), "n", None), (("e",), "e", {}), (("f",), "f", [])]
    for step in (_values, _items):
        assert _step(step, nodes) == _by_generators(step, nodes)
    data = {"spec": {"a": [{"k": 1}, {"k": 2}], "b": {"k": 3}}, "items": [{"spec": {"x": [4]}}]}
    assert list(evaluate(compile_path("spec.*[*].k"), data)) == [(("spec", "a", 0, "k"), "k", 1),
                                                                  (("spec", "a", 1, "k"), "k", 2)]
    assert list(evaluate(compile_path("items[*].spec.*[*]"), data)) == [(("items", 0, "spec", "x", 0), 0, 4)]


def test_a_text_offending_value_is_written_as_json_writes_it():
    import json

    from lintra.check.identity import offending

    for text in ("", "gcr.io/app:1", "é", "\u2028", "\x00\x1f", "\ud800", 'a"b\\c', "日本", "\U0001f600"):
        assert offending(text, ("image",)) == json.dumps(text, sort_keys=True, default=str)
    assert offending(1, ()) == "1" and offending(True, ()) == "true" and offending({"a": 1}, ("v",)) == "key:v"


def test_an_api_group_remembered_by_its_text_names_the_vendor_its_domain_names():
    from lintra.rules.k8s import controllers

    groups = ["apps", "crd.nsx.vmware.com", "s3.services.k8s.aws", "example.com", "config.openshift.io", "", None,
              "rbac.authorization.k8s.io"]
    first = [controllers.group_vendor(group) for group in groups]
    assert [controllers.group_vendor(group) for group in groups] == first
    controllers._DOMAIN_VENDORS.clear()
    assert [controllers.group_vendor(group) for group in reversed(groups)] == list(reversed(first))
    assert first[0] is None and first[1] == "vmware" and first[2] == "aws" and first[4] == "redhat"
