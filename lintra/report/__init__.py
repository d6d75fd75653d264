"""Report stage: a finished :class:`lintra.pipeline.Result` -> text on a stream.

Formats are plugins (``register_formats``); each is a :class:`Format` whose ``write(result,
stream, options)`` renders the whole result.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Callable

#: what :func:`lintra.filter.suppress.apply` records as the reason of a suppression written without
#: one; reports say "no reason" in their own way rather than quote it as a reason
NO_REASON = "(no reason given)"


def cell(span) -> str:
    """`` (vDisk!C2)`` after a finding's message when its span names a spreadsheet's cell (an
    RVTools sheet): a line and column alone do not say which sheet; ``""`` otherwise."""
    return f" ({span.region})" if span.region else ""


class Format:
    __slots__ = ("name", "write", "description")

    def __init__(self, name: str, write: Callable, description: str = "") -> None:
        self.name = name
        self.write = write
        self.description = description
