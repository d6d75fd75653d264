"""OpenShift ``Template`` objects: each item of ``objects:`` is an object of its own.

A Template (``template.openshift.io/v1``, or the legacy ``v1``) holds the objects ``oc process``
creates, with ``${NAME}`` references to its ``parameters``
(https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html#templates-writing-parameters_using-templates,
https://docs.openshift.com/container-platform/4.16/rest_api/template_apis/template-template-openshift-io-v1.html).
Each object is checked at its own lines with every reference to a parameter that has a
``value`` resolved to it: ``${NAME}`` inside a string, ``${{NAME}}`` alone as the value it parses
to (JSON), as ``oc process`` substitutes. A finding on a substituted value lands on the
parameter's ``value:`` line, where the user edits it. Parameters without a value (``generate:
expression`` or required at processing time) stay as written. The Template itself is checked too,
without its objects (its API group is OpenShift's).
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Tuple

from lintra.model import Locator, Pointer, Span

_REFERENCE = re.compile(r"\$\{(\{)?([A-Za-z0-9_]+)\}(?(1)\})")


def is_template(data: Any) -> bool:
    api = data.get("apiVersion")
    return data.get("kind") == "Template" and isinstance(data.get("objects"), list) and \
        isinstance(api, str) and (api.startswith("template.openshift.io/") or api == "v1")


def expand(data: dict, is_object) -> List[tuple]:
    """Detected entries (kind, data, base, make_locator) for the Template and each of its objects."""
    values: Dict[str, Tuple[str, int]] = {}
    for index, parameter in enumerate(data.get("parameters") or []):
        if isinstance(parameter, dict) and isinstance(parameter.get("name"), str) and "value" in parameter \
                and parameter["value"] is not None:
            values[parameter["name"]] = (str(parameter["value"]), index)
    own = {key: value for key, value in data.items() if key != "objects"}
    found: List[tuple] = [("k8s", own, ())]
    for index, item in enumerate(data["objects"]):
        if not is_object(item):
            continue
        base = ("objects", index)
        substituted: Dict[Pointer, Pointer] = {}
        obj = _substitute(item, base, values, substituted) if values else item
        if substituted:
            found.append(("k8s", obj, base, lambda locator, s=substituted: TemplateLocator(locator, s)))
        else:
            found.append(("k8s", obj, base))
    return found


def _substitute(value: Any, pointer: Pointer, values: Dict[str, Tuple[str, int]],
                substituted: Dict[Pointer, Pointer]) -> Any:
    if isinstance(value, dict):
        return {key: _substitute(child, pointer + (key,), values, substituted) for key, child in value.items()}
    if isinstance(value, list):
        return [_substitute(child, pointer + (i,), values, substituted) for i, child in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = _REFERENCE.fullmatch(value)
    if whole and whole.group(1) and whole.group(2) in values:
        text, index = values[whole.group(2)]
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
        used.append(known[1])
        return known[0]

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
        parameter = self.substituted.get(tuple(pointer))
        if parameter is not None and at != "key":
            return self.inner.span(parameter, "value")
        return self.inner.span(pointer, at)
