"""Kept documents wait for the reduce in an unlinked temporary file (:class:`lintra.check.kept.Spill`):
only their place in it stays in memory, so what a run holds does not grow with the documents'
size. Read back they are equal to what was kept, and no file is ever left behind."""

import os
import pickle
import sys

import pytest

from lintra.check import kept
from lintra.load import yamltree
from lintra.model import Document, Source
from tests.test_memory import HEAT_TEMPLATE, _kept


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system temp dir, as tempfile sees it, is an empty directory of this test's own."""
    import tempfile

    where = tmp_path / "systemp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


def _open_in(where):
    """How many of this process's file descriptors are open on files in ``where`` (an unlinked
    file has no name in the directory, but its descriptor still says where it was)."""
    fds = "/proc/self/fd"
    if not os.path.isdir(fds):
        pytest.skip("needs /proc/self/fd to see open descriptors")
    count = 0
    for fd in os.listdir(fds):
        try:
            target = os.readlink(os.path.join(fds, fd))
        except OSError:
            continue
        count += target.startswith(str(where) + os.sep)
    return count


def _yaml_document(text, name="t.yaml"):
    [(data, locator)] = yamltree.parse(text)
    document = kept.packed(Document(Source(name), 0, "heat", data, locator))
    document.locator.pack()
    return document, data


def test_spilled_documents_read_back_equal_in_data_and_spans(private_tmp, monkeypatch):
    monkeypatch.setattr(kept.Spill, "BUFFER", 64)  # most pieces go through the file, some wait in memory
    texts = [HEAT_TEMPLATE.replace("m1.small", f"m{i}.small") for i in range(40)]
    pairs = [_yaml_document(text, f"t{i}.yaml") for i, text in enumerate(texts)]
    spans = [doc.span(("parameters", "flavor", "default"), "value") for doc, _ in pairs]
    for doc, _ in pairs:
        doc.locator.pack()  # as the map step leaves them
    spill = kept.Spill()
    spill.keep(doc for doc, _ in pairs)
    kept.release()
    assert not os.listdir(private_tmp)  # the file has no name while it is open
    assert _open_in(private_tmp) == 1  # but it is open (what the checks below rely on)
    for (document, data), span in zip(reversed(pairs), reversed(spans)):  # any order
        assert type(document._packed) is int and isinstance(document.locator, kept.SpilledPositions)
        assert document.data == data
        assert document.data["parameters"]["flavor"]["default"].endswith(".small")
        again = document.span(("parameters", "flavor", "default"), "value")
        assert (again.line, again.column, again.end_line, again.end_column) == (
            span.line, span.column, span.end_line, span.end_column)
    spill.close()
    assert not os.listdir(private_tmp) and _open_in(private_tmp) == 0


def test_a_spilled_document_travels_with_its_bytes(private_tmp):
    document, data = _yaml_document(HEAT_TEMPLATE)
    spill = kept.Spill()
    spill.keep([document])
    spill._flush()
    travelled = pickle.loads(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))
    assert travelled.data == data and travelled._spill is None and type(travelled._packed) is bytes
    assert type(travelled.locator) is yamltree.YamlLocator
    assert travelled.span(("resources", "server", "type"), "value").line == 12


def test_only_the_process_that_made_a_spill_reads_it(private_tmp, monkeypatch):
    document, _ = _yaml_document(HEAT_TEMPLATE)
    spill = kept.Spill()
    spill.keep([document])
    kept.release()
    monkeypatch.setattr(spill, "_pid", -1)
    with pytest.raises(RuntimeError):
        document.data


def test_a_run_leaves_no_file_behind_and_keeps_documents_spilled(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(kept.Spill, "BUFFER", 1)  # the documents go through the file
    monkeypatch.setattr(kept.Spill, "LOOSE", -1)  # as in a repository large enough to pack them
    for i in range(3):
        (tmp_path / f"t{i}.yaml").write_text(HEAT_TEMPLATE)
    documents = _kept([tmp_path], heat_env_auto=True)
    assert len(documents) == 3
    assert all(type(doc._packed) is int and doc._spill is not None for doc in documents)
    assert all(doc.span(("resources", "server", "type"), "value").line == 12 for doc in documents)
    spills = {id(doc._spill) for doc in documents}
    assert len(spills) == 1  # one per run
    assert _open_in(private_tmp) == 1
    del documents
    kept.release()
    assert not os.listdir(private_tmp) and _open_in(private_tmp) == 0


def test_a_run_that_fails_leaves_no_file_behind(tmp_path, private_tmp, monkeypatch):
    import lintra.pipeline as pipeline

    for i in range(3):
        (tmp_path / f"t{i}.yaml").write_text(HEAT_TEMPLATE)
    monkeypatch.setattr(kept.Spill, "BUFFER", 1)  # the file exists before the failure

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.duplicates, "merge", broken)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run([str(tmp_path)])
    assert not os.listdir(private_tmp) and _open_in(private_tmp) == 0  # closed at once, not by the next run


def _findings(result):
    return [(f.rule.id, f.file, f.span.line, f.span.column, f.message) for f in result.findings]


@pytest.mark.parametrize("failure", ["no temporary directory", "disk full on the second write"])
def test_a_run_whose_spill_cannot_be_written_keeps_its_documents_in_memory(private_tmp, monkeypatch, failure):
    """A read-only root, a full disk or a file size limit costs memory, never the run: the same
    findings as a run whose spill works, no traceback."""
    import errno
    import tempfile

    import lintra.pipeline as pipeline
    from tests.conftest import SHARED

    heat = os.path.join(SHARED, "corpus", "heat-templates")
    if not os.path.isdir(heat):
        pytest.skip("../shared is not beside the repository")
    monkeypatch.setattr(kept.Spill, "BUFFER", 4096)
    monkeypatch.setattr(kept.Spill, "LOOSE", -1)  # as in a repository large enough to pack them
    expected = _findings(pipeline.run([heat]))
    assert any(f[0].startswith("LH") for f in expected)
    if failure == "no temporary directory":
        def no_directory(*args, **kwargs):
            raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found")

        monkeypatch.setattr(tempfile, "TemporaryFile", no_directory)
    else:
        write, writes = kept._write, []

        def full(handle, blob, start):
            writes.append(start)
            if len(writes) > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            write(handle, blob, start)

        monkeypatch.setattr(kept, "_write", full)
    assert _findings(pipeline.run([heat])) == expected
    assert not os.listdir(private_tmp)
    if failure != "no temporary directory":
        assert len(writes) == 2  # one write went to the file, then the rest stayed in memory


def _held(document):
    """The bytes of memory a kept document holds beyond its source: its own slots and what they
    hold directly (a live-object count, not a timing)."""
    size = sys.getsizeof(document)
    for value in (document._packed, document.locator, document.base, document.index, document.kind):
        size += sys.getsizeof(value)
    for slot in getattr(type(document.locator), "__slots__", ()):
        size += sys.getsizeof(getattr(document.locator, slot, None))
    return size


def test_what_a_kept_document_holds_in_memory_does_not_grow_with_its_size(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(kept.Spill, "LOOSE", -1)  # as in a repository large enough to pack them
    resources = "".join(f"  r{i}:\n    type: OS::Nova::Server\n    properties: {{flavor: {{get_param: flavor}}}}\n"
                        for i in range(2000))
    big = HEAT_TEMPLATE.replace("resources:\n", "resources:\n" + resources)
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    (tmp_path / "small" / "t.yaml").write_text(HEAT_TEMPLATE)
    (tmp_path / "big" / "t.yaml").write_text(big)
    [small] = _kept([tmp_path / "small"], heat_env_auto=True)
    [large] = _kept([tmp_path / "big"], heat_env_auto=True)
    assert len(large.data["resources"]) == 2001 and len(small.data["resources"]) == 1
    kept.release()
    assert _held(large) == _held(small)
    assert len(large._spill.get(large._packed)) > 20 * len(small._spill.get(small._packed))


# --- loose documents: a run that keeps few documents does not pack them -------------------------

def test_a_run_that_keeps_little_holds_its_documents_loose_and_finds_the_same(tmp_path, private_tmp, monkeypatch):
    from tests.conftest import SHARED
    import lintra.pipeline as pipeline

    heat = os.path.join(SHARED, "corpus", "heat-templates")
    if not os.path.isdir(heat):
        pytest.skip("../shared is not beside the repository")
    seen = []
    real = kept.Spill.keep

    def spy(self, documents):
        documents = list(documents)
        seen.extend(documents)
        real(self, documents)

    monkeypatch.setattr(kept.Spill, "keep", spy)
    loose = _findings(pipeline.run([heat]))
    assert seen and all(type(doc) is kept.Kept and doc._packed is None for doc in seen)
    assert all(type(doc.locator) is yamltree.YamlLocator and type(doc.locator.root) is tuple for doc in seen)
    assert _open_in(private_tmp) == 0  # nothing was spilled
    seen.clear()
    monkeypatch.setattr(kept.Spill, "LOOSE", -1)
    assert _findings(pipeline.run([heat])) == loose
    assert seen and all(type(doc._packed) is int for doc in seen)


def test_once_the_heap_passes_the_bound_every_loose_document_is_packed(private_tmp, monkeypatch):
    documents = [kept.loose(Document(Source(f"t{i}.yaml"), 0, "heat", data, locator))
                 for i, (data, locator) in enumerate(yamltree.parse(HEAT_TEMPLATE) * 3)]
    ballast = [object() for _ in range(50_000)]
    spill = kept.Spill()
    spill.keep(documents[:2])
    assert all(doc._packed is None for doc in documents[:2])
    del ballast  # the heap is now smaller than when the spill was made: -1 must still pack
    monkeypatch.setattr(kept.Spill, "LOOSE", -1)
    spill.keep(documents[2:])
    assert all(type(doc._packed) is int and isinstance(doc.locator, kept.SpilledPositions) for doc in documents)
    kept.release()
    assert all(doc.data["parameters"]["flavor"]["default"] == "m1.small" for doc in documents)
    assert all(doc.span(("resources", "server", "type"), "value").line == 12 for doc in documents)


def test_an_interpreter_that_counts_no_heap_packs_every_kept_document(monkeypatch):
    monkeypatch.setattr(kept.sys, "getallocatedblocks", lambda: 0)
    [(data, locator)] = yamltree.parse(HEAT_TEMPLATE)
    document = kept.loose(Document(Source("t.yaml"), 0, "heat", data, locator))
    kept.Spill().keep([document])
    assert type(document._packed) is int


def test_a_loose_document_travels_packed_and_data_marshal_cannot_hold_as_it_is():
    [(data, locator)] = yamltree.parse(HEAT_TEMPLATE)
    document = kept.loose(Document(Source("t.yaml"), 0, "heat", data, locator))
    travelled = pickle.loads(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))
    assert type(travelled._packed) is bytes and travelled.data == data
    assert type(travelled.locator.root) is bytes  # its positions travel packed too
    assert travelled.span(("resources", "server", "type"), "value").line == 12
    import datetime

    when = {"when": datetime.date(2013, 5, 23)}  # a plugin's loader may build what marshal cannot write
    odd = kept.loose(Document(Source("t.yaml"), 0, "heat", when, None))
    again = pickle.loads(pickle.dumps(odd, pickle.HIGHEST_PROTOCOL))
    assert again._packed is None and again.data == when


def test_a_run_with_workers_packs_in_the_map(tmp_path):
    """A worker's outcome, or one this process made ahead of its turn, may wait: it waits packed."""
    from lintra import parallel
    import lintra.pipeline as pipeline

    if not parallel.can_fork():
        pytest.skip("no fork here")
    for i in range(parallel.PARALLEL_FROM_FILES):
        (tmp_path / f"t{i}.yaml").write_text(HEAT_TEMPLATE)
    made = []
    real = pipeline.Plan.map

    def spy(self, source):
        outcome = real(self, source)
        made.extend(outcome.kept)
        return outcome

    pipeline.Plan.map = spy
    try:
        pipeline.run([str(tmp_path)], options={"heat_env_auto": True}, jobs=2)
    finally:
        pipeline.Plan.map = real
    assert made and all(doc._packed is not None for doc in made)  # this process's own share


def test_past_a_few_kept_documents_in_one_file_the_rest_of_the_stream_is_packed_as_made(tmp_path, private_tmp,
                                                                                        monkeypatch):
    """A file's kept documents reach the run's spill only once the file is mapped: a long stream
    of them would all wait loose (the 20 MB file's peak grew by a quarter), so past
    LOOSE_IN_A_FILE the map packs each as it is made."""
    import lintra.pipeline as pipeline

    monkeypatch.setattr(kept, "LOOSE_IN_A_FILE", 2)
    stream = "".join(f"---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: sc{i}\n"
                     "provisioner: ebs.csi.aws.com\n" for i in range(5))
    (tmp_path / "classes.yaml").write_text(stream)
    (tmp_path / "claim.yaml").write_text("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n"
                                         "spec:\n  storageClassName: sc4\n")
    arrived = []
    real = kept.Spill.keep

    def spy(self, documents):
        documents = list(documents)
        arrived.append([(doc.data["metadata"]["name"], doc._packed is None) for doc in documents])
        real(self, documents)

    monkeypatch.setattr(kept.Spill, "keep", spy)
    result = pipeline.run([str(tmp_path / "classes.yaml"), str(tmp_path / "claim.yaml")], jobs=1)
    assert [("sc0", True), ("sc1", True), ("sc2", False), ("sc3", False), ("sc4", False)] in arrived
    assert any(f.rule.id == "LK110" and f.file.endswith("claim.yaml") for f in result.findings), \
        [(f.rule.id, f.file) for f in result.findings]
