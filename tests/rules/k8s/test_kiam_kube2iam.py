"""LK212 kiam / kube2iam: the pod annotation iam.amazonaws.com/role (github.com/uswitch/kiam
README "Overview", github.com/jtblin/kube2iam README "kubernetes annotation": on the pod, so on a
workload's pod template) and the Namespace annotations that permit roles (kiam's
iam.amazonaws.com/permitted, kube2iam's iam.amazonaws.com/allowed-roles), at the annotation key."""

import os

from tests.conftest import where


def test_cronjob_pod_template_annotation_from_the_kube2iam_readme(lint):
    text = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: my-cronjob}\nspec:\n"
            "  schedule: \"00 11 * * 2\"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n"
            "          annotations:\n            iam.amazonaws.com/role: role-arn\n"
            "        spec:\n          restartPolicy: OnFailure\n"
            "          containers: [{name: job, image: my-image}]\n")
    assert where(lint(text), "LK212") == [("LK212", 11, 13)]


def test_pod_and_kube2iam_external_id(lint):
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: aws-cli\n  annotations:\n"
            "    iam.amazonaws.com/role: role-arn\n    iam.amazonaws.com/external-id: ext-1\n"
            "spec:\n  containers: [{name: aws-cli, image: fstab/aws-cli}]\n")
    result = lint(text)
    assert where(result, "LK212") == [("LK212", 6, 5), ("LK212", 7, 5)]
    assert {f.vendor for f in result.findings if f.rule.id == "LK212"} == {"aws"}


def test_the_workloads_own_annotation_is_not_the_pods(lint):
    # kiam and kube2iam read pods: an annotation on the Deployment itself assigns no role
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  annotations:\n"
            "    iam.amazonaws.com/role: app\nspec:\n  template:\n    spec:\n"
            "      containers: [{name: app, image: nginx}]\n")
    assert where(lint(text), "LK212") == []


def test_helm_pod_annotations_value_points_at_values_yaml(scan_tree):
    # the external-dns chart's podAnnotations, printed with toYaml into the pod template
    files = {"Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
             "values.yaml": "podAnnotations:\n  iam.amazonaws.com/role: external-dns\n",
             "templates/deployment.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n"
                                           "  template:\n    metadata:\n      {{- with .Values.podAnnotations }}\n"
                                           "      annotations:\n        {{- toYaml . | nindent 8 }}\n"
                                           "      {{- end }}\n    spec:\n"
                                           "      containers: [{name: app, image: nginx}]\n")}
    [finding] = scan_tree(files, "LK212")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("values.yaml", 2, 3)
