"""LK112: Ingresses bound to a vendor's controller through the IngressClass they name."""

import os

import pytest

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


def on(findings, name):
    """(rule, line, column, vendor, has related) of the findings in file ``name``."""
    return [(f.rule.id, f.span.line, f.span.column, f.vendor, bool(f.related)) for f in findings
            if os.path.basename(f.file) == name]


ALB_INGRESS = INGRESS.replace("ingressClassName: web", "ingressClassName: alb")
ALB_CLASS = CLASS.replace("{{name: web}}", "{{name: alb}}")


@pytest.mark.parametrize("name, vendor", [
    ("alb", "aws"), ("azure-application-gateway", "azure"), ("azure-alb-external", "azure"),
    ("webapprouting.kubernetes.azure.com", "azure")])
def test_a_vendor_class_name_the_scan_does_not_define_is_reported_once_at_the_value(scan_tree, name, vendor):
    ingress = INGRESS.replace("ingressClassName: web", f"ingressClassName: {name}")
    findings = scan_tree({"ing.yaml": ingress}, None)
    assert on(findings, "ing.yaml") == [("LK112", 5, 21, vendor, False)]  # no pack rule on the same value
    assert f"IngressClass '{name}', the name the {vendor} controller" in findings[0].message


def test_the_scan_s_vendor_class_is_the_one_report_even_under_a_vendor_name(scan_tree):
    findings = scan_tree({"class.yaml": ALB_CLASS.format(controller="ingress.k8s.aws/alb"), "ing.yaml": ALB_INGRESS},
                         None)
    assert on(findings, "ing.yaml") == [("LK112", 5, 21, "aws", True)]


def test_the_scan_s_neutral_class_outweighs_a_vendor_name(scan_tree):
    # a platform that installs ingress-nginx under the class name 'alb' couples nothing to AWS
    files = {"class.yaml": ALB_CLASS.format(controller="k8s.io/ingress-nginx"), "ing.yaml": ALB_INGRESS}
    assert on(scan_tree(files, None), "ing.yaml") == []


def test_a_class_out_of_reach_or_of_another_api_leaves_the_name_to_speak(scan_tree):
    files = {"other/class.yaml": ALB_CLASS.format(controller="k8s.io/ingress-nginx"),
             "app/ing.yaml": ALB_INGRESS,
             "app/lookalike.yaml": ALB_CLASS.format(controller="k8s.io/ingress-nginx").replace(
                 "networking.k8s.io/v1", "example.org/v1")}
    assert on(scan_tree(files, None), "ing.yaml") == [("LK112", 5, 21, "aws", False)]


@pytest.mark.parametrize("name", ["gce", "gce-internal", "nginx", "albatross"])
def test_names_no_vendor_controller_installs_stay_silent(scan_tree, name):
    # GKE's Ingress controller reads only the kubernetes.io/ingress.class annotation and leaves an
    # Ingress with any ingressClassName alone, so ingressClassName gce binds nothing to GKE
    ingress = INGRESS.replace("ingressClassName: web", f"ingressClassName: {name}")
    assert scan_tree({"ing.yaml": ingress}, None) == []


def test_the_class_annotation_stays_with_the_pack_rules(scan_tree):
    annotated = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n"
                 "  annotations: {kubernetes.io/ingress.class: alb}\nspec: {}\n")
    assert [f.rule.id for f in scan_tree({"ing.yaml": annotated}, None)] == ["LK202"]
