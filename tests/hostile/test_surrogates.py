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
