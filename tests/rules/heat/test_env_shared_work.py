"""What the environment rules look up is done once for all of them: LH128 and LH129 walk an
environment's parameters once between them, and a TripleO service alias is matched against the
vendor patterns once per run whatever number of environments map it (tripleo maps the same
``OS::TripleO::Services::*`` in hundreds). What each rule finds is unchanged."""

import os

from lintra.filter import Judgement
from lintra.pipeline import run
from lintra.rules.heat import env_vendor_driver, vendor_types
from tests.conftest import ROOT

ENVS = os.path.join(ROOT, "tests", "fixtures", "heat-env")


def _found(result):
    return [(os.path.basename(f.file), f.span.line, f.span.column, f.rule.id, f.message) for f in result.findings]


def test_lh128_and_lh129_walk_an_environment_s_parameters_once_between_them(tmp_path, monkeypatch):
    (tmp_path / "env.yaml").write_text(
        "parameter_defaults:\n  NeutronMechanismDrivers: ['ovn', 'cisco_nexus']\n  ControllerExtraConfig:\n"
        "    cinder::config::cinder_config:\n      tripleo_3par/volume_driver:\n"
        "        value: cinder.volume.drivers.hpe.hpe_3par_fc.HPE3PARFCDriver\n"
        "parameters:\n  NeutronCorePlugin: vmware_nsx.plugin.NsxV3Plugin\n  Other: bsn_ml2\n", encoding="utf-8")
    walks = []
    values = env_vendor_driver._values

    def counted(node, pointer, budget):
        walks.append(pointer)
        return values(node, pointer, budget)

    monkeypatch.setattr(env_vendor_driver, "_values", counted)
    result = run([str(tmp_path)], Judgement(select=["LH128", "LH129"]), options={"cache": False})
    assert walks == [("parameter_defaults",), ("parameters",)]  # once, not once per rule
    assert [(line, column, rule) for _, line, column, rule, _ in _found(result)] == [
        (2, 36, "LH128"), (6, 16, "LH129"), (9, 10, "LH128")]  # the NSX plugin is LH120's


def test_a_service_alias_is_matched_against_the_patterns_once(monkeypatch):
    asked = []
    original = vendor_types._tripleo_service

    def counted(name):
        asked.append(name)
        return original(name)

    monkeypatch.setattr(vendor_types, "_tripleo_service", counted)
    monkeypatch.setattr(vendor_types, "_SERVICES", {})
    alias = "OS::TripleO::Services::CinderBackendPure"
    assert vendor_types.tripleo_service(alias) == vendor_types.tripleo_service(alias) == original(alias)
    assert vendor_types.tripleo_service("OS::TripleO::Services::Nova") is None
    assert vendor_types.tripleo_service("OS::TripleO::Services::Nova") is None
    assert asked == [alias, "OS::TripleO::Services::Nova"]
    assert vendor_types.tripleo_service(None) is None and vendor_types.tripleo_service({"a": 1}) is None


def test_the_environment_fixtures_find_what_they_found():
    result = run([ENVS], options={"cache": False})
    assert [item[:4] for item in _found(result)] == [
        ("contrail-plugins.yaml", 5, 22, "LH128"), ("contrail-plugins.yaml", 6, 26, "LH128"),
        ("contrail-services.yaml", 6, 3, "LH125"), ("contrail-services.yaml", 7, 3, "LH125"),
        ("contrail-services.yaml", 8, 3, "LH125"), ("contrail-services.yaml", 10, 3, "LH125"),
        ("ml2-vendor-drivers.yaml", 5, 36, "LH128"), ("ml2-vendor-drivers.yaml", 7, 26, "LH128"),
        ("ml2-vendor-drivers.yaml", 11, 16, "LH129")]
