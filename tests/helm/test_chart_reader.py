"""Charts written for the test: discovery, values flow (subcharts, globals, conditions), file
accounting, and hostile charts that must end in notes, never in a traceback or a hang."""

import io
import os
import subprocess
import sys
import tarfile
import textwrap

import pytest

from lintra.filter import Judgement
from lintra.filter.profiles import resolve
from lintra.load import limits
from lintra.load.helm import HelmOptions
from lintra.pipeline import run

SC = textwrap.dedent("""\
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata:
      name: fast
    provisioner: {{ .Values.provisioner }}
    """)


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)  # the chart's repository boundary
    return root


def chart_record(result):
    return next(r for r in result.files if r.file.endswith("Chart.yaml") and "helm" in r.kinds)


def where(result):
    return sorted((f.rule.id, os.path.basename(f.file), f.span.line, f.span.column, bool(f.conditional))
                  for f in result.findings)


def test_value_finding_lands_on_the_values_line_with_the_template_as_related(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/values.yaml": "# EBS\nprovisioner: ebs.csi.aws.com\n",
                            "chart/templates/sc.yaml": SC})
    result = run([str(root / "chart")])
    finding, = [f for f in result.findings if f.rule.id.startswith("LK2")]
    assert (os.path.basename(finding.file), finding.span.line, finding.span.column) == ("values.yaml", 2, 14)
    assert [(os.path.basename(r.file), r.span.line, r.span.column) for r in finding.related] == [("sc.yaml", 5, 14)]


def test_literal_in_a_template_lands_on_the_template_line(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/templates/sc.yaml": SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com")})
    result = run([str(root)])  # found inside a larger scan
    assert [(os.path.basename(f.file), f.span.line, f.span.column) for f in result.findings
            if f.rule.id.startswith("LK2")] == [("sc.yaml", 5, 14)]


def test_switched_off_branch_is_conditional_info_and_never_fails(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/values.yaml": "aws:\n  enabled: false\n",
                            "chart/templates/sc.yaml": "{{- if .Values.aws.enabled }}\n"
                            + SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com") + "{{- end }}\n"})
    result = run([str(root)], Judgement(profile=resolve("agile"), fail_on="info"))
    finding, = [f for f in result.findings if f.rule.id.startswith("LK2")]
    assert finding.conditional == ".Values.aws.enabled"
    assert finding.level.name == "info" and "conditional: only rendered when .Values.aws.enabled" in finding.message
    assert (finding.span.line, finding.span.column) == (6, 14)
    assert result.exit_code == 0
    on = run([str(root)], Judgement(profile=resolve("agile")),
             options={"helm": HelmOptions(sets=[("aws.enabled=true", False)])})
    finding, = [f for f in on.findings if f.rule.id.startswith("LK2")]
    assert finding.conditional is None and on.exit_code == 1


def test_subchart_sees_parent_block_globals_and_condition(tmp_path):
    root = write(tmp_path, {
        "chart/Chart.yaml": """\
            apiVersion: v2
            name: parent
            version: 1.0.0
            dependencies:
              - name: storage
                alias: disk
                version: 1.0.0
                condition: disk.enabled
              - name: missing
                version: 1.0.0
                repository: https://charts.example.com
            """,
        "chart/values.yaml": "global:\n  zone: z1\ndisk:\n  enabled: true\n  provisioner: pd.csi.storage.gke.io\n",
        "chart/charts/storage/Chart.yaml": "apiVersion: v2\nname: storage\nversion: 1.0.0\n",
        "chart/charts/storage/values.yaml": "provisioner: kubernetes.io/no-provisioner\n",
        "chart/charts/storage/templates/sc.yaml": SC + "parameters:\n  zone: {{ .Values.global.zone }}\n",
    })
    result = run([str(root / "chart")])
    finding, = [f for f in result.findings if f.rule.id.startswith("LK3")]
    # the parent's disk: block (alias) wins over the subchart's own default
    assert (os.path.relpath(finding.file, str(root)), finding.span.line) == ("chart/values.yaml", 5)
    assert any("missing" in note and "not vendored" in note for note in chart_record(result).notes)
    off = run([str(root / "chart")], options={"helm": HelmOptions(sets=[("disk.enabled=false", False)])})
    finding, = [f for f in off.findings if f.rule.id.startswith("LK3")]
    assert finding.conditional == "disk.enabled is true"


def test_dependency_tags_disable_a_subchart(tmp_path):
    root = write(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n"
                            "  - name: storage\n    version: 1.0.0\n    tags: [cloud]\n",
        "chart/values.yaml": "tags:\n  cloud: false\n",
        "chart/charts/storage/Chart.yaml": "apiVersion: v2\nname: storage\nversion: 1.0.0\n",
        "chart/charts/storage/templates/sc.yaml": SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com"),
    })
    finding, = [f for f in run([str(root)]).findings if f.rule.id.startswith("LK2")]
    assert finding.conditional == "tags.cloud is true" and finding.level.name == "info"


def _tgz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_vendored_archive_is_read_in_memory_and_located_inside_it(tmp_path):
    archive = _tgz({"storage/Chart.yaml": "apiVersion: v2\nname: storage\nversion: 1.0.0\n",
                    "storage/values.yaml": "provisioner: disk.csi.azure.com\n",
                    "storage/templates/sc.yaml": SC})
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: parent\nversion: 1.0.0\n",
                            "chart/charts/storage-1.0.0.tgz": archive})
    result = run([str(root / "chart")])
    finding, = [f for f in result.findings if f.rule.id.startswith("LK4")]
    assert finding.file.endswith(os.path.join("charts", "storage-1.0.0.tgz") + "/storage/values.yaml")
    assert finding.span.line == 1
    assert not list(tmp_path.rglob("storage/templates"))  # nothing was extracted to disk


def test_kind_list_in_a_template_is_unwrapped(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/templates/list.yaml": "apiVersion: v1\nkind: List\nitems:\n"
                            + textwrap.indent(SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com"), "  ")
                            .replace("  apiVersion", "- apiVersion", 1)})
    result = run([str(root)])
    assert [(f.span.line, f.span.column) for f in result.findings if f.rule.id.startswith("LK2")] == [(8, 16)]


def test_cross_object_rule_resolves_within_the_chart(tmp_path):
    root = write(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "chart/values.yaml": "className: fast\n",
        "chart/templates/sc.yaml": SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com"),
        "chart/templates/pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n"
                                    "spec:\n  storageClassName: {{ .Values.className }}\n",
    })
    result = run([str(root)])
    claim = [f for f in result.findings if f.rule.id == "LK110"]
    assert [(os.path.basename(f.file), f.span.line) for f in claim] == [("values.yaml", 1)]


HOSTILE = {
    "recursive.yaml": '{{ define "loop" }}{{ include "loop" . }}{{ end }}a: {{ include "loop" . }}\n',
    "huge-range.yaml": "{{ range until 100000000 }}x{{ end }}\n",
    "nested-ranges.yaml": "{{ range until 10000 }}{{ range until 10000 }}x{{ end }}{{ end }}\n",
    "deep.yaml": "{{ if true }}" * 300 + "x" + "{{ end }}" * 300,
    "parens.yaml": "{{ " + "(" * 400 + "1" + ")" * 400 + " }}",
    "broken.yaml": "{{ if .Values.x }}\nkind: Pod\n",
    "not-yaml.yaml": "a: b: c: {{ .Values.x }}\n",
    "printf-bomb.yaml": '{{ $s := "x" }}{{ range until 30 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ $s }}\n',
}


def test_hostile_templates_end_in_notes_not_tracebacks(tmp_path):
    files = {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
             "chart/templates/sc.yaml": SC.replace("{{ .Values.provisioner }}", "ebs.csi.aws.com"),
             "chart/charts/bad.tgz": b"not an archive",
             "chart/values.yaml": "a: [unclosed\n"}
    files.update({"chart/templates/" + name: text for name, text in HOSTILE.items()})
    root = write(tmp_path, files)
    result = run([str(root)])
    notes = chart_record(result).notes
    assert any("recursive include" in n for n in notes)
    assert any("evaluation steps" in n or "longer than" in n for n in notes)
    assert any("deeper than" in n for n in notes)
    assert any("bad.tgz" in n for n in notes)
    assert any("values do not parse" in n for n in notes)
    assert any("characters" in n for n in notes)  # the printf bomb hit the output bound
    # the chart's good template still yields its finding
    assert [os.path.basename(f.file) for f in result.findings if f.rule.id.startswith("LK2")] == ["sc.yaml"]
    names = {os.path.basename(r.file) for r in result.files}
    assert set(HOSTILE) | {"sc.yaml", "bad.tgz", "values.yaml", "Chart.yaml"} <= names


def test_archive_bounds(tmp_path):
    from lintra.load import limits
    from lintra.load.helm import chart as reader

    many = _tgz({f"c/templates/{i}.yaml": "" for i in range(limits.MAX_CHART_ARCHIVE_MEMBERS + 1)})
    with pytest.raises(reader.ArchiveError, match="members"):
        reader.read_archive(many, "")
    with pytest.raises(reader.ArchiveError):
        reader.read_archive(b"\x1f\x8b" + b"\0" * 100, "")


def test_links_and_file_dependencies_stay_inside_the_repository(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("apiVersion: v1\nkind: Secret\n")
    (outside / "Chart.yaml").write_text("apiVersion: v2\nname: far\nversion: 1.0.0\n")
    repo = write(tmp_path / "repo", {
        "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n"
                            "  - name: far\n    version: 1.0.0\n    repository: file://../../outside\n"})
    (repo / "chart" / "templates").mkdir()
    os.symlink(outside / "secret.yaml", repo / "chart" / "templates" / "link.yaml")
    result = run([str(repo)])
    reasons = {os.path.basename(r.file): r.reason for r in result.files}
    assert "outside the repository" in reasons["link.yaml"]
    assert any("outside the repository" in n for n in chart_record(result).notes)


def test_cli_flags_end_to_end_in_a_real_subprocess(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/values.yaml": "provisioner: kubernetes.io/no-provisioner\n",
                            "chart/templates/sc.yaml": SC})
    (tmp_path / "one.yaml").write_text("provisioner: kubernetes.io/no-provisioner\n")
    (tmp_path / "two.yaml").write_text("# later wins\nprovisioner: ebs.csi.aws.com\n")
    env = dict(os.environ, LANG="C.UTF-8")
    command = [sys.executable, "-m", "lintra", "check", "--isolated", "--helm-values", str(tmp_path / "one.yaml"),
               "--helm-values", str(tmp_path / "two.yaml"), str(root / "chart")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert f"{tmp_path / 'two.yaml'}:2:14" in done.stdout, done.stdout + done.stderr
    done = subprocess.run(command[:4] + ["--helm-set", "provisioner=disk.csi.azure.com", str(root / "chart")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "sc.yaml:5:14" in done.stdout and "LK4" in done.stdout, done.stdout + done.stderr
    done = subprocess.run(command[:4] + ["--helm-set", "noequals", str(root / "chart")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "expected KEY=VALUE" in done.stderr


def test_suppression_comments_in_values_and_templates_apply(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/values.yaml": "# lintra: ignore[LK201] EBS is our accepted storage\n"
                                                 "provisioner: ebs.csi.aws.com\n",
                            "chart/templates/sc.yaml": SC})
    result = run([str(root / "chart")])
    finding, = [f for f in result.findings if f.rule.id == "LK201"]
    assert (os.path.basename(finding.file), finding.span.line) == ("values.yaml", 2)
    assert finding.suppressed and finding.suppression == "EBS is our accepted storage"
    assert result.exit_code == 0


def test_a_chart_file_named_alone_is_checked_with_its_chart(tmp_path):
    root = write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                            "chart/values.yaml": "provisioner: ebs.csi.aws.com\n",
                            "chart/templates/sc.yaml": SC,
                            "chart/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
                            "chart/charts/sub/templates/x.yaml": "kind: ConfigMap\n"})
    named = [str(root / "chart" / "values.yaml"), str(root / "chart" / "templates" / "sc.yaml"),
             str(root / "chart" / "charts" / "sub" / "templates" / "x.yaml")]
    result = run(named)
    charts = [r.file for r in result.files if "helm" in r.kinds]
    assert charts == [str(root / "chart" / "Chart.yaml")]  # once, the outermost chart
    assert [(os.path.basename(f.file), f.span.line) for f in result.findings if f.rule.id.startswith("LK2")] == \
        [("values.yaml", 1)]


@pytest.mark.parametrize("error", [RuntimeError("boom"), RecursionError(), limits.LimitExceeded("too big", 1, 1)])
def test_a_chart_whose_reader_fails_still_lists_every_file_of_the_chart(tmp_path, monkeypatch, error):
    """Discovery hands on only a chart's Chart.yaml; when reading the chart failed, its
    templates and values went missing from the output (every input file must be listed)."""
    import lintra.load.helm as helm

    def fails(*args, **kwargs):
        raise error

    root = write(tmp_path, {"c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n", "c/values.yaml": "x: 1\n",
                            "c/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
                            "c/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n"})
    monkeypatch.setattr(helm, "analyse", fails)
    result = run([str(root / "c")], jobs=1)
    records = {os.path.relpath(r.file, str(root)): (r.status, r.reason) for r in result.files}
    assert records.pop("c/Chart.yaml")[0] == "error"
    unread = "in the Helm chart of {}, which could not be read: not checked".format(str(root / "c" / "Chart.yaml"))
    assert records == {name: ("skipped", unread) for name in ("c/values.yaml", "c/templates/cm.yaml",
                                                             "c/charts/sub/Chart.yaml")}
