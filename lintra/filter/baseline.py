"""Baselines: findings an old repository already had, accepted so that only new ones count.

Entries are keyed by file (relative to the baseline's directory), rule and
:attr:`lintra.model.Finding.fingerprint` (the one SARIF and GitLab carry too: repository-relative
path, object, normalised pointer, offending scalar or key name), never by line, so edits that
move lines keep them matching. Version 1 files (whose fingerprint covered the whole subtree under
the offending key) are still read and matched as they were; ``lintra baseline upgrade`` rewrites
them as version 2. The file is written with ruamel.yaml, sorted, so a
change to it reads well in review; it is read with the fast safe loader like any input.
"""

from __future__ import annotations

import os
from collections import Counter

from lintra.model import RESERVED_VENDOR, Finding

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Collection, Dict, Iterable, List, Sequence, Tuple, TypeAlias

DEFAULT_NAME = ".lintra-baseline.yaml"
VERSION = 2
#: versions :func:`read` understands; 1 keyed on :attr:`Finding.legacy_identity`
READABLE = (1, 2)
_HEADER = ("lintra baseline: findings accepted when lintra was adopted. `lintra check` reports only\n"
           "findings not listed here; `lintra baseline prune` drops entries that no longer occur.\n"
           "Entries match by file, rule and fingerprint (object, pointer and value), not by line.")

Key: TypeAlias = "Tuple[str, str, str]"


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file and line."""


class Baseline:
    __slots__ = ("path", "entries", "version")

    def __init__(self, path: str, entries: Sequence[Dict[str, str]], version: int = VERSION) -> None:
        self.path = path
        #: ``{"file", "rule", "fingerprint", "pointer", "message"}`` per accepted finding
        self.entries = list(entries)
        #: the format version the entries' fingerprints were computed by
        self.version = version

    @property
    def directory(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def key(self, finding: Finding) -> Key:
        fingerprint = finding.legacy_identity if self.version == 1 else finding.fingerprint
        return (_relative(finding.file, self.directory), finding.rule.id, fingerprint)

    def filter(self, findings: Iterable[Finding]) -> Tuple[List[Finding], int]:
        """The findings the baseline does not accept, and how many it accepted."""
        kept, accepted = self.split(findings)
        return kept, len(accepted)

    def split(self, findings: Iterable[Finding]) -> Tuple[List[Finding], List[Finding]]:
        """(findings the baseline does not accept, findings it accepts). Each entry accepts one
        finding, so a second identical coupling added later is still reported."""
        budget = Counter((e["file"], e["rule"], e["fingerprint"]) for e in self.entries)
        kept, accepted = [], []
        for finding in findings:
            key = self.key(finding)
            if not finding.suppressed and budget[key] > 0:
                budget[key] -= 1
                accepted.append(finding)
            else:
                kept.append(finding)
        return kept, accepted

    def prune(self, findings: Iterable[Finding], scanned: Sequence[str], judged: Collection[str]) -> "Baseline":
        """Keep the entries that still match a current finding, and every entry this run could not
        have matched: for a file outside the ``scanned`` paths, or of a rule not in ``judged``
        (left out by --select, --ignore or the profile). Pruning part of a repository, or with
        part of the rules, must not forget the rest."""
        live = Counter(self.key(f) for f in findings if not f.suppressed)
        kept = []
        for entry in self.entries:
            key = (entry["file"], entry["rule"], entry["fingerprint"])
            if not self._under(entry["file"], scanned) or entry["rule"] not in judged:
                kept.append(entry)
            elif live[key] > 0:
                live[key] -= 1
                kept.append(entry)
        return Baseline(self.path, kept, self.version)

    def merged(self, other: "Baseline", scanned: Sequence[str], judged: Collection[str]) -> "Baseline":
        """``other``'s entries for what this run judged (the ``scanned`` paths, the ``judged``
        rules), this baseline's for the rest."""
        if self.version != other.version:
            raise BaselineError(f"{self.path}: a version {self.version} baseline; "
                                f"run `lintra baseline upgrade` first")
        return Baseline(other.path, [e for e in self.entries
                                     if not self._under(e["file"], scanned) or e["rule"] not in judged]
                        + other.entries)

    def _under(self, file: str, paths: Sequence[str]) -> bool:
        path = os.path.normpath(os.path.join(self.directory, file))
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep)
                   for root in (os.path.abspath(p) for p in paths if p != "-"))


def from_findings(path: str, findings: Iterable[Finding]) -> Baseline:
    """A baseline accepting ``findings``, except lintra's own diagnostics: a file that does not
    parse was never judged, and accepting that would hide everything in it for good."""
    directory = os.path.dirname(os.path.abspath(path))
    return Baseline(path, [{"file": _relative(f.file, directory), "rule": f.rule.id, "fingerprint": f.fingerprint,
                            "pointer": f.json_pointer, "message": f.message}
                           for f in findings if not f.suppressed and f.rule.vendor != RESERVED_VENDOR])


def read(path: str) -> Baseline:
    from lintra.load import yamltree

    from lintra.filesystem import read_text
    from lintra.load.limits import LimitExceeded, MAX_FILE_BYTES

    try:
        documents = yamltree.parse(read_text(path, MAX_FILE_BYTES))
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read baseline: {getattr(error, 'strerror', None) or error}") from None
    except (yamltree.YamlSyntaxError, LimitExceeded) as error:
        raise BaselineError(f"{path}:{error.line}:{error.column}: YAML syntax error: {error}") from None
    data, locator = documents[0] if documents else ({}, None)
    # ``type(...) is int``: ``version: true`` and ``version: 2.0`` compare equal to 1 and 2 in Python, but
    # no lintra ever wrote them
    if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] not in READABLE \
            or not isinstance(data.get("files"), dict):
        raise BaselineError(f"{path}:1:1: not a lintra baseline (version {VERSION}, files: {{FILE: [entries]}})")
    entries = []
    for file, items in data["files"].items():
        for i, item in enumerate(items if isinstance(items, list) else [None]):
            if not (isinstance(item, dict) and isinstance(item.get("rule"), str)
                    and isinstance(item.get("fingerprint"), str)):
                span = locator.span(("files", file, i) if isinstance(items, list) else ("files", file))
                raise BaselineError(f"{path}:{span.line}:{span.column}: baseline entry needs 'rule' and 'fingerprint'")
            entries.append({"file": str(file), "rule": item["rule"], "fingerprint": item["fingerprint"],
                            "pointer": str(item.get("pointer", "")), "message": str(item.get("message", ""))})
    return Baseline(path, entries, data["version"])


def upgraded(old: Baseline, findings: Iterable[Finding]) -> Tuple[Baseline, int]:
    """``old`` rewritten in the current version: each entry takes the fingerprint of the current
    finding it accepts; returns the new baseline and how many entries matched no finding (dropped)."""
    if old.version == VERSION:
        return old, 0
    budget = Counter((e["file"], e["rule"], e["fingerprint"]) for e in old.entries)
    entries = []
    for finding in findings:
        key = old.key(finding)
        if not finding.suppressed and budget[key] > 0:
            budget[key] -= 1
            entries.append({"file": key[0], "rule": finding.rule.id, "fingerprint": finding.fingerprint,
                            "pointer": finding.json_pointer, "message": finding.message})
    return Baseline(old.path, entries), len(old.entries) - len(entries)


def write(baseline: Baseline) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    files: Dict[str, list] = {}
    for entry in sorted(baseline.entries, key=lambda e: (e["file"], e["rule"], e["pointer"], e["fingerprint"])):
        files.setdefault(entry["file"], []).append(
            {"rule": entry["rule"], "pointer": entry["pointer"], "fingerprint": entry["fingerprint"],
             "message": entry["message"]})
    document = CommentedMap([("version", baseline.version), ("files", files)])
    document.yaml_set_start_comment(_HEADER)
    yaml = YAML()
    yaml.width = 4096  # one entry per line group: long messages must not fold mid-word in diffs
    yaml.default_flow_style = False
    try:
        with open(baseline.path, "w", encoding="utf-8") as handle:
            yaml.dump(document, handle)
    except OSError as error:
        raise BaselineError(f"{baseline.path}: cannot write baseline: {error.strerror or error}") from None


def _relative(file: str, directory: str) -> str:
    if file == "-" or file.startswith("<"):
        return file
    return os.path.relpath(os.path.abspath(file), directory).replace(os.sep, "/")
