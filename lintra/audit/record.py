"""One repository's audit record: what the scan pipeline found, in the audit's data model.

A record holds facts only (objects per file, findings with their status and what each profile
would make of them); every view of the report (scores, matrix, inventory ...) is computed from
records by :mod:`lintra.audit.analyse`, so merged records give the same views as one run.

Objects are what the score counts: each Kubernetes object (each object a Helm template or a
Kustomize build renders, known by the file that writes it and its identity: see
:class:`ObjectIndex`), each Heat or CloudFormation resource, each Heat environment file, each VM of
a vSphere export. Documents of other kinds count as one object each.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict

from lintra.model import RESERVED_VENDOR, Document, Finding, Rule
from lintra.report.paths import ci_path

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

BUILTIN_PROFILES = ("conservative", "balanced", "agile")
#: document kind -> layer of the stack it describes
LAYERS = {"vsphere-vm": "vm", "heat": "iaas", "cfn": "iaas", "heat-env": "iaas", "k8s": "platform"}
LAYER_TITLES = {"vm": "VM (vSphere)", "iaas": "IaaS (Heat)", "platform": "Container platform (Kubernetes)",
                "other": "Other"}
_RESOURCES = {"heat": "resources", "cfn": "Resources"}


def layer_of(kind: Optional[str]) -> str:
    return LAYERS.get(kind or "", "other")


class ObjectIndex:
    """Objects per file, summarised from each file's documents in the pipeline's map step, while
    they are alive (``run(observe=...)``; :meth:`summarise` may run in a worker process and returns
    plain data, :meth:`add` gathers it): ``key -> (type, name)`` and ``file -> (layer, count)``.

    An object is keyed by the file that writes it and its identity (a Kubernetes object's
    apiVersion/kind/namespace/name, a VM's name, else its position; a Heat resource's name), so
    an object read both on its own and through a Kustomize build that leaves it unchanged counts
    once, while an overlay that renames it (``namePrefix``) makes another object."""

    def __init__(self, root: Optional[str]) -> None:
        self.root = root
        self.objects: Dict[str, Tuple[str, str]] = {}
        self.files: Dict[str, List[Any]] = {}
        #: object identity -> the keys of the objects of that identity (one per writing file)
        self.identities: Dict[str, List[str]] = defaultdict(list)

    def summarise(self, documents: Sequence[Document]) -> List[Tuple[str, str, str, str, str, str]]:
        """``(file, layer, key, type, name, identity)`` of every object the documents hold (a row
        with an empty key names a file)."""
        from lintra.check.identity import object_identity

        found = []
        for doc in documents:
            try:
                written = doc.span(()).file
            except Exception:  # a locator that cannot place the whole object: its own file
                written = None
            file = ci_path(written or doc.source.name, self.root)
            layer = layer_of(doc.kind)
            found.append((file, layer, "", "", "", ""))  # the file is listed even when it holds no object
            data = doc.data if isinstance(doc.data, dict) else {}
            identity = object_identity(doc).lstrip("#")
            section = _RESOURCES.get(doc.kind)
            if section is not None:
                resources = data.get(section)
                for name, resource in (resources.items() if isinstance(resources, dict) else ()):
                    kind = resource.get("type", resource.get("Type")) if isinstance(resource, dict) else None
                    found.append((file, layer, f"{file}#{identity}/{name}", str(kind or "resource"), str(name),
                                  f"{identity}/{name}"))
                continue
            if doc.kind == "k8s":
                kind, name = str(data.get("kind", "object")), doc.name or ""
            elif doc.kind == "vsphere-vm":
                kind, name = "VM", str(data.get("name", ""))
            elif doc.kind == "heat-env":
                kind, name = "environment", os.path.basename(file)
            else:
                kind, name = doc.kind, ""
            found.append((file, layer, f"{file}#{identity}", kind, name, identity))
        return found

    def add(self, summary: List[Tuple[str, str, str, str, str, str]]) -> None:
        for file, layer, key, kind, name, identity in summary:
            entry = self.files.setdefault(file, [layer, 0])
            if key and key not in self.objects:
                self.objects[key] = (kind, name)
                self.identities[identity].append(key)
                entry[1] += 1

    def resolve(self, key: str) -> str:
        """The key of the object a finding is on. A finding located in another file than the one
        that writes its object (a Helm value in values.yaml, a Kustomize ``images:`` entry) names
        the object of its identity written nearest to that file."""
        if key in self.objects:
            return key
        file, _, identity = key.partition("#")
        candidates = self.identities.get(identity)
        if not candidates:
            return key
        here = file.split("/")[:-1]

        def shared(candidate: str) -> int:
            there = candidate.partition("#")[0].split("/")[:-1]
            n = 0
            while n < min(len(here), len(there)) and here[n] == there[n]:
                n += 1
            return n

        return min(candidates, key=lambda c: (-shared(c), c))


def object_key(file: str, identity: str, pointer: Sequence[Any], kind: Optional[str]) -> str:
    """The key of the object a finding is on: its file, the object's identity, and for a Heat or
    CloudFormation template the resource its pointer enters."""
    identity = identity.lstrip("#")
    section = _RESOURCES.get(kind or "")
    if section is not None and len(pointer) >= 2 and pointer[0] == section:
        return f"{file}#{identity}/{pointer[1]}"
    return f"{file}#{identity}"


def rule_dict(rule: Rule) -> Dict[str, Any]:
    return {"name": rule.name, "title": rule.title, "vendor": rule.vendor, "category": rule.category,
            "strength": rule.strength, "service": rule.service or None, "effort": rule.effort,
            "rationale": rule.rationale, "remediation": rule.remediation, "references": list(rule.references)}


def ruleset_digest(rules: Iterable[Rule], judgement) -> str:
    """What decides the findings besides the files: every rule's metadata and pack file, and the
    judgement's profile chain, selection and sanctioned vendors."""
    digest = hashlib.sha256()
    packs = set()
    for rule in sorted(rules, key=lambda r: r.id):
        digest.update(json.dumps([rule.id, rule_dict(rule), rule.severity.name, list(rule.kinds)],
                                 sort_keys=True).encode())
        origin = rule.origin.split(" (pack ", 1)[0]
        if os.path.isfile(origin):
            packs.add(origin)
    for pack in sorted(packs):
        with open(pack, "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    profile = judgement.profile
    digest.update(json.dumps([profile.chain, profile.origin, judgement.select, judgement.ignore,
                              sorted(judgement.sanctioned), judgement.fail_on.name,
                              {k: v.name for k, v in judgement.severity.items()}], default=str).encode())
    return digest.hexdigest()[:32]


def _fails(rule: Rule, vendor: str, status: str, configured: bool, cap=None) -> Dict[str, bool]:
    """Whether the finding would fail under each built-in profile, and as configured. ``cap`` is
    the level the run judged the finding below its rule's level for its own reason (a Helm branch
    the default values do not render): every profile keeps that."""
    from lintra.filter.profiles import resolve

    fails = {}
    for name in BUILTIN_PROFILES:
        profile = resolve(name)
        level = profile.level(rule, vendor)
        if level is not None and cap is not None:
            level = min(level, cap)
        fails[name] = status == "open" and level is not None and level >= profile.fail_on
    fails["configured"] = configured
    return fails


def _own_cap(finding: Finding, judgement):
    if finding.sanctioned:
        return None  # sanctioned is a status, not a level of its own
    expected = judgement.for_file(finding.file).level(finding.rule, finding.vendor)
    return finding.level if expected is not None and finding.level < expected else None


def finding_entry(finding: Finding, status: str, root: Optional[str], index: ObjectIndex, judgement) -> Dict[str, Any]:
    file = ci_path(finding.file, root)
    key = index.resolve(object_key(file, finding.identity_parts[0], finding.pointer, finding.kind))
    kind, name = index.objects.get(key, ("object", ""))
    return {
        "rule_id": finding.rule.id, "vendor": finding.vendor, "service": finding.service or None,
        "category": finding.rule.category, "strength": finding.rule.strength, "layer": layer_of(finding.kind),
        "level": finding.level.name, "effort": finding.rule.effort, "file": file, "line": finding.span.line,
        "column": finding.span.column, "object": key, "object_type": kind, "object_name": name,
        "message": finding.message, "fingerprint": finding.fingerprint,
        "status": status,
        "fails": _fails(finding.rule, finding.vendor, status, status == "open" and judgement.fails(finding),
                        _own_cap(finding, judgement)),
    }


def from_result(result, unit, index: ObjectIndex, version: str, digest: str, commit: Optional[str],
                tree: Optional[str]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``(record, rules it cites)`` for one repository's pipeline result."""
    judgement = result.judgement
    entries = []
    rules: Dict[str, Any] = {}
    statuses = [(f, "suppressed" if f.suppressed else "sanctioned" if f.sanctioned else "open")
                for f in result.findings] + [(f, "baselined") for f in result.accepted]
    for finding, status in statuses:
        rules.setdefault(finding.rule.id, rule_dict(finding.rule))
        entries.append(finding_entry(finding, status, unit.root, index, judgement))
    entries.sort(key=lambda e: (e["file"], e["line"], e["column"], e["rule_id"], e["fingerprint"]))
    statuses_count = defaultdict(int)
    for record in result.files:
        statuses_count[record.status] += 1
    record = base_record(unit.name, unit.source, unit.url, unit.ref, unit.root, commit, tree, version, digest,
                         judgement.profile.name)
    record.update({
        "files": {"total": len(result.files), "scanned": statuses_count["scanned"],
                  "skipped": statuses_count["skipped"], "error": statuses_count["error"]},
        "objects": [{"file": file, "layer": layer, "objects": count}
                    for file, (layer, count) in sorted(index.files.items()) if count],
        "object_names": {key: name for key, (kind, name) in sorted(index.objects.items())
                         if kind == "VM"},
        "findings": entries,
    })
    return record, rules


def base_record(name: str, source: str, url: Optional[str], ref: Optional[str], root: Optional[str],
                commit: Optional[str], tree: Optional[str], version: str, digest: Optional[str],
                profile: Optional[str], status: str = "audited", error: Optional[str] = None) -> Dict[str, Any]:
    return {"name": name, "source": source, "url": url, "ref": ref, "root": root, "commit": commit,
            "tree_digest": tree, "lintra_version": version, "ruleset_digest": digest, "profile": profile,
            "status": status, "error": error, "files": {"total": 0, "scanned": 0, "skipped": 0, "error": 0},
            "objects": [], "object_names": {}, "findings": []}


def from_check_json(data: Dict[str, Any], source: str, registry) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """A record from ``lintra check --format json`` output. Check leaves baselined findings out
    and does not list Heat resources, so a template counts the resources its findings name (at
    least one object per document): its score is a lower bound."""
    from lintra.model import Level

    version = str((data.get("tool") or {}).get("version", ""))
    name = os.path.splitext(os.path.basename(source))[0]
    record = base_record(name, source, None, None, None, None, None, version, None,
                         (data.get("summary") or {}).get("profile"))
    layers: Dict[str, Tuple[str, int]] = {}
    for entry in data.get("files") or ():
        kinds = [k for k in (entry.get("kind") or "").split(",") if k]
        layers[entry["file"]] = (layer_of(kinds[0] if kinds else None), int(entry.get("documents") or 0))
    counts = defaultdict(int)
    for entry in data.get("files") or ():
        counts[entry.get("status", "scanned")] += 1
    record["files"] = {"total": sum(counts.values()), "scanned": counts["scanned"], "skipped": counts["skipped"],
                       "error": counts["error"]}
    rules: Dict[str, Any] = {}
    resources: Dict[str, set] = defaultdict(set)
    entries = []
    for item in data.get("findings") or ():
        rule = registry.rules.get(item["rule_id"])
        if rule is None or item.get("vendor") == RESERVED_VENDOR and rule.vendor != RESERVED_VENDOR:
            rule = Rule(item["rule_id"], item.get("rule", item["rule_id"]), item.get("rule", item["rule_id"]),
                        RESERVED_VENDOR if item.get("vendor") == RESERVED_VENDOR else item.get("vendor", "other"),
                        item.get("category", "api"), item.get("strength", "soft"), item.get("level", "warning"),
                        (), "", item.get("remediation", ""), lambda document, scan: ())
        rules.setdefault(rule.id, rule_dict(rule))
        layer, _ = layers.get(item["file"], ("other", 0))
        pointer = [part.replace("~1", "/").replace("~0", "~") for part in item.get("pointer", "").split("/")[1:]]
        kind = {"iaas": "heat"}.get(layer)
        if kind == "heat" and pointer[:1] == ["Resources"]:
            kind = "cfn"
        key = object_key(item["file"], f"#{item.get('document') or 0}", pointer, kind)
        if key.count("#") and "/" in key.rsplit("#", 1)[1]:
            resources[item["file"]].add(key)
        status = "suppressed" if item.get("suppressed") else "sanctioned" if item.get("sanctioned") else "open"
        configured = status == "open" and Level.parse(item["level"]) >= Level.parse(
            (data.get("summary") or {}).get("fail_on", "error"))
        entries.append({
            "rule_id": rule.id, "vendor": item.get("vendor", rule.vendor), "service": rule.service or None,
            "category": item.get("category", rule.category), "strength": item.get("strength", rule.strength),
            "layer": layer, "level": item["level"], "effort": rule.effort, "file": item["file"],
            "line": item["line"], "column": item["column"], "object": key, "object_type": "object",
            "object_name": "", "message": item["message"], "fingerprint": item["fingerprint"], "status": status,
            "fails": _fails(rule, item.get("vendor", rule.vendor), status, configured)})
    entries.sort(key=lambda e: (e["file"], e["line"], e["column"], e["rule_id"], e["fingerprint"]))
    record["findings"] = entries
    record["objects"] = [{"file": file, "layer": layer,
                          "objects": max(count, len(resources[file])) if layer == "iaas" else count}
                         for file, (layer, count) in sorted(layers.items()) if count]
    return record, rules
