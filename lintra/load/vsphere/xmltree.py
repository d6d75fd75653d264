"""A small, safe XML tree with line and column for every element.

OVF descriptors never need a DTD, so any ``<!DOCTYPE`` is refused outright: that closes entity
expansion bombs and external entities at the root (what defusedxml guards against) without a
dependency, and keeps expat's own line/column marks, which ElementTree throws away.
"""

from __future__ import annotations

from xml.parsers import expat

from lintra.load import LoadError
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.model import Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Optional


class Element:
    __slots__ = ("tag", "attrs", "text", "children", "line", "column", "width")

    def __init__(self, tag: str, attrs: Dict[str, str], line: int, column: int, width: Optional[int] = None) -> None:
        self.tag = tag          # local name, namespace dropped: OVF 1.x and 2.x read alike
        self.attrs = attrs      # local attribute names -> values
        self.text = ""
        self.children: List["Element"] = []
        self.line = line
        self.column = column
        #: characters of the name as written (``rasd:ResourceSubType``, prefix included)
        self.width = len(tag) if width is None else width

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.column + self.width)

    def find(self, tag: str) -> Optional["Element"]:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> List["Element"]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: Optional[str] = None) -> Iterator["Element"]:
        stack = [self]
        while stack:
            element = stack.pop()
            if tag is None or element.tag == tag:
                yield element
            stack.extend(reversed(element.children))


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    """The local name of expat's ``uri}local}prefix`` (``namespace_prefixes``), ``uri}local`` or ``local``."""
    parts = name.split("}")
    return parts[1] if len(parts) > 1 else parts[0]


def _written(name: str) -> int:
    """Characters of the name as the document writes it: ``prefix:local`` or ``local``."""
    parts = name.split("}")
    return len(parts[1]) + len(parts[2]) + 1 if len(parts) == 3 else len(parts[-1])


def parse(data: bytes) -> Element:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.namespace_prefixes = True  # names carry their prefix: a span covers the name as written
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: List[Element] = []
    root: List[Element] = []

    def start(name, attrs):
        if len(stack) > limits.MAX_DEPTH:
            raise LimitExceeded(f"XML nested deeper than {limits.MAX_DEPTH} levels",
                                parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        element = Element(_local(name), {_local(k): v for k, v in attrs.items()},
                          parser.CurrentLineNumber, parser.CurrentColumnNumber + 2, _written(name))
        (stack[-1].children if stack else root).append(element)
        stack.append(element)

    def end(name):
        element = stack.pop()
        parts = pieces.pop(id(element), None)
        if parts:
            element.text = "".join(parts)

    # Text arrives in many pieces (expat splits at every entity and buffer boundary); joining
    # them once per element keeps a long text linear instead of quadratic.
    pieces: Dict[int, List[str]] = {}

    def text(data):
        if stack:
            pieces.setdefault(id(stack[-1]), []).append(data)

    def refuse(*args):
        raise _Refused()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused:
        raise LoadError("LT002", "XML with a DOCTYPE/entity declarations is refused (entity "
                        "expansion and external entities are unsafe; OVF needs none)",
                        Span(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)) from None
    except expat.ExpatError as error:
        raise LoadError("LT000", f"XML syntax error: {expat.ErrorString(error.code)}",
                        Span(error.lineno, error.offset + 1)) from None
    except LookupError as error:  # encoding="..." that Python has no codec for
        raise LoadError("LT000", f"XML declares an encoding Python cannot read ({error})",
                        Span(1, 1)) from None
    if not root:
        raise LoadError("LT000", "XML document has no root element", Span(1, 1))
    return root[0]
