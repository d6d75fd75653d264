"""LH125 (vendor services by name) and LH128/LH129 (vendor plugins and drivers named in parameters).

The fixtures in tests/fixtures/heat-env are written by hand from the vendors' TripleO and driver
documentation (cited in each file); expectations are read off those files.
"""

import os

import pytest

from lintra.pipeline import run
from tests.conftest import ROOT, where

ENVS = os.path.join(ROOT, "tests", "fixtures", "heat-env")


def test_contrail_environments_at_their_lines():
    result = run([ENVS])
    found = sorted((os.path.basename(f.file), f.span.line, f.span.column, f.rule.id, f.vendor)
                   for f in result.findings)
    assert found == [
        # parameters alone select Contrail's core plugin and its LBaaS service plugin
        ("contrail-plugins.yaml", 5, 22, "LH128", "juniper"),
        ("contrail-plugins.yaml", 6, 26, "LH128", "juniper"),
        # every Contrail service the registry enables (ContrailHeat is disabled, line 9); the
        # NeutronCorePlugin parameter on line 13 is the same choice and is not reported again
        ("contrail-services.yaml", 6, 3, "LH125", "juniper"),
        ("contrail-services.yaml", 7, 3, "LH125", "juniper"),
        ("contrail-services.yaml", 8, 3, "LH125", "juniper"),
        ("contrail-services.yaml", 10, 3, "LH125", "juniper"),
        # cisco_nexus is the second item of the list; OVN and SR-IOV are open
        ("ml2-vendor-drivers.yaml", 5, 36, "LH128", "cisco"),
        ("ml2-vendor-drivers.yaml", 7, 26, "LH128", "nokia"),
        # the HPE 3PAR hiera value; the RBD back end beside it is open
        ("ml2-vendor-drivers.yaml", 11, 16, "LH129", "hpe"),
    ]


@pytest.mark.parametrize("text, rule, expected", [
    ("parameter_defaults:\n  NeutronMechanismDrivers: openvswitch,bsn_ml2\n", "LH128", [(2, 28)]),
    ("parameter_defaults:\n  NeutronMechanismDrivers: ['mlnx_sdn_assist', 'mlnx_infiniband']\n", "LH128", [(2, 29), (2, 48)]),
    ("parameters:\n  NeutronCorePlugin: nuage_neutron.plugins.nuage_ml2.plugin.NuagePlugin\n", "LH128", [(2, 22)]),
    ("parameter_defaults:\n  NeutronMechanismDrivers: [arista, ovn]\n", "LH128", [(2, 29)]),
    ("parameter_defaults:\n  ExtraConfig:\n    manila::backend::netapp::share_driver: "
     "manila.share.drivers.netapp.common.NetAppDriver\n", "LH129", [(3, 44)]),
    ("parameter_defaults:\n  CinderVolumeDriver: cinder.volume.drivers.pure.PureISCSIDriver\n", "LH129", [(2, 23)]),
    # open plugins and drivers
    ("parameter_defaults:\n  NeutronMechanismDrivers: ovn,sriovnicswitch,opendaylight_v2,vpp\n", "LH128", []),
    ("parameter_defaults:\n  NeutronCorePlugin: ml2\n  NeutronServicePlugins: router,qos,trunk\n", "LH128", []),
    ("parameter_defaults:\n  CinderVolumeDriver: cinder.volume.drivers.rbd.RBDDriver\n", "LH129", []),
    # reported by LH120 and LH127 instead
    ("parameter_defaults:\n  NeutronCorePlugin: vmware_nsx.plugin.NsxV3Plugin\n", "LH128", []),
    ("parameter_defaults:\n  CinderVolumeDriver: cinder.volume.drivers.vmware.vmdk.VMwareVcVmdkDriver\n", "LH129", []),
    # the registry already enables the vendor's service (LH125): one coupling, one finding
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePlugin: OS::TripleO::Services::NeutronCorePluginVTS\n"
     "parameter_defaults:\n  NeutronMechanismDrivers: sriovnicswitch,cisco_vts\n", "LH128", []),
    # ... but a disabled service is no such choice
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePluginVTS: OS::Heat::None\n"
     "parameter_defaults:\n  NeutronMechanismDrivers: cisco_vts\n", "LH128", [(4, 28)]),
])
def test_lh128_lh129(lint, text, rule, expected):
    result = lint(text)
    assert [(line, col) for _, line, col in where(result, rule)] == expected


@pytest.mark.parametrize("text, vendor", [
    ("resource_registry:\n  OS::TripleO::Services::ContrailVrouter: contrail-vrouter.yaml\n", "juniper"),
    ("resource_registry:\n  OS::TripleO::Services::ComputeNeutronCorePlugin: "
     "OS::TripleO::Services::ComputeNeutronCorePluginContrail\n", "juniper"),
    ("resource_registry:\n  OS::TripleO::Services::NeutronMlnxAgent: mlnx-agent.yaml\n", "other"),
    ("resource_registry:\n  OS::TripleO::Services::NeutronCorePluginPlumgrid: plumgrid.yaml\n", "other"),
])
def test_vendor_network_services_by_name(lint, text, vendor):
    result = lint(text)
    assert [(f.rule.id, f.span.line, f.span.column, f.vendor) for f in result.findings] == [("LH125", 2, 3, vendor)]


@pytest.mark.parametrize("text", [
    "resource_registry:\n  OS::TripleO::Services::CinderBackendHuawei: huawei.yaml\n",
    "resource_registry:\n  OS::TripleO::Services::ManilaBackendPowerMax: powermax.yaml\n",
])
def test_vendor_storage_services_by_name(lint, text):
    assert [(f.rule.id, f.span.line) for f in lint(text).findings] == [("LH124", 2)]


@pytest.mark.parametrize("text", [
    "resource_registry:\n  OS::TripleO::Services::OVNController: ovn.yaml\n",
    "resource_registry:\n  OS::TripleO::Services::OpenDaylightApi: odl.yaml\n",
    "resource_registry:\n  OS::TripleO::Services::ManilaBackendCephFs: cephfs.yaml\n",
    "resource_registry:\n  OS::TripleO::Services::Vpp: vpp.yaml\n",
])
def test_open_services_stay_silent(lint, text):
    assert lint(text).findings == []


def test_bomb_shaped_parameters_are_bounded(lint):
    wide = "parameter_defaults:\n  X:\n" + "".join(f"    k{i}: [a, b, c]\n" for i in range(6000))
    assert where(lint(wide), "LH128") == []
