"""Cross-object rules run in the map step where their findings cannot depend on other documents.

A rule on a kind whose resolver reads other documents (Heat's ``get_param`` reads environments
and parent templates) is a cross-object rule, so the reduce ran it on every document of its kind,
and the map kept every such document for it. Yet on most documents it never asks: a resource
whose type and looked-at properties are literal values is judged from the document alone.

So the map runs such a rule on each document of its file with a :class:`LocalScan`: the run's
options and resolvers, and no documents. The first time the rule asks for another document (the
scan's documents, a kind of them, an index built over them: ``scan.memo``), :class:`Reaches`
stops it, and the reduce runs it there as before. A rule that finishes without asking saw
nothing but its document and the options, which the reduce gives it alike, so what it found is
what the reduce would find: located now, while the tree is alive, and the rule is not run on that
document again (only :attr:`Settled.left` are).

:class:`Reaches` is a ``BaseException``, so that a rule's own ``except Exception`` cannot take it
for an ordinary error and go on with a partial answer.
"""

from __future__ import annotations


from lintra.model import Document, Finding, Rule

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple


class Reaches(BaseException):
    """A rule run on a :class:`LocalScan` asked for another document."""


class LocalScan:
    """What a rule may see in the map step: the run's options and resolvers, no other document."""

    __slots__ = ("options", "resolvers")

    def __init__(self, options: Optional[Dict[str, Any]], resolvers: Optional[Mapping[str, Any]]) -> None:
        self.options = options or {}
        self.resolvers = resolvers or {}

    @property
    def documents(self) -> Sequence[Document]:
        raise Reaches()

    def of_kind(self, *kinds: str):
        raise Reaches()

    def memo(self, key: str, build: Callable[[Any], Any]) -> Any:
        raise Reaches()


class Settled:
    """What the map step settled on one document: ``left``, the ids of the rules it could not run
    to the end there (the reduce runs those), and ``findings``, what the others found, located."""

    __slots__ = ("left", "findings")

    def __init__(self, left: Tuple[str, ...], findings: List[Finding]) -> None:
        self.left = left
        self.findings = findings


def settle(document: Document, rules: Sequence[Rule], scan: LocalScan,
           locate: Callable[[Rule, Document, Any], Finding]) -> Settled:
    """Run each of ``rules`` on ``document``; those that asked for another document, and what the
    others found. A rule that raises is left to the reduce too, which reports its error as it
    always did."""
    left: List[str] = []
    findings: List[Finding] = []
    built = getattr(document.locator, "related", None) is not None
    for rule in rules:
        try:
            found = [locate(rule, document, hit) for hit in rule.check(document, scan)]
        except (Reaches, Exception):
            left.append(rule.id)
            continue
        for finding in found:
            finding.built = built
        findings.extend(found)
    return Settled(tuple(left), findings)
