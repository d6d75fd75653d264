"""Helm semantics real charts rely on, each checked against Helm's own documentation or source:
which ``define`` wins between a parent and its subcharts, ``.helmignore``, ``import-values``."""

import os

from lintra.pipeline import run
from tests.helm.test_chart_reader import write

V2 = "apiVersion: v2\nname: {}\nversion: 0.1.0\n"


def where(result, root):
    return sorted((f.rule.id, os.path.relpath(f.file, str(root)), f.span.line, f.span.column)
                  for f in result.findings)


def test_a_parent_define_overrides_the_subchart_define_of_the_same_name(tmp_path):
    # Helm parses the deepest template paths first and a later define replaces an earlier one
    # (pkg/engine/engine.go sortTemplates/byPathLen), so a parent chart overrides a subchart's
    # helper; the override runs with the subchart's values
    root = write(tmp_path, {
        "dp/Chart.yaml": V2.format("dp"),
        "dp/values.yaml": "sub:\n  roleArn: arn:aws:iam::123456789012:role/sub\n",
        "dp/templates/_helpers.tpl": """\
            {{- define "sub.annotations" -}}
            eks.amazonaws.com/role-arn: {{ .Values.roleArn }}
            {{- end }}
            """,
        "dp/charts/sub/Chart.yaml": V2.format("sub"),
        "dp/charts/sub/values.yaml": "roleArn: \"\"\n",
        "dp/charts/sub/templates/_helpers.tpl": """\
            {{- define "sub.annotations" -}}
            example.com/owner: team
            {{- end }}
            """,
        "dp/charts/sub/templates/sa.yaml": """\
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: a
              annotations:
                {{- include "sub.annotations" . | nindent 4 }}
            """,
    })
    result = run([str(root / "dp")])
    # the annotation key is a literal of the parent's define (line 2), the role is the subchart's value
    assert where(result, root / "dp") == [("LK203", "templates/_helpers.tpl", 2, 1)]
    hit, = result.findings
    assert "arn:aws:iam::123456789012:role/sub" in hit.message
