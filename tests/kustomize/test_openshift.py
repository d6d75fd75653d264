"""OpenShift Template objects: each item of ``objects:`` is checked at its own lines, ``${PARAM}``
resolved to the parameter's value and located there
(https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html)."""

import json

from tests.conftest import where

TEMPLATE = """\
apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: app
objects:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: ${{REPLICAS}}
    template:
      spec:
        containers:
        - name: web
          image: ${REGISTRY}/web:1
        - name: side
          image: ${GENERATED}/side:1
- apiVersion: route.openshift.io/v1
  kind: Route
  metadata:
    name: web
  spec:
    to: {kind: Service, name: web}
parameters:
- name: REGISTRY
  value: 111122223333.dkr.ecr.eu-west-1.amazonaws.com
- name: REPLICAS
  value: "3"
- name: GENERATED
  generate: expression
  from: "[a-z]{8}"
"""


def test_objects_are_checked_at_their_lines_and_parameters_at_their_value(lint):
    result = lint(TEMPLATE, "template.yaml")
    # LK501: the Template and the Route are OpenShift API objects (at their apiVersion lines);
    # LK204: the ECR registry comes from REGISTRY's value (line 27), where a user changes it
    assert where(result) == [("LK501", 1, 13), ("LK501", 19, 15), ("LK204", 27, 10)]
    ecr = next(f for f in result.findings if f.rule.id == "LK204")
    assert "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1" in ecr.message
    assert result.files[0].documents == 3


def test_typed_parameter_and_unresolved_parameters(lint):
    from lintra.load.builtin import detect_k8s
    from lintra.load.yamltree import parse

    data, _ = parse(TEMPLATE)[0]
    found = detect_k8s(data)
    deployment = found[1][1]
    assert deployment["spec"]["replicas"] == 3  # ${{REPLICAS}} is the JSON value, not a string
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert containers[1]["image"] == "${GENERATED}/side:1"  # generated at processing time: left as written
    assert found[1][2] == ("objects", 0)


def test_json_template(lint):
    data = json.loads(json.dumps({"apiVersion": "template.openshift.io/v1", "kind": "Template",
                                  "metadata": {"name": "t"},
                                  "objects": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                               "spec": {"containers": [{"name": "c", "image": "${R}/x:1"}]}}],
                                  "parameters": [{"name": "R", "value": "contoso.azurecr.io"}]}))
    result = lint(json.dumps(data, indent=2), "template.json")
    # LK403 (NAME.azurecr.io registry) lands on the parameter's "value" of the JSON text
    text = json.dumps(data, indent=2).splitlines()
    value_line = next(i for i, line in enumerate(text, 1) if '"value": "contoso.azurecr.io"' in line)
    assert [(f.rule.id, f.span.line) for f in result.findings if f.rule.id == "LK403"] == [("LK403", value_line)]


def test_a_legacy_v1_template_and_a_non_template(lint):
    legacy = TEMPLATE.replace("template.openshift.io/v1", "v1", 1)
    assert ("LK204", 27, 10) in where(lint(legacy, "legacy.yaml"))
    other = "apiVersion: example.com/v1\nkind: Template\nmetadata: {name: t}\nobjects: []\n"
    assert lint(other, "other.yaml").files[0].documents == 1  # a CRD called Template stays one object


LABELLED = """\
apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: app
labels:
  template: app
  ${IDENTITY_LABEL}: "true"
  app: ${NAME}
objects:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web
    namespace: kube-system
    labels:
      app: overwritten
  spec:
    containers:
    - name: web
      image: quay.io/example/web:1
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: ${NAMESPACE}
  spec:
    ports: [{port: 80}]
parameters:
- name: IDENTITY_LABEL
  value: azure.workload.identity/use
- name: NAME
  value: web
- name: NAMESPACE
  value: shop
"""


def test_template_labels_are_set_on_every_object_and_a_literal_namespace_dropped():
    from lintra.load.builtin import detect_k8s
    from lintra.load.yamltree import parse

    data, _ = parse(LABELLED)[0]
    found = detect_k8s(data)
    pod, service = found[1][1], found[2][1]
    # "labels is a optional set of labels that are applied to every object during the Template to
    # Config transformation"; parameter expansion is carried out on label keys and values
    expected = {"template": "app", "azure.workload.identity/use": "true", "app": "web"}
    assert pod["metadata"]["labels"] == expected and service["metadata"]["labels"] == expected
    # "If a namespace value is hardcoded in the object, it will be removed during template
    # instantiation, however if the namespace value is, or contains, a ${PARAMETER_REFERENCE}, the
    # resolved value after parameter substitution will be respected"
    assert "namespace" not in pod["metadata"]
    assert service["metadata"]["namespace"] == "shop"
    assert data["objects"][0]["metadata"]["namespace"] == "kube-system"  # the file's data is untouched


def test_a_coupling_label_the_template_adds_lands_on_the_template_labels(lint):
    result = lint(LABELLED, "template.yaml")
    # LK402: azure.workload.identity/use as a pod label is Azure Workload Identity
    # (https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html);
    # the label key is the Template's labels entry on line 7 (its key written through a parameter)
    assert [(f.rule.id, f.span.line, f.span.column) for f in result.findings if f.rule.id == "LK402"] == \
        [("LK402", 7, 3)]


def test_a_parameter_bomb_is_reported_at_the_value_that_overflows(lint):
    """A 100 KB value referenced 400 times would write 40 MB of objects from a 100 KB file: the
    Template is not processed, and LT002 lands on the parameter's ``value:``, what a user edits."""
    keys = "".join(f"    k{i}: ${{BIG}}\n" for i in range(400))
    text = ("apiVersion: template.openshift.io/v1\nkind: Template\nmetadata:\n  name: bomb\nparameters:\n"
            "- name: SMALL\n  value: a\n- name: BIG\n  value: " + "x" * 100_000 + "\n"
            "objects:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n  data:\n" + keys)
    result = lint(text, "bomb.yaml")
    assert where(result, "LT002") == [("LT002", 9, 10)]
    assert "would write more than" in result.findings[0].message
    assert result.files[0].status == "error"
