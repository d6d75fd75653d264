"""A YAML file is checked one parsed document at a time (issue 12, the 20 MB file): each document
is parsed, checked, located and dropped before the next is parsed, so a file's memory is its
largest document's, and positions are read off the live node tree only for what is located.
The file's outcome is the one a parse of the whole file first would give."""

import pickle
import tracemalloc
import weakref

import pytest
from yaml.nodes import Node

from lintra.filter import Judgement
from lintra.load import Detector, LoadError, Loader, load_source, yamltree
from lintra.model import Hit, Rule, Source, Span
from lintra.pipeline import Plan, run
from lintra.plugins import Registry, load_registry


def _registry(*rules):
    builtin = load_registry()
    registry = Registry()
    for rule in rules:
        registry.add_rule(rule)
    registry.loaders, registry.detectors = list(builtin.loaders), list(builtin.detectors)
    registry.resolvers = dict(builtin.resolvers)
    return registry


def _rule(check, rule_id="T900", needs=None):
    return Rule(id=rule_id, name=rule_id.lower(), title="t", vendor="aws", category="storage", strength="hard",
                severity="error", kinds=["k8s"], rationale="r", remediation="m", check=check, needs=needs)


def _stream(count, start=0):
    return "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  key: 'value {i}'\n"
                   for i in range(start, start + count))


def _reachable_nodes(value, seen=None):
    """Whether a yaml Node is reachable from ``value`` through slots, dicts, lists and tuples."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, (str, bytes, int, float, type(None))):
        return False
    seen.add(id(value))
    if isinstance(value, Node):
        return True
    if isinstance(value, dict):
        return any(_reachable_nodes(k, seen) or _reachable_nodes(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return any(_reachable_nodes(item, seen) for item in value)
    slots = [slot for cls in type(value).__mro__ for slot in getattr(cls, "__slots__", ())]
    if hasattr(value, "__dict__"):
        return any(_reachable_nodes(v, seen) for v in vars(value).values())
    return any(_reachable_nodes(getattr(value, slot, None), seen) for slot in slots)


def test_each_document_is_checked_while_no_earlier_documents_tree_is_alive(tmp_path):
    trees, checked = [], []

    def check(document, scan):
        root = document.locator.root
        assert isinstance(root, Node)  # read off the live tree: no positions were recorded
        assert [doc.data["metadata"]["name"] for doc in scan.of_kind("k8s")] == [document.data["metadata"]["name"]]
        checked.append(sum(ref() is not None for ref in trees))  # earlier documents' trees still alive
        trees.append(weakref.ref(root))
        yield Hit(("data", "key"), "found")

    (tmp_path / "s.yaml").write_text(_stream(50))
    result = run([str(tmp_path / "s.yaml")], Judgement(select=["T900"]), registry=_registry(_rule(check)))
    assert checked == [0] * 50
    assert [(f.span.line, f.span.column) for f in result.findings] == [(7 + 7 * i, 8) for i in range(50)]
    assert result.files[0].documents == 50


def test_a_streamed_locator_answers_what_the_recorded_positions_answer():
    text = ("base: &b {x: 1, y: [a, {z: 2}]}\nm:\n  <<: *b\n  y: own\n  1: int\n  '1': str\n  k: first\n"
            "  k: second\nr: !Ref p\n!Ref key: v\nlist:\n- - deep\n  - {q: 1}\n- *b\nblock: |\n  text\n")
    [(data, positions)] = yamltree.parse(text)
    [(streamed_data, live)] = list(yamltree.stream(text))
    base = {"x": 1, "y": ["a", {"z": 2}]}
    assert streamed_data == data == {
        "base": base, "m": {"x": 1, "y": "own", 1: "int", "1": "str", "k": "second"}, "r": {"Ref": "p"},
        "{'Ref': 'key'}": "v", "list": [["deep", {"q": 1}], base], "block": "text\n"}
    assert isinstance(live.root, Node) and isinstance(positions.root, tuple)
    pointers = [(), ("m",), ("m", "x"), ("m", "y"), ("m", 1), ("m", "1"), ("m", "k"), ("r",), ("r", "Ref"),
                ("list", 0, 1, "q"), ("list", 1, "y", 1, "z"), ("list", 5), ("block",), ("nope", "deeper"),
                ("base", "y", "x"), ("{'Ref': 'key'}",)]
    for pointer in pointers:
        for at in (None, "key", "value"):
            a, b = positions.span(pointer, at), live.span(pointer, at)
            assert (a.line, a.column, a.end_line, a.end_column) == (b.line, b.column, b.end_line, b.end_column), \
                (pointer, at)
    # stated from the text: a merged key lands on the anchor's key, a mapping value on its key
    assert (live.span(("m", "x")).line, live.span(("m", "x")).column) == (1, 14)
    assert (live.span(("m", "k"), "key").line, live.span(("m", "1")).line) == (8, 6)
    assert (live.span(("list", 0, 1, "q")).line, live.span(("list", 0, 1, "q")).column) == (13, 9)
    live.settle()
    assert live.root == positions.root  # settling records exactly the positions parse() records


def test_kept_documents_leave_the_map_with_plain_positions(tmp_path):
    claim = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data{i}\n"
             "spec:\n  storageClassName: gp2\n")
    template = ("apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\nobjects:\n"
                "- apiVersion: v1\n  kind: PersistentVolumeClaim\n  metadata: {name: claim}\n"
                "  spec: {storageClassName: gp2}\n")
    (tmp_path / "claims.yaml").write_text("---\n".join(claim.format(i=i) for i in range(3)) + "---\n" + template)
    registry = load_registry()
    plan = Plan(registry, [r for r in registry.rules.values() if Judgement().enabled(r)], None)
    outcome = plan.map(Source(str(tmp_path / "claims.yaml"), str(tmp_path / "claims.yaml")))
    assert len(outcome.kept) == 4  # the claims the StorageClass rules read, one of them from the Template
    assert not _reachable_nodes(outcome.kept)
    assert b"yaml.nodes" not in pickle.dumps(outcome)
    assert [doc.span(("spec", "storageClassName")).line for doc in outcome.kept] == [6, 13, 20, 29]


def test_a_syntax_error_after_checked_documents_is_the_files_only_outcome(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(_stream(20) + "---\nkind: [unclosed\n" + _stream(5, 20))
    result = run([str(path)], Judgement(select=["T900"]),
                 registry=_registry(_rule(lambda d, s: [Hit(("data", "key"), "found")])))
    assert result.files[0].status == "error"
    assert [(f.rule.id, f.span.line) for f in result.findings] == [("LT000", 143)]


def test_a_syntax_error_anywhere_wins_over_a_limit_and_a_limit_waits_for_the_end(tmp_path):
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for n, p in zip("bcdefgh", "abcdefg"))
    registry = _registry(_rule(lambda d, s: [Hit(("data", "key"), "found")]))
    (tmp_path / "limit.yaml").write_text(_stream(3) + bomb + _stream(3, 3))
    limited = run([str(tmp_path / "limit.yaml")], Judgement(select=["T900"]), registry=registry)
    # the aliases of line 27 (e) expand past limits.MAX_EXPANDED_NODES (10**6): 10**6 x's
    assert [(f.rule.id, f.span.line) for f in limited.findings] == [("LT002", 27)]
    assert "alias" in limited.findings[0].message and limited.files[0].status == "error"
    (tmp_path / "both.yaml").write_text(_stream(3) + bomb + _stream(3, 3) + "---\nx: [\n")
    both = run([str(tmp_path / "both.yaml")], Judgement(select=["T900"]), registry=registry)
    assert [f.rule.id for f in both.findings] == ["LT000"]


def _yaml_loader():
    def load(source, text):
        try:
            yield from yamltree.stream(text)
        except yamltree.YamlSyntaxError as error:
            raise LoadError("LT000", f"syntax: {error}", Span(error.line, error.column)) from None
    return Loader("stream", (".s",), load)


def test_a_detector_error_waits_for_the_readers_outcome():
    """A detector's LoadError on one document is the file's outcome unless the stream fails
    further down, as when the whole list was parsed first."""
    def detect(data):
        if data == "bad":
            raise LoadError("LT000", "bad document", None, pointer=())
        return [("k8s", data, ())] if isinstance(data, dict) else None

    seen = []
    each = lambda documents: seen.extend(documents) or []  # noqa: E731
    detectors = [Detector("t", detect)]
    loaded = load_source(Source("a.s", None, b"{a: 1}\n---\nbad\n---\n{b: 2}\n"), [_yaml_loader()], detectors,
                         each=each)
    assert (loaded.record.status, [(p.message, p.span.line) for p in loaded.problems]) == \
        ("error", [("bad document", 3)])
    assert [doc.data for doc in seen] == [{"a": 1}]  # what each saw is the caller's to drop
    loaded = load_source(Source("b.s", None, b"{a: 1}\n---\nbad\n---\n{b: [2\n"), [_yaml_loader()], detectors,
                         each=each)
    assert loaded.record.status == "error"
    assert [(p.message.split(":")[0], p.span.line) for p in loaded.problems] == [("syntax", 6)]


def test_without_each_every_document_is_kept_with_plain_positions():
    source = Source("s.yaml", None, _stream(3).encode())
    loaded = load_source(source, load_registry().loaders, load_registry().detectors)
    assert loaded.record.documents == 3 and len(loaded.documents) == 3
    assert all(isinstance(doc.locator.root, tuple) for doc in loaded.documents)


def test_a_long_stream_is_read_in_the_memory_of_its_text(tmp_path):
    """The map holds the file's text three times (its bytes, the decoded text, libyaml's UTF-8
    copy) and one document at a time beyond that. Building every document first, with every
    node's position, held about 40 times the text of a stream of small manifests."""
    # names longer than yamltree._INTERNED: no document leaves an entry in the interned strings
    text = _stream(6000).replace("  name: c", "  name: a-config-map-whose-name-is-too-long-to-be-interned-")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    plan = Plan(load_registry(), [], None)  # reading only: rules' own bounded caches are not the file's
    plan.map(Source(str(path), str(path)))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        outcome = plan.map(Source(str(path), str(path)))
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert outcome.record.documents == 6000
    assert peak < 6 * len(text), peak / len(text)


@pytest.mark.parametrize("observed", [1, 3])
def test_an_observer_sees_every_document_once(tmp_path, observed):
    from lintra.audit.record import ObjectIndex

    (tmp_path / "s.yaml").write_text(_stream(observed))
    index = ObjectIndex(str(tmp_path))
    run([str(tmp_path)], observe=index)
    assert sorted(name for _, name in index.objects.values()) == sorted(f"c{i}" for i in range(observed))
    assert index.files == {"s.yaml": ["platform", observed]}
