"""The Go-template subset Helm charts use, construct by construct.

Expected outputs follow the Go text/template documentation (https://pkg.go.dev/text/template:
trim markers, comments, if/else if/else, with/else with, range with variables and else,
define/template/block, variables, pipelines, and/or short-circuit, eq with several operands) and
the Helm function list (https://helm.sh/docs/chart_template_guide/function_list/: default,
quote, toYaml, indent/nindent, tpl, required, printf, dict/list/merge/omit, hasPrefix ...).
"""

import pytest

from lintra.load.helm import template as T
from lintra.load.helm.evaluate import Renderer, Scope, Template
from lintra.load.limits import MAX_INCLUDE_DEPTH, MAX_TEMPLATE_STEPS as MAX_STEPS
from lintra.load.helm.values import Layer, ValuesOrigin, coalesce, parse_set, set_tree
from lintra.load import yamltree


def render(text, values=None, mode=None, defines_text=""):
    notes = []
    tree = T.parse(text)
    defines = {}
    if defines_text:
        helpers = T.parse(defines_text)
        holder = Template("templates/_helpers.tpl", helpers)
        defines.update({k: (holder, v) for k, v in helpers.defines.items()})
    tpl = Template("templates/t.yaml", tree)
    defines.update({k: (tpl, v) for k, v in tree.defines.items()})
    layers = []
    if values is not None:
        (data, locator), = yamltree.parse(values)
        layers = [Layer(data, "values.yaml", locator)]
    scope = Scope(coalesce(layers), ValuesOrigin(layers), {"Name": "demo", "Version": "1.0.0"}, defines, tpl.name)
    segs = Renderer(scope, mode, notes).render(tpl)
    return "".join(s.text for s in segs), segs, notes


def out(text, values=None, **kw):
    return render(text, values, **kw)[0]


# --- lexing -----------------------------------------------------------------------------------

def test_trim_markers_remove_whitespace_on_their_side_only():
    assert out("a  \n  {{- 1 }}  \n  b") == "a1  \n  b"
    assert out("a  {{ 1 -}}  \n  b") == "a  1b"
    assert out("a {{- 1 -}} b") == "a1b"


def test_comments_print_nothing_and_trim():
    assert out("a\n{{/* a comment with }} inside */}}\nb") == "a\n\nb"
    assert out("a\n{{- /* trimmed */ -}}\nb") == "ab"


def test_quoted_strings_may_hold_closing_braces():
    assert out('{{ "}}" }}') == "}}"
    assert out("{{ `raw {{ }}` }}") == "raw {{ }}"


def test_keyword_glued_to_a_field_is_split_as_go_does():
    assert out("{{ with.Values.a }}{{ . }}{{ end }}", "a: x\n") == "x"


@pytest.mark.parametrize("text", ["{{ if .x }}", "{{ end }}", "{{ (1 }}", '{{ "open }}', "{{ 1 "])
def test_malformed_templates_are_syntax_errors_with_an_offset(text):
    with pytest.raises(T.TemplateSyntaxError) as raised:
        T.parse(text)
    assert raised.value.offset >= 0


def test_deep_nesting_is_refused_not_a_recursion_error():
    with pytest.raises(T.TemplateSyntaxError, match="deeper"):
        T.parse("{{ if 1 }}" * 500 + "{{ end }}" * 500)
    with pytest.raises(T.TemplateSyntaxError, match="deeper"):
        T.parse("{{ " + "(" * 500 + "1" + ")" * 500 + " }}")


# --- values and fields ------------------------------------------------------------------------

def test_values_fields_root_and_missing_keys():
    values = "image:\n  repository: quay.io/x\n"
    assert out("{{ .Values.image.repository }}", values) == "quay.io/x"
    assert out("{{ $.Values.image.repository }}", values) == "quay.io/x"
    assert out("[{{ .Values.image.missing }}]", values) == "[]"  # Helm drops <no value>
    assert out("[{{ .Values.nothing.below }}]", values) == "[]"


def test_chart_object_is_known_and_release_is_unknown():
    assert out("{{ .Chart.Name }}-{{ .Chart.Version }}") == "demo-1.0.0"
    assert out("{{ .Release.Name }}") == "<unknown>"
    assert out("{{ .Capabilities.KubeVersion.Version }}") == "<unknown>"


def test_printed_value_maps_to_the_values_line_with_the_action_as_consumer():
    values = "a: 1\nimage:\n  repository: quay.io/x\n"
    _, segs, _ = render("image: {{ .Values.image.repository }}\n", values)
    seg = next(s for s in segs if s.text == "quay.io/x")
    assert (seg.file, seg.span.line, seg.span.column) == ("values.yaml", 3, 15)
    assert seg.via == ("templates/t.yaml", 7)


# --- control flow -----------------------------------------------------------------------------

def test_if_else_if_else_chain():
    text = "{{ if eq .Values.p \"aws\" }}A{{ else if eq .Values.p \"gcp\" }}G{{ else }}O{{ end }}"
    assert [out(text, f"p: {p}\n") for p in ("aws", "gcp", "x")] == ["A", "G", "O"]


def test_with_rebinds_dot_and_else_with():
    text = "{{ with .Values.a }}{{ .b }}{{ else with .Values.c }}c={{ . }}{{ else }}none{{ end }}"
    assert out(text, "a: {b: 1}\n") == "1"
    assert out(text, "c: 2\n") == "c=2"
    assert out(text, "x: 1\n") == "none"


def test_range_over_lists_and_maps_with_variables_break_and_continue():
    values = "l: [a, b, c]\nm: {z: 1, a: 2}\n"
    assert out("{{ range .Values.l }}{{ . }}{{ end }}", values) == "abc"
    assert out("{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}", values) == "0=a;1=b;2=c;"
    assert out("{{ range $k, $v := .Values.m }}{{ $k }}{{ $v }}{{ end }}", values) == "a2z1"  # sorted keys
    assert out("{{ range .Values.l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", values) == "ac"
    assert out("{{ range .Values.l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", values) == "a"
    assert out("{{ range .Values.none }}x{{ else }}empty{{ end }}", values) == "empty"


def test_variables_declare_assign_and_scope():
    assert out("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}") == "2"
    assert out("{{ $x := 1 }}{{ if true }}{{ $x := 3 }}{{ end }}{{ $x }}") == "1"


def test_define_template_include_and_block():
    helpers = '{{- define "name" -}}{{ .Chart.Name }}-x{{- end -}}'
    assert out('n: {{ include "name" . }}', defines_text=helpers) == "n: demo-x"
    assert out('{{ template "name" . }}', defines_text=helpers) == "demo-x"
    assert out('{{ block "b" . }}default{{ end }}') == "default"


def test_and_or_short_circuit_and_return_operands():
    assert out("{{ or .Values.a \"fallback\" }}", "a: ''\n") == "fallback"
    assert out("{{ and 1 0 }}") == "0"
    assert out("{{ or 0 .Release.Name }}") == "<unknown>"
    assert out("{{ eq 1 2 3 1 }}") == "true"


# --- functions --------------------------------------------------------------------------------

def test_default_quote_squote_printf_and_string_functions():
    assert out('{{ .Values.a | default "d" }}', "a: ''\n") == "d"
    assert out('{{ .Values.a | default "d" }}', "a: v\n") == "v"
    assert out("{{ .Values.a | quote }} {{ .Values.a | squote }}", "a: v\n") == "\"v\" 'v'"
    assert out('{{ printf "%s:%d" .Values.a 5 }}', "a: v\n") == "v:5"
    assert out('{{ hasPrefix "ab" "abc" }} {{ "x-" | trimSuffix "-" }} {{ "abc" | trunc 2 }}') == "true x ab"
    assert out('{{ "a" | upper }}{{ "B" | lower }}{{ replace "a" "b" "aa" }}') == "Abbb"


def test_toyaml_nindent_renders_block_yaml_mapped_key_by_key():
    values = "ann:\n  b.example/x: \"1\"\n  a.example/y: v\n"
    text, segs, _ = render("metadata:\n  annotations:\n    {{- toYaml .Values.ann | nindent 4 }}\n", values)
    assert text == 'metadata:\n  annotations:\n    a.example/y: v\n    b.example/x: "1"\n'
    key = next(s for s in segs if s.text == "b.example/x")
    assert (key.file, key.span.line, key.span.column) == ("values.yaml", 2, 3)


def test_tojson_fromyaml_and_indent():
    assert out("{{ toJson .Values.m }}", "m: {b: 1, a: [x]}\n") == '{"a":["x"],"b":1}'
    assert out('{{ (fromYaml "a: 1").a }}') == "1"
    assert out('{{ "a\\nb" | indent 2 }}') == "  a\n  b"


def test_tpl_renders_a_values_string_as_a_template():
    values = "name: web\nhost: \"{{ .Values.name }}.example.com\"\n"
    text, segs, _ = render("{{ tpl .Values.host . }}", values)
    assert text == "web.example.com"
    assert {s.file for s in segs} == {"values.yaml"}


def test_required_and_fail_are_notes_not_crashes():
    text, _, notes = render('{{ required "set x!" .Values.x }}', "y: 1\n")
    assert text == "<unknown>" and any("set x!" in n for n in notes)
    _, _, notes = render('{{ fail "no" }}')
    assert any("fail: no" in n for n in notes)


def test_dict_list_merge_omit_pick_and_index():
    assert out('{{ (dict "a" 1 "b" 2).b }}') == "2"
    assert out("{{ index (list 1 2 3) 1 }}") == "2"
    assert out("{{ toJson (merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3)) }}") == '{"a":1,"b":3}'
    assert out("{{ toJson (mergeOverwrite (dict \"a\" 1) (dict \"a\" 2)) }}") == '{"a":2}'
    assert out('{{ toJson (omit (dict "a" 1 "b" 2) "a") }} {{ toJson (pick (dict "a" 1 "b" 2) "a") }}') == \
        '{"b":2} {"a":1}'
    assert out('{{ index .Values.m "k.with.dots" }}', "m: {k.with.dots: v}\n") == "v"


def test_lookup_files_and_unsupported_functions_are_unknown_and_noted():
    text, _, notes = render('{{ lookup "v1" "Secret" "ns" "x" }} {{ .Files.Get "a" }} {{ frobnicate 1 }}')
    assert text == "<unknown> <unknown> <unknown>"
    assert any("lookup" in n for n in notes) and any("frobnicate" in n for n in notes)


# --- branches the values switch off -----------------------------------------------------------

def test_explore_mode_renders_switched_off_branches_with_their_condition():
    text = "{{- if .Values.aws.enabled }}\nkey: aws\n{{- end }}\n"
    assert out(text, "aws: {enabled: false}\n").strip() == ""
    _, segs, _ = render(text, "aws: {enabled: false}\n", mode=0)
    seg = next(s for s in segs if "key: aws" in s.text)
    assert seg.cond == ".Values.aws.enabled"


def test_explore_mode_names_with_and_else_conditions():
    text = "{{ with .Values.ann }}A{{ else }}B{{ end }}"
    _, segs, _ = render(text, "ann: {}\n", mode=0)
    assert [(s.text, s.cond) for s in segs] == [("A", ".Values.ann is set")]
    text = "{{ if .Values.a }}A{{ else if .Values.b }}B{{ else }}C{{ end }}"
    assert [(s.text, s.cond) for s in render(text, "a: true\n", mode=1)[1]] == [("B", "not (.Values.a) and .Values.b")]
    assert [(s.text, s.cond) for s in render(text, "a: true\n", mode=2)[1]] == \
        [("C", "not (.Values.a) and not (.Values.b)")]
    assert [(s.text, s.cond) for s in render(text, "a: true\n", mode=0)[1]] == [("A", None)]


def test_explore_mode_runs_range_over_an_empty_default_once():
    _, segs, _ = render("{{- range .Values.args }}\n- {{ . }}\n{{- end }}\n", "args: []\n", mode=0)
    assert "".join(s.text for s in segs) == "\n- <unknown>\n"
    assert all(s.cond == "range .Values.args is not empty" for s in segs if s.text.strip())


def test_unknown_condition_takes_its_first_branch_marked_conditional():
    _, segs, _ = render("{{ if .Capabilities.APIVersions }}a{{ else }}b{{ end }}")
    assert [(s.text, s.cond) for s in segs] == [("a", ".Capabilities.APIVersions (unknown until install)")]


# --- bounds -----------------------------------------------------------------------------------

def test_recursive_include_stops_at_the_depth_bound():
    text, _, notes = render('{{ define "loop" }}x{{ include "loop" . }}{{ end }}{{ include "loop" . }}')
    assert any(f"deeper than {MAX_INCLUDE_DEPTH}" in n for n in notes)
    assert len(text) <= MAX_INCLUDE_DEPTH + 1


def test_huge_range_stops_at_the_step_bound():
    _, _, notes = render("{{ range until 100000000 }}x{{ end }}")
    assert any("longer than" in n or str(MAX_STEPS) in n for n in notes)
    _, _, notes = render("{{ range $i := until 150000 }}{{ range until 150000 }}x{{ end }}{{ end }}")
    assert any(str(MAX_STEPS) in n for n in notes)


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("expression, tree", [
    ("a.b=x", {"a": {"b": "x"}}),
    ("a.b[0]=x,a.b[1]=y", {"a": {"b": ["x", "y"]}}),
    (r"a\.b=x", {"a.b": "x"}),
    ("a=1,b=true,c=null", {"a": 1, "b": True, "c": None}),
    ("l={x,y}", {"l": ["x", "y"]}),
])
def test_set_syntax(expression, tree):
    assert set_tree(parse_set(expression)) == tree


def test_set_string_keeps_strings_and_malformed_set_is_an_error():
    assert set_tree(parse_set("a=1,b=true", as_string=True)) == {"a": "1", "b": "true"}
    with pytest.raises(ValueError):
        parse_set("novalue")


def test_coalesce_later_layers_win_and_null_deletes():
    low = Layer({"a": {"b": 1, "c": 2}, "d": 3}, "values.yaml")
    high = Layer({"a": {"b": 9}, "d": None}, "user.yaml")
    assert coalesce([high, low]) == {"a": {"b": 9, "c": 2}}


def test_nested_blocks_inside_recursive_includes_stop_with_a_note():
    body = "{{ if true }}" * 90 + '{{ include "r" . }}' + "{{ end }}" * 90
    text, _, notes = render('{{ define "r" }}' + body + '{{ end }}{{ include "r" . }}')
    assert any("rendering stopped" in n for n in notes)


def test_regex_match_runs_and_an_unusable_pattern_is_unknown():
    assert out(r'{{ regexMatch `^eks\.` "eks.amazonaws.com" }} {{ regexMatch "^gke" "eks" }}') == "true false"
    assert out('{{ regexMatch "(" "x" }}') == "<unknown>"
