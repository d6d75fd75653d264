"""JSON to plain data with exact positions, found lazily.

``json.loads`` (C) builds the data; positions are recovered only when a finding needs one, by a
small tokenizer that indexes every key and value of the file once. Most files have no findings
and never pay for it.
"""

from __future__ import annotations

import bisect
import json
import re

from lintra.load.limits import LimitExceeded
from lintra.load import limits, lines
from lintra.model import Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, TypeAlias


class JsonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def parse(text: str) -> Tuple[Any, "JsonLocator"]:
    data, _ = _decode(text, 0, whole=True)
    return data, JsonLocator(text)


_DECODER = json.JSONDecoder()


def parse_all(text: str) -> List[Tuple[Any, "JsonLocator"]]:
    """One JSON value, or a stream of concatenated values (``govc object.collect -json`` writes
    one document per update; JSON Lines likewise), each with its own locator."""
    try:
        return [parse(text)]
    except JsonSyntaxError as error:
        if not str(error).startswith("Extra data"):
            raise
    out = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return out
        data, end = _decode(text, position)
        out.append((data, JsonLocator(text, position, end)))
        position = end


def _decode(text: str, position: int, whole: bool = False) -> Tuple[Any, int]:
    try:
        if whole:
            data, end = json.loads(text), len(text)
        else:
            data, end = _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        # json counts lines at LF only; JSON's whitespace also holds CR (RFC 8259 §2)
        line_start = max((m.end() for m in lines.BREAKS.finditer(text, 0, error.pos)), default=0)
        raise JsonSyntaxError(error.msg, len(lines.BREAKS.findall(text, 0, error.pos)) + 1,
                              error.pos - line_start + 1) from None
    except RecursionError:
        raise LimitExceeded("JSON nested too deeply to parse") from None
    except ValueError as error:  # Python refuses integers of more than 4300 digits (CVE-2020-10735)
        raise LimitExceeded(f"JSON number too long to read ({str(error).split(':')[0]})") from None
    if _too_deep(data):
        raise LimitExceeded(f"nesting deeper than {limits.MAX_DEPTH} levels")
    return data, end


def _too_deep(data: Any) -> bool:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limits.MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
    return False


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
_Region: TypeAlias = "Tuple[int, int]"


class JsonLocator(Locator):
    __slots__ = ("text", "start", "end", "_index", "_lines")

    def __init__(self, text: str, start: int = 0, end: Optional[int] = None) -> None:
        self.text = text
        #: the slice of ``text`` holding this document (a JSON stream has several)
        self.start = start
        self.end = len(text) if end is None else end
        self._index: Optional[Dict[Pointer, Tuple[Optional[_Region], _Region]]] = None
        self._lines: List[int] = []

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        if self._index is None:
            self._build()
        index = self._index
        assert index is not None
        pointer = tuple(pointer)
        while pointer not in index and pointer:
            pointer = pointer[:-1]
        key, value = index.get(pointer, (None, (self.start, self.start)))
        collection = self.text[value[0]:value[0] + 1] in ("{", "[")
        if key is not None and (at == "key" or (at is None and collection)):
            return self._span(*key)
        start, end = value
        return self._span(start, start + 1 if collection else end)

    def _span(self, start: int, end: int) -> Span:
        line = bisect.bisect_right(self._lines, start)
        end_line = bisect.bisect_right(self._lines, max(start, end - 1))
        return Span(line, start - self._lines[line - 1] + 1, end_line, end - self._lines[end_line - 1] + 1)

    def _build(self) -> None:
        text = self.text
        self._lines = [0] + [m.end() for m in lines.BREAKS.finditer(text)]
        index: Dict[Pointer, Tuple[Optional[_Region], _Region]] = {}
        # Each frame: [pointer, is_object, next list index]
        stack: List[list] = []
        pending_key: Any = None
        pending_region: Optional[_Region] = None
        expect_key = False
        for match in _TOKEN.finditer(text, self.start, self.end):
            token = match.group()
            start = match.start()
            if token in (",", ":"):
                if token == "," and stack and stack[-1][1]:
                    expect_key = True
                continue
            if token in ("}", "]"):
                if stack:
                    frame = stack.pop()
                    key_region, value_start = index[frame[0]]
                    index[frame[0]] = (key_region, (value_start[0], match.end()))
                expect_key = False
                continue
            if stack and stack[-1][1] and expect_key:
                try:
                    pending_key = json.loads(token)
                except ValueError:
                    pending_key = token
                pending_region = (start, match.end())
                expect_key = False
                continue
            # A value: work out its pointer from the enclosing container.
            if not stack:
                pointer: Pointer = ()
                key_region = None
            elif stack[-1][1]:
                pointer = stack[-1][0] + (pending_key,)
                key_region = pending_region
            else:
                pointer = stack[-1][0] + (stack[-1][2],)
                stack[-1][2] += 1
                key_region = None
            if token in ("{", "["):
                index[pointer] = (key_region, (start, start + 1))
                stack.append([pointer, token == "{", 0])
                expect_key = token == "{"
            else:
                index[pointer] = (key_region, (start, match.end()))
        self._index = index
