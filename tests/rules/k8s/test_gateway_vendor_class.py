"""LK114: Gateways bound to a vendor's controller through the GatewayClass they name."""

import os

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
