"""Class 6 at scale: the sizes the issue names either finish or stop at a documented limit (an
LT002 at the place it was crossed), with no hang and a peak RSS under 500 MB. Each case runs lintra
in a subprocess under ``LANG=C.UTF-8`` with an address-space cap; the generous timeout only detects
a hang (no timing is asserted), and the peak is the child's ``ru_maxrss`` (``RUSAGE_CHILDREN`` of a fresh helper process, which
reaps it).

Measured at the commit that added this file (2 cores shared with seven other jobs): 400k
documents 190 MB (cut at 100,000 documents), 300k List items 73 MB (cut at 250,000 nodes before
composing), 500k CSV rows 338 MB (cut at 200,000 rows), 1e6 .vmx keys 419 MB (scanned), 1,000
nested Heat templates referenced 5,000 times each 229 MB (cut at 16 MiB of nested templates,
after t121.yaml)."""

import json
import os
import resource
import subprocess
import sys

import pytest

from tests.hostile.harness import environment

PEAK_MB = 500
CAP = 1536 << 20  # far above the bound, so a breach shows as a number, not as a MemoryError
HANG = 1800


_HELPER = r"""
import json, os, resource, subprocess, sys
args, cwd, env, cap, hang = json.loads(sys.argv[1])
with open(os.path.join(cwd, ".report.json"), "wb") as out, open(os.path.join(cwd, ".stderr"), "wb") as err:
    proc = subprocess.Popen([sys.executable, "-m", "lintra", "check", "--format", "json", "--jobs", "1", *args],
                            cwd=cwd, stdout=out, stderr=err, env=env,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
    try:
        proc.wait(timeout=hang)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        timed_out = True
print(json.dumps({"code": proc.returncode, "timed_out": timed_out,
                  "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measured(args, cwd):
    """Run lintra from a fresh helper process, so RUSAGE_CHILDREN's peak is this run's alone."""
    env = environment(os.path.join(str(cwd), ".xdg"))
    helper = subprocess.run([sys.executable, "-c", _HELPER, json.dumps([list(args), str(cwd), env, CAP, HANG])],
                            capture_output=True, timeout=HANG + 120)
    result = json.loads(helper.stdout)
    assert not result["timed_out"], f"no result within {HANG} s: a hang"
    with open(os.path.join(str(cwd), ".stderr"), "rb") as handle:
        stderr = handle.read().decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    with open(os.path.join(str(cwd), ".report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    return result["code"], report, result["peak"]


def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    return tmp_path


def lt002(report):
    return [(os.path.basename(f["file"]), f["line"], f["message"]) for f in report["findings"] if f["rule_id"] == "LT002"]


def test_400k_documents_stop_at_the_document_limit(tmp_path):
    tree = repo(tmp_path)
    with open(tree / "many.yaml", "w") as handle:
        for i in range(400_000):
            handle.write(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n")
    code, report, peak = measured(["--", "many.yaml"], tree)
    # document 100,001 begins on line 4 * 100,000 + 1; its first node is on the next line
    assert (code, lt002(report)) == (1, [("many.yaml", 400_002, "more than 100000 documents in one file")])
    assert [f["status"] for f in report["files"]] == ["error"]
    assert peak < PEAK_MB, peak


def test_300k_list_items_stop_before_composing(tmp_path):
    tree = repo(tmp_path)
    with open(tree / "list.yaml", "w") as handle:
        handle.write("apiVersion: v1\nkind: List\nitems:\n")
        for i in range(300_000):
            handle.write(f"- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}}}\n")
    code, report, peak = measured(["--", "list.yaml"], tree)
    # nodes: the root mapping and its 5 (apiVersion, v1, kind, List, items) + the items sequence =
    # 7; each item is 9 (mapping, 3 pairs, metadata mapping, 1 pair): node 250,001 is item
    # (250,001 - 7 - 1) // 9 = 27,777 (0-based), on line 27,777 + 4
    (finding,) = lt002(report)
    assert finding[::2] == ("list.yaml", "a document with more than 250000 nodes") and finding[1] == 27_781
    assert code == 1 and peak < PEAK_MB, peak


def test_500k_csv_rows_stop_at_the_row_limit(tmp_path):
    tree = repo(tmp_path)
    with open(tree / "RVTools_tabvInfo.csv", "w") as handle:
        handle.write("vInfoVMName,vInfoFTState,vInfoHWVersion,vInfoFirmware\n")
        for i in range(500_000):
            handle.write(f"vm{i},notConfigured,vmx-19,efi\n")
    code, report, peak = measured(["--", "RVTools_tabvInfo.csv"], tree)
    assert (code, lt002(report)) == (1, [("RVTools_tabvInfo.csv", 200_001, "RVTools tab vInfo has more than 200000 rows")])
    assert peak < PEAK_MB, peak


def test_a_million_vmx_keys_are_scanned(tmp_path):
    tree = repo(tmp_path)
    with open(tree / "big.vmx", "w") as handle:
        handle.write('.encoding = "UTF-8"\nvirtualHW.version = "19"\nscsi0.virtualDev = "pvscsi"\nscsi0.present = "TRUE"\n')
        for i in range(1_000_000):
            handle.write(f'k{i} = "v"\n')
    code, report, peak = measured(["--", "big.vmx"], tree)
    assert [(f["status"], f["documents"]) for f in report["files"]] == [("scanned", 1)]
    # the one coupling in the file: the PVSCSI controller (LV112) on line 3
    assert [(f["rule_id"], f["line"]) for f in report["findings"]] == [("LV112", 3)]
    assert code == 0 and peak < PEAK_MB, peak  # LV112 is a warning: the default profile passes


def test_1000_nested_heat_templates_referenced_5000_times_each_stop_at_the_byte_limit(tmp_path):
    """A chain: t0 references t1 5,000 times, t1 references t2 5,000 times ... t999 (140 MB in
    all). lintra reads each template once, and stops adding nested templates at 16 MiB."""
    tree = repo(tmp_path)
    for n in range(1000):
        with open(tree / f"t{n}.yaml", "w") as handle:
            handle.write("heat_template_version: 2018-08-31\nresources:\n")
            if n == 999:
                handle.write("  net:\n    type: OS::Contrail::VirtualNetwork\n")
                continue
            for r in range(5000):
                handle.write(f"  r{r}:\n    type: t{n + 1}.yaml\n")
    total, first_refused = 0, None
    for n in range(1, 1000):  # the nested templates that fit in 16 MiB, in the order they are reached
        total += os.path.getsize(tree / f"t{n}.yaml")
        if total > 16 << 20:
            first_refused = n
            break
    read = first_refused - 1
    code, report, peak = measured(["--", "t0.yaml"], tree)
    statuses = {os.path.basename(f["file"]): f["status"] for f in report["files"]}
    # what was reached is accounted for: the templates read, and the one refused (the rest are
    # referenced only from it, so nothing names them)
    assert statuses == {**{f"t{n}.yaml": "scanned" for n in range(read + 1)}, f"t{first_refused}.yaml": "skipped"}
    (finding,) = lt002(report)
    assert finding[0] == f"t{read}.yaml" and finding[1] == 4  # the first reference (r0's type:) of that template
    assert finding[2].startswith(f"nested template t{first_refused}.yaml not read: a run reads at most 16 MiB")
    assert code == 1 and peak < PEAK_MB, peak
