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


GATEWAY_CLASS = ("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {{name: web}}\nspec:\n"
                 "  controllerName: {controller}\n")
GATEWAY = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n"
           "  gatewayClassName: web\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n")
ROUTE = ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
         "  parentRefs: [{name: gw}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n")


def test_gateway_through_gke_class(tmp_path):
    files = {"class.yaml": GATEWAY_CLASS.format(controller="networking.gke.io/gateway"),
             "gw.yaml": GATEWAY, "route.yaml": ROUTE}
    [finding] = findings(tmp_path, files, "LK114")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("gw.yaml", 5, 21)
    assert finding.vendor == "gcp" and finding.related[0].span.line == 5
    assert "networking.gke.io/gateway at" in finding.message


def test_gateway_through_neutral_class_is_silent(tmp_path):
    files = {"class.yaml": GATEWAY_CLASS.format(controller="gateway.envoyproxy.io/gatewayclass-controller"),
             "gw.yaml": GATEWAY}
    assert findings(tmp_path, files, "LK114") == []


def test_gateway_class_in_a_sibling_directory_is_another_cluster(tmp_path):
    (tmp_path / "aws").mkdir()
    (tmp_path / "app").mkdir()
    files = {"aws/class.yaml": GATEWAY_CLASS.format(controller="gateway.k8s.aws/alb"), "app/gw.yaml": GATEWAY}
    assert findings(tmp_path, files, "LK114") == []
    files["gw.yaml"] = GATEWAY  # beside the aws directory, not inside it: still out of reach
    assert findings(tmp_path, files, "LK114") == []


def test_ingress_through_aks_app_routing_class(tmp_path):
    files = {"class.yaml": CLASS.format(controller="webapprouting.kubernetes.azure.com/nginx"),
             "ing.yaml": INGRESS}
    [finding] = findings(tmp_path, files, "LK112")
    assert finding.vendor == "azure"
