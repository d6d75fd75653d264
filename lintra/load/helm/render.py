"""Rendered template output -> YAML documents whose locator answers in the files a user edits.

The output text is parsed with libyaml (the same composer as every other YAML file); a pointer's
node is found in the output and its offset looked up among the output's :class:`Seg` pieces: a
template literal maps to its template line and column, a printed value to the values line that
wrote it (with the printing action as the consuming place), and the piece's condition marks a
finding as conditional.
"""

from __future__ import annotations

import bisect

from lintra.load import yamltree
from lintra.load.helm.evaluate import Seg
from lintra.load.limits import LimitExceeded
from lintra.model import FLAG_VALUE, Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple


class Lines:
    """Offset <-> line/column for one text."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.starts = starts

    def position(self, offset: int) -> Tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        index = min(max(line - 1, 0), len(self.starts) - 1)
        return self.starts[index] + column - 1


class RenderedLocator(Locator):
    __slots__ = ("inner", "lines", "base", "segs", "seg_starts", "texts", "fallback")

    def __init__(self, inner: Locator, chunk: str, base: int, segs: Sequence[Seg], seg_starts: List[int],
                 texts: Dict[str, Lines], fallback: str) -> None:
        self.inner = inner
        self.lines = Lines(chunk)
        self.base = base
        self.segs = segs
        self.seg_starts = seg_starts
        self.texts = texts
        self.fallback = fallback

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        out = self.inner.span(pointer, "value" if at == FLAG_VALUE else at)
        start = self.base + self.lines.offset(out.line, out.column)
        end = self.base + self.lines.offset(out.end_line, out.end_column)
        if at == FLAG_VALUE:
            flag = self._flag_value(start, end)
            if flag is not None:
                return flag
        return self.map(start, max(end, start))

    def _flag_value(self, start: int, end: int) -> Optional[Span]:
        """The span of what follows the first ``=`` of the ``--flag=VALUE`` scalar at ``start``,
        when that part is printed from a values file (``--provider={{ .Values.provider }}``: the
        value line is what a user edits); None when it is template text too, so a flag written
        whole in a template keeps the item's place, as in a plain manifest."""
        first = max(bisect.bisect_right(self.seg_starts, start) - 1, 0)
        pieces, index = [], first
        while index < len(self.segs) and self.seg_starts[index] < end:
            pieces.append(self.segs[index].text)
            index += 1
        written = "".join(pieces)[start - self.seg_starts[first]:end - self.seg_starts[first]]
        equals = written.find("=")
        if equals < 0:
            return None
        value = start + equals + 1
        seg = bisect.bisect_right(self.seg_starts, value) - 1
        if not 0 <= seg < len(self.segs):
            return None
        if self.segs[seg].span is None:
            # --flag="{{ .Values.x }}": the quote is template text, the value printed after it
            if self.segs[seg].text[value - self.seg_starts[seg]:] not in ("'", '"') \
                    or seg + 1 >= len(self.segs) or self.segs[seg + 1].span is None:
                return None
        return self.map(value, max(end, value + 2))

    def printed_in(self, pointer: Pointer) -> Optional[str]:
        """The template file, when the value at ``pointer`` is (partly) printed by an action
        (``{{ .Release.Name }}-web``, a value) rather than written literally in the template;
        None for literal text. The finding identity of an object with a templated name keys on
        its template, so a release name or value change does not make new findings."""
        out = self.inner.span(pointer, "value")
        start = self.base + self.lines.offset(out.line, out.column)
        end = max(self.base + self.lines.offset(out.end_line, out.end_column), start + 1)
        index = max(bisect.bisect_right(self.seg_starts, start) - 1, 0)
        printed = False
        while index < len(self.segs) and self.seg_starts[index] < end:
            seg = self.segs[index]
            if seg.span is not None or seg.fixed or seg.file is None:
                printed = True
                break
            index += 1
        return self.fallback if printed else None

    def map(self, start: int, end: int) -> Span:
        index = bisect.bisect_right(self.seg_starts, start) - 1
        if 0 <= index < len(self.segs) and end > start + 1:
            seg = self.segs[index]
            # a quoted scalar whose quotes are template text around a printed value
            # ('{{ .Values.image }}'): the value is what a user edits
            rest = seg.text[start - self.seg_starts[index]:]
            if rest in ("'", '"') and index + 1 < len(self.segs) and self.segs[index + 1].span is not None:
                start += 1
                index += 1
        index = max(index, 0)
        # skip indentation and other pieces printed from nowhere to the first placed character
        chosen = None
        for i in range(index, min(len(self.segs), index + 64)):
            seg = self.segs[i]
            delta = max(0, start - self.seg_starts[i]) if i == index else 0
            if seg.span is None and seg.file is None:
                continue
            if seg.text[delta:].strip() == "" and i + 1 < len(self.segs):
                continue
            chosen = (seg, delta, i)
            break
        if chosen is None:
            for i in range(index, -1, -1):
                if self.segs[i].span is not None or self.segs[i].file is not None:
                    chosen = (self.segs[i], 0, i)
                    break
        if chosen is None:
            return _mark(Span(1, 1, file=self.fallback), None, None)
        seg, delta, i = chosen
        if seg.span is not None:
            s = seg.span
            span = Span(s.line, s.column, s.end_line, s.end_column, file=seg.file)
            via = None
            if seg.via is not None and seg.via[0] in self.texts:
                line, column = self.texts[seg.via[0]].position(seg.via[1])
                via = (seg.via[0], Span(line, column, file=seg.via[0]))
            return _mark(span, seg.cond, via)
        lines = self.texts.get(seg.file)
        if lines is None or seg.offset is None:
            return _mark(Span(1, 1, file=seg.file), seg.cond, None)
        if seg.fixed:
            line, column = lines.position(seg.offset)
            return _mark(Span(line, column, line, column + 2, file=seg.file), seg.cond, None)
        first = seg.offset + delta
        length = min(end - start, len(seg.text) - delta) if end > start else 0
        line, column = lines.position(first)
        end_line, end_column = lines.position(first + max(length, 0))
        return _mark(Span(line, column, end_line, end_column, file=seg.file), seg.cond, None)


def _mark(span: Span, condition: Optional[str], via) -> Span:
    span.condition = condition
    span.via = via
    span.rendered = True
    return span


class FileLocator(Locator):
    """A plain YAML file of the chart (``crds/``): spans name that file."""

    __slots__ = ("inner", "file")

    def __init__(self, inner: Locator, file: str) -> None:
        self.inner = inner
        self.file = file

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        span = self.inner.span(pointer, at)
        span.file = self.file
        return span


def documents(segs: List[Seg], texts: Dict[str, Lines], name: str, notes: List[str]) -> List[Tuple[Any, Locator]]:
    """Parse rendered output; a part that does not parse is a note, the rest still counts."""
    text = "".join(seg.text for seg in segs)
    if not text.strip():
        return []
    seg_starts = []
    position = 0
    for seg in segs:
        seg_starts.append(position)
        position += len(seg.text)
    out: List[Tuple[Any, Locator]] = []
    for chunk, base in _chunks(text):
        if not chunk.strip():
            continue
        try:
            parsed = yamltree.parse(chunk)
        except yamltree.YamlSyntaxError as error:
            where = RenderedLocator(_Null(), chunk, base, segs, seg_starts, texts, name).map(
                base + Lines(chunk).offset(error.line, error.column), base + Lines(chunk).offset(error.line, error.column))
            note = (f"{where.file or name}:{where.line}: the rendered output here is not YAML lintra can read "
                    f"({str(error).splitlines()[0]}); that document is left out")
            if note not in notes:
                notes.append(note)
            continue
        except LimitExceeded as error:
            notes.append(f"{name}: rendered output exceeds a safety limit ({error})")
            continue
        for data, locator in parsed:
            out.append((data, RenderedLocator(locator, chunk, base, segs, seg_starts, texts, name)))
    return out


class _Null(Locator):
    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        return Span(1, 1)


def _chunks(text: str):
    """The output split at document separators, so one broken document spares the others."""
    start = 0
    lines = text.split("\n")
    position = 0
    for line in lines:
        if line.rstrip() == "---" or line.startswith("--- "):
            yield text[start:position], start
            start = position + len(line) + 1
        position += len(line) + 1
    yield text[start:], start
