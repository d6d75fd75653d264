"""GitLab Code Quality report (the CodeClimate subset GitLab reads), for merge-request widgets.

GitLab de-duplicates issues by ``fingerprint``, so each must be unique per issue: the finding's
line-independent fingerprint (:attr:`lintra.model.Finding.fingerprint`, the one baselines and SARIF use). ``location.path``
must be relative to the repository root (:mod:`lintra.report.paths`) for GitLab to link it.
"""

from __future__ import annotations


from lintra.report import cell, jsontext
from lintra.report.paths import ci_path
from lintra.report.ruledoc import help_uri

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

# lintra levels x rule strength -> GitLab's five severities: hard coupling errors block.
SEVERITY = {("error", "hard"): "blocker", ("error", "soft"): "critical", ("error", "substrate"): "major",
            ("warning", "hard"): "major", ("warning", "soft"): "minor", ("warning", "substrate"): "minor"}


def severity(finding) -> str:
    if finding.level.name == "info":
        return "info"
    return SEVERITY.get((finding.level.name, finding.rule.strength), "major")


def to_list(result, root: Optional[str] = None) -> List[Dict[str, Any]]:
    issues, seen = [], {}
    for finding in result.findings:
        if finding.suppressed:
            continue
        fingerprint = finding.fingerprint
        count = seen[fingerprint] = seen.get(fingerprint, 0) + 1
        uri = help_uri(finding.rule)
        issues.append({
            # a spreadsheet's cell (vDisk!C2): GitLab shows lines only, which do not say which sheet
            "description": f"{finding.rule.id} {finding.message}{cell(finding.span)}",
            "check_name": finding.rule.id,
            "fingerprint": fingerprint if count == 1 else f"{fingerprint}-{count}",
            "severity": severity(finding),
            "categories": ["Compatibility"],
            "location": {"path": ci_path(finding.file, root),
                         "lines": {"begin": finding.span.line, "end": finding.span.end_line}},
        })
        if uri:  # the CodeClimate issue's markdown body, shown where the report is read in full
            issues[-1]["content"] = {"body": f"[{finding.rule.id} {finding.rule.name}]({uri}): "
                                             f"{finding.rule.remediation}"}
    return issues


def write(result, stream, options: Dict[str, Any]) -> None:
    jsontext.write(to_list(result, options.get("root")), stream)
