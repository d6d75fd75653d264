"""lintra.domain.kubernetes: pods found by their shape inside any object, with exact locations.

The fixtures in tests/fixtures/crd-pods are written by hand from each project's documentation
(cited in each file); the expected findings below are read off those files and the vendor docs
that make each value coupling (the rules' references), not taken from lintra's output.
"""

import os

import pytest
import yaml

from lintra.domain import kubernetes
from lintra.domain.kubernetes import Pod, containers, find_pods, images, node_keys, pod_metadata, pods
from lintra.pipeline import run

HERE = os.path.dirname(os.path.abspath(__file__))
CRDS = os.path.join(os.path.dirname(HERE), "fixtures", "crd-pods")


def load(name, index=0):
    with open(os.path.join(CRDS, name), encoding="utf-8") as handle:
        return list(yaml.safe_load_all(handle))[index]


def test_jobset_pod_template_two_levels_down():
    jobset = load("jobset.yaml")
    spec = ("spec", "replicatedJobs", 0, "template", "spec", "template", "spec")
    assert pods(jobset) == (Pod(spec, spec[:-1] + ("metadata",)),)
    assert [p for p, _ in images(jobset)] == [spec + ("containers", 0, "image")]
    assert [label for _, _, label in node_keys(jobset)] == [
        "cloud.google.com/gke-tpu-accelerator", "cloud.google.com/gke-tpu-topology"]


def test_every_pod_of_an_object_in_document_order():
    ray = load("raycluster.yaml")
    assert [p.spec for p in pods(ray)] == [
        ("spec", "headGroupSpec", "template", "spec"),
        ("spec", "workerGroupSpecs", 0, "template", "spec")]
    lws = load("leaderworkerset.yaml")
    assert [p.spec for p in pods(lws)] == [
        ("spec", "leaderWorkerTemplate", "leaderTemplate", "spec"),
        ("spec", "leaderWorkerTemplate", "workerTemplate", "spec")]
    # only the leader writes pod metadata
    assert [p for p, _ in pod_metadata(lws)] == [("spec", "leaderWorkerTemplate", "leaderTemplate", "metadata")]
    job = load("pytorchjob.yaml")
    assert [p.spec[2] for p in pods(job)] == ["Master", "Worker"]


def test_inlined_pod_spec_has_no_metadata_of_its_own():
    isvc = load("kserve.yaml")
    assert pods(isvc) == (Pod(("spec", "predictor"), None),)
    assert list(pod_metadata(isvc)) == []


def test_flink_pod_template_without_images_is_a_pod():
    flink = load("flink.yaml")
    # the FlinkDeploymentSpec's image is what flink-main-container runs; the podTemplate is the pod
    assert [p.spec for p in pods(flink)] == [("spec",), ("spec", "podTemplate", "spec")]
    assert list(images(flink)) == [(("spec", "image"), "flink:1.17")]
    assert [label for _, _, label in node_keys(flink)] == ["kubernetes.azure.com/scalesetpriority"]


def test_argo_templates_and_tekton_steps_run_pods():
    workflow = load("argo-workflow.yaml")
    # the WorkflowSpec's pod-wide settings, then one pod per container or script template
    assert [p.spec for p in pods(workflow)] == [("spec",), ("spec", "templates", 0), ("spec", "templates", 1)]
    assert [p for p, _ in containers(workflow)] == [("spec", "templates", 0, "container"),
                                                   ("spec", "templates", 1, "script")]
    assert [p for p, _ in pod_metadata(workflow)] == [("spec", "templates", 0, "metadata")]
    task = load("tekton-task.yaml")
    assert [p for p, _ in containers(task)] == [("spec", "steps", 0), ("spec", "sidecars", 0)]


def test_spark_application_driver_and_executor_are_pods():
    app = load("spark-application.yaml")
    driver, executor = ("spec", "driver"), ("spec", "executor")
    assert [p.spec for p in pods(app)] == [("spec",), driver, executor]
    # each SparkPodSpec is its own main container; the application's image is shared by both
    assert [p for p, _ in images(app)] == [("spec", "image"), executor + ("image",)]
    # the SparkPodSpec's labels and annotations are its pod metadata
    assert [p for p, _ in pod_metadata(app)] == [driver, executor]
    assert [label for _, _, label in node_keys(app)] == [
        "eks.amazonaws.com/capacityType", "eks.amazonaws.com/compute-type",
        "node.kubernetes.io/instance-type", "eks.amazonaws.com/nodegroup"]
    # ScheduledSparkApplication keeps the same spec under spec.template
    scheduled = {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "ScheduledSparkApplication",
                 "spec": {"schedule": "@every 5m", "template": app["spec"]}}
    assert [p.spec for p in pods(scheduled)] == [("spec", "template"), ("spec", "template", "driver"),
                                                 ("spec", "template", "executor")]
    # a driver with a PodTemplateSpec of its own (operator v2) has that pod too
    templated = {**app, "spec": {**app["spec"], "driver": {"cores": 1, "template": {
        "spec": {"containers": [{"name": "spark-kubernetes-driver", "image": "spark:3.5.0"}]}}}}}
    assert ("spec", "driver", "template", "spec") in [p.spec for p in pods(templated)]


def test_tekton_pod_templates_are_pods_without_containers():
    with open(os.path.join(CRDS, "tekton-runs.yaml"), encoding="utf-8") as handle:
        taskrun, pipelinerun = yaml.safe_load_all(handle)
    assert pods(taskrun) == (Pod(("spec", "podTemplate"), None, ()),)
    assert list(containers(taskrun)) == []
    assert [p.spec for p in pods(pipelinerun)] == [("spec", "taskRunTemplate", "podTemplate"),
                                                  ("spec", "taskRunSpecs", 0, "podTemplate")]
    # a podTemplate with none of the PodSpec's fields is nothing (a Helm-style value named so)
    assert pods({"apiVersion": "example.org/v1", "kind": "Thing", "spec": {"podTemplate": {"name": "x"}}}) == ()


def test_argo_workflow_settings_and_pod_spec_patches():
    workflow = load("argo-pod-spec-patch.yaml")
    patch = ("spec", "podSpecPatch")
    template_patch = ("spec", "templates", 0, "podSpecPatch")
    assert [p.spec for p in pods(workflow)] == [
        ("spec",), patch, ("spec", "templates", 0), template_patch, ("spec", "templates", 1)]
    # the WorkflowSpec's podMetadata is the metadata of every pod
    assert [p for p, _ in pod_metadata(workflow)][:1] == [("spec", "podMetadata")]
    # pointers go on into the parsed patch and resolve there
    assert kubernetes.resolve(workflow, patch + ("nodeSelector",)) == {
        "cloud.google.com/gke-accelerator": "nvidia-tesla-t4"}
    assert [p for p, _ in containers(workflow)][0] == patch + ("containers", 0)
    keys = [(pointer, label) for pointer, _, label in node_keys(workflow)]
    assert (template_patch + ("tolerations", 0, "key"), "kubernetes.azure.com/scalesetpriority") in keys
    # the templated patch ("{{inputs.parameters.patch}}") is no PodSpec: template 1 has no patch pod
    assert ("spec", "templates", 1, "podSpecPatch") not in [p.spec for p in pods(workflow)]


@pytest.mark.parametrize("text", [
    "nodeSelector: {a: b}\n" + "x" * kubernetes.PATCH_LIMIT,                    # too large
    "a: &x [1]\nb: *x\n",                                                      # aliases
    "[" * (kubernetes.PATCH_DEPTH + 1) + "]" * (kubernetes.PATCH_DEPTH + 1),    # too deep
    "{{inputs.parameters.patch}}",                                                # templating
    "- a\n- b\n",                                                               # not a mapping
    "a: b\n---\nc: d\n",                                                       # two documents
    "\x00\x01binary",
    "a: [1, 2, 3" * 50,                                                           # malformed
])
def test_pod_spec_patch_parsing_is_bounded_and_never_raises(text):
    assert kubernetes.pod_spec_patch(text) is None


def test_pod_spec_patch_parses_yaml_and_json():
    assert kubernetes.pod_spec_patch('{"nodeSelector": {"a": "b"}}') == {"nodeSelector": {"a": "b"}}
    assert kubernetes.pod_spec_patch("nodeSelector:\n  a: b\n") == {"nodeSelector": {"a": "b"}}


def test_kserve_model_predictor_is_a_pod():
    isvc = load("kserve-model.yaml")
    assert pods(isvc) == (Pod(("spec", "predictor"), None, pods(isvc)[0].container_fields),)
    assert [p for p, _ in images(isvc)] == [("spec", "predictor", "model", "image")]


def test_known_kinds_keep_their_api_paths():
    deploy = {"kind": "Deployment", "apiVersion": "apps/v1", "spec": {"template": {"spec": {}}}}
    # a workload's template is its pod before it has containers; nothing else is searched
    assert pods(deploy) == (Pod(("spec", "template", "spec"), ("spec", "template", "metadata")),)
    service = {"kind": "Service", "apiVersion": "v1",
               "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    assert pods(service) == ()


def test_lookalikes_are_not_pods():
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "spec": {"versions": [{"schema": {"openAPIV3Schema": {"properties": {"spec": {"properties": {
               "containers": {"type": "array", "items": {"type": "object"}}}}}}}}]}}
    assert pods(crd) == ()
    empty = {"apiVersion": "example.org/v1", "kind": "Thing", "spec": {"containers": []}}
    assert pods(empty) == ()
    strings = {"apiVersion": "example.org/v1", "kind": "Thing", "spec": {"containers": ["a", "b"]}}
    assert pods(strings) == ()
    own_metadata = {"apiVersion": "example.org/v1", "kind": "Thing",
                    "metadata": {"x": {"containers": [{"name": "c", "image": "i"}]}}}
    assert pods(own_metadata) == ()


def test_openshift_template_objects_are_their_own_documents():
    template = {"apiVersion": "template.openshift.io/v1", "kind": "Template", "objects": [
        {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "image": "i"}]}}]}
    assert pods(template) == ()


def test_pods_is_memoised_per_object_and_pure():
    ray = load("raycluster.yaml")
    first = pods(ray)
    assert pods(ray) is first
    assert find_pods(ray) == first and find_pods(ray) is not first
    copy = load("raycluster.yaml")
    assert pods(copy) == first
    assert kubernetes.pod_spec_pointer(ray) == first[0].spec
    assert pods(None) == () and pods([1, 2]) == ()


# (file, line, column, rule) read off the fixtures: the key or value a user edits
EXPECTED = {
    ("argo-workflow.yaml", 14, 11, "LK208"),  # eks.amazonaws.com/compute-type on the template's pod metadata
    ("argo-workflow.yaml", 16, 9, "LK205"),   # nodeSelector eks.amazonaws.com/capacityType
    ("argo-workflow.yaml", 18, 16, "LK204"),  # container image from a private ECR registry
    ("flink.yaml", 18, 16, "LK404"),          # toleration of the AKS spot taint
    ("jobset.yaml", 19, 17, "LK305"),         # cloud.google.com/gke-tpu-accelerator
    ("jobset.yaml", 20, 17, "LK305"),         # cloud.google.com/gke-tpu-topology
    ("jobset.yaml", 23, 26, "LK304"),         # us-docker.pkg.dev image
    ("jobset.yaml", 26, 23, "LK308"),         # google.com/tpu
    ("kserve.yaml", 11, 7, "LK305"),          # cloud.google.com/gke-accelerator beside the inlined pod spec
    ("kserve.yaml", 14, 16, "LK304"),
    ("leaderworkerset.yaml", 16, 11, "LK208"),
    ("leaderworkerset.yaml", 20, 20, "LK204"),
    ("leaderworkerset.yaml", 28, 17, "LK210"),  # aws.amazon.com/neuron
    ("pytorchjob.yaml", 24, 15, "LK201"),     # awsElasticBlockStore in the Worker's pod
    ("raycluster.yaml", 24, 31, "LK111"),     # the worker runs as an Azure-identity ServiceAccount
    ("raycluster.yaml", 26, 13, "LK404"),
    ("raycluster.yaml", 29, 22, "LK403"),
    ("raycluster.yaml", 36, 5, "LK402"),      # the ServiceAccount's own annotation
    ("tekton-task.yaml", 10, 14, "LK304"),    # a step's image
    # SparkApplication: the application's image, nodeSelector and volumes, the driver's toleration
    # and the executor's own image and nodeSelector (SparkPodSpec fields, not a PodSpec)
    ("spark-application.yaml", 14, 10, "LK204"),
    ("spark-application.yaml", 19, 5, "LK205"),
    ("spark-application.yaml", 22, 7, "LK201"),
    ("spark-application.yaml", 32, 14, "LK205"),
    ("spark-application.yaml", 43, 12, "LK204"),
    ("spark-application.yaml", 46, 7, "LK205"),   # eks.amazonaws.com/nodegroup; instance-type is neutral
    # Tekton podTemplate of a TaskRun, taskRunTemplate and taskRunSpecs of a PipelineRun
    ("tekton-runs.yaml", 18, 7, "LK305"),
    ("tekton-runs.yaml", 35, 16, "LK404"),
    ("tekton-runs.yaml", 43, 11, "LK404"),
    # Argo: the WorkflowSpec's nodeSelector and podMetadata; inside podSpecPatch strings the finding
    # is placed at the string (its key for a node label key, its value for a toleration key)
    ("argo-pod-spec-patch.yaml", 13, 5, "LK305"),
    ("argo-pod-spec-patch.yaml", 16, 7, "LK402"),
    ("argo-pod-spec-patch.yaml", 17, 3, "LK305"),
    ("argo-pod-spec-patch.yaml", 27, 21, "LK404"),
    # KServe predictor serving a model: nodeSelector beside it, the model spec's image
    ("kserve-model.yaml", 13, 7, "LK305"),
    ("kserve-model.yaml", 18, 14, "LK304"),
}


def test_pods_inside_unknown_crds_are_checked_at_their_lines():
    result = run([CRDS])
    found = {(os.path.basename(f.file), f.span.line, f.span.column, f.rule.id) for f in result.findings}
    assert found == EXPECTED


@pytest.mark.parametrize("name", sorted(os.listdir(CRDS)))
def test_every_fixture_is_scanned_as_kubernetes(name):
    result = run([os.path.join(CRDS, name)])
    assert [r.status for r in result.files] == ["scanned"]


def test_kubernetes_own_apis_bear_pods_only_where_their_api_says():
    shaped = {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}
    for api in ("v1", "storage.k8s.io/v1", "apiextensions.k8s.io/v1", "apps/v1"):
        assert find_pods({"apiVersion": api, "kind": "Thing", "spec": shaped}) == (), api
    # SIG projects' CRDs live under x-k8s.io and are searched like any other CRD
    assert find_pods({"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "Thing", "spec": shaped}) == (
        Pod(("spec", "template", "spec"), ("spec", "template", "metadata")),)


def test_flag_values_reads_both_forms_of_a_flag_and_no_lookalike():
    from lintra.domain.kubernetes import flag_values, has_flag

    args = ["--provider=aws", "--provider", "google", "--providers=x", "--provider='azure'", 7, "--provider"]
    assert list(flag_values(args, "--provider")) == [(0, "aws", True), (2, "google", False), (4, "azure", True)]
    assert list(flag_values("--provider=aws", "--provider")) == []  # a string, not a list
    assert has_flag(args, "--providers") and has_flag(["--source=service"], "--source")
    assert not has_flag(["--sources"], "--source") and not has_flag(None, "--source")
