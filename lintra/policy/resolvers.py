"""Let pack rules see through a format's indirection (Heat's ``get_param``) without knowing the format.

A plugin registers, per document kind, a factory ``factory(document, scan) -> expand``;
``expand(pointer, value)`` returns None when ``value`` is a plain value, else the list of
candidates it can take (each with ``value``, ``document`` (None: the same document),
``pointer`` into that document, ``note`` appended to the message and ``related`` locations).
An empty list means unknown: the rule then sees nothing there, never a guess.
"""

from __future__ import annotations

from typing import Callable, Dict

_FACTORIES: Dict[str, Callable] = {}


def register(kind: str, factory: Callable) -> None:
    _FACTORIES[kind] = factory


def for_document(document, scan):
    factory = _FACTORIES.get(document.kind)
    return factory(document, scan) if factory is not None else None
