import os

from lintra.filter.profiles import resolve
from lintra.filter import Judgement
from lintra.pipeline import run
from tests.conftest import ROOT

NEUTRAL = os.path.join(ROOT, "tests", "fixtures", "k8s-neutral")


def test_vendor_neutral_manifests_yield_no_finding_under_the_agile_profile():
    # agile: every rule on, every strength failing; a suppressed finding would still be listed
    result = run([NEUTRAL], Judgement(profile=resolve("agile")))
    assert result.files[0].documents == 14
    assert [(f.rule.id, f.span.line) for f in result.findings] == []
    assert (result.hidden, result.exit_code) == (0, 0)


def test_the_same_set_made_vendor_specific_is_caught_under_agile(tmp_path):
    # guards the test above against a profile or path that silences everything
    text = open(os.path.join(NEUTRAL, "app.yaml"), encoding="utf-8").read()
    coupled = (text.replace("k8s.io/ingress-nginx", "ingress.k8s.aws/alb")
               .replace("example.com/gateway-controller", "networking.gke.io/gateway")
               .replace("provider: vault", "provider: azure")
               .replace("nvidia.com/gpu", "aws.amazon.com/neuron"))
    (tmp_path / "app.yaml").write_text(coupled)
    result = run([str(tmp_path)], Judgement(profile=resolve("agile")))
    assert sorted({f.rule.id for f in result.findings}) == ["LK112", "LK113", "LK114", "LK210", "LK410"]
    assert all(f.level.name == "error" for f in result.findings)
