"""SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps, IDEs).

Paths are made relative to a source root (``options["root"]``: ``lintra check`` passes the
repository root, see :mod:`lintra.report.paths`; default the working directory) and tagged
``%SRCROOT%`` so the log means the same on every machine; code scanning resolves them from the
repository root. A file outside the root gets an absolute ``file:`` URI and no base.
``partialFingerprints`` use :attr:`Finding.fingerprint` (the baseline's and GitLab's too), which
ignores line numbers, the working directory and the way paths were typed, so alerts survive
unrelated edits. ``automationDetails.id`` names the analysis category (``lintra/PROFILE/``); each
rule's ``helpUri`` is its page under docs/rules, its tags are vendor, category and strength.
Standard input without ``--stdin-filename`` is the artifact ``stdin``.
Suppressed findings are left out unless ``options["include_suppressed"]``: GitHub shows every
result it receives as an open alert. With it, inline suppressions are ``kind: inSource`` and
baseline acceptances ``kind: external``, each with its justification. Findings on sanctioned
vendors are ``level: note`` (the filter stage makes them ``info``) with ``properties.sanctioned``;
the run names its profile and ``fail_on``, and its invocation fails only when the exit code is 2
(a file could not be judged): exit 1 is a completed run that found coupling.
"""

from __future__ import annotations

import os
from pathlib import Path

from lintra.report import NO_REASON
from lintra.report import jsontext
from lintra.report.escape import uri_path
from lintra.model import RESERVED_VENDOR
from lintra.report.paths import inside
from lintra.report.ruledoc import PROJECT_URL, help_uri

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: the partialFingerprints key; v2 since fingerprints are repository-relative and subtree-independent
FINGERPRINT_KEY = "lintra/v2"


def _artifact(path: str, root: str) -> Dict[str, str]:
    if path == "-":  # standard input without --stdin-filename: no file to point at
        return {"uri": "stdin", "description": {"text": "standard input (name it with --stdin-filename)"}}
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
    if span.region:  # the sheet's cell (vDisk!C2); a snippet would claim it is the file's text there
        location["physicalLocation"]["region"]["message"] = {"text": span.region}
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
        "helpUri": help_uri(rule) or PROJECT_URL,
        "defaultConfiguration": {"level": LEVELS[rule.severity.name]},
        # the schema wants unique tags; reserved rules repeat "lintra" as vendor and category
        "properties": {"tags": list(dict.fromkeys(t for t in (rule.vendor, rule.category, rule.strength)
                                                  if t and t != "-")),
                       # lintra's built-in rules match exact keys and values (no heuristics);
                       # its own diagnostics are facts about the file
                       "precision": "very-high" if rule.vendor == RESERVED_VENDOR else "high"},
    }


def suppression(finding) -> Dict[str, Any]:
    """An ``inSource`` suppression; its ``justification`` only when the author wrote a reason (the
    filter stage puts a placeholder in ``finding.suppression`` when there is none)."""
    entry = {"kind": "inSource"}
    if finding.suppression and finding.suppression != NO_REASON:
        entry["justification"] = finding.suppression
    return entry


def external(result) -> Dict[str, Any]:
    """A baseline's acceptance: recorded outside the source file."""
    return {"kind": "external", "justification": "accepted by the lintra baseline"}


def to_dict(result, options: Dict[str, Any]) -> Dict[str, Any]:
    from lintra import __version__

    root = os.path.abspath(options.get("root") or os.getcwd())
    include = options.get("include_suppressed")
    findings = [f for f in result.findings if include or not f.suppressed]
    accepted = {id(f) for f in getattr(result, "accepted", ())} if include else set()
    if accepted:
        findings = sorted(findings + list(result.accepted), key=lambda f: f.sort_key())
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
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {"vendor": finding.vendor, "category": finding.rule.category,
                           "strength": finding.rule.strength, "sanctioned": finding.sanctioned},
        }
        if finding.related:
            item["relatedLocations"] = [dict(_location(r.file, r.span, root, r.message), id=n)
                                        for n, r in enumerate(finding.related)]
        if finding.suppressed:
            item["suppressions"] = [suppression(finding)]
        elif id(finding) in accepted:
            item["suppressions"] = [external(result)]
        results.append(item)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lintra", "version": __version__,
                                "informationUri": PROJECT_URL,
                                "rules": [rule_descriptor(rule) for rule in rules]}},
            # code scanning keeps one analysis per category (the part before the last slash)
            "automationDetails": {"id": f"lintra/{result.judgement.profile.name}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
            "invocations": [{"executionSuccessful": result.exit_code != 2, "exitCode": result.exit_code}],
            "results": results,
            "properties": {"profile": result.judgement.profile.name, "failOn": result.judgement.fail_on.name},
        }],
    }


def write(result, stream, options: Dict[str, Any]) -> None:
    jsontext.write(to_dict(result, options), stream)
