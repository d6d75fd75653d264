"""Whether a file given with ``-e`` is a Heat environment at all, read the way every input is read.

Heat refuses a file that is not an environment (``environment_format.parse``: not one mapping, or
a section it does not know), so lintra must not lint as if it had been applied. This is a question
about a file's content, answered by loading it, so it belongs to the load stage; the CLI asks it
before a scan starts.

Reference: heat/common/environment_format.py (SECTIONS, ``parse``).
"""

from __future__ import annotations

import os
import re

from lintra.load import Detector, Loader, load_source
from lintra.load.builtin import HEAT_ENV_KEYS
from lintra.model import Source

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, Iterator, Optional, Sequence, Set

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


# --- the environments of a template's repository, beside a partial scan -------------------------

#: Bounds of the look for environments beside a partial scan: at most this many candidate files
#: of the repository are considered, each of at most this many bytes; the rest is not read.
REPOSITORY_FILES = 5000
REPOSITORY_FILE_BYTES = 1 << 20

#: An environment's top level names only these sections (heat/common/environment_format.py); a
#: file whose lines start none of them, or that declares a template version, is not read further.
_SECTION_LINE = re.compile(rb"(?m)^[{\s]*[\"']?(?:%s)[\"']?\s*:" % b"|".join(
    re.escape(key.encode()) for key in sorted(HEAT_ENV_KEYS)))
_NOT_AN_ENVIRONMENT = (b"heat_template_version", b"AWSTemplateFormatVersion", b"HeatTemplateFormatVersion",
                       b"apiVersion")


def environment_candidates(sources: Iterable[Source], done: Set[str]) -> Iterator[Source]:
    """The files of ``sources`` (a discovery of a template's repository, so every path rule of
    discovery applies: excluded paths, skipped directories, links that leave the tree, special
    files) that may be Heat environments the scan has not read: not in ``done`` (real paths, updated
    here), within :data:`REPOSITORY_FILES` files of at most :data:`REPOSITORY_FILE_BYTES` bytes,
    and whose bytes carry an environment section at the start of a line and no template version.
    Each yielded source holds its bytes; the caller loads it and keeps only ``heat-env`` documents.

    A user who checks ``templates/`` alone still deploys with the repository's ``environments/``:
    the run reads those as context, so a partial scan judges aliases and parameters as the scan of
    the whole repository does."""
    seen = 0
    for source in sources:
        if source.skip or source.path is None:
            continue
        real = os.path.realpath(source.path)
        if real in done:
            continue
        done.add(real)
        seen += 1
        if seen > REPOSITORY_FILES:
            return
        try:
            data = source.read_bytes(REPOSITORY_FILE_BYTES)
        except OSError:  # too large, not a regular file, unreadable: not an environment we read
            continue
        if _SECTION_LINE.search(data) and not any(marker in data for marker in _NOT_AN_ENVIRONMENT):
            yield source
        else:
            source.forget()
