"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns these into annotations on the pull request diff. Data and property values are
escaped as the runner expects (actions/toolkit ``command.ts``): ``%``, CR and LF everywhere, and
``:`` and ``,`` inside properties, which would otherwise end the property. ``file`` is relative to
the repository root (:mod:`lintra.report.paths`): the runner reads a relative path from there.
The message ends with a line linking the rule's documentation page.
"""

from __future__ import annotations


from lintra.report import cell
from lintra.report.escape import workflow_data, workflow_property
from lintra.report.paths import ci_path
from lintra.report.ruledoc import help_uri

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


#: kept under their old names for callers of this module
escape_data, escape_property = workflow_data, workflow_property


def command(finding, root: Optional[str] = None) -> str:
    span = finding.span
    props = [("file", ci_path(finding.file, root)), ("line", span.line), ("col", span.column),
             ("endLine", span.end_line), ("endColumn", span.end_column),
             ("title", f"{finding.rule.id} {finding.rule.name}")]
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    uri = help_uri(finding.rule)
    message = finding.message + cell(span)  # the sheet's cell (vDisk!C2)
    message += f"\n{finding.rule.id} documentation: {uri}" if uri else ""
    return f"::{COMMANDS[finding.level.name]} {rendered}::{escape_data(message)}"


def write(result, stream, options: Dict[str, Any]) -> None:
    for finding in result.findings:
        if not finding.suppressed:
            stream.write(command(finding, options.get("root")) + "\n")
    summary = result.summary()
    stream.write(f"lintra: {summary['findings']} finding(s) in {summary['files']['scanned']} file(s)\n")
