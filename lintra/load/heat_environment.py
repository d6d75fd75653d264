"""Whether a file given with ``-e`` is a Heat environment at all, read the way every input is read.

Heat refuses a file that is not an environment (``environment_format.parse``: not one mapping, or
a section it does not know), so lintra must not lint as if it had been applied. This is a question
about a file's content, answered by loading it, so it belongs to the load stage; the CLI asks it
before a scan starts.

Reference: heat/common/environment_format.py (SECTIONS, ``parse``).
"""

from __future__ import annotations

from typing import Optional, Sequence

from lintra.load import Detector, Loader, load_source
from lintra.load.builtin import HEAT_ENV_KEYS
from lintra.model import Source

#: template kinds: a template named with ``-e`` is a mistake worth its own hint
TEMPLATE_KINDS = ("heat", "cfn")


def not_an_environment(path: str, loaders: Sequence[Loader], detectors: Sequence[Detector]) -> Optional[str]:
    """``file[:line:column]: why`` the file given with ``-e`` is not a Heat environment, or None
    when it is one. An empty file is an empty environment, as in Heat."""
    loaded = load_source(Source(path, path), loaders, detectors)
    record, documents = loaded.record, loaded.documents
    kinds = sorted({doc.kind for doc in documents})
    if loaded.problems:
        span = loaded.problems[0].span
        where, why = f"{path}:{span.line}:{span.column}", loaded.problems[0].message
    elif (kinds == ["heat-env"] and len(documents) == 1 and record.reason is None) or record.reason == "empty file":
        return None
    elif len(documents) > 1:
        where, why = path, "more than one YAML document; an environment is one mapping"
    elif kinds:
        where, why = path, f"it is a {', '.join(kinds)} document" + (
            "; name a template as a path to check, not with -e" if set(kinds) <= set(TEMPLATE_KINDS) else "")
    elif record.reason != "not an infrastructure document":
        where, why = path, str(record.reason)
    else:
        where, why = path, f"its top level must be a mapping of only these sections: {', '.join(sorted(HEAT_ENV_KEYS))}"
    return f"{where}: not a Heat environment: {why}"
