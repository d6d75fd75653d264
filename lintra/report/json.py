"""The JSON contract other tools build on; its schema is ``schemas/output.schema.json``.

Keys are only ever added, never renamed or removed.
"""

from __future__ import annotations


from lintra.report import jsontext

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict


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
    """What ``json.dump(for_json(to_dict(result)), stream, indent=2)`` writes, each file's and each
    finding's dictionary made (and escaped) as the encoder reaches it: a run over a large
    repository never holds the dictionaries of all its files and findings at once."""
    from lintra import __version__

    report = {
        "tool": {"name": "lintra", "version": __version__},
        "files": _Made(len(result.files), _file_dict, result.files),
        "findings": _Made(len(result.findings), finding_dict, result.findings),
        "summary": result.summary(),
    }
    jsontext.write(report, stream)


class _Made(list):
    """A list of ``count`` items that :mod:`lintra.report.jsontext` (which iterates a list it
    writes, once, when it is not a plain list) writes item by item: ``make(source)``, made as
    each is reached."""

    __slots__ = ("_count", "_make", "_sources")

    def __init__(self, count: int, make, sources) -> None:
        super().__init__()
        self._count = count
        self._make = make
        self._sources = sources

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        make = self._make
        return (make(source) for source in self._sources)
