"""``path:line:col: LEVEL RULE message`` per finding, then a summary with counts per vendor.

Findings on sanctioned vendors end in ``[sanctioned]``: they are info by decision, not by the
rule. The summary counts what is reported (sanctioned ones among the info) and lists apart what
was left out of the count: suppressed, hidden as sanctioned, accepted by the baseline.
"""

from __future__ import annotations


from lintra.report import NO_REASON, cell
from lintra.report.escape import terminal

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_LEFT_OUT = (("suppressed", "suppressed"), ("hidden_sanctioned", "hidden as sanctioned"),
             ("baselined", "accepted by the baseline"))


def _tail(finding) -> str:
    if finding.suppressed:
        reason = finding.suppression
        return " (suppressed, no reason given)" if reason in (None, NO_REASON) else f" (suppressed: {terminal(reason)})"
    return " [sanctioned]" if finding.sanctioned else ""


def summary_line(summary: Dict[str, Any]) -> str:
    files = summary["files"]
    levels = summary["by_level"]
    sanctioned = f" ({summary['sanctioned']} sanctioned)" if summary["sanctioned"] else ""
    reasons = summary.get("skipped_reasons") or {}
    top = ", ".join(f"{count} {terminal(reason)}" for reason, count in list(reasons.items())[:2])
    more = ", ..." if len(reasons) > 2 else ""
    skipped = f"{files['skipped']} skipped" + (f": {top}{more}" if top else "")
    line = (f"{summary['findings']} finding(s): {levels['error']} error, {levels['warning']} warning, "
            f"{levels['info']} info{sanctioned} in {files['total']} file(s) ({files['scanned']} scanned, "
            f"{skipped}; {files['error']} with errors)")
    if not files["scanned"]:
        line += "; NO FILE SCANNED"
    left_out = [f"{summary[key]} {label}" for key, label in _LEFT_OUT if summary[key]]
    if left_out:
        line += "; not counted: " + ", ".join(left_out)
    return line


def statistics(findings) -> list:
    """(count, rule) per rule of the active findings, most frequent first, as ruff's --statistics."""
    counts: Dict[str, list] = {}
    for finding in findings:
        if not finding.suppressed:
            counts.setdefault(finding.rule.id, [0, finding.rule])[0] += 1
    return sorted(((count, rule) for count, rule in counts.values()), key=lambda pair: (-pair[0], pair[1].id))


def write(result, stream, options: Dict[str, Any]) -> None:
    """Options: ``color``, ``verbose`` (skipped files, suppressed findings), ``show_remediation``
    (the open alternative under each finding), ``quiet`` (findings only, no summary),
    ``statistics`` (a count per rule instead of each finding)."""
    colour = options.get("color", False)
    verbose = options.get("verbose", False)

    if colour:  # only then: importing click costs a one-file check more than the check itself
        import click

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    if options.get("statistics"):
        rows = statistics(result.findings)
        width = max((len(str(count)) for count, _ in rows), default=1)
        for count, rule in rows:
            stream.write(f"{count:>{width}}  {style(rule.id, bold=True):<7} {terminal(rule.name)}: {terminal(rule.title)}\n")
        if not options.get("quiet"):
            stream.write(("\n" if rows else "") + style(summary_line(result.summary()), bold=True) + "\n")
        return
    listed = False
    for finding in result.findings:
        if finding.suppressed and not verbose:
            continue
        listed = True
        span = finding.span
        level = finding.level.name
        sheet_cell = terminal(cell(span))  # a spreadsheet's cell (vDisk!C2)
        stream.write(f"{style(terminal(finding.file), bold=True)}:{span.line}:{span.column}: "
                     f"{style(level, fg=_COLOURS[level])} {style(finding.rule.id, bold=True)} "
                     f"{terminal(finding.message)}{sheet_cell}{_tail(finding)}\n")
        for related in finding.related:
            stream.write(f"    {terminal(related.file)}:{related.span.line}:{related.span.column}: "
                         f"{terminal(related.message)}\n")
        if options.get("show_remediation") and finding.rule.remediation:
            stream.write(f"    {style('open alternative:', fg='green')} "
                         f"{terminal(' '.join(finding.rule.remediation.split()))}\n")
    if options.get("quiet"):
        return
    if verbose:
        for record in result.files:
            if record.status != "scanned":
                listed = True
                stream.write(f"{terminal(record.file)}: {record.status}: {terminal(record.reason)}\n")
    summary = result.summary()
    stream.write(("\n" if listed else "") + style(summary_line(summary), bold=True) + "\n")
    if summary["by_vendor"]:
        vendors = ", ".join(f"{terminal(vendor)} {count}" for vendor, count in summary["by_vendor"].items())
        stream.write(f"by vendor: {vendors}\n")
    if summary.get("diagnostics"):
        stream.write(f"lintra diagnostics (files lintra could not judge, suppressions): {summary['diagnostics']}\n")
