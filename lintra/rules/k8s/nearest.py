"""Resolve an object reference by name to its nearest definition in the scan.

A repository of manifests is not one cluster (kubernetes/examples defines a StorageClass 'fast'
seven times), so a name resolves to the definitions nearest the referring object: the same file,
then the same directory, then ancestor directories, nearest first. A definition in a sibling or
cousin directory is another example or another cluster (kubernetes/examples' storageos claims name a
class 'fast' that only the vsphere example defines), so the reference stays unresolved there.
"""

import os
from functools import lru_cache


def index(scan, kind: str, key: str):
    """``name -> [documents]`` of every Kubernetes object of ``kind``, built once per run."""
    def build(scan):
        out = {}
        for doc in scan.of_kind("k8s"):
            if doc.data.get("kind") == kind and doc.name:
                out.setdefault(doc.name, []).append(doc)
        return out
    return scan.memo(key, build)


def resolved(scan, referrer, kind: str, key: str, name, accept=None):
    """``nearest(referrer, candidates)`` of the scan's objects of ``kind`` named ``name`` (those
    ``accept(document)`` takes, when given). The answer depends on the referrer only through its
    file and namespace, and many referrers share both (a file of many workloads naming one
    ServiceAccount), so it is remembered per scan for each (name, file, namespace, accept)."""
    memo = scan.memo(key + "/nearest", _new_memo)
    asked = (name, referrer.source.name, _namespace(referrer), accept)
    found = memo.get(asked)
    if found is None:
        candidates = index(scan, kind, key).get(name) or ()
        if accept is not None:
            candidates = [c for c in candidates if accept(c)]
        found = memo[asked] = nearest(referrer, candidates)
    return found


def remembered(scan, key: str, referrer, name, build):
    """``build()``, what a rule makes of the nearest definitions of ``name`` for ``referrer``
    (:func:`resolved`), remembered per scan for each (name, file, namespace) under ``key``."""
    memo = scan.memo(key, _new_memo)
    asked = (name, referrer.source.name, _namespace(referrer))
    if asked not in memo:
        memo[asked] = build()
    return memo[asked]


def _new_memo(scan):
    return {}


def distance(referrer, candidate) -> tuple:
    if candidate.source.name == referrer.source.name:
        return (0, 0)
    cwd = os.getcwd()
    return _between(_directory(cwd, referrer.source.name), _directory(cwd, candidate.source.name))


# A run asks about the same few names and directories again and again (every workload against
# every ServiceAccount of its name): both answers are pure, the first one for a working directory.
@lru_cache(maxsize=4096)
def _directory(cwd: str, name: str) -> str:
    return os.path.dirname(os.path.abspath(name))


@lru_cache(maxsize=4096)
def _between(here: str, there: str):
    if here == there:
        return (1, 0)
    common = os.path.commonpath([here, there])
    if common == there:  # an ancestor directory: nearer the closer it is
        return (2, here.count(os.sep) - there.count(os.sep))
    return None  # a sibling or cousin directory: not in scope of the reference


def nearest(referrer, candidates):
    """The in-scope candidates at the smallest distance (several when definitions tie).

    A namespaced object (ServiceAccount, SecretProviderClass) resolves in the referrer's own
    namespace: a candidate that names another namespace is not a definition of it."""
    here = _namespace(referrer)
    scored = [(distance(referrer, c), c) for c in candidates or ()
              if here is None or _namespace(c) in (None, here)]
    scored = [(d, c) for d, c in scored if d is not None]
    if not scored:
        return []
    best = min(d for d, _ in scored)
    return [c for d, c in scored if d == best]


def _namespace(document):
    meta = document.data.get("metadata") if isinstance(document.data, dict) else None
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    return namespace if isinstance(namespace, str) and namespace else None


def describe(document) -> str:
    """``Kind 'name'`` of the referring object, for a message that says who holds the reference."""
    kind = document.data.get("kind") if isinstance(document.data.get("kind"), str) else "object"
    return f"{kind} '{document.name}'" if document.name else kind
