"""LH128/LH129 look a value up in their driver tables only when one search over the whole table
matches: that search must match exactly the values some pattern of the table matches."""

import os

import yaml

from lintra.rules.heat.env_vendor_driver import _ANY, NETWORK_DRIVERS, STORAGE_DRIVERS, _values
from tests.conftest import CORPUS

NAMED = ["neutron_plugin_contrail.plugins.opencontrail.contrail_plugin.NeutronPluginContrailCoreV2", "nuage",
         "nuage_sriov", "BGPVPN:Nuage:networking_bgpvpn.x", "cisco_vts", "apic_aim", "bsn_ml2", "mlnx_sdn_assist",
         "arista", "arista_l3", "vmware_nsx.plugin.NsxV3Plugin", "vmware_dvs",
         "cinder.volume.drivers.dell_emc.powermax.fc.PowerMaxFCDriver", "cinder.volume.drivers.netapp.common.NetAppDriver",
         "cinder.volume.drivers.pure.PureISCSIDriver", "manila.share.drivers.netapp.common.NetAppDriver",
         "cinder.volume.drivers.zfssa.zfssaiscsi.ZFSSAISCSIDriver", "cinder.volume.drivers.hitachi.x.Y"]
OTHERS = ["ovn", "openvswitch", "ml2", "networking_ovn", "cinder.volume.drivers.rbd.RBDDriver", "nuagex", "xnuage",
          "xcisco_vts", "cinder.volume.drivers.lvm.LVMVolumeDriver", "", "arista-", "mlnx-x"]


def _strings():
    yield from NAMED + OTHERS
    environments = os.path.join(CORPUS, "tripleo-heat-templates", "environments")
    for top, _, files in os.walk(environments) if os.path.isdir(environments) else ():
        for name in files:
            try:
                with open(os.path.join(top, name), encoding="utf-8") as handle:
                    data = yaml.safe_load(handle)
            except (yaml.YAMLError, UnicodeDecodeError):
                continue
            for section in ("parameter_defaults", "parameters"):
                if isinstance(data, dict) and isinstance(data.get(section), dict):
                    for _, _, item in _values(data[section], (section,), [10000]):
                        yield item


def test_the_one_search_matches_where_some_pattern_of_its_table_does():
    matched = set()
    for value in _strings():
        for table in (NETWORK_DRIVERS, STORAGE_DRIVERS):
            expected = any(pattern.search(value) for pattern, _, _ in table)
            assert bool(_ANY[table].search(value)) == expected, (value, table is NETWORK_DRIVERS)
            if expected:
                matched.add(value)
    assert set(NAMED) <= matched and not set(OTHERS) & matched
