"""What makes a finding the same finding from one run to the next: its identity.

Baselines, SARIF ``partialFingerprints`` and GitLab's ``fingerprint`` all key on
:attr:`lintra.model.Finding.fingerprint`, built from parts computed here:

- the file, relative to its repository root (else to the scanned path that holds it), so the
  working directory, absolute paths and a second clone elsewhere do not change it;
- the object: ``apiVersion/kind/namespace/name`` of a Kubernetes object, ``vm/NAME`` of a vSphere
  VM, else the document's position in the file (Heat resources are named in the pointer itself).
  An object whose name a Helm template prints (``{{ .Release.Name }}-web``, a value) is the
  template file and the object's ``apiVersion/kind`` instead: the release name and values do not
  change its identity (objects of one kind in one template are told apart by the ordinal);
- the pointer inside the object, with each list index replaced by the item's own name where it
  has one (``containers[name=web]``), else by ``[]``: reordering a list keeps identities;
- the offending value: a scalar itself, or for a mapping or list the key that holds it (the
  subtree below ``vsphereVolume:`` may change without making a new finding);
- an ordinal, when one object holds the same offending value twice at the same normalised place.
"""

from __future__ import annotations

import json  # noqa: F401 - imported with the check stage, as before: lintra.model.offending uses it on every run
import os
from collections import Counter

from lintra.model import Document, Finding, Pointer, offending as model_offending
from lintra.repository import RealPaths, is_within, repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Optional, Sequence, Tuple

#: keys that name a list item in the formats lintra reads (containers, volumes, env; vSphere devices)
_ITEM_NAMES = ("name", "label", "key")


#: marks an object identity that names a template file, made repository-relative by :func:`assign`
_TEMPLATE = "\0template\0"


def object_identity(doc: Document, name: Optional[str] = None) -> str:
    """``name``: the object's :func:`lintra.check.object_name`, when the caller has it already."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if doc.kind == "k8s" and doc.name is not None:
        template = _template_of_name(doc)
        if template is not None:  # the rendered name follows the release and values: not an identity
            return _TEMPLATE + template + "\0" + "/".join(str(part) for part in (data.get("apiVersion"),
                                                                                 data.get("kind")))
        if name is not None:
            return name
        meta = data.get("metadata") or {}
        return "/".join(str(part) for part in (data.get("apiVersion"), data.get("kind"),
                                               meta.get("namespace") or "", doc.name))
    if doc.kind == "vsphere-vm" and isinstance(data.get("name"), str):
        return "vm/" + data["name"]
    return f"#{doc.index}"


def _template_of_name(doc: Document) -> Optional[str]:
    """The template file whose actions print the object's ``metadata.name`` (a Helm template's
    ``{{ .Release.Name }}-web``), or None when the name is literal text."""
    printed_in = getattr(doc.locator, "printed_in", None)
    if printed_in is None:
        return None
    try:
        return printed_in(doc.base + ("metadata", "name"))
    except Exception:  # a locator that cannot say: the rendered name it is
        return None


def normalised_pointer(data: Any, pointer: Pointer) -> str:
    parts = []
    node = data
    for part in pointer:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and -len(node) <= part < len(node) else None
            named = next(((key, item[key]) for key in _ITEM_NAMES
                          if isinstance(item, dict) and isinstance(item.get(key), (str, int))), None)
            parts.append(f"[{named[0]}={named[1]}]" if named else "[]")
        else:
            parts.append("/" + str(part).replace("~", "~0").replace("/", "~1"))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


offending = model_offending  # the scalar itself; for a mapping or a list, the key that holds it


def has_list_index(pointer: Pointer) -> bool:
    """Whether :func:`normalised_pointer` may differ from the pointer as it is written."""
    return any(isinstance(part, int) for part in pointer)


def parts(doc: Document, pointer: Pointer, value: Any, name: Optional[str] = None) -> Tuple[str, str, str]:
    """(object, normalised pointer, offending value) of a hit at ``pointer`` in ``doc``; ``name``
    as for :func:`object_identity`."""
    return object_identity(doc, name), normalised_pointer(doc.data, pointer), offending(value, pointer)


def assign(findings: Sequence[Finding], paths: Iterable[str]) -> None:
    """Give every finding its repository-relative path and its occurrence ordinal."""
    scanned = [os.path.realpath(p) for p in paths if p != "-"]
    cache: Dict = {}
    roots: Dict[str, Optional[str]] = {}
    real = RealPaths()  # many findings, few files and fewer directories
    keys: Dict[str, str] = {}  # a file's key, once per file: realpath is the cost of this step

    def key_of(file: str) -> str:
        key = keys.get(file)
        if key is None:
            key = keys[file] = _path_key(file, scanned, cache, roots, real)
        return key

    for finding in findings:
        finding.path_key = key_of(finding.file)
        where = finding.identity_object
        if where.startswith(_TEMPLATE):  # the template file, named as its repository names it
            template, _, rest = where[len(_TEMPLATE):].partition("\0")
            finding.identity_parts = ("template:" + key_of(template) + "#" + rest, *finding.identity_parts[1:])
    seen: Counter = Counter()
    for finding in sorted(findings, key=Finding.sort_key):
        key = (finding.path_key, finding.rule.id) + finding.identity_parts
        finding.ordinal = seen[key]
        seen[key] += 1


def _path_key(file: str, scanned: Sequence[str], cache: Dict, roots: Dict[str, Optional[str]],
              paths: RealPaths) -> str:
    if file == "-" or file.startswith("<"):
        return file
    real = paths.of(file)
    directory = os.path.dirname(real)
    if directory not in roots:
        root = repository_root(directory, cache)
        if root is None:  # outside any repository: the scanned path that holds it
            holders = [p if os.path.isdir(p) else os.path.dirname(p) for p in scanned]
            holders = [p for p in holders if is_within(real, p)]
            root = max(holders, key=len) if holders else directory
        roots[directory] = root
    return os.path.relpath(real, roots[directory]).replace(os.sep, "/")
