"""Long hostile lines must parse in linear time: a hang is worse than any finding.

Each case took minutes with the regular expressions these parsers used before; the subprocess
timeout only catches a hang, it is not a speed target (those live in benchmarks/)."""

import subprocess
import sys

import pytest

CASES = {
    "braces.yaml": "a: b: c\n# " + "{{" * 100_000,
    "spaces.vmx": 'config.version = "8"\nfoo' + " " * 500_000 + "x\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_long_hostile_line_is_reported_not_hung(tmp_path, name):
    (tmp_path / name).write_text(CASES[name])
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "--isolated", "-f", "json", str(tmp_path / name)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert f'"file": "{tmp_path / name}"' in proc.stdout


def test_vmx_values_quoted_unquoted_and_commented():
    from lintra.load.vsphere.vmx import parse

    entries = parse('a = "x # y"  # note\nB = plain # c\nc = "q" tail\n')
    assert {k: v[0] for k, v in entries.items()} == {"a": "x # y", "b": "plain", "c": '"q" tail'}
    assert entries["a"][1].column == 6 and entries["b"][1].column == 5
