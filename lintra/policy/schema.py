"""Validate a policy pack against ``schemas/pack.schema.json`` and say where it is wrong.

The schema is the pack format's contract (editors can use it too); this module turns each
jsonschema error into ``field: message`` at the line and column of the offending key, found
through the YAML locator. jsonschema is imported here only, when a pack is validated, so a
plain ``lintra check`` does not pay for it (the shipped packs are validated by the test suite).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from lintra.model import Locator, Pointer

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "pack.schema.json")
#: What an unexpected key is called, by the definition that lists the known ones.
_NOUNS = {"#/$defs/operators": "operator", "#/$defs/ruleFields": "rule field"}


@lru_cache(maxsize=1)
def pack_schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(pack_schema())


def problems(data: Any, locator: Locator, file: str, pointers: Optional[List[Pointer]] = None) -> List[str]:
    """``file:line:col: field: message`` for every way ``data`` breaks the schema, in file order;
    ``pointers`` (when given) receives each problem's pointer, so a caller can still compile the
    parts that are valid and report their problems in the same run."""
    from jsonschema.exceptions import best_match

    found = []
    for error in _validator().iter_errors(data):
        error = best_match([error])  # the most specific branch of a oneOf/anyOf
        pointer, at, message = _explain(error)
        if pointers is not None:
            pointers.append(pointer)
        span = locator.span(pointer, at)
        field = ".".join(str(part) for part in pointer) or "(top)"
        found.append(((span.line, span.column), f"{file}:{span.line}:{span.column}: {field}: {message}"))
    return [text for _, text in sorted(set(found))]


def _explain(error) -> Tuple[Pointer, str, str]:
    """(pointer, "key" or "value", message) of one schema error, in the pack author's terms."""
    pointer = tuple(error.absolute_path)
    instance = error.instance
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        known = _known(error.schema)
        extra = [key for key in instance if key not in known]
        if extra:
            noun = next((n for ref, n in _NOUNS.items() if error.schema.get("$ref") == ref), "field")
            return (pointer + (extra[0],), "key",
                    f"unknown {noun} {extra[0]!r} (known: {', '.join(sorted(known))})")
    if error.validator == "required" and isinstance(instance, dict):
        missing = ", ".join(repr(name) for name in error.validator_value if name not in instance)
        where = " (in the rule or in 'defaults')" if "allOf" in error.schema_path else ""
        plural = "s" if "," in missing else ""
        return pointer, "key", f"missing required field{plural} {missing}{where}"
    if error.validator == "dependentRequired" and isinstance(instance, dict):
        for trigger, needs in error.validator_value.items():
            absent = [name for name in needs if name not in instance]
            if trigger in instance and absent:
                return pointer + (trigger,), "key", f"{trigger!r} needs {absent[0]!r} beside it"
    if error.validator == "enum":
        return pointer, "value", f"{instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    return pointer, "value", error.message


def _known(schema: dict) -> set:
    """Property names a (sub)schema allows, following local ``$ref``s."""
    names = set(schema.get("properties", ()))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = pack_schema()
        for part in ref[2:].split("/"):
            node = node[part]
        names |= _known(node)
    return names
