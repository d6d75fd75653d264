"""Examples pin exact locations: every built-in rule's fail examples state where each finding
lands (the key or value a user edits), and `lintra policy test` holds them to it."""

import json

from click.testing import CliRunner

from lintra.cli import main
from lintra.plugins import load_registry
from lintra.policy.examples import stated_locations

REGISTRY = load_registry()
COUPLING = sorted((r for r in REGISTRY.rules.values() if r.vendor != "lintra"), key=lambda r: r.id)

PACK = """\
pack: {name: p, version: 1}
rules:
  - id: P1
    name: p
    title: t
    vendor: other
    category: image
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: r
    remediation: m
    match: {path: "@containers.image", startswith: registry.vendor.example/}
    message: "image {value}"
    examples:
      expect: [[{line: 5, column: %d}]]
      fail: ["apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n  containers: [{name: c, image: registry.vendor.example/a}, {name: d, image: nginx}]\\n"]
      pass: ["apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n  containers: [{name: c, image: nginx}]\\n"]
"""


def test_every_fail_example_of_every_built_in_rule_states_its_locations():
    unstated = [(r.id, n + 1) for r in COUPLING for n in range(len(r.examples.get("fail") or ()))
                if not stated_locations(r.examples, n)]
    assert unstated == []


def test_policy_test_holds_a_pack_to_its_stated_locations(tmp_path):
    pack = tmp_path / "p.yaml"
    # "  containers: [{name: c, image: " is 32 characters: the image value starts in column 33
    pack.write_text(PACK % 33)
    assert CliRunner().invoke(main, ["policy", "test", str(pack)]).exit_code == 0
    pack.write_text(PACK % 3)  # the containers key: not where the finding lands
    result = CliRunner().invoke(main, ["policy", "test", str(pack), "-f", "json"])
    assert result.exit_code == 1
    [problem] = json.loads(result.output)["rules"][0]["problems"]
    assert problem["problem"] == "findings at 5:33, the example states 5:3"


def test_a_count_states_repeated_findings(tmp_path):
    pack = tmp_path / "p.yaml"
    text = (PACK % 33).replace("[[{line: 5, column: 33}]]", "[[{line: 5, column: 33, count: 2}]]")
    pack.write_text(text)
    result = CliRunner().invoke(main, ["policy", "test", str(pack), "-f", "json"])
    assert json.loads(result.output)["rules"][0]["problems"][0]["problem"] == (
        "findings at 5:33, the example states 5:33, 5:33")
