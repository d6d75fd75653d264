"""vSphere readers: every export format into one VM model, findings located in the source file."""

import io
import json
import os
import tarfile

import pytest

from lintra.load.vsphere.model import bus_sharing, controller_type, disk_mode, nic_type
from lintra.pipeline import run
from tests.conftest import ROOT, SHARED, where

VSPHERE = os.path.join(SHARED, "vsphere")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "vsphere")


@pytest.fixture
def vsphere():
    if not os.path.isdir(VSPHERE):
        pytest.skip("../shared/vsphere is absent (it sits beside the checkout in CI)")
    return VSPHERE



@pytest.mark.parametrize("spellings, normal", [
    (["VirtualVmxnet3", "vmxnet3", "VmxNet3", "Vmxnet3", "VMXNET3"], "vmxnet3"),
    (["VirtualE1000e", "E1000E", "e1000e"], "e1000e"),
    (["VirtualSriovEthernetCard", "SriovEthernetCard", "sriov"], "sriov"),
])
def test_nic_spellings(spellings, normal):
    assert {nic_type(s) for s in spellings} == {normal}


def test_controller_and_disk_spellings():
    assert {controller_type(s) for s in ("pvscsi", "ParaVirtualSCSIController", "VirtualSCSI", "ParaVirtual")} == {"pvscsi"}
    assert disk_mode("independent-persistent") == disk_mode("independent_persistent") == disk_mode("Independent Persistent")
    assert bus_sharing("physicalSharing") == bus_sharing("physical") == "physical"


def test_vmx_samples_locations(vsphere):
    result = run([os.path.join(vsphere, "vmx")])
    found = {(os.path.basename(f.file), f.rule.id, f.span.line, f.span.column) for f in result.findings}
    assert ("test-i-vmx-1.vmx", "LV112", 29, 21) in found   # scsi0.virtualDev = "pvscsi"
    assert ("test-i-vmx-1.vmx", "LV111", 39, 25) in found   # ethernet0.virtualDev = "vmxnet3"
    assert ("test-i-vmx-4.vmx", "LV111", 0, 0) not in found
    # sched.cpu.affinity = "all" (three samples) is no pinning; nothing else couples in them.
    assert {rule for _, rule, _, _ in found} == {"LV111", "LV112"}
    assert all(r.status == "scanned" and r.kinds == ("vsphere-vm",) for r in result.files)


def test_vsphere_api_json_samples(vsphere):
    result = run([os.path.join(vsphere, "vsphere-api-json")])
    status = {os.path.basename(r.file): (r.status, r.kinds) for r in result.files if r.file.endswith(".json")}
    assert status["vminfo.json"] == ("scanned", ("vsphere-vm",))
    assert status["retrieveResult.json"][0] == "skipped"  # a Folder, no VM
    located = {(os.path.basename(f.file), f.rule.id, f.span.line) for f in result.findings}
    # _typeName is the last key in the "at-end" sample, so every line there is one lower.
    assert {("vminfo.json", "LV112", 188), ("vminfo.json", "LV111", 290),
            ("vminfo-typename-at-end.json", "LV112", 187)} <= located
    with open(os.path.join(vsphere, "vsphere-api-json", "vminfo.json")) as handle:
        assert '"_typeName": "ParaVirtualSCSIController"' in handle.read().splitlines()[187]


def test_ovf_samples_locations_and_accounting(vsphere):
    result = run([os.path.join(vsphere, "ovf")])
    assert not [f for f in result.findings if f.rule.id == "LT900"]
    on_disk = sum(1 for d, _, names in os.walk(os.path.join(vsphere, "ovf")) for n in names if n.lower().endswith(".ovf"))
    assert len(result.files) == on_disk
    located = {(os.path.relpath(f.file, vsphere), f.rule.id, f.span.line, f.span.column) for f in result.findings}
    assert ("ovf/external/vdg-vm.ovf", "LV106", 63, 10) in located          # SriovEthernetCard
    assert ("ovf/external/vtpm-ovf/vtpm-spec-with-nvram.ovf", "LV107", 110, 10) in located
    assert ("ovf/external/pci-passthrough/ah/AH-VM-1.ovf", "LV105", 99, 10) in located
    assert ("ovf/configspec.ovf", "LV113", 53, 6) in located                  # com.vmware.guestInfo
    errors = sorted((os.path.basename(f.file), f.span.line) for f in result.findings if f.rule.id == "LT000")
    assert errors == [("item_msgid.ovf", 41), ("item_msgid_elename.ovf", 41)]


def test_govc_vm_info_infers_device_types():
    result = run([os.path.join(FIXTURES, "govc-vm-info.json")])
    assert sorted(where(result)) == [
        ("LV101", 23, 87), ("LV102", 18, 43), ("LV102", 20, 101), ("LV103", 24, 38),
        ("LV107", 30, 13), ("LV111", 26, 13), ("LV112", 17, 13), ("LV113", 35, 11), ("LV115", 11, 29)]
    # Network adapter 2 has no VMXNET3-only field: its model cannot be told, so nothing is said.


def test_govc_object_collect_json_stream(tmp_path):
    update = [{"name": "config", "op": "assign", "val": {"name": "a", "hardware": {"device": [
        {"key": 4000, "deviceInfo": {"label": "Network adapter 1"}, "macAddress": "m", "sriovBacking": {}}]}}}]
    devices = [{"key": 1000, "deviceInfo": {"label": "SCSI controller 0", "summary": "VMware paravirtual SCSI"},
                "busNumber": 0, "sharedBus": "noSharing"}]
    (tmp_path / "collect.json").write_text(json.dumps(update) + "\n" + json.dumps(devices) + "\n")
    result = run([str(tmp_path)])
    assert result.files[0].documents == 2
    untyped_nic = json.dumps(update).index('{"key": 4000') + 1  # no type name: the entry itself
    assert sorted(where(result)) == [("LV106", 1, untyped_nic), ("LV112", 2, 2)]


def test_govc_pascal_case_and_device_info(tmp_path):
    old = {"VirtualMachines": [{"Name": "a", "Config": {"Name": "a", "Hardware": {"Device": [
        {"Key": 4000, "MacAddress": "00:50:56:00:00:01", "UptCompatibilityEnabled": True}]}}}]}
    (tmp_path / "old.json").write_text(json.dumps(old, indent=1))
    info = {"devices": [{"name": "pvscsi-1000", "type": "ParaVirtualSCSIController"},
                        {"name": "ethernet-0", "type": "VirtualSriovEthernetCard"}]}
    (tmp_path / "devices.json").write_text(json.dumps(info, indent=1))
    result = run([str(tmp_path)])
    assert sorted((os.path.basename(f.file), f.rule.id) for f in result.findings) == [
        ("devices.json", "LV106"), ("devices.json", "LV112"), ("old.json", "LV111")]


def test_rvtools_csv_tabs():
    result = run([FIXTURES])
    csv = {(os.path.basename(f.file), f.rule.id, f.span.line, f.span.column, f.span.region)
           for f in result.findings if f.file.endswith(".csv")}
    # the column is the character where the cell's field starts on its line; the region names the cell
    assert ("RVTools_tabvDisk.csv", "LV101", 4, len("sql-01,Hard disk 2,True,") + 1, "vDisk!D4") in csv
    assert ("RVTools_tabvInfo.csv", "LV104", 3, len("sql-01,poweredOn,") + 1, "vInfo!C3") in csv
    assert ("RVTools_tabvNetwork.csv", "LV111", 3, len("sql-01,Network adapter 1,") + 1, "vNetwork!C3") in csv
    assert not [c for c in csv if c[1] == "LV104" and c[2] == 2]  # notConfigured is no FT


def test_rvtools_xlsx_joins_rows_per_vm(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    info = book.active
    info.title = "vInfo"
    info.append(["VM", "Powerstate", "FT State", "HW version"])
    info.append(["app-01", "poweredOn", "notConfigured", "19"])
    disk = book.create_sheet("vDisk")
    disk.append(["VM", "Disk", "Raw", "Raw Comp. Mode", "Disk Mode", "Sharing mode"])
    disk.append(["app-01", "Hard disk 1", "True", "virtualMode", "persistent", "sharingNone"])
    book.save(tmp_path / "rvtools.xlsx")
    result = run([str(tmp_path / "rvtools.xlsx")])
    finding, = result.findings
    assert (finding.rule.id, finding.span.region, finding.span.line) == ("LV101", "vDisk!D2", 2)
    assert result.files[0].documents == 1  # one VM joined across the two sheets


def test_csv_that_is_not_rvtools_is_skipped(tmp_path):
    (tmp_path / "data.csv").write_text("name,size\na,1\n")
    result = run([str(tmp_path)])
    assert [(r.status, r.reason) for r in result.files] == [("skipped", "CSV file that is not an RVTools export")]


def test_ova_descriptor_is_read(tmp_path):
    ovf = (b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" '
           b'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">'
           b'<VirtualSystem><VirtualHardwareSection><Item><rasd:ResourceType>10</rasd:ResourceType>'
           b'<rasd:ResourceSubType>VMXNET3</rasd:ResourceSubType></Item></VirtualHardwareSection></VirtualSystem></Envelope>')
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        member = tarfile.TarInfo("appliance.ovf")
        member.size = len(ovf)
        archive.addfile(member, io.BytesIO(ovf))
    (tmp_path / "appliance.ova").write_bytes(buffer.getvalue())
    column = ovf.index(b"rasd:ResourceSubType") + 1  # the element name, after its "<"
    assert where(run([str(tmp_path / "appliance.ova")])) == [("LV111", 1, column)]


def test_xml_entity_bomb_is_refused(tmp_path):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % (i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
            + ']>\n<Envelope>&lol9;</Envelope>\n')
    (tmp_path / "bomb.ovf").write_text(bomb)
    result = run([str(tmp_path / "bomb.ovf")])
    assert result.files[0].status == "error"
    assert [(f.rule.id, f.span.line) for f in result.findings] == [("LT002", 2)]


def test_vmx_syntax_error_is_located(tmp_path):
    (tmp_path / "bad.vmx").write_text('displayName = "x"\nthis line has no equals sign\n')
    assert where(run([str(tmp_path / "bad.vmx")])) == [("LT000", 2, 1)]


def test_json_that_is_not_vsphere_is_untouched(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "devices": 3}')
    result = run([str(tmp_path)])
    assert result.files[0].reason == "not an infrastructure document"


RVTOOLS4 = os.path.join(FIXTURES, "rvtools4")
#: the vDisk and vNetwork tabs of tests/fixtures/vsphere/rvtools4, as RVTools' display headers
VDISK_HEADER = ["VM", "Powerstate", "Disk", "Capacity MiB", "Raw", "Disk Mode", "Sharing mode", "Controller",
                "Label", "Shared Bus", "Path", "Raw Comp. Mode"]
VNETWORK_HEADER = ["VM", "Powerstate", "NIC label", "Adapter", "Network", "Switch", "Connected", "Mac Address"]


def _rows(name):
    import csv
    with open(os.path.join(RVTOOLS4, name), newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def test_rvtools_csv_reads_the_controller_model_and_adapter():
    result = run([RVTOOLS4])
    found = sorted((os.path.basename(f.file), f.rule.id, f.span.line, f.span.column, f.span.region)
                   for f in result.findings)
    # db-01's two disks share one PVSCSI controller (one finding, at the first disk's Controller
    # cell); app-01's LSI Logic SAS controller and E1000E adapter are no VMware-only devices
    assert found == [("RVTools_tabvDisk.csv", "LV112", 2,
                      len("db-01,poweredOn,Hard disk 1,40960,False,persistent,sharingNone,") + 1, "vDisk!H2"),
                     ("RVTools_tabvNetwork.csv", "LV111", 2, len("db-01,poweredOn,Network adapter 1,") + 1,
                      "vNetwork!D2")]


def test_rvtools_xlsx_reads_the_controller_model_and_adapter(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    info = book.active
    info.title = "vInfo"
    info.append(["VM", "Powerstate", "HW version", "OS according to the configuration file"])
    info.append(["db-01", "poweredOn", "19", "Microsoft Windows Server 2019 (64-bit)"])
    info.append(["app-01", "poweredOn", "19", "Red Hat Enterprise Linux 8 (64-bit)"])
    disk = book.create_sheet("vDisk")
    disk.append(VDISK_HEADER)
    for row in _rows("RVTools_tabvDisk.csv"):
        disk.append(row)
    network = book.create_sheet("vNetwork")
    network.append(VNETWORK_HEADER)
    for row in _rows("RVTools_tabvNetwork.csv"):
        network.append(row)
    book.save(tmp_path / "RVTools_export_all.xlsx")
    result = run([str(tmp_path / "RVTools_export_all.xlsx")])
    assert sorted((f.rule.id, f.span.region) for f in result.findings) == [
        ("LV111", "vNetwork!D2"), ("LV112", "vDisk!H2")]
    vms = {d.data["name"]: d.data for d in _documents(tmp_path / "RVTools_export_all.xlsx")}
    assert vms["db-01"]["controllers"] == [{"label": "SCSI controller 0", "type": "pvscsi", "bus_sharing": "none"}]
    assert vms["app-01"]["controllers"][0]["type"] == "lsilogicsas"
    assert vms["db-01"]["guest_os"] == "Microsoft Windows Server 2019 (64-bit)"


def _documents(path):
    from lintra.load.vsphere.rvtools import load_xlsx
    from lintra.model import Source
    return load_xlsx(Source(str(path), str(path)), path.read_bytes())


@pytest.mark.parametrize("raw, expected", [
    ("VMware paravirtual SCSI", "pvscsi"), ("LSI Logic SAS", "lsilogicsas"), ("LSI Logic", "lsilogic"),
    ("LSI Logic Parallel", "lsilogic"), ("BusLogic", "buslogic"), ("BusLogic Parallel", "buslogic"),
    ("SCSI controller 0", None)])
def test_controller_summaries_name_their_model(raw, expected):
    from lintra.load.vsphere.model import controller_type
    assert controller_type(raw) == expected


def test_rvtools_csv_internal_names_of_guest_os_and_disk(tmp_path):
    """vInfoOS is the configured guest OS and vInfoOSTools the one VMware Tools reports; vDiskName
    is the disk's name (the internal names open-source RVTools readers map to "OS according to the
    configuration file", "OS according to the VMware Tools" and "Disk")."""
    from lintra.load.vsphere.rvtools import load_csv
    from lintra.model import Source
    info = tmp_path / "RVTools_tabvInfo.csv"
    info.write_text("vInfoVMName,vInfoOSTools,vInfoOS\r\n"
                    "db-01,Microsoft Windows Server 2016 (64-bit),Microsoft Windows Server 2019 (64-bit)\r\n")
    docs = load_csv(Source(str(info), str(info)), info.read_text())
    assert docs[0].data["guest_os"] == "Microsoft Windows Server 2019 (64-bit)"
    disk = tmp_path / "RVTools_tabvDisk.csv"
    disk.write_text("vDiskVMName,vDiskName,vDiskController,vDiskSCSILabel,vDiskSharedBus\r\n"
                    "db-01,Hard disk 1,VMware paravirtual SCSI,SCSI controller 0,noSharing\r\n")
    result = run([str(disk)])
    assert [(f.rule.id, f.span.region) for f in result.findings] == [("LV112", "vDisk!C2")]
    docs = load_csv(Source(str(disk), str(disk)), disk.read_text())
    assert docs[0].data["controllers"] == [{"label": "SCSI controller 0", "type": "pvscsi", "bus_sharing": "none"}]


def test_rvtools_xlsx_accepts_both_spellings_of_disk_headers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    info = book.active
    info.title = "vInfo"
    info.append(["VM", "Powerstate"])
    info.append(["db-01", "poweredOn"])
    disk = book.create_sheet("vDisk")
    disk.append(["VM", "Disk", "Raw", "Raw Compatibility Mode", "Controller", "SCSI label", "SharedBus"])
    disk.append(["db-01", "Hard disk 1", "True", "physicalMode", "VMware paravirtual SCSI", "SCSI controller 1",
                 "physicalSharing"])
    network = book.create_sheet("vNetwork")
    network.append(VNETWORK_HEADER)
    network.append(["db-01", "poweredOn", "Network adapter 1", "VMXNET 3", "VM Network", "vSwitch0", "True",
                    "00:50:56:aa:bb:01"])
    book.save(tmp_path / "RVTools_export_all.xlsx")
    vms = {d.data["name"]: d.data for d in _documents(tmp_path / "RVTools_export_all.xlsx")}
    assert vms["db-01"]["controllers"] == [{"label": "SCSI controller 1", "type": "pvscsi", "bus_sharing": "physical"}]
    result = run([str(tmp_path / "RVTools_export_all.xlsx")])
    assert ("LV112", "vDisk!E2") in {(f.rule.id, f.span.region) for f in result.findings}
    assert ("LV111", "vNetwork!D2") in {(f.rule.id, f.span.region) for f in result.findings}


def _ova(path, members):
    """An uncompressed tar of ``(name, bytes or size)`` members; a size is a sparse member of zeros."""
    with tarfile.open(path, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, content in members:
            member = tarfile.TarInfo(name)
            if isinstance(content, int):
                member.size = content
                archive.addfile(member, io.BufferedReader(io.BytesIO(bytes(content))))
            else:
                member.size = len(content)
                archive.addfile(member, io.BytesIO(content))


_NIC_OVF = (b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" '
            b'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">'
            b'<VirtualSystem><VirtualHardwareSection><Item><rasd:ResourceType>10</rasd:ResourceType>'
            b'<rasd:ResourceSubType>VMXNET3</rasd:ResourceSubType></Item></VirtualHardwareSection></VirtualSystem></Envelope>')


def test_ova_larger_than_the_file_limit_is_read_from_its_descriptor(tmp_path, monkeypatch):
    # A real OVA carries its disk images after the descriptor (DSP0243 §5.3), so it is always far
    # larger than MAX_FILE_BYTES; it used to be refused whole: "LT002 larger than 32 MiB".
    monkeypatch.setattr("lintra.load.limits.MAX_FILE_BYTES", 64 * 1024)
    _ova(tmp_path / "appliance.ova", [("appliance.ovf", _NIC_OVF), ("appliance-disk1.vmdk", 256 * 1024)])
    assert os.path.getsize(tmp_path / "appliance.ova") > 256 * 1024
    result = run([str(tmp_path / "appliance.ova")])
    column = _NIC_OVF.index(b"rasd:ResourceSubType") + 1
    assert where(result) == [("LV111", 1, column)]
    assert [(r.status, r.documents) for r in result.files] == [("scanned", 1)]


def test_ova_whose_descriptor_lies_past_the_file_limit_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("lintra.load.limits.MAX_FILE_BYTES", 64 * 1024)
    _ova(tmp_path / "late.ova", [("late-disk1.vmdk", 256 * 1024), ("late.ovf", _NIC_OVF)])
    result = run([str(tmp_path / "late.ova")])
    assert [(f.rule.id, f.message) for f in result.findings] == [
        ("LT000", "OVA archive holds no .ovf descriptor in its first 65536 bytes (DSP0243 §5.3: the "
                  "descriptor is the first member)")]


def test_ova_descriptor_running_past_what_is_read_is_the_descriptor_limit(tmp_path, monkeypatch):
    # only the first MAX_FILE_BYTES of an .ova are read, and the descriptor limit equals them: a
    # descriptor (header at 0, data at 512) whose data ends past that head failed as "not a
    # readable OVA (uncompressed tar) archive: unexpected end of data" instead of the limit
    monkeypatch.setattr("lintra.load.limits.MAX_FILE_BYTES", 64 * 1024)
    monkeypatch.setattr("lintra.load.limits.MAX_OVA_DESCRIPTOR_BYTES", 64 * 1024)
    descriptor = _NIC_OVF + b" " * (64 * 1024 - 100 - len(_NIC_OVF))  # 65436 bytes: 512 + 65436 > 65536
    _ova(tmp_path / "big.ova", [("big.ovf", descriptor), ("big-disk1.vmdk", 256 * 1024)])
    result = run([str(tmp_path / "big.ova")])
    assert [(f.rule.id, f.message, f.span.line) for f in result.findings] == [
        ("LT002", "OVA descriptor 'big.ovf' larger than 65536 bytes", 1)]


def test_truncated_ova_within_the_read_head_is_unreadable(tmp_path):
    # a file cut short (smaller than what is read) is broken, not over a limit
    _ova(tmp_path / "cut.ova", [("cut.ovf", _NIC_OVF + b" " * 4096)])
    (tmp_path / "cut.ova").write_bytes((tmp_path / "cut.ova").read_bytes()[:2048])
    result = run([str(tmp_path / "cut.ova")])
    assert [(f.rule.id, f.message) for f in result.findings] == [
        ("LT000", "not a readable OVA (uncompressed tar) archive: unexpected end of data")]


def test_rvtools_csv_with_cr_line_ends_is_read(tmp_path):
    # Excel for Mac's "CSV (Macintosh)" ends lines with CR alone; the csv module reads them when the
    # text is given with newline="" (Python csv docs). It was skipped as "CSV file without a header"
    (tmp_path / "RVTools_tabvInfo.csv").write_bytes(
        b'vInfoVMName;vInfoAnnotation;vInfoFTState\rvm1;"two\rlines";notConfigured\rvm2;plain;running\r')
    result = run([str(tmp_path / "RVTools_tabvInfo.csv")])
    assert [(r.status, r.documents) for r in result.files] == [("scanned", 2)]
    assert [(f.rule.id, f.span.line, f.span.column, f.span.region) for f in result.findings] == [
        ("LV104", 4, len("vm2;plain;") + 1, "vInfo!C3")]


def test_rvtools_csv_record_with_a_quoted_line_break(tmp_path):
    # RVTools writes a VM's annotation as it is, line breaks included, quoted (RFC 4180): the
    # record spans two lines of the file but is one row of the sheet
    (tmp_path / "RVTools_tabvInfo.csv").write_bytes(
        b'vInfoVMName,vInfoFTState,vInfoAnnotation,vInfoLatencySensitivity\r\n'
        b'vm1,running,"owner: ops\r\nticket 12",high\r\n'
        b'vm2,running,plain,normal\r\n')
    result = run([str(tmp_path)])
    found = [(f.rule.id, f.span.line, f.span.column, f.span.region) for f in result.findings]
    # vm1's FT cell is on the record's first line, its latency cell after the break, on the next;
    # vm2 is on line 4 of the file and row 3 of the sheet
    # (columns: the character the field starts at on its line)
    assert found == [("LV104", 2, len("vm1,") + 1, "vInfo!B2"), ("LV114", 3, len('ticket 12",') + 1, "vInfo!D2"),
                     ("LV104", 4, len("vm2,") + 1, "vInfo!B3")]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_rvtools_csv_saved_with_another_separator(tmp_path, delimiter):
    # a tab re-saved by a spreadsheet under a locale whose decimal mark is the comma uses
    # semicolons; with a UTF-8 BOM, as such spreadsheets write it
    rows = [["vInfoVMName", "vInfoFTState", "vInfoMemory"], ["vm1", "running", "4,5"]]
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    (tmp_path / "RVTools_tabvInfo.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = run([str(tmp_path)])
    assert [(r.status, r.reason) for r in result.files] == [("scanned", None)]
    assert [(f.rule.id, f.span.line, f.span.column, f.span.region) for f in result.findings] == [
        ("LV104", 2, len("vm1;") + 1, "vInfo!B2")]


def test_rvtools_csv_span_covers_the_field_as_written(tmp_path):
    """A CSV finding spans the characters of its field, quotes included, so an editor (SARIF's
    region) highlights the value the user edits; a doubled quote is one character of the value
    but two of the file."""
    text = ('vInfoVMName,vInfoAnnotation,vInfoFTState,vInfoLatencySensitivity\n'
            'vm1,"says ""hi"", twice","running",high\n'
            'vm2,"a\nb",running,high\n')
    (tmp_path / "RVTools_tabvInfo.csv").write_text(text)
    result = run([str(tmp_path)])
    lines = text.split("\n")
    spans = [(f.rule.id, f.span.line, lines[f.span.line - 1][f.span.column - 1:f.span.end_column - 1], f.span.region)
             for f in sorted(result.findings, key=lambda f: (f.span.line, f.span.column))]
    assert spans == [("LV104", 2, '"running"', "vInfo!C2"), ("LV114", 2, "high", "vInfo!D2"),
                     ("LV104", 4, "running", "vInfo!C3"), ("LV114", 4, "high", "vInfo!D3")]


def test_a_csv_field_holding_a_line_break_spans_its_first_line():
    from lintra.load.vsphere.rvtools import _field_span

    record = ('vm2;"a\r\nb";x;"y"\r\n', ";")
    assert [(s.line, s.column, s.end_line, s.end_column) for s in (_field_span(record, 3, field, "r") for field in range(4))] == [
        (3, 1, 3, 4), (3, 5, 3, 7), (4, 4, 4, 5), (4, 6, 4, 9)]


def test_ovf_finding_spans_the_element_name_as_written(tmp_path):
    # the region covers "rasd:ResourceSubType" (prefix included) and "Item" exactly: end_column
    # is one past the name's last character
    (tmp_path / "a.ovf").write_bytes(_NIC_OVF.replace(b"<Item>", b"<Item><rasd:ElementName>nic</rasd:ElementName>"))
    result = run([str(tmp_path / "a.ovf")])
    text = result.findings[0]
    line = _NIC_OVF.replace(b"<Item>", b"<Item><rasd:ElementName>nic</rasd:ElementName>").decode()
    start = line.index("rasd:ResourceSubType") + 1
    assert (text.rule.id, text.span.line, text.span.column, text.span.end_line, text.span.end_column) == (
        "LV111", 1, start, 1, start + len("rasd:ResourceSubType"))
    assert line[text.span.column - 1:text.span.end_column - 1] == "rasd:ResourceSubType"


def test_ovf_vmware_config_span_covers_its_prefixed_name(tmp_path):
    ovf = (b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:vmw="http://www.vmware.com/schema/ovf">'
           b'<VirtualSystem><VirtualHardwareSection>'
           b'<vmw:Config vmw:key="nestedHVEnabled" vmw:value="true"/></VirtualHardwareSection></VirtualSystem></Envelope>')
    (tmp_path / "b.ovf").write_bytes(ovf)
    finding = run([str(tmp_path / "b.ovf")]).findings[0]
    written = ovf.decode()[finding.span.column - 1:finding.span.end_column - 1]
    assert (finding.rule.id, written) == ("LV117", "vmw:Config")


def test_vmx_span_covers_an_escaped_value_as_written(tmp_path):
    # .vmx values escape special characters as |XX (|23 is "#"): the value read is "db#1-rdmp.vmdk",
    # the text in the file, which the span must cover, is two characters longer per escape (|23
    # is three characters standing for one)
    line = 'scsi0:0.fileName = "db|231-rdmp.vmdk"'
    (tmp_path / "db.vmx").write_text(f'displayName = "db"\nscsi0:0.present = "TRUE"\n{line}\n')
    [finding] = run([str(tmp_path / "db.vmx")]).findings
    assert (finding.rule.id, finding.span.line) == ("LV101", 3)
    assert line[finding.span.column - 1:finding.span.end_column - 1] == "db|231-rdmp.vmdk"


@pytest.mark.parametrize("separator", ["\u2028", "\x0c", "\x85", "\x1e"])
def test_vmx_value_holding_a_unicode_line_separator(tmp_path, separator):
    # only CR and LF end a .vmx line; a display name pasted with U+2028 (or a form feed ...) is a
    # value like any other, not the end of a line: no LT000 and the next line keeps its number
    (tmp_path / "a.vmx").write_text(f'displayName = "web{separator}01"\nvhv.enable = "TRUE"\n', encoding="utf-8")
    assert where(run([str(tmp_path / "a.vmx")])) == [("LV117", 2, 15)]
