"""The Heat rules on ../shared/corpus (tripleo-heat-templates, heat-templates): exact per-rule counts,
so a change that adds a false positive or loses a true one fails here. Each finding below was
checked by hand against the file."""

import collections
import os

from lintra.filter import Judgement
from lintra.pipeline import run
from tests.conftest import CORPUS

EXPECTED = {
    "LH102": 6, "LH106": 0, "LH107": 0, "LH108": 9, "LH110": 0, "LH116": 0, "LH117": 0, "LH118": 0,
    "LH120": 1, "LH121": 12, "LH122": 1, "LH123": 2, "LH124": 8, "LH126": 3, "LH127": 0,
    # 13 + environments/services/neutron-mlnx-agent.yaml:3, which enables the Mellanox agent service
    "LH125": 14,
    # every vendor plugin or driver a corpus environment names comes with the registry entry that
    # LH124/LH125 report (bigswitch, cisco-vts, mlnx-sdn, nuage, mlnx-agent): none is reported twice
    "LH128": 0, "LH129": 0,
}


def heat_counts(result):
    found = collections.Counter(f.rule.id for f in result.findings if f.rule.id.startswith("LH"))
    return {rule: found.get(rule, 0) for rule in EXPECTED}


def test_per_rule_counts(corpus_result):
    assert heat_counts(corpus_result) == EXPECTED
    heat = [f for f in corpus_result.findings if f.rule.id.startswith("LH")]
    assert not [f for f in heat if "/releasenotes/" in f.file or f.span.line == 1]


def test_cfn_init_metadata_samples(corpus_result):
    found = {(os.path.relpath(f.file, CORPUS), f.span.line) for f in corpus_result.findings if f.rule.id == "LH108"}
    assert {("heat-templates/cfn/F17/WordPress_Single_Instance.yaml", 75),
            ("heat-templates/cfn/deb/MultiNode_DevStack.yaml", 283),
            ("heat-templates/hot/F18/WordPress_NoKey.yaml", 94)} <= found


def test_vendor_hsm_samples(corpus_result):
    found = sorted(os.path.basename(f.file) for f in corpus_result.findings if f.rule.id == "LH126")
    assert found == ["barbican-backend-pkcs11-atos.yaml", "barbican-backend-pkcs11-lunasa.yaml",
                     "barbican-backend-pkcs11-thales.yaml"]


def test_heat_env_auto_adds_only_the_nuage_alias_and_never_crashes(corpus):
    result = run([os.path.join(corpus, name) for name in ("tripleo-heat-templates", "heat-templates")],
                 Judgement(select=["LH", "LT"]), options={"heat_env_auto": True})
    counts = heat_counts(result)
    assert counts == {**EXPECTED, "LH107": 2}
    assert not [f for f in result.findings if f.rule.id.startswith("LT")]
