"""Profiles: the built-in ladder, extends, and what each does to a rule."""

import copy
import os

import jsonschema
import pytest

from lintra.config.files import schema
from lintra.filter.profiles import ProfileError, builtin_profiles, resolve
from lintra.filter import Judgement, failing, judge
from lintra.model import Level, Rule


def rule(strength, severity, id="LX100", vendor="vmware"):
    return Rule(id=id, name="x", title="x", vendor=vendor, category="storage", strength=strength,
                severity=severity, kinds=("k8s",), rationale="", remediation="", check=lambda d, s: ())


@pytest.mark.parametrize("strength, severity, conservative, balanced, agile", [
    ("hard", "error", "error", "error", "error"),
    ("hard", "warning", "error", "error", "error"),  # the profile raises what the rule under-declares
    ("substrate", "warning", "info", "error", "error"),
    ("substrate", "error", "info", "error", "error"),
    ("soft", "warning", "info", "warning", "error"),
    ("soft", "info", "info", "warning", "error"),  # balanced: soft coupling warns
])
def test_ladder(strength, severity, conservative, balanced, agile):
    levels = [resolve(name).level(rule(strength, severity)).name for name in ("conservative", "balanced", "agile")]
    assert levels == [conservative, balanced, agile]


def test_shipped_profiles_are_valid_against_the_config_schema():
    validator = jsonschema.Draft202012Validator(schema())
    profile_schema = dict(schema()["$defs"]["profile"], **{"$defs": schema()["$defs"]})
    for name, (data, path) in builtin_profiles().items():
        assert os.path.basename(path) == f"{name}.profile.yaml"
        assert not list(validator.evolve(schema=profile_schema).iter_errors(data)), path


def test_agile_requires_reasons_and_reserved_read_errors_are_never_suppressible():
    agile, balanced = resolve("agile"), resolve("balanced")
    assert agile.require_reason and not balanced.require_reason
    from lintra.check.reserved import SYNTAX_ERROR

    assert not agile.suppressible(SYNTAX_ERROR) and agile.suppressible(rule("hard", "error", id="LK101"))
    by_vendor = resolve("x", {"x": ({"suppressions": {"non_suppressible": ["juniper"]}}, "cfg")})
    assert not by_vendor.suppressible(rule("hard", "error", vendor="juniper"))
    assert agile.chain == ("agile", "balanced", "conservative")


def test_user_profile_extends_builtin_and_targets_rules_by_selector():
    user = {"strict-storage": ({"extends": "balanced", "rules": {"storage": {"min": "error"},
                                                                "LX1": {"enabled": False}}}, "cfg:3:3")}
    profile = resolve("strict-storage", user)
    assert profile.level(rule("soft", "info", id="LK900")) is Level.error  # category storage
    assert profile.level(rule("hard", "error", id="LX100")) is None  # id prefix switched off


def test_unknown_profile_and_cycle():
    with pytest.raises(ProfileError, match="unknown profile 'nope'"):
        resolve("nope")
    cycle = {"a": ({"extends": "b"}, "f"), "b": ({"extends": "a"}, "f")}
    with pytest.raises(ProfileError, match="cycle: a -> b -> a"):
        resolve("a", cycle)


def failing_count(findings, **judgement):
    kept, _ = judge([copy.copy(f) for f in findings], Judgement(**judgement))
    return len(failing(kept, Judgement(**judgement).fail_on))


def test_corpus_failing_findings_grow_strictly_along_the_ladder(corpus_result):
    counts = [failing_count(corpus_result.findings, profile=resolve(name))
              for name in ("conservative", "balanced", "agile")]
    assert counts[0] < counts[1] < counts[2], counts
    assert counts[2] == len([f for f in corpus_result.findings if not f.suppressed])


def test_corpus_with_vmware_sanctioned_fails_on_no_vmware_finding(corpus_result):
    kept, _ = judge([copy.copy(f) for f in corpus_result.findings], Judgement(sanctioned=["vmware"]))
    failed = failing(kept, Level.error)
    assert not [f for f in failed if f.vendor == "vmware"]
    assert [f for f in failed if f.vendor == "aws"]
    assert all(f.level is Level.info and f.sanctioned for f in kept if f.vendor == "vmware")
