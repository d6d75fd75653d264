"""Go ``text/template`` source -> a small syntax tree, every node keeping its offset in the text.

The subset is what Helm charts use (https://pkg.go.dev/text/template): text, comments
``{{/* */}}``, trim markers ``{{-``/``-}}``, pipelines with ``|``, variables (``$x := ...``,
``$x = ...``, ``$``), fields (``.a.b``, ``$x.a``, ``(...).a``), string/raw/char/number/bool/nil
literals, and the actions ``if``/``else if``/``else``/``with``/``else with``/``range`` (with
``$i, $v :=`` and ``else``), ``break``/``continue``, ``define``/``template``/``block``/``end``.
A construct outside it is a :class:`TemplateSyntaxError` with its offset: the caller reports it.
"""

from __future__ import annotations


# parenthesis and block nesting a template may use is limits.MAX_TEMPLATE_NESTING: Go has no such
# bound, hostile input needs one
from lintra.load import limits

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple


class TemplateSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


# --- nodes ------------------------------------------------------------------------------------

class Node:
    __slots__ = ("pos",)


class Text(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        self.pos, self.text = pos, text


class Action(Node):
    """``{{ pipeline }}``: its value is printed."""
    __slots__ = ("pipe",)

    def __init__(self, pos: int, pipe: "Pipe") -> None:
        self.pos, self.pipe = pos, pipe


class Pipe(Node):
    """``$a, $b := cmd | cmd``; ``assign`` is True for ``=`` (an existing variable)."""
    __slots__ = ("decl", "assign", "cmds", "source")

    def __init__(self, pos: int, decl: List[str], assign: bool, cmds: List["Cmd"], source: str) -> None:
        self.pos, self.decl, self.assign, self.cmds, self.source = pos, decl, assign, cmds, source


class Cmd(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int, args: List[Node]) -> None:
        self.pos, self.args = pos, args


class Literal(Node):
    __slots__ = ("value",)

    def __init__(self, pos: int, value) -> None:
        self.pos, self.value = pos, value


class Field(Node):
    """``.a.b`` on the dot (``base`` None), on a variable (``base`` ``"$x"``) or on a
    parenthesised pipeline (``base`` a :class:`Pipe`)."""
    __slots__ = ("base", "names")

    def __init__(self, pos: int, base, names: Tuple[str, ...]) -> None:
        self.pos, self.base, self.names = pos, base, names


class Ident(Node):
    """A function name."""
    __slots__ = ("name",)

    def __init__(self, pos: int, name: str) -> None:
        self.pos, self.name = pos, name


class Branch(Node):
    """``if``/``with``/``range``: ``pipe``, then ``body``, and ``other`` for ``else``."""
    __slots__ = ("kind", "pipe", "body", "other")

    def __init__(self, pos: int, kind: str, pipe: Pipe, body: List[Node], other: Optional[List[Node]]) -> None:
        self.pos, self.kind, self.pipe, self.body, self.other = pos, kind, pipe, body, other


class Call(Node):
    """``{{ template "name" pipeline }}``."""
    __slots__ = ("name", "pipe")

    def __init__(self, pos: int, name: str, pipe: Optional[Pipe]) -> None:
        self.pos, self.name, self.pipe = pos, name, pipe


class Loop(Node):
    """``break`` or ``continue``."""
    __slots__ = ("kind",)

    def __init__(self, pos: int, kind: str) -> None:
        self.pos, self.kind = pos, kind


class Parsed:
    """A template file: its top-level nodes and the named templates it defines."""
    __slots__ = ("nodes", "defines")

    def __init__(self, nodes: List[Node], defines: Dict[str, List[Node]]) -> None:
        self.nodes, self.defines = nodes, defines


# --- lexer ------------------------------------------------------------------------------------

def _split(text: str) -> List[tuple]:
    """``("text", pos, str)`` and ``("action", pos, body, body_pos)`` items, trim markers applied."""
    items: List[tuple] = []
    i, n = 0, len(text)
    trim_next = False
    while i < n:
        start = text.find("{{", i)
        if start < 0:
            chunk = text[i:]
            items.append(("text", i, chunk.lstrip() if trim_next else chunk, i + (len(chunk) - len(chunk.lstrip()) if trim_next else 0)))
            break
        chunk = text[i:start]
        lead = 0
        if trim_next:
            stripped = chunk.lstrip()
            lead = len(chunk) - len(stripped)
            chunk = stripped
        body_start = start + 2
        if text.startswith("-", body_start) and body_start + 1 < n and text[body_start + 1] in " \t\r\n":
            chunk = chunk.rstrip()
            body_start += 2
        if chunk:
            items.append(("text", i + lead, chunk, i + lead))
        end, trim_next = _action_end(text, body_start, start)
        body = text[body_start:end]
        stripped = body.strip()
        if not (stripped.startswith("/*") and stripped.endswith("*/")):
            items.append(("action", start, body, body_start))
        elif stripped != body.lstrip() and not stripped:
            pass
        i = end + (4 if trim_next else 2)
    return [item for item in items if item[0] == "action" or item[2]]


def _action_end(text: str, i: int, start: int) -> Tuple[int, bool]:
    """Where the action beginning at ``i`` ends (the offset of ``}}`` or `` -}}``) and whether it
    trims the text after it. Quoted strings may hold ``}}``; a comment runs to ``*/``."""
    n = len(text)
    j = i
    while j < n and text[j] in " \t\r\n":
        j += 1
    if text.startswith("/*", j):
        close = text.find("*/", j + 2)
        if close < 0:
            raise TemplateSyntaxError("unclosed comment", start)
        k = close + 2
        if text.startswith(" -}}", k):
            return k, True
        if text.startswith("}}", k):
            return k, False
        raise TemplateSyntaxError("comment ends before the closing }}", start)
    while j < n:
        ch = text[j]
        if ch in "\"'`":
            close = _string_end(text, j)
            if close < 0:
                raise TemplateSyntaxError("unterminated quoted string", j)
            j = close + 1
            continue
        if ch == "}" and text.startswith("}}", j):
            if j > i and text[j - 1] == "-" and j - 2 >= i and text[j - 2] in " \t\r\n":
                return j - 2, True
            return j, False
        j += 1
    raise TemplateSyntaxError("unclosed action", start)


def _string_end(text: str, j: int) -> int:
    quote = text[j]
    k = j + 1
    n = len(text)
    while k < n:
        ch = text[k]
        if quote != "`" and ch == "\\":
            k += 2
            continue
        if ch == quote:
            return k
        if ch == "\n" and quote != "`":
            return -1
        k += 1
    return -1


_DELIMS = set("()|,=")


def _tokens(body: str, base: int) -> List[Tuple[str, str, int]]:
    """``(kind, text, pos)``: kinds ``str char raw num field var ident op``."""
    out: List[Tuple[str, str, int]] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch in " \t\r\n":
            i += 1
            continue
        pos = base + i
        if ch in "\"'`":
            end = _string_end(body, i)
            if end < 0:
                raise TemplateSyntaxError("unterminated quoted string", pos)
            out.append(({"\"": "str", "'": "char", "`": "raw"}[ch], body[i:end + 1], pos))
            i = end + 1
            continue
        if ch == ":" and body.startswith(":=", i):
            out.append(("op", ":=", pos))
            i += 2
            continue
        if ch in _DELIMS:
            out.append(("op", ch, pos))
            i += 1
            continue
        j = i
        while j < n and body[j] not in " \t\r\n()|,=\"'`" and not body.startswith(":=", j):
            j += 1
        word = body[i:j]
        if j == i:
            raise TemplateSyntaxError(f"unexpected {ch!r}", pos)
        i = j
        if word.startswith("."):
            out.append(("field", word, pos))
        elif word.startswith("$"):
            out.append(("var", word, pos))
        elif word[0].isdigit() or (word[0] in "+-" and len(word) > 1 and (word[1].isdigit() or word[1] == ".")):
            out.append(("num", word, pos))
        elif "." in word:  # ``with.Values.x``: Go's lexer ends a keyword at the dot
            cut = word.index(".")
            out.append(("ident", word[:cut], pos))
            out.append(("field", word[cut:], pos + cut))
        else:
            out.append(("ident", word, pos))
    return out


# --- parser -----------------------------------------------------------------------------------

_BLOCK_WORDS = {"if", "with", "range", "define", "block", "else", "end", "template", "break", "continue"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.items = _split(text)
        self.at = 0
        self.defines: Dict[str, List[Node]] = {}
        self.depth = 0

    def parse(self) -> Parsed:
        nodes, stop = self.block(top=True)
        if stop is not None:
            raise TemplateSyntaxError(f"unexpected {{{{{stop[0]}}}}}", stop[1])
        return Parsed(nodes, self.defines)

    def block(self, top: bool = False):
        """Nodes up to a matching ``else``/``end``: returns ``(nodes, (word, pos, rest) or None)``."""
        self.depth += 1
        if self.depth > limits.MAX_TEMPLATE_NESTING:
            raise TemplateSyntaxError(f"blocks nested deeper than {limits.MAX_TEMPLATE_NESTING}",
                                      self.items[self.at - 1][1])
        nodes: List[Node] = []
        try:
            while self.at < len(self.items):
                item = self.items[self.at]
                self.at += 1
                if item[0] == "text":
                    nodes.append(Text(item[3], item[2]))
                    continue
                _, pos, body, body_pos = item
                tokens = _tokens(body, body_pos)
                if not tokens:
                    raise TemplateSyntaxError("missing value for command", pos)
                word = tokens[0][1] if tokens[0][0] == "ident" else None
                if word in ("else", "end"):
                    if top:
                        raise TemplateSyntaxError(f"unexpected {{{{{word}}}}}", pos)
                    return nodes, (word, pos, tokens[1:])
                if word in ("if", "with", "range"):
                    nodes.append(self.branch(word, pos, tokens[1:], body))
                elif word in ("define", "block"):
                    name = self.name_of(tokens, pos)
                    inner, stop = self.block()
                    if stop is None or stop[0] != "end":
                        raise TemplateSyntaxError(f"{word} {name!r} has no matching end", pos)
                    self.defines[name] = inner
                    if word == "block":
                        nodes.append(Call(pos, name, self.pipe(tokens[2:], pos, body) if len(tokens) > 2 else None))
                elif word == "template":
                    name = self.name_of(tokens, pos)
                    nodes.append(Call(pos, name, self.pipe(tokens[2:], pos, body) if len(tokens) > 2 else None))
                elif word in ("break", "continue"):
                    nodes.append(Loop(pos, word))
                else:
                    nodes.append(Action(pos, self.pipe(tokens, pos, body)))
            if not top:
                raise TemplateSyntaxError("unexpected end of template: an {{end}} is missing", len(self.text))
            return nodes, None
        finally:
            self.depth -= 1

    def name_of(self, tokens, pos) -> str:
        if len(tokens) < 2 or tokens[1][0] not in ("str", "raw"):
            raise TemplateSyntaxError(f"{tokens[0][1]} needs a quoted template name", pos)
        return _unquote(tokens[1][0], tokens[1][1], tokens[1][2])

    def branch(self, kind: str, pos: int, tokens, body: str) -> Branch:
        pipe = self.pipe(tokens, pos, body)
        inner, stop = self.block()
        if stop is None:
            raise TemplateSyntaxError(f"{kind} has no matching end", pos)
        other = None
        if stop[0] == "else":
            rest = stop[2]
            if rest and rest[0][1] in ("if", "with") and kind != "range":
                # ``else if``/``else with`` is an ``else`` holding one nested branch sharing our end
                other = [self.branch(rest[0][1], stop[1], rest[1:], body)]
            else:
                if rest:
                    raise TemplateSyntaxError("unexpected words after else", stop[1])
                other, stop = self.block()
                if stop is None or stop[0] != "end":
                    raise TemplateSyntaxError(f"{kind} has no matching end", pos)
        return Branch(pos, kind, pipe, inner, other)

    def pipe(self, tokens, pos: int, body: str) -> Pipe:
        decl: List[str] = []
        assign = False
        # ``$x := ...``, ``$x = ...`` and ``range $i, $v := ...``
        k = 0
        while k < len(tokens) and tokens[k][0] == "var" and "." not in tokens[k][1]:
            if k + 1 < len(tokens) and tokens[k + 1][1] in (":=", "="):
                decl.append(tokens[k][1])
                assign = tokens[k + 1][1] == "="
                k += 2
                break
            if k + 1 < len(tokens) and tokens[k + 1][1] == ",":
                decl.append(tokens[k][1])
                k += 2
                continue
            decl = []
            k = 0
            break
        if decl and k == 0:
            decl = []
        stream = _Stream(tokens[k:], pos)
        cmds = self.commands(stream)
        if stream.peek() is not None:
            raise TemplateSyntaxError(f"unexpected {stream.peek()[1]!r}", stream.peek()[2])
        if tokens:
            last = tokens[-1]
            source = self.text[tokens[0][2]:last[2] + len(last[1])]
        else:
            source = ""
        return Pipe(pos, decl, assign, cmds, source)

    def commands(self, stream: "_Stream") -> List[Cmd]:
        cmds: List[Cmd] = []
        while True:
            args: List[Node] = []
            start = stream.pos()
            while True:
                token = stream.peek()
                if token is None or token[1] in ("|", ")"):
                    break
                args.append(self.operand(stream))
            if not args:
                raise TemplateSyntaxError("missing value for command", start)
            cmds.append(Cmd(start, args))
            token = stream.peek()
            if token is not None and token[1] == "|":
                stream.take()
                continue
            return cmds

    def operand(self, stream: "_Stream") -> Node:
        kind, text, pos = stream.take()
        node: Node
        if kind == "op" and text == "(":
            self.depth += 1
            if self.depth > limits.MAX_TEMPLATE_NESTING:
                raise TemplateSyntaxError(f"parentheses nested deeper than {limits.MAX_TEMPLATE_NESTING}", pos)
            inner = self.commands(stream)
            self.depth -= 1
            close = stream.take()
            if close[1] != ")":
                raise TemplateSyntaxError("unclosed parenthesis", pos)
            node = Pipe(pos, [], False, inner, "")
            follow = stream.peek()
            if follow is not None and follow[0] == "field" and follow[2] == close[2] + 1:
                stream.take()
                node = Field(pos, node, _names(follow[1]))
            return node
        if kind in ("str", "raw", "char"):
            return Literal(pos, _unquote(kind, text, pos))
        if kind == "num":
            return Literal(pos, _number(text, pos))
        if kind == "field":
            return Field(pos, None, _names(text))
        if kind == "var":
            name, _, rest = text.partition(".")
            return Field(pos, name, _names("." + rest) if rest else ())
        if kind == "ident":
            if text in ("true", "false"):
                return Literal(pos, text == "true")
            if text == "nil":
                return Literal(pos, None)
            if text in _BLOCK_WORDS:
                raise TemplateSyntaxError(f"unexpected {text!r} in a pipeline", pos)
            return Ident(pos, text)
        raise TemplateSyntaxError(f"unexpected {text!r}", pos)


def _names(text: str) -> Tuple[str, ...]:
    return tuple(part for part in text.split(".") if part)


def _unquote(kind: str, text: str, pos: int):
    if kind == "raw":
        return text[1:-1]
    import json

    body = text[1:-1]
    if kind == "char":
        return ord(body.encode().decode("unicode_escape")) if body else 0
    try:
        return json.loads('"' + body.replace("\\'", "'").replace("\\a", "\\u0007").replace("\\v", "\\u000b") + '"')
    except ValueError:
        raise TemplateSyntaxError(f"bad string literal {text}", pos) from None


def _number(text: str, pos: int):
    try:
        return int(text, 0)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            raise TemplateSyntaxError(f"bad number {text}", pos) from None


class _Stream:
    def __init__(self, tokens, pos: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.start = pos

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        if self.i >= len(self.tokens):
            raise TemplateSyntaxError("unexpected end of action", self.pos())
        token = self.tokens[self.i]
        self.i += 1
        return token

    def pos(self) -> int:
        token = self.peek()
        return token[2] if token else self.start


def parse(text: str) -> Parsed:
    """The syntax tree of ``text``; :class:`TemplateSyntaxError` for what Go would refuse too."""
    return _Parser(text).parse()
