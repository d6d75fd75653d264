"""vSphere API JSON, pyVmomi JSON and govc JSON exports -> the VM model.

Shapes recognised (keys compared case-insensitively, since govc before 0.31 wrote PascalCase):

- ``VirtualMachineConfigInfo`` objects of the vSphere JSON API (``_typeName`` discriminators,
  scalars wrapped as ``{"_typeName": "string", "_value": ...}``), or pyVmomi's ``_vimtype``
  variant (``vim.vm.ConfigInfo``, ``vim.vm.device.VirtualDisk``);
- ``RetrieveResult`` / ``ObjectContent`` of a ``VirtualMachine`` with a ``config`` property;
- ``govc vm.info -json`` (``{"virtualMachines": [{"name", "config": {...}}]}``);
- ``govc device.info -json`` (``{"devices": [{"name", "type", ...}]}``);
- ``govc object.collect -json`` (``[{"name": "config", "val": {...}}]``).

govc ``vm.info`` device entries carry no type name; :func:`device_type` infers it from the fields
only one device family has (vim25 ``types.go``): ``capacityInKB`` -> disk; ``macAddress`` -> NIC,
``uptCompatibilityEnabled``/``uptv2Enabled`` -> VMXNET3 and ``sriovBacking`` -> SR-IOV (only those
types have them; E1000, E1000e, VMXNET2, VMXNET and PCNet32 cannot be told apart and stay ``unknown``); ``sharedBus`` -> SCSI controller (model unknown);
``endorsementKeyCertificate`` -> vTPM (SCSI controller models only by ``deviceInfo.summary``
text such as "VMware paravirtual SCSI"); ``allowUnrestrictedCommunication`` -> VMCI; a
``backing.vgpu`` -> vGPU; a backing with ``deviceId`` and ``systemId`` -> PCI passthrough;
``autoConnectDevices`` -> USB controller.
"""

from __future__ import annotations


from lintra.load.vsphere.model import Place, VmBuilder, bus_sharing, controller_type, disk_mode, nic_type

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Optional

_TOOLS_GUESTINFO = ("guestinfo.vmtools", "guestinfo.vmware", "guestinfo.appinfo", "guestinfo.gc.",
                    "guestinfo.driver", "guestinfo.detailed")


def _get(obj: Any, key: str) -> Any:
    """``obj[key]`` matching the first letter in either case, unwrapping ``_value`` boxes."""
    if not isinstance(obj, dict):
        return None
    value = obj.get(key, obj.get(key[:1].upper() + key[1:]))
    if isinstance(value, dict) and "_value" in value:
        return value["_value"]
    return value


def _key(obj: Any, key: str) -> str:
    return key if not isinstance(obj, dict) or key in obj else key[:1].upper() + key[1:]


def type_name(obj: Any) -> str:
    if not isinstance(obj, dict):
        return ""
    name = obj.get("_typeName") or obj.get("_vimtype") or obj.get("type") or obj.get("Type") or ""
    return str(name).rsplit(".", 1)[-1]


class ShapeError(Exception):
    """A field of a type the API never writes, at ``pointer`` into the parsed export."""

    def __init__(self, pointer: tuple, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer


def _what(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _object(value: Any, pointer: tuple, what: str) -> dict:
    """``value`` where the API writes an object (absent or null: an empty one)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(pointer, f"{what} is {_what(value)}, where the vSphere API writes an object")
    return value


def _list(value: Any, pointer: tuple, what: str) -> list:
    """``value`` where the API writes a list (absent or null: an empty one)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(pointer, f"{what} is {_what(value)}, where the vSphere API writes a list")
    return value


def _scalar(value: Any, pointer: tuple, what: str) -> Any:
    """``value`` where the API writes a string, number or boolean."""
    if isinstance(value, (dict, list)):
        raise ShapeError(pointer, f"{what} is {_what(value)}, where the vSphere API writes a single value")
    return value


#: The keys :func:`_detect` looks for in an object (type names, ``virtualMachines``, ``devices``, in
#: either case of their first letter): an object with none of them is no export it recognises.
_SHAPE_KEYS = frozenset({"_typeName", "_vimtype", "type", "Type", "virtualMachines", "VirtualMachines",
                         "devices", "Devices"})


def detect(data: Any) -> Optional[list]:
    """The vSphere detector: a list of VM models found in ``data``, or None. An export whose
    fields have types the API never writes (a number where an object belongs ...) is a syntax
    error of the file at that field, not a crash."""
    if data.__class__ is dict and _SHAPE_KEYS.isdisjoint(data):
        return None  # every document of every file meets this detector first: most are manifests
    try:
        return _detect(data)
    except ShapeError as error:
        from lintra.load import LoadError
        from lintra.model import Span

        raise LoadError("LT000", f"vSphere export of unexpected shape: {error}", Span(1, 1), error.pointer) from None
    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as error:  # a shape not checked above
        from lintra.load import LoadError
        from lintra.model import Span

        raise LoadError("LT000", f"vSphere export of unexpected shape: {type(error).__name__}: {str(error)[:100]}",
                        Span(1, 1)) from None


def _detect(data: Any) -> Optional[list]:
    if isinstance(data, list):
        # govc object.collect -json: a change set [{"name": "config", "op": "assign", "val": {...}}]
        if data and all(isinstance(p, dict) and _get(p, "name") is not None and _key(p, "val") in p for p in data):
            index = next((i for i, p in enumerate(data) if _get(p, "name") == "config"), None)
            if index is not None:
                return [config_info(_get(data[index], "val"), (index, _key(data[index], "val")))]
        # govc object.collect -json -s VM config.hardware.device: the bare device array
        if data and all(isinstance(d, dict) and _get(d, "deviceInfo") is not None and _get(d, "key") is not None
                        for d in data):
            vm = VmBuilder("govc", Place(pointer=()))
            _devices(vm, data, ())
            return [vm.detected()]
        return None
    if not isinstance(data, dict):
        return None
    kind = type_name(data)
    if kind in ("VirtualMachineConfigInfo", "ConfigInfo"):
        return [config_info(data, ())]
    vms = _get(data, "virtualMachines")
    if isinstance(vms, list):
        key = _key(data, "virtualMachines")
        return [config_info(_get(vm, "config"), (key, i, _key(vm, "config")),
                            _scalar(_get(vm, "name"), (key, i, _key(vm, "name")), "name"))
                for i, vm in enumerate(vms) if isinstance(vm, dict)] or None
    if kind == "RetrieveResult":
        return [config_info(prop["val"], ("objects", i, "propSet", j, "val"))
                for i, obj in enumerate(_list(data.get("objects"), ("objects",), "objects"))
                for j, prop in enumerate(_list(_object(obj, ("objects", i), "an ObjectContent").get("propSet"),
                                               ("objects", i, "propSet"), "propSet"))
                if isinstance(prop, dict) and prop.get("name") == "config"
                and type_name(prop.get("val")) == "VirtualMachineConfigInfo"] or None
    devices = _get(data, "devices")
    if isinstance(devices, list) and devices and all(isinstance(d, dict) and "name" in d for d in devices):
        vm = VmBuilder("govc", Place(pointer=()))
        _devices(vm, devices, (_key(data, "devices"),))
        return [vm.detected()]
    return None


def config_info(config: Any, base: tuple, name: Any = None) -> tuple:
    config = _object(config, base, "config")
    fmt = "govc" if "_typeName" not in config and "_vimtype" not in config else "vsphere-api"
    vm = VmBuilder(fmt, Place(pointer=base, at="key"))

    def at(*path) -> Place:
        return Place(pointer=base + path)

    for field, key in (("name", "name"), ("guest_os", "guestId"), ("hardware_version", "version"),
                       ("firmware", "firmware")):
        value = _scalar(_get(config, key), base + (_key(config, key),), key)
        if value is not None:
            vm.set(field, value, at(_key(config, key)))
    if name and "name" not in vm.data:
        vm.set("name", name, None)
    for field, key in (("cpu_hot_add", "cpuHotAddEnabled"), ("memory_hot_add", "memoryHotAddEnabled"),
                       ("nested_hv", "nestedHVEnabled")):
        if _get(config, key) is not None:
            vm.set(field, bool(_get(config, key)), at(_key(config, key)))
    flags = _get(config, "flags")
    if _get(flags, "vbsEnabled"):
        vm.set("vbs", True, at(_key(config, "flags"), _key(flags, "vbsEnabled")))
    level = _scalar(_get(_get(config, "latencySensitivity"), "level"),
                    base + (_key(config, "latencySensitivity"), "level"), "latencySensitivity.level")
    if level and str(level).lower() != "normal":
        vm.set("latency_sensitivity", str(level).lower(), at(_key(config, "latencySensitivity")))
    affinity = _list(_get(_get(config, "cpuAffinity"), "affinitySet"),
                     base + (_key(config, "cpuAffinity"), "affinitySet"), "cpuAffinity.affinitySet")
    if affinity:
        vm.set("cpu_affinity", ",".join(map(str, affinity)), at(_key(config, "cpuAffinity")))
    if _get(config, "ftInfo"):
        vm.set("ft", type_name(_get(config, "ftInfo")) or "configured", at(_key(config, "ftInfo")))
    if _get(config, "keyId"):
        vm.set("encryption", str(_get(_get(config, "keyId"), "keyId") or "keyId"), at(_key(config, "keyId")))
    vapp = _get(config, "vAppConfig")
    for i, transport in enumerate(_list(_get(vapp, "ovfEnvironmentTransport"), base + (
            _key(config, "vAppConfig"), _key(vapp, "ovfEnvironmentTransport")), "vAppConfig.ovfEnvironmentTransport")):
        vm.add("vapp_transport", {"name": transport}, at(_key(config, "vAppConfig"), _key(vapp, "ovfEnvironmentTransport"), i))
    for i, prop in enumerate(_list(_get(vapp, "property"), base + (_key(config, "vAppConfig"), _key(vapp, "property")),
                                   "vAppConfig.property")):
        vm.add("vapp_properties", {"key": _get(prop, "id")}, at(_key(config, "vAppConfig"), _key(vapp, "property"), i))
    extra = {}
    for i, option in enumerate(_list(_get(config, "extraConfig"), base + (_key(config, "extraConfig"),),
                                     "extraConfig")):
        key, value = str(_get(option, "key")), _get(option, "value")
        extra[key] = value
        if key.lower().startswith("guestinfo.") and not key.lower().startswith(_TOOLS_GUESTINFO):
            vm.add("guestinfo", {"key": key}, at(_key(config, "extraConfig"), i))
    vm.data["extra_config"] = extra
    hardware = _get(config, "hardware")
    devices = _get(hardware, "device")
    if isinstance(devices, list):
        _devices(vm, devices, base + (_key(config, "hardware"), _key(hardware, "device")))
    return vm.detected()


def device_type(device: dict) -> str:
    named = type_name(device)
    if named:
        return named
    backing = _get(device, "backing") or {}
    if _get(device, "capacityInKB") is not None or _get(device, "capacityInBytes") is not None:
        return "VirtualDisk"
    if _get(device, "macAddress") is not None or _get(device, "addressType") is not None:
        if _get(device, "sriovBacking") is not None:
            return "VirtualSriovEthernetCard"
        if _get(device, "uptCompatibilityEnabled") is not None or _get(device, "uptv2Enabled") is not None:
            return "VirtualVmxnet3"
        return "VirtualEthernetCard"  # E1000, E1000e, VMXNET2, VMXNET and PCNet32 look alike
    if _get(device, "sharedBus") is not None:
        # SCSI controller models share every field; only the summary text tells them apart.
        summary = str(_get(_get(device, "deviceInfo"), "summary") or "").lower()
        for words, name in (("paravirtual", "ParaVirtualSCSIController"), ("lsi logic sas", "VirtualLsiLogicSASController"),
                            ("lsi logic", "VirtualLsiLogicController"), ("buslogic", "VirtualBusLogicController")):
            if words in summary:
                return name
        return "VirtualSCSIController"
    if _get(device, "endorsementKeyCertificate") is not None:
        return "VirtualTPM"
    if _get(device, "allowUnrestrictedCommunication") is not None:
        return "VirtualMachineVMCIDevice"
    if _get(backing, "vgpu") is not None or (_get(backing, "deviceId") and _get(backing, "systemId")):
        return "VirtualPCIPassthrough"
    if _get(device, "autoConnectDevices") is not None:
        return "VirtualUSBController"
    return ""


def _devices(vm: VmBuilder, devices: list, base: tuple) -> None:
    for i, device in enumerate(devices):
        if not isinstance(device, dict):
            continue
        kind = device_type(device)
        label = _get(_get(device, "deviceInfo"), "label") or _get(device, "name") or f"device {i}"
        # Point at the type name where the export has one, else at the device entry.
        typed = next((k for k in ("_typeName", "_vimtype", "type", "Type") if k in device), None)
        place = Place(pointer=base + (i, typed)) if typed else Place(pointer=base + (i,), at="key")
        backing = _object(_get(device, "backing"), base + (i, _key(device, "backing")), "backing")
        lower = kind.lower()
        if lower == "virtualdisk":
            _disk(vm, device, backing, label, base + (i,))
        elif "ethernet" in lower or "vmxnet" in lower or lower.startswith(("virtuale1000", "virtualpcnet")):
            vm.add("nics", {"label": label, "type": nic_type(kind)}, place)
        elif lower.endswith("controller") or "controller" in lower:
            sharing = _get(device, "sharedBus")
            ctype = controller_type(kind)
            if ctype is None and lower == "virtualscsicontroller":
                ctype = "unknown"
            if ctype is not None:
                vm.add("controllers", {"label": label, "type": ctype, "bus_sharing": bus_sharing(sharing)}, place,
                       {"bus_sharing": Place(pointer=base + (i, _key(device, "sharedBus")))} if sharing else None)
        elif lower == "virtualpcipassthrough":
            backing_kind = type_name(backing).lower()
            kind_name = "vgpu" if ("vmiop" in backing_kind or _get(backing, "vgpu")) else \
                "dynamic" if "dynamic" in backing_kind else "pci"
            vm.add("passthrough", {"label": label, "kind": kind_name}, place)
        elif lower == "virtualtpm":
            vm.set("vtpm", True, place)
        elif lower == "virtualmachinevmcidevice":
            if _get(device, "allowUnrestrictedCommunication"):
                vm.set("vmci_unrestricted", True, Place(pointer=base + (i, _key(device, "allowUnrestrictedCommunication"))))
        elif lower == "virtualusb":
            vm.add("usb_devices", {"label": label}, place)


def _disk(vm: VmBuilder, device: dict, backing: dict, label: str, pointer: tuple) -> None:
    backing_kind = type_name(backing)
    bkey = _key(device, "backing")
    rdm = None
    if "RawDiskMapping" in backing_kind or _get(backing, "compatibilityMode"):
        rdm = "physical" if str(_get(backing, "compatibilityMode")).lower().startswith("physical") else "virtual"
    sharing = _get(backing, "sharing")
    fields = {}
    for field, key in (("mode", "diskMode"), ("sharing", "sharing"), ("rdm", "compatibilityMode")):
        if _get(backing, key) is not None:
            fields[field] = Place(pointer=pointer + (bkey, _key(backing, key)))
    vm.add("disks", {"label": label, "file": _get(backing, "fileName"), "rdm": rdm,
                     "mode": disk_mode(_get(backing, "diskMode")) or "persistent",
                     "sharing": "multi-writer" if str(sharing).lower() == "sharingmultiwriter" else "none"},
           Place(pointer=pointer, at="key"), fields)
