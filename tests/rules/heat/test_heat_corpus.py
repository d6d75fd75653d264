"""The Heat rules on ../shared/corpus (tripleo-heat-templates, heat-templates), by place.

Every expected (rule, file, line) below was found by grepping the files for the construct the rule's
docs describe and reading the line, not by copying lintra's output; the test asserts lintra reports
exactly those places, so a lost finding, a new false positive or a finding that drifts to another
node all fail. Rules whose construct the corpus lacks are proven absent by the same kind of search
run here, so the test fails when the corpus gains the construct and the rule misses it."""

import os
import re

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run
from tests.conftest import CORPUS

HEAT_REPOS = ("tripleo-heat-templates", "heat-templates")
ENV = "tripleo-heat-templates/environments/"

EXPECTED = {
    # LH102: Rackspace::Cloud::* / Rackspace::AutoScale::* types exist only with Rackspace's plugin
    *(("LH102", "heat-templates/contrib/rackspace/RackspaceAutoScale.yaml", line)
      for line in (27, 36, 61, 70, 80, 88)),
    # LH108: AWS::CloudFormation::Init metadata needs heat-api-cfn and heat-cfntools in the image
    ("LH108", "heat-templates/cfn/F17/AutoScalingCeilometer.yaml", 97),
    ("LH108", "heat-templates/cfn/F17/WordPress_Single_Instance.yaml", 75),
    ("LH108", "heat-templates/cfn/F17/WordPress_Single_Instance_With_HA.yaml", 81),
    ("LH108", "heat-templates/cfn/F17/invalid/AutoScalingMultiAZSample.yaml", 122),
    ("LH108", "heat-templates/cfn/F18/WordPress_NoKey.yaml", 59),
    ("LH108", "heat-templates/cfn/F19/WordPress_NoKey.yaml", 61),
    ("LH108", "heat-templates/cfn/deb/MultiNode_DevStack.yaml", 125),
    ("LH108", "heat-templates/cfn/deb/MultiNode_DevStack.yaml", 283),
    ("LH108", "heat-templates/hot/F18/WordPress_NoKey.yaml", 94),
    # LH120: NeutronCorePlugin: vmware_nsx.plugin.NsxV3Plugin makes the cloud's networking NSX
    ("LH120", ENV + "neutron-nsx.yaml", 15),
    # LH121: CinderEnable<Dell product>Backend: true deploys Cinder on a Dell EMC array
    ("LH121", ENV + "cinder-dellemc-powerflex-config.yaml", 21),     # CinderEnablePowerFlexBackend
    ("LH121", ENV + "cinder-dellemc-powermax-config.yaml", 7),       # CinderEnablePowermaxBackend
    ("LH121", ENV + "cinder-dellemc-powerstore-config.yaml", 7),     # CinderEnablePowerStoreBackend
    ("LH121", ENV + "cinder-dellemc-sc-config.yaml", 7),             # CinderEnableScBackend
    ("LH121", ENV + "cinder-dellemc-unity-config.yaml", 7),          # CinderEnableDellEMCUnityBackend
    ("LH121", ENV + "cinder-dellemc-vmax-iscsi-config.yaml", 10),    # CinderEnableDellEMCVMAXISCSIBackend
    ("LH121", ENV + "cinder-dellemc-vnx-config.yaml", 7),            # CinderEnableDellEMCVNXBackend
    ("LH121", ENV + "cinder-dellemc-vxflexos-config.yaml", 25),      # CinderEnableVxFlexOSBackend
    ("LH121", ENV + "cinder-dellemc-xtremio-config.yaml", 7),        # CinderEnableXtremioBackend
    ("LH121", ENV + "cinder-dellemc-xtremio-iscsi-config.yaml", 10),  # CinderEnableDellEMCXTREMIOIscsiBackend
    ("LH121", ENV + "cinder-dellsc-config.yaml", 11),                # CinderEnableDellScBackend
    ("LH121", ENV + "cinder-scaleio-config.yaml", 25),               # CinderEnableScaleIOBackend
    # LH122: CinderEnablePureBackend: true deploys Cinder on Pure Storage FlashArray
    ("LH122", ENV + "cinder-pure-config.yaml", 8),
    # LH123: CinderEnableNetappBackend: true (and True) deploys Cinder on NetApp ONTAP
    ("LH123", ENV + "cinder-netapp-config.yaml", 7),
    ("LH123", ENV + "storage/cinder-netapp-config.yaml", 129),
    # LH124: a vendor storage service mapped from its OS::Heat::None default to the vendor's template
    ("LH124", ENV + "cinder-hpelefthand-config.yaml", 4),   # OS::TripleO::Services::CinderHPELeftHandISCSI
    ("LH124", ENV + "manila-isilon-config.yaml", 7),        # ...::ManilaBackendIsilon (Dell EMC Isilon)
    ("LH124", ENV + "manila-netapp-config.yaml", 7),        # ...::ManilaBackendNetapp
    ("LH124", ENV + "manila-unity-config.yaml", 7),         # ...::ManilaBackendUnity (Dell EMC)
    ("LH124", ENV + "manila-vmax-config.yaml", 7),          # ...::ManilaBackendVMAX (Dell EMC)
    ("LH124", ENV + "manila-vnx-config.yaml", 7),           # ...::ManilaBackendVNX (Dell EMC)
    ("LH124", ENV + "veritas-hyperscale/cinder-veritas-hyperscale-config.yaml", 18),  # CinderBackendVRTSHyperScale
    ("LH124", ENV + "veritas-hyperscale/veritas-hyperscale-config.yaml", 19),  # ...::VRTSHyperScale
    # LH125: a vendor SDN service mapped to its template, or the generic core-plugin service pointed at it
    ("LH125", ENV + "neutron-ml2-bigswitch.yaml", 6),       # OS::TripleO::NeutronBigswitchAgent -> template
    ("LH125", ENV + "neutron-ml2-cisco-vts.yaml", 5),       # NeutronCorePlugin -> NeutronCorePluginVTS
    ("LH125", ENV + "neutron-ml2-cisco-vts.yaml", 8),       # ComputeNeutronCorePlugin -> ...VTS
    ("LH125", ENV + "neutron-ml2-mlnx-sdn.yaml", 4),        # NeutronCorePlugin -> ...MLNXSDN
    ("LH125", ENV + "neutron-nuage-config.yaml", 10),       # NeutronMl2PluginBase -> ...ML2Nuage
    ("LH125", ENV + "nova-nuage-config.yaml", 4),           # ComputeNeutronCorePlugin -> ...Nuage
    ("LH125", ENV + "nsx-config.yaml", 2),                  # NeutronCorePluginNSX -> its template
    *(("LH125", ENV + folder + "/neutron-ml2-cisco-vts.yaml", line)
      # 6: NeutronCorePluginVTS -> its template; 7, 10: (Compute)NeutronCorePlugin -> ...VTS
      for folder in ("services", "services-baremetal") for line in (6, 7, 10)),
    ("LH125", ENV + "services/neutron-mlnx-agent.yaml", 3),  # NeutronMlnxAgent -> its template
    # LH126: BarbicanPkcs11Crypto<vendor>Enabled: true keeps Barbican's keys in that vendor's HSM
    ("LH126", ENV + "barbican-backend-pkcs11-atos.yaml", 18),
    ("LH126", ENV + "barbican-backend-pkcs11-lunasa.yaml", 30),
    ("LH126", ENV + "barbican-backend-pkcs11-thales.yaml", 21),
}

# Rules whose construct (as the rule's docs describe it) the two repositories do not contain; each
# pattern is that construct, searched over every YAML file of the repositories below.
ABSENT = {
    # LH107: a resource_registry alias whose target is a vendor type (Contrail, Nuage, Rackspace...)
    # (the entry's key is the alias type, so a template's own `type: Rackspace::...` is not one)
    "LH107": r"^\s+['\"]?(OS|AWS)::[\w:]+['\"]?:\s*['\"]?(OS::(Contrail|ContrailV2|Nuage)::|Rackspace::)",
    # LH110: vmware:* flavor extra specs and the vCenter driver's quota:<resource>_<setting> keys
    "LH110": r"\bvmware:|\bquota:(cpu|memory|disk_io|vif)_",
    # LH116: Glance images in vmdk / ova or on a vsphere:// datastore
    "LH116": r"disk_format:\s*['\"]?vmdk|container_format:\s*['\"]?ova|vsphere://",
    # LH117: vendor-scoped (prefix:key) extra specs on a Cinder volume type / Manila share type
    "LH117": r"\b(netapp|hpe3par|drivers|pure|dellemc|powermax|vmax|vnx|xtremio|huawei|hitachi):\w",
    # LH118: a server placed on a vCenter cluster node (<mo id>.<vcenter uuid>, e.g. domain-c26.<uuid>)
    "LH118": r"domain-c\d+\.",
    # LH127: Nova's vmwareapi driver, Cinder's VMDK / FCD volume drivers
    "LH127": r"VMwareVCDriver|VMwareVcVmdkDriver|VMwareVStorageObjectDriver|vmwareapi\.",
}


def yaml_lines(corpus):
    for repo in HEAT_REPOS:
        for root, dirs, files in os.walk(os.path.join(corpus, repo)):
            dirs[:] = [d for d in dirs if d not in (".git", "releasenotes")]
            for name in files:
                if name.endswith((".yaml", ".yml", ".template")):
                    path = os.path.join(root, name)
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        for number, line in enumerate(handle, 1):
                            yield os.path.relpath(path, corpus), number, line


def places(result, rules):
    return {(f.rule.id, os.path.relpath(f.file, CORPUS), f.span.line) for f in result.findings
            if f.rule.id in rules}


@pytest.fixture(scope="module")
def heat_yaml(corpus_result):
    """Every line of the two repositories' YAML files (corpus_result skips when the corpus is absent)."""
    return list(yaml_lines(CORPUS))


def test_every_located_heat_finding_and_no_other(corpus_result):
    rules = {rule for rule, _, _ in EXPECTED}
    assert places(corpus_result, rules) == EXPECTED


def test_each_expected_place_holds_the_construct(heat_yaml):
    """Guards the table itself: each place is still the line the comment describes."""
    text = {(path, number): line for path, number, line in heat_yaml}
    construct = {"LH102": r"type:\s*Rackspace::", "LH108": r"AWS::CloudFormation::Init:",
                 "LH120": r"NeutronCorePlugin:\s*vmware_nsx\.", "LH121": r"CinderEnable\w+Backend:\s*true",
                 "LH122": r"CinderEnablePureBackend:\s*true", "LH123": r"CinderEnableNetappBackend:\s*(?i:true)",
                 "LH124": r"OS::TripleO::Services::\w+:\s*\.\./", "LH125": r"OS::TripleO::[\w:]+:\s*\S",
                 "LH126": r"BarbicanPkcs11Crypto(Lunasa|Thales|ATOS)Enabled:\s*true"}
    wrong = [(rule, path, line) for rule, path, line in EXPECTED
             if not re.search(construct[rule], text.get((path, line), ""))]
    assert wrong == []


@pytest.mark.parametrize("rule", sorted(ABSENT))
def test_construct_absent_from_the_corpus_and_not_reported(rule, heat_yaml, corpus_result):
    pattern = re.compile(ABSENT[rule])
    assert [(path, number) for path, number, line in heat_yaml if pattern.search(line)] == []
    assert places(corpus_result, {rule}) == set()


def test_vendor_neutron_drivers_come_with_the_registry_entry_already_reported(heat_yaml, corpus_result):
    """LH128/LH129 judge vendor drivers named by parameters; every corpus environment that names one
    (cisco_vts, mlnx_sdn_assist, bsn_ml2, nuage) also maps the vendor's service, which LH125 reports,
    so the parameter is not reported a second time."""
    vendor = re.compile(r"^\s+(NeutronMechanismDrivers|NeutronServicePlugins|NeutronCorePlugin):"
                        r".*\b(cisco_vts|mlnx_sdn_assist|bsn_ml2|nuage)")
    naming = {path for path, _, line in heat_yaml if vendor.search(line)}
    assert naming, "the corpus has environments naming vendor Neutron drivers"
    reported = {path for _, path, _ in places(corpus_result, {"LH125"})}
    assert naming <= reported
    assert places(corpus_result, {"LH128", "LH129"}) == set()


def test_no_heat_finding_on_line_one_or_in_release_notes(corpus_result):
    heat = [f for f in corpus_result.findings if f.rule.id.startswith("LH")]
    assert heat
    assert not [f for f in heat if "/releasenotes/" in f.file or f.span.line == 1]


def test_heat_env_auto_adds_only_the_nuage_alias_and_never_crashes(corpus):
    result = run([os.path.join(corpus, name) for name in HEAT_REPOS],
                 Judgement(select=["LH", "LT"]), options={"heat_env_auto": True})
    rules = {rule for rule, _, _ in EXPECTED}
    assert places(result, rules) == EXPECTED
    assert places(result, set(ABSENT) - {"LH107"} | {"LH128", "LH129"}) == set()
    # with every environment applied, neutron-nuage-config.yaml:10 maps the alias
    # NeutronMl2PluginBase to NeutronCorePluginML2Nuage (Nuage VSP); each template resource of that
    # type is then a vendor type behind an alias (LH107). No other vendor-mapped alias
    # (NeutronCorePlugin, ComputeNeutronCorePlugin, NeutronBigswitchAgent...) is used as a type.
    aliased = re.compile(r"^\s+type:\s*OS::TripleO::Services::NeutronMl2PluginBase\s*$")
    uses = {("LH107", path, number) for path, number, line in yaml_lines(corpus) if aliased.search(line)}
    assert len(uses) == 2
    assert places(result, {"LH107"}) == uses
    assert not [f for f in result.findings if f.rule.id.startswith("LT")]


def test_every_corpus_resource_type_is_upstream_a_path_or_registered_so_no_lh106(heat_yaml, corpus_result):
    """LH106's construct is a ``type:`` that upstream Heat does not register, that is no template
    path and that no ``resource_registry`` of the scan maps. Grepping the two repositories: every
    ``type: X::Y`` they write is a type of Heat's resource type reference
    (https://docs.openstack.org/heat/latest/template_guide/openstack.html, the table in
    lintra/rules/heat/upstream_types.py), a TripleO alias (the namespace tripleo's rendered registry
    maps) or a key some environment line maps; so LH106 reports nothing on the corpus."""
    from lintra.rules.heat import upstream_types

    written = re.compile(r"^\s+-?\s*type:\s*['\"]?([A-Za-z0-9]+::[\w:]+)")
    registered = re.compile(r"^\s+['\"]?([A-Za-z0-9]+::[\w:*]+)['\"]?:\s*\S")
    types = {m.group(1) for _, _, line in heat_yaml for m in [written.search(line)] if m}
    keys = {m.group(1) for _, _, line in heat_yaml for m in [registered.search(line)] if m}
    assert "OS::Nova::Server" in types and "OS::TripleO::Services::NeutronMl2PluginBase" in keys
    unexplained = sorted(t for t in types if not (upstream_types.is_upstream(t) or t.startswith("OS::TripleO::")
                                                  or t in keys or t.startswith("Rackspace::")))
    assert unexplained == []  # Rackspace:: types are LH102's (listed in EXPECTED above)
    assert places(corpus_result, {"LH106"}) == set()
