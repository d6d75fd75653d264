"""LK114: Gateways bound to a vendor's controller through the GatewayClass they name."""

import os

import pytest

GATEWAY_CLASS = ("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {{name: web}}\nspec:\n"
                 "  controllerName: {controller}\n")
GATEWAY = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n"
           "  gatewayClassName: web\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n")
ROUTE = ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
         "  parentRefs: [{name: gw}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n")


def test_gateway_through_gke_class(scan_tree):
    files = {"class.yaml": GATEWAY_CLASS.format(controller="networking.gke.io/gateway"),
             "gw.yaml": GATEWAY, "route.yaml": ROUTE}
    [finding] = scan_tree(files, "LK114")  # the route attaches to the Gateway: not a finding of its own
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("gw.yaml", 5, 21)
    assert finding.vendor == "gcp" and finding.related[0].span.line == 5
    assert finding.message == ("Gateway 'gw' uses GatewayClass 'web', implemented by the gcp controller "
                               "networking.gke.io/gateway")
    assert os.path.basename(finding.related[0].file) == "class.yaml"


def test_gateway_through_neutral_class_is_silent(scan_tree):
    files = {"class.yaml": GATEWAY_CLASS.format(controller="gateway.envoyproxy.io/gatewayclass-controller"),
             "gw.yaml": GATEWAY}
    assert scan_tree(files, "LK114") == []


def test_gateway_class_in_a_sibling_directory_is_another_cluster(scan_tree):
    files = {"aws/class.yaml": GATEWAY_CLASS.format(controller="gateway.k8s.aws/alb"), "app/gw.yaml": GATEWAY}
    assert scan_tree(files, "LK114") == []
    files["gw.yaml"] = GATEWAY  # beside the aws directory, not inside it: still out of reach
    assert scan_tree(files, "LK114") == []


def on(findings, name):
    """(rule, line, column, vendor, has related) of the findings in file ``name``."""
    return [(f.rule.id, f.span.line, f.span.column, f.vendor, bool(f.related)) for f in findings
            if os.path.basename(f.file) == name]


GKE_GATEWAY = GATEWAY.replace("gatewayClassName: web", "gatewayClassName: gke-l7-global-external-managed")
GKE_CLASS = GATEWAY_CLASS.replace("{{name: web}}", "{{name: gke-l7-global-external-managed}}")


def test_the_scan_s_gke_class_is_the_one_report_of_a_gke_class_name(scan_tree):
    # the reviewer's case: the GatewayClass is in the scan, and its name is also GKE's own
    files = {"class.yaml": GKE_CLASS.format(controller="networking.gke.io/gateway"), "gw.yaml": GKE_GATEWAY}
    assert on(scan_tree(files, None), "gw.yaml") == [("LK114", 5, 21, "gcp", True)]


@pytest.mark.parametrize("name, vendor", [("gke-l7-rilb", "gcp"), ("gke-l7-global-external-managed-mc", "gcp"),
                                          ("azure-alb-external", "azure")])
def test_a_vendor_class_name_the_scan_does_not_define_is_reported_once_at_the_value(scan_tree, name, vendor):
    gateway = GATEWAY.replace("gatewayClassName: web", f"gatewayClassName: {name}")
    findings = scan_tree({"gw.yaml": gateway}, None)
    assert on(findings, "gw.yaml") == [("LK114", 5, 21, vendor, False)]
    assert "the scan defines no" in findings[0].message


def test_the_scan_s_neutral_class_outweighs_a_gke_name(scan_tree):
    files = {"class.yaml": GKE_CLASS.format(controller="gateway.envoyproxy.io/gatewayclass-controller"),
             "gw.yaml": GKE_GATEWAY}
    assert on(scan_tree(files, None), "gw.yaml") == []


@pytest.mark.parametrize("name", ["gke-l7", "my-gke-l7-class", "azure-alb-internal", "alb"])
def test_names_no_vendor_controller_installs_as_a_gateway_class_stay_silent(scan_tree, name):
    # 'alb' is the AWS Load Balancer Controller's IngressClass, not a GatewayClass it installs
    gateway = GATEWAY.replace("gatewayClassName: web", f"gatewayClassName: {name}")
    assert scan_tree({"gw.yaml": gateway}, None) == []
