"""The README's profile table is a promise about every rule lintra ships, not about the rules
someone remembered to check: on each rule's own fail examples, each built-in profile fails,
warns or informs exactly as the table says for the rule's coupling strength.

| profile | fails on | reports as information |
| conservative | hard | substrate and soft |
| balanced | hard and substrate | soft warns |
| agile | every coupling finding | - |
"""

import re

import pytest

from lintra.filter import Judgement, failing, judge
from lintra.filter.profiles import resolve
from lintra.model import Level
from lintra.plugins import load_registry
from lintra.policy.examples import example_findings, example_parts, example_results
from lintra.policy.pack import SEVERITIES_BY_STRENGTH, severity_warning

REGISTRY = load_registry()
COUPLING = sorted((r for r in REGISTRY.rules.values() if r.vendor != "lintra"), key=lambda r: r.id)

#: profile -> strength -> (level every finding gets, whether it fails the run): the README table
PROMISE = {
    "conservative": {"hard": (Level.error, True), "substrate": (Level.info, False), "soft": (Level.info, False)},
    "balanced": {"hard": (Level.error, True), "substrate": (Level.error, True), "soft": (Level.warning, False)},
    "agile": {"hard": (Level.error, True), "substrate": (Level.error, True), "soft": (Level.error, True)},
}


def test_the_promise_is_the_readme_table():
    with open("README.md", encoding="utf-8") as handle:
        readme = handle.read()
    table = readme[readme.index("| profile | fails on |"):]
    table = table[:table.index("\n\n")]  # the profile table only, not the other tables of the README
    rows = {name: (fails.strip(), informs.strip()) for name, fails, informs in
            re.findall(r"^\| `(\w+)`(?: \(default\))? \| ([^|]+) \| ([^|]+) \|", table, re.M)}
    assert set(rows) == set(PROMISE)
    for profile, by_strength in PROMISE.items():
        fails, informs = rows[profile]
        named = set(re.findall(r"`(hard|substrate|soft)`", fails))
        assert {s for s, (_, f) in by_strength.items() if f} == (named if named else set(by_strength))
        informed = set(re.findall(r"`(hard|substrate|soft)`", informs))
        warned = {"soft"} if informs.endswith("warns") else set()
        assert {s for s, (level, _) in by_strength.items() if level == Level.info} == informed - warned
        assert {s for s, (level, _) in by_strength.items() if level == Level.warning} == warned


def test_every_shipped_rule_has_fail_and_pass_examples():
    missing = [r.id for r in COUPLING if not (r.examples.get("fail") and r.examples.get("pass"))]
    assert missing == []


@pytest.mark.parametrize("rule", COUPLING, ids=lambda r: r.id)
def test_every_example_of_every_shipped_rule_behaves(rule):
    problems = [f"{r.expect} {r.index + 1}: {r.problem}"
                for r in example_results(rule, REGISTRY.loaders, REGISTRY.detectors, REGISTRY.resolvers) if not r.ok]
    assert problems == []


@pytest.mark.parametrize("profile", sorted(PROMISE))
@pytest.mark.parametrize("rule", COUPLING, ids=lambda r: r.id)
def test_each_profile_keeps_the_readme_promise_on_the_rule_s_fail_examples(rule, profile):
    judgement = Judgement(profile=resolve(profile))
    level, fails = PROMISE[profile][rule.strength]
    for example in rule.examples["fail"]:
        name, content, environment = example_parts(example)
        findings = example_findings(rule, name, content, REGISTRY.loaders, REGISTRY.detectors,
                                    REGISTRY.resolvers, environment)
        kept, _ = judge(findings, judgement)
        assert kept and {f.level for f in kept} == {level}
        assert bool(failing(kept, judgement)) is fails


def test_a_rule_that_declares_a_lower_severity_is_still_raised(tmp_path):
    """The profiles enforce the promise themselves: a plugin's hard rule declared as info fails too."""
    from lintra.model import Rule

    rule = Rule("X1", "x", "x", "other", "api", "hard", "info", ("k8s",), "r", "m", check=lambda d, s: ())
    for profile in ("conservative", "balanced", "agile"):
        assert resolve(profile).level(rule) == Level.error
    soft = Rule("X2", "x", "x", "other", "api", "soft", "info", ("k8s",), "r", "m", check=lambda d, s: ())
    assert [resolve(p).level(soft) for p in ("conservative", "balanced", "agile")] == [
        Level.info, Level.warning, Level.error]


def test_no_shipped_rule_declares_a_severity_its_strength_contradicts():
    assert [(r.id, r.strength, r.severity.name) for r in COUPLING if severity_warning(r)] == []


@pytest.mark.parametrize("strength, severity, warns", [
    ("hard", "warning", True), ("hard", "info", True), ("substrate", "warning", True), ("soft", "error", True),
    ("hard", "error", False), ("substrate", "error", False), ("soft", "warning", False), ("soft", "info", False)])
def test_severity_warning(strength, severity, warns):
    from lintra.model import Rule

    rule = Rule("X1", "x", "x", "other", "api", strength, severity, ("k8s",), "r", "m", check=lambda d, s: ())
    assert bool(severity_warning(rule)) is warns
    assert (severity in SEVERITIES_BY_STRENGTH[strength]) is not warns


def test_lh106_is_soft_because_its_evidence_is_weak():
    from lintra.rules.heat import unknown_resource_type

    assert REGISTRY.rules["LH106"].strength == "soft"
    assert "The strength is ``soft``, not ``hard``: the evidence is weak." in unknown_resource_type.__doc__


def test_policy_validate_warns_at_the_contradicting_severity_and_still_exits_0(tmp_path):
    from click.testing import CliRunner

    from lintra.cli import main

    pack = tmp_path / "p.yaml"
    pack.write_text("pack: {name: p, version: 1}\nrules:\n  - id: P1\n    name: p\n    title: t\n    vendor: other\n"
                    "    category: api\n    strength: hard\n    severity: warning\n    kinds: [k8s]\n"
                    "    rationale: r\n    remediation: m\n    match: {path: kind, equals: Widget}\n    message: m\n")
    result = CliRunner().invoke(main, ["policy", "validate", str(pack)])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(f"{pack}:9:5: rules.0.severity: warning: severity warning "
                                                    "contradicts strength hard")
