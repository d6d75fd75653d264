"""The example plugin package, pip-installed with lintra into a fresh virtual environment, is found
through its ``lintra`` entry point: ``lintra plugins``, ``lintra rules`` and ``lintra check`` see it.

The venv is bare, as a user's: pip installs both packages and their dependencies from the package
index (or the wheels pip is configured to find), never from the interpreter running the tests.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

EXAMPLE = os.path.join(ROOT, "tests", "example_plugin")


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A venv with lintra (this checkout) and the example plugin installed; returns its bin dir."""
    home = tmp_path_factory.mktemp("plugin-venv")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, capture_output=True, timeout=300)
    python = str(home / "venv" / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", ROOT, EXAMPLE],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr
    return home / "venv" / "bin"


def lintra(venv, *args, **env):
    """Run the venv's own ``lintra`` script from the example package's directory."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LINTRA_PLUGINS", "GITHUB_ACTIONS", "PYTHONPATH")}
    return subprocess.run([str(venv / "lintra"), *args], capture_output=True, text=True, timeout=120,
                          cwd=EXAMPLE, env=dict(clean, **env))


def test_installed_example_plugin_is_listed_with_its_version_and_hooks(venv):
    result = lintra(venv, "plugins", "--format", "json")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["example-compose"] == {"name": "example-compose", "version": "1.2.0",
                                          "hooks": ["register_detectors", "register_formats", "register_rules"]}
    assert "lintra.heat" in plugins  # the built-ins still load beside it


def test_installed_example_rule_is_listed_and_fires_at_the_driver(venv):
    rules = lintra(venv, "rules", "ACME")
    assert rules.stdout.splitlines() == [
        "ACME101 other     management  soft       warning    compose-cloud-logging-driver: "
        "Compose service logs through a cloud provider's logging driver"]
    check = lintra(venv, "check", "--fail-on", "warning", "fixtures/compose.yaml")
    assert check.returncode == 1, check.stderr
    assert check.stdout.splitlines()[0] == ("fixtures/compose.yaml:8:15: warning ACME101 service 'web' sends its "
                                            "logs to Amazon CloudWatch Logs (logging driver awslogs)")


def test_installed_example_format_writes_checkstyle(venv):
    result = lintra(venv, "check", "-f", "checkstyle", "fixtures/compose.yaml")
    assert result.returncode == 0 and '<error line="8" column="15" severity="warning"' in result.stdout


def test_lintra_plugins_env_restricts_installed_plugins_too(venv):
    builtins_only = {"LINTRA_PLUGINS": "lintra.loaders,lintra.formats"}
    assert lintra(venv, "rules", "ACME", **builtins_only).stdout == ""
    check = lintra(venv, "check", "--verbose", "fixtures/compose.yaml", **builtins_only)
    assert check.returncode == 0 and "ACME101" not in check.stdout and "not an infrastructure document" in check.stdout
    named = lintra(venv, "plugins", **dict(builtins_only, LINTRA_PLUGINS="example-compose,lintra.loaders"))
    assert [line.split()[0] for line in named.stdout.splitlines()] == ["lintra.loaders", "example-compose"]
