"""A rule module's rationale and references, read from its docstring.

The docstring is what a reader of the module sees; ``lintra rules --format json`` and SARIF's
``helpUri`` show ``RULE.rationale`` and ``RULE.references``. Reading both from the docstring keeps
one list, so the two cannot drift apart.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Tuple

HEADING = "\nReferences:\n"


def rationale(doc: str) -> str:
    """The paragraph after the docstring's summary line."""
    return doc.split("\n\n")[1]


def references(doc: str) -> Tuple[str, ...]:
    """The ``- URL`` lines under the docstring's ``References:`` heading, in order.

    A line there that is not a ``- URL`` item raises, so a wrapped or mistyped entry fails at
    import instead of silently dropping out of the rule's metadata. Text after the URL (``- URL
    (``function``)``) annotates it for a reader of the module and is not part of the link: pages and
    SARIF render each reference as ``<URL>``, which an annotation would break."""
    _, heading, rest = doc.partition(HEADING)
    if not heading:
        raise ValueError("docstring has no 'References:' section")
    found = []
    for line in rest.strip().splitlines():
        if not line.startswith("- https://"):
            raise ValueError(f"not a '- https://...' reference line: {line!r}")
        found.append(line[2:].split()[0])
    return tuple(found)
