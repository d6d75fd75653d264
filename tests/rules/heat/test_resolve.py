"""get_param resolution: template defaults, -e environments, --heat-env-auto; intrinsics stay unknown."""

import textwrap

import pytest
from click.testing import CliRunner

from lintra.cli import main
from lintra.filter import Judgement
from lintra.pipeline import run

TEMPLATE = """\
heat_template_version: 2018-08-31
parameters:
  nettype:
    type: string
    default: {default}
resources:
  net:
    type: OS::Neutron::Net
    properties:
      value_specs:
        provider:network_type: {{get_param: nettype}}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def found(result, rule="LH113"):
    return [(f.file.rsplit("/", 1)[-1], f.span.line, f.span.column) for f in result.findings if f.rule.id == rule]


def scan(paths, **options):
    return run(paths, Judgement(select=["LH"]), options=options)


def test_parameter_default_is_judged_where_it_is_written(tmp_path):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="portgroup"))
    result = scan([template])
    assert found(result) == [("t.yaml", 5, 14)]
    finding = result.findings[0]
    assert "consumed by resource 'net' property value_specs.provider:network_type" in finding.message
    assert [(r.file.rsplit("/", 1)[-1], r.span.line) for r in finding.related] == [("t.yaml", 11, )]


def test_passes_when_the_default_is_neutral(tmp_path):
    assert found(scan([write(tmp_path, "t.yaml", TEMPLATE.format(default="vlan"))])) == []


def test_explicit_environment_overrides_the_default(tmp_path):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="vlan"))
    env = write(tmp_path, "env.yaml", "parameter_defaults:\n  nettype: stt\n")
    assert found(scan([template, env])) == []  # an environment beside it is only an alternative
    result = scan([template, env], heat_env=[env])
    assert found(result) == [("env.yaml", 2, 12)]
    assert "-e " in result.findings[0].message and "t.yaml" in result.findings[0].message


def test_later_environment_wins_and_parameters_beat_parameter_defaults(tmp_path):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="portgroup"))
    first = write(tmp_path, "a.yaml", "parameters:\n  nettype: nsx-net\n")
    second = write(tmp_path, "b.yaml", "parameter_defaults:\n  nettype: vlan\n")
    third = write(tmp_path, "c.yaml", "parameter_defaults:\n  nettype: l3_ext\n")
    assert found(scan([template, first, second], heat_env=[first, second])) == [("a.yaml", 2, 12)]
    assert found(scan([template, second, third], heat_env=[second, third])) == [("c.yaml", 2, 12)]
    assert found(scan([template, third, second], heat_env=[third, second])) == []


def test_auto_environments_of_the_same_repository(tmp_path):
    repo = tmp_path / "repo"
    write(repo, "templates/t.yaml", TEMPLATE.format(default="vlan"))
    write(repo, "LICENSE", "Apache-2.0\n")
    write(repo, "environments/nsx.yaml", "parameter_defaults:\n  nettype: portgroup\n")
    write(repo, "environments/ovn.yaml", "parameter_defaults:\n  nettype: geneve\n")
    write(tmp_path, "other/LICENSE", "x\n")
    write(tmp_path, "other/env.yaml", "parameter_defaults:\n  nettype: stt\n")
    assert found(scan([str(tmp_path)])) == []
    assert found(scan([str(tmp_path)], heat_env_auto=True)) == [("nsx.yaml", 2, 12)]


def test_get_param_list_form_descends_into_json_values(tmp_path):
    template = write(tmp_path, "t.yaml", """\
        heat_template_version: 2018-08-31
        parameters:
          specs:
            type: json
            default: {outer: {"vmware:storage_policy": gold}, plain: {"hw:cpu_policy": dedicated}}
        resources:
          f:
            type: OS::Nova::Flavor
            properties:
              extra_specs: {get_param: [specs, outer]}
          g:
            type: OS::Nova::Flavor
            properties:
              extra_specs: {get_param: [specs, plain]}
        """)
    assert found(scan([template]), "LH110") == [("t.yaml", 5, 23)]


@pytest.mark.parametrize("value", [
    "{get_attr: [net, name]}", "{get_resource: net}", "{str_replace: {template: x, params: {}}}",
    "{list_join: ['-', [a, b]]}", "{if: [cond, stt, vlan]}", "{repeat: {for_each: {x: [1]}, template: x}}",
    "{yaql: {expression: '$.data', data: stt}}", "{'Fn::Select': [0, [stt]]}", "{get_param: missing}",
    "{get_param: [nettype, 3]}", "{get_param: {not: valid}}", "{get_param: []}",
])
def test_intrinsics_are_unknown_not_coupled(lint, value):
    text = TEMPLATE.format(default="portgroup").replace("{get_param: nettype}", value)
    result = lint(text)
    assert [f for f in result.findings if f.rule.id.startswith(("LT9", "LH11"))] == []


def test_cloudformation_ref_resolves_to_the_parameter_default(lint):
    result = lint("""\
        HeatTemplateFormatVersion: '2012-12-12'
        Parameters:
          Specs: {Type: Json, Default: {"quota:cpu_limit": 100}}
        Resources:
          F:
            Type: OS::Nova::Flavor
            Properties:
              extra_specs: {Ref: Specs}
        """)
    assert [f.rule.id for f in result.findings] == []  # LH110 reads HOT templates only


def test_cli_heat_env_option_checks_the_environment_too(tmp_path):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="vlan"))
    env = write(tmp_path, "env.yaml", "parameter_defaults:\n  nettype: portgroup\n")
    out = CliRunner().invoke(main, ["check", template, "-e", env, "--select", "LH113"])
    assert out.exit_code == 1, out.output
    assert "env.yaml:2:12" in out.output and "consumed here by resource 'net'" in out.output
    assert CliRunner().invoke(main, ["check", template, "--select", "LH113"]).exit_code == 0
    assert CliRunner().invoke(main, ["check", template, "-e", str(tmp_path / "nope.yaml")]).exit_code == 2


NESTING = """\
heat_template_version: 2018-08-31
resources:
  net:
    type: ../lib/net.yaml
"""


@pytest.mark.parametrize("auto", [False, True])
def test_environment_parameters_reach_only_the_templates_the_user_named(tmp_path, auto):
    repo = tmp_path / "repo"
    write(repo, "LICENSE", "Apache-2.0\n")
    top = write(repo, "stacks/top.yaml", NESTING)
    nested = write(repo, "lib/net.yaml", TEMPLATE.format(default="vlan"))
    given = write(repo, "env/given.yaml", "parameters:\n  nettype: portgroup\n")
    options = {"heat_env_auto": True} if auto else {"heat_env": [given]}
    # Heat sets a nested stack's parameters from the parent's properties, never from `parameters`
    assert found(scan([top, given], **options)) == []
    assert found(scan([nested, given], **options)) == [("given.yaml", 2, 12)]


@pytest.mark.parametrize("auto", [False, True])
def test_environment_parameter_defaults_reach_nested_templates(tmp_path, auto):
    repo = tmp_path / "repo"
    write(repo, "LICENSE", "Apache-2.0\n")
    top = write(repo, "stacks/top.yaml", NESTING)
    write(repo, "lib/net.yaml", TEMPLATE.format(default="vlan"))
    defaults = write(repo, "env/defaults.yaml", "parameter_defaults:\n  nettype: portgroup\n")
    options = {"heat_env_auto": True} if auto else {"heat_env": [defaults]}
    result = scan([top, defaults], **options)
    assert found(result) == [("defaults.yaml", 2, 12)]
    assert "parameter_defaults" in result.findings[0].message


@pytest.mark.parametrize("text, reason", [
    ("foo: bar\n", "its top level must be a mapping of only these sections: encrypted_param_names, event_sinks, "
                   "parameter_defaults, parameter_merge_strategies, parameters, resource_registry"),
    ("parameters: {a: 1}\nfoo: bar\n", "its top level must be a mapping of only these sections"),
    ("- parameters\n", "its top level must be a mapping"),
    (TEMPLATE.format(default="vlan"), "it is a heat document"),
    ("parameters: {a: 1}\n---\nparameters: {b: 2}\n", "more than one YAML document"),
    ("parameters: [\n", "env.yaml:2:1: not a Heat environment: YAML syntax error"),
])
def test_cli_heat_env_that_is_no_environment_is_a_configuration_error(tmp_path, text, reason):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="vlan"))
    env = write(tmp_path, "env.yaml", text)
    out = CliRunner().invoke(main, ["check", template, "-e", env])
    assert out.exit_code == 2, out.output
    assert f"-e {env}" in out.output and "not a Heat environment" in out.output and reason in out.output


@pytest.mark.parametrize("text", ["", "parameter_defaults: {nettype: vlan}\n", "resource_registry: {}\n"])
def test_cli_heat_env_accepts_every_environment_heat_accepts(tmp_path, text):
    template = write(tmp_path, "t.yaml", TEMPLATE.format(default="vlan"))
    env = write(tmp_path, "env.yaml", text)
    assert CliRunner().invoke(main, ["check", template, "-e", env]).exit_code == 0
