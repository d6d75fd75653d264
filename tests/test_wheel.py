"""The built wheel carries the policies and works from a fresh virtual environment."""

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), ROOT],
                   check=True, capture_output=True, timeout=600)
    wheels = list(out.glob("lintra-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_ships_policies_and_schemas(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "lintra/policies/k8s-vsphere-storage.yaml" in names
    assert "lintra/report/schemas/output.schema.json" in names
    assert "lintra/policy/schemas/pack.schema.json" in names
    assert not [n for n in names if n.startswith(("tests/", "policies/"))]


def test_wheel_runs_from_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    # A bare venv, as a user's: the wheel brings its dependencies from the package index (or the
    # wheels pip is configured to find), never from the interpreter running the tests, so a
    # dependency missing from pyproject.toml fails here.
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    isolated = subprocess.run([python, "-c", "import sys; print(sys.prefix != sys.base_prefix)"],
                              capture_output=True, text=True, check=True).stdout
    assert isolated.strip() == "True"
    where = subprocess.run([python, "-c", "import lintra; print(lintra.__file__)"], capture_output=True,
                           text=True, check=True, cwd=str(tmp_path)).stdout
    assert str(venv) in where
    rules = subprocess.run([str(venv / "bin" / "lintra"), "rules"], capture_output=True, text=True, timeout=120,
                           cwd=str(tmp_path))
    assert rules.returncode == 0 and "LK101" in rules.stdout
    check = subprocess.run([str(venv / "bin" / "lintra"), "check", os.path.join(ROOT, "examples")],
                           capture_output=True, text=True, timeout=120, cwd=str(tmp_path))
    assert check.returncode == 1 and "LK102" in check.stdout
