import textwrap

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run
from lintra.rules.heat.vendor_storage_extra_specs import owner
from tests.conftest import where

VOLUME_TYPE = """\
heat_template_version: 2018-08-31
resources:
  gold:
    type: OS::Cinder::VolumeType
    properties:
      name: gold
      metadata: {specs}
"""

SHARE_TYPE = """\
heat_template_version: 2018-08-31
resources:
  files:
    type: OS::Manila::ShareType
    properties:
      name: files
      driver_handles_share_servers: false
      extra_specs: {specs}
"""


def findings(result):
    return [(f.span.line, f.span.column, f.vendor) for f in result.findings if f.rule.id == "LH117"]


@pytest.mark.parametrize("specs, expected", [
    ('{"netapp:qos_policy_group": gold}', [(7, 18, "netapp")]),
    ('{netapp_raid_type: raid_dp, netapp_thin_provisioned: "true"}', [(7, 18, "netapp"), (7, 45, "netapp")]),
    ('{"hpe3par:persona": "2 - Generic-ALUA", "hplh:data_pl": r-5}', [(7, 18, "hpe"), (7, 57, "hpe")]),
    ('{"nimble:perfpol-name": default}', [(7, 18, "hpe")]),
    ('{"flasharray:vg_name": db}', [(7, 18, "pure")]),
    ('{"drivers:rsize": 2, "drivers:compression": "True"}', [(7, 18, "ibm"), (7, 38, "ibm")]),
    ('{"storagetype:disablecompression": "True"}', [(7, 18, "dell")]),
    ('{"storagetype:pool": SRP_1}', [(7, 18, "other")]),  # Fujitsu ETERNUS reads it too
    ('{"hbsd:topology": active_active_mirror_volume}', [(7, 18, "other")]),
    ('{"capabilities:smarttier": "<is> true", "smarttier:policy": "2"}', [(7, 18, "other"), (7, 57, "other")]),
    ('{"zfssa:compression": gzip}', [(7, 18, "oracle")]),
    # common capabilities, scheduler-only keys and the VMware driver's specs (LH112) stay silent
    ('{volume_backend_name: gold, "capabilities:thin_provisioning_support": "<is> True", '
     '"provisioning:type": thin, replication_enabled: "<is> True", "qos:IOThrottling": 10, '
     '"vmware:vmdk_type": thin, multiattach: "<is> True"}', []),
    ("{get_param: specs}", []),  # an unresolvable parameter is unknown, not coupled
    ("{get_attr: [x, y]}", []),
    ("[netapp_raid_type]", []),
])
def test_volume_type(lint, specs, expected):
    assert findings(lint(VOLUME_TYPE.format(specs=specs))) == expected


@pytest.mark.parametrize("specs, expected", [
    ('{"netapp:thin_provisioned": "true", "netapp:snapshot_policy": none}', [(8, 21, "netapp"), (8, 56, "netapp")]),
    ('{"hpe3par:nfs_options": "sync", "hp3par:nfs_options": "sync"}', [(8, 21, "hpe"), (8, 52, "hpe")]),
    ('{"capabilities:huawei_smartcache": "<is> True", "huawei_smartcache:cachename": c}',
     [(8, 21, "other"), (8, 68, "other")]),
    # Manila's common capabilities and open drivers' scopes stay silent
    ('{snapshot_support: true, "capabilities:thin_provisioning": "<is> True", dedupe: "<is> True", '
     'compression: "<is> False", "cephfs:data_isolated": "true", "zfsonlinux:compression": lz4, '
     'share_backend_name: files, availability_zones: nova}', []),
])
def test_share_type(lint, specs, expected):
    assert findings(lint(SHARE_TYPE.format(specs=specs))) == expected


def test_message_names_type_key_and_product(lint):
    result = lint(VOLUME_TYPE.format(specs='{"drivers:iogrp": 1}'))
    [finding] = [f for f in result.findings if f.rule.id == "LH117"]
    assert finding.message == ("volume type 'gold' sets drivers:iogrp, an extra spec of the IBM Storage Virtualize "
                               "(Storwize/SVC) driver")


def test_only_volume_and_share_types(lint):
    text = VOLUME_TYPE.format(specs='{"netapp:qos_policy_group": gold}').replace("OS::Cinder::VolumeType",
                                                                                   "OS::Cinder::QoSSpecs")
    assert findings(lint(text)) == []


def test_parameter_default_is_judged_where_it_is_written(lint):
    result = lint("""\
        heat_template_version: 2018-08-31
        parameters:
          specs:
            type: json
            default: {"storagetype:portgroupname": OS-PG, volume_backend_name: pmax}
        resources:
          gold:
            type: OS::Cinder::VolumeType
            properties:
              metadata: {get_param: specs}
        """)
    assert findings(result) == [(5, 15, "dell")]
    assert "consumed by resource 'gold' property metadata" in result.findings[0].message


def test_only_fails_after_the_environment_is_applied(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(textwrap.dedent("""\
        heat_template_version: 2018-08-31
        parameters:
          share_specs: {type: json, default: {snapshot_support: true}}
        resources:
          files:
            type: OS::Manila::ShareType
            properties:
              driver_handles_share_servers: false
              extra_specs: {get_param: share_specs}
        """))
    env = tmp_path / "netapp.yaml"
    env.write_text("parameter_defaults:\n  share_specs:\n    netapp:dedup: true\n    snapshot_support: true\n")
    paths = [str(template), str(env)]
    assert findings(run(paths, Judgement(select=["LH117"]))) == []  # beside it, env is only an alternative
    applied = run(paths, Judgement(select=["LH117"]), options={"heat_env": [str(env)]})
    assert [(f.file.rsplit("/", 1)[-1], f.span.line, f.span.column) for f in applied.findings] == [
        ("netapp.yaml", 3, 5)]
    assert "from parameter_defaults of -e " in applied.findings[0].message


@pytest.mark.parametrize("key, vendor", [
    ("netapp_disk_type", "netapp"), ("capabilities:netapp_mirrored", "netapp"), ("hpelh:ao", "hpe"),
    ("sio:provisioning_type", "dell"), ("storagetype:provisioning", "other"), ("DF:replica_count", "other"),
    ("huawei_controller:controllername", "other"), ("hypermetro", "other"),
    ("capabilities:volume_backend_name", None), ("thin_provisioning", None), ("netappish", None),
    ("storage_protocol", None), ("drivers", None), ("df:replica_count", None),
])
def test_owner(key, vendor):
    found = owner(key)
    assert (found[0] if found else None) == vendor


def test_vendor_attribution_is_per_finding(lint):
    result = lint(VOLUME_TYPE.format(specs='{"netapp:qos_policy_group": a, "flasharray:vg_name": b}'))
    assert sorted(f.vendor for f in result.findings if f.rule.id == "LH117") == ["netapp", "pure"]
    assert where(result, "LH112") == []


def test_computed_resource_type_is_unknown_not_a_crash(lint):
    result = lint("heat_template_version: 2018-08-31\nresources:\n  t:\n    type: {get_param: kind}\n"
                  "    properties: {metadata: {netapp:raid_type: raid_dp}}\n", name="t.yaml")
    assert [f.rule.id for f in result.findings if f.rule.id in ("LH117", "LT900")] == []
