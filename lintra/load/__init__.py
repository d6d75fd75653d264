"""Load stage: bytes -> documents with locations, each file accounted for in a FileRecord.

Loaders (by file suffix) parse; detectors (by content) say what kind of infrastructure object each
parsed document is. Both come from plugins; see :mod:`lintra.load.builtin` for the built-in ones.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator

from lintra.filesystem import NotRegular, TooLarge
from lintra.load.limits import LimitExceeded
from lintra.load import limits
from lintra.model import Document, FileRecord, Locator, Pointer, Source, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, TypeAlias

#: A detector's answer for one parsed document: ``(kind, data, base pointer)`` per object found,
#: or ``(kind, data, base, make_locator)`` where ``make_locator(file_locator)`` maps pointers of
#: reshaped data back into the file.
Detected: TypeAlias = "List[tuple]"


class Loader:
    """Reads files whose name ends with one of ``suffixes``.

    ``load(source, content)`` gets text (or bytes when ``binary``) and returns a list of
    ``(data, locator)`` pairs, one per parsed document, or a list of ready :class:`Document` objects
    for formats whose kind is known from the format itself (``.vmx``), or an iterator yielding
    either as the content is parsed (see :func:`load_source`). It raises :class:`LoadError` for
    input it cannot read, and :class:`Skip` for input that is not ours (an iterator may raise them
    as it goes).
    """

    __slots__ = ("name", "suffixes", "load", "binary", "sniff", "options", "cache_key", "head")

    def __init__(self, name: str, suffixes: Sequence[str], load: Callable, binary: bool = False,
                 sniff: Optional[Callable[[bytes], bool]] = None, options: bool = False,
                 cache_key: Optional[Callable[[Source], str]] = None, head: bool = False) -> None:
        self.name = name
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.load = load
        self.binary = binary
        #: for standard input: does this content look like ours?
        self.sniff = sniff
        #: ``load(source, content, run_options)``: the loader reads run options (Helm values)
        self.options = options
        #: None when what this loader makes of a file may depend on other files (a Helm chart, a
        #: Kustomize root): the map step is then run afresh each time. Else the file's map
        #: outcome may be cached (:mod:`lintra.mapcache`), and ``cache_key(source)`` says what
        #: besides the file's bytes and name its reading depends on ("" for nothing).
        self.cache_key = cache_key
        #: the format is read from the start of the file only (an OVA's descriptor is its first
        #: tar member, the disks after it are gigabytes): a file past ``limits.MAX_FILE_BYTES``
        #: is then no limit finding, the loader is given its first ``MAX_FILE_BYTES`` bytes
        self.head = head


class Detector:
    """Recognises a kind of document in parsed YAML/JSON data; ``detect(data)`` returns
    :data:`Detected` or None when the data is not of its kind."""

    __slots__ = ("name", "detect")

    def __init__(self, name: str, detect: Callable[[Any], Optional[Detected]]) -> None:
        self.name = name
        self.detect = detect


class LoadError(Exception):
    """The file is ours but broken: reported as a finding of ``rule_id`` at ``span``."""

    def __init__(self, rule_id: str, message: str, span: Span, pointer: Optional[Pointer] = None) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.message = message
        self.span = span
        #: a detector knows where in the data it found the fault, not where that is in the file:
        #: the load stage turns this pointer into the span with the file's locator
        self.pointer = pointer


class Problem:
    """A load failure as plain data. Exceptions are not kept: their tracebacks would pin every
    frame of the run (and the documents those frames hold) in a reference cycle."""

    __slots__ = ("rule_id", "message", "span")

    def __init__(self, rule_id: str, message: str, span: Span) -> None:
        self.rule_id = rule_id
        self.message = message
        self.span = span


class Skip(Exception):
    """The file is not something lintra reads (a template, a dotenv file): skipped with a reason."""


class Built(list):
    """What a loader returns for documents built from several files (a Kustomize root): the
    documents, the reason its record states, and a record for each other file the build read."""

    def __init__(self, documents: Sequence[Document], reason: Optional[str], files: Sequence[FileRecord]) -> None:
        super().__init__(documents)
        self.reason = reason
        self.files = list(files)


class Loaded:
    __slots__ = ("record", "documents", "problems", "unreadable", "also", "comments")

    def __init__(self, record: FileRecord, documents: Sequence[Document] = (),
                 problems: Sequence[Problem] = (), unreadable: bool = False,
                 also: Sequence[FileRecord] = ()) -> None:
        self.record = record
        self.documents = list(documents)
        self.problems = list(problems)
        #: the file could not be read at all (exit code 2), as opposed to being broken inside
        self.unreadable = unreadable
        #: the other files a built document was read from (Kustomize bases and patches, a Helm
        #: chart's templates and values), accounted for once each by the run
        self.also = list(also)
        #: ``(file, text)`` of further files read whose ``lintra:`` comments count (a chart's
        #: values and templates): suppressions written there apply to findings located there
        self.comments: List[Tuple[str, str]] = []


def pick_loader(source: Source, loaders: Sequence[Loader], head: bytes = b"") -> Optional[Loader]:
    name = source.name.lower()
    best = None
    for loader in loaders:
        for suffix in loader.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), loader)
    if best is not None:
        return best[1]
    if source.path is None or source.name == "-":
        for loader in loaders:
            if loader.sniff is not None and loader.sniff(head):
                return loader
    return None


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will report why


def load_source(source: Source, loaders: Sequence[Loader], detectors: Sequence[Detector],
                options: Optional[dict] = None,
                each: Optional[Callable[[List[Document]], Sequence[Document]]] = None) -> Loaded:
    """Read, parse and classify one input, accounting for it in a :class:`FileRecord`.

    ``each(documents)`` is handed the documents as they are built and returns those to keep
    (:attr:`Loaded.documents`; without ``each``, all of them). A loader that streams (returns an
    iterator, as the YAML reader does) has each parsed document's objects handed on as soon as it
    is built, before the next one is parsed: a file's memory is then bounded by its largest
    document, and a locator may read positions off the document's live node tree until the
    document is kept (kept documents' locators are then made plain data, ``settle()``). Other
    loaders' documents are handed on together, once the file is read.

    A stream can still fail after ``each`` has seen some of its documents (a syntax error
    further down wins, as if the whole file were parsed first); the answer then says so (its
    record's status is not ``scanned``) and whatever ``each`` made of them must be dropped."""
    if each is None:
        each = _keep_all
    if source.skip:
        return Loaded(FileRecord(source.name, "skipped", reason=source.skip))
    # a format read from its start (an OVA) is read only that far, however large the file
    head = source.path is not None and getattr(pick_loader(source, loaders), "head", False)
    try:
        # a huge file is never read in: the read checks the size of what it opened first
        raw = source.read_bytes(limits.MAX_FILE_BYTES, prefix=True) if head else source.read_bytes(limits.MAX_FILE_BYTES)
    except TooLarge:
        return _too_large(source)
    except NotRegular as error:  # it changed since discovery (a race), or a caller named it directly
        return Loaded(FileRecord(source.name, "skipped", reason=error.strerror))
    except OSError as error:
        if not head and source.path is not None and _size(source.path) > limits.MAX_FILE_BYTES:
            # too large wins over unreadable, as when the size was looked at before the read
            return _too_large(source)
        reason = f"cannot read: {error.strerror or error}"
        return Loaded(FileRecord(source.name, "error", reason=reason),
                      problems=[Problem("LT001", reason, Span(1, 1))], unreadable=True)
    loader = pick_loader(source, loaders, raw[:4096])
    if loader is None:
        return Loaded(FileRecord(source.name, "skipped", reason="no loader for this file type"))
    if not raw.strip():
        return Loaded(FileRecord(source.name, "skipped", reason="empty file"))
    if len(raw) > limits.MAX_FILE_BYTES:
        return _too_large(source)
    content: Any = raw
    if not loader.binary:
        if b"\0" in raw[:8192] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return Loaded(FileRecord(source.name, "skipped", reason="binary file"))
        try:
            content = decode(raw)
        except UnicodeDecodeError as error:
            span = offset_span(raw, error.start)
            reason = f"not valid UTF-8 text: byte 0x{raw[error.start]:02x} at line {span.line}"
            # the same diagnostic and exit code as a file that cannot be opened: nothing in it was judged
            return Loaded(FileRecord(source.name, "error", reason=reason),
                          problems=[Problem("LT001", reason, span)], unreadable=True)
    try:
        parsed = loader.load(source, content, options or {}) if loader.options else loader.load(source, content)
    except Exception as error:  # noqa: BLE001 - a reader's bug must cost one file, not the run
        return _unread(source, loader, error)
    if isinstance(parsed, Iterator):
        return _streamed(source, loader, parsed, detectors, each)
    if isinstance(parsed, Built):
        kinds = sorted({doc.kind for doc in parsed})
        return Loaded(FileRecord(source.name, "scanned", kinds, parsed.reason, len(parsed)),
                      _kept(each, list(parsed)), also=parsed.files)
    try:
        loaded = Loaded(*_classify(source, parsed, detectors))
    except LoadError as error:  # a detector found the data of its kind but malformed
        return Loaded(FileRecord(source.name, "error", reason=error.message),
                      problems=[Problem(error.rule_id, error.message, error.span)])
    except Exception as error:  # noqa: BLE001 - a detector's bug, likewise
        return _crashed(source, "a document detector", error)
    loaded.documents = _kept(each, loaded.documents)
    also = getattr(parsed, "records", None)
    if also is not None:  # a reader of several files (a Helm chart) accounts for each of them
        record = loaded.record
        record.status, record.kinds, record.reason = "scanned", ("helm",), parsed.reason
        record.notes = tuple(parsed.notes)
        loaded.also = list(also)
        loaded.comments = list(getattr(parsed, "comments", ()))
    return loaded


def _unread(source: Source, loader: Loader, error: Exception) -> Loaded:
    """What a reader's exception makes of the file. A reader of several files (a Helm chart)
    names the others it stood for on the exception (``accounted``: their records), so that
    they are still listed when it fails."""
    if isinstance(error, Skip):
        loaded = Loaded(FileRecord(source.name, "skipped", reason=str(error)))
    elif isinstance(error, LoadError):
        loaded = Loaded(FileRecord(source.name, "error", reason=error.message),
                        problems=[Problem(error.rule_id, error.message, error.span)])
    elif isinstance(error, LimitExceeded):
        loaded = _limit(source, str(error), Span(error.line, error.column))
    elif isinstance(error, RecursionError):
        loaded = _limit(source, "nested too deeply to read", Span(1, 1))
    else:
        loaded = _crashed(source, f"the {loader.name} reader", error)
    loaded.also = list(getattr(error, "accounted", ()))
    return loaded


def _keep_all(documents: List[Document]) -> List[Document]:
    return documents


def _kept(each: Callable[[List[Document]], Sequence[Document]], documents: List[Document]) -> List[Document]:
    return list(each(documents)) if documents else []


def _streamed(source: Source, loader: Loader, parsed: Iterator, detectors: Sequence[Detector],
              each: Callable[[List[Document]], Sequence[Document]]) -> Loaded:
    """:func:`_classify` over a stream, each parsed document's objects handed to ``each`` before
    the next is parsed. The outcome is the one the whole list would have given: the reader's
    error wherever it comes (the rest of the stream is read after a detector's error to see it),
    else the first detector error, else the documents."""
    kept: List[Document] = []
    failed: Optional[Loaded] = None
    kinds: set = set()
    others = count = 0
    index = -1
    while True:
        try:
            item = next(parsed, _END)
        except Exception as error:  # noqa: BLE001 - as for a reader that returns a list
            return _unread(source, loader, error)
        if item is _END:
            break
        index += 1
        if failed is not None:
            continue
        locator = None
        if isinstance(item, Document):
            documents = [item]
        else:
            data, locator = item
            try:
                documents = _documents(source, index, data, locator, detectors)
            except LoadError as error:
                failed = Loaded(FileRecord(source.name, "error", reason=error.message),
                                problems=[Problem(error.rule_id, error.message, error.span)])
                continue
            except Exception as error:  # noqa: BLE001 - a detector's bug costs this file only
                failed = _crashed(source, "a document detector", error)
                continue
            data = None
        if not documents:
            others += 1
            continue
        count += len(documents)
        kinds.update(doc.kind for doc in documents)
        keep = each(documents)
        for doc in keep:  # what outlives this document keeps plain positions, not its node tree
            _settle(doc.locator)
        if keep:
            _settle(locator)
            kept.extend(keep)
        item = locator = documents = keep = None  # the next document is parsed without this one
    if failed is not None:
        return failed
    if not count:
        return Loaded(FileRecord(source.name, "skipped", reason="not an infrastructure document"))
    reason = f"{others} other document(s) ignored" if others else None
    return Loaded(FileRecord(source.name, "scanned", sorted(kinds), reason, count), kept)


_END = object()


def _settle(locator: Any) -> None:
    settle = getattr(locator, "settle", None)
    if settle is not None:
        settle()


def _crashed(source: Source, what: str, error: Exception) -> Loaded:
    """A reader or detector raised: the file is an error (exit 2: it was not judged) with an
    LT900 finding naming the exception in one short line (its message may quote the file)."""
    from lintra.escape import terminal

    text = terminal(str(error))
    reason = f"{what} failed on this file: {type(error).__name__}: {text[:120]}" + ("..." if len(text) > 120 else "")
    return Loaded(FileRecord(source.name, "error", reason=reason), problems=[Problem("LT900", reason, Span(1, 1))],
                  unreadable=True)


def _classify(source: Source, parsed: Iterable, detectors: Sequence[Detector]) -> Tuple[FileRecord, list]:
    documents: List[Document] = []
    others = 0
    for index, item in enumerate(parsed):
        if isinstance(item, Document):
            documents.append(item)
            continue
        data, locator = item
        found = _documents(source, index, data, locator, detectors)
        if not found:
            others += 1
        documents.extend(found)
    kinds = sorted({doc.kind for doc in documents})
    if documents:
        reason = f"{others} other document(s) ignored" if others else None
        return FileRecord(source.name, "scanned", kinds, reason, len(documents)), documents
    return FileRecord(source.name, "skipped", reason="not an infrastructure document"), documents


def _documents(source: Source, index: int, data: Any, locator: Locator,
               detectors: Sequence[Detector]) -> List[Document]:
    """The documents the detectors find in one parsed document."""
    try:
        found = detect(data, detectors)
    except LoadError as error:
        if error.pointer is not None:
            error.span = locator.span(error.pointer, "value")
        raise
    # A detector that reshapes the data (a vSphere export into the VM model) brings a factory for
    # a locator of its own, built over the file's locator.
    return [Document(source, index, kind, obj, own[0](locator) if own else locator, base)
            for kind, obj, base, *own in found]


def detect(data: Any, detectors: Sequence[Detector]) -> Detected:
    for detector in detectors:
        found = detector.detect(data)
        if found is not None:
            return found
    return []


def _too_large(source: Source) -> Loaded:
    """The answer for a file past ``limits.MAX_FILE_BYTES``, however the run found out."""
    return _limit(source, f"larger than {limits.size(limits.MAX_FILE_BYTES)}", Span(1, 1))


def _limit(source: Source, reason: str, span: Span) -> Loaded:
    return Loaded(FileRecord(source.name, "error", reason=reason), problems=[Problem("LT002", reason, span)])


def decode(raw: bytes) -> str:
    """Text as YAML 1.1 allows it: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    text = raw.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def offset_span(raw: bytes, offset: int) -> Span:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return Span(line, column)


__all__ = ["Loader", "Detector", "Detected", "Built", "LoadError", "Problem", "Skip", "Loaded", "Locator", "load_source",
           "detect", "decode"]
