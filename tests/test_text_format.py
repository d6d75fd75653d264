"""The text format: one line per finding that says what it is, and a summary that adds up."""

import io

from lintra.report import text

CONTRAIL = "heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::ContrailV2::VirtualNetwork\n"
TWO_VENDORS = CONTRAIL + """\
  flavor:
    type: OS::Nova::Flavor
    properties:
      ram: 1024
      vcpus: 1
      extra_specs: {"vmware:hw_version": "vmx-13"}
"""


def render(result, **options):
    stream = io.StringIO()
    text.write(result, stream, options)
    return stream.getvalue().splitlines()


def summary(lines):
    [line] = [line for line in lines if " finding(s): " in line]
    return line


def test_sanctioned_findings_are_marked_and_counted_among_the_findings(lint):
    result = lint(TWO_VENDORS, sanctioned=["vmware"])
    lines = render(result)
    [lh110] = [line for line in lines if " LH110 " in line]
    assert " info LH110 " in lh110 and lh110.endswith(" [sanctioned]")
    [lh101] = [line for line in lines if " LH101 " in line]
    assert not lh101.endswith("]")
    assert summary(lines).startswith("2 finding(s): 1 error, 0 warning, 1 info (1 sanctioned) in 1 file(s)")


def test_findings_left_out_are_listed_apart_from_the_count(lint):
    result = lint(TWO_VENDORS.replace("VirtualNetwork", "VirtualNetwork  # lintra: ignore[LH101]"),
                  sanctioned=["vmware"], hide_sanctioned=True)
    result.baselined = 3
    lines = render(result)
    assert lines[0] == summary(lines)  # nothing listed, so no blank line before the summary
    assert summary(lines).startswith("0 finding(s): 0 error, 0 warning, 0 info in 1 file(s)")
    assert summary(lines).endswith("; not counted: 1 suppressed, 1 hidden as sanctioned, 3 accepted by the baseline")


def test_verbose_shows_a_suppression_without_a_reason_plainly(lint):
    result = lint(CONTRAIL.replace("VirtualNetwork", "VirtualNetwork  # lintra: ignore[LH101]"))
    assert render(result, verbose=True)[0].endswith(" (suppressed, no reason given)")
    result = lint(CONTRAIL.replace("VirtualNetwork", "VirtualNetwork  # lintra: ignore[LH101] until Q3"))
    assert render(result, verbose=True)[0].endswith(" (suppressed: until Q3)")
