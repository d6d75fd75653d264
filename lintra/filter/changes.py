"""``--new-only``: keep only the findings on lines that changed (the filter half of changed-files
mode; which files and lines changed is discovery's business, :mod:`lintra.discover.changes`)."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Optional, Set, TypeAlias

#: path relative to the working directory -> changed line numbers, or None for "the whole file"
Changes: TypeAlias = "Dict[str, Optional[Set[int]]]"


def on_changed_lines(findings, changes: Changes) -> list:
    """Keep findings on changed lines; every finding of a new or untracked file is new."""
    kept = []
    for finding in findings:
        lines = changes.get(os.path.relpath(os.path.abspath(finding.file)), set())
        if lines is None or any(line in lines for line in range(finding.span.line, finding.span.end_line + 1)):
            kept.append(finding)
    return kept
