"""Finding paths as CI systems resolve them: relative to the repository root.

Findings name files as the user typed them (relative to the working directory, or absolute).
GitLab (Code Quality ``location.path``, JUnit ``file``) and GitHub (annotations, SARIF) resolve a
path against the repository root, so ``cd heat && lintra check .`` must still say
``heat/web-stack.yaml``. The command passes that root as ``options["root"]``; a file outside it
keeps the path it was given, and without a root (a caller of ``write`` that names none) every
path stays as given.
"""

from __future__ import annotations

import os

from lintra.repository import is_within

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Optional


def inside(file: str, root: Optional[str]) -> Optional[str]:
    """``file`` relative to ``root`` with ``/`` separators, or None when it lies outside it (or
    is standard input, or there is no root)."""
    if not root or file == "-":
        return None
    for resolve in (os.path.abspath, os.path.realpath):  # real paths when a symlink hides the root
        path, top = resolve(file), resolve(root)
        if is_within(path, top):
            return os.path.relpath(path, top).replace(os.sep, "/")
    return None


def ci_path(file: str, root: Optional[str]) -> str:
    """The path to show CI: relative to ``root`` when inside it, else as given (with ``/``)."""
    relative = inside(file, root)
    return relative if relative is not None else file.replace("\\", "/")
