"""Class 3: values from scanned files are inert in every output format.

A pod name carrying a newline and ``::error``, ESC/OSC sequences, a lone surrogate (JSON
``\\ud800``) and a file name that is not UTF-8 go through all six formats under a strict UTF-8
stdout; each output parses and the GitHub log holds exactly the commands lintra meant.
"""

import os
import sys

import pytest

from lintra.report import escape
from tests.hostile.harness import every_format

HOSTILE_NAME = "web\\n::error file=x.yaml,line=1::forged\\u001b]0;owned\\u0007\\u001b[31m\\ud800\\u202e"
POD = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"}, "spec": {"containers": '
       '[{"name": "c", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web\\r\\n::warning::x"}]}}' % HOSTILE_NAME)
COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


def test_hostile_values_stay_inside_the_commands_lintra_meant(tmp_path):
    (tmp_path / "pod.json").write_text(POD)
    out = every_format(["pod.json"], str(tmp_path))
    assert out["code"] == 0  # a warning: below the default fail_on
    [finding] = out["json"]["findings"]
    assert finding["rule_id"] == "LK204"
    lines = out["github"].splitlines()
    # one annotation (the ECR image) and the summary: nothing the pod name or image forged
    assert len(lines) == 2 and lines[0].startswith("::warning file=pod.json,line=1,") and lines[1].startswith("lintra:")
    assert "::error" not in lines[0].split("::", 2)[2].replace("%0A::error", "")
    assert "%0A::error file=x.yaml,line=1::forged" in lines[0] and "%0D%0A::warning::x" in lines[0]
    assert "\\x1b]0;owned\\x07\\x1b[31m\\ud800\\u202e" in out["text"]
    # beside the file's own passing testcase, the (file, rule) testcase carries the finding
    [case] = [c for c in out["junit"].iter("testcase") if c.get("name").startswith("LK204 ")]
    assert "\\x1b]0;owned" in case.find("system-out").text  # a passing testcase: below fail_on
    sarif_message = out["sarif"]["runs"][0]["results"][0]["message"]["text"]
    assert "\\ud800" in sarif_message and "\n::error" in sarif_message  # JSON carries newlines as \n escapes
    assert out["gitlab"][0]["description"].startswith("LK204 Pod 'web\n::error")


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in names")
def test_a_file_name_that_is_not_utf8(tmp_path):
    os.mkdir(os.path.join(bytes(tmp_path), b"k8s"))
    with open(os.path.join(bytes(tmp_path), b"k8s", b"st\xffor\x1b[2Jage.yaml"), "w") as handle:
        handle.write(COUPLED)
    out = every_format(["k8s"], str(tmp_path))
    assert out["code"] == 1
    [finding] = out["json"]["findings"]
    assert finding["file"] == "k8s/st\\xffor\x1b[2Jage.yaml"  # JSON escapes the ESC itself
    assert "k8s/st\\xffor\\x1b[2Jage.yaml:5:14: error LK102" in out["text"]
    assert out["sarif"]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        == "k8s/st%FFor%1B%5B2Jage.yaml"
    assert out["junit"].find(".//testcase").get("file") == "k8s/st\\xffor\\x1b[2Jage.yaml"


@pytest.mark.parametrize("value, expected", [
    ("a\nb", "a\\nb"), ("\x1b]8;;http://x\x07", "\\x1b]8;;http://x\\x07"), ("\x9b31m", "\\x9b31m"),
    ("\udcff", "\\xff"), ("\ud800", "\\ud800"), ("\u202eevil", "\\u202eevil"), ("plain é", "plain é"),
])
def test_terminal(value, expected):
    assert escape.terminal(value) == expected


def test_xml_drops_nothing_silently_and_stays_well_formed():
    import xml.etree.ElementTree as ET

    element = ET.Element("a", b="x\x00\x0b\ud800\uffff")
    element.text = "t\x1b\x7f"
    escape.xml_tree(element)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert parsed.get("b") == "x\\x00\\x0b\\ud800\\uffff" and parsed.text == "t\\x1b\\x7f"


def test_workflow_commands_escape_per_github_docs():
    assert escape.workflow_data("50%\r\n::error::x") == "50%25%0D%0A::error::x"
    assert escape.workflow_property("a:b,c\n::") == "a%3Ab%2Cc%0A%3A%3A"


def test_html_and_markdown():
    assert escape.html('<img src=x onerror="a">') == "&lt;img src=x onerror=&quot;a&quot;&gt;"
    cell = escape.markdown_cell("a|b @team <b>\n")
    assert "|" not in cell.replace("\\|", "") and "@team" not in cell and "<b>" not in cell and "\n" not in cell


def test_for_json_keys_and_values():
    assert escape.for_json({"\ud800": ["\udcfe", 1, None]}) == {"\\ud800": ["\\xfe", 1, None]}
