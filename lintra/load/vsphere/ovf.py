"""OVF descriptor reader (``.ovf``, and the descriptor inside an ``.ova`` tar).

DMTF OVF 1.x/2.x (DSP0243): each ``VirtualSystem`` is one VM; its ``VirtualHardwareSection``
lists ``Item``s whose ``rasd:ResourceType`` (CIM codes: 6 SCSI controller, 10 Ethernet, 17 disk,
20 other storage controller, 23 USB controller, 1 other) and ``rasd:ResourceSubType`` name the
device. VMware extensions (namespace http://www.vmware.com/schema/ovf) add ``vmw:Config`` /
``vmw:ExtraConfig`` key/value settings, ``vmware.*`` subtypes and ``vmw:StorageGroupSection``
storage policies; ``ovf:transport="com.vmware.guestInfo"`` hands vApp properties to the guest
through VMware Tools. Subtypes are matched case-insensitively.
"""

from __future__ import annotations

import io
import tarfile

from lintra.load import LoadError, Skip
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.load.vsphere.model import Place, VmBuilder, bus_sharing, controller_type, disk_mode, nic_type, truthy
from lintra.load.vsphere.xmltree import Element, parse
from lintra.model import Source, Span

_TOOLS_GUESTINFO = ("guestinfo.vmtools", "guestinfo.vmware", "guestinfo.appinfo")


def load_ova(source: Source, data: bytes) -> list:
    """An OVA is a plain (uncompressed) tar whose first member is the descriptor (DSP0243 §5.3):
    ``data`` is the file's first ``limits.MAX_FILE_BYTES`` bytes (the disk images after the
    descriptor are never read), opened as exactly that, so a gzip stream (a decompression bomb)
    is no OVA; members are listed only until the descriptor, and the descriptor is read only up to its limit (a sparse
    member may declare any size)."""
    member = None
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for count, candidate in enumerate(archive, 1):
                if candidate.name.lower().endswith(".ovf") and candidate.isfile():
                    member = candidate
                    break
                if count >= limits.MAX_ARCHIVE_MEMBERS:
                    raise LimitExceeded(f"OVA lists more than {limits.MAX_ARCHIVE_MEMBERS} members before a descriptor")
            if member is None:
                raise _no_descriptor(data)
            # only the file's first MAX_FILE_BYTES were read (its Loader's ``head``), no more than
            # the descriptor limit: a descriptor running past them is over that limit, not a
            # truncated archive (a file shorter than the head that is cut short still is one)
            past_head = len(data) >= limits.MAX_FILE_BYTES and member.offset_data + member.size > len(data)
            if member.size > limits.MAX_OVA_DESCRIPTOR_BYTES or past_head:
                raise LimitExceeded(f"OVA descriptor {member.name!r} larger than "
                                    f"{limits.size(limits.MAX_OVA_DESCRIPTOR_BYTES)}")
            handle = archive.extractfile(member)
            descriptor = handle.read(limits.MAX_OVA_DESCRIPTOR_BYTES + 1) if handle else b""
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        if member is None and len(data) >= limits.MAX_FILE_BYTES:  # the members go on past what was read
            raise _no_descriptor(data) from None
        raise LoadError("LT000", f"not a readable OVA (uncompressed tar) archive: {error}", Span(1, 1)) from None
    return load_ovf(source, descriptor)


def _no_descriptor(data: bytes) -> LoadError:
    if len(data) >= limits.MAX_FILE_BYTES:  # only the file's start was read (its Loader's ``head``)
        return LoadError("LT000", f"OVA archive holds no .ovf descriptor in its first "
                         f"{limits.size(limits.MAX_FILE_BYTES)} (DSP0243 §5.3: the descriptor is "
                         f"the first member)", Span(1, 1))
    return LoadError("LT000", "OVA archive holds no .ovf descriptor", Span(1, 1))


def load_ovf(source: Source, data) -> list:
    root = parse(data.encode("utf-8") if isinstance(data, str) else data)
    if root.tag != "Envelope":
        raise Skip(f"XML root is <{root.tag}>, not an OVF <Envelope>")
    policies = {g.attrs.get("id"): g for g in root.iter("StorageGroupSection")}
    documents = []
    for index, system in enumerate(root.iter("VirtualSystem")):
        documents.append(_system(system, policies).document(source, index))
    if not documents:
        raise Skip("OVF envelope has no VirtualSystem")
    return documents


def _system(system: Element, policies: dict) -> VmBuilder:
    vm = VmBuilder("ovf", Place(span=system.span))
    name = system.find("Name")
    vm.set("name", (name.text.strip() if name is not None else None) or system.attrs.get("id"),
           Place(span=(name or system).span))
    os_section = system.find("OperatingSystemSection")
    if os_section is not None and os_section.attrs.get("osType"):
        vm.set("guest_os", os_section.attrs["osType"], Place(span=os_section.span))
    hardware = system.find("VirtualHardwareSection")
    if hardware is None:
        return vm
    kind = next(hardware.iter("VirtualSystemType"), None)
    if kind is not None and kind.text.strip():
        vm.set("hardware_version", kind.text.strip().split()[-1], Place(span=kind.span))
    transports = hardware.attrs.get("transport", "").split()
    for transport in transports:
        vm.add("vapp_transport", {"name": transport}, Place(span=hardware.span))
    for product in system.iter("ProductSection"):
        for prop in product.iter("Property"):
            vm.add("vapp_properties", {"key": prop.attrs.get("key")}, Place(span=prop.span))
    for item in hardware.findall("Item") + hardware.findall("StorageItem") + hardware.findall("EthernetPortItem"):
        _item(vm, item)
    for config in hardware.findall("Config") + hardware.findall("ExtraConfig"):
        _config(vm, config)
    for section in system.iter("StorageSection"):
        group = policies.get(section.attrs.get("group"))
        if group is not None:
            vm.add("storage_policies", {"name": group.attrs.get("name")}, Place(span=section.span))
    return vm


def _text(item: Element, tag: str) -> str:
    child = item.find(tag)
    return child.text.strip() if child is not None else ""


def _configs(item: Element) -> dict:
    return {c.attrs.get("key", ""): c for c in item.findall("Config")}


def _item(vm: VmBuilder, item: Element) -> None:
    resource = _text(item, "ResourceType")
    subtype_element = item.find("ResourceSubType")
    subtype = _text(item, "ResourceSubType")
    lower = subtype.lower()
    label = _text(item, "ElementName") or _text(item, "InstanceID")
    place = Place(span=(subtype_element or item).span)
    configs = _configs(item)
    if resource == "5" and not subtype:
        subtype = "ide"
    if resource == "10":
        vm.add("nics", {"label": label, "type": nic_type(subtype) if subtype else "unknown"}, place)
    elif resource in ("5", "6", "20", "23") or lower.startswith("vmware.usb"):
        shared = configs.get("sharedBus")
        vm.add("controllers", {"label": label, "type": controller_type(subtype.split(",")[0].split()[0])
                               if subtype else None,
                               "bus_sharing": bus_sharing(shared.attrs.get("value")) if shared is not None else "none"},
               place, {"bus_sharing": Place(span=shared.span)} if shared is not None else None)
    elif resource == "17":
        mode = configs.get("backing.diskMode")
        sharing = configs.get("backing.sharing")
        fields = {}
        if mode is not None:
            fields["mode"] = Place(span=mode.span)
        if sharing is not None:
            fields["sharing"] = Place(span=sharing.span)
        shared = sharing is not None and "multiwriter" in sharing.attrs.get("value", "").lower()
        vm.add("disks", {"label": label, "file": _text(item, "HostResource"),
                         "mode": disk_mode(mode.attrs.get("value")) if mode is not None else "persistent",
                         "sharing": "multi-writer" if shared else "none"}, Place(span=item.span), fields)
    elif lower.startswith("vmware.pci.passthrough"):
        kind = {"vmiop": "vgpu", "ah": "dynamic", "dvx": "dvx"}.get(lower.rpartition("-")[2], "pci")
        vm.add("passthrough", {"label": label, "kind": kind}, place)
    elif lower == "vmware.vtpm":
        vm.set("vtpm", True, place)
    elif lower == "vmware.vmci":
        unrestricted = configs.get("allowUnrestrictedCommunication")
        if unrestricted is not None:
            vm.set("vmci_unrestricted", truthy(unrestricted.attrs.get("value")), Place(span=unrestricted.span))


_VM_FLAGS = {"cpuHotAddEnabled": "cpu_hot_add", "memoryHotAddEnabled": "memory_hot_add",
             "nestedHVEnabled": "nested_hv", "flags.vbsEnabled": "vbs", "vtpm.present": "vtpm"}


def _config(vm: VmBuilder, config: Element) -> None:
    key, value = config.attrs.get("key", ""), config.attrs.get("value", "")
    place = Place(span=config.span)
    vm.data.setdefault("extra_config", {})[key] = value
    if key in _VM_FLAGS:
        vm.set(_VM_FLAGS[key], truthy(value), place)
    elif key == "firmware":
        vm.set("firmware", value.lower(), place)
    elif key == "latencySensitivity.level" and value.lower() not in ("normal", ""):
        vm.set("latency_sensitivity", value.lower(), place)
    elif key == "vmci0.unrestricted":
        vm.set("vmci_unrestricted", truthy(value), place)
    elif key.lower().startswith("guestinfo.") and not key.lower().startswith(_TOOLS_GUESTINFO):
        vm.add("guestinfo", {"key": key}, place)
    elif key.lower() in ("vcpu.hotadd", "mem.hotadd", "vhv.enable"):
        vm.set({"vcpu.hotadd": "cpu_hot_add", "mem.hotadd": "memory_hot_add", "vhv.enable": "nested_hv"}[key.lower()],
               truthy(value), place)
