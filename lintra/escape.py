"""Make values from scanned files inert in every output format.

Names, images, annotation keys, Heat types, suppression reasons and file names come from files an
attacker may have written. Each format has its own way of being broken by them, and one function
here per way, so every format (and the HTML/Markdown audit reports) escapes alike:

- :func:`terminal`: plain text and CI logs. C0/C1 controls (ESC starts ANSI/OSC sequences that
  retitle the terminal or forge hyperlinks), DEL, Unicode bidirectional overrides ("Trojan
  Source", CVE-2021-42574) and newlines inside a value (which would start a forged line, such as
  a GitHub ``::error`` workflow command) are written as visible escapes (``\\x1b``, ``\\n``,
  ``\\u202e``).
- :func:`unicode_text`: lone surrogates (JSON's ``"\\ud800"``, or a non-UTF-8 file name that Python
  holds as ``surrogateescape`` code points) cannot be encoded as UTF-8: a strict UTF-8 stream
  (``LANG=C.UTF-8``) raises on them. An escaped byte becomes ``\\xNN``, any other lone surrogate
  ``\\uXXXX``. Every other function applies it.
- :func:`xml` / :func:`xml_tree`: XML 1.0 cannot carry most C0 controls, lone surrogates, U+FFFE
  and U+FFFF at all, not even as character references (XML 1.0 §2.2 ``Char``); they are written
  as visible escapes so the document stays well-formed.
- :func:`for_json`: JSON escapes controls itself; lone surrogates are made text, so that strict
  parsers (and UTF-8 encoders) accept the output.
- :func:`workflow_data` / :func:`workflow_property`: GitHub Actions workflow commands. The runner
  decodes ``%25``, ``%0D``, ``%0A`` in data and also ``%3A`` and ``%2C`` in properties
  (actions/toolkit ``packages/core/src/command.ts``, "Workflow commands for GitHub Actions"); a
  value escaped so stays inside the one command lintra meant, and ``::`` in a property can no
  longer end it.
- :func:`html` and :func:`markdown_cell` for reports rendered as HTML or Markdown: no raw HTML,
  no ``|`` that breaks a table row, no ``@team`` mention that pings people from a PR comment.
- :func:`uri_path`: a relative path as a URI reference, non-UTF-8 bytes percent-encoded as bytes.
"""

from __future__ import annotations

import re

from lintra import lazy_re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any

#: surrogates are matched apart: an escaped byte (U+DC80-U+DCFF) is shown as the byte it was
_SURROGATE = lazy_re.compile("[\ud800-\udfff]")
#: C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate characters
_TERMINAL = lazy_re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: what XML 1.0 cannot carry (tab, LF and CR it can), plus C1 controls and DEL, which it can but
#: which then reach a terminal when a report is shown as text
_XML = lazy_re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MENTION = lazy_re.compile(r"@(?=[A-Za-z0-9_])")
#: ``#12`` and ``GH-12`` link an issue or pull request in a GitHub comment
_REFERENCE = lazy_re.compile(r"(#|\bGH-)(?=[0-9])", re.IGNORECASE)
_MARKDOWN = lazy_re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _visible(match: "re.Match[str]") -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# Most values are printable ASCII, which none of the classes above matches (of ASCII they hold only
# controls and DEL, which is what ``str.isprintable`` refuses there): such text is answered without
# a regex, so a run whose values are all ASCII never compiles one.


def unicode_text(text: str) -> str:
    """``text`` without lone surrogates: encodable as strict UTF-8."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_visible, text) if _SURROGATE.search(text) else text


def terminal(text: Any) -> str:
    """One line of plain text that cannot move the cursor, colour, retitle or add lines."""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    return _TERMINAL.sub(_visible, text) if _TERMINAL.search(text) else text


def xml(text: Any) -> str:
    """A string XML 1.0 can carry (markup characters are the XML writer's business)."""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    return _XML.sub(_visible, text) if _XML.search(text) else text


def xml_tree(element) -> None:
    """Apply :func:`xml` to the text, tail and every attribute of an ElementTree, in place."""
    for node in element.iter():
        if node.text:
            node.text = xml(node.text)
        if node.tail:
            node.tail = xml(node.tail)
        if node.attrib:
            node.attrib = {xml(key): xml(value) for key, value in node.attrib.items()}


def for_json(value: Any) -> Any:
    """``value`` (dicts, lists, scalars) with every string, keys included, made strict UTF-8."""
    if isinstance(value, str):
        return unicode_text(value)
    if isinstance(value, dict):
        return {for_json(key) if isinstance(key, str) else key: for_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [for_json(item) for item in value]
    return value


def workflow_data(text: Any) -> str:
    """The message of a GitHub workflow command: one line, whatever ``text`` holds."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text)


def workflow_property(text: Any) -> str:
    """A property value (``file=``, ``title=``) of a GitHub workflow command."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def html(text: Any) -> str:
    """Text for an HTML element or a quoted attribute: no markup, no controls."""
    import html as _html  # imported by the formats that need it: text output must not pay for it

    return _html.escape(terminal(text), quote=True)


def markdown_cell(text: Any) -> str:
    """Text for a Markdown table cell (GitHub-flavoured): literal, one line, no mentions."""
    text = _MARKDOWN.sub(r"\\\1", terminal(text))
    text = _REFERENCE.sub("\\1\u2060", text)  # nor does a reference link an issue (audit reports)
    return _MENTION.sub("@\u2060", text)  # a word joiner after @ stops GitHub's mention


def uri_path(relative: str) -> str:
    """A relative path as a URI reference (RFC 3986), each byte of a non-UTF-8 name as ``%XX``."""
    from urllib.parse import quote

    return quote(relative, errors="surrogateescape")


__all__ = ["terminal", "unicode_text", "xml", "xml_tree", "for_json", "workflow_data", "workflow_property",
           "html", "markdown_cell", "uri_path"]
