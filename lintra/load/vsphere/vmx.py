"""``.vmx`` reader: ``key = "value"`` lines (keys case-insensitive, ``#`` comments, TRUE/FALSE).

Key meanings follow VMware's configuration-file conventions as written by ESXi and Workstation
and as read by virt-v2v's ``-i vmx`` input (libguestfs/virt-v2v ``input/parse_vmx.ml``,
``input/input_vmx.ml``).
"""

from __future__ import annotations

import re

from lintra.load import LoadError, lines
from lintra.load.vsphere.model import (Place, VmBuilder, bus_sharing, controller_type, disk_mode,
                                       nic_type, truthy)
from lintra.model import Source, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Optional, Tuple, TypeAlias

_ESCAPE = re.compile(r"\|([0-9A-Fa-f]{2})")
_DEVICE = re.compile(r"^(ethernet|scsi|sata|nvme|ide|pcipassthru)(\d+)\.present$")
_DISK = re.compile(r"^((?:scsi|sata|nvme|ide)\d+:\d+)\.present$")
#: ``guestinfo.*`` keys VMware Tools or vCenter write themselves: no user configuration in them.
_TOOLS_GUESTINFO = ("guestinfo.vmtools", "guestinfo.vmware", "guestinfo.appinfo", "guestinfo.gc.",
                    "guestinfo.driver", "guestinfo.detailed", "guestinfo.toolsinstallerrcode")

Entries: TypeAlias = "Dict[str, Tuple[str, Span]]"
#: characters of a line a syntax error quotes
_EXCERPT = 32


def parse(text: str) -> Entries:
    entries: Entries = {}
    # lines end at CR, LF or CRLF only: str.splitlines() also breaks at U+2028, U+0085, form
    # feed ..., which a value (a VM's display name) may hold, and the line numbers would drift
    for number, line in enumerate(lines.BREAKS.split(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        setting = _split(line)
        if setting is None:
            # a short, escaped excerpt: the line may be anything (a file that is no .vmx at all)
            excerpt = stripped[:_EXCERPT] + ("..." if len(stripped) > _EXCERPT else "")
            raise LoadError("LT000", f"vmx syntax error: expected key = \"value\", got {excerpt!r}",
                            Span(number, len(line) - len(line.lstrip()) + 1))
        key, raw, start = setting
        value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
        # the span covers the value as written: an escape (``|23`` for ``#``) is three characters
        entries[key.lower()] = (value, Span(number, start + 1, number, start + 1 + len(raw)))
    return entries


def _split(line: str) -> Optional[Tuple[str, str, int]]:
    """``key = "value"  # comment`` -> (key, value, 0-based column of the value), or None.

    Written by hand rather than as one regular expression: overlapping ``\\s*`` and ``[^=]*``
    groups backtrack quadratically on a long line without ``=``."""
    key, equals, rest = line.partition("=")
    key = key.strip()
    if not equals or not key or key.startswith("#"):
        return None
    offset = len(line) - len(rest)
    body = rest.lstrip()
    offset += len(rest) - len(body)
    if body.startswith('"'):
        end = body.find('"', 1)
        tail = body[end + 1:].strip() if end > 0 else None
        if tail == "" or (tail or "").startswith("#"):
            return key, body[1:end], offset + 1
    # unquoted, or text after the closing quote: the whole value up to a comment, as written
    return key, body.split("#", 1)[0].rstrip(), offset


def load_vmx(source: Source, text: str) -> list:
    entries = parse(text)
    if not entries:
        raise LoadError("LT000", "vmx file has no settings", Span(1, 1))
    first = next(iter(entries.values()))[1]
    vm = VmBuilder("vmx", Place(span=Span(first.line, 1)))

    def get(key: str):
        value = entries.get(key)
        return (value[0], Place(span=value[1])) if value else (None, None)

    for field, key in (("name", "displayname"), ("guest_os", "guestos"), ("firmware", "firmware")):
        vm.set(field, *get(key))
    version, place = get("virtualhw.version")
    vm.set("hardware_version", f"vmx-{version}" if version else None, place)
    if "firmware" not in vm.data and version:
        vm.set("firmware", "bios", place)  # the .vmx default when ``firmware`` is absent
    _devices(entries, vm, get)
    _flags(entries, vm, get)
    return [vm.document(source, 0)]


def _devices(entries: Entries, vm: VmBuilder, get) -> None:
    for key in sorted(entries):
        present = _DEVICE.match(key)
        if present and truthy(entries[key][0]):
            family, n = present.groups()
            prefix = f"{family}{n}"
            dev, dev_place = get(prefix + ".virtualdev")
            if family == "ethernet":
                vm.add("nics", {"label": prefix, "type": nic_type(dev or "e1000")},
                       dev_place or Place(span=entries[key][1]))
            elif family == "pcipassthru":
                vgpu, vgpu_place = get(prefix + ".vgpu")
                vm.add("passthrough", {"label": prefix, "kind": "vgpu" if vgpu else "pci"},
                       vgpu_place or Place(span=entries[key][1]))
            else:
                shared, shared_place = get(prefix + ".sharedbus")
                kind = controller_type(dev) or {"sata": "ahci", "nvme": "nvme", "ide": "ide"}.get(family)
                vm.add("controllers", {"label": prefix, "type": kind or "unknown",
                                       "bus_sharing": bus_sharing(shared)},
                       dev_place or Place(span=entries[key][1]),
                       {"bus_sharing": shared_place} if shared_place else None)
        disk = _DISK.match(key)
        if disk and truthy(entries[key][0]):
            _disk(disk.group(1), entries, vm, get)
    for key in ("usb.present", "ehci.present", "usb_xhci.present"):
        if key in entries and truthy(entries[key][0]):
            vm.add("controllers", {"label": key.split(".")[0], "type": controller_type(key.split(".")[0])},
                   Place(span=entries[key][1]))


def _disk(slot: str, entries: Entries, vm: VmBuilder, get) -> None:
    device, _ = get(slot + ".devicetype")
    filename, file_place = get(slot + ".filename")
    if device and "cdrom" in device.lower() or (filename or "").lower().endswith(".iso"):
        return
    mode, mode_place = get(slot + ".mode")
    sharing, sharing_place = get(slot + ".sharing")
    rdm = None
    lower = (filename or "").lower()
    if lower.endswith("-rdmp.vmdk") or (device or "").lower() == "scsi-passthru":
        rdm = "physical"  # mapping files of physical-compatibility RDMs are named *-rdmp.vmdk
    elif lower.endswith("-rdm.vmdk"):
        rdm = "virtual"
    item = {"label": slot, "file": filename, "rdm": rdm, "mode": disk_mode(mode) or "persistent",
            "sharing": "multi-writer" if (sharing or "").lower() == "multi-writer" else "none"}
    fields = {name: place for name, place in (("mode", mode_place), ("sharing", sharing_place),
                                              ("rdm", file_place)) if place}
    vm.add("disks", item, file_place or Place(span=entries[slot + ".present"][1]), fields)


def _flags(entries: Entries, vm: VmBuilder, get) -> None:
    for field, key in (("vtpm", "vtpm.present"), ("cpu_hot_add", "vcpu.hotadd"),
                       ("memory_hot_add", "mem.hotadd"), ("nested_hv", "vhv.enable"),
                       ("vbs", "vvtd.enable"), ("vmci_unrestricted", "vmci0.unrestricted")):
        value, place = get(key)
        if value is not None:
            vm.set(field, truthy(value), place)
    value, place = get("windows.vbs.enabled")
    if value is not None and truthy(value):
        vm.set("vbs", True, place)
    for field, key in (("latency_sensitivity", "sched.cpu.latencysensitivity"),
                       ("cpu_affinity", "sched.cpu.affinity"), ("numa_affinity", "numa.nodeaffinity")):
        value, place = get(key)
        if value and value.lower() not in ("all", "normal", ""):
            vm.set(field, value.lower() if field == "latency_sensitivity" else value, place)
    # Fault Tolerance: ``ftcpt.ftEncryptionMode`` is written on ordinary VMs (it only says how FT
    # traffic would be encrypted), so only the other ``ftcpt.*`` settings of an FT pair count.
    for key, (value, span) in entries.items():
        if key.startswith(("ftcpt.", "ft.primary")) and key != "ftcpt.ftencryptionmode":
            vm.set("ft", "configured", Place(span=span))
            break
    # ``migrate.encryptionMode = "opportunistic"`` is the default vMotion setting, not VM encryption.
    for key in ("encryption.keysafe", "encryption.data"):
        value, place = get(key)
        if value:
            vm.set("encryption", key, place)
            break
    extra = {}
    for key, (value, span) in entries.items():
        if key.startswith("guestinfo.") and not key.startswith(_TOOLS_GUESTINFO):
            vm.add("guestinfo", {"key": key}, Place(span=Span(span.line, 1, span.line, 1 + len(key))))
        extra[key] = value
    vm.data["extra_config"] = extra
