"""--output files that two formats would share: every output stays one valid document."""

import json
import os
import subprocess
import sys

import pytest

from tests.hostile.harness import environment, lintra

COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


@pytest.mark.parametrize("second", ["report", "./report", "sub/../report"])
def test_two_formats_naming_one_file_is_a_usage_error(tmp_path, second):
    """The SARIF silently replaced the JSON in ``report`` (exit 1, one document where two were asked)."""
    (tmp_path / "s.yaml").write_text(COUPLED)
    (tmp_path / "sub").mkdir()
    run = lintra(["check", "-f", "json", "-o", "report", "-f", "sarif", "-o", second, "--", "s.yaml"], str(tmp_path))
    assert run.code == 2 and not (tmp_path / "report").exists()
    assert run.stderr == (f"Error: --output {second}: both --format json and --format sarif would write it, and the last "
                          "would replace the first; give each format its own file\n")


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_an_output_that_is_standard_output_beside_a_format_on_it(tmp_path):
    """``-f json -o /dev/stdout -f sarif`` wrote a JSON document and a SARIF one into one stream."""
    (tmp_path / "s.yaml").write_text(COUPLED)
    with open(tmp_path / "out", "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "lintra", "check", "-f", "json", "-o", "/dev/stdout", "-f", "sarif",
                               "--", "s.yaml"], cwd=tmp_path, stdout=out, stderr=subprocess.PIPE,
                              env=environment(str(tmp_path)))
    assert proc.returncode == 2 and (tmp_path / "out").read_bytes() == b""
    assert proc.stderr.decode() == ("Error: --output /dev/stdout is standard output, where another --format writes too; "
                                    "give it a file\n")


def test_dev_null_may_take_several_formats_and_distinct_files_are_written(tmp_path):
    (tmp_path / "s.yaml").write_text(COUPLED)
    run = lintra(["check", "-f", "json", "-o", os.devnull, "-f", "sarif", "-o", os.devnull, "-f", "gitlab", "-o", "gl.json",
                  "-f", "junit", "-o", "j.xml", "--", "s.yaml"], str(tmp_path))
    assert run.code == 1 and run.stdout == ""
    assert json.loads((tmp_path / "gl.json").read_text())[0]["location"] == {"path": "s.yaml", "lines": {"begin": 5, "end": 5}}
    assert (tmp_path / "j.xml").read_text().startswith("<?xml")
