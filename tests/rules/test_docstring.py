"""Every rule's references reach the places a user reads them, exactly as the rule's source documents
them: the committed docs/rules/<ID>.md page, ``lintra rules --format json`` and SARIF's rule help.

The expected list is read from the source a rule author edits (a Python rule's module docstring,
found here with a plain URL search rather than lintra.rules.docstring, or a pack rule's YAML), so a
reference dropped, reordered or added on one side fails."""

import importlib
import json
import os
import re
import urllib.parse

import pytest
import yaml
from click.testing import CliRunner

from lintra.cli import main
from lintra.plugins import load_registry
from lintra.report.sarif import rule_descriptor
from lintra.rules.docstring import references
from tests.conftest import ROOT

REGISTRY = load_registry().rules
SHIPPED = sorted((rule for rule in REGISTRY.values() if rule.origin != "lintra.check.reserved"),
                 key=lambda rule: rule.id)
URL = re.compile(r"https://[^\s<>`'\")]+")


def documented(rule):
    """The references as the rule's own source lists them."""
    path, pack_marker, _ = rule.origin.partition(" (pack ")
    if pack_marker:
        with open(path, encoding="utf-8") as handle:
            pack = yaml.safe_load(handle)
        [entry] = [entry for entry in pack["rules"] if entry["id"] == rule.id]
        return list(entry.get("references") or [])
    doc = importlib.import_module(rule.origin).__doc__
    return URL.findall(doc.partition("\nReferences:\n")[2])


def page_references(rule):
    with open(os.path.join(ROOT, "docs", "rules", f"{rule.id}.md"), encoding="utf-8") as handle:
        section = handle.read().partition("\n## References\n")[2]
    return re.findall(r"^- <(https://[^>]+)>$", section.split("\n## ")[0], re.M)


@pytest.fixture(scope="module")
def listed():
    out = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert out.exit_code == 0, out.output
    return {entry["id"]: entry["references"] for entry in json.loads(out.output)}


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda rule: rule.id)
def test_references_are_https_urls_shown_where_users_read_them(rule, listed):
    expected = documented(rule)
    assert expected, f"{rule.id} documents no reference"
    for ref in expected:
        parts = urllib.parse.urlsplit(ref)
        assert parts.scheme == "https" and "." in parts.netloc and not re.search(r"\s", ref), ref
    assert list(rule.references) == expected
    assert page_references(rule) == expected
    assert listed[rule.id] == expected
    markdown = rule_descriptor(rule)["help"]["markdown"]
    assert re.findall(r"^- <(https://[^>]+)>$", markdown, re.M) == expected


def test_a_reference_that_is_not_one_url_item_fails_loudly():
    assert references("T.\n\nWhy.\n\nReferences:\n- https://a.example/x\n- https://b.example/y\n") == (
        "https://a.example/x", "https://b.example/y")
    assert references("T.\n\nWhy.\n\nReferences:\n- https://a.example/x (``f``)\n") == ("https://a.example/x",)
    with pytest.raises(ValueError):
        references("T.\n\nWhy.\n\nReferences:\n- https://a.example/x\n  continued/on/the/next/line\n")
    with pytest.raises(ValueError):
        references("T.\n\nWhy, with no references.\n")
