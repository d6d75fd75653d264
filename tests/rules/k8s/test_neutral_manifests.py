import os

from lintra.pipeline import run
from tests.conftest import ROOT


def test_vendor_neutral_manifests_yield_no_finding_with_every_rule():
    result = run([os.path.join(ROOT, "tests", "fixtures", "k8s-neutral")])
    assert result.files[0].documents == 9
    assert [(f.rule.id, f.span.line) for f in result.findings] == []
