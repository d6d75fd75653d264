"""``lintra policy test`` judges a rule's examples with the pipeline ``lintra check`` runs (issue 12:
one pipeline), so an example behaves as the same text would in a scanned file: loaded by its
name's reader, suppressions applied, a Heat environment applied as ``-e`` would."""

import lintra.pipeline as pipeline
from lintra.plugins import load_registry
from lintra.policy.examples import example_findings, example_results

REGISTRY = load_registry()
TEMPLATE = "heat_template_version: 2018-08-31\nresources:\n  r:\n    type: OS::Acme::Widget\n"


def findings(rule_id, content, **kwargs):
    found = example_findings(REGISTRY.rules[rule_id], kwargs.pop("name", "example.yaml"), content,
                             REGISTRY.loaders, REGISTRY.detectors, REGISTRY.resolvers, **kwargs)
    return found if isinstance(found, str) else [(f.rule.id, f.span.line, f.span.column) for f in found]


def test_every_example_goes_through_pipeline_run(monkeypatch):
    calls = []
    real = pipeline.run

    def counting(*args, **kwargs):
        calls.append(kwargs.get("sources"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", counting)
    for rule_id in ("LH106", "LH107", "LK101"):
        rule = REGISTRY.rules[rule_id]
        results = example_results(rule, REGISTRY.loaders, REGISTRY.detectors, REGISTRY.resolvers)
        assert results and all(r.ok for r in results), [r.problem for r in results]
    expected = sum(len(REGISTRY.rules[r].examples.get(k) or ()) for r in ("LH106", "LH107", "LK101")
                   for k in ("fail", "pass"))
    assert len(calls) == expected and all(calls)


def test_an_example_is_judged_as_a_scanned_file(monkeypatch):
    assert findings("LH106", TEMPLATE) == [("LH106", 4, 11)]
    # a suppression comment works in an example as in a file
    assert findings("LH106", TEMPLATE.replace("Widget\n", "Widget  # lintra: ignore[LH106] on purpose\n")) == []
    # the environment is applied as -e: the alias it maps is LH107's, not an unknown type
    env = "resource_registry:\n  OS::Acme::Widget: OS::ContrailV2::VirtualNetwork\n"
    assert findings("LH107", TEMPLATE, environment=env) == [("LH107", 4, 11)]
    assert findings("LH106", TEMPLATE, environment=env) == []


def test_an_example_that_is_not_of_the_rule_s_kind_says_so():
    assert findings("LH106", "apiVersion: v1\nkind: Pod\n").startswith("is not a heat/cfn document")
    assert findings("LH106", "a: [1\n").startswith("is not a heat/cfn document")
    assert findings("LH107", TEMPLATE, environment="a: 1\n") == "its environment is not a Heat environment"
