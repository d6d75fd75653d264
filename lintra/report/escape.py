"""Values from scanned files, made inert for the format that shows them.

A file name, an object name or a message quoting a value comes from a repository lintra does not
trust. Every format that renders such a value passes it through one of these helpers, so a value
can neither inject markup nor break the structure around it.
"""

from __future__ import annotations

import re

#: Markdown's inline markup characters (GFM): escaped with a backslash so they stay literal
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
#: ``@team`` pings a team in a GitHub comment, ``#12`` links an issue: a zero-width space after
#: the sign keeps the text readable and stops the autolink
_MENTION = re.compile(r"([@#])(?=\w)")
ZERO_WIDTH_SPACE = "\u200b"


def markdown(text: object, limit: int = 0) -> str:
    """``text`` as literal GitHub-flavoured Markdown on one line, safe inside a table cell: HTML
    is entity-escaped, markup characters and ``|`` backslash-escaped, mentions and issue
    references defused, line breaks and control characters folded to spaces. ``limit`` (when
    non-zero) shortens the text to that many characters before escaping, marking the cut."""
    value = "" if text is None else str(text)
    value = "".join(" " if ch in "\r\n\t" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in value)
    if limit and len(value) > limit:
        value = value[:limit - 1] + "\u2026"
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return _MENTION.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE, value)


def html(text: object) -> str:
    """``text`` as HTML character data or a quoted attribute value (jinja2's autoescape does the
    same for templates; this is for markup built in Python)."""
    value = "" if text is None else str(text)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))
