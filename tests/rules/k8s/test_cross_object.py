"""LK111 / LK112: workloads and Ingresses coupled through the object they name."""

import os

from lintra.pipeline import run

SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    {annotation}: x\n"
DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n"
          "      serviceAccountName: app\n      containers: [{name: c, image: nginx}]\n")
CLASS = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {{name: web}}\nspec:\n"
         "  controller: {controller}\n")
INGRESS = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  ingressClassName: web\n"


def findings(tmp_path, files, rule):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return [f for f in run([str(tmp_path)]).findings if f.rule.id == rule]


def test_workload_running_as_irsa_service_account(tmp_path):
    [finding] = findings(tmp_path, {"sa.yaml": SA.format(annotation="eks.amazonaws.com/role-arn"),
                                    "deploy.yaml": DEPLOY}, "LK111")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("deploy.yaml", 7, 27)
    assert finding.vendor == "aws" and finding.related[0].span.line == 6


def test_workload_with_plain_service_account_is_silent(tmp_path):
    assert findings(tmp_path, {"sa.yaml": SA.format(annotation="example.org/owner"),
                               "deploy.yaml": DEPLOY}, "LK111") == []


def test_workload_identity_of_gke_names_gcp(tmp_path):
    [finding] = findings(tmp_path, {"sa.yaml": SA.format(annotation="iam.gke.io/gcp-service-account"),
                                    "deploy.yaml": DEPLOY}, "LK111")
    assert finding.vendor == "gcp"


def test_ingress_through_alb_class(tmp_path):
    [finding] = findings(tmp_path, {"class.yaml": CLASS.format(controller="ingress.k8s.aws/alb"),
                                    "ing.yaml": INGRESS}, "LK112")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("ing.yaml", 5, 21)
    assert finding.vendor == "aws" and finding.related[0].span.line == 5


def test_ingress_through_neutral_class_is_silent(tmp_path):
    assert findings(tmp_path, {"class.yaml": CLASS.format(controller="k8s.io/ingress-nginx"),
                               "ing.yaml": INGRESS}, "LK112") == []
