"""Recognise files that are templates to be rendered (Jinja, Helm, Go templates), not infrastructure.

They are skipped with a reason instead of being reported as syntax errors: tripleo's ``*.j2.yaml``
files are Jinja sources (most are not even valid YAML) and Helm's ``templates/`` are Go templates.
"""

from __future__ import annotations

import os
import re

from lintra.model import Source

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional

_JINJA_BLOCK = re.compile(r"\{%-?\s*(?:if|for|set|macro|raw|block|include|import|from|extends|call|filter)\b")
_J2_NAME = re.compile(r"\.j2(?:\.|$)|\.jinja2?(?:\.|$)", re.I)


def template_reason(source: Source, text: str) -> Optional[str]:
    """Why ``text`` should be read as a template before any parse is tried, or None."""
    if _J2_NAME.search(os.path.basename(source.name)) and ("{%" in text or "{{" in text):
        return "Jinja template (rendered before use; lint the rendered output)"
    if "{{" in text and source.path and _in_helm_chart(source.path):  # the text first: no path walk
        return "Helm chart template (check the chart directory: lintra renders templates with the chart's values)"
    return None


def failed_parse_reason(text: str) -> Optional[str]:
    """Why a file that failed to parse is a template rather than broken YAML, or None.

    Only asked after a failed parse: valid Heat templates embed Ansible tasks full of ``{{ }}`` and
    even ``{% %}`` inside strings, and those must be checked, not skipped."""
    if _JINJA_BLOCK.search(text):
        return "Jinja template (rendered before use; lint the rendered output)"
    if _has_expression(text):
        return "template with {{ }} expressions (rendered before use; lint the rendered output)"
    return None


def _has_expression(text: str) -> bool:
    """Whether a line holds ``{{ ... }}``; found with ``str.find`` because a lazy regular
    expression rescans the rest of the line from every ``{{`` (quadratic on hostile input)."""
    for line in text.splitlines():
        start = line.find("{{")
        if start >= 0 and line.find("}}", start + 2) >= 0:
            return True
    return False


def surroundings(source: Source) -> str:
    """What, besides its bytes and name, reading ``source`` as YAML depends on: whether it lies
    in a Helm chart's ``templates/`` (:func:`template_reason`), for the map cache's key."""
    if source.path and "templates" in os.path.abspath(source.path).split(os.sep):
        return "chart" if _in_helm_chart(source.path) else "no chart"
    return ""


def _in_helm_chart(path: str) -> bool:
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "templates":
            chart_root = os.sep.join(parts[:i])
            return os.path.isfile(os.path.join(chart_root, "Chart.yaml"))
    return False
