import pytest

from tests.conftest import where

FLAVOR = """\
heat_template_version: 2018-08-31
resources:
  f:
    type: OS::Nova::Flavor
    properties:
      ram: 1024
      extra_specs: {specs}
"""


@pytest.mark.parametrize("specs, expected", [
    ('{"vmware:hw_version": vmx-19}', [(7, 21)]),
    ('{"quota:cpu_limit": 1000, "quota:memory_shares_level": high}', [(7, 21), (7, 46)]),
    ('{"quota:cpu_reservation_percent": 50}', [(7, 21)]),
    ('{"hw:cpu_policy": dedicated, "quota:cpu_shares": 1024, "quota:vif_inbound_average": 10}', []),
    ("{get_param: specs}", []),  # unresolvable: unknown, not coupled
])
def test_lh110(lint, specs, expected):
    result = lint(FLAVOR.format(specs=specs))
    assert [(line, col) for _, line, col in where(result, "LH110")] == expected


def test_lh110_only_flavors(lint):
    text = FLAVOR.format(specs='{"vmware:hw_version": x}').replace("OS::Nova::Flavor", "OS::Heat::Value")
    assert where(lint(text)) == []
