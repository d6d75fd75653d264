"""LK120 external-dns --provider: the provider values of external-dns's own list
(github.com/kubernetes-sigs/external-dns, pkg/apis/externaldns/types.go and docs/tutorials),
judged only on containers that are external-dns, at the item that holds the value; and the
external-dns Helm chart's provider value traced to its values.yaml line."""

import os

import pytest

from tests.conftest import where

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: external-dns, namespace: external-dns}
spec:
  template:
    spec:
      containers:
        - name: external-dns
          image: IMAGE
          args:
            - --source=service
            - --source=ingress
            - ARG
"""  # ARG: line 13, column 15


@pytest.mark.parametrize("provider, vendor, service", [
    ("aws", "aws", "Amazon Route 53"),
    ("aws-sd", "aws", "AWS Cloud Map"),
    ("google", "gcp", "Google Cloud DNS"),
    ("azure", "azure", "Azure DNS"),
    ("azure-private-dns", "azure", "Azure Private DNS"),
    ("oci", "oracle", "OCI DNS"),
    ("ibmcloud", "ibm", "IBM Cloud DNS"),
    ("alibabacloud", "other", "Alibaba Cloud DNS"),
    ("tencentcloud", "other", "Tencent Cloud DNS"),
])
def test_cloud_providers_are_reported_at_the_argument(lint, provider, vendor, service):
    text = DEPLOYMENT.replace("IMAGE", "registry.k8s.io/external-dns/external-dns:v0.15.0") \
        .replace("ARG", f"--provider={provider}")
    [finding] = [f for f in lint(text).findings if f.rule.id == "LK120"]
    assert (finding.span.line, finding.span.column) == (13, 15)
    assert (finding.vendor, finding.service) == (vendor, service)
    assert f"runs external-dns against {service}" in finding.message


@pytest.mark.parametrize("provider", ["rfc2136", "coredns", "pdns", "designate", "inmemory", "webhook",
                                      "cloudflare", "skydns"])
def test_neutral_and_dns_only_providers_are_not_reported(lint, provider):
    text = DEPLOYMENT.replace("IMAGE", "registry.k8s.io/external-dns/external-dns:v0.15.0") \
        .replace("ARG", f"--provider={provider}")
    assert where(lint(text), "LK120") == []


def test_the_two_item_form_points_at_the_value(lint):
    text = DEPLOYMENT.replace("IMAGE", "bitnami/external-dns:0.14.2").replace("ARG", "--provider\n            - aws")
    assert where(lint(text), "LK120") == [("LK120", 14, 15)]  # the "aws" item after --provider


def test_environment_variable_form(lint):
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: dns}\nspec:\n  containers:\n"
            "    - name: external-dns\n      image: registry.k8s.io/external-dns/external-dns:v0.15.0\n"
            "      env:\n        - {name: EXTERNAL_DNS_SOURCE, value: service}\n"
            "        - name: EXTERNAL_DNS_PROVIDER\n          value: google\n")
    assert where(lint(text), "LK120") == [("LK120", 11, 18)]  # the value google


def test_a_renamed_image_is_known_by_its_arguments_or_command(lint):
    args = DEPLOYMENT.replace("IMAGE", "mirror.example.org/dns/sync:1") \
        .replace("ARG", "--txt-owner-id=prod\n            - --provider=azure")
    assert where(lint(args), "LK120") == [("LK120", 14, 15)]
    command = ("apiVersion: v1\nkind: Pod\nmetadata: {name: dns}\nspec:\n  containers:\n"
               "    - name: dns\n      image: mirror.example.org/dns/sync:1\n"
               "      command: [/bin/external-dns, --provider=aws-sd]\n")
    assert where(lint(command), "LK120") == [("LK120", 8, 36)]


def test_other_programs_provider_flags_are_not_read(lint):
    # oauth2-proxy's --provider=google (an OAuth provider) and a sidecar beside external-dns
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: proxy\n          image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0\n"
            "          args: [--provider=google, --upstream=http://127.0.0.1:8080]\n"
            "        - name: sync\n          image: example.org/tools/sync:1\n"
            "          args: [--source=s3://bucket, --provider=aws]\n")
    assert where(lint(text), "LK120") == []


CHART = {
    "Chart.yaml": "apiVersion: v2\nname: external-dns\nversion: 1.15.0\n",
    # the external-dns chart's helper: provider is a string or {name: ...}
    "templates/_helpers.tpl": ('{{- define "external-dns.providerName" -}}\n'
                               '{{- if eq (typeOf .Values.provider) "string" }}{{ .Values.provider }}'
                               '{{- else }}{{ .Values.provider.name }}{{- end }}\n{{- end }}\n'),
    "templates/deployment.yaml": ('{{- $providerName := tpl (include "external-dns.providerName" .) $ }}\n'
                                  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
                                  "spec:\n  selector: {matchLabels: {app: external-dns}}\n  template:\n"
                                  "    metadata: {labels: {app: external-dns}}\n    spec:\n      containers:\n"
                                  "        - name: external-dns\n"
                                  '          image: "registry.k8s.io/external-dns/external-dns:v0.15.0"\n'
                                  "          args:\n"
                                  "            {{- range .Values.sources }}\n            - --source={{ . }}\n"
                                  "            {{- end }}\n"
                                  "            - --provider={{ $providerName }}\n"),
}


@pytest.mark.parametrize("values, line", [
    ("sources: [service, ingress]\nprovider: aws\n", 2),
    ("sources: [service, ingress]\nprovider:\n  name: aws\n  webhook: {}\n", 3),
])
def test_helm_chart_provider_value_points_at_values_yaml(scan_tree, values, line):
    files = dict(CHART, **{"values.yaml": values})
    [finding] = scan_tree(files, "LK120")
    assert (os.path.basename(finding.file), finding.span.line, finding.vendor) == ("values.yaml", line, "aws")


def test_helm_chart_with_a_neutral_provider_is_silent(scan_tree):
    files = dict(CHART, **{"values.yaml": "sources: [service]\nprovider:\n  name: rfc2136\n"})
    assert scan_tree(files, "LK120") == []


@pytest.mark.parametrize("item", ['"--provider={{ $providerName }}"', '--provider="{{ $providerName }}"',
                                  "--provider={{ $providerName | quote }}"])
def test_helm_quoted_forms_point_at_values_yaml_too(scan_tree, item):
    files = dict(CHART, **{"values.yaml": "sources: [service]\nprovider: google\n"})
    files["templates/deployment.yaml"] = files["templates/deployment.yaml"].replace(
        "--provider={{ $providerName }}", item)
    [finding] = scan_tree(files, "LK120")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column, finding.vendor) == \
        ("values.yaml", 2, 11, "gcp")
