"""Each kustomization field, built natively: the objects kustomize would build, and for each value
the file and line that wrote it (Kustomize reference:
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/)."""

import base64
import os

import pytest

from lintra.load import LoadError
from tests.kustomize.helpers import built, by_name, origin, write

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: nginx:1.25
        env:
        - name: MODE
          value: base
      - name: sidecar
        image: busybox
"""
SERVICE_ACCOUNT = """
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
"""


@pytest.fixture
def repo(tmp_path):
    return write(tmp_path, {"base/deployment.yaml": DEPLOYMENT, "base/sa.yaml": SERVICE_ACCOUNT,
                            "base/kustomization.yaml": "resources:\n- deployment.yaml\n- sa.yaml\n"})


def test_resources_keep_the_base_lines(repo):
    docs = built(repo, "base")
    web = by_name(docs, "Deployment", "web")
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("base/deployment.yaml", 20)
    assert origin(repo, web) == ("base/deployment.yaml", 1)
    assert len(docs) == 2


def test_images_new_name_lands_on_the_overlay_line(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources:
        - ../base
        images:
        - name: nginx
          newName: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/nginx
          newTag: "2.0"
        - name: busybox
          digest: sha256:abc
        """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    containers = web.data["spec"]["template"]["spec"]["containers"]
    assert containers[0]["image"] == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/nginx:2.0"
    assert containers[1]["image"] == "busybox@sha256:abc"
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("prod/kustomization.yaml", 5)
    # a digest alone leaves the image's name (registry, repository) where the base writes it
    assert origin(repo, web, "spec", "template", "spec", "containers", 1, "image") == ("base/deployment.yaml", 25)
    # the container itself is still the base's
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "name") == ("base/deployment.yaml", 19)


def test_images_new_tag_only(repo):
    write(repo, {"prod/kustomization.yaml": "resources: [../base]\nimages:\n- name: nginx\n  newTag: \"1.26\"\n"})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("base/deployment.yaml", 20)


def test_patches_strategic_merge_file_merges_containers_by_name(repo):
    write(repo, {"prod/kustomization.yaml": "resources: [../base]\npatchesStrategicMerge:\n- patch.yaml\n",
                 "prod/patch.yaml": """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                      annotations:
                        service.beta.kubernetes.io/aws-load-balancer-type: nlb
                    spec:
                      template:
                        spec:
                          containers:
                          - name: web
                            env:
                            - name: MODE
                              value: prod
                            - name: EXTRA
                              value: "1"
                    """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    containers = web.data["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["web", "sidecar"]
    assert containers[0]["image"] == "nginx:1.25"
    assert containers[0]["env"] == [{"name": "MODE", "value": "prod"}, {"name": "EXTRA", "value": "1"}]
    assert origin(repo, web, "metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-type") == \
        ("prod/patch.yaml", 6)
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "env", 0, "value") == ("prod/patch.yaml", 14)
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("base/deployment.yaml", 20)
    assert web.data["metadata"]["labels"] == {"app": "web"}


def test_strategic_merge_directives(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        patches:
        - patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                  - name: sidecar
                    $patch: delete
                  - name: web
                    env:
                      $patch: replace
        - patch: |-
            $patch: delete
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: web
        """})
    docs = built(repo, "prod")
    assert [d.data["kind"] for d in docs] == ["Deployment"]
    containers = docs[0].data["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["web"]
    assert "env" not in containers[0] or containers[0]["env"] in ({}, [])


def test_inline_patch_lines_are_the_kustomization_lines(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        patches:
        - target:
            kind: Deployment
          patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: ignored
              annotations:
                cloud.google.com/neg: '{"ingress": true}'
        """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["metadata"]["annotations"] == {"cloud.google.com/neg": '{"ingress": true}'}
    assert origin(repo, web, "metadata", "annotations", "cloud.google.com/neg") == ("prod/kustomization.yaml", 11)
    span = web.span(("metadata", "annotations", "cloud.google.com/neg"))
    assert span.column == 31  # the value (8 spaces, a 20-character key, ": "), as written in the kustomization


def test_json6902_patch_file_and_inline(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        patchesJson6902:
        - target: {group: apps, version: v1, kind: Deployment, name: web}
          path: ops.json
        patches:
        - target: {kind: Deployment, name: "w.*"}
          patch: |-
            - op: test
              path: /spec/replicas
              value: 1
            - op: replace
              path: /spec/replicas
              value: 3
        """,
                 "prod/ops.json": '[\n  {"op": "add", "path": "/spec/template/spec/nodeSelector",\n'
                                  '   "value": {"cloud.google.com/gke-nodepool": "pool"}},\n'
                                  '  {"op": "remove", "path": "/spec/template/spec/containers/1"}\n]\n'})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    spec = web.data["spec"]
    assert spec["replicas"] == 3
    assert spec["template"]["spec"]["nodeSelector"] == {"cloud.google.com/gke-nodepool": "pool"}
    assert len(spec["template"]["spec"]["containers"]) == 1
    assert origin(repo, web, "spec", "replicas") == ("prod/kustomization.yaml", 13)
    assert origin(repo, web, "spec", "template", "spec", "nodeSelector", "cloud.google.com/gke-nodepool") == \
        ("prod/ops.json", 3)


def test_json6902_test_failure_is_a_located_build_error(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        patches:
        - target: {kind: Deployment}
          patch: |-
            - op: test
              path: /spec/replicas
              value: 5
        """})
    with pytest.raises(LoadError) as error:
        built(repo, "prod")
    assert error.value.rule_id == "LT005" and "test /spec/replicas failed" in error.value.message
    assert error.value.span.line == 5  # the operation's line


@pytest.mark.parametrize("field", ["patches", "patchesJson6902"])
def test_a_failing_operation_in_a_patch_file_lands_on_the_entry_naming_the_file(repo, field):
    # kustomize fails the build on a remove of a missing path (RFC 6902 4.2); the root's line that
    # leads there is the patches entry naming ops.yaml, not the kustomization's first line
    write(repo, {"prod/kustomization.yaml": f"""
        namePrefix: prod-
        resources: [../base]
        {field}:
        - target: {{version: v1, group: apps, kind: Deployment, name: web}}
          path: ops.yaml
        """, "prod/ops.yaml": """
        - op: add
          path: /spec/replicas
          value: 3
        - op: remove
          path: /spec/template/spec/nothing
        """})
    with pytest.raises(LoadError) as error:
        built(repo, "prod")
    assert error.value.rule_id == "LT005" and "remove /spec/template/spec/nothing" in error.value.message
    assert "ops.yaml:4)" in error.value.message
    assert error.value.span.line == 4  # of prod/kustomization.yaml, the root whose error this is


def test_namespace_prefix_suffix_and_name_references(repo):
    write(repo, {"prod/kustomization.yaml": """
        namespace: shop
        namePrefix: prod-
        nameSuffix: -v2
        resources:
        - ../base
        - binding.yaml
        """, "prod/binding.yaml": """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: web
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - kind: ServiceAccount
          name: web
        """})
    docs = built(repo, "prod")
    web = by_name(docs, "Deployment", "prod-web-v2")
    assert web.data["metadata"]["namespace"] == "shop"
    assert origin(repo, web, "metadata", "namespace") == ("prod/kustomization.yaml", 1)
    # the ServiceAccount was renamed, so the pod's reference follows (kustomize's nameReference)
    assert web.data["spec"]["template"]["spec"]["serviceAccountName"] == "prod-web-v2"
    binding = by_name(docs, "ClusterRoleBinding", "prod-web-v2")
    assert "namespace" not in binding.data["metadata"]  # cluster-scoped
    assert binding.data["subjects"] == [{"kind": "ServiceAccount", "name": "prod-web-v2", "namespace": "shop"}]


def test_patch_targets_the_base_name_after_a_base_prefix(repo):
    write(repo, {"mid/kustomization.yaml": "namePrefix: mid-\nresources: [../base]\n",
                 "top/kustomization.yaml": """
                    resources: [../mid]
                    patches:
                    - patch: |-
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                        spec:
                          replicas: 7
                    """})
    web = by_name(built(repo, "top"), "Deployment", "mid-web")
    assert web.data["spec"]["replicas"] == 7


def test_common_labels_and_annotations_reach_selectors_and_templates(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        commonLabels:
          env: prod
        labels:
        - pairs:
            team: a
        commonAnnotations:
          owner: me
        """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["metadata"]["labels"] == {"app": "web", "env": "prod", "team": "a"}
    assert web.data["spec"]["selector"]["matchLabels"] == {"app": "web", "env": "prod"}
    assert web.data["spec"]["template"]["metadata"]["labels"] == {"app": "web", "env": "prod"}
    assert web.data["spec"]["template"]["metadata"]["annotations"] == {"owner": "me"}
    assert origin(repo, web, "metadata", "labels", "env") == ("prod/kustomization.yaml", 3)
    assert origin(repo, web, "metadata", "annotations", "owner") == ("prod/kustomization.yaml", 8)


def test_replicas(repo):
    write(repo, {"prod/kustomization.yaml": "resources: [../base]\nreplicas:\n- name: web\n  count: 4\n"})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["spec"]["replicas"] == 4
    assert origin(repo, web, "spec", "replicas") == ("prod/kustomization.yaml", 4)


def test_generators_literals_files_envs_and_hash_references(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base]
        configMapGenerator:
        - name: settings
          literals:
          - REGION=us-west-2
          files:
          - app.conf
          envs:
          - vars.env
        secretGenerator:
        - name: creds
          literals:
          - token=abc
          options:
            disableNameSuffixHash: true
        patches:
        - patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  volumes:
                  - name: settings
                    configMap: {name: settings}
        """, "prod/app.conf": "endpoint = s3.amazonaws.com\n", "prod/vars.env": "# comment\nA=1\nB=2\n"})
    docs = built(repo, "prod")
    config = next(d for d in docs if d.data["kind"] == "ConfigMap")
    assert config.data["metadata"]["name"].startswith("settings-")
    assert config.data["data"] == {"REGION": "us-west-2", "app.conf": "endpoint = s3.amazonaws.com\n",
                                   "A": "1", "B": "2"}
    assert origin(repo, config, "data", "REGION") == ("prod/kustomization.yaml", 5)
    assert origin(repo, config, "data", "app.conf") == ("prod/app.conf", 1)
    assert origin(repo, config, "data", "B") == ("prod/vars.env", 3)
    secret = by_name(docs, "Secret", "creds")
    assert base64.b64decode(secret.data["data"]["token"]) == b"abc"
    web = by_name(docs, "Deployment", "web")
    # the patch ran after the generator, and kustomize points the reference at the hashed name
    volume = web.data["spec"]["template"]["spec"]["volumes"][0]
    assert volume["configMap"]["name"] == config.data["metadata"]["name"]


def test_components_see_and_change_what_was_gathered(repo):
    write(repo, {"prod/kustomization.yaml": "resources: [../base]\ncomponents: [../gpu]\n",
                 "gpu/kustomization.yaml": """
                    apiVersion: kustomize.config.k8s.io/v1alpha1
                    kind: Component
                    patches:
                    - target: {kind: Deployment}
                      patch: |-
                        - op: add
                          path: /spec/template/spec/nodeSelector
                          value: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
                    """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["spec"]["template"]["spec"]["nodeSelector"] == {"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"}
    assert origin(repo, web, "spec", "template", "spec", "nodeSelector", "cloud.google.com/gke-accelerator") == \
        ("gpu/kustomization.yaml", 8)


def test_replacements_carry_the_source_origin(repo):
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base, config.yaml]
        replacements:
        - source: {kind: ConfigMap, name: env, fieldPath: data.registry}
          targets:
          - select: {kind: Deployment}
            fieldPaths:
            - spec.template.spec.containers.[name=web].image
            options: {delimiter: "/", index: 0}
        """, "prod/config.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: env}
        data:
          registry: contoso.azurecr.io
        """})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["spec"]["template"]["spec"]["containers"][0]["image"] == "contoso.azurecr.io"
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("prod/config.yaml", 5)


def test_builtin_transformer_configs_in_a_directory(repo):
    write(repo, {"images/kustomization.yaml": "resources: [image.yaml]\n",
                 "images/image.yaml": """
                    apiVersion: builtin
                    kind: ImageTagTransformer
                    metadata: {name: web}
                    imageTag:
                      name: nginx
                      newName: gcr.io/my-project/nginx
                    """,
                 "prod/kustomization.yaml": "resources: [../base]\ntransformers: [../images]\n"})
    web = by_name(built(repo, "prod"), "Deployment", "web")
    assert web.data["spec"]["template"]["spec"]["containers"][0]["image"] == "gcr.io/my-project/nginx:1.25"
    assert origin(repo, web, "spec", "template", "spec", "containers", 0, "image") == ("images/image.yaml", 6)


def test_kustomization_without_api_version_and_other_file_names(repo):
    write(repo, {"plain/Kustomization": "resources:\n- ../base/sa.yaml\n"})
    docs = built(repo, "plain", "Kustomization")
    assert [d.data["kind"] for d in docs] == ["ServiceAccount"]


def test_a_walk_finds_every_kind_of_root_and_reports_at_the_overlay(repo):
    from lintra.pipeline import run

    write(repo, {"prod/Kustomization": "resources: [../base]\nimages:\n- name: busybox\n"
                                       "  newName: 111122223333.dkr.ecr.us-east-1.amazonaws.com/busybox\n"})
    result = run([str(repo)])
    roots = sorted(os.path.relpath(r.file, str(repo)) for r in result.files if r.reason and "kustomization built" in r.reason)
    assert roots == ["base/kustomization.yaml", "prod/Kustomization"]
    assert [(f.rule.id, os.path.relpath(f.file, str(repo)), f.span.line) for f in result.findings] == \
        [("LK204", "prod/Kustomization", 4)]


def test_an_annotation_suppression_covers_the_objects_built_from_it(repo):
    """lintra.io/ignore on a base object accepts that coupling wherever the builds land it, and is
    judged unused only where the annotation is written (the base file, read on its own)."""
    from lintra.pipeline import run

    write(repo, {"base/deployment.yaml": DEPLOYMENT.replace(
        "  labels:\n    app: web\n", "  labels:\n    app: web\n  annotations:\n    lintra.io/ignore: \"LK204: approved\"\n", 1),
        "prod/kustomization.yaml": "resources: [../base]\nimages:\n- name: busybox\n"
                                   "  newName: 111122223333.dkr.ecr.us-east-1.amazonaws.com/busybox\n"})
    result = run([str(repo)])
    assert [(f.rule.id, os.path.relpath(f.file, str(repo)), f.span.line, f.suppressed) for f in result.findings] == \
        [("LK204", "prod/kustomization.yaml", 4, True)]


def test_helm_chart_in_the_repository_is_rendered_by_the_chart_analyser(repo):
    from lintra.pipeline import run

    write(repo, {"app/charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
                 "app/charts/web/values.yaml": "image: nginx:1\n",
                 "app/charts/web/templates/deployment.yaml": """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: {{ .Release.Name }}-web
                    spec:
                      template:
                        spec:
                          containers:
                          - name: web
                            image: {{ .Values.image }}
                    """,
                 "app/prod-values.yaml": "image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:2\n",
                 "app/kustomization.yaml": """
                    helmCharts:
                    - name: web
                      releaseName: shop
                      valuesFile: prod-values.yaml
                    - name: remote-only
                      repo: https://charts.example.com
                    namespace: shop
                    """})
    result = run([str(repo / "app" / "kustomization.yaml")])
    # the ECR image comes from the values file the kustomization names, located at its line
    assert [(f.rule.id, os.path.relpath(f.file, str(repo)), f.span.line) for f in result.findings] == \
        [("LK204", "app/prod-values.yaml", 1)]
    record = result.files[0]
    assert "helm chart remote-only is not in the repository" in record.reason
    docs = built(repo, "app")
    assert [d.data["metadata"].get("namespace") for d in docs] == ["shop"]


def test_generated_names_take_the_hash_last_and_of_the_merged_data(repo):
    # kubectl.docs.kubernetes.io/references/kustomize/kustomization/namesuffix/: "The suffix is
    # appended before the content hash if the resource type is ConfigMap or Secret"; an overlay's
    # behavior: merge changes the data, so the hash, and its generatorOptions labels reach the map.
    write(repo, {"base/kustomization.yaml": """
        resources: [deployment.yaml, sa.yaml]
        configMapGenerator:
        - name: settings
          literals: [MODE=base]
        """, "prod/kustomization.yaml": """
        resources: [../base]
        namePrefix: prod-
        nameSuffix: -v2
        configMapGenerator:
        - name: settings
          behavior: merge
          literals: [AWS_REGION=us-east-1]
        generatorOptions:
          labels:
            env: prod
        patches:
        - patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  volumes:
                  - name: settings
                    configMap: {name: settings}
        """})
    base_map = next(d for d in built(repo, "base") if d.data["kind"] == "ConfigMap")
    docs = built(repo, "prod")
    config = next(d for d in docs if d.data["kind"] == "ConfigMap")
    name = config.data["metadata"]["name"]
    assert name.startswith("prod-settings-v2-") and len(name) == len("prod-settings-v2-") + 10
    assert name[len("prod-settings-v2-"):] != base_map.data["metadata"]["name"][len("settings-"):]
    assert config.data["data"] == {"MODE": "base", "AWS_REGION": "us-east-1"}
    assert config.data["metadata"]["labels"] == {"env": "prod"}
    assert origin(repo, config, "metadata", "labels", "env") == ("prod/kustomization.yaml", 10)
    assert origin(repo, config, "data", "AWS_REGION") == ("prod/kustomization.yaml", 7)
    web = by_name(docs, "Deployment", "prod-web-v2")
    assert web.data["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"] == name


def test_renames_reach_every_reference_kustomize_follows(repo):
    # kustomize's nameReference defaults (namereference.go, examples/transformerconfigs): a
    # StorageClass from StatefulSet volumeClaimTemplates, an IngressClass from ingressClassName,
    # a PersistentVolume from a claim's volumeName, a Deployment from an HPA's scaleTargetRef
    write(repo, {"base/kustomization.yaml": "resources: [deployment.yaml, more.yaml]\n", "base/more.yaml": """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {storageClassName: fast}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: public}
        spec: {controller: ingress.k8s.aws/alb}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec: {ingressClassName: public}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: fsx}
        spec: {csi: {driver: fsx.csi.aws.com, volumeHandle: fs-1}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: fsx}
        spec: {volumeName: fsx}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        """, "prod/kustomization.yaml": "namePrefix: prod-\nresources: [../base]\n"})
    docs = built(repo, "prod")
    sts = by_name(docs, "StatefulSet", "prod-db")
    assert sts.data["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"] == "prod-fast"
    assert by_name(docs, "Ingress", "prod-web").data["spec"]["ingressClassName"] == "prod-public"
    assert by_name(docs, "PersistentVolumeClaim", "prod-fsx").data["spec"]["volumeName"] == "prod-fsx"
    assert by_name(docs, "HorizontalPodAutoscaler", "prod-web").data["spec"]["scaleTargetRef"]["name"] == "prod-web"
    # the reference keeps the line that wrote it
    assert origin(repo, sts, "spec", "volumeClaimTemplates", 0, "spec", "storageClassName") == ("base/more.yaml", 12)


def test_a_renamed_claim_template_class_still_couples_the_statefulset(tmp_path):
    import json

    from click.testing import CliRunner
    from lintra.cli import main

    repo = write(tmp_path, {"base/kustomization.yaml": "resources: [sts.yaml]\n", "base/sts.yaml": """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              storageClassName: fast
        """, "prod/kustomization.yaml": "namePrefix: prod-\nresources: [../base]\n"})
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", "--jobs", "1", "-f", "json",
                                       str(repo / "prod")])
    findings = [f for f in json.loads(result.output)["findings"] if f["rule_id"] == "LK110"]
    assert [(os.path.relpath(f["file"], str(repo)), f["line"]) for f in findings] == [("base/sts.yaml", 13)]
    assert "StorageClass 'prod-fast'" in findings[0]["message"]


def test_a_replacement_target_lacking_the_field_is_refused_at_its_field_path(repo):
    # kustomize v5 (kubernetes-sigs/kustomize#4789): "unable to find field ... in replacement
    # target" unless options.create; the IRSA role is never silently left unreplaced
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base, role.yaml]
        replacements:
        - source: {kind: ConfigMap, name: role, fieldPath: data.arn}
          targets:
          - select: {kind: ServiceAccount}
            fieldPaths:
            - metadata.annotations.[eks.amazonaws.com/role-arn]
        """, "prod/role.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: role}
        data: {arn: "arn:aws:iam::123456789012:role/web"}
        """})
    with pytest.raises(LoadError) as error:
        built(repo, "prod")
    assert error.value.rule_id == "LT005"
    assert "unable to find field 'metadata.annotations.[eks.amazonaws.com/role-arn]' in replacement target " \
           "ServiceAccount web" in error.value.message
    assert error.value.span.line == 7
    # with options.create the annotation is made, at the source's line
    write(repo, {"prod/kustomization.yaml": """
        resources: [../base, role.yaml]
        replacements:
        - source: {kind: ConfigMap, name: role, fieldPath: data.arn}
          targets:
          - select: {kind: ServiceAccount}
            fieldPaths:
            - metadata.annotations.[eks.amazonaws.com/role-arn]
            options: {create: true}
        """})
    sa = by_name(built(repo, "prod"), "ServiceAccount", "web")
    assert sa.data["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/web"}
    assert origin(repo, sa, "metadata", "annotations", "eks.amazonaws.com/role-arn") == ("prod/role.yaml", 4)


def test_targets_match_the_original_or_current_namespace_and_default(repo):
    # kustomize's ResMap.Select matches a selector's namespace against the original and the
    # current id's EffectiveNamespace ("default" for a namespaced object naming none), and an
    # empty selector field selects all: a top overlay still patches what its base named
    write(repo, {"mid/kustomization.yaml": "namespace: shop\nresources: [../base, svc.yaml]\n",
                 "mid/svc.yaml": """
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web, namespace: system}
                    """,
                 "top/kustomization.yaml": """
                    resources: [../mid]
                    patches:
                    - target: {kind: Service, namespace: system}
                      patch: |-
                        - op: add
                          path: /metadata/annotations
                          value: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}
                    - target: {group: "", kind: Deployment, namespace: default}
                      patch: |-
                        - op: add
                          path: /spec/replicas
                          value: 3
                    """})
    docs = built(repo, "top")
    svc = by_name(docs, "Service", "web")
    assert svc.data["metadata"]["namespace"] == "shop"
    assert svc.data["metadata"]["annotations"] == {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}
    assert origin(repo, svc, "metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-type") == \
        ("top/kustomization.yaml", 7)
    web = by_name(docs, "Deployment", "web")  # written without a namespace: "default" selects it
    assert web.data["spec"]["replicas"] == 3


def test_a_strategic_patch_naming_the_base_namespace_patches_it_under_a_new_namespace(repo):
    # kustomize finds a strategic merge patch's object by any id it had (GetMatchingResourcesByAnyId):
    # the namespace the base wrote still names it after a lower overlay's namespace: field, and the
    # patch's metadata.namespace does not move it back (ApplySmPatch sets the namespace again)
    write(repo, {"base/kustomization.yaml": "resources: [svc.yaml]\n", "base/svc.yaml": """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: system}
        """, "mid/kustomization.yaml": "namespace: capz-system\nresources: [../base]\n",
        "top/kustomization.yaml": "resources: [../mid]\npatches:\n- path: svc.yaml\n", "top/svc.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: system
          annotations:
            service.beta.kubernetes.io/azure-load-balancer-internal: "true"
        """})
    svc = by_name(built(repo, "top"), "Service", "web")
    assert svc.data["metadata"]["namespace"] == "capz-system"
    assert origin(repo, svc, "metadata", "annotations", "service.beta.kubernetes.io/azure-load-balancer-internal") \
        == ("top/svc.yaml", 7)


ENV_GENERATOR = "configMapGenerator:\n- name: settings\n  envs:\n  - vars.env\n"


def test_an_env_file_is_read_as_kustomize_reads_it(repo):
    """kustomize api/kv/kv.go keyValuesFromLine: lines end at LF (a CR before it is dropped), a
    BOM leaves the first line, leading whitespace every line; the value after the first '=' is
    kept as written, trailing spaces and '=' included; a line breaking character other than LF is
    part of the value; KEY alone is the variable of kustomize's environment, which lintra never
    reads: an unset variable's empty value."""
    (repo / "prod").mkdir(exist_ok=True)
    (repo / "prod" / "kustomization.yaml").write_text(ENV_GENERATOR)
    (repo / "prod" / "vars.env").write_bytes(
        "\ufeffA=1\r\n  # comment\r\n\tB=two words  \nC=x=y\nD=p\u2028q\nLINTRA_TEST_HOME\n\nE=\n".encode())
    config = next(d for d in built(repo, "prod") if d.data["kind"] == "ConfigMap")
    assert config.data["data"] == {"A": "1", "B": "two words  ", "C": "x=y", "D": "p\u2028q",
                                   "LINTRA_TEST_HOME": "", "E": ""}
    assert [origin(repo, config, "data", key)[1] for key in ("A", "B", "C", "D", "LINTRA_TEST_HOME", "E")] == \
        [1, 3, 4, 5, 6, 8]


@pytest.mark.parametrize("key", ["B C", "..x", ".."])  # IsEnvVarName also refuses ".", ".." and "..x"
def test_an_env_file_key_that_is_no_variable_name_is_refused_at_the_envs_entry(repo, key):
    (repo / "prod").mkdir(exist_ok=True)
    (repo / "prod" / "kustomization.yaml").write_text(ENV_GENERATOR)
    (repo / "prod" / "vars.env").write_text(f"A=1\n{key}=2\n")
    with pytest.raises(LoadError) as error:
        built(repo, "prod")
    assert error.value.rule_id == "LT005"
    assert f"vars.env:2: {key!r} is not a valid environment variable name" in error.value.message
    assert error.value.span.line == 4  # the envs entry of prod/kustomization.yaml
