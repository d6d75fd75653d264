"""Helm semantics real charts rely on, each checked against Helm's own documentation or source:
which ``define`` wins between a parent and its subcharts, ``.helmignore``, ``import-values``."""

import os

import pytest

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


PV = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\nspec:\n  awsElasticBlockStore: {volumeID: vol-1}\n"


def test_helmignore_hides_templates_and_subcharts_from_rendering(tmp_path):
    # Helm's loader skips what .helmignore matches and always templates/.?*
    # (helm pkg/chart/loader/directory.go LoadDir, internal/ignore/rules.go): a pattern without
    # "/" matches the base name at any depth, a trailing "/" a directory, which is skipped whole
    root = write(tmp_path, {
        "hi/Chart.yaml": V2.format("hi"),
        "hi/.helmignore": "# editor backups\n*.bak\ntemplates/old/\ncharts/legacy/\n",
        "hi/templates/pv.yaml.bak": PV,
        "hi/templates/old/pv.yaml": PV,
        "hi/templates/.hidden.yaml": PV,
        "hi/charts/legacy/Chart.yaml": V2.format("legacy"),
        "hi/charts/legacy/templates/pv.yaml": PV,
        "hi/charts/keep/Chart.yaml": V2.format("keep"),
        "hi/charts/keep/templates/pv.yaml": PV,
        "hi/charts/keep/templates/pv.bak": PV,
    })
    result = run([str(root / "hi")])
    # only the subchart template nothing ignores renders: its literal volume source, line 5
    assert where(result, root / "hi") == [("LK201", "charts/keep/templates/pv.yaml", 5, 3)]
    status = {os.path.relpath(r.file, str(root / "hi")): (r.status, r.reason) for r in result.files}
    for name in ("templates/pv.yaml.bak", "templates/old/pv.yaml", "templates/.hidden.yaml",
                 "charts/legacy/Chart.yaml", "charts/legacy/templates/pv.yaml", "charts/keep/templates/pv.bak"):
        assert status[name] == ("skipped", "matched by .helmignore: Helm does not load it"), name
    assert status["charts/keep/templates/pv.yaml"][0] == "scanned"


def test_helmignore_negation_and_anchored_patterns(tmp_path):
    # "!" re-admits what a positive rule matched; a leading "/" anchors at the chart root
    root = write(tmp_path, {
        "hn/Chart.yaml": V2.format("hn"),
        "hn/.helmignore": "*.yaml.tmp\n!keep.yaml.tmp\n/templates/x*.yaml\n",
        "hn/templates/a.yaml.tmp": PV,
        "hn/templates/keep.yaml.tmp": PV,
        "hn/templates/x1.yaml": PV,
        "hn/templates/sub/x2.yaml": PV,
    })
    result = run([str(root / "hn")])
    assert where(result, root / "hn") == [("LK201", "templates/keep.yaml.tmp", 5, 3),
                                          ("LK201", "templates/sub/x2.yaml", 5, 3)]


def test_import_values_bring_subchart_values_into_the_parent_at_their_own_lines(tmp_path):
    # https://helm.sh/docs/topics/charts/#importing-child-values-via-dependencies: "- data" imports
    # the child's exports.data map into the parent's values; child/parent copies a map to a path.
    # The parent's own values win (Helm processImportValues: CoalesceTables(parent, imported)).
    root = write(tmp_path, {
        "par/Chart.yaml": """\
            apiVersion: v2
            name: par
            version: 0.1.0
            dependencies:
              - name: child
                version: 0.1.0
                repository: file://charts/child
                import-values:
                  - child: lb
                    parent: fromchild
                  - data
            """,
        "par/values.yaml": "child:\n  lb:\n    annotations:\n      cloud.google.com/neg: '{\"ingress\": true}'\n"
                           "extra:\n  owner: team\n",
        "par/templates/svc.yaml": """\
            apiVersion: v1
            kind: Service
            metadata:
              name: svc
              annotations:
                {{- toYaml .Values.fromchild.annotations | nindent 4 }}
                {{- toYaml .Values.svcAnnotations | nindent 4 }}
                owner: {{ .Values.extra.owner }}
            spec:
              type: LoadBalancer
            """,
        "par/charts/child/Chart.yaml": V2.format("child"),
        "par/charts/child/values.yaml": """\
            lb:
              annotations:
                cloud.google.com/load-balancer-type: Internal
            exports:
              data:
                svcAnnotations:
                  networking.gke.io/load-balancer-type: Internal
                extra:
                  owner: child
            """,
    })
    result = run([str(root / "par")])
    got = where(result, root / "par")
    # the child's default, the parent's override of the child's block, the exported map
    assert ("LK302", "charts/child/values.yaml", 3, 5) in got
    assert ("LK302", "values.yaml", 4, 7) in got
    assert ("LK302", "charts/child/values.yaml", 7, 7) in got
    hit = next(f for f in result.findings if f.span.line == 7 and f.file.endswith("child/values.yaml"))
    assert [(os.path.relpath(r.file, str(root / "par")), r.span.line) for r in hit.related] == \
        [("templates/svc.yaml", 7)]
    # the parent's own extra.owner wins over the imported one
    from lintra.load.helm import HelmOptions, analyse
    docs = analyse(str(root / "par"), "par", HelmOptions())
    service = next(d for d, _ in docs if d.get("kind") == "Service")
    assert service["metadata"]["annotations"]["owner"] == "team"


TPLVALUES = """\
    {{- define "common.tplvalues.render" -}}
    {{- $value := typeIs "string" .value | ternary .value (.value | toYaml) }}
    {{- if contains "{{" (toJson .value) }}
      {{- if .scope }}
          {{- tpl (cat "{{- with $.RelativeScope -}}" $value "{{- end }}") (merge (dict "RelativeScope" .scope) .context) }}
      {{- else }}
        {{- tpl $value .context }}
      {{- end }}
    {{- else }}
        {{- $value }}
    {{- end }}
    {{- end -}}
    """


def test_tpl_of_rendered_values_keeps_each_key_at_its_values_line(tmp_path):
    # Bitnami's common.tplvalues.render runs `tpl (toYaml .value)` once any value holds "{{"
    # (https://helm.sh/docs/howto/charts_tips_and_tricks/#using-the-tpl-function); the keys and
    # literal values of that YAML were written in values.yaml, so findings on them land there,
    # not in the library's helper
    root = write(tmp_path, {
        "web/Chart.yaml": V2.format("web") + "dependencies:\n  - name: common\n    version: 2.x.x\n"
                                             "    repository: oci://registry-1.docker.io/bitnamicharts\n",
        "web/values.yaml": """\
            accountId: "123456789012"
            commonAnnotations:
              service.beta.kubernetes.io/aws-load-balancer-type: nlb
              eks.amazonaws.com/role-arn: "arn:aws:iam::{{ .Values.accountId }}:role/web"
            """,
        "web/templates/sa.yaml": """\
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: web
              annotations: {{- include "common.tplvalues.render" (dict "value" .Values.commonAnnotations "context" $) | nindent 4 }}
            """,
        "web/charts/common/Chart.yaml": V2.format("common") + "type: library\n",
        "web/charts/common/templates/_tplvalues.tpl": TPLVALUES,
    })
    result = run([str(root / "web")])
    assert where(result, root / "web") == [("LK202", "values.yaml", 3, 3), ("LK203", "values.yaml", 4, 3)]
    hit = next(f for f in result.findings if f.rule.id == "LK203")
    assert "arn:aws:iam::123456789012:role/web" in hit.message


def test_a_condition_reads_the_subchart_default_when_the_parent_sets_none(tmp_path):
    # Helm coalesces the subchart's values.yaml under its name (alias) before it reads
    # `condition:` paths (chartutil ProcessDependencies: CoalesceValues, then
    # processDependencyConditions), so the subchart's own `enabled: false` switches it off;
    # the parent's value, when it sets one, wins
    files = {
        "cd/Chart.yaml": V2.format("cd") + "dependencies:\n  - name: store\n    alias: cache\n"
                                           "    version: 0.1.0\n    repository: https://example.org/charts\n"
                                           "    condition: cache.enabled\n",
        "cd/values.yaml": "cache:\n  size: 1Gi\n",
        "cd/charts/store/Chart.yaml": V2.format("store"),
        "cd/charts/store/values.yaml": "enabled: false\n",
        "cd/charts/store/templates/pv.yaml": PV,
    }
    root = write(tmp_path / "off", files)
    result = run([str(root / "cd")])
    hit, = result.findings
    assert (hit.rule.id, hit.conditional, hit.level.name) == ("LK201", "cache.enabled is true", "info")
    assert result.exit_code == 0
    files["cd/values.yaml"] = "cache:\n  enabled: true\n"
    root = write(tmp_path / "on", files)
    result = run([str(root / "cd")])
    hit, = result.findings
    assert (hit.rule.id, hit.conditional, os.path.relpath(hit.file, str(root / "cd")), hit.span.line) == \
        ("LK201", None, "charts/store/templates/pv.yaml", 5)


def test_tags_of_a_nested_dependency_are_read_in_the_top_parent_values(tmp_path):
    # https://helm.sh/docs/topics/charts/#tags: "In the top parent's values, all charts with tags
    # can be enabled or disabled"; a subchart's own values.yaml tags are the fallback
    files = {
        "top/Chart.yaml": V2.format("top"),
        "top/values.yaml": "tags:\n  db: false\n",
        "top/charts/mid/Chart.yaml": V2.format("mid") + "dependencies:\n"
            "  - {name: grand, version: 0.1.0, repository: 'https://example.org', tags: [db]}\n"
            "  - {name: other, version: 0.1.0, repository: 'https://example.org', tags: [cache]}\n",
        "top/charts/mid/values.yaml": "tags:\n  db: true\n  cache: false\n",
        "top/charts/mid/charts/grand/Chart.yaml": V2.format("grand"),
        "top/charts/mid/charts/grand/templates/pv.yaml": PV,
        "top/charts/mid/charts/other/Chart.yaml": V2.format("other"),
        "top/charts/mid/charts/other/templates/pv.yaml": PV.replace("name: a", "name: b"),
    }
    root = write(tmp_path, files)
    result = run([str(root / "top")])
    got = sorted((os.path.relpath(f.file, str(root / "top")), f.conditional) for f in result.findings)
    assert got == [("charts/mid/charts/grand/templates/pv.yaml", "tags.db is true"),
                   ("charts/mid/charts/other/templates/pv.yaml", "tags.cache is true")]
    assert result.exit_code == 0


def test_a_library_chart_lends_only_its_underscore_templates(tmp_path):
    # Helm's engine keeps only the _-prefixed templates of a `type: library` chart
    # (pkg/engine/engine.go isTemplateValid), so a define in its other files does not exist and
    # the parent's include of it fails there; lintra notes the missing template
    root = write(tmp_path, {
        "app/Chart.yaml": V2.format("app"),
        "app/templates/sa.yaml": """\
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: a
              annotations:
                {{- include "lib.role" . | nindent 4 }}
            """,
        "app/charts/lib/Chart.yaml": V2.format("lib") + "type: Library\n",
        "app/charts/lib/templates/role.yaml": """\
            {{- define "lib.role" -}}
            eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/a
            {{- end }}
            """,
    })
    result = run([str(root / "app")])
    assert result.findings == []
    record = next(r for r in result.files if r.file.endswith("lib/templates/role.yaml"))
    assert (record.status, record.reason) == ("skipped", "template of a library chart: Helm reads only its _ templates")
    chart = next(r for r in result.files if r.file.endswith("app/Chart.yaml"))
    assert any("'lib.role' is not defined" in note for note in chart.notes)


def test_a_hostile_helmignore_ends_in_a_note_not_a_traceback_or_a_hang(tmp_path):
    import time

    lines = ["[z-a]", "[", "trailing\\\\", "a**b"] + [f"pattern{i}-*.yaml" for i in range(20000)] + ["*.bak"]
    root = write(tmp_path, {"h/Chart.yaml": V2.format("h"), "h/.helmignore": "\n".join(lines) + "\n",
                            "h/templates/pv.yaml": PV, "h/templates/pv.bak": PV})
    for i in range(300):
        (root / "h" / "templates" / f"cm{i}.txt").write_text("", encoding="utf-8")
    started = time.monotonic()
    result = run([str(root / "h")])
    assert time.monotonic() - started < 30
    # the *.bak rule lies past the first 500 patterns, so pv.bak renders (and says so in a note);
    # [z-a] is a well-formed Go pattern (it matches nothing) and is one of the 500
    assert where(result, root / "h") == [("LK201", "templates/pv.bak", 5, 3), ("LK201", "templates/pv.yaml", 5, 3)]
    chart = next(r for r in result.files if r.file.endswith("h/Chart.yaml"))
    assert ".helmignore: only its first 500 patterns are applied (19503 more are not)" in chart.notes


def test_an_aliased_subchart_sees_its_alias_as_chart_name(tmp_path):
    # Helm renames the aliased copy of a dependency (chartutil getAliasDependency: md.Name =
    # dep.Alias), so .Chart.Name names each copy apart
    root = write(tmp_path, {
        "al/Chart.yaml": V2.format("al") + "dependencies:\n"
            "  - {name: store, alias: hot, version: 0.1.0, repository: 'https://example.org'}\n"
            "  - {name: store, alias: cold, version: 0.1.0, repository: 'https://example.org'}\n",
        "al/charts/store/Chart.yaml": V2.format("store"),
        "al/charts/store/templates/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n"
                                             "  name: {{ .Chart.Name }}\n",
    })
    from lintra.load.helm import HelmOptions, analyse
    docs = analyse(str(root / "al"), "al", HelmOptions())
    assert sorted(d["metadata"]["name"] for d, _ in docs) == ["cold", "hot"]


def test_a_backtracking_helmignore_pattern_is_matched_in_linear_time(tmp_path):
    # Go's filepath.Match (what Helm's internal/ignore/rules.go calls) tries each star at every
    # position once; a regex translation of *a*a*...*b backtracks exponentially on 200 a's
    import subprocess
    import sys

    name = "a" * 200
    root = write(tmp_path, {"h/Chart.yaml": V2.format("h"), "h/.helmignore": "*a*a*a*a*a*a*a*a*a*a*a*a*b\n",
                            f"h/templates/{name}": PV, "h/templates/pv.yaml": PV})
    command = [sys.executable, "-m", "lintra", "check", "--isolated", str(root / "h")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, LANG="C.UTF-8"))
    # the pattern does not match (no b), so both templates render
    assert f"templates/{name}:5:3" in done.stdout and "templates/pv.yaml:5:3" in done.stdout, \
        done.stdout + done.stderr
    assert done.stderr == ""


def test_helmignore_patterns_mean_what_go_filepath_match_says():
    # cases of Go's src/path/filepath/match_test.go and getEsc: a class cannot begin with ] or -,
    # a reversed range matches nothing (negated: everything), * and ? stop at /
    from lintra.load.helm.chart import BadPattern, go_match

    assert go_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", "a" * 5000) is False
    assert go_match("abc", "abc") and go_match("*", "abc") and go_match("*c", "abc")
    assert not go_match("a*", "ab/c") and go_match("a*/b", "abc/b") and not go_match("a*/b", "a/c/b")
    assert go_match("a*b*c*d*e*/f", "axbxcxdxe/f") and not go_match("a*b*c*d*e*/f", "axbxcxdxe/xxx/f")
    assert go_match("ab[c]", "abc") and go_match("ab[b-d]", "abc") and not go_match("ab[e-g]", "abc")
    assert not go_match("ab[^c]", "abc") and go_match("ab[^e-g]", "abc") and not go_match("a?b", "a/b")
    assert go_match("a\\*b", "a*b") and not go_match("a\\*b", "ab") and go_match("[\\]a]", "]")
    assert go_match("[\\-]", "-") and go_match("[x\\-]", "-") and go_match("[a-c]]", "b]")
    assert not go_match("[z-a]", "q") and go_match("[^z-a]", "q") and go_match("[^z-a]", "/")
    assert go_match("*x", "xxx") and go_match("a*", "a") and not go_match("a*b", "a/b")
    for bad in ("[]a]", "[^]a]", "[-]", "[x-]", "[a--z]x", "[", "[^", "[^bc", "a[", "a\\", "[\\", "[a-b-c]", "[-x]", "[a-]]"):
        try:
            go_match(bad, "a")
        except BadPattern:
            continue
        raise AssertionError(f"{bad!r} is ErrBadPattern in Go")
    # a malformed pattern past a mismatch is still an error (Go checks the rest of the pattern)
    try:
        go_match("a*x[", "abc")
    except BadPattern:
        pass
    else:
        raise AssertionError("a*x[ is ErrBadPattern in Go")


def test_a_malformed_helmignore_pattern_is_noted_and_prints_no_warning(tmp_path):
    # Helm's parseRule refuses a pattern filepath.Match calls malformed ([a--z]x: a range cannot
    # begin with -), so its chart does not load; lintra applies the other lines and says so
    import warnings

    root = write(tmp_path, {"h/Chart.yaml": V2.format("h"), "h/.helmignore": "[a--z]x\n[]a]\n*.bak\n[z-a]\n",
                            "h/templates/pv.yaml": PV, "h/templates/pv.bak": PV, "h/templates/q": PV})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run([str(root / "h")])
    # [z-a] is well formed to Go and matches nothing, so q renders; *.bak hides pv.bak
    assert where(result, root / "h") == [("LK201", "templates/pv.yaml", 5, 3), ("LK201", "templates/q", 5, 3)]
    chart = next(r for r in result.files if r.file.endswith("h/Chart.yaml"))
    assert (".helmignore: Helm refuses the pattern '[a--z]x' (syntax error in pattern) and then does not "
            "load the chart; the line is not applied") in chart.notes
    assert any("'[]a]'" in note for note in chart.notes)
    assert not any("'[z-a]'" in note for note in chart.notes)


def test_tpl_over_rendered_output_reads_each_piece_a_bounded_number_of_times(tmp_path, monkeypatch):
    # tpl (toYaml .Values.ann) maps each literal run of the tpl string to the output pieces it
    # was made of; finding those by scanning every piece from the start for each run made it
    # quadratic (8000 keys holding "{{ 1 }}": 89 s). Count the pieces read instead of timing.
    from lintra.load.helm import evaluate

    reads = [0]

    class Counting(list):
        def __iter__(self):
            for item in list.__iter__(self):
                reads[0] += 1
                yield item

        def __getitem__(self, index):
            reads[0] += 1
            return list.__getitem__(self, index)

    built = []
    original = evaluate.Template.__init__

    def init(self, name, parsed, fixed=None, pieces=None):
        if pieces is not None:
            pieces = Counting(pieces)
            built.append(pieces)
        original(self, name, parsed, fixed, pieces)

    monkeypatch.setattr(evaluate.Template, "__init__", init)
    keys = 1500
    values = "ann:\n" + "".join(f'  k{i}: "{{{{ 1 }}}}"\n' for i in range(keys))
    root = write(tmp_path, {
        "c/Chart.yaml": V2.format("c"),
        "c/values.yaml": values + "pv: vol-1\n",
        "c/templates/cm.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n"
                                "{{ tpl (toYaml .Values.ann) . | indent 4 }}\n"),
        "c/templates/pv.yaml": ("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\nspec:\n"
                                "  awsElasticBlockStore: {volumeID: {{ tpl \"{{ .Values.pv }}\" . }}}\n"),
    })
    result = run([str(root / "c")])
    assert where(result, root / "c") == [("LK201", "templates/pv.yaml", 5, 3)]
    pieces = sum(len(p) for p in built)
    assert pieces >= keys
    # linear: a few reads a piece (quadratic read about pieces * keys / 2, here over a million)
    assert reads[0] < 10 * pieces, (reads[0], pieces)


def test_an_earlier_dependencys_import_values_do_not_decide_a_later_condition(tmp_path):
    # Helm's chartutil.ProcessDependencies runs processDependencyEnabled for every dependency
    # before processDependencyImportValues: a's import of feat.enabled: false to b.enabled comes
    # after b's condition b.enabled was read (unset, so b is enabled): helm template renders b
    root = write(tmp_path, {
        "p/Chart.yaml": """\
            apiVersion: v2
            name: p
            version: 0.1.0
            dependencies:
              - name: a
                version: 0.1.0
                import-values:
                  - child: feat
                    parent: b
              - name: b
                version: 0.1.0
                condition: b.enabled
            """,
        "p/charts/a/Chart.yaml": V2.format("a"),
        "p/charts/a/values.yaml": "feat:\n  enabled: false\n",
        "p/charts/b/Chart.yaml": V2.format("b"),
        "p/charts/b/templates/pv.yaml": PV,
    })
    result = run([str(root / "p")])
    hit, = result.findings
    assert os.path.relpath(hit.file, str(root / "p")) == "charts/b/templates/pv.yaml"
    assert (hit.rule.id, hit.span.line, hit.span.column, hit.conditional) == ("LK201", 5, 3, None)


def test_a_null_values_document_is_no_values_for_the_chart_and_for_helm_values(tmp_path):
    # Helm's chartutil.ReadValues unmarshals a null (or empty) document to no values, for a
    # chart's values.yaml and a -f file alike; a list is refused by both
    from lintra.load import helm

    HelmOptions, values_file_problem = helm.HelmOptions, helm.values_file_problem
    root = write(tmp_path, {"n/Chart.yaml": V2.format("n"), "n/values.yaml": "# nothing yet\nnull\n",
                            "n/templates/pv.yaml": PV.replace("vol-1", "{{ .Values.vol | default \"vol-1\" }}"),
                            "null.yaml": "~\n", "list.yaml": "- a\n"})
    result = run([str(root / "n")], options={"helm": HelmOptions([str(root / "null.yaml")])})
    assert where(result, root / "n") == [("LK201", "templates/pv.yaml", 5, 3)]
    chart = next(r for r in result.files if r.file.endswith("n/Chart.yaml"))
    assert list(chart.notes) == [], chart.notes
    # the --helm-values check and the loader are one function, so they cannot disagree
    assert values_file_problem(str(root / "null.yaml")) is None
    assert values_file_problem(str(root / "list.yaml")) == f"{root / 'list.yaml'}: values are a list, not a mapping"
    assert helm.read_values(str(root / "null.yaml")) == (None, None)


@pytest.mark.parametrize("b_first", [False, True])
def test_import_values_into_a_sibling_subcharts_block_reach_that_subchart(tmp_path, b_first):
    # Helm imports every dependency's values into the parent first (chart/v2/util/dependencies.go
    # processDependencyImportValues, bottom-up over the whole tree), then at render coalesces the
    # parent's values, imports included, over each subchart's (chartutil/coalesce.go coalesceDeps):
    # a's feat map imported to the parent's b.sa is b's .Values.sa, whatever the dependency order
    a_dep = "  - name: a\n    version: 0.1.0\n    import-values:\n      - child: feat\n        parent: b.sa\n"
    b_dep = "  - name: b\n    version: 0.1.0\n"
    deps = b_dep + a_dep if b_first else a_dep + b_dep
    root = write(tmp_path, {
        "p/Chart.yaml": "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n" + deps,
        # the parent's own b.sa.name wins over the imported one (processImportValues: parent over imports)
        "p/values.yaml": "b:\n  sa:\n    name: parent\n",
        "p/charts/a/Chart.yaml": V2.format("a"),
        "p/charts/a/values.yaml": "feat:\n  name: child\n  annotations:\n"
                                  "    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/x\n",
        "p/charts/b/Chart.yaml": V2.format("b"),
        "p/charts/b/values.yaml": "sa:\n  name: b\n",
        "p/charts/b/templates/sa.yaml": """\
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {{ .Values.sa.name }}
              {{- with .Values.sa.annotations }}
              annotations:
                {{- toYaml . | nindent 4 }}
              {{- end }}
            """,
    })
    result = run([str(root / "p")])
    assert where(result, root / "p") == [("LK203", "charts/a/values.yaml", 4, 5)]
    hit, = result.findings
    assert [(os.path.relpath(r.file, str(root / "p")), r.span.line) for r in hit.related] == \
        [("charts/b/templates/sa.yaml", 7)]
    from lintra.load.helm import HelmOptions, analyse
    docs = analyse(str(root / "p"), "p", HelmOptions())
    sa, = [d for d, _ in docs if d.get("kind") == "ServiceAccount"]
    assert sa["metadata"]["name"] == "parent"
