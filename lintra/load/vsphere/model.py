"""One VM model for every vSphere export format, with each fact's place in its source file.

Readers (.vmx, OVF, vSphere API / govc JSON, RVTools) fill a :class:`VmBuilder`; rules then run on
the same normalised data whatever the format, and findings still point into the source file.

The model (``Document.kind == "vsphere-vm"``, ``data`` below; a key is absent when the format
does not say, so rules never guess):

``name``, ``format`` (``vmx``/``ovf``/``vsphere-api``/``govc``/``rvtools``), ``hardware_version``
(``vmx-17``), ``firmware`` (``efi``/``bios``), ``guest_os``,
``nics[]`` {``label``, ``type``: vmxnet3, vmxnet2, vmxnet, e1000, e1000e, pcnet32, sriov, unknown},
``controllers[]`` {``label``, ``type``: pvscsi, lsilogic, lsilogicsas, buslogic, nvme, ahci, ide,
usb-xhci, usb-ehci, usb, ``bus_sharing``: none/virtual/physical},
``disks[]`` {``label``, ``file``, ``rdm``: physical/virtual, ``sharing``: none/multi-writer,
``mode``: persistent/nonpersistent/independent_persistent/independent_nonpersistent,
``storage_policy``},
``passthrough[]`` {``label``, ``kind``: pci/dynamic/vgpu/dvx}, ``usb_devices[]`` {``label``},
``vtpm``, ``vmci_unrestricted``, ``ft`` (state), ``encryption`` (key id or key safe),
``cpu_hot_add``, ``memory_hot_add``, ``latency_sensitivity``, ``cpu_affinity``, ``numa_affinity``,
``nested_hv``, ``vbs``, ``guestinfo[]`` {``key``}, ``vapp_transport[]``, ``vapp_properties[]``
{``key``}, ``storage_policies[]`` {``name``}, ``extra_config`` {key: value}.
"""

from __future__ import annotations


from lintra.model import Document, Locator, Pointer, Source, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

KIND = "vsphere-vm"

#: Spellings of one device type across the vSphere API, .vmx, OVF subtypes, govc and RVTools.
_NIC_TYPES = {
    "virtualvmxnet3": "vmxnet3", "vmxnet3": "vmxnet3", "virtualvmxnet3vrdma": "vmxnet3",
    "vrdma": "vmxnet3", "virtualvmxnet2": "vmxnet2", "vmxnet2": "vmxnet2", "virtualvmxnet": "vmxnet",
    "vmxnet": "vmxnet", "virtuale1000": "e1000", "e1000": "e1000", "virtuale1000e": "e1000e",
    "e1000e": "e1000e", "virtualpcnet32": "pcnet32", "pcnet32": "pcnet32", "vlance": "pcnet32",
    "flexible": "pcnet32", "virtualsriovethernetcard": "sriov", "sriovethernetcard": "sriov",
    "sriov": "sriov", "sr-iov": "sriov", "passthrough": "sriov", "sr-iovpassthrough": "sriov",
    "sriovpassthrough": "sriov",
}
_CONTROLLER_TYPES = {
    "paravirtualscsicontroller": "pvscsi", "virtualparavirtualscsicontroller": "pvscsi",
    "pvscsi": "pvscsi", "virtualscsi": "pvscsi", "paravirtual": "pvscsi", "vmware paravirtual": "pvscsi",
    "virtuallsilogiccontroller": "lsilogic", "lsilogic": "lsilogic", "lsi logic parallel": "lsilogic",
    "virtuallsilogicsascontroller": "lsilogicsas", "lsilogicsas": "lsilogicsas", "lsisas1068": "lsilogicsas",
    "lsi logic sas": "lsilogicsas", "virtualbuslogiccontroller": "buslogic", "buslogic": "buslogic",
    "virtualnvmecontroller": "nvme", "nvme": "nvme", "vmware.nvme.controller": "nvme",
    "virtualahcicontroller": "ahci", "ahci": "ahci", "vmware.sata.ahci": "ahci",
    "virtualidecontroller": "ide", "ide": "ide", "piix4": "ide",
    "virtualusbxhcicontroller": "usb-xhci", "vmware.usb.xhci": "usb-xhci", "usb_xhci": "usb-xhci",
    "virtualusbcontroller": "usb", "vmware.usb.ehci": "usb-ehci", "ehci": "usb-ehci", "usb": "usb",
    # the device summaries vSphere reports (VirtualDevice.deviceInfo.summary), which RVTools
    # writes in the vDisk tab's Controller column
    "vmware paravirtual scsi": "pvscsi", "lsi logic": "lsilogic", "buslogic parallel": "buslogic",
    "nvme controller": "nvme", "sata ahci": "ahci",
}
_SHARING = {"nosharing": "none", "none": "none", "virtualsharing": "virtual", "virtual": "virtual",
            "physicalsharing": "physical", "physical": "physical"}
_DISK_MODES = {"persistent", "nonpersistent", "undoable", "independent_persistent",
               "independent_nonpersistent", "append"}


def nic_type(raw: Any) -> str:
    """``Vmxnet3`` (RVTools), ``VMXNET 3`` (the vSphere Client), ``vmxnet3`` (.vmx) are one type."""
    if not raw:
        return "unknown"
    return _NIC_TYPES.get(str(raw).strip().lower().replace("_", "").replace(" ", ""), "unknown")


def controller_type(raw: Any) -> Optional[str]:
    return _CONTROLLER_TYPES.get(str(raw).strip().lower()) if raw else None


def bus_sharing(raw: Any) -> str:
    return _SHARING.get(str(raw).strip().lower().replace("_", ""), "none") if raw else "none"


def disk_mode(raw: Any) -> Optional[str]:
    """``independent-persistent`` (.vmx) = ``independent_persistent`` (API) = ``Independent
    Persistent`` (RVTools)."""
    if not raw:
        return None
    mode = str(raw).strip().lower().replace("-", "_").replace(" ", "_")
    return mode if mode in _DISK_MODES else None


def truthy(raw: Any) -> bool:
    return str(raw).strip().strip('"').lower() in ("true", "1", "yes", "on")


class Place:
    """Where a model value came from: a span, or a pointer into a source locator (resolved only
    when a finding needs it)."""

    __slots__ = ("span", "locator", "pointer", "at")

    def __init__(self, span: Optional[Span] = None, locator: Optional[Locator] = None,
                 pointer: Pointer = (), at: Optional[str] = None) -> None:
        self.span = span
        self.locator = locator
        self.pointer = pointer
        self.at = at

    def resolve(self, source: Optional[Locator] = None) -> Span:
        if self.span is not None:
            return self.span
        return (self.locator or source).span(self.pointer, self.at)  # type: ignore[union-attr]


class ModelLocator(Locator):
    """Maps model pointers to the place their value was read, by longest recorded prefix."""

    __slots__ = ("places", "fallback", "source")

    def __init__(self, places: Dict[Pointer, Place], fallback: Place, source: Optional[Locator] = None) -> None:
        self.places = places
        self.fallback = fallback
        #: the parsed file's own locator, for places given as pointers into it (JSON exports)
        self.source = source

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        pointer = tuple(pointer)
        while pointer:
            place = self.places.get(pointer)
            if place is not None:
                return place.resolve(self.source)
            pointer = pointer[:-1]
        return self.fallback.resolve(self.source)


class VmBuilder:
    """Collects one VM's facts and their places; ``document()`` freezes them into a Document."""

    def __init__(self, fmt: str, where: Place) -> None:
        self.data: Dict[str, Any] = {"format": fmt}
        self.places: Dict[Pointer, Place] = {}
        self.where = where

    def set(self, key: str, value: Any, place: Optional[Place]) -> None:
        if value is None:
            return
        self.data[key] = value
        if place is not None:
            self.places[(key,)] = place

    def add(self, key: str, item: Dict[str, Any], place: Optional[Place],
            fields: Optional[Dict[str, Place]] = None) -> None:
        items = self.data.setdefault(key, [])
        index = len(items)
        items.append({k: v for k, v in item.items() if v is not None})
        if place is not None:
            self.places[(key, index)] = place
        for field, field_place in (fields or {}).items():
            if field in items[index]:
                self.places[(key, index, field)] = field_place

    def document(self, source: Source, index: int) -> Document:
        self.data.setdefault("name", "?")
        return Document(source, index, KIND, self.data, ModelLocator(self.places, self.where))

    def detected(self):
        """The detector form: ``(kind, data, base, make_locator)``; the load stage supplies the
        file's locator, against which this model's pointer places resolve."""
        self.data.setdefault("name", "?")
        return (KIND, self.data, (), lambda source: ModelLocator(self.places, self.where, source))


