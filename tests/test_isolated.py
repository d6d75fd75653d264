"""--isolated means exactly what the README says, on every command that reads configuration."""

import json

import pytest
from click.testing import CliRunner

from lintra.cli import main

SC = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: csi.vsphere.vmware.com\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lintra.yaml").write_text("ignore: [LK104]\nseverity: {LK102: warning}\n")
    (tmp_path / "sc.yaml").write_text(SC + "parameters: {storagepolicyname: gold}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def rules_of(result):
    return sorted(f["rule_id"] for f in json.loads(result.stdout)["findings"])


def test_check_isolated_reads_no_configuration_and_no_baseline(project):
    assert rules_of(invoke("check", "-f", "json", ".")) == ["LK102"]  # LK104 ignored by the config
    assert invoke("baseline", "create", ".").exit_code == 0
    assert rules_of(invoke("check", "-f", "json", ".")) == []  # the baseline found upward
    isolated = invoke("check", "--isolated", "-f", "json", ".")
    assert rules_of(isolated) == ["LK102", "LK104"] and isolated.exit_code == 1  # LK102 an error again
    flagged = invoke("check", "--isolated", "--baseline", ".lintra-baseline.yaml", "-f", "json", ".")
    assert rules_of(flagged) == ["LK104"]  # flags still apply: the named baseline accepts LK102 only


def test_rules_config_and_profiles_accept_isolated(project):
    levels = {r["id"]: r["level"] for r in json.loads(invoke("rules", "-f", "json", "LK10").stdout)}
    assert (levels["LK102"], levels["LK104"]) == ("warning", "off")
    isolated = {r["id"]: r["level"] for r in json.loads(invoke("rules", "--isolated", "-f", "json", "LK10").stdout)}
    assert (isolated["LK102"], isolated["LK104"]) == ("error", "warning")
    shown = json.loads(invoke("config", "--isolated", "-f", "json").stdout)
    assert shown["files"] == [] and json.loads(invoke("config", "-f", "json").stdout)["files"]
    assert invoke("profiles", "--isolated").exit_code == 0


@pytest.mark.parametrize("command", [["check", "."], ["rules"], ["config"], ["profiles"]])
def test_isolated_with_config_is_a_usage_error(project, command):
    result = invoke(command[0], "--isolated", "--config", ".lintra.yaml", *command[1:])
    assert result.exit_code == 2 and "cannot be combined with --config" in result.output
