"""Evaluate parsed Go templates the way Helm renders them, keeping where every output character
came from.

Output is a list of :class:`Seg` pieces: template text (mapped character by character to the
template), or printed values (mapped to the values file line that wrote them, with the action
that printed them as the consuming place). Values are :class:`Val` (Python data plus an
:class:`~lintra.load.helm.values.Origin`). What cannot be known without a cluster or a release
(``.Release``, ``.Capabilities``, ``lookup``, ``.Files``, random and time functions, functions
outside the subset) is :data:`UNKNOWN`, never guessed; each such construct is noted once.

Branches: ``mode`` decides which branch of each ``if``/``with``/``range`` runs. Mode ``None`` is
the values in effect (an unknown condition takes its first branch, marked conditional). Mode
``k`` (0, 1, ...) explores: every if-chain takes its k-th branch (or its last), ``with`` on an
empty value binds an unknown dot, ``range`` over nothing runs once with an unknown element;
output of a branch the values in effect switch off carries the condition that would switch it on.

Function semantics follow the Go text/template builtins (https://pkg.go.dev/text/template#hdr-Functions),
Sprig (https://masterminds.github.io/sprig/) and Helm's own
(https://helm.sh/docs/chart_template_guide/function_list/).
"""

from __future__ import annotations

import bisect
import json
import re

from lintra.load import limits
from lintra.load.helm import template as T
from lintra.load.helm.values import NO_ORIGIN, FixedOrigin, Loc, MapOrigin, Origin

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

# evaluation steps, printed characters and include nesting per rendered template are
# limits.MAX_TEMPLATE_STEPS, MAX_TEMPLATE_OUTPUT and MAX_INCLUDE_DEPTH (README "Limits")


class Sizes:
    """How many items a value prints as, shared parts counted each time; each collection is counted
    once (its size is remembered with a reference, so its id cannot be reused meanwhile)."""

    __slots__ = ("known",)

    def __init__(self) -> None:
        self.known: Dict[int, Tuple[Any, int]] = {}

    def of(self, value: Any) -> int:
        if not isinstance(value, (list, dict)):
            return 1
        known = self.known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        total = 1
        for child in (value.values() if isinstance(value, dict) else value):
            total += self.of(child) if isinstance(child, (list, dict)) else 1
            if total > limits.MAX_TEMPLATE_STEPS:
                break
        self.known[id(value)] = (value, total)
        return total


class Unknown:
    """A value lintra cannot know at lint time; prints as ``<unknown>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()
PLACEHOLDER = "<unknown>"


class Stop(Exception):
    """Rendering of this template stops (a bound was reached, or ``fail``)."""


class Seg:
    """A piece of output. ``offset`` maps it into ``file``'s template text when ``span`` is None
    (``fixed``: every character maps to that one offset); ``span`` places a printed value in the
    values file that wrote it; ``via`` is the template offset of the action that printed it."""

    __slots__ = ("text", "file", "offset", "fixed", "span", "via", "cond")

    def __init__(self, text: str, file: Optional[str], offset: Optional[int], fixed: bool = False,
                 span=None, via: Optional[Tuple[str, int]] = None, cond: Optional[str] = None) -> None:
        self.text, self.file, self.offset, self.fixed = text, file, offset, fixed
        self.span, self.via, self.cond = span, via, cond

    def cut(self, start: int, end: int) -> "Seg":
        offset = self.offset if (self.fixed or self.offset is None) else self.offset + start
        return Seg(self.text[start:end], self.file, offset, self.fixed, self.span, self.via, self.cond)


class Val:
    """A value and where it was written; ``segs`` for strings made of output (``include``)."""

    __slots__ = ("v", "o", "segs")

    def __init__(self, v: Any, o: Origin = NO_ORIGIN, segs: Optional[List[Seg]] = None) -> None:
        self.v, self.o, self.segs = v, o, segs


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def truth(value: Any) -> Optional[bool]:
    """Go's truth (false, 0, nil, empty are false); None when unknown."""
    if value is UNKNOWN:
        return None
    if isinstance(value, (dict, list, str, tuple)):
        return len(value) > 0
    return bool(value)


class Template:
    """A parsed file with the name findings use for it and the origin of its text."""

    __slots__ = ("name", "parsed", "fixed", "pieces", "starts")

    def __init__(self, name: str, parsed: T.Parsed, fixed: Optional[Loc] = None,
                 pieces: Optional[List[Tuple[int, Seg]]] = None) -> None:
        self.name = name
        self.parsed = parsed
        #: a ``tpl`` string's text maps as a whole to where the string was written
        self.fixed = fixed
        #: a ``tpl`` string made of output (``tpl (toYaml .Values.x) .``): ``(start, seg)`` per
        #: piece, so its literal text maps to where each piece was written
        self.pieces = pieces
        #: each piece's start, in order (the pieces tile the string), to find a node's first piece
        self.starts = [begin for begin, _ in pieces] if pieces is not None else None


class Scope:
    """What a chart's templates see: values, ``.Chart``, the named templates of the chart tree."""

    __slots__ = ("values", "values_origin", "chart", "defines", "template_name", "base_cond")

    def __init__(self, values: Any, values_origin: Origin, chart: dict,
                 defines: Dict[str, Tuple[Template, List[T.Node]]], template_name: str = "",
                 base_cond: Optional[str] = None) -> None:
        self.values, self.values_origin, self.chart = values, values_origin, chart
        self.defines = defines
        self.template_name = template_name
        #: the condition under which the whole chart renders (a subchart's ``condition:``)
        self.base_cond = base_cond


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Renderer:
    """Renders templates of one chart in one mode; ``notes`` collects unresolved constructs."""

    def __init__(self, scope: Scope, mode: Optional[int], notes: List[str]) -> None:
        self.scope = scope
        self.mode = mode
        self.notes = notes
        self.steps = 0
        self.sizes = Sizes()
        self.size = 0
        self.depth = 0
        self.conds: List[str] = [scope.base_cond] if scope.base_cond else []
        self.chains = 1  # the longest if-chain seen: how many explore modes are worth running

    # -- entry -----------------------------------------------------------------------------
    def render(self, tpl: Template) -> List[Seg]:
        out: List[Seg] = []
        root = self.root_dot(tpl.name)
        try:
            self.run(tpl, tpl.parsed.nodes, root, [{"$": root}], out)
        except Stop as stop:
            self.note(f"{tpl.name}: rendering stopped: {stop}")
        except RecursionError:  # nested blocks inside nested includes, each within its own bound
            self.note(f"{tpl.name}: rendering stopped: blocks and includes nest too deeply")
        except (_Break, _Continue):
            pass
        return out

    def root_dot(self, name: str) -> Val:
        template = {"Name": self.scope.template_name or name, "BasePath": ""}
        top = {"Values": self.scope.values, "Chart": self.scope.chart, "Release": UNKNOWN,
               "Capabilities": UNKNOWN, "Files": UNKNOWN, "Template": template}
        return Val(top, MapOrigin({"Values": self.scope.values_origin}))

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 200:
            self.notes.append(text)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > limits.MAX_TEMPLATE_STEPS:
            raise Stop(f"more than {limits.MAX_TEMPLATE_STEPS} evaluation steps (a huge range or a recursion?)")

    # -- output ----------------------------------------------------------------------------
    def cond(self) -> Optional[str]:
        return " and ".join(self.conds) if self.conds else None

    def emit(self, out: List[Seg], seg: Seg) -> None:
        self.size += len(seg.text)
        if self.size > limits.MAX_TEMPLATE_OUTPUT:
            raise Stop(f"output larger than {limits.MAX_TEMPLATE_OUTPUT} characters")
        out.append(seg)

    def emit_text(self, tpl: Template, node: T.Text, out: List[Seg]) -> None:
        if tpl.pieces is not None and tpl.fixed is not None:
            mapped = self.pieces_of(tpl, node)
            if mapped is not None:
                for piece in mapped:
                    self.emit(out, piece)
                return
        if tpl.fixed is not None:
            self.emit(out, Seg(node.text, tpl.fixed.file, tpl.fixed.offset, True, tpl.fixed.span, cond=self.cond()))
        else:
            self.emit(out, Seg(node.text, tpl.name, node.pos, cond=self.cond()))

    def pieces_of(self, tpl: Template, node: T.Text) -> Optional[List[Seg]]:
        """A ``tpl`` string's literal text cut along the pieces of output it was made of, each
        where that piece was written (a piece no file wrote maps to the ``tpl`` call); None when
        the pieces do not tile the text."""
        fixed = tpl.fixed
        start, end = node.pos, node.pos + len(node.text)
        covered = start
        mapped: List[Seg] = []
        pieces = tpl.pieces or []
        # the pieces lie in order, end to end: the last one beginning at or before the node's
        # start is its first, and the walk ends at the first beginning past the node (scanning
        # from the top for every Text node made tpl over toYaml output quadratic in its size)
        first = max(bisect.bisect_right(tpl.starts or [], start) - 1, 0)
        for index in range(first, len(pieces)):
            begin, seg = pieces[index]
            if begin >= end:
                break
            stop = begin + len(seg.text)
            if stop <= start:
                continue
            low, high = max(start, begin), min(end, stop)
            if low != covered:
                return None
            covered = high
            if seg.file is None:
                piece = Seg(seg.text[low - begin:high - begin], fixed.file, fixed.offset, True, fixed.span)
            else:
                piece = seg.cut(low - begin, high - begin)
            piece.cond = self.cond()
            mapped.append(piece)
        if covered != end or node.text != "".join(piece.text for piece in mapped):
            return None
        return mapped

    def emit_value(self, tpl: Template, pos: int, val: Val, out: List[Seg]) -> None:
        via = (tpl.name, pos) if tpl.fixed is None else None
        if val.segs is not None:
            for seg in val.segs:
                if seg.span is None and seg.file is None:
                    seg = self.at_action(tpl, pos, seg.text)
                elif seg.via is None and seg.span is not None:
                    seg = Seg(seg.text, seg.file, seg.offset, seg.fixed, seg.span, via, seg.cond)
                self.emit(out, seg)
            return
        text = to_text(val.v)
        if not text:
            return
        loc = val.o.loc((), "value")
        if loc is not None and loc.span is not None:
            self.emit(out, Seg(text, loc.file, None, True, loc.span, via, self.cond()))
        elif loc is not None and loc.offset is not None:
            self.emit(out, Seg(text, loc.file, loc.offset, True, cond=self.cond()))
        else:
            self.emit(out, self.at_action(tpl, pos, text))

    def at_action(self, tpl: Template, pos: int, text: str) -> Seg:
        if tpl.fixed is not None:
            return Seg(text, tpl.fixed.file, tpl.fixed.offset, True, tpl.fixed.span, cond=self.cond())
        return Seg(text, tpl.name, pos, True, cond=self.cond())

    # -- statements ------------------------------------------------------------------------
    def run(self, tpl: Template, nodes: Sequence[T.Node], dot: Val, scopes: List[dict], out: List[Seg]) -> None:
        scopes.append({})
        try:
            for node in nodes:
                self.tick()
                if isinstance(node, T.Text):
                    self.emit_text(tpl, node, out)
                elif isinstance(node, T.Action):
                    val = self.pipe(tpl, node.pipe, dot, scopes)
                    if not node.pipe.decl:
                        self.emit_value(tpl, node.pos, val, out)
                elif isinstance(node, T.Branch):
                    self.branch(tpl, node, dot, scopes, out)
                elif isinstance(node, T.Call):
                    arg = self.pipe(tpl, node.pipe, dot, scopes) if node.pipe else Val(None)
                    self.call(node.name, arg, out, node.pos, tpl)
                elif isinstance(node, T.Loop):
                    raise _Break() if node.kind == "break" else _Continue()
        finally:
            scopes.pop()

    def call(self, name: str, arg: Val, out: List[Seg], pos: int, tpl: Template) -> None:
        found = self.scope.defines.get(name)
        if found is None:
            self.note(f"{tpl.name}: template {name!r} is not defined in the chart")
            return
        if self.depth >= limits.MAX_INCLUDE_DEPTH:
            raise Stop(f"include/template nested deeper than {limits.MAX_INCLUDE_DEPTH} (recursive include of {name!r}?)")
        owner, nodes = found
        self.depth += 1
        try:
            self.run(owner, nodes, arg, [{"$": arg}], out)
        except (_Break, _Continue):
            pass
        finally:
            self.depth -= 1

    def branch(self, tpl: Template, node: T.Branch, dot: Val, scopes: List[dict], out: List[Seg]) -> None:
        if node.kind == "range":
            self.range(tpl, node, dot, scopes, out)
            return
        chain = self.chain(node)
        final = chain[-1].other  # the body of the last {{else}}, or None
        links = len(chain)
        options = links + (1 if final is not None else 0)
        self.chains = max(self.chains, options)
        # conditions are evaluated in order, as Go does, until one decides
        values: List[Tuple[Val, dict]] = []
        effective: Optional[int] = links  # all false: the final else (or nothing)
        unknown = False
        for link in chain:
            scopes.append({})
            val = self.pipe(tpl, link.pipe, dot, scopes)
            values.append((val, scopes.pop()))
            decided = truth(val.v)
            if decided is None:
                effective, unknown = len(values) - 1, True
                break
            if decided:
                effective = len(values) - 1
                break
        if self.mode is None or self.depth > 0:
            # named templates (helpers) follow the values in effect even while exploring: their
            # branches pick names and label sets, and forcing them yields output no chart writes
            pick = effective
            cond = _describe(chain, pick, unknown=True) if unknown else None
        else:
            pick = min(self.mode, options - 1)
            cond = None if (pick == effective and not unknown) else _describe(chain, pick, unknown)
        if pick == links:
            if final:
                self.guarded(cond, lambda: self.run(tpl, final, dot, scopes, out))
            return
        link = chain[pick]
        if pick < len(values):
            val, bound = values[pick]
        else:
            scopes.append({})
            val = self.pipe(tpl, link.pipe, dot, scopes)
            bound = scopes.pop()
        inner_dot = dot
        if link.kind == "with":
            inner_dot = val if truth(val.v) else Val(UNKNOWN, val.o)
        scopes.append(bound)
        try:
            self.guarded(cond, lambda: self.run(tpl, link.body, inner_dot, scopes, out))
        finally:
            scopes.pop()

    def guarded(self, cond: Optional[str], action: Callable[[], None]) -> None:
        if cond:
            self.conds.append(cond)
        try:
            action()
        finally:
            if cond:
                self.conds.pop()

    @staticmethod
    def chain(node: T.Branch) -> List[T.Branch]:
        """``if a}}..{{else if b}}..{{else}}..`` as the list of its links; the last link's
        ``other`` is the final ``else`` body (or None)."""
        links = [node]
        while links[-1].other is not None and len(links[-1].other) == 1 and \
                isinstance(links[-1].other[0], T.Branch) and links[-1].other[0].kind != "range":
            links.append(links[-1].other[0])
        return links

    def range(self, tpl: Template, node: T.Branch, dot: Val, scopes: List[dict], out: List[Seg]) -> None:
        scopes.append({})
        try:
            val = self.pipe(tpl, node.pipe, dot, scopes)
        finally:
            scopes.pop()
        items: List[Tuple[Val, Val]] = []
        value = val.v
        if isinstance(value, dict):
            for key in sorted(value, key=str):
                items.append((Val(key, FixedOrigin(val.o.loc((key,), "key")) if val.o.loc((key,), "key") else NO_ORIGIN),
                              Val(value[key], val.o.child(key))))
        elif isinstance(value, (list, tuple)):
            items = [(Val(i), Val(item, val.o.child(i))) for i, item in enumerate(value)]
        elif isinstance(value, int) and not isinstance(value, bool):
            items = [(Val(i), Val(i)) for i in range(max(0, min(value, limits.MAX_TEMPLATE_STEPS)))]
        elif value is not None and value is not UNKNOWN:
            self.note(f"{tpl.name}: range over a {type(value).__name__} is not iterable in Go templates")
        cond = None
        if value is UNKNOWN:
            cond = f"range {node.pipe.source} (unknown until install)"
        if not items:
            if (self.mode is None or self.depth > 0) and value is not UNKNOWN:
                if node.other:
                    self.run(tpl, node.other, dot, scopes, out)
                return
            if self.mode is not None and node.other and self.mode >= 1:
                self.guarded(f"range {node.pipe.source} is empty", lambda: self.run(tpl, node.other, dot, scopes, out))
                return
            items = [(Val(UNKNOWN), Val(UNKNOWN, val.o.child(0)))]
            cond = cond or f"range {node.pipe.source} is not empty"
        for key, item in items:
            self.tick()
            bound: Dict[str, Val] = {}
            if len(node.pipe.decl) == 1:
                bound[node.pipe.decl[0]] = item
            elif len(node.pipe.decl) >= 2:
                bound[node.pipe.decl[0]] = key
                bound[node.pipe.decl[1]] = item
            scopes.append(bound)
            try:
                self.guarded(cond, lambda: self.run(tpl, node.body, item, scopes, out))
            except _Break:
                break
            except _Continue:
                continue
            finally:
                scopes.pop()

    # -- expressions -----------------------------------------------------------------------
    def pipe(self, tpl: Template, pipe: T.Pipe, dot: Val, scopes: List[dict]) -> Val:
        val: Optional[Val] = None
        for cmd in pipe.cmds:
            val = self.command(tpl, cmd, dot, scopes, val)
        assert val is not None
        if pipe.decl:
            name = pipe.decl[-1] if len(pipe.decl) == 1 else pipe.decl[0]
            if pipe.assign:
                for frame in reversed(scopes):
                    if name in frame:
                        frame[name] = val
                        break
                else:
                    scopes[-1][name] = val
            else:
                scopes[-1][name] = val
        return val

    def command(self, tpl: Template, cmd: T.Cmd, dot: Val, scopes: List[dict], piped: Optional[Val]) -> Val:
        self.tick()
        head = cmd.args[0]
        if isinstance(head, T.Ident):
            return self.function(tpl, head, cmd.args[1:], dot, scopes, piped)
        if len(cmd.args) > 1 or piped is not None:
            if isinstance(head, T.Field) and head.names:
                # a method call on a value (``.Files.Get "x"``, ``.Capabilities.APIVersions.Has``)
                for arg in cmd.args[1:]:
                    self.arg(tpl, arg, dot, scopes)
                self.note(f"{tpl.name}: {_show(head)} with arguments is unknown at lint time")
                return Val(UNKNOWN)
        return self.arg(tpl, head, dot, scopes)

    def arg(self, tpl: Template, node: T.Node, dot: Val, scopes: List[dict]) -> Val:
        if isinstance(node, T.Literal):
            return Val(node.value, FixedOrigin(Loc(tpl.name, offset=node.pos)) if tpl.fixed is None else
                       FixedOrigin(tpl.fixed))
        if isinstance(node, T.Field):
            if node.base is None:
                base = dot
            elif isinstance(node.base, T.Pipe):
                base = self.pipe(tpl, node.base, dot, scopes)
            else:
                base = self.variable(tpl, node.base, scopes, node.pos)
            for name in node.names:
                base = self.field(tpl, base, name)
            return base
        if isinstance(node, T.Pipe):
            return self.pipe(tpl, node, dot, scopes)
        if isinstance(node, T.Ident):
            return self.function(tpl, node, [], dot, scopes, None)
        return Val(None)

    def variable(self, tpl: Template, name: str, scopes: List[dict], pos: int) -> Val:
        for frame in reversed(scopes):
            if name in frame:
                return frame[name]
        self.note(f"{tpl.name}: undefined variable {name}")
        return Val(UNKNOWN)

    def field(self, tpl: Template, base: Val, name: str) -> Val:
        value = base.v
        if value is UNKNOWN:
            return Val(UNKNOWN, base.o.child(name))
        if isinstance(value, dict):
            return Val(value.get(name), base.o.child(name))
        return Val(None, base.o.child(name))

    def function(self, tpl: Template, ident: T.Ident, nodes: Sequence[T.Node], dot: Val,
                 scopes: List[dict], piped: Optional[Val]) -> Val:
        name = ident.name
        if name in ("and", "or"):  # short-circuit (Go 1.18)
            args = list(nodes)
            last = Val(None)
            for node in args:
                last = self.arg(tpl, node, dot, scopes)
                decided = truth(last.v)
                if decided is None:
                    return Val(UNKNOWN)
                if decided == (name == "or"):
                    return last
            if piped is not None:
                last = piped
            return last
        if name in ("include", "template"):
            args = [self.arg(tpl, node, dot, scopes) for node in nodes] + ([piped] if piped else [])
            if not args or not isinstance(args[0].v, str):
                self.note(f"{tpl.name}: include with a computed template name")
                return Val(UNKNOWN)
            out: List[Seg] = []
            self.call(args[0].v, args[1] if len(args) > 1 else Val(None), out, ident.pos, tpl)
            return Val("".join(seg.text for seg in out), NO_ORIGIN, out)
        if name == "tpl":
            args = [self.arg(tpl, node, dot, scopes) for node in nodes] + ([piped] if piped else [])
            return self.tpl(tpl, args, ident.pos)
        args = [self.arg(tpl, node, dot, scopes) for node in nodes] + ([piped] if piped else [])
        func = FUNCTIONS.get(name)
        if func is None:
            if name in UNKNOWN_FUNCTIONS:
                self.note(f"{tpl.name}: {name} is unknown at lint time")
            else:
                self.note(f"{tpl.name}: function {name!r} is not supported; its result is unknown")
            return Val(UNKNOWN)
        try:
            result = func(self, tpl, ident.pos, args)
        except Stop:
            raise
        except MemoryError:  # a result no bound below caught: this template stops, the run goes on
            raise Stop(f"{name} needs more memory than a template may use") from None
        except _Fail as fail:
            self.note(f"{tpl.name}: {fail}")
            return Val(UNKNOWN)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, RecursionError) as error:
            self.note(f"{tpl.name}: {name} could not be evaluated ({type(error).__name__}); its result is unknown")
            return Val(UNKNOWN)
        # a value may grow without printing: ``$s = cat $s $s`` forty times is 2**40 characters
        value = result.v
        if isinstance(value, str) and len(value) > limits.MAX_TEMPLATE_OUTPUT:
            raise Stop(f"{name} made a string longer than {limits.MAX_TEMPLATE_OUTPUT} characters")
        if isinstance(value, (list, dict)) and self.sizes.of(value) > limits.MAX_TEMPLATE_STEPS:
            # counted with shared parts counted each time they appear: ``$l = list $l $l`` forty
            # times is 2**40 items to print, though it holds 80 lists
            raise Stop(f"{name} made a collection of more than {limits.MAX_TEMPLATE_STEPS} items")
        return result

    def tpl(self, tpl: Template, args: List[Val], pos: int) -> Val:
        if not args or not isinstance(args[0].v, str):
            return Val(UNKNOWN) if args and args[0].v is UNKNOWN else (args[0] if args else Val(None))
        text = args[0].v
        if "{{" not in text:
            return args[0]
        try:
            parsed = T.parse(text)
        except T.TemplateSyntaxError as error:
            self.note(f"{tpl.name}: tpl of a string that does not parse ({error})")
            return Val(UNKNOWN)
        where = args[0].o.loc((), "value") or Loc(tpl.name, offset=pos)
        pieces = None
        if args[0].segs is not None and "".join(seg.text for seg in args[0].segs) == text:
            pieces, start = [], 0
            for seg in args[0].segs:
                pieces.append((start, seg))
                start += len(seg.text)
        inner = Template(tpl.name, parsed, where, pieces)
        if self.depth >= limits.MAX_INCLUDE_DEPTH:
            raise Stop(f"tpl nested deeper than {limits.MAX_INCLUDE_DEPTH}")
        out: List[Seg] = []
        dot = args[1] if len(args) > 1 else Val(None)
        self.depth += 1
        try:
            self.run(inner, parsed.nodes, dot, [{"$": dot}], out)
        except (_Break, _Continue):
            pass
        finally:
            self.depth -= 1
        return Val("".join(seg.text for seg in out), NO_ORIGIN, out)


def _describe(chain: List[T.Branch], pick: int, unknown: bool = False) -> str:
    """The condition that selects branch ``pick`` of an if/with chain, as the chart writes it:
    ``.Values.aws.enabled``, ``.Values.x is set`` (``with``), ``not (a) and b`` for a later one."""
    def test(link: T.Branch) -> str:
        return f"{link.pipe.source} is set" if link.kind == "with" else link.pipe.source

    def negated(link: T.Branch) -> str:
        return f"{link.pipe.source} is not set" if link.kind == "with" else f"not ({link.pipe.source})"

    if pick < len(chain):
        text = " and ".join([negated(c) for c in chain[:pick]] + [test(chain[pick])])
    else:
        text = " and ".join(negated(c) for c in chain)
    return text + (" (unknown until install)" if unknown else "")


def _show(node: T.Field) -> str:
    base = node.base if isinstance(node.base, str) else ""
    return base + "." + ".".join(node.names)


# --- printing and YAML ------------------------------------------------------------------------

def to_text(value: Any) -> str:
    """What ``{{ value }}`` prints (Go's fmt), with Helm's ``<no value>`` removed."""
    if value is None:
        return ""
    if value is UNKNOWN:
        return PLACEHOLDER
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{to_text(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(to_text(v) for v in value) + "]"
    return str(value)


_PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./ :@+=-]*$")
_SPECIAL = re.compile(r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N"
                      r"|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o?[0-7]+|[-+]?\.inf|\.nan)$")


def yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is UNKNOWN:
        return '"' + PLACEHOLDER + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return to_text(value)
    text = str(value)
    if text and _PLAIN.match(text) and not _SPECIAL.match(text) and not text.endswith((" ", ":")) \
            and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_segs(value: Any, origin: Origin, cond: Optional[str], file: str, pos: int) -> List[Seg]:
    """``toYaml``: block YAML as Helm prints it (sorted keys, lists not indented under their key),
    each key and scalar mapped to where it was written."""
    out: List[Seg] = []

    def piece(text: str, path, at: str) -> None:
        loc = origin.loc(path, at)
        if loc is not None and loc.span is not None:
            out.append(Seg(text, loc.file, None, True, loc.span, None, cond))
        elif loc is not None and loc.offset is not None:
            out.append(Seg(text, loc.file, loc.offset, True, cond=cond))
        else:
            out.append(Seg(text, None, None, True, cond=cond))

    def plain(text: str) -> None:
        out.append(Seg(text, None, None, True, cond=cond))

    visited = [0]

    def walk(node: Any, path: tuple, indent: int, depth: int) -> None:
        if depth > 200:
            raise Stop("toYaml of data nested deeper than 200 levels")
        visited[0] += 1  # a list holding itself twice, forty levels deep, prints 2**40 nodes
        if visited[0] > limits.MAX_TEMPLATE_OUTPUT:
            raise Stop(f"toYaml of more than {limits.MAX_TEMPLATE_OUTPUT} nodes")
        pad = " " * indent
        if isinstance(node, dict):
            first = True
            for key in sorted(node, key=str):
                child = node[key]
                if not first:
                    plain("\n" + pad)
                first = False
                piece(yaml_scalar(str(key)) if not isinstance(key, str) else yaml_scalar(key), path + (key,), "key")
                if isinstance(child, dict) and child:
                    plain(":\n" + pad + "  ")
                    walk(child, path + (key,), indent + 2, depth + 1)
                elif isinstance(child, list) and child:
                    plain(":\n" + pad)
                    walk(child, path + (key,), indent, depth + 1)
                else:
                    plain(": ")
                    scalar(child, path + (key,))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                if i:
                    plain("\n" + pad)
                plain("- ")
                if isinstance(child, dict) and child:
                    walk(child, path + (i,), indent + 2, depth + 1)
                elif isinstance(child, list) and child:
                    walk(child, path + (i,), indent + 2, depth + 1)
                else:
                    scalar(child, path + (i,))
        else:
            scalar(node, path)

    def scalar(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            plain("{}")
        elif isinstance(node, list):
            plain("[]")
        elif isinstance(node, str) and "\n" in node:
            piece(json.dumps(node, ensure_ascii=False), path, "value")
        else:
            piece(yaml_scalar(node), path, "value")

    if value is UNKNOWN:
        pass  # nothing is known to print; an empty map or scalar reads the same in YAML
    elif value is None:
        pass  # Helm prints "null"; in a block that reads as no value, and nothing prints the same
    else:
        walk(value, (), 0, 0)
    return out


def indent_segs(segs: List[Seg], width: int, lead: bool) -> List[Seg]:
    pad = " " * width
    out: List[Seg] = []
    if lead:
        out.append(Seg("\n", None, None, True))
    at_line_start = True
    for seg in segs:
        start = 0
        text = seg.text
        while True:
            newline = text.find("\n", start)
            end = len(text) if newline < 0 else newline + 1
            if end > start:
                if at_line_start:
                    out.append(Seg(pad, None, None, True))
                out.append(seg.cut(start, end) if (start, end) != (0, len(text)) else seg)
                at_line_start = newline >= 0
            if newline < 0:
                break
            start = newline + 1
    if not segs:
        out.append(Seg(pad, None, None, True))
    return out


def slice_segs(segs: List[Seg], start: int, end: int) -> List[Seg]:
    out: List[Seg] = []
    position = 0
    for seg in segs:
        seg_end = position + len(seg.text)
        lo, hi = max(start, position), min(end, seg_end)
        if lo < hi:
            out.append(seg.cut(lo - position, hi - position))
        position = seg_end
    return out


class _Fail(Exception):
    pass


# --- functions --------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    return value


def _any_unknown(args: Sequence[Val]) -> bool:
    return any(a.v is UNKNOWN for a in args)


def _first_origin(args: Sequence[Val]) -> Origin:
    for arg in args:
        if arg.o is not NO_ORIGIN and arg.o.loc((), "value") is not None and not isinstance(arg.o, FixedOrigin):
            return arg.o
    for arg in args:
        if arg.o is not NO_ORIGIN:
            return arg.o
    return NO_ORIGIN


def _string_fn(fn: Callable[..., Any], arity: int = 1, keep_segs: Optional[Callable] = None):
    """A Sprig string function whose last argument is the string (``trimSuffix "-" x``)."""
    def call(r: Renderer, tpl: Template, pos: int, args: List[Val]) -> Val:
        if len(args) < arity:
            raise _Fail(f"wrong number of arguments for a string function at offset {pos}")
        if _any_unknown(args):
            return Val(UNKNOWN, args[-1].o)
        target = args[-1]
        text = to_text(target.v)
        extra = [a.v for a in args[:-1]]
        result = fn(*extra, text)
        if keep_segs is not None and target.segs is not None and isinstance(result, str):
            start, end = keep_segs(*extra, text)
            return Val(result, target.o, slice_segs(target.segs, start, end))
        return Val(result, target.o)
    return call


def _trim_range(text: str) -> Tuple[int, int]:
    start = len(text) - len(text.lstrip())
    return start, len(text.rstrip())


def _fn_default(r, tpl, pos, args):
    if len(args) < 2:
        return args[0] if args else Val(None)
    given = args[-1]
    if given.v is UNKNOWN:
        return Val(UNKNOWN, given.o)
    return given if truth(given.v) else args[0]


def _fn_quote(r, tpl, pos, args, mark='"'):
    if _any_unknown(args):
        return Val(UNKNOWN, _first_origin(args))
    parts = []
    for arg in args:
        if arg.v is None:
            continue
        text = to_text(arg.v)
        parts.append(json.dumps(text, ensure_ascii=False) if mark == '"' else "'" + text + "'")
    result = " ".join(parts)
    if len(args) == 1 and args[0].segs is not None:
        return Val(result, args[0].o, [Seg(mark, None, None, True)] + args[0].segs + [Seg(mark, None, None, True)])
    return Val(result, _first_origin(args))


def _fn_toyaml(r, tpl, pos, args):
    arg = args[0]
    segs = yaml_segs(arg.v, arg.o, r.cond(), tpl.name, pos)
    return Val("".join(s.text for s in segs), NO_ORIGIN, segs)


def _fn_tojson(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    return Val(json.dumps(args[0].v, sort_keys=True, separators=(",", ":"), default=str), args[0].o)


def _fn_fromyaml(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    from lintra.load import yamltree
    from lintra.load.limits import LimitExceeded

    text = to_text(args[0].v)
    try:
        parsed = yamltree.parse(text)
    except (yamltree.YamlSyntaxError, LimitExceeded):
        return Val({"Error": "yaml parse error"})
    if not parsed:
        return Val({}, args[0].o)
    data, locator = parsed[0]
    if args[0].segs is not None:  # output of include: keep where each part was written
        return Val(data, SegsOrigin(locator, text, args[0].segs))
    return Val(data, args[0].o)


class SegsOrigin(Origin):
    """Data parsed back from rendered output (``fromYaml (include ...)``): a path's node is
    found in that output and mapped through its pieces to where it was written."""

    __slots__ = ("locator", "starts", "segs", "seg_starts")

    def __init__(self, locator, text: str, segs: List[Seg]) -> None:
        self.locator = locator
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.segs = segs
        self.seg_starts = []
        position = 0
        for seg in segs:
            self.seg_starts.append(position)
            position += len(seg.text)

    def loc(self, path=(), at=None):
        import bisect

        span = self.locator.span(tuple(path), at)
        line = min(max(span.line - 1, 0), len(self.starts) - 1)
        offset = self.starts[line] + span.column - 1
        index = max(bisect.bisect_right(self.seg_starts, offset) - 1, 0)
        for i in range(index, min(index + 32, len(self.segs))):
            seg = self.segs[i]
            delta = max(0, offset - self.seg_starts[i]) if i == index else 0
            if not seg.text[delta:].strip():
                continue
            if seg.span is not None:
                return Loc(seg.file, span=seg.span)
            if seg.file is not None and seg.offset is not None:
                return Loc(seg.file, offset=seg.offset + (0 if seg.fixed else delta))
        return None


def _fn_fromjson(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    try:
        return Val(json.loads(to_text(args[0].v)), args[0].o)
    except ValueError:
        return Val({"Error": "json parse error"})


def _fn_indent(r, tpl, pos, args, lead=False):
    width, target = args[0].v, args[-1]
    if target.v is UNKNOWN and target.segs is None:
        # an unknown block printed on lines of its own: nothing is known to print, and
        # printing a placeholder there would break the YAML around it
        return Val("", target.o, [])
    width = int(width)
    lines = 1 + (sum(s.text.count("\n") for s in target.segs) if target.segs is not None else to_text(target.v).count("\n"))
    if width * lines > limits.MAX_TEMPLATE_OUTPUT:  # refused before the padding is built
        raise Stop(f"indent {width} of {lines} line(s): longer than {limits.MAX_TEMPLATE_OUTPUT} characters")
    segs = target.segs
    if segs is None:
        text = to_text(target.v)
        loc = target.o.loc((), "value")
        if loc is not None and loc.span is not None:
            segs = [Seg(text, loc.file, None, True, loc.span)]
        else:
            segs = [Seg(text, None, None, True)]
    segs = indent_segs(segs, width, lead)
    return Val("".join(s.text for s in segs), target.o, segs)


def _fn_required(r, tpl, pos, args):
    given = args[-1]
    if given.v is None or given.v == "":
        r.note(f"{tpl.name}: required value missing: {to_text(args[0].v) if len(args) > 1 else ''}".rstrip(": "))
        return Val(UNKNOWN, given.o)
    return given


def _fn_fail(r, tpl, pos, args):
    raise _Fail(f"fail: {to_text(args[0].v) if args else ''} (the chart refuses these values)")


def _fn_repeat(count: Any, text: str) -> str:
    count = max(0, min(int(count), 10_000))
    if count * len(text) > limits.MAX_TEMPLATE_OUTPUT:  # refused before the string is built
        raise Stop(f"repeat {count} of {len(text)} characters: longer than {limits.MAX_TEMPLATE_OUTPUT} characters")
    return text * count


def _go_printf(fmt: str, values: Sequence[Any]) -> str:
    out = []
    i = 0
    index = 0
    n = len(fmt)
    while i < n:
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < n and fmt[j] in "+-# 0123456789.":
            j += 1
        if j >= n:
            out.append(fmt[i:])
            break
        verb = fmt[j]
        i = j + 1
        if verb == "%":
            out.append("%")
            continue
        if index >= len(values):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = values[index]
        index += 1
        if verb == "q":
            out.append(json.dumps(to_text(value)))
        elif verb in "dx" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(format(int(value), "x" if verb == "x" else "d"))
        else:
            out.append(to_text(value))
    return "".join(out)


def _fn_printf(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN, _first_origin(args[1:]))
    return Val(_go_printf(to_text(args[0].v), [a.v for a in args[1:]]), _first_origin(args[1:]))


def _fn_print(r, tpl, pos, args, sep=""):
    if _any_unknown(args):
        return Val(UNKNOWN, _first_origin(args))
    parts = [to_text(a.v) for a in args]
    if sep == "" and len(args) > 1:
        # Go's Sprint adds spaces between operands when neither is a string
        text = parts[0]
        for prev, cur, part in zip(args, args[1:], parts[1:]):
            text += ("" if isinstance(prev.v, str) or isinstance(cur.v, str) else " ") + part
        return Val(text, _first_origin(args))
    return Val(sep.join(parts), _first_origin(args))


def _fn_dict(r, tpl, pos, args):
    data, origins = {}, {}
    for i in range(0, len(args) - 1, 2):
        key = to_text(args[i].v)
        data[key] = args[i + 1].v
        origins[key] = args[i + 1].o
    return Val(data, MapOrigin(origins))


def _fn_list(r, tpl, pos, args):
    return Val([a.v for a in args], MapOrigin({i: a.o for i, a in enumerate(args)}))


def _fn_merge(r, tpl, pos, args, overwrite=False):
    """``merge $dst $src...``: the first (destination) wins in ``merge``, the last in
    ``mergeOverwrite``; both change and return the destination."""
    if not args or _any_unknown(args):
        return Val(UNKNOWN)
    ordered = args if not overwrite else list(reversed(args))
    # which source wrote each key is decided before the destination is changed in place
    sources = [(_copy(a.v), a.o) for a in ordered]
    data: dict = {}
    for arg in reversed(ordered):
        if isinstance(arg.v, dict):
            _deep_merge(data, arg.v)
    if isinstance(args[0].v, dict):
        args[0].v.clear()
        args[0].v.update(data)
    return Val(data, MapOrigin({}, sources))


def _deep_merge(target: dict, source: dict) -> None:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = _copy(value)


def _copy(value: Any) -> Any:
    import copy
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


def _fn_omit(r, tpl, pos, args, keep=False):
    source = args[0]
    if not isinstance(source.v, dict):
        return Val(UNKNOWN) if source.v is UNKNOWN else Val({})
    names = {to_text(a.v) for a in args[1:]}
    data = {k: v for k, v in source.v.items() if (k in names) == keep}
    return Val(data, MapOrigin({}, [(data, source.o)]))


def _compare(op):
    def call(r, tpl, pos, args):
        if _any_unknown(args):
            return Val(UNKNOWN)
        a = args[0].v
        rest = [x.v for x in args[1:]]
        if op == "eq":
            return Val(any(_eq(a, b) for b in rest))
        if op == "ne":
            return Val(not _eq(a, rest[0]))
        b = rest[0]
        try:
            return Val({"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op])
        except TypeError:
            raise _Fail(f"incompatible types for comparison ({op})") from None
    return call


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b
    return type(a) is type(b) and a == b or (a is None and b is None)


def _fn_not(r, tpl, pos, args):
    decided = truth(args[0].v)
    return Val(UNKNOWN) if decided is None else Val(not decided)


def _fn_empty(r, tpl, pos, args):
    decided = truth(args[0].v) if args else False
    return Val(UNKNOWN) if decided is None else Val(not decided)


def _fn_coalesce(r, tpl, pos, args):
    for arg in args:
        decided = truth(arg.v)
        if decided is None:
            return Val(UNKNOWN, arg.o)
        if decided:
            return arg
    return Val(None)


def _fn_ternary(r, tpl, pos, args):
    decided = truth(args[2].v)
    if decided is None:
        return Val(UNKNOWN)
    return args[0] if decided else args[1]


def _fn_haskey(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    return Val(isinstance(args[0].v, dict) and to_text(args[1].v) in args[0].v)


def _fn_get(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    key = to_text(args[1].v)
    value = args[0].v.get(key, "") if isinstance(args[0].v, dict) else ""
    return Val(value, args[0].o.child(key))


def _fn_index(r, tpl, pos, args):
    val = args[0]
    for key in args[1:]:
        if val.v is UNKNOWN or key.v is UNKNOWN:
            return Val(UNKNOWN)
        if isinstance(val.v, dict):
            val = Val(val.v.get(key.v), val.o.child(key.v))
        elif isinstance(val.v, list) and isinstance(key.v, int) and 0 <= key.v < len(val.v):
            val = Val(val.v[key.v], val.o.child(key.v))
        elif val.v is None:
            return Val(None)
        else:
            raise _Fail("index out of range")
    return val


def _fn_set(r, tpl, pos, args):
    if isinstance(args[0].v, dict):
        key = to_text(args[1].v)
        args[0].v[key] = args[2].v
        if isinstance(args[0].o, MapOrigin):  # the key now remembers where its value was written
            args[0].o.keys[key] = args[2].o
    return args[0]


def _fn_unset(r, tpl, pos, args):
    if isinstance(args[0].v, dict):
        args[0].v.pop(to_text(args[1].v), None)
    return args[0]


def _fn_len(r, tpl, pos, args):
    value = args[0].v
    if value is UNKNOWN:
        return Val(UNKNOWN)
    return Val(len(value) if isinstance(value, (str, list, dict)) else 0)


def _fn_keys(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    out = []
    for arg in args:
        if isinstance(arg.v, dict):
            out.extend(arg.v.keys())
    return Val(out)


def _fn_values(r, tpl, pos, args):
    if not isinstance(args[0].v, dict):
        return Val(UNKNOWN) if args[0].v is UNKNOWN else Val([])
    return Val(list(args[0].v.values()))


def _fn_has(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    return Val(isinstance(args[1].v, list) and args[0].v in args[1].v)


def _fn_concat(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    out: list = []
    for arg in args:
        if isinstance(arg.v, list):
            out.extend(arg.v)
    return Val(out)


def _fn_append(r, tpl, pos, args):
    if _any_unknown(args[:1]) or not isinstance(args[0].v, list):
        return Val(UNKNOWN)
    return Val(list(args[0].v) + [args[1].v])


def _fn_tostring(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN, args[0].o)
    return Val(to_text(args[0].v), args[0].o, args[0].segs)


def _fn_int(r, tpl, pos, args):
    value = args[0].v
    if value is UNKNOWN:
        return Val(UNKNOWN)
    try:
        return Val(int(float(value)) if value not in (None, "") else 0, args[0].o)
    except (TypeError, ValueError):
        return Val(0)


def _fn_float(r, tpl, pos, args):
    value = args[0].v
    if value is UNKNOWN:
        return Val(UNKNOWN)
    try:
        return Val(float(value), args[0].o)
    except (TypeError, ValueError):
        return Val(0.0)


def _fn_kindis(r, tpl, pos, args):
    if args[1].v is UNKNOWN:
        return Val(UNKNOWN)
    return Val(_kind(args[1].v) == to_text(args[0].v))


def _fn_kindof(r, tpl, pos, args):
    if args[0].v is UNKNOWN:
        return Val(UNKNOWN)
    return Val(_kind(args[0].v))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64" if False else "float64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    return "invalid"


def _fn_typeof(r, tpl, pos, args):
    value = args[0].v
    if value is UNKNOWN:
        return Val(UNKNOWN)
    return Val({"bool": "bool", "float64": "float64", "string": "string", "map": "map[string]interface {}",
                "slice": "[]interface {}", "invalid": "<nil>"}[_kind(value)])


def _fn_split(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    return Val(to_text(args[1].v).split(to_text(args[0].v)))


def _fn_join(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN, args[-1].o)
    items = args[1].v
    if not isinstance(items, list):
        items = [items]
    return Val(to_text(args[0].v).join(to_text(x) for x in items), args[1].o)


def _fn_regex_match(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    from lintra.policy.regex_safety import compile_pattern  # RE2: linear time on hostile patterns

    return Val(bool(compile_pattern(to_text(args[0].v))(to_text(args[1].v))))


def _safe_regex_match(r, tpl, pos, args):
    try:
        return _fn_regex_match(r, tpl, pos, args)
    except Exception:  # noqa: BLE001 - an unusable pattern is an unknown result, never a crash
        return Val(UNKNOWN)


def _fn_until(r, tpl, pos, args):
    count = args[0].v
    if not isinstance(count, (int, float)) or isinstance(count, bool):
        return Val(UNKNOWN)
    count = int(count)
    if count > limits.MAX_TEMPLATE_STEPS:
        raise Stop(f"until {count}: longer than {limits.MAX_TEMPLATE_STEPS}")
    return Val(list(range(max(0, count))))


def _fn_first(r, tpl, pos, args, last=False):
    value = args[0].v
    if isinstance(value, list) and value:
        i = len(value) - 1 if last else 0
        return Val(value[i], args[0].o.child(i))
    return Val(UNKNOWN) if value is UNKNOWN else Val(None)


def _fn_uniq(r, tpl, pos, args):
    if not isinstance(args[0].v, list):
        return Val(UNKNOWN)
    out: list = []
    for item in args[0].v:
        if item not in out:
            out.append(item)
    return Val(out)


def _fn_sortalpha(r, tpl, pos, args):
    if not isinstance(args[0].v, list):
        return Val(UNKNOWN)
    return Val(sorted(to_text(x) for x in args[0].v))


def _fn_deepcopy(r, tpl, pos, args):
    return Val(_copy(args[0].v), args[0].o)


def _fn_semver_compare(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    r.note(f"{tpl.name}: semverCompare is evaluated as unknown")
    return Val(UNKNOWN)


def _fn_trunc(*a):
    count, text = a
    count = int(count)
    return text[:count] if count >= 0 else text[count:]


def _trunc_range(count, text):
    count = int(count)
    if count >= 0:
        return 0, min(len(text), count)
    return max(0, len(text) + count), len(text)


def _trim_suffix_range(suffix, text):
    return 0, len(text) - len(suffix) if suffix and text.endswith(suffix) else len(text)


def _trim_prefix_range(prefix, text):
    return (len(prefix) if prefix and text.startswith(prefix) else 0), len(text)


def _b64enc(text: str) -> str:
    import base64
    return base64.b64encode(text.encode()).decode()


def _b64dec(text: str) -> str:
    import base64
    import binascii
    try:
        return base64.b64decode(text.encode()).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _sha256(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()


def _case(style: str):
    def convert(text: str) -> str:
        words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", text)
        if style == "kebab":
            return "-".join(w.lower() for w in words)
        if style == "snake":
            return "_".join(w.lower() for w in words)
        return "".join(w.capitalize() for w in words)
    return convert


def _fn_typeis(r, tpl, pos, args):
    if args[1].v is UNKNOWN:
        return Val(UNKNOWN)
    return Val(_fn_typeof(r, tpl, pos, args[1:]).v == to_text(args[0].v))


def _fn_split_dict(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN)
    parts = to_text(args[1].v).split(to_text(args[0].v))
    return Val({f"_{i}": part for i, part in enumerate(parts)}, args[1].o)


def _fn_regex_replace(r, tpl, pos, args):
    if _any_unknown(args):
        return Val(UNKNOWN, args[1].o if len(args) > 1 else NO_ORIGIN)
    import re as _re
    try:
        pattern = _re.compile(to_text(args[0].v))
    except _re.error:
        return Val(UNKNOWN)
    replacement = _re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", to_text(args[2].v))
    try:
        return Val(pattern.sub(replacement, to_text(args[1].v)), args[1].o)
    except (_re.error, IndexError):
        return Val(UNKNOWN)


def _arith(op):
    def call(r, tpl, pos, args):
        if _any_unknown(args):
            return Val(UNKNOWN)
        try:
            numbers = [int(a.v) if not isinstance(a.v, float) else a.v for a in args]
        except (TypeError, ValueError):
            return Val(UNKNOWN)
        result = numbers[0]
        for n in numbers[1:]:
            if op == "+":
                result += n
            elif op == "-":
                result -= n
            elif op == "*":
                result *= n
            elif op == "/":
                if n == 0:
                    return Val(UNKNOWN)
                result = int(result / n)
            elif op == "%":
                if n == 0:
                    return Val(UNKNOWN)
                result = result % n
            elif op == "max":
                result = max(result, n)
            elif op == "min":
                result = min(result, n)
        return Val(result)
    return call


def _fn_dig(r, tpl, pos, args):
    if len(args) < 3 or args[-1].v is UNKNOWN:
        return Val(UNKNOWN)
    node, origin = args[-1].v, args[-1].o
    for key in args[:-2]:
        name = to_text(key.v)
        if not isinstance(node, dict) or name not in node:
            return args[-2]
        node, origin = node[name], origin.child(name)
    return Val(node, origin)


def _fn_compact(r, tpl, pos, args):
    if not isinstance(args[0].v, list):
        return Val(UNKNOWN)
    return Val([x for x in args[0].v if truth(x)])


def _fn_without(r, tpl, pos, args):
    if not isinstance(args[0].v, list):
        return Val(UNKNOWN)
    drop = [a.v for a in args[1:]]
    return Val([x for x in args[0].v if x not in drop])


def _path_fn(fn):
    import posixpath
    return _string_fn(lambda s: getattr(posixpath, fn)(s) if fn != "ext" else posixpath.splitext(s)[1])


FUNCTIONS: Dict[str, Callable] = {
    "typeIs": _fn_typeis,
    "typeIsLike": _fn_typeis,
    "split": _fn_split_dict,
    "regexReplaceAll": _fn_regex_replace,
    "add": _arith("+"), "add1": lambda r, t, p, a: _arith("+")(r, t, p, a + [Val(1)]),
    "sub": _arith("-"), "mul": _arith("*"), "div": _arith("/"), "mod": _arith("%"),
    "max": _arith("max"), "min": _arith("min"),
    "dig": _fn_dig,
    "compact": _fn_compact,
    "without": _fn_without,
    "base": _path_fn("basename"), "dir": _path_fn("dirname"), "ext": _path_fn("ext"),
    "clean": _path_fn("normpath"),
    "default": _fn_default,
    "quote": _fn_quote,
    "squote": lambda r, t, p, a: _fn_quote(r, t, p, a, "'"),
    "toYaml": _fn_toyaml,
    "toYamlPretty": _fn_toyaml,
    "toJson": _fn_tojson,
    "toPrettyJson": _fn_tojson,
    "toRawJson": _fn_tojson,
    "mustToJson": _fn_tojson,
    "fromYaml": _fn_fromyaml,
    "fromJson": _fn_fromjson,
    "indent": _fn_indent,
    "nindent": lambda r, t, p, a: _fn_indent(r, t, p, a, True),
    "required": _fn_required,
    "fail": _fn_fail,
    "printf": _fn_printf,
    "print": _fn_print,
    "println": lambda r, t, p, a: _fn_print(r, t, p, a + [Val("\n")], " "),
    "dict": _fn_dict,
    "list": _fn_list,
    "tuple": _fn_list,
    "merge": _fn_merge,
    "mustMerge": _fn_merge,
    "mergeOverwrite": lambda r, t, p, a: _fn_merge(r, t, p, a, True),
    "mustMergeOverwrite": lambda r, t, p, a: _fn_merge(r, t, p, a, True),
    "omit": _fn_omit,
    "pick": lambda r, t, p, a: _fn_omit(r, t, p, a, True),
    "eq": _compare("eq"), "ne": _compare("ne"), "lt": _compare("lt"), "le": _compare("le"),
    "gt": _compare("gt"), "ge": _compare("ge"),
    "not": _fn_not,
    "empty": _fn_empty,
    "coalesce": _fn_coalesce,
    "ternary": _fn_ternary,
    "hasKey": _fn_haskey,
    "get": _fn_get,
    "index": _fn_index,
    "set": _fn_set,
    "unset": _fn_unset,
    "len": _fn_len,
    "keys": _fn_keys,
    "values": _fn_values,
    "has": _fn_has,
    "concat": _fn_concat,
    "append": _fn_append,
    "mustAppend": _fn_append,
    "toString": _fn_tostring,
    "int": _fn_int, "int64": _fn_int, "atoi": _fn_int,
    "float64": _fn_float,
    "kindIs": _fn_kindis,
    "kindOf": _fn_kindof,
    "typeOf": _fn_typeof,
    "splitList": _fn_split,
    "join": _fn_join,
    "regexMatch": _safe_regex_match,
    "until": _fn_until,
    "first": _fn_first,
    "last": lambda r, t, p, a: _fn_first(r, t, p, a, True),
    "uniq": _fn_uniq,
    "sortAlpha": _fn_sortalpha,
    "deepCopy": _fn_deepcopy,
    "mustDeepCopy": _fn_deepcopy,
    "semverCompare": _fn_semver_compare,
    "hasPrefix": _string_fn(lambda prefix, s: s.startswith(to_text(prefix)), 2),
    "hasSuffix": _string_fn(lambda suffix, s: s.endswith(to_text(suffix)), 2),
    "contains": _string_fn(lambda part, s: to_text(part) in s, 2),
    "trunc": _string_fn(_fn_trunc, 2, _trunc_range),
    "trimSuffix": _string_fn(lambda suf, s: s[:-len(suf)] if suf and s.endswith(suf) else s, 2, _trim_suffix_range),
    "trimPrefix": _string_fn(lambda pre, s: s[len(pre):] if pre and s.startswith(pre) else s, 2, _trim_prefix_range),
    "trim": _string_fn(lambda s: s.strip(), 1, _trim_range),
    "trimAll": _string_fn(lambda chars, s: s.strip(to_text(chars)), 2),
    "replace": _string_fn(lambda old, new, s: s.replace(to_text(old), to_text(new)), 3),
    "upper": _string_fn(str.upper), "lower": _string_fn(str.lower), "title": _string_fn(str.title),
    "nospace": _string_fn(lambda s: re.sub(r"\s", "", s)),
    "b64enc": _string_fn(_b64enc), "b64dec": _string_fn(_b64dec), "sha256sum": _string_fn(_sha256),
    "kebabcase": _string_fn(_case("kebab")), "snakecase": _string_fn(_case("snake")),
    "camelcase": _string_fn(_case("camel")),
    "repeat": _string_fn(_fn_repeat, 2),
    "cat": lambda r, t, p, a: _fn_print(r, t, p, [x for x in a if x.v is not None], " "),
    "toStrings": lambda r, t, p, a: Val([to_text(x) for x in a[0].v]) if isinstance(a[0].v, list) else Val(UNKNOWN),
}

#: functions whose result depends on the cluster, the release, the clock or randomness
UNKNOWN_FUNCTIONS = frozenset({
    "lookup", "now", "date", "dateInZone", "randAlphaNum", "randAlpha", "randNumeric", "randAscii", "uuidv4",
    "genCA", "genSelfSignedCert", "genSignedCert", "genPrivateKey", "derivePassword", "htpasswd", "encryptAES",
    "decryptAES", "getHostByName", "env", "expandenv", "semver", "unixEpoch", "randInt", "shuffle", "bcrypt",
})
