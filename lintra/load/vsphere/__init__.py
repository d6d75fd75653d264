"""Built-in plugin: vSphere VM exports (.vmx, OVF/OVA, vSphere API / govc JSON, RVTools) read
into one VM model (see :mod:`lintra.load.vsphere.model`), document kind ``vsphere-vm``.

Each reader is imported when a file of its format is first read (or, for the JSON detector, when
a parsed document is none of the kinds detected before it), so a run over Kubernetes manifests
never pays for the XML, spreadsheet and vmx readers."""

import importlib

from lintra.hookspecs import hookimpl
from lintra.load import Detector, Loader


def _reader(module: str, function: str):
    found: list = []  # the function, once imported: the JSON detector is asked about every document

    def read(*args):
        if not found:
            found.append(getattr(importlib.import_module(f"lintra.load.vsphere.{module}"), function))
        return found[0](*args)
    read.__name__ = read.__qualname__ = f"{module}.{function}"
    return read


def _alone(source) -> str:
    return ""  # each export is read from its own bytes (an OVA from the archive itself)


@hookimpl
def register_loaders(register):
    register(Loader("vmx", (".vmx",), _reader("vmx", "load_vmx"), cache_key=_alone))
    register(Loader("ovf", (".ovf",), _reader("ovf", "load_ovf"), binary=True, cache_key=_alone))
    # an OVA holds its disks after the descriptor (DSP0243 §5.3: the descriptor is the first member),
    # so a real one is gigabytes: only its start is read
    register(Loader("ova", (".ova",), _reader("ovf", "load_ova"), binary=True, cache_key=_alone, head=True))
    register(Loader("rvtools-csv", (".csv",), _reader("rvtools", "load_csv"), cache_key=_alone))
    register(Loader("rvtools-xlsx", (".xlsx",), _reader("rvtools", "load_xlsx"), binary=True, cache_key=_alone))


@hookimpl
def register_detectors(register):
    register(Detector("vsphere", _reader("apijson", "detect")))
