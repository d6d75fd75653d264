"""LK118 k8s-cloud-provider-flag: a container started with one vendor's cloud provider.

Kubernetes components (kube-controller-manager, kubelet, kube-apiserver) and many controllers
that embed them take ``--cloud-provider=NAME`` (or ``--cloud-provider NAME``): ``aws``, ``gce``,
``azure`` and ``vsphere`` select the legacy in-tree provider that calls that cloud's API for
nodes, routes, load balancers and volumes, and the cloud-controller-manager of each provider
(``aws-cloud-controller-manager``, ``cloud-provider-azure``, vSphere CPI) is started with its own
name. ``external`` (a separate cloud-controller-manager decides) and an empty value are neutral.
The flag is found in every container's ``command`` and ``args`` of every pod.

References:
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
- https://kubernetes.io/docs/concepts/architecture/cloud-controller/
- https://kubernetes.io/docs/tasks/administer-cluster/running-cloud-controller/
- https://github.com/kubernetes/cloud-provider-aws
- https://cloud-provider-azure.sigs.k8s.io/install/
- https://github.com/kubernetes/cloud-provider-vsphere
"""

from lintra.check.params import effective
from lintra.domain.kubernetes import PODS, containers, flag_values
from lintra.model import FLAG_VALUE, Hit, Rule
from lintra.rules.docstring import rationale, references

#: --cloud-provider value -> vendor
PROVIDERS = {"aws": "aws", "gce": "gcp", "azure": "azure", "vsphere": "vmware"}
#: --cloud-provider value -> the provider it runs
SERVICES = {"aws": "AWS cloud provider", "gce": "GCE cloud provider", "azure": "Azure cloud provider",
            "vsphere": "vSphere cloud provider"}
FLAG = "--cloud-provider"


def check(document, scan):
    providers = {name.lower(): vendor for name, vendor in effective(RULE, scan)["providers"].items()}
    for pointer, container in containers(document.data):
        if not isinstance(container, dict):
            continue
        for field in ("command", "args"):
            # the part after '=' of --cloud-provider=NAME is what a Helm chart may print from its values
            for i, value, after_equals in flag_values(container.get(field), FLAG):
                at = FLAG_VALUE if after_equals else "value"
                vendor = providers.get(value.lower())
                if vendor:
                    name = container.get("name", "?")
                    yield Hit(pointer + (field, i), f"container '{name}' runs the {value} cloud provider",
                              at=at, vendor=vendor, service=SERVICES.get(value.lower(), f"{value} cloud provider"))


EXAMPLES = {
    "fail": [{"content": "apiVersion: v1\nkind: Pod\nmetadata: {name: kcm, namespace: kube-system}\nspec:\n"
                         "  containers:\n    - name: kube-controller-manager\n"
                         "      image: registry.k8s.io/kube-controller-manager:v1.26.0\n"
                         "      command: [kube-controller-manager, --cloud-provider=aws]\n",
              "expect": [{"line": 8, "column": 42}]}],  # the flag item
    "pass": ["apiVersion: v1\nkind: Pod\nmetadata: {name: kcm, namespace: kube-system}\nspec:\n"
             "  containers:\n    - name: kube-controller-manager\n"
             "      image: registry.k8s.io/kube-controller-manager:v1.30.0\n"
             "      command: [kube-controller-manager, --cloud-provider=external]\n"],
}

RULE = Rule(
    id="LK118", name="k8s-cloud-provider-flag", title="Container runs one vendor's cloud provider (--cloud-provider)",
    vendor="other",  # each finding names the provider's vendor
    category="compute", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Run components with --cloud-provider=external and install the cloud-controller-manager of "
                "each infrastructure in its platform layer.",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="cloud providers of Kubernetes components", effort=3,
    effort_reason="the components move to --cloud-provider=external and each infrastructure's "
                  "cloud-controller-manager is installed in its platform layer",
    vendors=sorted(set(PROVIDERS.values())), services=sorted(SERVICES.values()),
    params={"providers": {
        "type": "vendor_map", "default": dict(PROVIDERS),
        "description": "--cloud-provider values that select one vendor's provider, each with its vendor (the "
                       "in-tree providers of kube-controller-manager's reference). Add the provider names of "
                       "further clouds (a fork's or a vendor distribution's); remove one the organisation "
                       "accepts. external and an empty value are never reported."}},
    finds_under=[PODS],  # in the containers' command and args
)
