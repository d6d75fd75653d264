"""LK111: workloads that run as a ServiceAccount bound to a cloud's IAM."""

import os

SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    {annotation}: x\n"
DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n"
          "      serviceAccountName: app\n      containers: [{name: c, image: nginx}]\n")


def test_workload_running_as_irsa_service_account(scan_tree):
    [finding] = scan_tree({"sa.yaml": SA.format(annotation="eks.amazonaws.com/role-arn"),
                           "deploy.yaml": DEPLOY}, "LK111")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("deploy.yaml", 7, 27)
    assert finding.vendor == "aws" and finding.related[0].span.line == 6
    assert finding.message == ("Deployment 'app' runs as ServiceAccount 'app', bound to aws IAM through "
                               "eks.amazonaws.com/role-arn")


def test_workload_with_plain_service_account_is_silent(scan_tree):
    assert scan_tree({"sa.yaml": SA.format(annotation="example.org/owner"), "deploy.yaml": DEPLOY}, "LK111") == []


def test_workload_identity_of_gke_names_gcp(scan_tree):
    [finding] = scan_tree({"sa.yaml": SA.format(annotation="iam.gke.io/gcp-service-account"),
                           "deploy.yaml": DEPLOY}, "LK111")
    assert finding.vendor == "gcp"
