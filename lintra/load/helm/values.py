"""Chart values with provenance: which file, line and column wrote each value in effect.

Helm coalesces values (https://helm.sh/docs/chart_template_guide/values_files/): the chart's
``values.yaml``, then each ``-f`` file, then ``--set``, later winning; maps merge key by key and
a ``null`` deletes a default. A subchart sees its own ``values.yaml`` overlaid by the parent's
``<name>:`` (or alias) block, and ``global:`` flows from the parent down
(https://helm.sh/docs/chart_template_guide/subcharts_and_globals/). Each source is a
:class:`Layer`; the merged data is plain Python data, and :class:`Origin` answers, for a path in
it, where the layer that won wrote it.
"""

from __future__ import annotations

import copy

from lintra.model import Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Optional, Sequence, Tuple, TypeAlias

Path: TypeAlias = "Tuple[Any, ...]"
_ABSENT = object()


class Layer:
    """One values source mounted at ``mount`` in the chart's values: ``data`` is the part of the
    file at ``prefix`` (a subchart's block in the parent's file), ``locator`` maps file pointers
    to spans (None for ``--set`` values, which have no file)."""

    __slots__ = ("data", "file", "locator", "prefix", "mount")

    def __init__(self, data: Any, file: Optional[str], locator=None, prefix: Path = (), mount: Path = ()) -> None:
        self.data = data
        self.file = file
        self.locator = locator
        self.prefix = tuple(prefix)
        self.mount = tuple(mount)

    def lookup(self, path: Path) -> Any:
        if path[:len(self.mount)] != self.mount:
            return _ABSENT
        node = self.data
        for part in path[len(self.mount):]:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return _ABSENT
        return node

    def span(self, path: Path, at: Optional[str]) -> Optional[Span]:
        if self.locator is None:
            return None
        span = self.locator.span(self.prefix + path[len(self.mount):], at)
        return Span(span.line, span.column, span.end_line, span.end_column, file=self.file)


class Loc:
    """Where a value was written: a values file span, or a template offset."""

    __slots__ = ("file", "span", "offset")

    def __init__(self, file: str, span: Optional[Span] = None, offset: Optional[int] = None) -> None:
        self.file, self.span, self.offset = file, span, offset


class Origin:
    """Answers ``loc(path, at)``: where the value at ``path`` below this one was written."""

    __slots__ = ()

    def loc(self, path: Path = (), at: Optional[str] = None) -> Optional[Loc]:
        return None

    def child(self, part: Any) -> "Origin":
        return _Child(self, (part,))


class _Child(Origin):
    __slots__ = ("parent", "path")

    def __init__(self, parent: Origin, path: Path) -> None:
        self.parent, self.path = parent, path

    def loc(self, path: Path = (), at: Optional[str] = None) -> Optional[Loc]:
        return self.parent.loc(self.path + tuple(path), at)

    def child(self, part: Any) -> Origin:
        return _Child(self.parent, self.path + (part,))


class ValuesOrigin(Origin):
    """The chart's merged values: the highest layer holding a path wrote it."""

    __slots__ = ("layers",)

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = list(layers)  # highest priority first

    def loc(self, path: Path = (), at: Optional[str] = None) -> Optional[Loc]:
        path = tuple(path)
        for layer in self.layers:
            found = layer.lookup(path)
            if found is _ABSENT:
                continue
            if found is None and path:
                return None  # a null deletes the key: nothing is written there
            span = layer.span(path, at) if path else None
            return Loc(layer.file, span) if span is not None else None
        return None


class FixedOrigin(Origin):
    """Everything below comes from one place (a literal in a template, a ``tpl`` string)."""

    __slots__ = ("where",)

    def __init__(self, where: Loc) -> None:
        self.where = where

    def loc(self, path: Path = (), at: Optional[str] = None) -> Optional[Loc]:
        return self.where

    def child(self, part: Any) -> Origin:
        return self


class MapOrigin(Origin):
    """A map built in a template (``dict``, ``merge``): each key remembers the origin of its value;
    ``sources`` are further ``(data, origin)`` pairs consulted in order for keys not listed."""

    __slots__ = ("keys", "sources")

    def __init__(self, keys: Optional[dict] = None, sources: Sequence[Tuple[Any, Origin]] = ()) -> None:
        self.keys = keys or {}
        self.sources = list(sources)

    def loc(self, path: Path = (), at: Optional[str] = None) -> Optional[Loc]:
        if not path:
            return None
        head = path[0]
        if head in self.keys and self.keys[head] is not None:
            return self.keys[head].loc(path[1:], at)
        for data, origin in self.sources:
            if _has(data, path):
                return origin.loc(path, at)
        return None


NO_ORIGIN = Origin()


def _has(data: Any, path: Path) -> bool:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return True


def coalesce(layers: Sequence[Layer]) -> dict:
    """The values in effect: layers given highest priority first, merged as Helm does."""
    merged: dict = {}
    for layer in reversed(list(layers)):
        if not isinstance(layer.data, dict) and layer.mount == ():
            continue
        target = merged
        for part in layer.mount:
            nxt = target.get(part)
            if not isinstance(nxt, dict):
                nxt = target[part] = {}
            target = nxt
        if isinstance(layer.data, dict):
            _merge_into(target, layer.data)
    return merged


def _merge_into(target: dict, source: dict) -> None:
    for key, value in source.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value) if isinstance(value, (dict, list)) else value


#: Helm's own bounds on ``--set`` (helm.sh/helm/v3/pkg/strvals: MaxIndex, MaxNestedNameLevel)
_MAX_SET_INDEX = 65536
_MAX_SET_NESTING = 30


def parse_set(expression: str, as_string: bool = False) -> List[Tuple[List[Any], Any]]:
    """Helm's ``--set`` syntax: ``a.b=x,c[0]=y``, ``a\\.b=x`` (a dot in a key), ``{x,y}`` lists.

    Returns ``(path, value)`` pairs; values are typed as Helm's strvals parser types them (ints,
    ``true``/``false``, ``null``) unless ``as_string``. Raises ValueError for malformed input."""
    pairs: List[Tuple[List[Any], Any]] = []
    i, n = 0, len(expression)
    while i < n:
        path: List[Any] = []
        key = []
        while i < n and expression[i] != "=":
            ch = expression[i]
            if ch == "\\" and i + 1 < n:
                key.append(expression[i + 1])
                i += 2
                continue
            if ch == ".":
                if key:
                    path.append("".join(key))
                key = []
            elif ch == "[":
                if key:
                    path.append("".join(key))
                key = []
                close = expression.find("]", i)
                if close < 0:
                    raise ValueError(f"unclosed [ in {expression!r}")
                try:
                    index = int(expression[i + 1:close])
                except ValueError:
                    raise ValueError(f"list index is not a number in {expression!r}") from None
                if not 0 <= index <= _MAX_SET_INDEX:  # a[99999999]=x would build a list that long
                    raise ValueError(f"list index {index} is outside 0..{_MAX_SET_INDEX} (as helm refuses it)")
                path.append(index)
                i = close
            elif ch == ",":
                raise ValueError(f"key {''.join(key)!r} has no value in {expression!r}")
            else:
                key.append(ch)
            i += 1
        if key:
            path.append("".join(key))
        if i >= n or not path:
            raise ValueError(f"expected key=value in {expression!r}")
        if len(path) > _MAX_SET_NESTING:
            raise ValueError(f"a key nested more than {_MAX_SET_NESTING} levels (as helm refuses it)")
        i += 1  # the '='
        if i < n and expression[i] == "{" and not as_string:
            close = expression.find("}", i)
            if close < 0:
                raise ValueError(f"unclosed {{ in {expression!r}")
            items = [part for part in expression[i + 1:close].split(",") if part != ""]
            value: Any = [_typed(item, as_string) for item in items]
            i = close + 1
            if i < n and expression[i] == ",":
                i += 1
        else:
            raw = []
            while i < n and expression[i] != ",":
                if expression[i] == "\\" and i + 1 < n:
                    raw.append(expression[i + 1])
                    i += 2
                    continue
                raw.append(expression[i])
                i += 1
            i += 1
            value = _typed("".join(raw), as_string)
        pairs.append((path, value))
    return pairs


def _typed(text: str, as_string: bool) -> Any:
    if as_string:
        return text
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    try:
        if text and (text.lstrip("-").isdigit()) and not (text.startswith("0") and len(text) > 1):
            return int(text)
    except ValueError:
        pass
    return text


def set_tree(pairs: Sequence[Tuple[List[Any], Any]]) -> dict:
    """``--set`` pairs as a values tree (later pairs win)."""
    root: dict = {}
    for path, value in pairs:
        node: Any = root
        for index, part in enumerate(path):
            last = index == len(path) - 1
            nxt_default: Any = [] if (not last and isinstance(path[index + 1], int)) else {}
            if isinstance(part, int):
                if not isinstance(node, list):
                    break
                while len(node) <= part:
                    node.append(None)
                if last:
                    node[part] = value
                else:
                    if not isinstance(node[part], (dict, list)):
                        node[part] = nxt_default
                    node = node[part]
            else:
                if not isinstance(node, dict):
                    break
                if last:
                    node[part] = value
                else:
                    if not isinstance(node.get(part), (dict, list)):
                        node[part] = nxt_default
                    node = node[part]
    return root
