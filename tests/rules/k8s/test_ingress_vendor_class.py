"""LK112: Ingresses bound to a vendor's controller through the IngressClass they name."""

import os

CLASS = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {{name: web}}\nspec:\n"
         "  controller: {controller}\n")
INGRESS = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  ingressClassName: web\n"


def test_ingress_through_alb_class(scan_tree):
    files = {"class.yaml": CLASS.format(controller="ingress.k8s.aws/alb"), "ing.yaml": INGRESS}
    [finding] = scan_tree(files, "LK112")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("ing.yaml", 5, 21)
    assert finding.vendor == "aws" and finding.related[0].span.line == 5
    assert finding.message == ("Ingress 'i' uses IngressClass 'web', implemented by the aws controller "
                               "ingress.k8s.aws/alb")


def test_ingress_through_neutral_class_is_silent(scan_tree):
    files = {"class.yaml": CLASS.format(controller="k8s.io/ingress-nginx"), "ing.yaml": INGRESS}
    assert scan_tree(files, "LK112") == []


def test_ingress_through_aks_app_routing_class(scan_tree):
    [finding] = scan_tree({"class.yaml": CLASS.format(controller="webapprouting.kubernetes.azure.com/nginx"),
                           "ing.yaml": INGRESS}, "LK112")
    assert finding.vendor == "azure"
