"""The persistent cache of what the map step keeps of context files (lintra/mapcache.py).

The round trip through :func:`to_data`/:func:`from_data` must be exact (same types, same spans)
for every document the readers make of the real trees; a warm run must say byte for byte what a
cold run and a ``--no-cache`` run say; an entry is used only for the same content, name and run
configuration; anything else in the cache directory is ignored, never trusted.
"""

import json
import math
import os
import shutil

import pytest
from click.testing import CliRunner

from lintra import cache, mapcache
from lintra.cli import main
from lintra.discover import discover
from lintra.load import load_source
from lintra.mapcache import BadEntry, MapCache, Uncacheable, from_data, loads, run_key, to_data
from lintra.model import Document, Source, Span
from lintra.pipeline import Plan
from lintra.plugins import load_registry

from .conftest import SHARED
from .test_incremental import CLASSES, make_claim_repository

git_required = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")



def same(a, b, path="$"):
    """Equal and of the same types all the way down (a tuple is not a list, 1 is not True)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            same(a[key], b[key], f"{path}/{key!r}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), path
    else:
        assert a == b, path


def round_trip(value, source=None):
    return loads(json.dumps(to_data(value, source), allow_nan=False), source)


# -- the one pair of functions ---------------------------------------------------------------------

def test_plain_data_round_trips_exactly():
    value = {"s": "x", "n": None, "t": True, "i": 3, "f": 1.5, "big": 10 ** 40, "list": [1, [2, (3, 4)]],
             "tuple": (1, "a", (None,)), "nan": float("nan"), "inf": [float("inf"), float("-inf")],
             "bytes": b"\x00\xff", "set": {1, 2}, "frozen": frozenset({"a"}), "surrogate": "\ud800",
             "\u0000": "the tag key as data", "nested": {1: "int key", True: "bool key", None: "null key",
                                                         2.5: "float key", (1, 2): "tuple key"}}
    same(round_trip(value), value)
    same(from_data(to_data(value)), value)  # without the text step, too
    same(round_trip([]), [])
    same(round_trip({}), {})


def test_a_mapping_holding_the_tag_key_is_data_not_a_tag():
    value = {"\u0000": "o", "c": "os:system", "v": ["rm"]}
    same(round_trip(value), value)


def test_objects_outside_the_allowed_model_types_are_not_stored():
    with pytest.raises(Uncacheable):
        to_data({"f": len})
    with pytest.raises(Uncacheable):
        to_data(object())


@pytest.mark.parametrize("hostile", [
    '{"\\u0000": "o", "c": "os:system", "v": {}}',
    '{"\\u0000": "z", "c": "subprocess:Popen", "j": "{}"}',
    '{"\\u0000": "o", "c": "lintra.model:Span", "v": {"__class__": 1}}',
    '{"\\u0000": "o", "c": "lintra.model:Document", "v": {"\\u0000": "t", "v": [1]}}',
    '{"\\u0000": "q", "v": 1}',
    '{"\\u0000": "b", "v": "not base64!"}',
    '{"\\u0000": "f", "v": "1e999"}',
    '{"\\u0000": "d", "v": [[1]]}',
    '{"\\u0000": "S"}',
    '{"\\u0000": null}',
    # enumerations and plain texts of the full-scan entries
    '{"\\u0000": "e", "c": "os:system", "v": "x"}',
    '{"\\u0000": "e", "c": "lintra.model:Span", "v": "line"}',
    '{"\\u0000": "e", "c": "lintra.vocabulary:Level", "v": "fatal"}',
    '{"\\u0000": "o", "c": "lintra.vocabulary:Level", "v": {}}',
    '{"\\u0000": "j", "v": "1"}',
    '{"\\u0000": "j", "v": "{"}',
    '{"\\u0000": "j", "v": 3}',
])
def test_hostile_entries_are_refused_and_import_nothing_they_name(hostile, monkeypatch):
    import importlib

    imported = []
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: imported.append(name))
    with pytest.raises(BadEntry):
        loads(hostile)
    assert set(imported) <= {name.partition(":")[0] for name in mapcache.ALLOWED}  # only lintra's own


def _pointers(data, prefix=(), limit=400):
    found = [prefix]
    stack = [(prefix, data)]
    while stack and len(found) < limit:
        where, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            found.append(where + (key,))
            stack.append((where + (key,), child))
    return found


def _span_state(span):
    return (span.line, span.column, span.end_line, span.end_column, span.region, span.file, span.condition,
            span.via and (span.via[0], _span_state(span.via[1])), span.rendered)


SAMPLES = [os.path.join(SHARED, *parts) for parts in (
    ("corpus", "examples"), ("corpus", "vsphere-csi-driver", "manifests"),
    ("corpus", "heat-templates", "hot"), ("corpus", "tripleo-heat-templates", "environments"),
    ("vsphere",), ("helm-kustomize", "aws__karpenter-provider-aws"),
    ("helm-kustomize", "kubernetes-sigs__aws-fsx-csi-driver"))]


def test_every_document_of_the_real_trees_round_trips_exactly():
    """Each document every reader makes of real files (Heat, Kubernetes, Kustomize roots, Helm
    charts, vSphere exports) comes back with equal data of equal types, and every span its
    locator gives (keys and values) is the same."""
    samples = [path for path in SAMPLES if os.path.isdir(path)]
    if not samples:
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    registry = load_registry()
    suffixes = {suffix for loader in registry.loaders for suffix in loader.suffixes}
    kinds, stored = set(), 0
    for source in discover(samples, suffixes):
        loaded = load_source(source, registry.loaders, registry.detectors, {})
        try:
            back = round_trip(loaded.documents, source)
        except Uncacheable:
            continue  # a locator kept out of the cache is read each time: nothing to compare
        stored += 1
        assert len(back) == len(loaded.documents)
        for doc, copy in zip(loaded.documents, back):
            assert copy.source is source
            same((copy.index, copy.kind, copy.base), (doc.index, doc.kind, doc.base))
            same(copy.data, doc.data, source.name)
            for pointer in _pointers(doc.data):
                for at in (None, "value"):
                    assert _span_state(copy.span(pointer, at)) == _span_state(doc.span(pointer, at)), \
                        (source.name, pointer, at)
            assert getattr(copy.locator, "related", None) == getattr(doc.locator, "related", None) or \
                [(r.message, r.file, _span_state(r.span)) for r in copy.locator.related] == \
                [(r.message, r.file, _span_state(r.span)) for r in doc.locator.related]
            kinds.add(doc.kind)
    assert stored > 50 and {"heat", "k8s", "vsphere-vm"} <= kinds


def test_a_packed_locator_is_stored_as_positions_not_marshal_bytes(tmp_path):
    from lintra.load.yamltree import parse

    [(data, locator)] = parse("a:\n  b: [1, 2]\n")
    locator.pack()
    assert isinstance(locator.root, bytes)
    stored = json.dumps(to_data(locator))
    back = loads(stored)
    assert back.span(("a", "b", 1)) == Span(2, 10, 2, 11)
    assert isinstance(back.root, tuple)  # positions as data, never bytes to unmarshal


def test_positions_are_stored_as_one_json_text_and_located_only_when_asked():
    from lintra.load.yamltree import YamlLocator, parse

    [(data, locator)] = parse("a:\n  b: [1, 2]\n  80: http\n  true: yes\n  1.5: x\n  ~: n\n")
    entry = json.loads(json.dumps(to_data(locator)))
    assert entry[mapcache._TAG] == "y" and isinstance(entry["v"], str)  # the tree's JSON, not tagged values
    back = loads(json.dumps(entry))
    assert back._real is None  # nothing decoded until a span is asked
    for pointer in [("a", "b", 1), ("a", 80), ("a", True), ("a", 1.5), ("a", None), ("a", "80"), ("a",), ()]:
        for at in (None, "key", "value"):
            assert back.span(pointer, at) == locator.span(pointer, at), (pointer, at)
    assert isinstance(back.real(), YamlLocator) and isinstance(back.root, tuple)


def test_positions_json_cannot_hold_as_they_are_are_stored_as_tagged_values():
    from lintra.load.yamltree import parse

    [(data, locator)] = parse("2001-01-01: day\n.nan: x\n")  # a date and a NaN as keys
    entry = to_data(locator)
    assert entry[mapcache._TAG] == "o"
    back = loads(json.dumps(entry))
    assert back.span((".nan",)) == locator.span((".nan",)) and back.span(()) == locator.span(())


@pytest.mark.parametrize("positions", [
    "[", "1", "[1, 2]", '["map", [1, 1, 1, 1]]', '["map", [1, 1], []]', '["seq", [1, 1, 1, 1], {}]',
    '["map", [1, 1, 1, 1], [["a", [1, 1], [1, 1, 1, 1]]]]',
    '["map", [1, 1, 1, 1], [[["k"], [1, 1, 1, 1], [1, 1, 1, 1]]]]',
    '["seq", [1, 1, 1, 1], [["seq", [1, 1, 1, "x"], []]]]', "[" * 5000 + "]" * 5000,
])
def test_hostile_positions_place_findings_at_the_file_start(positions):
    back = loads(json.dumps({mapcache._TAG: "y", "v": positions}))
    assert back.span(("a", 0)) == Span(1, 1) and back.span(()) == Span(1, 1)


# -- the store -------------------------------------------------------------------------------------

def _plan():
    registry = load_registry()
    rules = list(registry.rules.values())
    return Plan(registry, rules, {}), registry, rules


def test_run_key_changes_with_whatever_changes_what_the_map_keeps(tmp_path):
    from lintra.load import limits

    _, registry, rules = _plan()
    base = run_key(registry, rules, {})
    assert run_key(registry, rules, {}) == base  # stable
    assert run_key(registry, rules[:-1], {}) != base  # another rule set (profile, --select, packs)
    assert run_key(registry, rules, {"rule_params": {"LK110": {"accepted_provisioners": ["x"]}}}) != base
    assert run_key(registry, rules, {"heat_env": ["env.yaml"]}) != base
    with limits.applied({"max_depth": 100}):
        assert run_key(registry, rules, {}) != base
    assert run_key(registry, rules, {}) == base
    pack = tmp_path / "pack.yaml"
    pack.write_text("x")
    packed = [r for r in rules]
    from lintra.model import Rule

    mine = Rule("ZZ001", "mine", "t", "aws", rules[-1].category, "hard", "error", ["k8s"], "r", "m",
                lambda d, s: (), origin=f"{pack} (pack mine)")
    with_pack = run_key(registry, packed + [mine], {})
    os.utime(pack, ns=(1, 1))
    assert run_key(registry, packed + [mine], {}) == with_pack  # touched: the same rules
    pack.write_text("y")
    os.utime(pack, ns=(1, 1))
    assert run_key(registry, packed + [mine], {}) != with_pack  # the pack file changed, its size and time did not
    registry.plugins.append({"name": "acme", "version": "1.0", "hooks": []})
    try:
        assert run_key(registry, rules, {}) != base  # another plugin
    finally:
        registry.plugins.pop()


def test_entries_are_keyed_by_content_and_name(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    plan, registry, rules = _plan()
    store = MapCache.open(registry, rules, {})
    path = tmp_path / "classes.yaml"
    path.write_text(CLASSES)
    first = store.documents(Source(str(path), str(path)), plan.context_read)
    assert (store.hits, store.misses, store.written) == (0, 1, 1)
    again = store.documents(Source(str(path), str(path)), plan.context_read)
    assert store.hits == 1 and [d.data for d in again] == [d.data for d in first]
    path.write_text(CLASSES.replace("csi.vsphere.vmware.com", "ebs.csi.aws.com"))
    changed = store.documents(Source(str(path), str(path)), plan.context_read)
    assert store.hits == 1 and changed[0].data["provisioner"] == "ebs.csi.aws.com"
    other = tmp_path / "copy.yaml"
    other.write_text(CLASSES)  # the first content under another name: its own entry, its own name
    copy = store.documents(Source(str(other), str(other)), plan.context_read)
    assert store.hits == 1 and copy[0].source.name == str(other)


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    plan, registry, rules = _plan()
    store = MapCache.open(registry, rules, {})
    path = tmp_path / "classes.yaml"
    path.write_text(CLASSES)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(mapcache.os, "replace", crash)
    store.documents(Source(str(path), str(path)), plan.context_read)
    assert store.written == 0
    assert [name for _, _, files in os.walk(tmp_path / "cache" / "map") for name in files] == []


def test_an_entry_of_another_file_or_version_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    plan, registry, rules = _plan()
    store = MapCache.open(registry, rules, {})
    path = tmp_path / "classes.yaml"
    path.write_text(CLASSES)
    source = Source(str(path), str(path))
    store.documents(source, plan.context_read)
    [entry] = entries(tmp_path / "cache")
    data = json.loads(open(entry).read())
    for change in ({"schema": 0}, {"file": "elsewhere.yaml"}, {"key": "0" * 64}, {"depends": None}):
        with open(entry, "w") as out:
            json.dump(dict(data, **change), out)
        assert store._read(os.path.basename(entry), source) is None, change


# -- end to end ------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch):
    """test_incremental's repository (the claim switched to a vSphere class defined in an unchanged
    file); the cache outside the repository."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(make_claim_repository(root))
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    return root


def entries(cache_dir):
    return sorted(os.path.join(d, f) for d, _, files in os.walk(os.path.join(cache_dir, "map")) for f in files)


class Counting:
    """Counts the entries runs read back (hits) and the context files they loaded (misses)."""

    def __init__(self, monkeypatch):
        self.hits = self.misses = 0
        original = MapCache.documents
        counter = self

        def documents(store, source, load):
            before = store.hits
            found = original(store, source, load)
            if store.hits > before:
                counter.hits += 1
            else:
                counter.misses += 1
            return found

        monkeypatch.setattr(MapCache, "documents", documents)


def check(*args):
    result = CliRunner().invoke(main, ["check", "--isolated", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


PRE_COMMIT = ("--context", ".", "--", "apps/claim.yaml")
CHANGED = ("--changed-since", "HEAD", "--new-only")


@git_required
@pytest.mark.parametrize("how", [PRE_COMMIT, CHANGED], ids=["pre-commit", "changed-since"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_warm_output_is_byte_identical_to_cold_and_no_cache(repo, monkeypatch, how, fmt):
    counting = Counting(monkeypatch)
    cold = check("-f", fmt, *how)
    assert (counting.hits, counting.misses) == (0, 1)
    warm = check("-f", fmt, *how)
    assert counting.hits == 1  # read back, not parsed again
    bypassed = check("-f", fmt, "--no-cache", *how)
    assert counting.hits == 1 and counting.misses == 1  # --no-cache: neither read nor looked up
    assert cold == warm == bypassed
    assert cold[0] == 1


@git_required
@pytest.mark.parametrize("how", [PRE_COMMIT, CHANGED], ids=["pre-commit", "changed-since"])
def test_the_cross_file_claim_is_reported_from_a_warm_cache(repo, monkeypatch, how):
    counting = Counting(monkeypatch)
    for _ in range(2):
        code, out = check("-f", "json", *how)
        found = [(f["rule_id"], f["file"], f["line"]) for f in json.loads(out)["findings"]]
        assert (code, found) == (1, [("LK110", "apps/claim.yaml", 6)])
    assert counting.hits == 1


@git_required
def test_a_changed_context_file_is_read_again(repo, monkeypatch):
    counting = Counting(monkeypatch)
    assert check("-f", "json", *PRE_COMMIT)[0] == 1
    (repo / "storage-classes.yaml").write_text(CLASSES.replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com"))
    code, out = check("-f", "json", *PRE_COMMIT)
    assert (code, json.loads(out)["findings"]) == (0, [])  # a stale entry would still say LK110
    assert counting.hits == 0 and counting.misses == 2


@git_required
def test_another_configuration_does_not_reuse_entries(repo, tmp_path, monkeypatch):
    counting = Counting(monkeypatch)
    check("-f", "json", *PRE_COMMIT)
    assert len(entries(tmp_path / "cache")) == 1
    check("-f", "json", "--limit", "max_depth=128", *PRE_COMMIT)
    assert counting.hits == 0 and len(entries(tmp_path / "cache")) == 2
    check("-f", "json", "--ignore", "LK102", *PRE_COMMIT)  # another rule set (as a profile or pack gives)
    assert counting.hits == 0 and len(entries(tmp_path / "cache")) == 3
    check("-f", "json", *PRE_COMMIT)
    assert counting.hits == 1 and len(entries(tmp_path / "cache")) == 3


@git_required
@pytest.mark.parametrize("damage", [
    b"", b"{", b"\xff\xfe garbage", b"[]", b'{"schema": 1}', b"null",
    b'{"schema":1,"key":"K","file":"storage-classes.yaml","depends":{},"documents":'
    b'[{"\\u0000":"o","c":"os:system","v":{}}]}',
    b'{"schema":1,"key":"K","file":"storage-classes.yaml","depends":{},"documents":[1, "x"]}',
], ids=["empty", "truncated", "binary", "list", "partial", "null", "foreign-class", "not-documents"])
def test_a_damaged_entry_is_ignored_and_rewritten(repo, tmp_path, monkeypatch, damage):
    clean = check("-f", "json", "--no-cache", *PRE_COMMIT)
    check("-f", "json", *PRE_COMMIT)
    [entry] = entries(tmp_path / "cache")
    with open(entry, "wb") as out:
        out.write(damage.replace(b'"K"', json.dumps(os.path.basename(entry)).encode()))
    counting = Counting(monkeypatch)
    assert check("-f", "json", *PRE_COMMIT) == clean
    assert counting.misses == 1
    assert check("-f", "json", *PRE_COMMIT) == clean and counting.hits == 1  # rewritten whole


@git_required
def test_a_truncated_entry_of_the_real_format_is_ignored(repo, tmp_path, monkeypatch):
    clean = check("-f", "json", "--no-cache", *PRE_COMMIT)
    check("-f", "json", *PRE_COMMIT)
    [entry] = entries(tmp_path / "cache")
    text = open(entry, "rb").read()
    for cut in (len(text) // 3, len(text) // 2, len(text) - 2):
        with open(entry, "wb") as out:
            out.write(text[:cut])
        assert check("-f", "json", *PRE_COMMIT) == clean


@git_required
def test_the_cache_directory_is_not_scanned(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(repo / "cache-in-the-repo"))
    # no shipped form of the built-in packs (as once a pack is edited): they are cached there as JSON
    monkeypatch.setattr(cache, "SHIPPED", str(tmp_path / "nothing-shipped"))
    check("-f", "json", *PRE_COMMIT)
    assert entries(repo / "cache-in-the-repo")
    stored = [name for _, _, files in os.walk(repo / "cache-in-the-repo") for name in files]
    assert any(name.endswith(".json") for name in stored)  # pack cache files: a suffix lintra reads
    code, out = check("-f", "json", ".")
    files = [f["file"] for f in json.loads(out)["files"]]
    assert sorted(files) == ["apps/claim.yaml", "storage-classes.yaml"]
    counting = Counting(monkeypatch)
    check("-f", "json", *PRE_COMMIT)
    assert (counting.hits, counting.misses) == (1, 0)  # the entries themselves were not context


@git_required
def test_cache_show_and_clear(repo, tmp_path):
    check("-f", "json", *PRE_COMMIT)
    shown = CliRunner().invoke(main, ["cache", "show"])
    assert shown.exit_code == 0 and str(tmp_path / "cache") in shown.output
    assert "files: 0" not in shown.output
    (tmp_path / "cache" / "unrelated.txt").write_text("not ours")
    cleared = CliRunner().invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed" in cleared.output
    assert entries(tmp_path / "cache") == []
    assert (tmp_path / "cache" / "unrelated.txt").exists()


def test_no_cache_directory_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", "")
    _, registry, rules = _plan()
    assert MapCache.open(registry, rules, {}) is None
    assert CliRunner().invoke(main, ["cache", "show"]).output.startswith("cache: off")


def test_a_document_comes_back_with_its_own_state_only():
    source = Source("x.yaml", None, b"")
    from lintra.load.yamltree import parse

    [(data, locator)] = parse("kind: Pod\n")
    doc = Document(source, 2, "k8s", data, locator, ("items", 0))
    back = round_trip([doc], source)[0]
    assert (back.source, back.index, back.kind, back.data, back.base) == (source, 2, "k8s", {"kind": "Pod"},
                                                                          ("items", 0))
    assert back.span(()) == doc.span(())


def test_a_deferred_locator_pickles_as_the_locator_it_stands_for():
    import pickle

    from lintra.load.yamltree import YamlLocator, parse

    [(data, locator)] = parse("a: [1, 2]\n")
    source = Source("x.yaml", None, b"")
    back = round_trip([Document(source, 0, "k8s", data, locator)], source)[0]
    assert type(back.locator).__name__ == "DeferredLocator"
    copy = pickle.loads(pickle.dumps(back.locator))
    assert isinstance(copy, YamlLocator) and copy.span(("a", 1)) == locator.span(("a", 1))


def test_cache_clear_leaves_files_lintra_did_not_write(tmp_path, monkeypatch):
    """LINTRA_CACHE_DIR may name a directory holding the user's own files: `cache clear` removes
    lintra's names only (a review found it deleting package.json and *.tmp files)."""
    where = tmp_path / "shared-dir"
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(where))
    theirs = {"package.json": "{}", "tsconfig.json": "{}", "notes.tmp": "x", "README.md": "keep",
              "map/notes.txt": "keep", "map/ab/mine-not.json": "{}", "map/zz/" + "a" * 64: "not a shard"}
    for name, text in theirs.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text)
    ours = ["packs-0123abcd-1f.json", "profiles-89abcdef-2a.json.123.tmp", "map/ab/" + "b" * 64, "map/ab/.tmp-x1y2"]
    for name in ours:
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text("{}")
    shown = CliRunner().invoke(main, ["cache", "show"])
    assert shown.exit_code == 0, shown.output
    cleared = CliRunner().invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed 4" in cleared.output, cleared.output
    for name, text in theirs.items():
        assert (where / name).read_text() == text, name
    assert not any((where / name).exists() for name in ours)


def test_run_key_follows_the_content_of_helm_values_files(tmp_path):
    """A context chart rendered with ``--helm-values`` depends on that file's text, which the
    chart's own files do not show: editing it must miss every entry."""
    from lintra.load.helm import HelmOptions

    _, registry, rules = _plan()
    values = tmp_path / "vals.yaml"
    values.write_text("prov: ebs.csi.aws.com\n")
    options = {"helm": HelmOptions([str(values)])}
    before = run_key(registry, rules, options)
    assert run_key(registry, rules, options) == before
    values.write_text("prov: example.org/other\n")
    assert run_key(registry, rules, options) != before
