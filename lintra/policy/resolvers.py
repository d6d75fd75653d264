"""Let pack rules see through a format's indirection (Heat's ``get_param``) without knowing the format.

A plugin contributes a :class:`Resolver` through the ``register_resolvers`` hook; the run hands
the registered ones to the check stage as ``scan.resolvers`` (kind -> resolver), where a pack rule
finds the one for its document's kind. ``resolver.for_document(document, scan)`` returns
``expand``, and ``expand(pointer, value)`` returns None when ``value`` is a plain value, else the
list of :class:`Candidate` values it can take. An empty list means unknown: the rule then sees
nothing there, never a guess.
"""

from __future__ import annotations


from lintra.model import Document, Hit, Pointer, Related

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeAlias

#: ``expand(pointer, value)`` -> None (a plain value) or the candidates it can take ([] = unknown)
Expand: TypeAlias = "Callable[[Pointer, Any], Optional[List[Candidate]]]"


class Resolver:
    """Resolves the indirections of documents of ``kinds``: ``for_document(document, scan)``
    returns the ``expand`` function for that document (None: nothing to resolve in it).

    ``needs(document)`` says which documents the resolver reads through ``scan`` (Heat's reads
    every template and environment of the run); a rule on ``kinds`` then runs as a cross-object
    rule (see :attr:`lintra.Rule.needs`). Without it, the resolver reads only documents of its
    kinds.

    ``bundle`` (optional) are the kinds of the documents that the resolver and the cross-object
    rules of those kinds read through ``scan`` and nothing else: the map step then runs each such
    rule on each document of its file where it can (:mod:`lintra.check.settle`: the rule asked the
    scan for no other document), and the reduce runs it only where it could not.
    ``shared_with(document, options)`` then says which other documents' rules may read
    ``document``: None for any (an environment), else the paths, relative to ``document``'s
    directory, of the only documents that may (the nested templates a parent names: what it
    passes to their ``get_param``); empty for none. A document whose rules all ran in the map is
    kept for the reduce only while one of those has rules left there (or reads, in turn, for one
    that has). Without it, every document of the bundle is shared with any.

    ``stands_in(value)`` (optional) says whether ``expand`` may give candidates for a node written
    ``value`` (Heat's: a ``get_param``/``Ref``); ``expand`` then gives None or [] for every other
    node. The check stage then gives a rule a document of ``kinds`` only where its looks or
    places say it may find (:class:`lintra.check.Dispatch`), or where such a node lies on a path
    it looks at or on the way to a place it finds under. Without it, every rule of ``kinds`` is
    given every document of theirs."""

    __slots__ = ("name", "kinds", "for_document", "needs", "reads", "bundle", "shared_with", "stands_in")

    def __init__(self, name: str, kinds: Sequence[str], for_document: Callable[[Document, Any], Optional[Expand]],
                 needs: Optional[Callable[[Document], bool]] = None,
                 reads: Optional[Dict[str, Tuple[Tuple[str, ...], ...]]] = None,
                 bundle: Sequence[str] = (),
                 shared_with: Optional[Callable[[Document, Dict[str, Any]], Optional[Sequence[str]]]] = None,
                 stands_in: Optional[Callable[[Any], bool]] = None) -> None:
        self.name = name
        self.kinds = tuple(kinds)
        self.for_document = for_document
        self.needs = needs or (lambda document, kinds=self.kinds: document.kind in kinds)
        #: what it reads of the documents it needs, as :attr:`lintra.Rule.reads` (None: all)
        self.reads = reads
        self.bundle = tuple(bundle)
        self.shared_with = shared_with
        self.stands_in = stands_in


class Candidate:
    """One literal value an indirection can take. ``document`` is where it is written (None: the
    document being checked), ``pointer`` where in it; ``note`` is appended to the message of a
    finding on it and ``related`` are locations the finding points back to (the ``get_param``)."""

    __slots__ = ("value", "document", "pointer", "note", "related")

    def __init__(self, value: Any, document: Optional[Document], pointer: Pointer, note: str = "",
                 related: Sequence[Related] = ()) -> None:
        self.value = value
        self.document = document
        self.pointer = tuple(pointer)
        self.note = note
        self.related = tuple(related)

    def hit(self, suffix: Pointer, message: str, at: Optional[str] = None, vendor: Optional[str] = None,
            service: Optional[str] = None) -> Hit:
        return Hit(self.pointer + tuple(suffix), message + self.note, at=at, document=self.document,
                   related=self.related, vendor=vendor, service=service)


def for_document(document: Document, scan) -> Optional[Expand]:
    """The ``expand`` of the resolver the run registered for ``document``'s kind; None without
    one (or without a scan: a rule called on its own sees values as written).

    Every rule of a document asks in turn: the same ``expand`` is given to each while the same
    document and scan come back, so that what it resolves can be shared (``pack._walk``)."""
    resolver = (getattr(scan, "resolvers", None) or {}).get(document.kind)
    if resolver is None:
        return None
    last = _last
    if last[0] is not document or last[1] is not scan or last[2] is not resolver:
        last[:] = [document, scan, resolver, resolver.for_document(document, scan)]
    return last[3]


#: the document, scan and resolver :func:`for_document` answered for last, and its answer
_last: list = [None, None, None, None]


def forget() -> None:
    """Let go of the last answer (the end of a run): it holds the run's scan, and with it every
    document the run kept. (Held here, not by the scan, so that no scan is in a reference cycle:
    the cyclic collector is off while a run maps.)"""
    _last[:] = [None, None, None, None]
