"""Built-in plugin: vSphere VM exports (.vmx, OVF/OVA, vSphere API / govc JSON, RVTools) read
into one VM model (see :mod:`lintra.load.vsphere.model`), document kind ``vsphere-vm``."""

from lintra.hookspecs import hookimpl
from lintra.load import Detector, Loader
from lintra.load.vsphere import apijson, ovf, rvtools, vmx


@hookimpl
def register_loaders(register):
    register(Loader("vmx", (".vmx",), vmx.load_vmx))
    register(Loader("ovf", (".ovf",), ovf.load_ovf, binary=True))
    register(Loader("ova", (".ova",), ovf.load_ova, binary=True))
    register(Loader("rvtools-csv", (".csv",), rvtools.load_csv))
    register(Loader("rvtools-xlsx", (".xlsx",), rvtools.load_xlsx, binary=True))


@hookimpl
def register_detectors(register):
    register(Detector("vsphere", apijson.detect))
