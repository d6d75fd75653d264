"""Entry points of the ``lintra`` group, read straight from the installed distributions' metadata.

``importlib.metadata`` builds a Distribution object for every installed package and imports
``email``, ``zipfile`` and ``csv`` to do it: 27-30 ms, more than the whole check of one file a
pre-commit hook pays for. The information needed is a few lines of text: each
``*.dist-info/entry_points.txt`` (and legacy ``*.egg-info/entry_points.txt``) directly inside a
``sys.path`` directory, an INI file whose ``[lintra]`` section lists ``name = module:attr``.
Reading those files is what ``importlib.metadata.entry_points(group="lintra")`` does too, in the
same order (``sys.path`` order, the first distribution of a name wins), so a plugin installed with
pip loads with no configuration.

The distribution's version comes from the directory name (``name-1.2.0.dist-info``, as the wheel
spec writes it), falling back to the ``Version:`` line of its METADATA.

Specification: https://packaging.python.org/en/latest/specifications/entry-points/ and
https://packaging.python.org/en/latest/specifications/recording-installed-packages/
"""

from __future__ import annotations

import importlib
import os
import re
import sys

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, List, Optional

_SUFFIXES = (".dist-info", ".egg-info")


class EntryPoint:
    """One ``name = module:attr [extras]`` line of a distribution's ``entry_points.txt``."""

    __slots__ = ("name", "value", "dist_name", "dist_path")

    def __init__(self, name: str, value: str, dist_name: str, dist_path: str) -> None:
        self.name = name
        self.value = value
        self.dist_name = dist_name
        self.dist_path = dist_path

    def load(self):
        module_name, _, attrs = self.value.partition(":")
        target = importlib.import_module(module_name.strip())
        for attr in filter(None, attrs.split("[", 1)[0].strip().split(".")):
            target = getattr(target, attr)
        return target

    @property
    def version(self) -> Optional[str]:
        stem = os.path.basename(self.dist_path).rsplit(".", 1)[0]
        if "-" in stem:
            return stem.split("-", 1)[1].split("-", 1)[0]
        try:
            with open(os.path.join(self.dist_path, "METADATA" if self.dist_path.endswith(".dist-info")
                                   else "PKG-INFO"), encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break
        except OSError:
            pass
        return None

    def __repr__(self) -> str:
        return f"EntryPoint({self.name!r} = {self.value!r} from {self.dist_name})"


def entry_points(group: str, path: Optional[Iterable[str]] = None) -> List[EntryPoint]:
    """Every entry point of ``group``, first distribution of each (normalised) name winning."""
    found: List[EntryPoint] = []
    seen_dists: set = set()
    for directory in (sys.path if path is None else path):
        try:  # only distributions' metadata directories, in sorted order (the standard library's hold none)
            names = sorted(name for name in os.listdir(directory or ".") if name.endswith(_SUFFIXES))
        except OSError:  # a zip on sys.path, a missing directory
            continue
        for name in names:
            dist = _normalise(name.rsplit(".", 1)[0].split("-", 1)[0])
            if dist in seen_dists:
                continue
            dist_path = os.path.join(directory or ".", name)
            try:
                with open(os.path.join(dist_path, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                seen_dists.add(dist)  # installed, with no entry points
                continue
            seen_dists.add(dist)
            found.extend(EntryPoint(ep_name, value, dist, dist_path) for ep_name, value in _section(text, group))
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _section(text: str, group: str):
    """``(name, value)`` of each entry of ``[group]`` in an INI text (as configparser reads it:
    ``=`` or ``:`` separated, ``#``/``;`` comment lines, indented lines continue a value)."""
    current = None
    entries: list = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        if current != group:
            continue
        if raw[:1] in (" ", "\t") and entries:
            name, value = entries[-1]
            entries[-1] = (name, (value + " " + line).strip())
            continue
        match = re.match(r"([^=:]+?)\s*[=:]\s*(.*)$", line)
        if match:
            entries.append((match.group(1), match.group(2)))
    return entries


def distribution_version(name: str, path: Optional[Iterable[str]] = None) -> Optional[str]:
    """The version of the installed distribution ``name`` (first on ``sys.path``), or None."""
    wanted = _normalise(name)
    for directory in (sys.path if path is None else path):
        try:
            names = sorted(os.listdir(directory or "."))
        except OSError:
            continue
        for entry in names:
            if entry.endswith(_SUFFIXES) and _normalise(entry.rsplit(".", 1)[0].split("-", 1)[0]) == wanted:
                return EntryPoint("", "", wanted, os.path.join(directory or ".", entry)).version
    return None
