"""The JSON contract other tools build on; its schema is ``schemas/output.schema.json``.

Keys are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any, Dict

from lintra.report import jsontext


def finding_dict(finding) -> Dict[str, Any]:
    span = finding.span
    item = {
        "rule_id": finding.rule.id,
        "rule": finding.rule.name,
        "level": finding.level.name,
        "message": finding.message,
        "vendor": finding.vendor,
        "service": finding.service,
        "effort": finding.effort,
        "category": finding.rule.category,
        "strength": finding.rule.strength,
        "file": finding.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "document": finding.document,
        "pointer": finding.json_pointer,
        "remediation": finding.rule.remediation,
        "fingerprint": finding.fingerprint,
        "suppressed": finding.suppressed,
        "sanctioned": finding.sanctioned,
    }
    if span.region:
        item["region"] = span.region
    if finding.conditional:
        item["conditional"] = finding.conditional
    if finding.suppression is not None:
        item["suppression"] = finding.suppression
    if finding.related:
        item["related"] = [{"message": r.message, "file": r.file, "line": r.span.line,
                            "column": r.span.column} for r in finding.related]
    return item


def _file_dict(record) -> Dict[str, Any]:
    item = {"file": record.file, "status": record.status, "kind": ",".join(record.kinds) or None,
            "documents": record.documents, "reason": record.reason}
    if record.notes:
        item["notes"] = list(record.notes)
    return item


def to_dict(result) -> Dict[str, Any]:
    from lintra import __version__

    return {
        "tool": {"name": "lintra", "version": __version__},
        "files": [_file_dict(r) for r in result.files],
        "findings": [finding_dict(f) for f in result.findings],
        "summary": result.summary(),
    }


def write(result, stream, options: Dict[str, Any]) -> None:
    jsontext.write(to_dict(result), stream)
