"""OpenShift ``Template`` objects: each item of ``objects:`` is an object of its own.

A Template (``template.openshift.io/v1``, or the legacy ``v1``) holds the objects ``oc process``
creates, with ``${NAME}`` references to its ``parameters``
(https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html#templates-writing-parameters_using-templates,
https://docs.openshift.com/container-platform/4.16/rest_api/template_apis/template-template-openshift-io-v1.html,
https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html#templates-writing-labels_using-templates).
Each object is checked at its own lines with every reference to a parameter that has a
``value`` resolved to it: ``${NAME}`` inside a string, ``${{NAME}}`` alone as the value it parses
to (JSON), as ``oc process`` substitutes. A finding on a substituted value lands on the
parameter's ``value:`` line, where the user edits it. Parameters without a value (``generate:
expression`` or required at processing time) stay as written. As ``oc process`` does, the
Template's ``labels`` (parameters substituted in keys and values) are set on every object, located
at the Template's ``labels:`` entry, and a namespace an object writes as a literal is dropped (the
API reference: "If a namespace value is hardcoded in the object, it will be removed during template
instantiation"). The Template itself is checked too, without its objects (its API group is OpenShift's).
"""

from __future__ import annotations

import json
import re

from lintra.model import Locator, Pointer, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

_REFERENCE = re.compile(r"\$\{(\{)?([A-Za-z0-9_]+)\}(?(1)\})")


def is_template(data: Any) -> bool:
    api = data.get("apiVersion")
    return data.get("kind") == "Template" and isinstance(data.get("objects"), list) and \
        isinstance(api, str) and (api.startswith("template.openshift.io/") or api == "v1")


def expand(data: dict, is_object) -> List[tuple]:
    """Detected entries (kind, data, base, make_locator) for the Template and each of its objects."""
    from lintra.load import LoadError
    from lintra.load.limits import MAX_FILE_BYTES, size
    from lintra.model import Span

    values: Dict[str, Tuple[str, int]] = {}
    for index, parameter in enumerate(data.get("parameters") or []):
        if isinstance(parameter, dict) and isinstance(parameter.get("name"), str) and "value" in parameter \
                and parameter["value"] is not None:
            values[parameter["name"]] = (str(parameter["value"]), index)
    labels = data.get("labels") if isinstance(data.get("labels"), dict) else {}
    own = {key: value for key, value in data.items() if key != "objects"}
    found: List[tuple] = [("k8s", own, ())]
    # characters substitution writes (a long value referenced everywhere is a bomb), and the
    # parameter whose reference crossed the budget: the finding lands on its value, what a user edits
    written: List[Any] = [0, None]
    budget = MAX_FILE_BYTES
    values = {name: (text, index, written, budget) for name, (text, index) in values.items()}
    for index, item in enumerate(data["objects"]):
        if not is_object(item):
            continue
        base = ("objects", index)
        substituted: Dict[Pointer, Pointer] = {}
        hardcoded = _hardcoded_namespace(item)
        obj = _substitute(item, base, values, substituted) if values else item
        if labels or hardcoded:
            obj = _processed(obj, base, labels, values, substituted, hardcoded)
        if written[0] > budget:
            raise LoadError("LT002", f"the Template's parameters would write more than {size(budget)} into its "
                                     "objects (a long value referenced many times): not processed", Span(1, 1),
                            pointer=("parameters", written[1], "value") if written[1] is not None else None)
        if substituted:
            found.append(("k8s", obj, base, lambda locator, s=substituted: TemplateLocator(locator, s)))
        else:
            found.append(("k8s", obj, base))
    return found


def _hardcoded_namespace(obj: Any) -> bool:
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    return isinstance(meta, dict) and "namespace" in meta and "${" not in str(meta["namespace"])


def _processed(obj: dict, base: Pointer, labels: dict, values: Dict[str, tuple],
               substituted: Dict[Pointer, Pointer], hardcoded: bool) -> dict:
    """What ``oc process`` does to each object besides substitution: a namespace written as a
    literal is dropped (the object lands in the namespace the template is processed in), and the
    Template's ``labels`` (keys and values substituted) are set on the object, over its own. An
    added label is located at the Template's ``labels:`` line, or its parameter's value."""
    obj = dict(obj)
    meta = dict(obj["metadata"]) if isinstance(obj.get("metadata"), dict) else {}
    if hardcoded:
        del meta["namespace"]
    if labels:
        own = dict(meta["labels"]) if isinstance(meta.get("labels"), dict) else {}
        for key, value in labels.items():
            found: Dict[Pointer, Pointer] = {}
            name = _substitute(key, (), values, found) if isinstance(key, str) else key
            written = _substitute(value, ("value",), values, found) if values else value
            pointer = base + ("metadata", "labels", name)
            own[name] = written
            substituted[pointer] = found.get(("value",), ("labels", key))
        meta["labels"] = own
    obj["metadata"] = meta
    return obj


def _substitute(value: Any, pointer: Pointer, values: Dict[str, tuple],
                substituted: Dict[Pointer, Pointer]) -> Any:
    if isinstance(value, dict):
        return {key: _substitute(child, pointer + (key,), values, substituted) for key, child in value.items()}
    if isinstance(value, list):
        return [_substitute(child, pointer + (i,), values, substituted) for i, child in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = _REFERENCE.fullmatch(value)
    if whole and whole.group(1) and whole.group(2) in values:
        text, index, written, budget = values[whole.group(2)]
        written[0] += len(text)
        if written[0] > budget:  # stop growing: the caller reports the Template
            written[1] = index if written[1] is None else written[1]
            return value
        substituted[pointer] = ("parameters", index, "value")
        try:
            return json.loads(text)
        except ValueError:
            return text
    used: List[int] = []

    def replace(match: "re.Match[str]") -> str:
        known = values.get(match.group(2))
        if known is None or match.group(1):
            return match.group(0)
        text, index, written, budget = known
        written[0] += len(text)
        if written[0] > budget:  # stop growing: the caller reports the Template
            written[1] = index if written[1] is None else written[1]
            return match.group(0)
        used.append(index)
        return text

    out = _REFERENCE.sub(replace, value)
    if used:
        substituted[pointer] = ("parameters", used[0], "value")
    return out


class TemplateLocator(Locator):
    """The file's locator, except that a substituted value is located at its parameter's value."""

    __slots__ = ("inner", "substituted")

    def __init__(self, inner: Locator, substituted: Dict[Pointer, Pointer]) -> None:
        self.inner = inner
        self.substituted = substituted

    def span(self, pointer: Pointer, at: Optional[str] = None) -> Span:
        written = self.substituted.get(tuple(pointer))
        if written is None or (at == "key" and written[0] != "labels"):
            return self.inner.span(pointer, at)
        # a label the Template adds is located at its key or value in the Template's labels
        span = self.inner.span(written, "key" if at == "key" else "value")
        span.rendered = True  # one parameter or label feeds several objects: the run reports the place once
        return span
