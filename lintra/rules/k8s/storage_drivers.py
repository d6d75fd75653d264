"""Which vendor a storage driver name belongs to: in-tree provisioners and CSI driver names.

A CSI driver's name is the ``provisioner`` of its StorageClasses, the ``driver`` of its
VolumeSnapshotClasses, the ``spec.csi.driver`` of its PersistentVolumes and inline volumes and the
``metadata.name`` of its CSIDriver object; every vendor documents the one its driver registers.
Drivers that run on any infrastructure (Ceph RBD/CephFS, NFS, SMB, Longhorn, OpenEBS, TopoLVM,
hostpath) are not listed. Which pack rule already reports a name at a StorageClass, PV or pod is
``PACK_RULES``; LK116 reports the rest.

References:
- https://kubernetes-csi.github.io/docs/drivers.html
- https://kubernetes.io/docs/concepts/storage/storage-classes/#provisioner
- https://docs.aws.amazon.com/eks/latest/userguide/storage.html
- https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
- https://github.com/kubernetes-sigs/aws-fsx-openzfs-csi-driver
- https://cloud.google.com/kubernetes-engine/docs/concepts/storage-overview
- https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/managed-lustre
- https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/parallelstore-csi-new-volume
- https://learn.microsoft.com/azure/aks/csi-storage-drivers
- https://learn.microsoft.com/azure/azure-managed-lustre/use-csi-driver-kubernetes
- https://learn.microsoft.com/azure/storage/elastic-san/elastic-san-connect-aks
- https://learn.microsoft.com/azure/storage/container-storage/container-storage-introduction
- https://docs.netapp.com/us-en/trident/trident-use/create-stor-class.html
- https://docs.portworx.com/portworx-enterprise/operations/operate-kubernetes/storage-operations/create-pvcs/dynamic-provisioning
- https://github.com/purestorage/pso-csi
- https://dell.github.io/csm-docs/docs/csidriver/
- https://scod.hpedev.io/csi_driver/using.html
- https://www.ibm.com/docs/en/stg-block-csi-driver
- https://www.ibm.com/docs/en/scalecsi
- https://cloud.ibm.com/docs/vpc?topic=vpc-block-storage-about
- https://docs.oracle.com/en-us/iaas/Content/ContEng/Tasks/contengcreatingpersistentvolumeclaim.htm
- https://docs.hitachivantara.com/r/en-us/storage-plug-in-for-containers
- https://github.com/Huawei/eSDK_K8S_Plugin
- https://portal.nutanix.com/page/documents/details?targetId=CSI-Volume-Driver
- https://docs.digitalocean.com/products/kubernetes/how-to/add-volumes/
- https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/storage-basics
- https://github.com/linode/linode-blockstorage-csi-driver
- https://github.com/Infinidat/infinibox-csi-driver
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional, Tuple

#: driver or in-tree provisioner name -> (vendor, product)
DRIVERS = {
    # VMware
    "kubernetes.io/vsphere-volume": ("vmware", "vSphere in-tree volumes"),
    "csi.vsphere.vmware.com": ("vmware", "vSphere Container Storage Plug-in"),
    # AWS (ebs.csi.eks.amazonaws.com is EKS Auto Mode's managed block storage)
    "kubernetes.io/aws-ebs": ("aws", "Amazon EBS"), "ebs.csi.aws.com": ("aws", "Amazon EBS"),
    "ebs.csi.eks.amazonaws.com": ("aws", "EKS Auto Mode block storage"),
    "efs.csi.aws.com": ("aws", "Amazon EFS"), "fsx.csi.aws.com": ("aws", "Amazon FSx for Lustre"),
    "fsx.openzfs.csi.aws.com": ("aws", "Amazon FSx for OpenZFS"), "s3.csi.aws.com": ("aws", "Mountpoint for Amazon S3"),
    # Google Cloud
    "kubernetes.io/gce-pd": ("gcp", "Persistent Disk"), "pd.csi.storage.gke.io": ("gcp", "Persistent Disk"),
    "filestore.csi.storage.gke.io": ("gcp", "Filestore"), "gcsfuse.csi.storage.gke.io": ("gcp", "Cloud Storage FUSE"),
    "lustre.csi.storage.gke.io": ("gcp", "Managed Lustre"), "parallelstore.csi.storage.gke.io": ("gcp", "Parallelstore"),
    "secrets-store-gke.csi.k8s.io": ("gcp", "GKE Secret Manager add-on"),
    # Azure
    "kubernetes.io/azure-disk": ("azure", "Azure Disk"), "kubernetes.io/azure-file": ("azure", "Azure Files"),
    "disk.csi.azure.com": ("azure", "Azure Disk"), "file.csi.azure.com": ("azure", "Azure Files"),
    "blob.csi.azure.com": ("azure", "Azure Blob"), "azurelustre.csi.azure.com": ("azure", "Azure Managed Lustre"),
    "san.csi.azure.com": ("azure", "Azure Elastic SAN"),
    "containerstorage.csi.azure.com": ("azure", "Azure Container Storage"),
    # storage vendors
    "csi.trident.netapp.io": ("netapp", "NetApp Trident"),
    "kubernetes.io/portworx-volume": ("pure", "Portworx"), "pxd.portworx.com": ("pure", "Portworx"),
    "pure-csi": ("pure", "Pure Service Orchestrator"),
    "kubernetes.io/scaleio": ("dell", "Dell ScaleIO"), "csi-powerflex.dellemc.com": ("dell", "Dell PowerFlex"),
    "csi-vxflexos.dellemc.com": ("dell", "Dell PowerFlex (VxFlex OS)"),
    "csi-powerstore.dellemc.com": ("dell", "Dell PowerStore"), "csi-isilon.dellemc.com": ("dell", "Dell PowerScale"),
    "csi-unity.dellemc.com": ("dell", "Dell Unity XT"), "csi-powermax.dellemc.com": ("dell", "Dell PowerMax"),
    "csi.hpe.com": ("hpe", "HPE CSI Driver (Alletra, Nimble, Primera, 3PAR)"),
    "block.csi.ibm.com": ("ibm", "IBM block storage (FlashSystem)"),
    "spectrumscale.csi.ibm.com": ("ibm", "IBM Storage Scale"),
    "vpc.block.csi.ibm.io": ("ibm", "IBM Cloud VPC Block Storage"), "vpc.file.csi.ibm.io": ("ibm", "IBM Cloud VPC File Storage"),
    "blockvolume.csi.oraclecloud.com": ("oracle", "OCI Block Volume"),
    "fss.csi.oraclecloud.com": ("oracle", "OCI File Storage"),
    "hspc.csi.hitachi.com": ("other", "Hitachi Storage Plug-in for Containers"),
    "csi.huawei.com": ("other", "Huawei eSDK CSI"),
    "csi.nutanix.com": ("other", "Nutanix CSI"),
    "dobs.csi.digitalocean.com": ("other", "DigitalOcean Block Storage"),
    "diskplugin.csi.alibabacloud.com": ("other", "Alibaba Cloud disk"),
    "nasplugin.csi.alibabacloud.com": ("other", "Alibaba Cloud NAS"),
    "ossplugin.csi.alibabacloud.com": ("other", "Alibaba Cloud OSS"),
    "linodebs.csi.linode.com": ("other", "Linode Block Storage"),
    "infinibox-csi-driver": ("other", "Infinidat InfiniBox"),
    "kubernetes.io/storageos": ("other", "StorageOS"), "kubernetes.io/quobyte": ("other", "Quobyte"),
}

#: vendors whose drivers the storage packs already report at StorageClass provisioners, PV
#: ``spec.csi.driver`` and pod inline volumes (LK102/LK103, LK201, LK301, LK401), and the in-tree
#: provisioners LK601 reports
PACK_VENDORS = frozenset({"vmware", "aws", "gcp", "azure"})
PACK_INTREE = frozenset({"kubernetes.io/portworx-volume", "kubernetes.io/scaleio", "kubernetes.io/storageos",
                         "kubernetes.io/quobyte"})


def vendor_of(name) -> Optional[Tuple[str, str]]:
    """``(vendor, product)`` of a driver or provisioner name, or None when it is not a vendor's."""
    return DRIVERS.get(name) if isinstance(name, str) else None


def reported_by_packs(name: str) -> bool:
    found = DRIVERS.get(name)
    return name in PACK_INTREE or (found is not None and found[0] in PACK_VENDORS)
