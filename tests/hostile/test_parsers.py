"""Class 6: every reader is bounded. Bombs, cycles, odd tags, huge numbers, unknown encodings,
forged archive headers and exports of the wrong shape are a located error of that file (LT000
syntax or LT002 limit), with the file's ``files`` entry saying why, and every format parses."""

import gzip
import io
import json
import re
import tarfile
import zipfile

import pytest

from tests.hostile.harness import every_format, lintra

K8S = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n"


def bomb(levels):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def one(tmp_path, name, content, *extra):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = every_format([name], str(tmp_path), extra)
    [record] = out["json"]["files"]
    return out, record


def test_an_alias_bomb_counts_scalars(tmp_path):
    out, record = one(tmp_path, "bomb.yaml", K8S + "  " + bomb(7).replace("\n", "\n  ").rstrip() + "\n")
    assert len(bomb(7)) < 1000  # seven levels of ten: ten million scalars from under a kilobyte
    assert record["status"] == "error" and record["reason"].startswith("aliases expand to more than 1000000 nodes")
    [finding] = out["json"]["findings"]
    # at the anchored list whose alias first went past the limit (a4, expanded ten times by a5)
    assert finding["rule_id"] == "LT002" and finding["line"] == 10


@pytest.mark.parametrize("text, reason, line", [
    ("a: &a {<<: *a}\n", "recursive merge key: a mapping merges itself", 1),
    ("x: &a {y: *a}\n", "recursive alias: a collection contains an alias to itself", 1),
    ("k: 1\nx: &a\n  - *a\n", "recursive alias: a collection contains an alias to itself", 2),
])
def test_recursive_aliases_and_merges_are_refused(tmp_path, text, reason, line):
    out, record = one(tmp_path, "cycle.yaml", text)
    assert (record["status"], record["reason"]) == ("error", reason)
    assert [(f["rule_id"], f["line"]) for f in out["json"]["findings"]] == [("LT002", line)]


def test_odd_tags_keep_the_text(tmp_path):
    text = K8S + "  a: !!bool maybe\n  b: !!int 0x\n  c: !!float nope\n  d: !!int " + "7" * 5000 + "\n"
    out, record = one(tmp_path, "tags.yaml", text)
    assert record["status"] == "scanned" and out["code"] == 0


def test_a_5000_digit_json_integer(tmp_path):
    out, record = one(tmp_path, "n.json", '{"apiVersion": "v1", "kind": "ConfigMap", "n": ' + "9" * 5000 + "}")
    assert record["status"] == "error" and record["reason"].startswith("JSON number too long to read")
    assert [f["rule_id"] for f in out["json"]["findings"]] == ["LT002"]


def test_an_unknown_xml_encoding(tmp_path):
    out, record = one(tmp_path, "vm.ovf", b'<?xml version="1.0" encoding="x-unheard-of"?><Envelope/>')
    assert record["status"] == "error" and "encoding" in record["reason"]
    assert [f["rule_id"] for f in out["json"]["findings"]] == ["LT000"]


def test_long_xml_text_in_many_pieces(tmp_path):
    body = "a&amp;" * 300_000  # expat hands text over piece by piece around every entity
    out, record = one(tmp_path, "vm.ovf", f'<Envelope><VirtualSystem id="v"><Name>{body}</Name></VirtualSystem></Envelope>')
    assert record["status"] == "scanned"


def test_a_gzip_ova_is_not_inflated(tmp_path):
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as archive:
        info = tarfile.TarInfo("vm.ovf")
        info.size = 10
        archive.addfile(info, io.BytesIO(b"<Envelope/"))
    out, record = one(tmp_path, "vm.ova", gzip.compress(tar.getvalue()))
    assert record["status"] == "error" and record["reason"].startswith("not a readable OVA (uncompressed tar) archive")


def test_an_ova_descriptor_declaring_a_huge_size(tmp_path):
    info = tarfile.TarInfo("vm.ovf")
    info.size = 1 << 36  # 64 GiB declared; the file holds a few bytes
    out, record = one(tmp_path, "vm.ova", info.tobuf() + b"<Envelope/>")
    assert record["status"] == "error" and record["reason"] == "OVA descriptor 'vm.ovf' larger than 32 MiB"


def xlsx(dimension=None):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "vInfo"
    sheet.append(["VM", "HW version"])
    sheet.append(["web01", "19"])
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert dimension.encode() in data
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_with_a_forged_dimension(tmp_path):
    out, record = one(tmp_path, "RVTools.xlsx", xlsx("A1:XFD1048576"))
    assert record["status"] == "scanned" and record["documents"] == 1


def test_an_xlsx_zip_bomb(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                member.write(chunk)
    out, record = one(tmp_path, "RVTools.xlsx", data.getvalue())
    assert record["status"] == "error" and record["reason"] == \
        "xlsx members inflate to more than 256 MiB (zip bomb?)"


@pytest.mark.parametrize("config", [
    {"vAppConfig": {"ovfEnvironmentTransport": 5}},
    {"cpuAffinity": {"affinitySet": 7}},
    {"extraConfig": 3},
    {"hardware": {"device": [{"capacityInKB": 1, "backing": 5}]}},
])
def test_govc_json_of_unexpected_shape(tmp_path, config):
    export = {"virtualMachines": [{"name": "web01", "config": dict(config, guestId="rhel8_64Guest")}]}
    out, record = one(tmp_path, "vm.json", json.dumps(export))
    assert record["status"] in ("error", "scanned")
    if record["status"] == "error":
        assert record["reason"].startswith("vSphere export of unexpected shape")
        assert [f["rule_id"] for f in out["json"]["findings"]] == ["LT000"]


def test_no_traceback_on_a_cycle_through_standard_input(tmp_path):
    run = lintra(["check", "-f", "json", "--stdin-filename", "x.yaml", "--", "-"], str(tmp_path),
                 stdin=b"x: &a {y: *a}\n")
    assert run.code == 1 and run.json()["files"][0]["reason"].startswith("recursive alias")
