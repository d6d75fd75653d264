"""Inline suppressions: comments and Kubernetes annotations, kept in output, not failing."""

import json

import pytest
from click.testing import CliRunner

from lintra.cli import main
from tests.conftest import where

PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv0001{annotation}
spec:
  vsphereVolume:{comment}
    volumePath: "[ds1] volumes/a.vmdk"
"""


def test_comment_on_the_line_suppresses_with_reason(lint):
    result = lint(PV.format(annotation="", comment="  # lintra: ignore[LK101] migrating in Q3"))
    finding, = result.findings
    assert finding.suppressed and finding.suppression == "migrating in Q3"
    assert result.exit_code == 0


def test_comment_on_the_line_above(lint):
    text = PV.format(annotation="", comment="").replace("  vsphereVolume:", "  # lintra: ignore[LK101] legacy\n  vsphereVolume:")
    assert [f.suppressed for f in lint(text).findings] == [True]


def test_file_level_and_other_rule_do_not_mix(lint):
    text = "# lintra: ignore-file[LK101] whole legacy tree\n" + PV.format(annotation="", comment="")
    assert [f.suppressed for f in lint(text).findings] == [True]
    text = "# lintra: ignore-file[LK102] wrong rule\n" + PV.format(annotation="", comment="")
    result = lint(text)
    assert sorted((f.rule.id, f.suppressed) for f in result.findings) == [("LK101", False), ("LT003", False)]
    assert where(result, "LT003") == [("LT003", 1, 1)]
    assert result.exit_code == 1


def test_kubernetes_annotation(lint):
    result = lint(PV.format(annotation='\n  annotations: {lintra.io/ignore: "LK101: accepted substrate"}', comment=""))
    finding, = result.findings
    assert finding.suppressed and finding.suppression == "accepted substrate"


def test_suppressed_findings_stay_in_json_output(tmp_path):
    path = tmp_path / "pv.yaml"
    path.write_text(PV.format(annotation="", comment="  # lintra: ignore[LK101] accepted"))
    result = CliRunner().invoke(main, ["check", "-f", "json", str(path)])
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert [(f["rule_id"], f["suppressed"], f["suppression"]) for f in data["findings"]] == [("LK101", True, "accepted")]
    assert data["summary"]["suppressed"] == 1 and data["summary"]["findings"] == 0


def test_suppression_of_a_rule_not_run_is_not_unused(lint):
    text = PV.format(annotation="", comment="  # lintra: ignore[LK101] accepted")
    assert [f.rule.id for f in lint(text, select=["LH"]).findings] == []


def test_vmx_comment_suppresses_the_setting_below(lint):
    text = ('displayName = "db"\n# lintra: ignore[LV112] PVSCSI accepted until the KVM move\n'
            'scsi0.present = "TRUE"\nscsi0.virtualDev = "pvscsi"\n')
    result = lint(text, "db.vmx")
    assert [(f.rule.id, f.span.line, f.suppressed) for f in result.findings] == [("LT003", 2, False), ("LV112", 4, False)]
    text = text.replace('scsi0.present = "TRUE"\n', "").replace("# lintra", 'scsi0.present = "TRUE"\n# lintra')
    assert [(f.rule.id, f.suppressed) for f in lint(text, "db.vmx").findings] == [("LV112", True)]


HEAT = """heat_template_version: 2018-08-31
resources:
  router:
    type: OS::ContrailV2::LogicalRouter
    metadata:
      lintra:
        ignore:
          - {{rule: LH101, reason: {reason}}}
  other:
    type: OS::ContrailV2::VirtualNetwork
"""


def test_heat_resource_metadata_suppresses_that_resource_only(lint):
    result = lint(HEAT.format(reason="Contrail until the OVN move"), name="stack.yaml")
    assert sorted((f.span.line, f.suppressed) for f in result.findings) == [(4, True), (10, False)]
    assert result.findings[0].suppression == "Contrail until the OVN move"


def test_annotation_covers_only_its_own_item_of_a_list(lint):
    item = ('{{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {{"name": "p{n}"{a}}}, '
            '"spec": {{"vsphereVolume": {{"volumePath": "[ds] a.vmdk"}}}}}}')
    annotated = item.format(n=1, a=', "annotations": {"lintra.io/ignore": "LK101: accepted"}')
    text = '{"apiVersion": "v1", "kind": "List", "items": [' + annotated + ", " + item.format(n=2, a="") + "]}"
    result = lint(text, name="list.json")
    assert sorted(f.suppressed for f in result.findings) == [False, True]


def test_agile_requires_a_reason_on_every_suppression(lint):
    from lintra.filter.profiles import resolve

    text = PV.format(annotation="", comment="  # lintra: ignore[LK101]")
    assert lint(text).exit_code == 0  # balanced accepts a bare suppression
    result = lint(text, profile=resolve("agile"))
    assert [(f.rule.id, f.suppressed) for f in result.findings] == [("LK101", True), ("LT004", False)]
    assert "profile 'agile' requires one" in result.findings[1].message and result.exit_code == 1
    with_reason = PV.format(annotation="", comment="  # lintra: ignore[LK101] accepted until Q3")
    assert lint(with_reason, profile=resolve("agile")).exit_code == 0


def test_a_file_that_does_not_parse_cannot_be_suppressed(lint):
    result = lint("# lintra: ignore-file[LT000] generated\nkind: [unclosed\n")
    assert [(f.rule.id, f.suppressed) for f in result.findings] == [("LT000", False)]
    assert result.exit_code == 1


def test_rule_the_profile_marks_non_suppressible_stays_reported(lint):
    from lintra.filter.profiles import resolve

    strict = resolve("strict", {"strict": ({"extends": "balanced",
                                            "suppressions": {"non_suppressible": ["LK1"]}}, "cfg")})
    result = lint(PV.format(annotation="", comment="  # lintra: ignore[LK101] accepted"), profile=strict)
    assert [(f.rule.id, f.suppressed) for f in result.findings] == [("LK101", False), ("LT004", False)]
    assert "LK101 cannot be suppressed under profile 'strict'" in result.findings[1].message


def test_comment_after_code_covers_only_its_own_line(lint):
    text = ("heat_template_version: 2018-08-31\nresources:\n"
            "  a: {type: OS::ContrailV2::VirtualNetwork}  # lintra: ignore[LH101] accepted for a\n"
            "  b: {type: OS::ContrailV2::VirtualNetwork}\n")
    assert sorted((f.span.line, f.suppressed) for f in lint(text, name="t.yaml").findings) == [(3, True), (4, False)]


PV_BY = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: legacy
  annotations: {{"lintra.io/ignore": "{annotation}"}}
spec:
  vsphereVolume:   # lintra: ignore[{comment}] migrating in Q3
    volumePath: "[ds1] v.vmdk"
"""


@pytest.mark.parametrize("comment", ["LK101", "k8s-vsphere-volume", "K8S-VSPHERE-VOLUME"])
def test_a_comment_suppresses_by_rule_id_or_by_rule_name(lint, comment):
    result = lint(PV_BY.format(comment=comment, annotation="LZ999: none").replace(
        '  annotations: {"lintra.io/ignore": "LZ999: none"}\n', ""))
    [finding] = [f for f in result.findings if f.rule.id == "LK101"]
    assert finding.suppressed and finding.suppression == "migrating in Q3"
    assert not [f for f in result.findings if f.rule.id == "LT003"]


@pytest.mark.parametrize("rule", ["LK101", "k8s-vsphere-volume"])
def test_an_annotation_suppresses_by_rule_id_or_by_rule_name(lint, rule):
    text = PV_BY.format(comment="LK101", annotation=f"{rule}: accepted").replace(
        "   # lintra: ignore[LK101] migrating in Q3", "")
    result = lint(text)
    [finding] = [f for f in result.findings if f.rule.id == "LK101"]
    assert finding.suppressed and finding.suppression == "accepted"


def test_a_name_of_a_rule_left_out_by_select_is_not_an_unused_suppression(lint):
    result = lint(PV_BY.format(comment="k8s-vsphere-volume", annotation="LZ999: none").replace(
        '  annotations: {"lintra.io/ignore": "LZ999: none"}\n', ""), select=["LK102"])
    assert not [f for f in result.findings if f.rule.id == "LT003"]


def test_vmx_suppression_counts_lines_as_the_vmx_reader_does(tmp_path):
    # U+2028 inside a .vmx value ends no line (the reader splits at CR/LF only): the trailing
    # suppression on line 2 must cover the finding on line 2, not be read as line 3
    from lintra.pipeline import run

    (tmp_path / "a.vmx").write_text('displayName = "web\u202801"\n'
                                    'vhv.enable = "TRUE"  # lintra: ignore[LV117] lab host\n', encoding="utf-8")
    [finding] = run([str(tmp_path / "a.vmx")]).findings
    assert (finding.rule.id, finding.span.line, finding.suppressed, finding.suppression) == (
        "LV117", 2, True, "lab host")


@pytest.mark.parametrize("separator", ["\u2028", "\x85", " "])
def test_ovf_suppression_counts_lines_as_expat_does(tmp_path, separator):
    # expat ends lines at CR and LF only (XML 1.0 §2.11): U+2028 or NEL inside an XML
    # comment on line 2 ends no line, so the trailing suppression on line 5 covers the VMXNET3
    # adapter found on line 5 (it was read as line 6: LV111 unsuppressed and LT003)
    from lintra.pipeline import run

    (tmp_path / "vm.ovf").write_text(
        '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" '
        'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">\n'
        f'<!-- built by{separator}packer -->\n'
        '<VirtualSystem ovf:id="vm1">\n<VirtualHardwareSection>\n'
        '<Item><rasd:ElementName>dev</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID>'
        '<rasd:ResourceType>10</rasd:ResourceType><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType></Item>'
        '  <!-- # lintra: ignore[LV111] guest has virtio drivers -->\n'
        '</VirtualHardwareSection>\n</VirtualSystem>\n</Envelope>\n', encoding="utf-8")
    [finding] = run([str(tmp_path / "vm.ovf")]).findings
    assert (finding.rule.id, finding.span.line, finding.suppressed) == ("LV111", 5, True)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_yaml_suppression_counts_lines_as_libyaml_does(lint, separator):
    # libyaml ends a line at NEL, LS and PS too (it reports vsphereVolume on line 7): the
    # suppression after one is on line 6, alone on it, and covers line 7
    text = ("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  # made by hand" + separator
            + "  # lintra: ignore[LK101] migrating in Q3\n  vsphereVolume: {volumePath: x}\n")
    result = lint(text)
    [finding] = [f for f in result.findings if f.rule.id == "LK101"]
    assert (finding.span.line, finding.suppressed) == (7, True)
    assert not [f for f in result.findings if f.rule.id == "LT003"]


def test_one_line_rule_per_format():
    from lintra.load import lines

    text = "a\u2028b\x85c\u2029d\x0ce\r\nf\rg\nh"
    assert lines.split(text, "vm.ovf") == lines.split(text, "RVTools_tabvInfo.CSV") == lines.split(text, "a.vmx") \
        == ["a\u2028b\x85c\u2029d\x0ce", "f", "g", "h"]
    assert lines.split(text, "pv.yaml") == ["a", "b", "c", "d\x0ce", "f", "g", "h"]


OVF_HEAD = ('<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" '
            'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">\n'
            '<VirtualSystem ovf:id="vm1">\n<VirtualHardwareSection>\n')
OVF_NIC = ('<Item><rasd:ElementName>dev</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID>'
           '<rasd:ResourceType>10</rasd:ResourceType><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType></Item>')
OVF_TAIL = '</VirtualHardwareSection>\n</VirtualSystem>\n</Envelope>\n'


@pytest.mark.parametrize("comment, nic_line", [
    ("<!-- lintra: ignore[LV111] guest has virtio drivers -->\n" + OVF_NIC + "\n", 5),  # alone: the line below
    (OVF_NIC + "  <!-- lintra: ignore[LV111] guest has virtio drivers -->\n", 4),  # after the element
    ("  <!-- # lintra: ignore[LV111] guest has virtio drivers -->  \n" + OVF_NIC + "\n", 5),
    ("<!-- lintra: ignore-file[LV111] guest has virtio drivers -->\n\n\n" + OVF_NIC + "\n", 7),
])
def test_an_ovf_suppression_is_an_xml_comment(tmp_path, comment, nic_line):
    """XML has no ``#`` comments: an OVF descriptor writes the suppression in an XML comment,
    whose ``-->`` is no part of the reason, and a comment alone on its line covers the line
    below, as a ``#`` comment does in YAML."""
    from lintra.pipeline import run

    (tmp_path / "vm.ovf").write_text(OVF_HEAD + comment + OVF_TAIL, encoding="utf-8")
    [finding] = run([str(tmp_path / "vm.ovf")]).findings
    assert (finding.rule.id, finding.span.line, finding.suppressed, finding.suppression) == (
        "LV111", nic_line, True, "guest has virtio drivers")


def test_an_unused_ovf_suppression_is_reported_at_its_comment(tmp_path):
    from lintra.pipeline import run

    (tmp_path / "vm.ovf").write_text(OVF_HEAD + "<!-- lintra: ignore[LV115] no hot add here -->\n" + OVF_NIC + "\n"
                                     + OVF_TAIL, encoding="utf-8")
    found = sorted((f.rule.id, f.span.line, f.span.column, f.suppressed) for f in run([str(tmp_path / "vm.ovf")]).findings)
    # LV111 on the element name rasd:ResourceSubType, after the 123 characters before its '<'
    assert found == [("LT003", 4, 1, False), ("LV111", 5, OVF_NIC.index("<rasd:ResourceSubType>") + 2, False)]
