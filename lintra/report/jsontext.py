"""The JSON text of a report: what ``json.dump(for_json(value), stream, indent=2)`` writes, byte
for byte, at the speed of the C encoder, in a few large writes.

Python's C encoder does not indent (up to 3.13): with ``indent`` every key, value and bracket is
made by the pure-Python encoder and handed to ``stream.write`` one small piece at a time, about
100,000 writes for the shared corpus's report. When standard output is unbuffered
(``PYTHONUNBUFFERED``, which CI images often set, or ``python -u``) each is a system call: the JSON
report of the corpus then cost 0.09 s into ``/dev/null`` and 0.17 s into a pipe, against 0.01 s
here.

A container holding only scalars (a finding, a file record: almost every container of a report)
is one call of the C encoder with the indentation as its item separator: JSON text holds no raw
line break (a string's are escaped), so ``{"a": 1,\\n    "b": 2}`` only needs its first and last
brackets opened onto their own lines. Other containers are walked here. Strings are made strict
UTF-8 on the way (:func:`lintra.escape.for_json`, applied as the walk reaches them). The text is
handed to the stream in pieces of about :data:`PIECE` characters, so a report of a million
findings is never one string in memory."""

from __future__ import annotations

import json

from lintra.escape import unicode_text

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List

INDENT = "  "
#: characters gathered before they are written: few writes, and no whole report in memory
PIECE = 1 << 16

_string = json.encoder.encode_basestring_ascii  # the C function where there is one
#: the scalars the C encoder writes as the pure-Python one does (subclasses are walked here)
_SCALARS = frozenset((str, int, float, bool, type(None)))
_PLAIN_LISTS = frozenset((list, tuple))
#: level -> the encoder of a container of scalars at that level (its items' separator indents them)
_FLAT: Dict[int, Callable[[Any], str]] = {}


def write(value: Any, stream) -> None:
    """Write ``value`` as ``json.dump(for_json(value), stream, indent=2)`` does, then a newline."""
    out = _Out(stream)
    _value(value, 0, out)
    out.parts.append("\n")
    out.flush()


def dumps(value: Any) -> str:
    """``json.dumps(for_json(value), indent=2)``."""
    parts: List[str] = []
    out = _Out(None, parts)
    _value(value, 0, out)
    return "".join(parts)


class _Out:
    __slots__ = ("stream", "parts")

    def __init__(self, stream, parts=None) -> None:
        self.stream = stream
        self.parts: List[str] = [] if parts is None else parts

    def flush(self) -> None:
        if self.stream is not None and self.parts:
            self.stream.write("".join(self.parts))
            self.parts.clear()


def _flat(level: int) -> Callable[[Any], str]:
    """The text of a container of scalars whose items are indented to ``level``, with every
    string as it is (not ASCII-escaped: text that is all ASCII shows that no string needs what
    :func:`lintra.escape.unicode_text` does, and is then what the ASCII-escaping encoder writes,
    DEL aside: :func:`_scalars`)."""
    encode = _FLAT.get(level)
    if encode is None:
        separator = ",\n" + INDENT * level
        make = getattr(json.encoder, "c_make_encoder", None)
        if make is not None:
            chunks = make(None, None, json.encoder.encode_basestring, None, ": ", separator, False, False, True)
            encode = _FLAT[level] = lambda value: "".join(chunks(value, 0))
        else:  # no C encoder (another interpreter): the same text, made by the Python one
            encode = _FLAT[level] = json.JSONEncoder(separators=(separator, ": "), ensure_ascii=False).encode
    return encode


def _scalars(value: Any, level: int) -> Any:
    """The text of ``value``, a container of scalars, from the first bracket to the last item,
    or None when the ASCII-escaping encoder would write it otherwise."""
    text = _flat(level)(value)
    # DEL is ASCII, but the ASCII-escaping encoder writes it as \u007f (it keeps only 0x20-0x7e)
    return text if text.isascii() and "\x7f" not in text else None


def _value(value: Any, level: int, out: _Out) -> None:
    if isinstance(value, str):
        out.parts.append(_string(unicode_text(value)))
    elif isinstance(value, dict):
        _dict(value, level, out)
    elif isinstance(value, (list, tuple)):
        _list(value, level, out)
    else:  # a number, a constant, or what json refuses as json refuses it
        out.parts.append(json.dumps(value))


def _dict(value: dict, level: int, out: _Out) -> None:
    if not value:
        out.parts.append("{}")
        return
    inner = INDENT * (level + 1)
    if _SCALARS.issuperset(map(type, value.values())):
        text = _scalars(value, level + 1)
        if text is not None:
            out.parts.append("{\n" + inner + text[1:-1] + "\n" + INDENT * level + "}")
            return
    if not (_SCALARS.issuperset(map(type, value)) and all(key.__class__ is not str or key.isascii() for key in value)):
        # the keys as for_json makes them (two that become one collapse as they do there)
        value = {unicode_text(k) if isinstance(k, str) else k: v for k, v in value.items()}
    parts = out.parts
    parts.append("{")
    separator = "\n" + inner
    for key, item in value.items():
        parts.append(separator)
        separator = ",\n" + inner
        parts.append((_string(key) if key.__class__ is str else json.dumps({key: 0})[1:-4]) + ": ")
        _value(item, level + 1, out)
        if len(parts) >= 1024:
            _spill(out)
    parts.append("\n" + INDENT * level + "}")


def _list(value, level: int, out: _Out) -> None:
    if not value:
        out.parts.append("[]")
        return
    inner = INDENT * (level + 1)
    # a list of another type may make its items as they are reached (lintra.report.json): walked once
    if value.__class__ in _PLAIN_LISTS and _SCALARS.issuperset(map(type, value)):
        text = _scalars(value, level + 1)
        if text is not None:
            out.parts.append("[\n" + inner + text[1:-1] + "\n" + INDENT * level + "]")
            return
    parts = out.parts
    parts.append("[")
    separator = "\n" + inner
    for item in value:
        parts.append(separator)
        separator = ",\n" + inner
        _value(item, level + 1, out)
        if len(parts) >= 1024:
            _spill(out)
    parts.append("\n" + INDENT * level + "]")


def _spill(out: _Out) -> None:
    """Join what was gathered; write it once it reaches :data:`PIECE` characters (a string asked
    for whole is joined once, at its end)."""
    if out.stream is None:
        return
    text = "".join(out.parts)
    out.parts.clear()
    out.parts.append(text)
    if len(text) >= PIECE:
        out.flush()
