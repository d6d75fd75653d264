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
    assert [p.spec for p in pods(flink)] == [("spec", "podTemplate", "spec")]
    assert list(images(flink)) == []  # the image is spec.image, the FlinkDeployment's own
    assert [label for _, _, label in node_keys(flink)] == ["kubernetes.azure.com/scalesetpriority"]


def test_argo_templates_and_tekton_steps_run_pods():
    workflow = load("argo-workflow.yaml")
    assert [p.spec for p in pods(workflow)] == [("spec", "templates", 0), ("spec", "templates", 1)]
    assert [p for p, _ in containers(workflow)] == [("spec", "templates", 0, "container"),
                                                   ("spec", "templates", 1, "script")]
    assert [p for p, _ in pod_metadata(workflow)] == [("spec", "templates", 0, "metadata")]
    task = load("tekton-task.yaml")
    assert [p for p, _ in containers(task)] == [("spec", "steps", 0), ("spec", "sidecars", 0)]


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
