"""Load stage: kinds detected by content, positions kept, bad input reported and never fatal."""

import json
import os

import pytest

from lintra.load import jsontree, yamltree
from tests.conftest import where


def kinds(result):
    return [(r.status, r.kinds) for r in result.files]


def test_heat_template_detected_and_unquoted_date_stays_a_string(lint):
    result = lint("heat_template_version: 2013-05-23\nresources: {}\n")
    assert kinds(result) == [("scanned", ("heat",))]
    data, _ = yamltree.parse("heat_template_version: 2013-05-23\n")[0]
    assert data["heat_template_version"] == "2013-05-23"


def test_release_name_version_is_heat(lint):
    assert kinds(lint("heat_template_version: wallaby\n")) == [("scanned", ("heat",))]


def test_cfn_template_json_and_yaml(lint):
    assert kinds(lint('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}', "a.template")) == \
        [("scanned", ("cfn",))]
    assert kinds(lint("HeatTemplateFormatVersion: '2012-12-12'\nResources: {}\n")) == [("scanned", ("cfn",))]


def test_heat_environment_needs_only_environment_keys(lint):
    assert kinds(lint("parameter_defaults:\n  Foo: 1\nresource_registry: {}\n")) == [("scanned", ("heat-env",))]
    release_note = "features:\n  - Adds NSX support\nparameter_defaults: {}\n"
    assert kinds(lint(release_note)) == [("skipped", ())]


def test_kubernetes_multi_document_and_list_expansion(lint):
    text = """\
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    ---
    # an empty document: not an object, but it keeps its place in the numbering
    ---
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          volumes:
            - name: v
              vsphereVolume: {volumePath: x}
      - {apiVersion: v1, kind: Service, metadata: {name: s}}
    """
    result = lint(text)
    assert result.files[0].documents == 3
    finding, = result.findings
    assert (finding.rule.id, finding.span.line, finding.span.column) == ("LK101", 16, 11)
    assert finding.json_pointer == "/items/0/spec/volumes/0/vsphereVolume"
    assert finding.document == 2  # the empty document keeps its number in the stream


def test_json_findings_carry_exact_lines(lint):
    doc = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
           "spec": {"vsphereVolume": {"volumePath": "[ds] a.vmdk"}}}
    result = lint(json.dumps(doc, indent=2), "pv.json")
    assert where(result) == [("LK101", 8, 5)]
    assert result.findings[0].span.end_column == 20


@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_json_lines_end_at_cr_too(lint, end):
    # JSON whitespace is space, tab, LF and CR (RFC 8259 §2): a file written with CR line ends
    # (or CRLF) has its findings and syntax errors on the line an editor shows, not all on line 1
    doc = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
           "spec": {"vsphereVolume": {"volumePath": "[ds] a.vmdk"}}}
    result = lint(json.dumps(doc, indent=2).replace("\n", end).encode(), "pv.json")
    assert where(result) == [("LK101", 8, 5)]
    assert result.findings[0].span.end_column == 20
    assert where(lint(f'{{{end}  "a": 1,{end}  "b": {end}}}{end}'.encode(), "x.json")) == [("LT000", 4, 1)]


def test_not_infrastructure_is_skipped_quietly(lint):
    result = lint("name: CI\non: [push]\njobs: {}\n", "ci.yml")
    assert kinds(result) == [("skipped", ())]
    assert result.files[0].reason == "not an infrastructure document"
    assert result.exit_code == 0


def test_jinja_template_is_skipped_not_a_syntax_error(lint):
    text = "heat_template_version: wallaby\nresources:\n{% for role in roles %}\n  {{role.name}}: {}\n{% endfor %}\n"
    result = lint(text, "overcloud.j2.yaml")
    assert result.files[0].status == "skipped" and "Jinja" in result.files[0].reason
    assert result.findings == []


def test_embedded_jinja_in_valid_yaml_is_still_checked(lint):
    text = "heat_template_version: wallaby\noutputs:\n  x:\n    value: \"{% if a %}b{% endif %}\"\n"
    assert kinds(lint(text)) == [("scanned", ("heat",))]


def test_helm_chart_templates_are_read_with_their_chart(tmp_path):
    """A chart directory is analysed as a chart (tests/helm/), and so is the chart of a
    template named on its own (what pre-commit passes): it cannot be rendered without it."""
    from lintra.pipeline import run

    (tmp_path / "chart" / "templates").mkdir(parents=True)
    (tmp_path / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (tmp_path / "chart" / "templates" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n")
    result = run([str(tmp_path / "chart")])
    reasons = {os.path.basename(r.file): (r.status, r.reason) for r in result.files}
    assert reasons["pod.yaml"] == ("scanned", "Helm template: 1 object(s) rendered")
    alone = run([str(tmp_path / "chart" / "templates" / "pod.yaml")])
    assert [(os.path.basename(r.file), r.status) for r in alone.files] == [("Chart.yaml", "scanned"),
                                                                          ("pod.yaml", "scanned")]


def test_syntax_error_is_a_located_finding(lint):
    result = lint("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")
    assert result.files[0].status == "error"
    finding, = result.findings
    assert finding.rule.id == "LT000" and finding.span.line == 5
    assert "YAML syntax error" in finding.message
    assert result.exit_code == 1


def test_json_syntax_error_position(lint):
    result = lint('{\n  "a": 1,\n  "b": \n}\n', "x.json")
    assert where(result) == [("LT000", 4, 1)]


def test_binary_file_is_skipped(lint):
    result = lint(b"\x00\x01\x02binary", "blob.yaml")
    assert (result.files[0].status, result.files[0].reason) == ("skipped", "binary file")


def test_non_utf8_is_an_error_at_the_byte(lint):
    result = lint(b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n", "latin1.yaml")
    assert result.files[0].status == "error"
    assert where(result) == [("LT001", 3, 21)]
    assert result.exit_code == 2  # as for a file that cannot be opened: LT001 always means unread


def test_utf16_with_bom_is_read(lint):
    text = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: x}\nspec:\n  vsphereVolume: {volumePath: a}\n"
    result = lint(text.encode("utf-16"), "u16.yaml")
    assert where(result) == [("LK101", 5, 3)]


def test_alias_bomb_is_a_limit_finding_not_a_hang(lint):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, prev in zip("bcdefgh", "abcdefg"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    result = lint("\n".join(lines) + "\n", "bomb.yaml")
    assert result.files[0].status == "error"
    assert result.findings[0].rule.id == "LT002" and "alias" in result.findings[0].message


def test_deep_nesting_is_a_limit_finding_not_a_crash(lint):
    for text in ("[" * 50000 + "]" * 50000, "- " * 50000 + "x"):
        result = lint(text, "deep.yaml")
        assert [f.rule.id for f in result.findings] == ["LT002"], text[:10]


def test_deep_json_is_a_limit_finding(lint):
    result = lint("[" * 100000 + "]" * 100000, "deep.json")
    assert [f.rule.id for f in result.findings] == ["LT002"]


def test_empty_file_is_skipped(lint):
    result = lint("", "empty.json")
    assert (result.files[0].status, result.files[0].reason, result.findings) == ("skipped", "empty file", [])


def test_dotenv_file_is_not_a_syntax_error(lint):
    result = lint("FOO=bar\nBAZ: [qux\n", "app.env")
    assert result.files[0].status == "skipped" and result.findings == []


def test_yaml_merge_keys_are_applied():
    data, locator = yamltree.parse("base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n")[0]
    assert data["obj"] == {"x": 1, "y": 2}
    assert locator.span(("obj", "y")).line == 4


#: The merge-key type's own example (https://yaml.org/type/merge.html): "Keys in mapping nodes
#: earlier in the sequence override keys specified in later mapping nodes", and a mapping's own keys
#: override merged ones, so the last four maps are equal.
MERGE_SPEC_EXAMPLE = """\
- &CENTER { x: 1, y: 2 }
- &LEFT { x: 0, y: 2 }
- &BIG { r: 10 }
- &SMALL { r: 1 }
- x: 1
  y: 2
  r: 10
  label: center/big
- << : *CENTER
  r: 10
  label: center/big
- << : [ *CENTER, *BIG ]
  label: center/big
- << : [ *BIG, *LEFT, *SMALL ]
  x: 1
  label: center/big
"""


def test_yaml_merge_keys_follow_the_merge_spec_order():
    data, locator = yamltree.parse(MERGE_SPEC_EXAMPLE)[0]
    expected = {"x": 1, "y": 2, "r": 10, "label": "center/big"}
    assert data[4:] == [expected] * 4
    assert locator.span((7, "r")).line == 3  # r of the override map comes from BIG, the earlier source
    assert locator.span((7, "y")).line == 2  # y from LEFT
    assert locator.span((7, "x")).line == 15  # its own x


def test_a_mapping_merged_through_two_paths_keeps_its_highest_priority_place():
    text = "a: &a {x: 1}\nb: &b {<<: *a, x: 2}\nc: {<<: [*b, *a]}\n"
    data, _ = yamltree.parse(text)[0]
    assert data["c"] == {"x": 2}  # b is earlier and overrides its own merged x


def test_cfn_short_form_tags_become_intrinsics():
    data, _ = yamltree.parse("Resources:\n  A:\n    Properties:\n      X: !Ref Param\n      Y: !GetAtt A.B\n")[0]
    assert data["Resources"]["A"]["Properties"] == {"X": {"Ref": "Param"}, "Y": {"Fn::GetAtt": "A.B"}}


def test_json_locator_key_and_value_spans():
    data, locator = jsontree.parse('{"a": {"b": [1, "two"]}}')
    assert locator.span(("a", "b", 1)).column == 17
    assert locator.span(("a",)).column == 2          # a collection: the key
    assert locator.span(("a", "b", 1), at="key").column == 17  # list items have no key
    assert locator.span(("missing", "deeper")).column == 1     # nearest known ancestor: the root


def test_symlink_loop_is_not_followed(tmp_path):
    from lintra.pipeline import run

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "pv.yaml").write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\n")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    result = run([str(tmp_path)])
    assert [os.path.basename(r.file) for r in result.files] == ["pv.yaml"]


def test_links_leaving_the_tree_and_broken_links_are_skipped_with_a_reason(tmp_path):
    from lintra.pipeline import run

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pv.yaml").write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside, repo / "elsewhere")
    os.symlink(outside / "pv.yaml", repo / "linked.yaml")
    os.symlink(repo / "missing.yaml", repo / "dangling.yaml")
    (repo / "inside").mkdir()
    os.symlink(repo / "inside", repo / "alias")
    (repo / "inside" / "ok.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    records = {os.path.basename(r.file): (r.status, r.reason) for r in run([str(repo)]).files}
    assert records["elsewhere"][0] == "skipped" and "outside the scanned tree" in records["elsewhere"][1]
    assert records["linked.yaml"][0] == "skipped" and "outside the scanned tree" in records["linked.yaml"][1]
    assert records["dangling.yaml"] == ("skipped", "broken symbolic link")
    assert records["ok.yaml"][0] == "scanned"  # reached once, through the real directory or the link
    assert "pv.yaml" not in records


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import lintra.load as load
    from lintra.model import Source

    monkeypatch.setattr(load.limits, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.yaml").write_text("a: " + "x" * 100 + "\n")
    source = Source("big.yaml", str(tmp_path / "big.yaml"))
    loaded = load.load_source(source, [], [])
    assert loaded.record.status == "error" and source._data is None


def test_document_markers_bound_the_node_count_pass():
    """Files over 500 KB used to be parsed twice (an event-level node count, then the real parse):
    a stream whose `---` lines keep every document short skips the count."""
    assert yamltree._longest_document("a: 1\n---\nb: 2\n--- \nccc: 3\n") == len("--- \nccc: 3\n")
    assert yamltree._longest_document("---\na: 1\n") == len("---\na: 1\n")
    # `---x` is content, not a marker: it does not split the document
    assert yamltree._longest_document("a: |\n  x\n---x: 1\n") == len("a: |\n  x\n---x: 1\n")


def test_a_long_stream_of_short_documents_is_not_parsed_twice(monkeypatch):
    from lintra.load import limits

    counted = []
    monkeypatch.setattr(yamltree, "_check_nodes", counted.append)
    document = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    stream = document * (2 * limits.MAX_DOCUMENT_NODES // len(document) + 10)
    assert len(yamltree.parse(stream)) > 1 and counted == []
    one_document = "items:\n" + "- a\n" * (limits.MAX_DOCUMENT_NODES // 2)
    yamltree.parse(one_document)
    assert counted == [one_document]  # a single long document is still counted before composing
