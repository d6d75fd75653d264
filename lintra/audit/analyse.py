"""The report's views, computed from repository records alone (so a merge equals one run).

Portability score of a scope (the estate, a repository, a layer, a directory)::

    score = 100 * (1 - sum(worst(o) for o in objects) / len(objects))

over the objects lintra read in that scope (see :mod:`lintra.audit.record`), where ``worst(o)``
is the weight of the strongest coupling found on object ``o``: 1 for ``hard``, 0.5 for
``substrate``, 0.2 for ``soft``, 0 without a finding. A rule the profile in use switches off finds
nothing, so it weighs nothing; baselined, suppressed and sanctioned findings still weigh (they are
accepted coupling, not portability). lintra's own diagnostics (vendor ``lintra``) are not coupling.
A scope without objects has no score (``null``).
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict

from lintra.model import RESERVED_VENDOR

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Tuple

WEIGHTS = {"hard": 1.0, "substrate": 0.5, "soft": 0.2}
LAYERS = ("vm", "iaas", "platform", "other")
FORMULA = ("score = 100 x (1 - sum of each object's worst coupling / number of objects); worst coupling "
           "weighs 1 (hard), 0.5 (substrate), 0.2 (soft) or 0 (none); baselined, suppressed and sanctioned "
           "findings count (accepted); objects are Kubernetes objects (each rendered Helm/Kustomize object once, "
           "by the file that writes it and its identity), "
           "Heat/CloudFormation resources, Heat environment files and VMs")
ACCEPTED = ("baselined", "suppressed", "sanctioned")
#: how many items a list view keeps in the JSON views (the records keep every finding)
LIST_LIMIT = 1000


def score(objects: int, coupling: float) -> Optional[float]:
    if objects <= 0:
        return None
    return round(100.0 * (1.0 - min(coupling, objects) / objects), 1)


def coupling_findings(record: Dict[str, Any]) -> Iterable[Dict[str, Any]]:
    return (f for f in record["findings"] if f["vendor"] != RESERVED_VENDOR)


class _Files:
    """Per (repository, file): layer, objects (at least the distinct objects its findings name)
    and the sum of each object's worst coupling weight."""

    def __init__(self, records: List[Dict[str, Any]]) -> None:
        self.rows: List[Tuple[str, str, str, int, float]] = []
        for record in records:
            counts = {o["file"]: (o["layer"], o["objects"]) for o in record["objects"]}
            worst: Dict[str, Dict[str, float]] = defaultdict(dict)
            layers: Dict[str, str] = {}
            for finding in coupling_findings(record):
                weight = WEIGHTS.get(finding["strength"], 0.0)
                objects = worst[finding["file"]]
                objects[finding["object"]] = max(weight, objects.get(finding["object"], 0.0))
                layers.setdefault(finding["file"], finding["layer"])
            for file in sorted(set(counts) | set(worst)):
                layer, count = counts.get(file, (layers.get(file, "other"), 0))
                objects = worst.get(file, {})
                self.rows.append((record["name"], file, layer, max(count, len(objects)), sum(objects.values())))

    def scope(self, repo: Optional[str] = None, layer: Optional[str] = None) -> Dict[str, Any]:
        if not hasattr(self, "_totals"):
            self._totals: Dict[Tuple[Optional[str], Optional[str]], List[float]] = defaultdict(lambda: [0, 0.0])
            for name, _file, row_layer, count, weight in self.rows:
                for key in ((None, None), (name, None), (None, row_layer), (name, row_layer)):
                    total = self._totals[key]
                    total[0] += count
                    total[1] += weight
        objects, coupling = self._totals.get((repo, layer), (0, 0.0))
        return {"objects": int(objects), "coupling": round(coupling, 3), "score": score(int(objects), coupling)}

    def directories(self) -> List[Dict[str, Any]]:
        totals: Dict[Tuple[str, str], List[float]] = defaultdict(lambda: [0, 0.0])
        for name, file, _layer, count, weight in self.rows:
            total = totals[(name, posixpath.dirname(file) or ".")]
            total[0] += count
            total[1] += weight
        return [{"repository": name, "directory": directory, "objects": int(objects),
                 "coupling": round(weight, 3), "score": score(int(objects), weight)}
                for (name, directory), (objects, weight) in sorted(totals.items())]


def link(record: Dict[str, Any], file: str, line: int) -> Optional[str]:
    """A link to ``file:line`` at the audited commit, for repositories cloned from a known forge."""
    url, commit = record.get("url"), record.get("commit")
    if not url or not commit or not url.startswith("https://"):
        return None
    base = url[:-4] if url.endswith(".git") else url.rstrip("/")
    host = base.split("/")[2].lower()
    if host == "github.com" or host.startswith("github."):
        return f"{base}/blob/{commit}/{file}#L{line}"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return f"{base}/-/blob/{commit}/{file}#L{line}"
    return None


def views(records: List[Dict[str, Any]], rules: Dict[str, Any], previous: Optional[Dict[str, Any]] = None
          ) -> Dict[str, Any]:
    files = _Files(records)
    findings = [(r, f) for r in records for f in coupling_findings(r)]
    estate = files.scope()
    accepted = sum(1 for _, f in findings if f["status"] in ACCEPTED)
    result: Dict[str, Any] = {
        "summary": {
            "repositories": len(records),
            "repositories_failed": sum(1 for r in records if r["status"] != "audited"),
            "objects": estate["objects"], "score": estate["score"], "findings": len(findings),
            "open": len(findings) - accepted, "accepted": accepted,
            "hard": sum(1 for _, f in findings if f["strength"] == "hard"),
            "diagnostics": sum(1 for r in records for f in r["findings"] if f["vendor"] == RESERVED_VENDOR),
            "by_status": dict(sorted(Counter(f["status"] for _, f in findings).items())),
        },
        "scores": {
            "repositories": [dict(files.scope(repo=r["name"]), repository=r["name"],
                                  layers={layer: files.scope(repo=r["name"], layer=layer) for layer in LAYERS})
                             for r in records],
            "layers": {layer: files.scope(layer=layer) for layer in LAYERS},
            "directories": files.directories(),
        },
        "matrix": _matrix(findings),
        "stack": _stack(records),
        "inventory": _inventory(findings, rules),
        "blockers": _blockers(findings, rules),
        "vms": _vms(records),
        "profiles": _profiles(records),
        "effort": _effort(records),
    }
    if previous is not None:
        result["trend"] = trend(records, previous)
    return result


def _matrix(findings) -> List[Dict[str, Any]]:
    cells: Dict[Tuple[str, str, str], List[int]] = defaultdict(lambda: [0, 0])
    for _, f in findings:
        cell = cells[(f["vendor"], f["layer"], f["category"])]
        cell[0] += 1
        cell[1] += f["status"] in ACCEPTED
    return [{"vendor": v, "layer": layer, "category": c, "findings": n, "accepted": a}
            for (v, layer, c), (n, a) in sorted(cells.items())]


def _stack(records) -> List[Dict[str, Any]]:
    stack = []
    for record in records:
        by_layer: Dict[str, Counter] = defaultdict(Counter)
        for f in coupling_findings(record):
            by_layer[f["layer"]][f["vendor"]] += 1
        layers = {layer: [{"vendor": v, "findings": n} for v, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))]
                  for layer, c in sorted(by_layer.items())}
        vendors: Dict[str, List[str]] = defaultdict(list)
        for layer in LAYERS:
            for vendor in by_layer.get(layer, ()):
                vendors[vendor].append(layer)
        stack.append({"repository": record["name"], "layers": layers,
                      "locked_at_several_layers": [{"vendor": v, "layers": ls} for v, ls in sorted(vendors.items())
                                                   if len(ls) > 1]})
    return stack


def _inventory(findings, rules) -> List[Dict[str, Any]]:
    groups: Dict[Tuple[str, str, str], Dict[str, Any]] = {}
    for record, f in findings:
        rule = rules.get(f["rule_id"], {})
        by = "service" if f["service"] else "rule"
        label = f["service"] or rule.get("title") or f["rule_id"]
        group = groups.setdefault((f["vendor"], by, label), {
            "vendor": f["vendor"], "service": label, "grouped_by": by, "findings": 0, "objects": {},
            "repositories": set(), "alternatives": [], "rules": set(), "effort": 0, "_seen": set()})
        group["findings"] += 1
        group["repositories"].add(record["name"])
        group["rules"].add(f["rule_id"])
        group["effort"] += f["effort"] or 0
        seen = (record["name"], f["object"])
        if seen not in group["_seen"]:
            group["_seen"].add(seen)
            group["objects"][f["object_type"]] = group["objects"].get(f["object_type"], 0) + 1
        alternative = rule.get("remediation")
        if alternative and alternative not in group["alternatives"] and len(group["alternatives"]) < 3:
            group["alternatives"].append(alternative)
    inventory = []
    for group in groups.values():
        del group["_seen"]
        group["repositories"] = sorted(group["repositories"])
        group["rules"] = sorted(group["rules"])
        group["objects"] = dict(sorted(group["objects"].items(), key=lambda x: (-x[1], x[0])))
        inventory.append(group)
    inventory.sort(key=lambda g: (g["vendor"], -g["findings"], g["service"]))
    return inventory


def _blockers(findings, rules) -> Dict[str, Any]:
    hard = [(r, f) for r, f in findings if f["strength"] == "hard"]
    hard.sort(key=lambda rf: (rf[1]["status"] in ACCEPTED, rf[0]["name"], rf[1]["file"], rf[1]["line"],
                              rf[1]["rule_id"]))
    items = []
    for record, f in hard[:LIST_LIMIT]:
        rule = rules.get(f["rule_id"], {})
        items.append({"repository": record["name"], "file": f["file"], "line": f["line"], "rule_id": f["rule_id"],
                      "title": rule.get("title", f["rule_id"]), "vendor": f["vendor"], "message": f["message"],
                      "status": f["status"], "remediation": rule.get("remediation", ""),
                      "link": link(record, f["file"], f["line"])})
    return {"total": len(hard), "open": sum(1 for _, f in hard if f["status"] not in ACCEPTED), "items": items}


def _vms(records) -> List[Dict[str, Any]]:
    vms: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for record in records:
        for f in coupling_findings(record):
            if f["layer"] != "vm":
                continue
            vm = vms.setdefault((record["name"], f["object"]), {
                "repository": record["name"], "object": f["object"],
                "name": f["object_name"] or record.get("object_names", {}).get(f["object"], ""),
                "blockers": 0, "findings": 0, "rules": set()})
            vm["findings"] += 1
            vm["blockers"] += f["strength"] == "hard"
            vm["rules"].add(f["rule_id"])
    ranked = sorted(vms.values(), key=lambda v: (-v["blockers"], -v["findings"], v["repository"], v["object"]))
    for vm in ranked:
        vm["rules"] = sorted(vm["rules"])
    return ranked[:LIST_LIMIT]


def _profiles(records) -> Dict[str, Any]:
    names = ("conservative", "balanced", "agile", "configured")
    table = {name: {"failing": 0, "repositories": {}} for name in names}
    for record in records:
        for name in names:
            failing = sum(1 for f in coupling_findings(record) if f["fails"].get(name))
            table[name]["failing"] += failing
            table[name]["repositories"][record["name"]] = failing
    for name in names:
        table[name]["failing_repositories"] = sum(1 for n in table[name]["repositories"].values() if n)
    table["configured"]["profiles"] = sorted({r["profile"] for r in records if r.get("profile")})
    return table


def _effort(records) -> Dict[str, Any]:
    by_repo, by_vendor = {}, defaultdict(lambda: {"effort": 0, "findings": 0, "unrated": 0})
    for record in records:
        total = {"effort": 0, "findings": 0, "unrated": 0}
        for f in coupling_findings(record):
            for bucket in (total, by_vendor[f["vendor"]]):
                bucket["findings"] += 1
                if f["effort"] is None:
                    bucket["unrated"] += 1
                else:
                    bucket["effort"] += f["effort"]
        by_repo[record["name"]] = total
    return {"repositories": by_repo, "vendors": dict(sorted(by_vendor.items()))}


def trend(records, previous: Dict[str, Any]) -> Dict[str, Any]:
    """New, fixed and unchanged findings since ``previous`` (an audit JSON), by repository and
    fingerprint."""
    def keyed(recs):
        found = {}
        for record in recs:
            for f in coupling_findings(record):
                found[(record["name"], f["fingerprint"])] = (record["name"], f)
        return found

    now, before = keyed(records), keyed(previous.get("repositories") or ())
    groups = {"new": [now[k] for k in sorted(set(now) - set(before))],
              "fixed": [before[k] for k in sorted(set(before) - set(now))],
              "unchanged": [now[k] for k in sorted(set(now) & set(before))]}
    result: Dict[str, Any] = {"previous_generated": previous.get("generated")}
    for name, items in groups.items():
        result[name] = {
            "count": len(items),
            "by_vendor": dict(sorted(Counter(f["vendor"] for _, f in items).items())),
            "by_layer": dict(sorted(Counter(f["layer"] for _, f in items).items())),
            "items": [{"repository": repo, "file": f["file"], "line": f["line"], "rule_id": f["rule_id"],
                       "vendor": f["vendor"], "message": f["message"], "fingerprint": f["fingerprint"]}
                      for repo, f in items[:LIST_LIMIT]] if name != "unchanged" else [],
        }
    return result
