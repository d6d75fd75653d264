"""LK113: IngressClass and GatewayClass objects implemented by a vendor's controller (platform layer)."""

import pytest

from lintra.rules.k8s.controllers import VENDOR_CONTROLLERS, controller_vendor
from tests.conftest import where

INGRESS_CLASS = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {{name: web}}
spec:
  controller: {controller}
"""
GATEWAY_CLASS = """\
apiVersion: {api}
kind: GatewayClass
metadata: {{name: web}}
spec:
  {field}: {controller}
"""


@pytest.mark.parametrize("controller, vendor", sorted(VENDOR_CONTROLLERS.items()))
def test_documented_controllers_name_their_vendor(lint, controller, vendor):
    [finding] = [f for f in lint(INGRESS_CLASS.format(controller=controller)).findings if f.rule.id == "LK113"]
    assert (finding.span.line, finding.span.column, finding.vendor) == (5, 15, vendor)
    assert finding.rule.strength == "substrate"


@pytest.mark.parametrize("api, field", [("gateway.networking.k8s.io/v1", "controllerName"),
                                        ("networking.x-k8s.io/v1alpha1", "controller")])
def test_gateway_classes_of_both_api_generations(lint, api, field):
    text = GATEWAY_CLASS.format(api=api, field=field, controller="ako.vmware.com/avi-lb")
    assert where(lint(text), "LK113") == [("LK113", 5, 3 + len(field) + 2)]


@pytest.mark.parametrize("controller", [
    "k8s.io/ingress-nginx", "gateway.envoyproxy.io/gatewayclass-controller", "istio.io/gateway-controller",
    "projectcontour.io/gateway-controller", "example.com/aws", "notgke.io/gateway", "azure", ""])
def test_controllers_that_run_anywhere_stay_silent(lint, controller):
    assert where(lint(INGRESS_CLASS.format(controller=controller or '""')), "LK113") == []


def test_vendor_domains_beyond_the_documented_names():
    assert controller_vendor("webapprouting.kubernetes.azure.com/nginx/internal") == "azure"
    assert controller_vendor("networking.gke.io/ingress-gce") == "gcp"
    assert controller_vendor("elbv2.k8s.aws/ingress") == "aws"
    assert controller_vendor("k8s.aws.example.org/x") is None
    assert controller_vendor(["ingress.k8s.aws/alb"]) is None


def test_a_controller_field_outside_the_class_apis_is_not_a_class(lint):
    other = INGRESS_CLASS.format(controller="ingress.k8s.aws/alb").replace("networking.k8s.io/v1", "example.org/v1")
    assert where(lint(other), "LK113") == []


def test_other_kinds_with_a_controller_field_are_not_classes(lint):
    # a kind that is not a class has no class API to check against, whatever its apiVersion
    other = INGRESS_CLASS.format(controller="ingress.k8s.aws/alb").replace("kind: IngressClass", "kind: Ingress")
    assert where(lint(other), "LK113") == []
