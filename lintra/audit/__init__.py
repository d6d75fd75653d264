"""The estate audit: scan pipeline results turned into a report people decide from.

:mod:`units` decides which repositories are scanned (each on its own), :mod:`record` turns one
repository's pipeline result into facts, :mod:`analyse` computes every view from those facts, and
:mod:`render` writes HTML, Markdown or JSON. The JSON document (``schemas/audit.schema.json``)
holds the records and the views; ``--merge`` and ``--compare`` read it back.
"""

from __future__ import annotations

import datetime
import json
import os

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

SCHEMA_VERSION = 1
SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "audit.schema.json")


class ResultError(ValueError):
    """A --merge or --compare input that is neither an audit JSON nor a ``check --format json``."""


def document(records: List[Dict[str, Any]], rules: Dict[str, Any], previous: Optional[Dict[str, Any]] = None,
             generated: Optional[str] = None) -> Dict[str, Any]:
    """The audit JSON: records sorted by repository, the rules they cite, and every view."""
    from lintra import __version__
    from lintra.audit.analyse import FORMULA, views

    records = sorted(records, key=lambda r: (r["name"], r["source"]))
    cited = {f["rule_id"] for r in records for f in r["findings"]}
    rules = {rule_id: rules[rule_id] for rule_id in sorted(rules) if rule_id in cited}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lintra", "version": __version__},
        "generated": generated or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "score_formula": FORMULA,
        "repositories": records,
        "rules": rules,
        "views": views(records, rules, previous),
    }


def read(path: str, registry) -> Tuple[List[Dict[str, Any]], Dict[str, Any], Dict[str, Any]]:
    """``(records, rules, document)`` of an audit JSON or a ``lintra check --format json`` result."""
    from lintra.audit.record import from_check_json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise ResultError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise ResultError(f"{path}: not a lintra audit or check JSON result")
    if isinstance(data.get("repositories"), list) and data.get("schema_version") == SCHEMA_VERSION:
        return data["repositories"], dict(data.get("rules") or {}), data
    if isinstance(data.get("findings"), list) and isinstance(data.get("files"), list):
        try:
            record, rules = from_check_json(data, path, registry)
        except (KeyError, TypeError, ValueError) as error:
            raise ResultError(f"{path}: not a lintra check JSON result ({error})") from None
        return [record], rules, {"repositories": [record], "generated": None}
    raise ResultError(f"{path}: not a lintra audit (schema_version {SCHEMA_VERSION}) or check JSON result")
