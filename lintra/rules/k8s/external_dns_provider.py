"""LK120 k8s-external-dns-provider: external-dns run against one cloud vendor's DNS service.

ExternalDNS publishes the hostnames of Services, Ingresses and Gateway routes as records in the
DNS service its ``--provider`` flag names (``--provider=NAME``, ``--provider NAME``, or the
``EXTERNAL_DNS_PROVIDER`` environment variable, kingpin's form of every flag): ``aws`` (Amazon
Route 53), ``aws-sd`` (AWS Cloud Map), ``google`` (Google Cloud DNS), ``azure`` / ``azure-dns``
(Azure DNS), ``azure-private-dns`` (Azure Private DNS), ``oci`` (OCI DNS), ``ibmcloud`` (IBM Cloud
DNS), ``alibabacloud``, ``tencentcloud``, ``digitalocean``, ``linode``, ``exoscale``,
``scaleway``, ``civo``, ``ovh`` and ``vultr`` are the DNS services of one cloud, reached with that
cloud's credentials and zones, so the records (and the names clients resolve) live on that cloud.
Self-hosted and standard back ends are neutral and not reported: ``rfc2136`` (any RFC 2136 DNS
server), ``coredns`` / ``skydns`` (etcd), ``pdns`` (PowerDNS), ``designate`` (OpenStack),
``pihole``, ``inmemory`` and ``webhook`` (an out-of-tree provider in a sidecar); so are DNS-only
services (Cloudflare, NS1, Akamai Edge DNS, UltraDNS, ...), which a cluster on any infrastructure
uses alike (add them to the ``providers`` parameter to report them). Only a container that is
external-dns is judged: its image's name is ``external-dns``
(``registry.k8s.io/external-dns/external-dns``, ``bitnami/external-dns``), its command runs
``external-dns``, or its arguments
are external-dns's (``--source`` with ``--txt-owner-id``, ``--txt-prefix``, ``--txt-suffix``,
``--domain-filter``, ``--exclude-domains``, ``--zone-id-filter`` or ``--managed-record-types``);
another program's ``--provider`` flag is not read. The external-dns Helm chart's ``provider: aws``
or ``provider: {name: aws}`` value becomes the container's ``--provider=aws`` argument, so a
chart's finding points at that line of values.yaml.

References:
- https://github.com/kubernetes-sigs/external-dns#status-of-in-tree-providers
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/flags.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws-sd.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/gke.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/azure.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/azure-private-dns.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/oracle.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/ibmcloud.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/alibabacloud.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/tencentcloud.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/rfc2136.md
- https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/webhook-provider.md
- https://github.com/kubernetes-sigs/external-dns/tree/master/charts/external-dns
"""

from lintra.check.params import effective
from lintra.domain.kubernetes import PODS, containers, flag_values, has_flag, image_name
from lintra.model import FLAG_VALUE, Hit, Rule
from lintra.rules.docstring import rationale, references

#: --provider value -> the vendor whose DNS service it manages (external-dns's provider list,
#: pkg/apis/externaldns/types.go, and its tutorials)
PROVIDERS = {
    "aws": "aws", "aws-sd": "aws", "google": "gcp", "azure": "azure", "azure-dns": "azure",
    "azure-private-dns": "azure", "oci": "oracle", "ibmcloud": "ibm", "alibabacloud": "other",
    "tencentcloud": "other", "digitalocean": "other", "linode": "other", "exoscale": "other",
    "scaleway": "other", "civo": "other", "ovh": "other", "vultr": "other",
}
#: --provider value -> the DNS service it manages
SERVICES = {
    "aws": "Amazon Route 53", "aws-sd": "AWS Cloud Map", "google": "Google Cloud DNS", "azure": "Azure DNS",
    "azure-dns": "Azure DNS", "azure-private-dns": "Azure Private DNS", "oci": "OCI DNS",
    "ibmcloud": "IBM Cloud DNS", "alibabacloud": "Alibaba Cloud DNS", "tencentcloud": "Tencent Cloud DNS",
    "digitalocean": "DigitalOcean DNS", "linode": "Linode DNS Manager", "exoscale": "Exoscale DNS",
    "scaleway": "Scaleway DNS", "civo": "Civo DNS", "ovh": "OVHcloud DNS", "vultr": "Vultr DNS",
}
FLAG = "--provider"
ENV = "EXTERNAL_DNS_PROVIDER"
#: flags only external-dns takes, which mark a container as external-dns beside --source
DNS_FLAGS = ("--txt-owner-id", "--txt-prefix", "--txt-suffix", "--domain-filter", "--exclude-domains",
             "--zone-id-filter", "--managed-record-types")


def _strings(container, field):
    items = container.get(field)
    return items if isinstance(items, list) else ()


def is_external_dns(container) -> bool:
    """Whether ``container`` runs external-dns: by its image's name, its command's program, or
    flags only external-dns takes."""
    image = container.get("image")
    if isinstance(image, str) and image_name(image) == "external-dns":
        return True
    command = _strings(container, "command")
    if command and isinstance(command[0], str) and command[0].rstrip("/").rpartition("/")[2] == "external-dns":
        return True
    items = [*command, *_strings(container, "args")]
    return has_flag(items, "--source") and any(has_flag(items, flag) for flag in DNS_FLAGS)


def _values(container):
    """``(pointer within the container, provider name, at)`` of each provider the container names."""
    for field in ("command", "args"):
        # the part after '=' of --provider=NAME is what the external-dns chart prints from its values
        for i, value, after_equals in flag_values(container.get(field), FLAG):
            yield (field, i), value, FLAG_VALUE if after_equals else "value"
    for i, variable in enumerate(_strings(container, "env")):
        if isinstance(variable, dict) and variable.get("name") == ENV and isinstance(variable.get("value"), str):
            yield ("env", i, "value"), variable["value"].strip(), "value"


def check(document, scan):
    providers = None
    for pointer, container in containers(document.data):
        if not isinstance(container, dict) or not is_external_dns(container):
            continue
        for where, value, at in _values(container):
            if providers is None:
                providers = {name.lower(): vendor for name, vendor in effective(RULE, scan)["providers"].items()}
            vendor = providers.get(value.lower())
            if vendor:
                service = SERVICES.get(value.lower(), f"{value} DNS")
                yield Hit(pointer + where,
                          f"container '{container.get('name', '?')}' runs external-dns against {service} "
                          f"(provider {value})", at=at, vendor=vendor, service=service)


EXAMPLES = {
    "fail": [
        {"content": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: external-dns}\nspec:\n"
                    "  template:\n    spec:\n      containers:\n        - name: external-dns\n"
                    "          image: registry.k8s.io/external-dns/external-dns:v0.15.0\n"
                    "          args:\n            - --source=service\n            - --provider=aws\n",
         "expect": [{"line": 12, "column": 15}]},  # the --provider=aws item
        {"content": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dns}\nspec:\n"
                    "  template:\n    spec:\n      containers:\n        - name: dns\n"
                    "          image: example.org/mirror/dns-sync:1\n"
                    "          args: [--source, ingress, --domain-filter=example.org, --provider, google]\n",
         "expect": [{"line": 10, "column": 78}]},  # the value after --provider
    ],
    "pass": [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: external-dns}\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: external-dns\n"
        "          image: registry.k8s.io/external-dns/external-dns:v0.15.0\n"
        "          args:\n            - --source=service\n            - --provider=rfc2136\n"
        "            - --rfc2136-host=ns1.example.org\n",
        # another program's --provider flag is not external-dns's
        "apiVersion: v1\nkind: Pod\nmetadata: {name: proxy}\nspec:\n  containers:\n"
        "    - name: oauth2-proxy\n      image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0\n"
        "      args: [--provider=google, --upstream=http://app]\n",
    ],
}

RULE = Rule(
    id="LK120", name="k8s-external-dns-provider", title="external-dns manages records in one cloud's DNS service",
    vendor="other",  # each finding names the provider's vendor
    category="network", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Keep the DNS provider choice in the platform layer (one external-dns per infrastructure, "
                "configured there), or publish to a DNS server every target reaches (rfc2136, PowerDNS, a webhook "
                "provider the organisation runs).",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="cloud DNS services managed by external-dns", effort=3,
    effort_reason="the zones move to the target's DNS service and external-dns gets that provider's flags and "
                  "credentials",
    known_problems="A container is judged to be external-dns by its image's name (a mirror that renames the "
                   "image is missed unless its arguments are external-dns's), by its command, or by its "
                   "arguments; a provider chosen only through a flags file or a ConfigMap-held environment "
                   "(envFrom) is not seen. The cloud's credentials and zone flags beside it (--aws-zone-type, "
                   "--google-project, --azure-resource-group, ...) are not reported separately: they belong to "
                   "the provider this finding names.",
    vendors=sorted(set(PROVIDERS.values())), services=sorted(set(SERVICES.values())),
    params={"providers": {
        "type": "vendor_map", "default": dict(PROVIDERS),
        "description": "external-dns --provider values that manage one cloud vendor's DNS service, each with its "
                       "vendor (github.com/kubernetes-sigs/external-dns, the provider list and docs/tutorials): "
                       "Route 53 and Cloud Map aws, Cloud DNS gcp, Azure DNS and Private DNS azure, OCI DNS "
                       "oracle, IBM Cloud DNS ibm; Alibaba Cloud, Tencent Cloud, DigitalOcean, Linode, Exoscale, "
                       "Scaleway, Civo, OVHcloud and Vultr other. Add DNS-only services the organisation treats as "
                       "lock-in (cloudflare, ns1, akamai, ...); remove one it accepts. rfc2136, coredns, pdns, "
                       "designate, inmemory and webhook are never in it by default."}},
    finds_under=[PODS],  # in the containers' command, args and env
)
