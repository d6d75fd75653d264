"""Read a chart in place: its files from a directory or a vendored ``.tgz`` (in memory, bounded),
its values, and its subcharts.

Chart layout: https://helm.sh/docs/topics/charts/ (``Chart.yaml``, ``values.yaml``,
``templates/`` with ``_*.tpl`` partials that render nothing, ``crds/`` installed as they are,
``charts/`` for dependencies, ``values.schema.json`` for validation only: Helm never applies its
defaults). Dependencies: ``condition:`` (a values path; the first that resolves decides) and
``tags:`` (``tags.<name>``, any true enables), ``alias:``, ``import-values`` are in
https://helm.sh/docs/topics/charts/#chart-dependencies. A dependency that is not under
``charts/`` (``helm dependency build`` was not run) is a note; a ``file://`` dependency is read
from its directory when it stays inside the repository.
"""

from __future__ import annotations

import io
import os
import tarfile

from lintra.load import yamltree
from lintra.load import limits
from lintra.load.limits import LimitExceeded

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

# the bounds on a chart's files and archives are limits.MAX_CHART_* (configurable, README "Limits"),
# read at call time so a run's --limit reaches them


class ChartFiles:
    """A chart's files by path relative to the chart root; ``display(rel)`` names one for reports."""

    __slots__ = ("files", "prefix", "skipped", "root", "ignore")

    def __init__(self, prefix: str, root: Optional[str] = None) -> None:
        self.files: Dict[str, bytes] = {}
        #: how report paths of this chart's files begin (``chart/`` or ``chart/charts/x.tgz/x/``)
        self.prefix = prefix
        #: ``rel -> reason`` for entries not read (links leaving the chart, oversized members)
        self.skipped: Dict[str, str] = {}
        #: the directory on disk (None for an archive)
        self.root = root
        #: the ``.helmignore`` rules this chart was read under (its own, or the chart's it lies in)
        self.ignore: Optional[HelmIgnore] = None

    def display(self, rel: str) -> str:
        return self.prefix + rel

    def text(self, rel: str) -> Optional[str]:
        raw = self.files.get(rel)
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text[1:] if text.startswith("\ufeff") else text


_IGNORED = "matched by .helmignore: Helm does not load it"


class HelmIgnore:
    """A chart's ``.helmignore`` as Helm's loader applies it (helm internal/ignore/rules.go):
    one Go ``filepath.Match`` pattern a line, ``#`` comments, ``!`` negates, a trailing ``/``
    matches directories only, a leading ``/`` anchors at the chart root, a pattern without
    ``/`` matches the base name; a path is ignored when a positive rule matches and no negative
    one does, and an ignored directory is skipped whole. ``templates/.?*`` is always added.
    Paths are relative to ``root``, the chart directory ``helm template`` loads."""

    __slots__ = ("root", "rules", "dropped", "refused")

    #: patterns applied at most: each is tried on every file of the chart and its directories,
    #: and real ignore files hold a few dozen (the rest are counted in :attr:`dropped`)
    MAX_RULES = 500

    def __init__(self, root: str, text: str = "") -> None:
        self.root = root
        self.rules: List[Tuple[bool, bool, bool, str]] = []  # (negate, directories only, base name, pattern)
        self.dropped = 0
        #: lines Helm refuses (``**``, a malformed pattern): Helm then fails to load the chart at all
        self.refused: List[str] = []
        for raw in (text.lstrip("\ufeff").splitlines() + ["templates/.?*"]):
            rule = raw.strip()
            if not rule or rule.startswith("#"):
                continue
            # Helm's parseRule refuses ``**`` and any pattern filepath.Match(rule, "abc") calls
            # malformed (the whole file then fails to load); we skip the line and say so
            if "**" in rule:
                self.refused.append(rule)
                continue
            try:
                go_match(rule, "abc")
            except BadPattern:
                self.refused.append(rule)
                continue
            if len(self.rules) >= self.MAX_RULES and raw != "templates/.?*":
                self.dropped += 1
                continue
            negate = rule.startswith("!")
            rule = rule[1:] if negate else rule
            directory = rule.endswith("/")
            rule = rule[:-1] if directory else rule
            anchored = rule.startswith("/")
            rule = rule[1:] if anchored else rule
            self.rules.append((negate, directory, not anchored and "/" not in rule, rule))

    @classmethod
    def of(cls, root: str) -> "HelmIgnore":
        from lintra.filesystem import read_regular

        try:
            text = read_regular(os.path.join(root, ".helmignore"), limits.MAX_CHART_MEMBER_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        return cls(root, text)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """``path`` is absolute, below :attr:`root`."""
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if rel in ("", ".") or rel.startswith("../"):
            return False
        positive = negative = False
        for negate, directory, base, pattern in self.rules:
            if directory and not is_dir:
                continue
            try:
                matched = go_match(pattern, rel.rsplit("/", 1)[-1] if base else rel)
            except BadPattern:  # Helm logs "Failed to compile" and the rule does not match
                matched = False
            if matched:
                if negate:
                    negative = True
                else:
                    positive = True
        return positive and not negative

    def hides(self, path: str, is_dir: bool) -> bool:
        """Below an ignored directory, or ignored itself."""
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if rel.startswith("../"):
            return False
        parts = rel.split("/")
        for end in range(1, len(parts)):
            if self.ignored(os.path.join(self.root, *parts[:end]), True):
                return True
        return self.ignored(path, is_dir)


class BadPattern(ValueError):
    """Go's ``filepath.ErrBadPattern``: the pattern is malformed."""


def go_match(pattern: str, name: str) -> bool:
    """Go's ``path/filepath.Match`` (src/path/filepath/match.go), ported step for step so that
    every pattern means what it means to Helm: ``*`` and ``?`` stop at ``/``, ``[^...]`` negates
    a class, a class's first character may not be ``]`` or ``-``, ``\\`` escapes, a range whose
    bounds are reversed (``[z-a]``) matches nothing. Each star is tried at every position once,
    with no backtracking into earlier stars, so the time is at most the pattern's length times
    the name's. Raises :class:`BadPattern` where Go returns ``ErrBadPattern``."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            # a trailing * matches the rest of the name unless it holds a /
            return "/" not in name
        rest = _match_chunk(chunk, name)
        # the last chunk must use up the name, else a star may still match further on
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        matched = False
        if star:
            # try the chunk after skipping i+1 characters; a star cannot skip a /
            i = 0
            while i < len(name) and name[i] != "/":
                rest = _match_chunk(chunk, name[i + 1:])
                if rest is not None:
                    if not pattern and rest:
                        i += 1
                        continue
                    name = rest
                    matched = True
                    break
                i += 1
        if matched:
            continue
        # before answering no, Go checks that the rest of the pattern is well formed
        while pattern:
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name


def _scan_chunk(pattern: str) -> Tuple[bool, str, str]:
    """The next non-star run of ``pattern``, and whether stars preceded it (Go's scanChunk)."""
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 < len(pattern):
                i += 1  # a malformed escape is matchChunk's to report
        elif char == "[":
            in_range = True
        elif char == "]":
            in_range = False
        elif char == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _match_chunk(chunk: str, s: str) -> Optional[str]:
    """What remains of ``s`` once ``chunk`` (literals, classes, ``?``) matched its start, or None
    (Go's matchChunk: after a mismatch the chunk is still read to the end, checking its syntax)."""
    failed = False
    c = 0
    p = 0
    while c < len(chunk):
        if not failed and p >= len(s):
            failed = True
        char = chunk[c]
        if char == "[":
            r = ""
            if not failed:
                r = s[p]
                p += 1
            c += 1
            negated = c < len(chunk) and chunk[c] == "^"
            if negated:
                c += 1
            match = False
            ranges = 0
            while True:
                if c < len(chunk) and chunk[c] == "]" and ranges > 0:
                    c += 1
                    break
                lo, c = _get_esc(chunk, c)
                hi = lo
                if chunk[c] == "-":
                    hi, c = _get_esc(chunk, c + 1)
                if not failed and lo <= r <= hi:
                    match = True
                ranges += 1
            if match == negated:
                failed = True
        elif char == "?":
            if not failed:
                if s[p] == "/":
                    failed = True
                p += 1
            c += 1
        else:
            if char == "\\":
                c += 1
                if c >= len(chunk):
                    raise BadPattern(chunk)
            if not failed:
                if chunk[c] != s[p]:
                    failed = True
                p += 1
            c += 1
    return None if failed else s[p:]


def _get_esc(chunk: str, c: int) -> Tuple[str, int]:
    """A class's possibly escaped character at ``chunk[c]`` and the index after it (Go's getEsc:
    a class cannot end there, and a bare ``-`` or ``]`` cannot start a range)."""
    if c >= len(chunk) or chunk[c] in "-]":
        raise BadPattern(chunk)
    if chunk[c] == "\\":
        c += 1
        if c >= len(chunk):
            raise BadPattern(chunk)
    if c + 1 >= len(chunk):
        raise BadPattern(chunk)
    return chunk[c], c + 1


def read_directory(root: str, prefix: str, boundary: str, ignore: Optional[HelmIgnore] = None) -> ChartFiles:
    """Every regular file below ``root`` (no links leaving ``boundary``), without ``charts/*/``
    subdirectories' contents: those are charts of their own. Files ``.helmignore`` matches
    (``ignore``: the rules of the chart directory being loaded, else ``root``'s own) are
    skipped with that reason, as Helm's loader never reads them."""
    from lintra.repository import is_within

    chart = ChartFiles(prefix, root)
    chart.ignore = ignore = ignore if ignore is not None else HelmIgnore.of(root)
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(d for d in dirnames if d not in (".git",))
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            # os.walk does not enter a linked directory; say so, so no file goes unaccounted for
            real = os.path.realpath(os.path.join(dirpath, name))
            chart.skipped[rel_dir + name] = (f"symbolic link to {real}, outside the repository: not read"
                                             if not is_within(real, boundary) else
                                             "symbolic link to a directory: not followed in a chart")
        if rel_dir == "charts/":
            # each subchart directory is read as a chart of its own, unless .helmignore hides it:
            # then its files are this chart's, skipped
            dirnames[:] = [d for d in dirnames if ignore.hides(os.path.join(dirpath, d), True)]
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = rel_dir + name
            if ignore.hides(path, False):
                chart.skipped[rel] = _IGNORED
                continue
            if os.path.islink(path):
                real = os.path.realpath(path)
                if not os.path.isfile(real) or not is_within(real, boundary):
                    chart.skipped[rel] = f"symbolic link to {real}, outside the repository: not read"
                    continue
            count += 1
            if count > limits.MAX_CHART_FILES:
                chart.skipped[rel] = f"the chart has more than {limits.MAX_CHART_FILES} files: not read"
                continue
            try:
                size = os.path.getsize(path)
                if size > limits.MAX_CHART_MEMBER_BYTES and not name.endswith(".tgz"):
                    chart.skipped[rel] = f"larger than {limits.size(limits.MAX_CHART_MEMBER_BYTES)}: not read"
                    continue
                if size > limits.MAX_CHART_ARCHIVE_BYTES:
                    chart.skipped[rel] = f"larger than {limits.size(limits.MAX_CHART_ARCHIVE_BYTES)}: not read"
                    continue
                from lintra.filesystem import read_regular  # a FIFO or device would block or never end

                chart.files[rel] = read_regular(path, limits.MAX_CHART_ARCHIVE_BYTES)
            except OSError as error:
                chart.skipped[rel] = error.strerror if error.strerror and "not read" in error.strerror else \
                    f"cannot read: {error.strerror or error}"
    return chart


def subchart_dirs(root: str) -> List[str]:
    charts = os.path.join(root, "charts")
    if not os.path.isdir(charts):
        return []
    return sorted(os.path.join(charts, d) for d in os.listdir(charts)
                  if os.path.isdir(os.path.join(charts, d)) and not os.path.islink(os.path.join(charts, d))
                  and os.path.isfile(os.path.join(charts, d, "Chart.yaml")))


class ArchiveError(Exception):
    pass


def read_archive(data: bytes, prefix: str) -> List[ChartFiles]:
    """The charts inside a chart archive (``name/Chart.yaml`` ...), read in memory with bounded
    member count and sizes; nested ``charts/*.tgz`` stay as bytes for the caller."""
    if len(data) > limits.MAX_CHART_ARCHIVE_BYTES:
        raise ArchiveError(f"archive larger than {limits.size(limits.MAX_CHART_ARCHIVE_BYTES)}")
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ArchiveError(f"not a readable chart archive: {error}") from None
    charts: Dict[str, ChartFiles] = {}
    total = 0
    try:
        for count, member in enumerate(archive):
            if count >= limits.MAX_CHART_ARCHIVE_MEMBERS:
                raise ArchiveError(f"more than {limits.MAX_CHART_ARCHIVE_MEMBERS} archive members")
            # every member's declared size counts, read or skipped: the tar reader inflates a
            # skipped member's data to step over it, so a gzip bomb of huge skipped members would
            # otherwise cost minutes of inflating
            total += max(0, member.size)
            if total > limits.MAX_CHART_ARCHIVE_BYTES:
                raise ArchiveError(f"archive expands to more than {limits.size(limits.MAX_CHART_ARCHIVE_BYTES)}")
            name = member.name.lstrip("./")
            top, _, rel = name.partition("/")
            if not rel or ".." in rel.split("/"):
                continue
            chart = charts.setdefault(top, ChartFiles(prefix + top + "/"))
            if not member.isfile():
                if member.issym() or member.islnk():
                    chart.skipped[rel] = "link inside the archive: not followed"
                continue
            if member.size > limits.MAX_CHART_MEMBER_BYTES:
                chart.skipped[rel] = f"larger than {limits.size(limits.MAX_CHART_MEMBER_BYTES)}: not read"
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                chart.files[rel] = handle.read(limits.MAX_CHART_MEMBER_BYTES + 1)
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise ArchiveError(f"broken chart archive: {error}") from None
    finally:
        archive.close()
    return [chart for chart in charts.values() if "Chart.yaml" in chart.files]


def parse_yaml(text: str) -> List[Tuple[Any, Any]]:
    """``(data, locator)`` per document; raises yamltree.YamlSyntaxError or LimitExceeded."""
    return yamltree.parse(text)


def chart_metadata(chart: ChartFiles) -> Tuple[dict, Optional[str]]:
    """``Chart.yaml`` as data (the first mapping document: some are written between ``---``
    lines), or an error message."""
    text = chart.text("Chart.yaml")
    if text is None:
        return {}, "Chart.yaml is not UTF-8 text"
    try:
        for data, _ in parse_yaml(text):
            if isinstance(data, dict):
                return data, None
    except (yamltree.YamlSyntaxError, LimitExceeded) as error:
        return {}, f"Chart.yaml does not parse: {error}"
    return {}, "Chart.yaml holds no mapping"
