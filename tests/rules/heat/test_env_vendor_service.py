"""LH124/LH125: TripleO environments that enable a vendor storage or network back-end service."""

import pytest

from tests.conftest import where


@pytest.mark.parametrize("text, rule, expected", [
    ("resource_registry:\n  OS::TripleO::Services::ManilaBackendIsilon: ../deployment/manila/manila-backend-isilon.yaml\n",
     "LH124", [(2, 3)]),
    ("resource_registry:\n  OS::TripleO::Services::CinderHPELeftHandISCSI: x.yaml\n", "LH124", [(2, 3)]),
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePlugin: OS::TripleO::Services::NeutronCorePluginVTS\n",
     "LH125", [(2, 3)]),
    ("resource_registry:\n  OS::TripleO::NeutronBigswitchAgent: agent.yaml\n", "LH125", [(2, 3)]),
    # disabled services are not coupling
    ("resource_registry:\n  OS::TripleO::Services::ManilaBackendIsilon: OS::Heat::None\n", "LH124", []),
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePluginNuage: null\n", "LH125", []),
    # open back ends
    ("resource_registry:\n  OS::TripleO::Services::ManilaBackendCephFs: cephfs.yaml\n", "LH124", []),
    # the enable flag in the same file is reported by LH121/LH122 instead: one coupling, one finding
    ("resource_registry:\n  OS::TripleO::Services::CinderBackendPure: pure.yaml\n"
     "parameter_defaults:\n  CinderEnablePureBackend: true\n", "LH124", []),
    ("resource_registry:\n  OS::TripleO::Services::CinderBackendPure: pure.yaml\n"
     "parameter_defaults:\n  CinderEnablePureBackend: false\n", "LH124", [(2, 3)]),
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePlugin: OS::TripleO::Services::NeutronCorePluginNSX\n"
     "parameter_defaults:\n  NeutronCorePlugin: vmware_nsx.plugin.NsxV3Plugin\n", "LH125", []),
])
def test_lh124_lh125(lint, text, rule, expected):
    result = lint(text)
    assert [(line, col) for _, line, col in where(result, rule)] == expected
    other = "LH125" if rule == "LH124" else "LH124"
    assert where(result, other) == []


def test_vendor_attribution(lint):
    result = lint("resource_registry:\n  OS::TripleO::Services::ManilaBackendNetapp: n.yaml\n"
                  "  OS::TripleO::Services::NeutronCorePluginML2Nuage: nuage.yaml\n")
    assert sorted((f.rule.id, f.vendor) for f in result.findings) == [("LH124", "netapp"), ("LH125", "nokia")]


def test_corpus_tripleo_environments(corpus_result):
    found = {(f.rule.id, f.file.rsplit("tripleo-heat-templates/", 1)[-1], f.span.line)
             for f in corpus_result.findings if f.rule.id in ("LH124", "LH125")}
    assert ("LH124", "environments/manila-isilon-config.yaml", 7) in found
    assert ("LH124", "environments/cinder-hpelefthand-config.yaml", 4) in found
    assert ("LH125", "environments/neutron-nuage-config.yaml", 10) in found
    assert ("LH125", "environments/nsx-config.yaml", 2) in found
    assert not any("cinder-pure-config" in file or "neutron-nsx.yaml" in file for _, file, _ in found)
    # the Mellanox (networking-mlnx) InfiniBand agent service, line 3 of that environment
    assert ("LH125", "environments/services/neutron-mlnx-agent.yaml", 3) in found
    assert len(found) == 22
