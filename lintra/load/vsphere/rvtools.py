"""RVTools exports: the xlsx workbook and its per-tab CSV files (``RVTools_tabvInfo.csv`` ...).

RVTools names each tab's columns with display headers in the workbook (``VM``, ``FT State``,
``Disk Mode``, ``Sharing mode``) and with internal names in CSV exports (``vInfoVMName``,
``vInfoFTState``, ``vDiskDiskMode``): both are matched after dropping the tab prefix, spaces and
punctuation, case-insensitively. In the workbook, rows of every tab are joined per VM into one
model; a CSV file holds one tab, so it yields one partial model per VM with that tab's facts.

The columns read, as RVTools 4.x names them (the tab descriptions of the RVTools documentation
that ships with RVTools, https://www.robware.net/download, and the vSphere API properties each
column copies). That documentation is not public text we could check against, and no real export
is public either, so each name was cross-checked with open-source readers of real RVTools exports
that map the CSV's internal names to the workbook's display headers (sbroenne/RVToolsMerge
``SheetConfiguration.cs``: ``vInfoVMName`` -> ``VM``, ``vInfoOS`` -> ``OS according to the
configuration file``, ``vInfoOSTools`` -> ``OS according to the VMware Tools``; other readers give
``vDiskName`` -> ``Disk``, ``vDiskDiskMode`` -> ``Disk Mode``, ``vNetworkAdapter`` -> ``Adapter``);
where readers disagree on a display header both spellings are accepted:

- vInfo: ``VM``; ``FT State`` (``VirtualMachineRuntimeInfo.faultToleranceState``); ``HW version``
  (``config.version``); ``Firmware`` (``config.firmware``); ``Latency Sensitivity``
  (``config.latencySensitivity.level``); ``OS according to the configuration file`` (internal
  name ``vInfoOS``; ``config.guestFullName``), not ``OS according to the VMware Tools``
  (``vInfoOSTools``, what the running guest reports).
- vCPU and vMemory: ``Hot Add`` (``config.cpuHotAddEnabled`` / ``memoryHotAddEnabled``).
- vDisk: ``Disk`` (internal ``vDiskName`` or ``vDiskDisk``), ``Raw``, ``Raw Comp. Mode`` (also
  spelled ``Raw Compatibility Mode``), ``Disk Mode``, ``Sharing mode``, ``Path``; ``Controller``
  and ``Label`` (``SCSI label`` in some readers): the disk's controller, whose model RVTools 4.x
  writes as the device summary vSphere reports (``VMware paravirtual SCSI``, ``LSI Logic SAS``,
  ``LSI Logic``, ``BusLogic``), beside its label (``SCSI controller 0``); ``Shared Bus`` or
  ``SharedBus`` (the controller's ``sharedBus``). Each controller is one model entry per VM however
  many disks sit on it.
- vNetwork: ``NIC label``, ``Adapter`` (``Vmxnet3``, ``E1000E``, ``SriovEthernetCard`` ...).
- vUSB: the device column.

RVTools has no column for vTPM, VMCI, PCI passthrough, encryption or guestinfo, so those rules
cannot fire on RVTools input (see the README's detection table).
"""

from __future__ import annotations

import csv
import io
import os
import re

from lintra.load import LoadError, Skip, lines
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.load.vsphere.model import (VmBuilder, bus_sharing, controller_type, disk_mode, nic_type,
                                       truthy)
from lintra.model import Source, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterable, Iterator, List, Optional, Tuple, TypeAlias

TABS = ("vInfo", "vCPU", "vMemory", "vDisk", "vNetwork", "vUSB")
_NORMALISE = re.compile(r"[^a-z0-9]")
#: normalised header -> model column, per tab (display header and internal name both map here)
_COLUMNS = {
    "vInfo": {"vm": "vm", "vmname": "vm", "ftstate": "ft", "hwversion": "hw", "firmware": "firmware",
              "latencysensitivity": "latency", "osaccordingtotheconfigurationfile": "os", "os": "os",
              "osconfig": "os"},
    "vCPU": {"vm": "vm", "vmname": "vm", "hotadd": "hotadd"},
    "vMemory": {"vm": "vm", "vmname": "vm", "hotadd": "hotadd"},
    "vDisk": {"vm": "vm", "vmname": "vm", "disk": "disk", "name": "disk", "raw": "raw", "rawcompmode": "rawmode",
              "rawcommode": "rawmode", "rawcompatibilitymode": "rawmode", "diskmode": "mode",
              "sharingmode": "sharing", "path": "path", "sharedbus": "sharedbus", "controller": "controller",
              "label": "controllerlabel", "scsilabel": "controllerlabel"},
    "vNetwork": {"vm": "vm", "vmname": "vm", "niclabel": "nic", "adapter": "adapter"},
    "vUSB": {"vm": "vm", "vmname": "vm", "device": "device", "devicename": "device", "label": "device"},
}

Row: TypeAlias = "Dict[str, Tuple[str, Cell]]"


class Cell:
    """Where a cell's value came from, as the model's places resolve it (``Place.resolve``). It
    keeps a few small fields and makes the span only when a finding needs it: a tab of 200,000 rows
    keeps a place for several cells of each, and a Span with its region text costs three times as
    much. ``column`` is the sheet's column (A is 1); in a CSV file the span is the field's
    characters as written (quotes included), found in the record's text (``record``, shared by
    the cells of its row) when asked for."""

    __slots__ = ("line", "column", "tab", "row", "record")

    def __init__(self, line: int, column: int, tab: str, row: "int | None" = None,
                 record: "Tuple[str, str] | None" = None) -> None:
        self.line, self.column, self.tab = line, column, tab
        #: the sheet row, where it is not the line (a CSV record after a quoted multi-line value)
        self.row = row
        #: a CSV cell: the raw text of its record, which starts on ``line``, and its delimiter
        self.record = record

    @property
    def span(self) -> Span:
        region = f"{self.tab}!{_letter(self.column - 1)}{self.line if self.row is None else self.row}"
        if self.record is None:  # xlsx: a cell, not a run of characters
            return Span(self.line, self.column, region=region)
        return _field_span(self.record, self.line, self.column - 1, region)

    def resolve(self, source: object = None) -> Span:
        return self.span


def _tab_of_csv(name: str, header: List[str]) -> Optional[str]:
    base = os.path.basename(name)
    for tab in TABS:
        if re.search(rf"tab{tab}\b|^{tab}\b", base, re.I) or (header and header[0].lower().startswith(tab.lower())):
            return tab
    return None


def _columns(tab: str, header: List[str]) -> Dict[int, str]:
    wanted = _COLUMNS[tab]
    out = {}
    for i, title in enumerate(header):
        key = _NORMALISE.sub("", str(title or "").lower())
        if key.startswith(tab.lower()) and key != tab.lower():
            key = key[len(tab):]
        if key in wanted and wanted[key] not in out.values():
            out[i] = wanted[key]
    return out


#: the separators a CSV tab is written with: RVTools writes commas, a spreadsheet saving it under a
#: locale whose decimal mark is the comma writes semicolons, and some exports use tabs
_DELIMITERS = (",", ";", "\t")


def _delimiter(text: str) -> str:
    """The separator of the header line: the one of :data:`_DELIMITERS` it holds most of."""
    first = lines.BREAKS.split(text[:65536], 1)[0]
    counts = [(first.count(d), -n, d) for n, d in enumerate(_DELIMITERS)]
    return max(counts)[2] if max(counts)[0] else ","


def _field_span(record: "Tuple[str, str]", line: int, index: int, region: str) -> Span:
    """Where field ``index`` of a CSV record (its raw text, starting on ``line``, and its
    delimiter) is written, as the csv module's default dialect reads it: fields end at the
    delimiter outside double quotes, and a doubled quote inside them is one. The span ends with
    the field or, for a field holding a line break, at the end of its first line."""
    record, delimiter = record
    position, field, size = 0, 0, len(record)
    while True:
        start = position
        if position < size and record[position] == '"':
            position += 1
            while position < size:
                if record[position] == '"':
                    if record.startswith('"', position + 1):
                        position += 2
                        continue
                    position += 1
                    break
                position += 1
        while position < size and record[position] != delimiter and record[position] not in "\r\n":
            position += 1
        if field == index or position >= size or record[position] != delimiter:
            break
        position += 1
        field += 1
    before = lines.BREAKS.split(record[:start])
    first = lines.BREAKS.split(record[start:position], 1)[0]
    column = len(before[-1]) + 1
    at = line + len(before) - 1
    return Span(at, column, at, column + len(first), region)


def load_csv(source: Source, text: str) -> list:
    # newline="": lines end at CR, LF or CRLF as the csv module expects (Excel for Mac's "CSV
    # (Macintosh)" ends them with CR alone), and reader.line_num counts them as lines.BREAKS does
    delimiter = _delimiter(text)
    consumed: List[str] = []  # the raw lines of the record being read

    def raw_lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    reader = csv.reader(raw_lines(), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise Skip("CSV file without a header")
    tab = _tab_of_csv(source.name, header)
    if tab is None or "vm" not in _columns(tab, header).values():
        raise Skip("CSV file that is not an RVTools export")
    columns = _columns(tab, header)

    def rows() -> Iterable[Row]:
        try:
            start = reader.line_num + 1  # the line the next record starts on
            consumed.clear()
            for count, record in enumerate(reader, 2):
                if count > limits.MAX_ROWS:
                    raise LimitExceeded(f"RVTools tab {tab} has more than {limits.MAX_ROWS} rows", start)
                # a quoted value may span lines; most records are one
                raw = (consumed[0] if len(consumed) == 1 else "".join(consumed), delimiter)
                consumed.clear()
                yield {name: (record[i], Cell(start, i + 1, tab, count, raw))
                       for i, name in columns.items() if i < len(record)}
                start = reader.line_num + 1
        except csv.Error as error:
            raise LoadError("LT000", f"CSV syntax error: {error}", Span(reader.line_num, 1)) from None
    vms: Dict[str, VmBuilder] = {}
    _apply(tab, rows(), vms)
    return [vm.document(source, i) for i, vm in enumerate(vms.values())]


def load_xlsx(source: Source, data: bytes) -> list:
    """The workbook's VM models; a workbook the zip or XML layer cannot read is an LT000, whatever
    it raises (a flipped "version needed" byte makes zipfile raise NotImplementedError)."""
    try:
        return _load_xlsx(source, data)
    except (LoadError, LimitExceeded, Skip):
        raise
    except Exception as error:  # noqa: BLE001 - zipfile and openpyxl raise many types on broken input
        raise LoadError("LT000", f"not a readable xlsx workbook: {type(error).__name__}: {str(error)[:120]}",
                        Span(1, 1)) from None


def _load_xlsx(source: Source, data: bytes) -> list:
    try:
        import openpyxl
    except ImportError:
        raise Skip("RVTools xlsx needs the optional reader: pip install 'lintra[xlsx]' "
                   "(or export the tabs to CSV)") from None
    _check_inflated_size(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken zip/xml
        raise LoadError("LT000", f"not a readable xlsx workbook: {type(error).__name__}: {error}", Span(1, 1)) from None
    tabs = [tab for tab in TABS if tab in book.sheetnames]
    if "vInfo" not in tabs:
        raise Skip("xlsx workbook that is not an RVTools export (no vInfo sheet)")
    vms: Dict[str, VmBuilder] = {}
    try:
        for tab in tabs:
            sheet = book[tab]
            sheet.reset_dimensions()  # a forged <dimension ref="A1:XFD1048576"> would pad every row
            rows_iter = sheet.iter_rows(values_only=True)
            header = [str(c or "") for c in next(rows_iter, ())]
            columns = _columns(tab, header)

            def rows(rows_iter=rows_iter, columns=columns, tab=tab) -> Iterable[Row]:
                for n, record in enumerate(rows_iter, 2):
                    if n > limits.MAX_ROWS:
                        raise LimitExceeded(f"RVTools tab {tab} has more than {limits.MAX_ROWS} rows", n)
                    yield {name: ("" if record[i] is None else str(record[i]), Cell(n, i + 1, tab))
                           for i, name in columns.items() if i < len(record)}
            _apply(tab, rows(), vms)
    except (LimitExceeded, LoadError):
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken sheet XML
        raise LoadError("LT000", f"not a readable xlsx workbook: {type(error).__name__}: {str(error)[:120]}",
                        Span(1, 1)) from None
    finally:
        book.close()
    return [vm.document(source, i) for i, vm in enumerate(vms.values())]


def _check_inflated_size(data: bytes) -> None:
    """Refuse a workbook whose members inflate past :data:`limits.MAX_UNCOMPRESSED_BYTES` (a zip bomb),
    judged from the zip directory before anything is inflated."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise LoadError("LT000", f"not a readable xlsx workbook: {type(error).__name__}: {error}", Span(1, 1)) from None
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise LimitExceeded(f"xlsx members inflate to more than {limits.size(limits.MAX_UNCOMPRESSED_BYTES)} "
                            "(zip bomb?)")


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _apply(tab: str, rows: Iterable[Row], vms: Dict[str, VmBuilder]) -> None:
    for row in rows:
        if "vm" not in row or not row["vm"][0]:
            continue
        name, name_cell = row["vm"]
        vm = vms.get(name)
        if vm is None:
            vm = vms[name] = VmBuilder("rvtools", name_cell)
            vm.set("name", name, name_cell)

        def cell(column: str):
            value = row.get(column)
            return (value[0], value[1]) if value else (None, None)
        if tab == "vInfo":
            ft, place = cell("ft")
            if ft and ft.lower() not in ("notconfigured", "not configured", ""):
                vm.set("ft", ft, place)
            hw, place = cell("hw")
            if hw:
                vm.set("hardware_version", hw if hw.startswith("vmx-") else f"vmx-{hw}", place)
            firmware, place = cell("firmware")
            vm.set("firmware", firmware.lower() if firmware else None, place)
            latency, place = cell("latency")
            if latency and latency.lower() not in ("normal", ""):
                vm.set("latency_sensitivity", latency.lower(), place)
            guest, place = cell("os")
            vm.set("guest_os", guest or None, place)
        elif tab in ("vCPU", "vMemory"):
            hot, place = cell("hotadd")
            if hot:
                vm.set("cpu_hot_add" if tab == "vCPU" else "memory_hot_add", truthy(hot), place)
        elif tab == "vDisk":
            _disk(vm, cell)
            _controller(vm, cell)
        elif tab == "vNetwork":
            adapter, place = cell("adapter")
            vm.add("nics", {"label": cell("nic")[0] or "nic", "type": nic_type(adapter)}, place)
        elif tab == "vUSB":
            device, place = cell("device")
            vm.add("usb_devices", {"label": device or "usb"}, place)


def _controller(vm: VmBuilder, cell) -> None:
    """The disk's controller: its model (from whichever of Controller and Label holds a known
    model name) and bus sharing, recorded once per controller of the VM."""
    model, model_place, label = None, None, None
    for column in ("controller", "controllerlabel"):
        value, place = cell(column)
        if value and controller_type(value) and model is None:
            model, model_place = controller_type(value), place
        elif value and label is None:
            label = value
    shared, shared_place = cell("sharedbus")
    sharing = bus_sharing(shared)
    if model is None and sharing == "none":
        return
    label = label or (cell("controller")[0] if model is None else None) or "controller"
    for item in vm.data.get("controllers", ()):
        if item.get("label") == label:
            return  # another disk on a controller already recorded
    fields = {"type": model_place} if model else {}
    if sharing != "none":
        fields["bus_sharing"] = shared_place
    vm.add("controllers", {"label": label, "type": model, "bus_sharing": sharing},
           model_place or shared_place, fields)


def _disk(vm: VmBuilder, cell) -> None:
    raw, raw_place = cell("raw")
    rawmode, rawmode_place = cell("rawmode")
    mode, mode_place = cell("mode")
    sharing, sharing_place = cell("sharing")
    rdm = None
    if raw and truthy(raw):
        rdm = "physical" if (rawmode or "").lower().startswith("physical") else "virtual"
    fields = {k: p for k, p in (("rdm", rawmode_place or raw_place), ("mode", mode_place),
                                ("sharing", sharing_place)) if p}
    vm.add("disks", {"label": cell("disk")[0] or "disk", "file": cell("path")[0], "rdm": rdm,
                     "mode": disk_mode(mode) or "persistent",
                     "sharing": "multi-writer" if (sharing or "").lower().replace(" ", "") in
                     ("sharingmultiwriter", "multiwriter", "multi-writer") else "none"},
           raw_place or mode_place, fields)
