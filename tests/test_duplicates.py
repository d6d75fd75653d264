"""The one run-level merge of findings at the same place (lintra.filter.duplicates), used by the
Kustomize builder's overlays and the Helm analyser's renderings alike."""

from lintra.filter.duplicates import merge
from lintra.model import Finding, Related, Rule, Span

RULE = Rule(id="T001", name="t", title="t", vendor="aws", category="storage", strength="hard",
            severity="error", kinds=["k8s"], rationale="r", remediation="m", check=lambda d, s: [])
OTHER = Rule(id="T002", name="u", title="t", vendor="aws", category="storage", strength="hard",
             severity="error", kinds=["k8s"], rationale="r", remediation="m", check=lambda d, s: [])


def finding(file, line, rule=RULE, built=False, rendered=False, conditional=None, related=(), message="m"):
    span = Span(line, 3)
    span.rendered = rendered
    out = Finding(rule, message, file, span, related=[Related("built by kustomization " + r, r, Span(1, 1))
                                                      for r in related])
    out.built = built
    out.conditional = conditional
    return out


def test_a_base_read_directly_holds_its_place_against_every_overlay():
    direct = finding("base/deploy.yaml", 7)
    first = finding("base/deploy.yaml", 7, built=True, related=["a/kustomization.yaml"])
    second = finding("base/deploy.yaml", 7, built=True, related=["b/kustomization.yaml"])
    out = merge([first, direct, second])
    assert out == [direct]
    assert direct.related == ()  # a file read on its own is reported as itself


def test_a_base_read_only_through_overlays_is_reported_once_with_every_overlay():
    first = finding("base/deploy.yaml", 7, built=True, related=["a/kustomization.yaml"], message="first")
    second = finding("base/deploy.yaml", 7, built=True, related=["b/kustomization.yaml", "a/kustomization.yaml"])
    overlay = finding("b/kustomization.yaml", 12, built=True, related=["b/kustomization.yaml"])
    out = merge([first, second, overlay])
    assert out == [first, overlay]
    assert first.message == "first"
    assert [r.file for r in first.related] == ["a/kustomization.yaml", "b/kustomization.yaml"]


def test_rendered_duplicates_keep_the_one_that_is_not_conditional():
    switched_off = finding("chart/values.yaml", 5, rendered=True, conditional="ingress.enabled")
    in_effect = finding("chart/values.yaml", 5, rendered=True)
    again = finding("chart/values.yaml", 5, rendered=True, conditional="other")
    assert merge([switched_off, in_effect, again]) == [in_effect]
    assert merge([in_effect, switched_off]) == [in_effect]


def test_other_rules_columns_and_findings_read_once_are_never_merged():
    plain = [finding("a.yaml", 5), finding("a.yaml", 5)]
    other_rule = finding("a.yaml", 5, rule=OTHER, rendered=True)
    other_column = finding("a.yaml", 5, rendered=True)
    other_column.span = Span(5, 9)
    other_column.span.rendered = True
    out = merge(plain + [other_rule, other_column])
    assert out == plain + [other_rule, other_column]


def test_a_rendered_chart_built_by_an_overlay_merges_once():
    # a kustomization's helmCharts entry renders the chart: its findings are built and rendered
    direct = finding("charts/x/values.yaml", 3, rendered=True, conditional="a")
    built = finding("charts/x/values.yaml", 3, rendered=True, built=True, related=["k/kustomization.yaml"])
    assert merge([built, direct]) == [direct]
