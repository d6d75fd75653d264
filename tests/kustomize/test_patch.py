"""Strategic merge patch and RFC 6902 JSON patch on traced objects: the merged values and the
origin each keeps (strategic merge: https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md;
JSON patch: https://www.rfc-editor.org/rfc/rfc6902)."""

import pytest

from lintra.load.kustomize.patch import PatchError, json_patch, strategic_merge
from lintra.load.kustomize.tree import Origin, Part, TracedLocator, plain, trace
from lintra.load.yamltree import parse


def traced(text, name):
    data, locator = parse(text)[0]
    return trace(data, Origin(Part(name, locator), ()))


def at(node, *pointer):
    span = TracedLocator(node, []).span(pointer)
    return span.file, span.line


BASE = """\
spec:
  ports:
  - port: 80
    name: http
  - port: 443
    name: https
  template:
    spec:
      tolerations: [{key: a}]
      containers:
      - name: app
        image: app:1
        volumeMounts:
        - {mountPath: /data, name: data}
"""


def test_merge_keys_and_replaced_lists():
    patch = traced("""\
spec:
  ports:
  - port: 443
    name: tls
  template:
    spec:
      tolerations: [{key: b}]
      containers:
      - name: app
        volumeMounts:
        - {mountPath: /data, readOnly: true}
        - {mountPath: /logs, name: logs}
""", "patch.yaml")
    merged = strategic_merge(traced(BASE, "base.yaml"), patch)
    data = plain(merged)
    # kustomize lists the patch's elements first (kubernetes-sigs/kustomize#3912, #5904)
    assert data["spec"]["ports"] == [{"port": 443, "name": "tls"}, {"port": 80, "name": "http"}]
    spec = data["spec"]["template"]["spec"]
    assert spec["tolerations"] == [{"key": "b"}]  # no patchMergeKey: the list is replaced
    assert spec["containers"][0]["volumeMounts"] == [{"mountPath": "/data", "name": "data", "readOnly": True},
                                                     {"mountPath": "/logs", "name": "logs"}]
    assert at(merged, "spec", "ports", 0, "name") == ("patch.yaml", 4)
    assert at(merged, "spec", "ports", 1, "name") == ("base.yaml", 4)
    assert at(merged, "spec", "template", "spec", "containers", 0, "image") == ("base.yaml", 12)
    assert at(merged, "spec", "template", "spec", "containers", 0, "volumeMounts", 1, "name") == ("patch.yaml", 12)


def test_null_deletes_and_retain_keys():
    patch = traced("spec:\n  template: null\n  ports:\n  - {port: 80, $patch: delete}\n", "p.yaml")
    data = plain(strategic_merge(traced(BASE, "base.yaml"), patch))
    assert data == {"spec": {"ports": [{"port": 443, "name": "https"}]}}
    retained = plain(strategic_merge(traced("a: 1\nb: 2\nc: 3\n", "b.yaml"),
                                     traced("$retainKeys: [a, c]\nc: 4\n", "p.yaml")))
    assert retained == {"a": 1, "c": 4}


def test_delete_from_primitive_list_and_replace_directive():
    base = traced("finalizers: [a, b, c]\nmeta: {x: 1, y: 2}\n", "b.yaml")
    patch = traced("$deleteFromPrimitiveList/finalizers: [b]\nmeta: {$patch: replace, z: 3}\n", "p.yaml")
    assert plain(strategic_merge(base, patch)) == {"finalizers": ["a", "c"], "meta": {"z": 3}}


def test_whole_object_delete():
    assert strategic_merge(traced("a: 1\n", "b.yaml"), traced("$patch: delete\n", "p.yaml")) is None


def test_json_patch_operations():
    target = traced("spec:\n  list: [a, b]\n  value: 1\n", "b.yaml")
    operations = traced("""\
- {op: add, path: /spec/list/-, value: c}
- {op: add, path: /spec/list/0, value: z}
- {op: remove, path: /spec/list/1}
- {op: copy, from: /spec/value, path: /spec/copied}
- {op: move, from: /spec/copied, path: /spec/moved}
- {op: replace, path: /spec/value, value: 2}
- {op: test, path: /spec/value, value: 2}
- {op: add, path: /metadata~1x, value: escaped}
""", "ops.yaml")
    result = json_patch(target, operations)
    assert plain(result) == {"spec": {"list": ["z", "b", "c"], "value": 2, "moved": 1}, "metadata/x": "escaped"}
    assert at(result, "spec", "value") == ("ops.yaml", 6)
    assert at(result, "spec", "moved") == ("b.yaml", 3)  # moved: still the value the base wrote


@pytest.mark.parametrize("operation, message", [
    ("{op: test, path: /a, value: 2}", "test /a failed"),
    ("{op: remove, path: /missing}", "does not exist"),
    ("{op: add, path: /list/9, value: 1}", "out of range"),
    ("{op: frobnicate, path: /a}", "unknown JSON patch op"),
    ("{op: add, path: a, value: 1}", "does not start with '/'"),
])
def test_json_patch_errors(operation, message):
    with pytest.raises(PatchError) as error:
        json_patch(traced("a: 1\nlist: []\n", "b.yaml"), traced(f"- {operation}\n", "ops.yaml"))
    assert message in str(error.value)


def test_a_missing_parent_is_said_with_the_path_as_written():
    # RFC 6902 4.1: add needs the parent to exist; RFC 6901: ~1 is a '/' inside one key, so the
    # message keeps the escape (iam.gke.io~1x is one annotation key, not two levels)
    with pytest.raises(PatchError) as error:
        json_patch(traced("metadata:\n  name: web\n", "b.yaml"),
                   traced("- {op: add, path: /metadata/annotations/iam.gke.io~1x, value: y}\n", "ops.yaml"))
    assert str(error.value) == "path /metadata/annotations/iam.gke.io~1x does not exist (there is no 'annotations')"


def test_the_patch_elements_come_first_as_kustomize_orders_them():
    # kyaml's strategic merge (ListIncreaseDirection prepend): the elements the patch names, in
    # its order, then the rest of the target's; a real overlay (cluster-api-provider-azure
    # config/capz) replaces volumes.0.secret.secretName in the cert volume its patch adds
    base = traced("""\
volumes:
- name: azure-identity-token
  projected: {}
containers:
- {name: a, image: a}
- {name: b, image: b}
- {name: c, image: c}
""", "base.yaml")
    patch = traced("""\
volumes:
- name: cert
  secret: {secretName: x-cert}
containers:
- {name: c, image: c2}
- {name: a, $patch: delete}
""", "patch.yaml")
    data = plain(strategic_merge(base, patch))
    assert [volume["name"] for volume in data["volumes"]] == ["cert", "azure-identity-token"]
    assert data["containers"] == [{"name": "c", "image": "c2"}, {"name": "b", "image": "b"}]
