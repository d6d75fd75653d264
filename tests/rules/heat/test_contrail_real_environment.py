"""Contrail/Tungsten Fabric on the real TripleO environment that names it.

../shared/corpus holds no Contrail environment (tripleo-heat-templates dropped its Contrail
environments before the commit in the corpus), but its environments/neutron-bgpvpn.yaml documents,
in its header, the four BGPVPN service providers an operator may put in BgpvpnServiceProvider,
OpenContrail's driver among them. Each provider is put into that real file in place of the Dummy
driver, and the finding must land on the value the operator edits: the Contrail and Nuage drivers
are vendor SDN controllers' (Juniper, Nokia), BaGPipe and OpenDaylight are open-source back ends.
The other Contrail forms (NeutronCorePlugin, Contrail composable services) are proven on
tests/fixtures/heat-env/contrail-*.yaml, written from Juniper's TripleO deployment guide."""

import os
import re

import pytest

from lintra.pipeline import run
from tests.conftest import CORPUS

BGPVPN = os.path.join(CORPUS, "tripleo-heat-templates", "environments", "neutron-bgpvpn.yaml")
#: provider name in the file's header -> the vendor whose controller it needs (None: open source)
VENDORS = {"OpenContrail": "juniper", "Nuage": "nokia", "Bagpipe": None, "OpenDaylight": None}


def _providers(text):
    return dict(re.findall(r"^# - (\w+): (BGPVPN:\S+)$", text, re.M))


@pytest.fixture(scope="module")
def real():
    if not os.path.isfile(BGPVPN):
        pytest.skip("../shared/corpus/tripleo-heat-templates is absent (it sits beside the checkout in CI)")
    with open(BGPVPN, encoding="utf-8") as handle:
        return handle.read()


def test_the_real_file_documents_the_four_providers(real):
    assert set(_providers(real)) == set(VENDORS)


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_each_documented_provider_in_the_real_environment(real, name, tmp_path):
    provider = _providers(real)[name]
    lines = real.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("  BgpvpnServiceProvider:"))
    lines[index] = f"  BgpvpnServiceProvider: '{provider}'"
    target = tmp_path / "environments" / "neutron-bgpvpn.yaml"
    target.parent.mkdir()
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run([str(target)])
    found = [(f.rule.id, f.span.line, f.span.column, f.vendor) for f in result.findings]
    vendor = VENDORS[name]
    column = lines[index].index("'") + 1
    assert found == ([("LH128", index + 1, column, vendor)] if vendor else [])


def test_the_real_file_as_it_is_selects_no_vendor(real):
    assert run([BGPVPN]).findings == []
