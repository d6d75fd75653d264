"""The example plugin package, pip-installed with lintra into a fresh virtual environment, is found
through its ``lintra`` entry point: ``lintra plugins``, ``lintra rules`` and ``lintra check`` see it.

No network: the venv sees the interpreter's site-packages for the dependencies, and both packages
install with ``--no-deps --no-build-isolation`` (hatchling comes from the test extras).
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, share_dependencies

pytestmark = pytest.mark.slow

EXAMPLE = os.path.join(ROOT, "tests", "example_plugin")


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A venv with lintra (this checkout) and the example plugin installed; returns its bin dir."""
    home = tmp_path_factory.mktemp("plugin-venv")
    # Without its own pip the venv is made in a tenth of a second; the interpreter's pip, seen
    # through the system site-packages, installs into the venv all the same.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(home / "venv")],
                   check=True, capture_output=True, timeout=300)
    share_dependencies(home / "venv")
    python = str(home / "venv" / "bin" / "python")
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        subprocess.run([python, "-m", "ensurepip", "--default-pip"], check=True, capture_output=True, timeout=300)
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                              "--no-index", ROOT, EXAMPLE], capture_output=True, text=True, timeout=600)
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
