"""Which Heat environment files apply to a template, and what their ``resource_registry`` maps.

Heat applies environments the user names (``openstack stack create -e a.yaml -e b.yaml``), merged
in order so that later files win. lintra does the same for files given with ``-e`` (scan option
``heat_env``: their real paths in order). A repository's other environment files are
*alternatives* (tripleo ships one per back end), so they apply only with ``--heat-env-auto``
(option ``heat_env_auto``), and only to templates of the same repository
(:func:`lintra.repository.repository_root`).

Every environment in the scan still tells which names are aliases at all: a template type that
any ``resource_registry`` maps is not an unknown plugin type.
"""

from __future__ import annotations

import fnmatch
import os

from lintra.model import Document, Pointer
from lintra.repository import Cache, RealPaths, repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Optional, Tuple

KINDS = ("heat", "cfn")
#: the documents Heat's cross-file reasoning reads: templates and environments
BUNDLE_KINDS = KINDS + ("heat-env",)
#: Per-resource registry keys that are not type mappings (environment.py: hooks, restricted actions).
_NOT_ALIASES = ("hooks", "restricted_actions")


class Index:
    __slots__ = ("explicit", "by_root", "auto", "alias_names", "alias_globs", "by_path", "roots")

    def __init__(self) -> None:
        self.explicit: List[Document] = []
        self.by_root: Dict[Optional[str], List[Document]] = {}
        self.auto = False
        self.alias_names: set = set()
        self.alias_globs: List[str] = []
        #: real path -> Heat template documents, to judge the template a registry entry names
        self.by_path: Dict[str, List[Document]] = {}
        self.roots: Cache = {}


def index(scan) -> Index:
    return scan.memo("heat.environments", _build)


def real_paths(scan) -> RealPaths:
    """The run's real paths of templates and environments, each directory resolved once."""
    return scan.memo("heat.real_paths", lambda scan: RealPaths())


def _build(scan) -> Index:
    found = Index()
    found.auto = bool(scan.options.get("heat_env_auto"))
    wanted = [os.path.realpath(path) for path in scan.options.get("heat_env") or ()]
    explicit: Dict[str, List[Document]] = {}
    paths = real_paths(scan)
    for doc in scan.of_kind("heat-env"):
        real = _real(doc, paths)
        if real in wanted:
            explicit.setdefault(real, []).append(doc)
        else:
            found.by_root.setdefault(_root(real, found.roots), []).append(doc)
        for _, key, _, _ in registry_entries(doc):
            if key.endswith("*"):
                found.alias_globs.append(key)
            else:
                found.alias_names.add(key)
    found.explicit = [doc for path in wanted for doc in explicit.get(path, ())]
    for doc in scan.of_kind(*KINDS):
        real = _real(doc, paths)
        if real:
            found.by_path.setdefault(real, []).append(doc)
    return found


def applicable(document: Document, scan) -> List[Document]:
    """Environments that apply to ``document``, weakest first: the repository's own files (only with
    ``--heat-env-auto``), then the ``-e`` files in the order given."""
    if not applies_any(scan.options):
        return []  # asked without the run's documents: the map step can settle what depends on it
    found = index(scan)
    own: List[Document] = []
    if found.auto:
        own = found.by_root.get(_root(_real(document, real_paths(scan)), found.roots), [])
    return own + found.explicit


def applies_any(options) -> bool:
    """Whether any environment can apply to a template in a run with ``options``: only ``-e``
    files and, with ``--heat-env-auto``, a repository's own (an environment merely in the scan
    applies to nothing; it only tells which names are aliases)."""
    return bool(options and (options.get("heat_env") or options.get("heat_env_auto")))


def is_alias(resource_type: str, scan) -> bool:
    found = index(scan)
    return resource_type in found.alias_names or any(
        fnmatch.fnmatchcase(resource_type, glob) for glob in found.alias_globs)


def registry_entries(env: Document) -> Iterator[Tuple[Pointer, str, object, Optional[str]]]:
    """``(pointer, alias, target, resource-name glob or None)`` for every mapping of a registry."""
    registry = env.data.get("resource_registry") if isinstance(env.data, dict) else None
    if not isinstance(registry, dict):
        return
    for key, value in registry.items():
        if key == "resources" and isinstance(value, dict):
            for name, overrides in value.items():
                if isinstance(overrides, dict):
                    for alias, target in overrides.items():
                        if isinstance(alias, str) and alias not in _NOT_ALIASES:
                            yield ("resource_registry", "resources", name, alias), alias, target, str(name)
        elif isinstance(key, str):
            yield ("resource_registry", key), key, value, None


def lookup(alias: str, resource_name: Optional[str], env: Document) -> Optional[Tuple[Pointer, object]]:
    """What one environment maps ``alias`` to for the resource ``resource_name``, as Heat picks it:
    a per-resource override first, then the exact name, then a glob (``"OS::Foo::*": "Vendor::*"``)."""
    exact = glob = None
    for pointer, key, target, name_glob in registry_entries(env):
        if name_glob is not None:
            if key == alias and resource_name is not None and fnmatch.fnmatchcase(str(resource_name), name_glob):
                return pointer, target
        elif key == alias:
            exact = (pointer, target)
        elif key.endswith("*") and alias.startswith(key[:-1]) and glob is None:
            if isinstance(target, str) and target.endswith("*"):
                target = target[:-1] + alias[len(key) - 1:]
            glob = (pointer, target)
    return exact or glob


def lookup_last(alias: str, resource_name: Optional[str], envs: List[Document]):
    """``(env, pointer, target)`` from the last of ``envs`` that maps ``alias``: later environment
    files win, as with ``openstack stack create -e a -e b``; None when none maps it."""
    for env in reversed(envs):
        found = lookup(alias, resource_name, env)
        if found:
            return (env, *found)
    return None


def registry_starts(alias: str, resource_name: Optional[str], envs: List[Document], explicit: List[Document]):
    """Where registry chains for ``alias`` start: the effective mapping of the ``-e`` files when
    they map it, else one per repository environment that maps it (each an alternative)."""
    chosen = lookup_last(alias, resource_name, explicit)
    if chosen:
        return [chosen]
    return [(env, *found) for env in envs if env not in explicit
            for found in [lookup(alias, resource_name, env)] if found]


def _root(path: Optional[str], cache: Cache) -> Optional[str]:
    return repository_root(path, cache) if path else None


def _real(doc: Document, paths: RealPaths) -> Optional[str]:
    return paths.of(doc.source.path) if doc.source.path else None
