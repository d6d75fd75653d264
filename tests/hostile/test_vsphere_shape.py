"""Class 6: a vSphere/govc JSON export whose field has a type the API never writes (a number where
an object or list belongs, an object where a name belongs) is an LT000 at that field's value, not
at 1:1 and never a TypeError. The expected place is found in the file's text, not taken from
lintra: each case marks its offending value, and the test looks the mark up."""

import json

import pytest

from tests.hostile.harness import every_format

VM = {"_typeName": "VirtualMachineConfigInfo", "name": "vm1", "guestId": "otherGuest", "hardware": {"device": []}}
MARK = 987654  # the offending value, unique in each export


def where(text, token):
    """Line and column of the value ``token`` marks: the token itself, or the bracket it ends with."""
    offset = text.index(token) + (len(token) - 1 if token.endswith(("{", "[")) else 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


CASES = {
    "vSphere API extraConfig is a number": ({**VM, "extraConfig": MARK}, str(MARK),
                                             "extraConfig is a number, where the vSphere API writes a list"),
    "vSphere API name is an object": ({**VM, "name": {"x": MARK}}, '"name": {',
                                      "name is an object, where the vSphere API writes a single value"),
    "vApp properties are a number": ({**VM, "vAppConfig": {"property": MARK}}, str(MARK),
                                     "vAppConfig.property is a number, where the vSphere API writes a list"),
    "affinity set is a number": ({**VM, "cpuAffinity": {"affinitySet": MARK}}, str(MARK),
                                 "cpuAffinity.affinitySet is a number, where the vSphere API writes a list"),
    "govc config is a number": ({"virtualMachines": [{"name": "a", "config": MARK}]}, str(MARK),
                                "config is a number, where the vSphere API writes an object"),
    "govc VM name is a list": ({"virtualMachines": [{"name": [MARK], "config": {}}]}, '"name": [',
                               "name is a list, where the vSphere API writes a single value"),
    "govc disk backing is a number": (
        {"virtualMachines": [{"name": "a", "config": {"hardware": {"device": [{"capacityInKB": 1, "backing": MARK}]}}}]},
        str(MARK), "backing is a number, where the vSphere API writes an object"),
    "object.collect val is a string": ([{"name": "config", "val": f"v{MARK}"}], f'"v{MARK}"',
                                       "config is a string, where the vSphere API writes an object"),
    "RetrieveResult objects is a number": ({"_typeName": "RetrieveResult", "objects": MARK}, str(MARK),
                                           "objects is a number, where the vSphere API writes a list"),
    "RetrieveResult propSet is a string": ({"_typeName": "RetrieveResult", "objects": [{"propSet": f"p{MARK}"}]},
                                           f'"p{MARK}"', "propSet is a string, where the vSphere API writes a list"),
    "latency level is an object": ({**VM, "latencySensitivity": {"level": {"v": MARK}}}, '"level": {',
                                   "latencySensitivity.level is an object, where the vSphere API writes a single value"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_field_of_the_wrong_type_is_an_error_at_its_value(tmp_path, case):
    data, token, message = CASES[case]
    text = json.dumps(data, indent=2)
    (tmp_path / "vm.json").write_text(text)
    out = every_format(["vm.json"], str(tmp_path))
    report = out["json"]
    (record,) = report["files"]
    assert record["status"] == "error"
    assert record["reason"] == f"vSphere export of unexpected shape: {message}"
    assert [(f["rule_id"], f["line"], f["column"]) for f in report["findings"]] == [("LT000", *where(text, token))]
    assert out["code"] == 1
