"""LK126 k8s-vendor-api-access: RBAC or an admission webhook on a vendor controller's API group.

A Role or ClusterRole whose ``rules[].apiGroups`` name a vendor's API group
(``crd.nsx.vmware.com``, ``iam.services.k8s.aws``, ``containerservice.azure.com``,
``config.openshift.io``, ``vmware.infrastructure.cluster.x-k8s.io`` ...) grants the deployment's
ServiceAccounts access to objects only that vendor's controllers serve, and a validating or
mutating webhook whose ``webhooks[].rules[].apiGroups`` name one intercepts them: the software
that ships the grant reads or writes that vendor's API, so it depends on it even when no object of
the group is in the repository. An API group is a DNS subdomain owned by whoever defines it; the
same group table as LK117 decides the vendor. Each group is reported once per object, at the first
list item naming it. A rule that grants only subresources (cert-manager's
``route.openshift.io`` ``routes/custom-host``, which OpenShift's ingress admission requires for a
neutral Ingress with a custom host) is not a use of the vendor's API and is not reported, and a rule
that grants only ``use`` of ``securitycontextconstraints`` is left to LK506, which reports the SCC
dependence itself (one finding for one grant, not two). The API belongs to the platform the software runs on, so this is substrate coupling; each finding names
the group's vendor.

References:
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
- https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#matching-requests-rules
- https://kubernetes.io/docs/reference/using-api/#api-groups
- https://github.com/vmware-tanzu/nsx-operator
- https://aws-controllers-k8s.github.io/community/docs/community/overview/
- https://azure.github.io/azure-service-operator/
- https://docs.openshift.com/container-platform/4.16/rest_api/config_apis/config-apis-index.html
- https://github.com/openshift/origin/blob/21f191775636f9acadb44fa42beeb4f75b255532/pkg/route/apiserver/admission/ingress_admission.go
"""

from lintra.check.params import effective
from lintra.model import Hit, Rule
from lintra.rules.docstring import rationale, references
from lintra.rules.k8s.controllers import VENDOR_DOMAINS, VENDOR_GROUPS, api_group, group_vendor
from lintra.rules.k8s.vendor_crd_group import SERVICES

#: kind -> (apiVersion group, where its rule lists are)
GRANTS = {
    "Role": ("rbac.authorization.k8s.io", ("rules",)),
    "ClusterRole": ("rbac.authorization.k8s.io", ("rules",)),
    "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io", ("webhooks", "rules")),
    "MutatingWebhookConfiguration": ("admissionregistration.k8s.io", ("webhooks", "rules")),
}


def _rules(data, path):
    """``(pointer, rule)`` of each rule mapping under ``path`` (a list of lists of mappings)."""
    level = [((), data)]
    for field in path:
        level = [(p + (field, i), item) for p, node in level if isinstance(node, dict)
                 and isinstance(node.get(field), list) for i, item in enumerate(node[field])]
    return [(p, item) for p, item in level if isinstance(item, dict)]


def _subresources_only(rule):
    """Whether an RBAC rule grants only subresources (``routes/custom-host``): OpenShift's ingress
    admission checks that one before it admits a neutral Ingress with a custom host, so the grant
    lets portable software create neutral objects there rather than use the vendor's API."""
    resources = rule.get("resources")
    return isinstance(resources, list) and bool(resources) and \
        all(isinstance(r, str) and "/" in r and not r.startswith("*") for r in resources)


def _scc_use_only(rule):
    """Whether an RBAC rule only lets pods run under an OpenShift SCC: LK506 reports that grant."""
    resources, verbs = rule.get("resources"), rule.get("verbs")
    return resources == ["securitycontextconstraints"] and isinstance(verbs, list) and verbs == ["use"]


def check(document, scan):
    data = document.data
    if not isinstance(data, dict) or data.get("kind") not in GRANTS:
        return
    group_of_kind, path = GRANTS[data["kind"]]
    if api_group(data.get("apiVersion")) != group_of_kind:
        return
    params = effective(RULE, scan)
    seen = set()
    for pointer, rule in _rules(data, path):
        if _subresources_only(rule) or _scc_use_only(rule):
            continue
        groups = rule.get("apiGroups")
        for i, group in enumerate(groups if isinstance(groups, list) else ()):
            if not isinstance(group, str) or group in seen or group in params["accepted_groups"]:
                continue
            vendor = params["extra_groups"].get(group) or group_vendor(group)
            if vendor:
                seen.add(group)
                what = "grants access to" if data["kind"].endswith("Role") else "intercepts"
                yield Hit(pointer + ("apiGroups", i), f"{data['kind']} '{document.name or '?'}' {what} API group "
                                                      f"{group}, served by {vendor}'s controllers",
                          at="value", vendor=vendor, service=SERVICES.get(vendor, f"{vendor} controllers"))


EXAMPLES = {
    "fail": [{"content": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: manager}\n"
                         "rules:\n- apiGroups:\n  - ''\n  - crd.nsx.vmware.com\n  resources: [subnetsets]\n"
                         "  verbs: [get, list]\n",
              "expect": [{"line": 7, "column": 5}]},  # the vendor group's item
             {"content": "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
                         "metadata: {name: v}\nwebhooks:\n- name: v.example.org\n  rules:\n"
                         "  - apiGroups: [s3.services.k8s.aws]\n    apiVersions: [v1alpha1]\n"
                         "    operations: [CREATE]\n    resources: [buckets]\n",
              "expect": [{"line": 7, "column": 17}]}],
    "pass": ["apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: manager}\n"
             "rules:\n- apiGroups: ['', apps, cluster.x-k8s.io, infrastructure.cluster.x-k8s.io]\n"
             "  resources: ['*']\n  verbs: [get]\n",
             # only the subresource OpenShift's ingress admission checks for a neutral Ingress
             "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: controller}\n"
             "rules:\n- apiGroups: [route.openshift.io]\n  resources: [routes/custom-host]\n  verbs: [create]\n",
             # using an SCC is LK506's finding
             "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: scc}\n"
             "rules:\n- apiGroups: [security.openshift.io]\n  resources: [securitycontextconstraints]\n"
             "  resourceNames: [anyuid]\n  verbs: [use]\n"],
}

RULE = Rule(
    id="LK126", name="k8s-vendor-api-access",
    title="RBAC or admission webhook on a vendor controller's API group",
    vendor="other",  # each finding names the group's vendor
    category="api", strength="substrate", severity="error", kinds=("k8s",),
    rationale=rationale(__doc__),
    remediation="Grant vendor API access from the per-platform layer that installs the vendor controller, or "
                "use neutral APIs (Gateway API, Cluster API core, Crossplane) the software can rely on everywhere.",
    references=references(__doc__),
    check=check, origin=__name__,
    examples=EXAMPLES,
    service="vendor controller APIs", effort=3,
    effort_reason="the code that reads or writes the vendor objects is ported to the target's API and the "
                  "grant rewritten for it",
    vendors=sorted(set(VENDOR_GROUPS.values()) | {vendor for _, vendor in VENDOR_DOMAINS}),
    services=sorted(SERVICES.values()),
    params={
        "extra_groups": {
            "type": "vendor_map", "default": {},
            "description": "Further API groups that only one vendor's controllers serve, each with its vendor "
                           "(a group outside the vendor's own domains)."},
        "accepted_groups": {
            "type": "strings", "default": [],
            "description": "Vendor API groups whose controllers the organisation installs on every target "
                           "(it accepts the coupling): grants and webhooks on them are not reported."}},
    finds_under=sorted({path[:1] for _, path in GRANTS.values()}),
)
