"""Heat nested and provider templates referenced by relative path, added to the run once each.

A loading step: it reads what the loaded Heat documents name, and hands the run the files to load
next (the file system is consulted only to resolve and bound those paths).

A template can hand its coupling to another file: ``type: lib/contrail-net.yaml``, a
``ResourceGroup``/``AutoScalingGroup`` member ``type:``, or an environment's
``resource_registry`` entry ``OS::Foo::Net: lib/contrail-net.yaml``. Heat loads those files (the
client sends them along), so lintra checks them too, even when they lie outside the paths the user
named. Files already read are not read again (same real path), excluded paths stay excluded, URLs
are not fetched, and a run adds at most ``limits.MAX_REFERENCED`` files: each one past it is a skipped
file record, and the reference that first went past it an ``LT002`` (input limit) finding.

A reference may not leave the repository of the template that makes it
(:func:`lintra.repository.repository_root`; a template in no repository may reach only its own
directory): ``type: ../../outside/net.yaml`` or a symbolic link to ``/etc/passwd`` is compared by
real path, not read, and reported as a skipped file with the reason, like every input not read.
"""

from __future__ import annotations

import os

from lintra.domain.heat import GROUP_MEMBERS, RESOURCE_CHAIN
from lintra.load import limits
from lintra.model import Document, FileRecord, Pointer, Source
from lintra.repository import Cache, RealPaths, is_within, repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".template")
#: the documents whose references are followed; a run keeps them until it has followed them
KINDS = ("heat", "cfn", "heat-env")
#: what following reads of them (as :attr:`lintra.Rule.reads`), so the map step may drop the rest
READS = {"heat": (("resources",), ("Resources",)), "cfn": (("resources",), ("Resources",)),
         "heat-env": (("resource_registry",),)}


def _real(path: str, paths: RealPaths) -> str:
    """The real path, as the very string ``path`` where they are equal (held for the whole run)."""
    real = paths.of(path)
    return path if real == path else real


class NotRead:
    """A referenced file that is not read: ``record`` accounts for it as a skipped file. ``limit``
    is ``(document, pointer, message)`` for the reference that first went past ``limits.MAX_REFERENCED``, where
    the run reports that the limit cut the scan short (an ``LT002`` finding)."""

    __slots__ = ("record", "limit")

    def __init__(self, record: FileRecord, limit: Optional[Tuple[Document, Pointer, str]] = None) -> None:
        self.record = record
        self.limit = limit


class References:
    """Follows the references of the loaded Heat documents of a run, file by file.

    The run names its sources first (:meth:`named`), then hands over the documents of each batch
    of loaded files in the order it loaded them (:meth:`follow`), which returns the files they
    reference, or a :class:`NotRead` for one that is not read, in document order. Following batch
    by batch visits the files in the order one file at a time would, so a parallel run reads the
    same files in the same order as a sequential one."""

    __slots__ = ("exclude", "names", "refused", "roots", "seen", "waiting", "real", "added", "bytes", "over_bytes")

    def __init__(self, exclude: Sequence[str] = ()) -> None:
        self.exclude = exclude
        self.names: List[str] = []
        self.refused: set = set()
        self.roots: Cache = {}
        #: real paths of the files read (the named ones once a reference may be one of them)
        self.seen: Optional[set] = None
        #: file name -> the named paths of that name not resolved yet: a reference resolves only
        #: those that may be the file it names (a real path keeps the name of a path whose last
        #: part is no symbolic link)
        self.waiting: Dict[str, List[str]] = {}
        self.real = RealPaths()
        self.added = 0
        #: bytes of the nested templates added so far, and whether a reference went past the budget
        self.bytes = 0
        self.over_bytes = False

    def named(self, source: Source) -> None:
        if source.path:
            self.names.append(source.path)
            if self.seen is not None:
                self._index_names()

    def follow(self, documents: Iterable[Document]) -> List[Union[Source, NotRead]]:
        from lintra.discover import _display, path_matches

        found: List[Union[Source, NotRead]] = []
        for doc in documents:
            if not doc.source.path or doc.kind not in KINDS:
                continue
            references = {}  # in document order, so that runs repeat
            for pointer, reference in _references(doc.data):
                references.setdefault(reference, pointer)
            if references and self.seen is None:
                self._index_names()
            directory = os.path.dirname(doc.source.path)
            for reference, pointer in references.items():
                path = os.path.join(directory, reference)
                real = self.real.below(directory, reference)
                if self._seen(real) or not os.path.isfile(real) or path_matches(path, self.exclude):
                    continue
                name = _display(os.path.join(os.path.dirname(doc.source.name), reference))
                outside = _outside(doc, real, self.roots, self.real)
                if outside:
                    if real not in self.refused:
                        self.refused.add(real)
                        found.append(NotRead(FileRecord(name, "skipped", reason=outside)))
                    continue
                self.seen.add(real)
                self.added += 1
                try:
                    size = os.path.getsize(real)
                except OSError:
                    size = 0
                if self.added <= limits.MAX_REFERENCED and self.bytes + size > limits.MAX_REFERENCED_BYTES:
                    # each nested template's resources stay in memory until the Heat rules ran: a chain
                    # of templates referenced thousands of times each would otherwise take gigabytes
                    reason = f"not read: referenced by {doc.source.name} past the limit of " \
                             f"{limits.size(limits.MAX_REFERENCED_BYTES)} of nested templates a run reads"
                    limit = (doc, pointer, f"nested template {name} not read: a run reads at most "
                             f"{limits.size(limits.MAX_REFERENCED_BYTES)} of nested templates; this one and "
                             "every one after it are listed as skipped files")
                    found.append(NotRead(FileRecord(name, "skipped", reason=reason), None if self.over_bytes else limit))
                    self.over_bytes = True
                    self.bytes = limits.MAX_REFERENCED_BYTES + 1  # every later one is refused too
                    continue
                self.bytes += size
                if self.added > limits.MAX_REFERENCED:
                    reason = f"not read: referenced by {doc.source.name} past the limit of {limits.MAX_REFERENCED} " \
                             "nested templates a run reads"
                    limit = (doc, pointer, f"nested template {name} not read: a run reads at most {limits.MAX_REFERENCED} "
                             "nested templates; this one and every one after it are listed as skipped files")
                    found.append(NotRead(FileRecord(name, "skipped", reason=reason),
                                         limit if self.added == limits.MAX_REFERENCED + 1 else None))
                    continue
                found.append(Source(name, path, referenced_by=doc.source.name))
        return found

    def _index_names(self) -> None:
        if self.seen is None:
            self.seen = set()
        for path in self.names:
            if os.path.islink(path):  # its real path may have another name
                self.seen.add(_real(path, self.real))
            else:
                self.waiting.setdefault(os.path.basename(path), []).append(path)
        self.names = []

    def _seen(self, real: str) -> bool:
        """Whether the file at ``real`` (a real path) was named or added already."""
        assert self.seen is not None
        if real in self.seen:
            return True
        named = self.waiting.pop(os.path.basename(real), None)
        if named is None:
            return False
        self.seen.update(_real(path, self.real) for path in named)
        return real in self.seen


def _outside(doc: Document, real: str, roots: Cache, paths: RealPaths) -> Optional[str]:
    """Why ``real`` (the real path of a reference of ``doc``) lies beyond what ``doc`` may reach,
    or None when it does not."""
    referrer = paths.of(doc.source.path)
    root = repository_root(referrer, roots)
    boundary = root or os.path.dirname(referrer)
    if is_within(real, boundary):
        return None
    where = f"its repository {root}" if root else \
        f"its directory {boundary} (in no repository: no version-control or project marker above it)"
    return f"not read: nested template referenced by {doc.source.name} (real path {real}) lies outside {where}"


def names_files(document: Document) -> bool:
    """Whether :meth:`References.follow` may find a file to read in ``document``."""
    return next(_references(document.data), None) is not None


def _references(data) -> Iterator[Tuple[Pointer, str]]:
    """``(pointer, relative path)`` for every template file the document names."""
    if not isinstance(data, dict):
        return
    for section, field in (("resources", "type"), ("Resources", "Type")):
        resources = data.get(section)
        if isinstance(resources, dict):
            for name, resource in resources.items():
                if not isinstance(resource, dict):
                    continue
                yield from _relative((section, name, field), resource.get(field))
                properties = resource.get("properties")
                if isinstance(properties, dict):  # ResourceGroup / AutoScalingGroup members
                    for member in GROUP_MEMBERS.values():
                        if isinstance(properties.get(member), dict):
                            yield from _relative((section, name, "properties", member, "type"),
                                                 properties[member].get("type"))
                    if resource.get(field) == RESOURCE_CHAIN and isinstance(properties.get("resources"), list):
                        for i, member_type in enumerate(properties["resources"]):  # each link of the chain
                            yield from _relative((section, name, "properties", "resources", i), member_type)
    registry = data.get("resource_registry")
    if isinstance(registry, dict):
        for key, target in registry.items():
            if key == "resources" and isinstance(target, dict):
                for name, overrides in target.items():
                    if isinstance(overrides, dict):
                        for alias, value in overrides.items():
                            yield from _relative(("resource_registry", key, name, alias), value)
            else:
                yield from _relative(("resource_registry", key), target)


def _relative(pointer: Pointer, value) -> Iterator[Tuple[Pointer, str]]:
    if isinstance(value, str) and value.endswith(TEMPLATE_SUFFIXES) and "://" not in value \
            and not os.path.isabs(value):
        yield pointer, value
