"""Write a small repository of kustomizations and build or lint it."""

import os
import textwrap

from lintra.load.kustomize import build_source
from lintra.model import Source


def write(root, files):
    """``files``: relative path -> text (dedented). A LICENSE marks the repository's top."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "LICENSE").write_text("test repository\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def built(root, directory, name="kustomization.yaml"):
    """The documents the root ``directory`` (relative to ``root``) builds, named relative to cwd-free
    display paths under ``root``."""
    path = os.path.join(str(root), directory, name)
    return list(build_source(Source(path, path)))


def by_name(documents, kind, name):
    for doc in documents:
        if doc.data.get("kind") == kind and doc.data.get("metadata", {}).get("name") == name:
            return doc
    raise AssertionError(f"no {kind} {name} in {[d.data.get('metadata', {}).get('name') for d in documents]}")


def origin(root, doc, *pointer, at=None):
    """(file relative to root, line) of the value at ``pointer``."""
    span = doc.span(pointer, at)
    return os.path.relpath(span.file, str(root)), span.line
