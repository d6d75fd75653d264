"""Strategic merge patches and JSON patches (RFC 6902) on traced objects.

Strategic merge, as Kubernetes documents it
(https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
mappings merge key by key, ``null`` deletes a key, ``$patch: replace`` replaces a mapping or list,
``$patch: delete`` deletes a mapping (or the list element it names), ``$retainKeys`` keeps only the
keys it lists, ``$deleteFromPrimitiveList/<field>`` removes values from a list of scalars, and
``$setElementOrder/<field>`` only orders (ignored here). Lists of the built-in types that declare a
``patchMergeKey`` (``containers`` by ``name``, ``volumeMounts`` by ``mountPath``, ...) merge
element by element, the patch's elements first as kustomize orders them; every other list is
replaced, as for objects without a schema.

JSON patch: ``add``, ``remove``, ``replace``, ``move``, ``copy`` and ``test``
(https://www.rfc-editor.org/rfc/rfc6902), paths as JSON pointers (RFC 6901).

As in kustomize (evanphx/json-patch v4), ``replace`` of a missing key in an existing mapping adds it.

Every value a patch writes keeps the patch's origin, so a finding on it lands at the patch line.
"""

from __future__ import annotations


from lintra.domain.kubernetes import PATCH_MERGE_KEYS as MERGE_KEYS
from lintra.load.kustomize.tree import Traced, copy, plain

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Optional

_DELETE = object()


class PatchError(Exception):
    """A patch that cannot be applied (kustomize fails the build): ``origin`` is where it is written."""

    def __init__(self, message: str, origin: Any = None) -> None:
        super().__init__(message)
        self.origin = origin


# --- strategic merge ---------------------------------------------------------------------------

def strategic_merge(target: Traced, patch: Traced) -> Optional[Traced]:
    """``target`` with ``patch`` merged in; None when the patch deletes the object."""
    merged = _merge(target, patch, None)
    return None if merged is _DELETE else merged


def _directive(node: Traced) -> Optional[str]:
    if isinstance(node.value, dict):
        marker = node.value.get("$patch")
        if marker is not None and isinstance(marker.value, str):
            return marker.value
    return None


def _merge(target: Traced, patch: Traced, field: Optional[str]) -> Any:
    if isinstance(patch.value, dict):
        directive = _directive(patch)
        if directive == "delete":
            return _DELETE
        if directive == "replace" or not isinstance(target.value, dict):
            return clean(patch)
        out = dict(target.value)
        retain = patch.value.get("$retainKeys")
        for key, value in patch.value.items():
            if not isinstance(key, str):
                key = str(key)
            if key.startswith("$deleteFromPrimitiveList/"):
                name = key.split("/", 1)[1]
                existing = out.get(name)
                if existing is not None and isinstance(existing.value, list) and isinstance(value.value, list):
                    gone = {_hashable(plain(item)) for item in value.value}
                    out[name] = Traced([item for item in existing.value if _hashable(plain(item)) not in gone],
                                       existing.origin)
                continue
            if key.startswith("$"):
                continue
            if value.value is None:
                out.pop(key, None)
                continue
            if key in out:
                merged = _merge(out[key], value, key)
                if merged is _DELETE:
                    out.pop(key, None)
                else:
                    out[key] = merged
            else:
                cleaned = clean(value)
                if cleaned is not None:
                    out[key] = cleaned
        if retain is not None and isinstance(retain.value, list):
            keep = {item.value for item in retain.value}
            out = {key: value for key, value in out.items() if key in keep}
        return Traced(out, target.origin)
    if isinstance(patch.value, list):
        return _merge_list(target, patch, field)
    return patch


def _merge_list(target: Traced, patch: Traced, field: Optional[str]) -> Traced:
    items = patch.value
    if any(_directive(item) == "replace" and len(item.value) == 1 for item in items):
        return Traced([clean(item) for item in items if not (_directive(item) == "replace" and len(item.value) == 1)],
                      patch.origin)
    key = _merge_key(field, target, patch)
    if key is None or not isinstance(target.value, list):
        return clean(patch)
    # kustomize (kyaml, ListIncreaseDirection prepend) lists the patch's elements first, in the
    # patch's order and merged with the target's, then the target's elements the patch does not
    # name (kubernetes-sigs/kustomize#3912, #5904): an index a later JSON patch or replacement
    # uses, such as volumes.0, counts in that order
    rest: List[Traced] = list(target.value)
    first: List[Traced] = []
    for item in items:
        if not isinstance(item.value, dict):
            first.append(item)
            continue
        wanted = item.value.get(key)
        index = _find(rest, key, wanted.value if wanted is not None else None)
        existing = rest.pop(index) if index is not None else None
        if _directive(item) == "delete":
            continue
        if existing is None:
            first.append(clean(item))
            continue
        merged = _merge(existing, item, None)
        if merged is not _DELETE:
            first.append(merged)
    return Traced(first + rest, target.origin)


def _merge_key(field: Optional[str], target: Traced, patch: Traced) -> Optional[str]:
    if field == "ports":  # ContainerPort merges by containerPort, ServicePort by port
        elements = [item.value for item in list(target.value or []) + patch.value
                    if isinstance(item, Traced) and isinstance(item.value, dict)] \
            if isinstance(target.value, list) else []
        return "containerPort" if any("containerPort" in element for element in elements) else "port"
    return MERGE_KEYS.get(field or "")


def _find(items: List[Traced], key: str, wanted: Any) -> Optional[int]:
    if wanted is None:
        return None
    for index, item in enumerate(items):
        if isinstance(item.value, dict):
            have = item.value.get(key)
            if have is not None and have.value == wanted:
                return index
    return None


def clean(node: Traced) -> Any:
    """A patch value as it lands in the object: directives removed, deleted elements dropped."""
    value = node.value
    if isinstance(value, dict):
        if _directive(node) == "delete":
            return None
        out = {}
        for key, child in value.items():
            if isinstance(key, str) and key.startswith("$"):
                continue
            cleaned = clean(child)
            if cleaned is not None:
                out[key] = cleaned
        return Traced(out, node.origin)
    if isinstance(value, list):
        out_list = [clean(child) for child in value if _directive(child) != "delete"]
        return Traced([child for child in out_list if child is not None], node.origin)
    return node


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, (dict, list)) else value


# --- JSON patch --------------------------------------------------------------------------------

def json_patch(target: Traced, operations: Traced) -> Optional[Traced]:
    """``target`` after the operations of ``operations`` (a traced list of RFC 6902 operations)."""
    if not isinstance(operations.value, list):
        raise PatchError("a JSON patch is a list of operations", operations.origin)
    root = target
    for operation in operations.value:
        if not isinstance(operation.value, dict):
            raise PatchError("a JSON patch operation is a mapping with op and path", operation.origin)
        op = operation.scalar("op")
        path = operation.scalar("path")
        if not isinstance(op, str) or not isinstance(path, str):
            raise PatchError("a JSON patch operation needs op and path", operation.origin)
        try:
            root = _apply(root, op, _pointer(path), operation, path)
        except PatchError as error:
            if error.origin is None:
                error.origin = operation.origin
            raise
    return root


def _pointer(path: str) -> List[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer {path!r} does not start with '/'")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _parent(root: Traced, parts: List[str], path_text: str) -> Traced:
    node = root
    for part in parts:
        child = _child(node, part)
        if child is None:
            raise PatchError(f"path {path_text} does not exist (there is no {part!r})")
        node = child
    return node


def _child(node: Traced, part: str) -> Optional[Traced]:
    if isinstance(node.value, dict):
        return node.value.get(part)
    if isinstance(node.value, list) and part.isdigit():
        index = int(part)
        return node.value[index] if index < len(node.value) else None
    return None


def _apply(root: Traced, op: str, parts: List[str], operation: Traced, text: str) -> Traced:
    """``text`` is the path as written (``~1`` escapes kept), for the messages."""
    if op in ("add", "replace", "test"):
        value = operation.get("value")
        if value is None:
            raise PatchError(f"{op} {text} has no value")
        if op == "test":
            found = _parent(root, parts, text)
            if plain(found) != plain(value):
                raise PatchError(f"test {text} failed: the value is {plain(found)!r}, not {plain(value)!r}")
            return root
        return _put(root, parts, copy(value), text, insert=op == "add")
    if op == "remove":
        _remove(root, parts, text)
        return root
    if op in ("move", "copy"):
        source = operation.scalar("from")
        if not isinstance(source, str):
            raise PatchError(f"{op} {text} has no from")
        source_parts = _pointer(source)
        value = copy(_parent(root, source_parts, source))
        if op == "move":
            _remove(root, source_parts, source)
        return _put(root, parts, value, text, insert=True)
    raise PatchError(f"unknown JSON patch op {op!r}")


def _put(root: Traced, parts: List[str], value: Traced, text: str, insert: bool) -> Traced:
    if not parts:
        return value
    parent = _parent(root, parts[:-1], text)
    last = parts[-1]
    if isinstance(parent.value, dict):
        # kustomize's JSON patch library (evanphx/json-patch v4) replaces a missing key of an
        # existing mapping as add would; only the parent must exist
        parent.value[last] = value
    elif isinstance(parent.value, list):
        if last == "-" and insert:
            parent.value.append(value)
            return root
        if not last.isdigit() or int(last) > len(parent.value) or (not insert and int(last) == len(parent.value)):
            raise PatchError(f"index {last} of {text} is out of range")
        if insert:
            parent.value.insert(int(last), value)
        else:
            parent.value[int(last)] = value
    else:
        raise PatchError(f"{text}: the parent is not a mapping or list")
    return root


def _remove(root: Traced, parts: List[str], text: str) -> None:
    if not parts:
        raise PatchError("remove of the whole object")
    parent = _parent(root, parts[:-1], text)
    last = parts[-1]
    if isinstance(parent.value, dict) and last in parent.value:
        del parent.value[last]
    elif isinstance(parent.value, list) and last.isdigit() and int(last) < len(parent.value):
        del parent.value[int(last)]
    else:
        raise PatchError(f"remove {text}: the path does not exist")
