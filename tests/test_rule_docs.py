"""`lintra explain RULE` and docs/rules/<ID>.md: one rule's documentation in ruff's structure,
generated from the rule itself, so pages cannot drift from what lintra checks."""

import os

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.plugins import load_registry
from lintra.report import ruledoc
from tests.conftest import ROOT

DOCS = os.path.join(ROOT, "docs", "rules")
HEADINGS = ["What it does", "Why is this bad?", "Example", "Use instead", "Known problems", "Options",
            "References"]


def test_docs_rules_pages_are_generated_from_the_rules_and_not_stale():
    pages = ruledoc.pages(load_registry().rules.values())
    on_disk = {name for name in os.listdir(DOCS) if name.endswith(".md")}
    assert on_disk == set(pages), "regenerate with: lintra docs --output docs/rules"
    stale = [name for name, text in pages.items()
             if open(os.path.join(DOCS, name), encoding="utf-8").read() != text]
    assert stale == [], "regenerate with: lintra docs --output docs/rules"


def test_docs_check_reports_a_stale_page_and_docs_rewrites_it(tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "rules")
    written = runner.invoke(main, ["docs", "--output", out])
    assert written.exit_code == 0 and " written, 0 removed" in written.output
    assert runner.invoke(main, ["docs", "--check", "--output", out]).exit_code == 0
    with open(os.path.join(out, "LK101.md"), "a", encoding="utf-8") as handle:
        handle.write("edited by hand\n")
    open(os.path.join(out, "LZ999.md"), "w").close()
    check = runner.invoke(main, ["docs", "--check", "--output", out])
    assert check.exit_code == 1
    assert check.output.splitlines() == [f"{os.path.join(out, 'LK101.md')}: missing or stale",
                                         f"{os.path.join(out, 'LZ999.md')}: no such rule"]
    assert runner.invoke(main, ["docs", "--output", out]).output.endswith("1 written, 1 removed\n")


def test_a_page_has_ruff_sections_with_the_rules_own_examples():
    page = open(os.path.join(DOCS, "LK101.md"), encoding="utf-8").read()
    assert page.startswith("# LK101 k8s-vsphere-volume\n")
    assert [line[3:] for line in page.splitlines() if line.startswith("## ")] == HEADINGS
    example = page.split("## Example", 1)[1].split("## Use instead", 1)[0]
    assert 'vsphereVolume: {volumePath: "[datastore1] volumes/myDisk", fsType: ext4}' in example
    instead = page.split("## Use instead", 1)[1].split("## Known problems", 1)[0]
    assert "persistentVolumeClaim: {claimName: data}" in instead
    assert "- <https://kubernetes.io/docs/concepts/storage/volumes/#vspherevolume>" in page


@pytest.mark.parametrize("name", ["LK101", "lk101", "k8s-vsphere-volume"])
def test_explain_by_id_or_name(name):
    result = CliRunner().invoke(main, ["explain", name])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "LK101 k8s-vsphere-volume"
    assert [lines[n - 1] for n, line in enumerate(lines) if line and set(line) == {"-"}] == HEADINGS
    assert "The in-tree vsphereVolume source names a VMDK" in result.output
    assert "    kind: PersistentVolume" in result.output  # the failing example, indented


def test_explain_markdown_is_the_page():
    result = CliRunner().invoke(main, ["explain", "-f", "markdown", "LV101"])
    assert result.output == open(os.path.join(DOCS, "LV101.md"), encoding="utf-8").read()
    assert "`vm.vmx`:\n\n```ini\n" in result.output


def test_explain_unknown_rule_suggests_and_exits_2():
    result = CliRunner().invoke(main, ["explain", "LK1011"])
    assert result.exit_code == 2 and "no rule 'LK1011'; did you mean " in result.output and "LK101" in result.output


def test_options_section_lists_declared_params():
    class Parametrised:
        id, name, title, vendor, category, strength = "X1", "x", "X", "other", "api", "soft"
        rationale, remediation, references, kinds, origin, service, effort = "r", "m", (), ("k8s",), "lintra.x", "", None
        examples = {}
        params = {"registries": {"type": "strings", "description": "registries to flag", "default": ["gcr.io"]},
                  "limit": 3}

        class severity:
            name = "warning"
    page = ruledoc.markdown(Parametrised())
    options = page.split("## Options", 1)[1]
    # name, type and default (as JSON, the way .lintra.yaml writes it), then what it means
    assert '- `registries` (strings, default `["gcr.io"]`): registries to flag' in options
    assert "- `limit` (default: `3`)" in options
