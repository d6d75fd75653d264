"""SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps, IDEs).

Paths are made relative to a source root (``options["root"]``: ``lintra check`` passes the
repository root, see :mod:`lintra.report.paths`; default the working directory) and tagged
``%SRCROOT%`` so the log means the same on every machine; code scanning resolves them from the
repository root. A file outside the root gets an absolute ``file:`` URI and no base.
``partialFingerprints`` use :attr:`Finding.fingerprint`, which ignores line numbers, so alerts
survive unrelated edits.
Suppressed findings are left out unless ``options["include_suppressed"]``: GitHub shows every
result it receives as an open alert. Findings on sanctioned vendors carry ``properties.sanctioned``;
the run names its profile and ``fail_on``, and its invocation fails only when the exit code is 2
(a file could not be judged): exit 1 is a completed run that found coupling.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List

from lintra.report import NO_REASON
from lintra.report.escape import for_json, uri_path
from lintra.report.paths import inside

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
DOCS = "https://github.com/lintra/lintra/blob/main/README.md#rule-"


def _artifact(path: str, root: str) -> Dict[str, str]:
    if path == "-":  # standard input without --stdin-filename: no file to point at
        return {"uri": "-"}
    relative = inside(path, root)
    if relative is None:  # SARIF §3.4.4: an absolute URI has no uriBaseId
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": uri_path(relative), "uriBaseId": "%SRCROOT%"}


def _location(file: str, span, root: str, message: str = None) -> Dict[str, Any]:
    location: Dict[str, Any] = {"physicalLocation": {
        "artifactLocation": _artifact(file, root),
        "region": {"startLine": max(span.line, 1), "startColumn": max(span.column, 1),
                   "endLine": max(span.end_line, span.line, 1),
                   "endColumn": max(span.end_column, 1)}}}
    if span.region:
        location["physicalLocation"]["region"]["snippet"] = {"text": span.region}
    if message:
        location["message"] = {"text": message}
    return location


def rule_descriptor(rule) -> Dict[str, Any]:
    """One ``tool.driver.rules[]`` entry: what the rule finds, why it couples, the open alternative."""
    help_text = f"{rule.rationale}\n\nOpen alternative: {rule.remediation}".strip()
    markdown = f"**Why it couples:** {rule.rationale}\n\n**Open alternative:** {rule.remediation}"
    if rule.references:
        markdown += "\n\n**References:**\n" + "\n".join(f"- <{ref}>" for ref in rule.references)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": help_text, "markdown": markdown},
        "helpUri": rule.references[0] if rule.references else DOCS + rule.id.lower(),
        "defaultConfiguration": {"level": LEVELS[rule.severity.name]},
        # the schema wants unique tags; reserved rules repeat "lintra" as vendor and category
        "properties": {"tags": list(dict.fromkeys(t for t in (rule.vendor, rule.category, rule.strength)
                                                  if t and t != "-"))},
    }


def suppression(finding) -> Dict[str, Any]:
    """An ``inSource`` suppression; its ``justification`` only when the author wrote a reason (the
    filter stage puts a placeholder in ``finding.suppression`` when there is none)."""
    entry = {"kind": "inSource"}
    if finding.suppression and finding.suppression != NO_REASON:
        entry["justification"] = finding.suppression
    return entry


def to_dict(result, options: Dict[str, Any]) -> Dict[str, Any]:
    from lintra import __version__

    root = os.path.abspath(options.get("root") or os.getcwd())
    findings = [f for f in result.findings if options.get("include_suppressed") or not f.suppressed]
    rules: List = sorted({f.rule.id: f.rule for f in findings}.values(), key=lambda r: r.id)
    index = {rule.id: n for n, rule in enumerate(rules)}
    results = []
    for finding in findings:
        item: Dict[str, Any] = {
            "ruleId": finding.rule.id,
            "ruleIndex": index[finding.rule.id],
            "level": LEVELS[finding.level.name],
            "message": {"text": finding.message},
            "locations": [_location(finding.file, finding.span, root)],
            "partialFingerprints": {"lintra/v1": finding.fingerprint},
            "properties": {"vendor": finding.vendor, "category": finding.rule.category,
                           "strength": finding.rule.strength, "sanctioned": finding.sanctioned},
        }
        if finding.related:
            item["relatedLocations"] = [dict(_location(r.file, r.span, root, r.message), id=n)
                                        for n, r in enumerate(finding.related)]
        if finding.suppressed:
            item["suppressions"] = [suppression(finding)]
        results.append(item)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lintra", "version": __version__,
                                "informationUri": "https://github.com/lintra/lintra",
                                "rules": [rule_descriptor(rule) for rule in rules]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
            "invocations": [{"executionSuccessful": result.exit_code != 2, "exitCode": result.exit_code}],
            "results": results,
            "properties": {"profile": result.judgement.profile.name, "failOn": result.judgement.fail_on.name},
        }],
    }


def write(result, stream, options: Dict[str, Any]) -> None:
    json.dump(for_json(to_dict(result, options)), stream, indent=2)
    stream.write("\n")
