"""Kustomization fields beyond resources, patches and transformers: ``vars``, ``configurations``,
``crds``/``openapi``, ``helmCharts`` values, and every field the build does not honour said at its
line (Kustomize reference: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/,
vars: .../kustomization/vars/, configurations: .../kustomization/configurations/, helmCharts:
.../kustomization/helmcharts/; transformer configs:
https://github.com/kubernetes-sigs/kustomize/blob/master/examples/transformerconfigs/README.md)."""

import os

import pytest

from lintra.load import LoadError
from lintra.load.kustomize import build_source
from lintra.model import Source
from lintra.pipeline import run
from tests.kustomize.helpers import built, by_name, origin, write

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"  # an Amazon ECR private registry (LK204)

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
        args: ["--peer", "$(PEER)", "--url=http://$(PEER):80", "$(UNKNOWN)"]
        env:
        - name: REGISTRY
          value: $(REGISTRY)
"""
SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: peer
spec:
  ports:
  - port: 80
"""


def record(root, directory):
    path = os.path.join(str(root), directory, "kustomization.yaml")
    return build_source(Source(path, path)).reason


def findings(root, directory):
    result = run([os.path.join(str(root), directory)])
    return sorted((f.rule.id, os.path.relpath(f.file, str(root)), f.span.line) for f in result.findings)


@pytest.fixture
def varrepo(tmp_path):
    return write(tmp_path, {
        "base/deployment.yaml": DEPLOYMENT, "base/service.yaml": SERVICE,
        "base/kustomization.yaml": f"""
            resources:
            - deployment.yaml
            - service.yaml
            configMapGenerator:
            - name: settings
              literals:
              - registry={ECR}
            vars:
            - name: PEER
              objref:
                kind: Service
                name: peer
                apiVersion: v1
            - name: REGISTRY
              objref:
                kind: ConfigMap
                name: settings
                apiVersion: v1
              fieldref:
                fieldpath: data.registry
            """,
        "overlay/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\n",
    })


def test_vars_are_substituted_after_the_renames_and_located_at_their_source(varrepo):
    app = by_name(built(varrepo, "overlay"), "Deployment", "prod-app")
    container = app.data["spec"]["template"]["spec"]["containers"][0]
    # objref names the Service as written (peer); the value is its name after namePrefix
    assert container["args"] == ["--peer", "prod-peer", "--url=http://prod-peer:80", "$(UNKNOWN)"]
    assert container["env"][0]["value"] == ECR
    # a whole reference is the source's value: located where the source writes it (the literal);
    # a reference inside a longer string stays at the string's own line
    env = ("spec", "template", "spec", "containers", 0, "env", 0, "value")
    assert origin(varrepo, app, *env) == ("base/kustomization.yaml", 7)
    assert origin(varrepo, app, "spec", "template", "spec", "containers", 0, "args", 2) == \
        ("base/deployment.yaml", 11)


def test_vars_outside_the_var_reference_fields_stay_as_written(tmp_path):
    root = write(tmp_path, {
        "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: $(NAME)\n",
        "k/kustomization.yaml": """
            resources: [cm.yaml]
            vars:
            - name: NAME
              objref: {kind: ConfigMap, name: c, apiVersion: v1}
            """,
    })
    assert by_name(built(root, "k"), "ConfigMap", "c").data["data"] == {"x": "$(NAME)"}


def test_var_problems_are_refused_at_the_var(tmp_path):
    root = write(tmp_path, {
        "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        "k/kustomization.yaml": """
            resources: [cm.yaml]
            vars:
            - name: A
              objref: {kind: Service, name: missing, apiVersion: v1}
            """,
        "twice/kustomization.yaml": """
            resources: [../k/cm.yaml]
            vars:
            - name: A
              objref: {kind: ConfigMap, name: c, apiVersion: v1}
            - name: A
              objref: {kind: ConfigMap, name: c, apiVersion: v1}
            """,
    })
    with pytest.raises(LoadError) as missing:
        built(root, "k")
    assert missing.value.rule_id == "LT005" and "no Service missing" in str(missing.value)
    assert missing.value.span.line == 4
    with pytest.raises(LoadError) as twice:
        built(root, "twice")
    assert "defined twice" in str(twice.value) and twice.value.span.line == 5


def test_configurations_extend_images_name_references_labels_and_var_references(tmp_path):
    root = write(tmp_path, {
        "k/app.yaml": """
            apiVersion: example.com/v1
            kind: MyApp
            metadata:
              name: app
            spec:
              image: app:1
              configRef: settings
              selectors: {}
              command: ["run", "$(MODE)"]
            """,
        "k/config.yaml": """
            images:
            - path: spec/image
              kind: MyApp
            nameReference:
            - kind: ConfigMap
              fieldSpecs:
              - path: spec/configRef
                kind: MyApp
            commonLabels:
            - path: spec/selectors
              create: true
              kind: MyApp
            varReference:
            - path: spec/command
              kind: MyApp
            namespace:
            - path: spec/ns
            """,
        "k/kustomization.yaml": f"""
            resources: [app.yaml]
            configurations: [config.yaml]
            configMapGenerator:
            - name: settings
              literals: [mode=fast]
              options: {{disableNameSuffixHash: false}}
            commonLabels: {{team: a}}
            images:
            - name: app
              newName: {ECR}/app
            vars:
            - name: MODE
              objref: {{kind: ConfigMap, name: settings, apiVersion: v1}}
              fieldref: {{fieldpath: data.mode}}
            """,
    })
    docs = built(root, "k")
    app = by_name(docs, "MyApp", "app")
    settings = next(d for d in docs if d.data["kind"] == "ConfigMap")
    assert app.data["spec"]["image"] == f"{ECR}/app:1"
    assert origin(root, app, "spec", "image") == ("k/kustomization.yaml", 10)  # the overlay's newName
    assert app.data["spec"]["configRef"] == settings.data["metadata"]["name"] != "settings"
    assert app.data["spec"]["selectors"] == {"team": "a"}
    assert app.data["spec"]["command"] == ["run", "fast"]
    # the namespace section is not honoured: said at the configurations entry
    assert "k/kustomization.yaml:2: configuration config.yaml: namespace field specs are not honoured" in \
        record(root, "k").replace(str(root) + "/", "")


def test_labels_fields_are_field_specs_of_that_entry(tmp_path):
    root = write(tmp_path, {
        "k/app.yaml": "apiVersion: example.com/v1\nkind: MyApp\nmetadata:\n  name: app\nspec: {}\n",
        "k/kustomization.yaml": """
            resources: [app.yaml]
            labels:
            - pairs: {eks.amazonaws.com/compute-type: fargate}
              fields:
              - path: spec/podLabels
                kind: MyApp
                create: true
            """,
    })
    app = by_name(built(root, "k"), "MyApp", "app")
    assert app.data["spec"]["podLabels"] == {"eks.amazonaws.com/compute-type": "fargate"}
    assert origin(root, app, "spec", "podLabels", "eks.amazonaws.com/compute-type") == ("k/kustomization.yaml", 3)


def test_fields_not_honoured_are_said_at_their_lines_and_their_files_accounted_for(tmp_path):
    root = write(tmp_path, {
        "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        "k/crd.json": "{}\n",
        "k/schema.json": "{}\n",
        "k/kustomization.yaml": """
            resources: [cm.yaml]
            crds:
            - crd.json
            openapi:
              path: schema.json
            buildMetadata: [originAnnotations]
            sortOptions: {order: legacy}
            helmChartInflationGenerator:
            - chartName: x
            patches:
            - patch: '[{"op": "add", "path": "/metadata/labels", "value": {}}]'
              target: {kind: ConfigMap}
              options: {allowNameChange: true}
            """,
    })
    reason = record(root, "k").replace(str(root) + "/", "")
    for line, text in ((3, "crds crd.json: the name references and merge keys"), (4, "openapi: the schema"),
                       (6, "buildMetadata labels and annotations"), (7, "sortOptions only orders"),
                       (8, "helmChartInflationGenerator"), (13, "patch options allowNameChange/allowKindChange")):
        assert f"k/kustomization.yaml:{line}: {text}" in reason, (line, reason)
    result = run([os.path.join(str(root), "k", "kustomization.yaml")])  # named alone, as pre-commit does
    reasons = {os.path.relpath(r.file, str(root)): r.reason for r in result.files}
    assert "read by the build of" in reasons["k/crd.json"] and "read by the build of" in reasons["k/schema.json"]
    # scanned as a directory, the JSON files are first met on their own (no infrastructure
    # document: a skip), yet the build read them: that is their record, not "skipped"
    result = run([os.path.join(str(root), "k")])
    records = {os.path.relpath(r.file, str(root)): r for r in result.files}
    for name in ("k/crd.json", "k/schema.json"):
        assert records[name].status == "scanned" and "read by the build of" in records[name].reason, name


def test_missing_crds_file_is_refused_at_its_entry(tmp_path):
    root = write(tmp_path, {"k/kustomization.yaml": "crds:\n- missing.json\n"})
    with pytest.raises(LoadError) as error:
        built(root, "k")
    assert error.value.rule_id == "LT005" and error.value.span.line == 2


CHART = {
    "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    "charts/app/values.yaml": "image: docker.io/library/app:1\n",
    "charts/app/templates/pod.yaml": """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
          - name: app
            image: {{ .Values.image }}
        """,
}


def test_helm_values_inline_land_on_the_kustomization_line(tmp_path):
    root = write(tmp_path, dict(CHART, **{"kustomization.yaml": f"""
        helmCharts:
        - name: app
          releaseName: demo
          valuesInline:
            image: {ECR}/app:2
        """}))
    assert findings(root, ".") == [("LK204", "kustomization.yaml", 5)]
    assert "kustomization.yaml:3: helm chart app: releaseName is not used" in \
        record(root, ".").replace(str(root) + "/", "")


def test_helm_values_merge_order(tmp_path):
    root = write(tmp_path, dict(CHART, **{
        "prod.yaml": f"image: {ECR}/app:3\n",
        "extra.yaml": "other: 1\n",
        "override/kustomization.yaml": """
            helmGlobals: {chartHome: ../charts}
            helmCharts:
            - name: app
              valuesFile: ../prod.yaml
              additionalValuesFiles: [../extra.yaml]
              valuesInline: {image: docker.io/library/app:4}
            """,
        "merge/kustomization.yaml": """
            helmGlobals: {chartHome: ../charts}
            helmCharts:
            - name: app
              valuesFile: ../prod.yaml
              valuesMerge: merge
              valuesInline: {image: docker.io/library/app:4}
            """,
        "files/kustomization.yaml": """
            helmGlobals: {chartHome: ../charts}
            helmCharts:
            - name: app
              additionalValuesFiles: [../prod.yaml]
            """,
    }))
    # override (the default): the inline value wins over the files, so no ECR image
    assert findings(root, "override") == []
    # merge: the files' values win; the ECR image lands on the values file's line
    assert findings(root, "merge") == [("LK204", "prod.yaml", 1)]
    assert findings(root, "files") == [("LK204", "prod.yaml", 1)]
    missing = write(tmp_path / "m", dict(CHART, **{
        "k/kustomization.yaml": "helmGlobals: {chartHome: ../charts}\nhelmCharts:\n- name: app\n  valuesFile: no.yaml\n"}))
    with pytest.raises(LoadError) as error:
        built(missing, "k")
    assert error.value.span.line == 4


def test_generator_options_immutable(tmp_path):
    root = write(tmp_path, {"k/kustomization.yaml": """
        generatorOptions: {immutable: true}
        configMapGenerator:
        - name: c
          literals: [a=b]
        """})
    assert next(iter(built(root, "k"))).data["immutable"] is True
