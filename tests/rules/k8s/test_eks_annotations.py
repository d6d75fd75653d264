"""LK203 / LK208 / LK209: EKS IAM binding, Fargate placement and pod identity webhook settings."""

from tests.conftest import where

ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app
    eks.amazonaws.com/audience: sts.amazonaws.com
    eks.amazonaws.com/sts-regional-endpoints: "true"
    eks.amazonaws.com/token-expiration: "86400"
"""
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  annotations: {eks.amazonaws.com/compute-type: fargate}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            eks.amazonaws.com/compute-type: ec2
            eks.amazonaws.com/skip-containers: sidecar
        spec:
          containers: [{name: c, image: busybox}, {name: sidecar, image: busybox}]
"""
EKS_RULES = {"LK203", "LK208", "LK209"}


def found(result):
    return [f for f in where(result) if f[0] in EKS_RULES]


def test_role_and_its_settings_are_one_binding(lint):
    assert found(lint(ACCOUNT)) == [("LK203", 6, 5)]


def test_settings_without_the_role_are_reported_each_at_its_key(lint):
    orphan = ACCOUNT.replace("    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n", "")
    assert found(lint(orphan)) == [("LK209", 6, 5), ("LK209", 7, 5), ("LK209", 8, 5)]


def test_pod_template_annotations_of_a_cronjob(lint):
    # the CronJob's own annotation is not read by EKS (pods are); the template's are
    assert found(lint(CRONJOB)) == [("LK208", 13, 13), ("LK209", 14, 13)]


def test_other_annotations_and_lookalike_domains_stay_silent(lint):
    neutral = (CRONJOB.replace("eks.amazonaws.com/compute-type: ec2", "example.org/compute-type: ec2")
               .replace("eks.amazonaws.com/skip-containers", "eks.amazonaws.com.evil.org/skip-containers"))
    assert found(lint(neutral)) == []
