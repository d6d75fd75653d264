"""LK115: workloads that mount secrets through a SecretProviderClass served by a cloud's secret manager."""

import os

CLASS = ("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {{name: app-secrets}}\n"
         "spec:\n  provider: {provider}\n  parameters: {{objects: x}}\n")
DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n"
          "      containers: [{name: c, image: nginx}]\n      volumes:\n        - name: secrets\n          csi:\n"
          "            driver: secrets-store.csi.k8s.io\n            readOnly: true\n"
          "            volumeAttributes: {secretProviderClass: app-secrets}\n")


def test_workload_mounting_an_aws_class_is_found_at_the_class_name(scan_tree):
    [finding] = scan_tree({"spc.yaml": CLASS.format(provider="aws"), "deploy.yaml": DEPLOY}, "LK115")
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("deploy.yaml", 13, 53)
    assert finding.vendor == "aws" and finding.rule.strength == "hard" and finding.rule.category == "identity"
    assert finding.message == ("Deployment 'app' mounts secrets through SecretProviderClass 'app-secrets' "
                               "(provider aws)")
    related = finding.related[0]
    assert (os.path.basename(related.file), related.span.line, related.span.column) == ("spc.yaml", 5, 13)


def test_class_itself_is_left_to_its_own_rule(scan_tree):
    found = scan_tree({"spc.yaml": CLASS.format(provider="azure"), "deploy.yaml": DEPLOY}, None)
    assert sorted((f.rule.id, os.path.basename(f.file)) for f in found
                  if f.rule.id in {"LK115", "LK410"}) == [("LK115", "deploy.yaml"), ("LK410", "spc.yaml")]


def test_vault_class_and_missing_class_are_silent(scan_tree):
    assert scan_tree({"vault/spc.yaml": CLASS.format(provider="vault"), "vault/deploy.yaml": DEPLOY,
                      "none/deploy.yaml": DEPLOY}, "LK115") == []


def test_other_csi_driver_with_the_same_attribute_is_silent(scan_tree):
    other = DEPLOY.replace("driver: secrets-store.csi.k8s.io", "driver: example.org/secrets")
    assert scan_tree({"spc.yaml": CLASS.format(provider="aws"), "deploy.yaml": other}, "LK115") == []


def test_nearest_definition_wins(scan_tree):
    # the parent directory's gcp class is shadowed by the app's own vault class, but reaches the other app
    found = scan_tree({"spc.yaml": CLASS.format(provider="gke"),
                       "app/spc.yaml": CLASS.format(provider="vault"), "app/deploy.yaml": DEPLOY,
                       "other/deploy.yaml": DEPLOY}, "LK115")
    assert [(os.path.relpath(f.file, os.path.dirname(f.related[0].file)), f.vendor) for f in found] == [
        (os.path.join("other", "deploy.yaml"), "gcp")]


def test_disagreeing_definitions_at_same_distance_are_named(scan_tree):
    [finding] = scan_tree({"a.yaml": CLASS.format(provider="vault"), "b.yaml": CLASS.format(provider="gcp"),
                           "deploy.yaml": DEPLOY}, "LK115")
    assert finding.vendor == "gcp"
    assert "2 definitions of 'app-secrets' at the same distance disagree (gcp, vault)" in finding.message


def test_cronjob_volume_is_followed(scan_tree):
    cron = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: '@daily'\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
            "          containers: [{name: c, image: busybox}]\n          volumes:\n"
            "            - {name: s, csi: {driver: secrets-store.csi.k8s.io, "
            "volumeAttributes: {secretProviderClass: app-secrets}}}\n")
    [finding] = scan_tree({"spc.yaml": CLASS.format(provider="azure"), "cron.yaml": cron}, "LK115")
    assert (finding.span.line, finding.vendor) == (12, "azure")
    assert finding.message.startswith("CronJob 'nightly' mounts secrets through SecretProviderClass 'app-secrets'")


def test_malformed_volumes_are_unknown_not_a_crash(scan_tree):
    bad = DEPLOY.replace("volumeAttributes: {secretProviderClass: app-secrets}", "volumeAttributes: [x]")
    found = scan_tree({"spc.yaml": CLASS.format(provider="aws"), "deploy.yaml": bad,
                       "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes: 3\n",
                       "odd.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  volumes: [3, {csi: 4}]\n"},
                      None)
    assert [f.rule.id for f in found if f.rule.id in {"LK115", "LT900"}] == []


def test_class_of_another_namespace_is_not_the_one_used(tmp_path):
    from lintra.pipeline import run

    classes = "".join(
        f"---\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
        f"metadata: {{name: s, namespace: {ns}}}\nspec: {{provider: {provider}}}\n"
        for ns, provider in (("a", "azure"), ("b", "vault")))
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: b}\nspec:\n  containers: [{name: c, image: x}]\n"
           "  volumes:\n  - name: s\n    csi: {driver: secrets-store.csi.k8s.io, volumeAttributes: {secretProviderClass: s}}\n")
    (tmp_path / "classes.yaml").write_text(classes)
    (tmp_path / "pod.yaml").write_text(pod)
    assert [f for f in run([str(tmp_path)]).findings if f.rule.id == "LK115"] == []
    (tmp_path / "pod.yaml").write_text(pod.replace("namespace: b", "namespace: a"))
    assert [f.vendor for f in run([str(tmp_path)]).findings if f.rule.id == "LK115"] == ["azure"]
