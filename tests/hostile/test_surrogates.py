"""Lone surrogates (JSON ``"\\ud800"``) in values that regular expressions match.

RE2, which every pack regex and kustomize target regex runs on, matches UTF-8, and a lone
surrogate has no UTF-8 form: the binding raised UnicodeEncodeError, so every regex rule crashed
on such a value (LT900 x5 instead of the ECR finding) and a scan lost its real findings.
"""

import json

from lintra.load.kustomize.build import _regex_match
from lintra.policy.regex_safety import UnsafePattern, compile_pattern
from tests.hostile.harness import every_format

import pytest

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"


def test_an_ecr_image_with_a_lone_surrogate_is_still_found(tmp_path):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {"a\ud800": "x"}},
           "spec": {"containers": [{"name": "c", "image": ECR + "\ud800:1"}]}}
    (tmp_path / "pod.json").write_text(json.dumps(pod))  # ensure_ascii: the file holds "\ud800" escapes
    out = every_format(["pod.json"], str(tmp_path))
    assert [(f["rule_id"], f["line"]) for f in out["json"]["findings"]] == [("LK204", 1)]
    assert out["json"]["findings"][0]["message"] == f"Pod 'p' runs image {ECR}\\ud800:1 from Amazon ECR"
    assert out["sarif"]["runs"][0]["results"][0]["ruleId"] == "LK204"


def test_pack_regexes_match_around_a_lone_surrogate():
    assert compile_pattern(r"\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/")(ECR + "\ud800")
    assert compile_pattern(r"^a.b$")("a\udcffb")  # one code point for one: anchors and '.' still line up
    assert not compile_pattern("x")("\ud800")
    with pytest.raises(UnsafePattern, match="lone surrogate"):
        compile_pattern("a\ud800")


def test_kustomize_target_regex_on_a_name_with_a_lone_surrogate():
    assert _regex_match("web-.*", "web-\ud800")
    assert not _regex_match("api", "web-\ud800")


def test_a_helm_set_value_that_is_not_utf8_leaves_one_document_out_not_the_chart(tmp_path):
    """``--helm-set n=a<0xff>`` (a non-UTF-8 command line reaches Python as U+DCFF): libyaml raised
    UnicodeEncodeError on the rendered output, the whole chart was LT900 and its templates and
    values went missing from ``files``."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (tmp_path / "values.yaml").write_text("n: x\n")
    (tmp_path / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.n }}\n")
    (tmp_path / "templates" / "sc.yaml").write_text(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: s\nprovisioner: ebs.csi.aws.com\n")
    out = every_format(["."], str(tmp_path), extra=["--helm-set", "n=a\udcff"])
    assert {r["file"]: r["status"] for r in out["json"]["files"]} == {
        "Chart.yaml": "scanned", "values.yaml": "scanned", "templates/cm.yaml": "scanned", "templates/sc.yaml": "scanned"}
    [chart] = [r for r in out["json"]["files"] if r["file"] == "Chart.yaml"]
    assert chart["notes"] == ["templates/cm.yaml:4: the rendered output here is not YAML lintra can read "
                              "(not valid UTF-8 text: byte 0xff); that document is left out"]
    assert [(f["rule_id"], f["file"], f["line"]) for f in out["json"]["findings"]] == [("LK201", "templates/sc.yaml", 5)]


def test_yaml_text_with_a_lone_surrogate_is_a_syntax_error_at_its_place():
    from lintra.load.yamltree import YamlSyntaxError, parse

    with pytest.raises(YamlSyntaxError, match="not valid UTF-8 text: byte 0xfe") as raised:
        parse("a: 1\nbc: d\udcfe\n")
    assert (raised.value.line, raised.value.column) == (2, 6)
    with pytest.raises(YamlSyntaxError, match="lone surrogate U\\+D800"):
        parse("\ud800")
