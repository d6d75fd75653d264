"""The policy-pack JSON Schema: valid itself, met by every shipped pack, in step with the code
and the docs, and kept off the plain lint path."""

import os
import re
import subprocess
import sys

import jsonschema
import pytest

from lintra.load import yamltree
from lintra.model import CATEGORIES, STRENGTHS, VENDORS, Level
from lintra.policy.conditions import OPERATORS
from lintra.policy.pack import pack_files
from lintra.policy.schema import pack_schema
from lintra.resources import policies_dir
from tests.conftest import ROOT

SCHEMA = pack_schema()
DEFS = SCHEMA["$defs"]


def test_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", pack_files(policies_dir()), ids=os.path.basename)
def test_shipped_packs_meet_the_schema(path):
    # The plugin that loads them skips validation for speed, so this is where they are held to it.
    (data, _), = yamltree.parse(open(path, encoding="utf-8").read())
    assert [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)] == []


def test_schema_enums_match_the_model():
    fields = DEFS["ruleFields"]["properties"]
    assert fields["vendor"]["$ref"] == "#/$defs/vendor" and DEFS["vendor"]["enum"] == list(VENDORS)
    assert DEFS["match"]["properties"]["vendor"]["$ref"] == "#/$defs/vendor"
    assert fields["category"]["enum"] == list(CATEGORIES)
    assert fields["strength"]["enum"] == list(STRENGTHS)
    assert fields["severity"]["enum"] == [level.name for level in sorted(Level, reverse=True)]


def test_schema_operators_are_the_compiled_ones():
    assert set(DEFS["operators"]["properties"]) == set(OPERATORS)


def test_docs_describe_every_field_and_operator():
    docs = open(os.path.join(ROOT, "docs", "policy-packs.md"), encoding="utf-8").read()
    fields = set(DEFS["ruleFields"]["properties"]) | set(DEFS["rule"]["properties"])
    section = docs.split("## Rule fields", 1)[1].split("\n## ", 1)[0]
    assert {f for f in fields if f"`{f}`" not in section} == set()
    table = docs.split("## Conditions", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`(\w+)[:`]", table))
    assert set(OPERATORS) - documented == set()


def test_plain_run_does_not_import_jsonschema():
    code = ("import sys; from lintra.plugins import load_registry; load_registry(); "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
