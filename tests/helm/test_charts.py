"""The real public charts in ../shared/helm-kustomize, analysed in place (no helm binary).

Each expectation was read off the chart's own files (the line a user edits) and is coupling by
the vendor documentation cited next to it. Branch semantics are Helm's
(https://helm.sh/docs/chart_template_guide/control_structures/): coupling in a branch the default
values switch off is reported as conditional, info at most, never failing.
"""

import json
import os

import pytest

from lintra.filter import Judgement
from lintra.filter.profiles import resolve
from lintra.load.helm import HelmOptions
from lintra.pipeline import run
from tests.conftest import SHARED

CHARTS = os.path.join(SHARED, "helm-kustomize")


def chart(path):
    full = os.path.join(CHARTS, path)
    if not os.path.isdir(full):
        pytest.skip("../shared/helm-kustomize is absent (it sits beside the checkout in CI)")
    return full


def scan(path, profile="balanced", values=(), sets=()):
    root = chart(path)
    result = run([root], Judgement(profile=resolve(profile)),
                 options={"helm": HelmOptions([os.path.join(CHARTS, v) for v in values], sets)})
    return root, result


def found(root, result):
    """{(rule, file relative to the chart, line, conditional)}"""
    return {(f.rule.id, os.path.relpath(f.file, root), f.span.line, bool(f.conditional)) for f in result.findings}


def related(root, result, rule, file, line):
    hit = next(f for f in result.findings if f.rule.id == rule and os.path.relpath(f.file, root) == file
               and f.span.line == line)
    return [(os.path.relpath(r.file, root), r.span.line) for r in hit.related]


def test_aws_fsx_csi_driver_node_affinity_values_and_commented_irsa():
    # eks.amazonaws.com/compute-type is an EKS node label
    # (https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html); the
    # chart writes it in values.yaml (controller.affinity, node.affinity) and renders it with toYaml.
    root, result = scan("kubernetes-sigs__aws-fsx-csi-driver/charts/aws-fsx-csi-driver")
    got = found(root, result)
    assert {("LK205", "values.yaml", 126, False), ("LK205", "values.yaml", 201, False)} <= got
    assert related(root, result, "LK205", "values.yaml", 126) == [("templates/controller-deployment.yaml", 149)]
    # the IRSA role annotation is only a commented-out example (values.yaml:90): not a finding
    assert not any(f.rule.id == "LK203" for f in result.findings)
    assert not any(os.path.relpath(f.file, root) == "values.yaml" and f.span.line == 90 for f in result.findings)


def test_aws_fsx_irsa_annotation_from_set_and_from_a_user_values_file(tmp_path):
    # IRSA: eks.amazonaws.com/role-arn on a ServiceAccount
    # (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)
    key = r"controller.serviceAccount.annotations.eks\.amazonaws\.com/role-arn"
    root, result = scan("kubernetes-sigs__aws-fsx-csi-driver/charts/aws-fsx-csi-driver",
                        sets=[(key + "=arn:aws:iam::111122223333:role/fsx", False)])
    # a --set value has no file: the finding stays at the template line that prints it
    assert ("LK203", "templates/controller-serviceaccount.yaml", 10, False) in found(root, result)
    user = tmp_path / "prod-values.yaml"
    user.write_text("controller:\n  serviceAccount:\n    annotations:\n"
                    "      eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/fsx\n")
    root = chart("kubernetes-sigs__aws-fsx-csi-driver/charts/aws-fsx-csi-driver")
    result = run([root], options={"helm": HelmOptions([str(user)])})
    hit = next(f for f in result.findings if f.rule.id == "LK203")
    assert (hit.file, hit.span.line, hit.span.column) == (str(user), 4, 7)
    assert [(os.path.relpath(r.file, root), r.span.line) for r in hit.related] == \
        [("templates/controller-serviceaccount.yaml", 10)]


ARGO_CONDITIONAL = {
    # AWS Load Balancer Controller annotations (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/)
    ("LK202", "templates/argocd-server/aws/ingress.yaml", 15, True),
    ("LK202", "templates/argocd-server/aws/service.yaml", 6, True),
    # GKE BackendConfig/FrontendConfig (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration)
    # and ManagedCertificate (https://cloud.google.com/kubernetes-engine/docs/how-to/managed-certs)
    ("LK306", "templates/argocd-server/gke/backendconfig.yaml", 2, True),
    ("LK306", "templates/argocd-server/gke/frontendconfig.yaml", 2, True),
    ("LK306", "templates/argocd-server/gke/managedcertificate.yaml", 2, True),
    ("LK302", "templates/argocd-server/gke/ingress.yaml", 19, True),
    ("LK302", "templates/argocd-server/gke/ingress.yaml", 22, True),
    # OpenShift Route (https://docs.openshift.com/container-platform/4.14/networking/routes/route-configuration.html)
    ("LK501", "templates/argocd-server/openshift/route.yaml", 2, True),
}


def test_argo_cd_cloud_templates_are_conditional_and_never_fail():
    root, result = scan("argoproj__argo-helm/charts/argo-cd", profile="agile")
    assert ARGO_CONDITIONAL <= found(root, result)
    for finding in result.findings:
        if finding.conditional:
            assert finding.level.name == "info" and "conditional" in finding.message
    assert result.exit_code == 0
    chart_record = next(r for r in result.files if r.file.endswith("argo-cd/Chart.yaml"))
    assert any("redis-ha" in note and "not vendored" in note for note in chart_record.notes)


def test_argo_cd_values_that_switch_the_aws_branch_on_make_ordinary_findings():
    root, result = scan("argoproj__argo-helm/charts/argo-cd", profile="agile",
                        sets=[("server.ingress.enabled=true,server.ingress.controller=aws", False)])
    got = found(root, result)
    assert ("LK202", "templates/argocd-server/aws/ingress.yaml", 15, False) in got
    assert ("LK306", "templates/argocd-server/gke/backendconfig.yaml", 2, True) in got
    assert result.exit_code == 1


def test_rhdh_route_is_enabled_by_default_and_vendored_archives_are_read():
    # route.enabled: true (values.yaml:463) renders an OpenShift Route
    root, result = scan("redhat-developer__rhdh-chart/charts/backstage")
    assert ("LK501", "templates/route.yaml", 2, False) in found(root, result)
    archives = {os.path.basename(r.file): r for r in result.files if r.file.endswith(".tgz")}
    assert set(archives) == {"common-2.10.0.tgz", "postgresql-12.10.0.tgz"}
    assert all(r.status == "scanned" for r in archives.values())
    # templates inside the archive are rendered and named inside it
    assert any(".tgz/postgresql/templates/" in r.file and r.status == "scanned" for r in result.files)


def test_cloud_provider_azure_mcr_images_point_at_the_values_lines():
    # cloud-provider-azure images from Microsoft Container Registry (https://mcr.microsoft.com/)
    root, result = scan("kubernetes-sigs__cloud-provider-azure/helm/cloud-provider-azure")
    got = found(root, result)
    assert {("LK407", "values.yaml", 17, False), ("LK407", "values.yaml", 57, False)} <= got
    assert related(root, result, "LK407", "values.yaml", 17) == [("templates/_image.tpl", 10)]


def test_workload_identity_webhook_image_in_values():
    root, result = scan("Azure__azure-workload-identity/charts/workload-identity-webhook")
    assert ("LK407", "values.yaml", 7, False) in found(root, result)
    assert related(root, result, "LK407", "values.yaml", 7) == \
        [("templates/azure-wi-webhook-controller-manager-deployment.yaml", 60)]


def test_keda_cloud_identities_are_conditional_including_the_cross_object_rule():
    # Azure workload identity labels/annotations
    # (https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html),
    # IRSA and GKE workload identity annotations, each behind a podIdentity.*.enabled switch
    root, result = scan("kedacore__charts/keda", profile="agile")
    got = found(root, result)
    assert {("LK402", "templates/manager/serviceaccount.yaml", 8, True),
            ("LK203", "templates/manager/serviceaccount.yaml", 30, True),
            ("LK303", "templates/manager/serviceaccount.yaml", 39, True),
            # the Deployment runs as that ServiceAccount (values.yaml:368 names it): conditional too
            ("LK111", "values.yaml", 368, True)} <= got
    assert result.exit_code == 0


def test_quarkus_openshift_objects_at_template_lines():
    # BuildConfig, ImageStream and Route are OpenShift APIs
    # (https://docs.openshift.com/container-platform/4.14/cicd/builds/understanding-buildconfigs.html)
    root, result = scan("redhat-developer__redhat-helm-charts/alpha/quarkus-chart")
    assert {("LK501", "templates/buildconfig.yaml", 2, False), ("LK501", "templates/imagestream.yaml", 2, False),
            ("LK501", "templates/route.yaml", 2, False)} <= found(root, result)


def test_wildfly_library_chart_templates_found_through_merge_helpers():
    # wildfly depends on the library chart file://../wildfly-common, whose partials are merged
    # with fromYaml/include/merge; the Route is written in the library's _route.yaml
    root, result = scan("redhat-developer__redhat-helm-charts/alpha/wildfly")
    assert ("LK501", "../wildfly-common/templates/_route.yaml", 3, False) in found(root, result)


def test_prometheus_engine_with_the_shared_values_file_points_into_it():
    # GMP images from gke.gcr.io and its OperatorConfig API
    # (https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed)
    root, result = scan("GoogleCloudPlatform__prometheus-engine/charts/operator",
                        values=["GoogleCloudPlatform__prometheus-engine/charts/values.global.yaml"])
    got = found(root, result)
    assert ("LK304", "../values.global.yaml", 35, False) in got
    assert ("LK306", "templates/operatorconfig.yaml", 16, False) in got
    assert related(root, result, "LK304", "../values.global.yaml", 35) == [("templates/deployment.yaml", 41)]


def test_gcs_fuse_loading_test_volume_branch_is_conditional():
    # Cloud Storage FUSE CSI driver (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver);
    # scenario: local-ssd (the default) renders an emptyDir instead
    root, result = scan("GoogleCloudPlatform__gcs-fuse-csi-driver/examples/fio/loading-test")
    got = found(root, result)
    assert {("LK305", "templates/fio-tester.yaml", 27, False), ("LK301", "templates/fio-tester.yaml", 169, True),
            ("LK301", "templates/fio-tester.yaml", 181, True)} <= got


def test_secrets_store_provider_aws_values_and_remote_dependency_note():
    root, result = scan("aws__secrets-store-csi-driver-provider-aws/charts/secrets-store-csi-driver-provider-aws")
    assert ("LK205", "values.yaml", 23, False) in found(root, result)
    record = next(r for r in result.files if r.file.endswith("Chart.yaml"))
    assert any("secrets-store-csi-driver" in n and "not vendored" in n for n in record.notes)


@pytest.mark.parametrize("path", ["bitnami-labs__sealed-secrets/helm/sealed-secrets",
                                  "cert-manager__cert-manager/deploy/charts/cert-manager",
                                  "kubernetes__ingress-nginx/charts/ingress-nginx",
                                  "kedacore__charts/keda"])
def test_vendor_neutral_charts_do_not_fail_under_agile(path):
    root, result = scan(path, profile="agile")
    assert result.exit_code == 0, [f for f in result.findings if result.judgement.fails(f)]


def _every_file(root):
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            out.add(os.path.relpath(os.path.join(dirpath, name), root))
    return out


@pytest.mark.parametrize("path", ["argoproj__argo-helm/charts/argo-cd", "kedacore__charts/keda",
                                  "aws__karpenter-provider-aws/charts/karpenter",
                                  "redhat-developer__rhdh-chart/charts/backstage"])
def test_every_chart_file_is_accounted_for_once(path):
    root, result = scan(path)
    names = [os.path.relpath(r.file, root) for r in result.files]
    assert len(names) == len(set(names))
    assert _every_file(root) <= set(names)
    reasons = {name: r.reason for name, r in zip(names, result.files)}
    if "templates/NOTES.txt" in reasons:
        assert "NOTES.txt" in reasons["templates/NOTES.txt"]


def test_json_output_has_conditional_and_notes_and_validates(tmp_path):
    import jsonschema
    from click.testing import CliRunner

    from lintra.cli import main

    root = chart("argoproj__argo-helm/charts/argo-cd")
    outcome = CliRunner().invoke(main, ["check", "--isolated", "--format", "json", root])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    schema_path = os.path.join(os.path.dirname(__file__), "..", "..", "lintra", "report", "schemas",
                               "output.schema.json")
    with open(schema_path, encoding="utf-8") as handle:
        jsonschema.validate(data, json.load(handle))
    conditional = [f for f in data["findings"] if f.get("conditional")]
    assert conditional and all(f["level"] == "info" for f in conditional)
    assert any(f["conditional"].startswith("if and .Values.server.ingress.enabled") for f in conditional)
    assert any(entry.get("notes") for entry in data["files"])
