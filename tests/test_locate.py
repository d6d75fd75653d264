"""Locating hits: the file a span names, and what a hit overrides of its rule (vendor, service)."""

from lintra.check import locate
from lintra.model import Document, Hit, Locator, Related, Rule, Source, Span


class _TwoFiles(Locator):
    def span(self, pointer, at=None):
        if pointer[:1] == ("spec",):
            return Span(7, 3, file="values.yaml")
        return Span(2, 1)


def _rule():
    return Rule(id="T001", name="t", title="t", vendor="aws", category="storage", strength="hard",
                severity="error", kinds=["k8s"], rationale="r", remediation="m", check=lambda d, s: [])


def test_finding_lands_in_the_file_the_span_names():
    doc = Document(Source("templates/sc.yaml", "templates/sc.yaml"), 0, "k8s",
                   {"kind": "StorageClass", "spec": {"x": 1}}, _TwoFiles())
    assert locate(_rule(), doc, Hit(("spec", "x"), "m")).file == "values.yaml"
    assert (locate(_rule(), doc, Hit(("kind",), "m")).file, locate(_rule(), doc, Hit(("kind",), "m")).span.line) \
        == ("templates/sc.yaml", 2)


def test_related_location_follows_the_span_file():
    assert Related("StorageClass 'x'", "templates/sc.yaml", Span(7, 3, file="values.yaml")).file == "values.yaml"
    assert Related("StorageClass 'x'", "templates/sc.yaml", Span(7, 3)).file == "templates/sc.yaml"


def test_a_hit_names_its_own_service_over_the_rules():
    rule = _rule()
    rule.service = "Amazon EBS"
    doc = Document(Source("sc.yaml", "sc.yaml"), 0, "k8s", {"kind": "StorageClass"}, _TwoFiles())
    assert locate(rule, doc, Hit(("kind",), "m")).service == "Amazon EBS"
    assert locate(rule, doc, Hit(("kind",), "m", service="Amazon EFS")).service == "Amazon EFS"
