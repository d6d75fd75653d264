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


def test_wheel_and_sdist_ship_the_prebuilt_entries_and_a_first_run_uses_them(wheel, tmp_path):
    """The shipped entries of the built-in packs and profiles (lintra/shipped/) are in both
    distributions, and an installed (not editable) copy's first run finds them: it compiles no pack
    and writes nothing to an empty cache directory."""
    import tarfile

    shipped = ["lintra/shipped/packrules.json", "lintra/shipped/profiles.json"]
    names = zipfile.ZipFile(wheel).namelist()
    assert all(name in names for name in shipped)
    out = tmp_path / "sdist"
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out), ROOT],
                   check=True, capture_output=True, timeout=600)
    sdist, = out.glob("lintra-*.tar.gz")
    members = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    assert all(name in members for name in shipped)
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    (tmp_path / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
                                      "provisioner: ebs.csi.aws.com\n")
    probe = ("import sys\nimport lintra.policy.pack as pack\n"
             "def compiled(*args):\n    raise SystemExit('a pack was compiled')\n"
             "pack._compile_file = compiled\n"
             "from lintra.cli.entry import main\nsys.argv[0] = 'lintra'\nmain()\n")
    cache_dir = tmp_path / "cache"
    env = dict(os.environ, PYTHONPATH=str(installed), LINTRA_CACHE_DIR=str(cache_dir), XDG_CONFIG_HOME=str(tmp_path))
    check = subprocess.run([sys.executable, "-c", probe, "check", "sc.yaml"], capture_output=True, text=True,
                           timeout=120, cwd=str(tmp_path), env=env)
    assert check.returncode == 1 and "LK201" in check.stdout, check.stderr
    where = subprocess.run([sys.executable, "-c", "import lintra; print(lintra.__file__)"], capture_output=True,
                           text=True, check=True, cwd=str(tmp_path), env=env).stdout
    assert str(installed) in where
    assert not cache_dir.exists()
