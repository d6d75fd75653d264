"""Property-based fuzzing of every reader and every format on mutated real files from ../shared.

Seeds are real files (a Heat template, Kubernetes manifests in YAML and JSON, .vmx, OVF, vSphere
API JSON) plus an OVA, an RVTools CSV and an xlsx built from them; hypothesis flips bytes,
truncates and splices one seed into another. Each mutant goes through the whole pipeline (so
detectors and rules see it too) and all six formats: no exception may escape, and every output
must be strict UTF-8 and parse (JSON, XML, one workflow command per line).

Reproducible and bounded: ``derandomize`` with no example database, a fixed number of examples per
seed (about two minutes in all on a shared CI runner), no deadline (no timing assertion).
"""

import io
import json
import os
import tarfile
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED

SEEDS = {
    "heat.yaml": "corpus/tripleo-heat-templates/extraconfig/post_deploy/undercloud_post.yaml",
    "deploy.yaml": "corpus/examples/AI/vllm-deployment/vllm-deployment.yaml",
    "claim.json": "corpus/examples/_archived/persistent-volume-provisioning/claim1.json",
    "vm.vmx": "vsphere/vmx/test-i-vmx-1.vmx",
    "vm.ovf": "vsphere/ovf/photon5.ovf",
    "vminfo.json": "vsphere/vsphere-api-json/vminfo.json",
}
RVTOOLS_CSV = (b"VM,Powerstate,HW version,Firmware,Latency Sensitivity,FT State\n"
               b"web01,poweredOn,19,efi,high,running\ndb01,poweredOff,14,bios,normal,notConfigured\n")
FUZZ = settings(max_examples=int(os.environ.get("LINTRA_FUZZ_EXAMPLES", "100")), deadline=None, derandomize=True,
                database=None, suppress_health_check=list(HealthCheck))


def _read(relative):
    with open(os.path.join(SHARED, relative), "rb") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def seeds():
    if not os.path.isdir(SHARED):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    found = {name: _read(path) for name, path in SEEDS.items()}
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as archive:
        info = tarfile.TarInfo("photon5.ovf")
        info.size = len(found["vm.ovf"])
        archive.addfile(info, io.BytesIO(found["vm.ovf"]))
    found["vm.ova"] = tar.getvalue()
    found["RVTools_tabvInfo.csv"] = RVTOOLS_CSV
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "vInfo"
    for line in RVTOOLS_CSV.decode().splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    found["RVTools.xlsx"] = buffer.getvalue()
    return found


@pytest.fixture(scope="module")
def registry():
    from lintra.plugins import load_registry

    return load_registry()


@st.composite
def mutants(draw, seed: bytes, others):
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "truncate", "splice", "insert"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[at:]
        elif action == "splice":
            other = draw(st.sampled_from(others))
            start = draw(st.integers(0, max(len(other) - 1, 0)))
            data[at:at] = other[start:start + draw(st.integers(1, 512))]
        else:
            data[at:at] = draw(st.sampled_from([b"\x00", b"\x1b]0;x\x07", b"&a", b"*a", b"<<: ", b"\xff\xfe",
                                                b"\\ud800", b"\n::error::x\n", b"{{", b"!!bool ", b"[" * 300]))
    return bytes(data)


def check_every_format(result, registry, root):
    from lintra.report.github import write as github

    for name, fmt in sorted(registry.formats.items()):
        stream = io.StringIO()
        fmt.write(result, stream, {"root": root, "verbose": True, "color": False})
        text = stream.getvalue()
        text.encode("utf-8")  # strict: what a LANG=C.UTF-8 stdout accepts
        if name in ("json", "sarif", "gitlab"):
            json.loads(text)
        elif name == "junit":
            ET.fromstring(text.encode("utf-8"))
        elif fmt.write is github:
            assert all(line.startswith(("::", "lintra: ")) for line in text.splitlines()), text


@pytest.mark.parametrize("name", sorted(list(SEEDS) + ["vm.ova", "RVTools_tabvInfo.csv", "RVTools.xlsx"]))
def test_mutated_real_files_never_crash_a_reader_or_a_format(name, seeds, registry, tmp_path_factory):
    from lintra.pipeline import run

    directory = tmp_path_factory.mktemp("fuzz")
    path = os.path.join(str(directory), name)
    others = [data for key, data in sorted(seeds.items()) if key != name]

    @FUZZ
    @given(data=mutants(seeds[name], others))
    def fuzz(data):
        with open(path, "wb") as handle:
            handle.write(data)
        result = run([path], registry=registry)
        assert len(result.files) >= 1 and result.files[0].status in ("scanned", "skipped", "error")
        assert not [f for f in result.findings if f.rule.id == "LT900"], [f.message for f in result.findings]
        check_every_format(result, registry, str(directory))

    fuzz()
