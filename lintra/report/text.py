"""``path:line:col: LEVEL RULE message`` per finding, then a summary with counts per vendor."""

from __future__ import annotations

from typing import Any, Dict

import click

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def write(result, stream, options: Dict[str, Any]) -> None:
    colour = options.get("color", False)
    verbose = options.get("verbose", False)

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    for finding in result.findings:
        if finding.suppressed and not verbose:
            continue
        span = finding.span
        level = finding.level.name
        tail = f" (suppressed: {finding.suppression})" if finding.suppressed else ""
        stream.write(f"{style(finding.file, bold=True)}:{span.line}:{span.column}: "
                     f"{style(level, fg=_COLOURS[level])} {style(finding.rule.id, bold=True)} "
                     f"{finding.message}{tail}\n")
        for related in finding.related:
            stream.write(f"    {related.file}:{related.span.line}:{related.span.column}: {related.message}\n")
    if verbose:
        for record in result.files:
            if record.status != "scanned":
                stream.write(f"{record.file}: {record.status}: {record.reason}\n")
    summary = result.summary()
    files = summary["files"]
    levels = summary["by_level"]
    line = (f"{summary['findings']} finding(s): {levels['error']} error, {levels['warning']} warning, "
            f"{levels['info']} info in {files['total']} file(s) ({files['scanned']} scanned, "
            f"{files['skipped']} skipped, {files['error']} with errors)")
    for key, label in (("suppressed", "suppressed"), ("sanctioned", "on sanctioned vendors"),
                       ("hidden_sanctioned", "hidden as sanctioned"), ("baselined", "accepted by the baseline")):
        if summary[key]:
            line += f"; {summary[key]} {label}"
    stream.write(("\n" if result.findings else "") + style(line, bold=True) + "\n")
    if summary["by_vendor"]:
        vendors = ", ".join(f"{vendor} {count}" for vendor, count in summary["by_vendor"].items())
        stream.write(f"by vendor: {vendors}\n")
