"""What the map step keeps for the reduce waits packed: a kept document's data as compressed
marshal bytes decoded only while rules read it (a bounded number at once), its positions
compressed. The reduce sees the same data and spans, so findings do not change."""

import json
import os
import pickle

import pytest

from lintra.check import kept
from lintra.load import yamltree
from lintra.model import Document, Source
from lintra.pipeline import run
from tests.test_memory import HEAT_TEMPLATE, _kept, _plain


def _document(data):
    return Document(Source("t.yaml"), 0, "heat", data, None)


def test_a_kept_document_holds_its_data_packed_and_decodes_it_equal():
    data = {"resources": {"s": {"type": "OS::Nova::Server", "properties": {"n": [1, 2.5, None, True, "x"]}}}}
    document = kept.packed(_document(data))
    assert isinstance(document, kept.Kept)
    assert document.data == data and document.data is document.data  # decoded once while held
    assert document.get(("resources", "s", "properties", "n", 3)) is True  # bool stays bool
    assert _plain(document.data)
    kept.release()
    assert document.data == data  # let go, then decoded again


def test_a_kept_document_travels_from_a_worker_packed():
    data = {"resources": {f"r{i}": {"type": "OS::Nova::Server", "properties": {"flavor": "m1.small"}}
                          for i in range(200)}}
    document = kept.packed(_document(data))
    travelled = pickle.loads(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))
    assert travelled.data == data and travelled.kind == "heat" and travelled.source.name == "t.yaml"
    assert len(pickle.dumps(document, pickle.HIGHEST_PROTOCOL)) < len(pickle.dumps(_document(data))) / 4


def test_data_marshal_cannot_hold_stays_as_it_is():
    document = _document({"when": object()})
    assert kept.packed(document) is document


def test_at_most_a_bounded_number_of_kept_documents_hold_decoded_data(monkeypatch):
    monkeypatch.setattr(kept, "DECODED", 3)
    documents = [kept.packed(_document({"n": i})) for i in range(10)]
    assert [doc.data["n"] for doc in documents] == list(range(10))
    held = [doc for doc in documents if _holds_decoded(doc)]
    assert held == documents[-3:]
    assert documents[0].data == {"n": 0}  # the oldest was let go and reads the same again
    kept.release()
    assert not any(_holds_decoded(doc) for doc in documents)


def _holds_decoded(document):
    try:
        Document.data.__get__(document, kept.Kept)
        return True
    except AttributeError:
        return False


def test_new_data_replaces_the_packed_data():
    document = kept.packed(_document({"a": 1}))
    document.data = {"b": 2}
    assert document.data == {"b": 2}
    kept.release()
    assert document.data == {"b": 2}


def test_the_reduce_sees_kept_heat_templates_packed_with_their_data(tmp_path):
    (tmp_path / "t.yaml").write_text(HEAT_TEMPLATE)
    [template] = _kept([tmp_path], heat_env_auto=True)
    assert isinstance(template, kept.Kept)
    assert template.data["resources"]["server"]["properties"] == {"flavor": {"get_param": "flavor"},
                                                                   "image": {"get_param": "image"}}
    assert template.span(("resources", "server", "type"), "value").line == 12


def test_packed_positions_are_smaller_and_place_the_same_spans():
    text = "".join(f"k{i}:\n  name: value-{i}\n  list: [a, b, {{c: {i}}}]\n" for i in range(300))
    _, plain = yamltree.parse(text)[0]
    _, packed = yamltree.parse(text)[0]
    import marshal

    size = len(marshal.dumps(plain.root))
    packed.pack()
    assert isinstance(packed.root, bytes) and len(packed.root) < size / 2
    for i in (0, 150, 299):
        for pointer in ((f"k{i}",), (f"k{i}", "name"), (f"k{i}", "list", 2, "c")):
            assert packed.span(pointer) == plain.span(pointer)
            assert packed.span(pointer, "key") == plain.span(pointer, "key")


def test_findings_are_the_same_when_every_kept_document_is_decoded_again_each_time(monkeypatch, corpus):
    """The tripleo templates' get_param chains through parents and environments, decoded again
    whenever they were let go, give the findings of a run that holds everything decoded."""
    from lintra.report.json import to_dict

    tree = os.path.join(corpus, "tripleo-heat-templates")

    def report():
        kept.release()
        return json.dumps(to_dict(run([tree], options={"heat_env_auto": True})), sort_keys=True, default=str)

    monkeypatch.setattr(kept, "DECODED", 1 << 30)
    held = report()
    monkeypatch.setattr(kept, "DECODED", 1)
    assert report() == held
    assert '"LH1' in held  # the tree's Heat findings are among them
