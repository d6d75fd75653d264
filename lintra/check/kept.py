"""What the map step keeps of a document for the reduce, and in which shape.

A document some cross-object rule needs waits for the reduce as a :class:`lintra.Document` whose
``data`` is plain JSON-able data (dict, list, str, int, float, bool, None: what the loaders build)
and whose locator holds the positions the findings' spans need. Of that data the map keeps only
what the rules that need the document read (:attr:`lintra.Rule.reads`,
:attr:`lintra.policy.resolvers.Resolver.reads`, and what the load stage's reference following
reads): a Heat template keeps its ``resources`` and its parameters' ``default`` values, and loses
its ``outputs``, ``conditions``, descriptions and parameter schemas, which no cross-object rule
reads (tripleo's templates are mostly ``outputs``). A document that any such reader reads whole
(a rule that declares nothing, a Kubernetes object, a Heat environment) is kept whole.

The shape of kept data: the document's own top-level mapping with only the keys on those paths
(``("parameters", "*", "default")`` keeps ``{"parameters": {name: {"default": value}}}`` for the
parameters that have a default); everything below a kept path is kept as loaded.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

Path = Tuple[str, ...]
Reads = Optional[Dict[str, Optional[Tuple[Path, ...]]]]

_DROPPED = object()


def merged(first: Reads, second: Reads) -> Reads:
    """What two readers read together: a kind either reads whole is read whole."""
    if first is None or second is None:
        return None
    out: Dict[str, Optional[Tuple[Path, ...]]] = {}
    for kind in dict.fromkeys([*first, *second]):
        a, b = first.get(kind, ()), second.get(kind, ())
        out[kind] = None if a is None or b is None else tuple(dict.fromkeys((*a, *b)))
    return out


def paths_for(kind: str, readers: Iterable[Reads]) -> Optional[List[Path]]:
    """The paths of a document of ``kind`` that ``readers`` read; None when one reads it whole
    (or none says what it reads)."""
    found: List[Path] = []
    for reads in readers:
        if reads is None:
            return None
        paths = reads.get(kind, ())
        if paths is None:
            return None
        found.extend(path for path in paths if path not in found)
    return found or None


def parts(data: Any, paths: Sequence[Path]) -> Any:
    """``data`` with only what lies on ``paths``."""
    kept = _parts(data, paths)
    return {} if kept is _DROPPED else kept


def _parts(data: Any, paths: Sequence[Path]) -> Any:
    if any(not path for path in paths):
        return data
    if not isinstance(data, dict):
        return _DROPPED
    out = {}
    for key, value in data.items():
        deeper = [path[1:] for path in paths if path[0] == "*" or path[0] == key]
        if deeper:
            kept = _parts(value, deeper)
            if kept is not _DROPPED:
                out[key] = kept
    return out
