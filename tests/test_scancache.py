"""The persistent cache of whole map outcomes, used by full scans (lintra/mapcache.py, the
``scan`` entries): a file a run checks is read and hashed, and when its content, name and run
configuration are unchanged its map outcome (file record, located findings, suppressions, what it
kept for the reduce) is decoded instead of parsed and checked.

Which stage the cache sits after: the **map**. Everything after it runs on every run, from the
decoded outcomes exactly as from fresh ones: the cross-object rules (the reduce), the merge of
duplicates, suppressions, identities, the judgement (profile levels, severity overrides,
sanctioned vendors, ``fail_on``, per-path overrides), the baseline and the reports. What decides
the map's output is in the key: the enabled rules (which a profile, ``--select``/``--ignore`` or
a pack changes), rule params, Helm/Heat options and limits. So a ``.lintra.yaml`` that changes a
param or the enabled rules misses; one that only changes levels hits and is judged afresh. Both
are proven below, against ``--no-cache`` runs of the same configuration.
"""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lintra import mapcache
from lintra.cli import main
from lintra.discover import discover
from lintra.load import load_source
from lintra.mapcache import BadEntry, MapCache, loads, to_data
from lintra.model import Level, Source
from lintra.pipeline import Outcome, Plan
from lintra.plugins import load_registry

from .conftest import SHARED

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREES = [os.path.join(SHARED, name) for name in ("corpus", "helm-kustomize", "vsphere")]
FORMATS = ["json", "sarif", "junit", "github", "gitlab"]


def shared_trees():
    if not all(os.path.isdir(path) for path in TREES):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    return TREES


def scan_entries(cache_dir):
    top = os.path.join(str(cache_dir), "scan")
    return sorted(os.path.join(d, f) for d, _, files in os.walk(top) for f in files if len(f) == 64)


# -- a whole outcome round trips ---------------------------------------------------------------------

def _span(span):
    return None if span is None else (span.line, span.column, span.end_line, span.end_column, span.region,
                                       span.file, span.condition, span.via and (span.via[0], _span(span.via[1])),
                                       span.rendered)


def _finding(f):
    return (f.rule.id, f.level, f.message, f.file, _span(f.span), f.document, f.pointer, json.dumps(f.value),
            f.kind, f.vendor, f.service, f.effort, f.anchor, f.identity_parts, f.conditional, f.built,
            [(r.message, r.file, _span(r.span)) for r in f.related])


def _suppression(s):
    return (s.file, s.lines, sorted(s.rules), s.reason, s.whole_file, s.document, s.scope, _span(s.span), s.used,
            s.object)


def _outcome(outcome, rules):
    return (outcome.record.file, outcome.record.status, outcome.record.kinds, outcome.record.reason,
            outcome.record.documents, outcome.record.notes, outcome.unreadable,
            [_finding(f) for f in outcome.findings(rules)],
            [_suppression(s) for s in outcome.text_suppressions],
            [_suppression(s) for s in outcome.document_suppressions],
            [(d.index, d.kind, d.base, json.dumps(d.data), _span(d.span(()))) for d in outcome.kept])


SAMPLES = [os.path.join(SHARED, *parts) for parts in (
    ("corpus", "examples"), ("corpus", "vsphere-csi-driver", "manifests"), ("corpus", "heat-templates", "hot"),
    ("corpus", "tripleo-heat-templates", "environments"), ("vsphere",))]


def test_every_map_outcome_of_the_real_trees_round_trips_exactly():
    """Each outcome the map step gives for real files (Kubernetes, Heat, environments, vSphere
    exports; findings with related places, levels, suppressions, kept documents) comes back from
    its entry text with the same state, field by field."""
    samples = [path for path in SAMPLES if os.path.isdir(path)]
    if not samples:
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    registry = load_registry()
    plan = Plan(registry, list(registry.rules.values()), {})
    suffixes = {suffix for loader in registry.loaders for suffix in loader.suffixes}
    stored = findings = kept = 0
    for source in discover(samples, suffixes):
        outcome = plan.map(source)
        try:
            text = json.dumps(to_data(outcome.__getstate__(), source), allow_nan=False)
        except mapcache.Uncacheable:
            continue
        back = Outcome.restored(loads(text, source))
        assert _outcome(back, registry.rules) == _outcome(outcome, registry.rules), source.name
        assert all(doc.source is source for doc in back.kept)
        stored += 1
        findings += len(back.findings(registry.rules))
        kept += len(back.kept)
    assert stored > 300 and findings > 100 and kept > 50


def test_a_level_round_trips_as_the_enumeration_member():
    back = loads(json.dumps(to_data([Level.error, (Level.info,)])))
    assert back == [Level.error, (Level.info,)] and type(back[0]) is Level


def test_a_documents_plain_data_goes_whole_and_anything_else_value_by_value():
    from lintra.load.yamltree import parse

    source = Source("x.yaml", None, b"")
    [(data, locator)] = parse("a: [1, {b: 2}]\n")
    from lintra.model import Document

    plain = to_data(Document(source, 0, "k8s", data, locator), source)
    assert plain["v"]["v"][3] == {"\u0000": "j", "v": '{"a":[1,{"b":2}]}'}  # one JSON text
    odd = {1: "an int key", "t": (1, 2), "nan": float("nan")}
    back = loads(json.dumps(to_data(Document(source, 0, "k8s", odd, locator), source)), source)
    assert back.data.keys() == odd.keys() and back.data["t"] == (1, 2) and back.data["nan"] != back.data["nan"]


# -- the store, in process ---------------------------------------------------------------------------

class Counted:
    """Counts what runs took from scan entries (hits) and mapped (misses)."""

    def __init__(self, monkeypatch):
        self.hits = self.misses = 0
        original = MapCache.outcome
        counter = self

        def outcome(store, source, *args):
            before = store.hits
            found = original(store, source, *args)
            if store.hits > before:
                counter.hits += 1
            else:
                counter.misses += 1
            return found

        monkeypatch.setattr(MapCache, "outcome", outcome)

    def reset(self):
        counts, self.hits, self.misses = (self.hits, self.misses), 0, 0
        return counts


def check(*args):
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-color", "--cache", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


CLAIM = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data{i}\n"
         "spec:\n  storageClassName: vsan\n")
CLASS = ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: vsan\n"
         "provisioner: csi.vsphere.vmware.com\n")
SUPPRESSED = ("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: old\nspec:\n"
              "  vsphereVolume:  # lintra: ignore[LK101] migrating in Q3\n    volumePath: \"[ds] v.vmdk\"\n")
UNUSED = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c  # lintra: ignore[LK107] nothing here\n"
ANNOTATED = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
             "    lintra.io/ignore: \"LK202: the team owns the NLB\"\n"
             "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\nspec:\n  type: LoadBalancer\n")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository of more files than a cached run needs, with cross-file coupling (claims and
    the vSphere class they name), inline and annotation suppressions and an unused one; the cache
    outside it."""
    root = tmp_path / "repo"
    (root / "apps").mkdir(parents=True)
    for i in range(mapcache.SCAN_FROM_FILES):
        (root / "apps" / f"claim{i}.yaml").write_text(CLAIM.format(i=i))
    (root / "storage.yaml").write_text(CLASS)
    (root / "pv.yaml").write_text(SUPPRESSED)
    (root / "cm.yaml").write_text(UNUSED)
    (root / "svc.yaml").write_text(ANNOTATED)
    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    return root


FILES = mapcache.SCAN_FROM_FILES + 4


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit", "github", "gitlab"])
def test_a_warm_run_reads_every_file_back_and_says_what_a_cold_one_says(repo, monkeypatch, fmt):
    counted = Counted(monkeypatch)
    cold = check("-f", fmt, ".")
    assert counted.reset() == (0, FILES)
    warm = check("-f", fmt, ".")
    assert counted.reset() == (FILES, 0)  # decoded, not parsed and checked
    bypassed = check("-f", fmt, "--no-cache", ".")
    assert counted.reset() == (0, 0)
    assert cold == warm == bypassed
    assert cold[0] == 1
    if fmt == "json":
        found = sorted((f["rule_id"], f["file"], f["line"], f["suppressed"]) for f in json.loads(cold[1])["findings"])
        # the cross-file claims (reduce), the unused suppression (LT003, filter) and the two
        # suppressed findings all come out of a warm run
        assert ("LK110", "apps/claim0.yaml", 6, False) in found
        assert ("LT003", "cm.yaml", 4, False) in found
        assert ("LK101", "pv.yaml", 6, True) in found and ("LK202", "svc.yaml", 7, True) in found


def test_a_changed_file_misses_and_the_others_hit(repo, monkeypatch):
    counted = Counted(monkeypatch)
    check("-f", "json", ".")
    counted.reset()
    (repo / "storage.yaml").write_text(CLASS.replace("csi.vsphere.vmware.com", "rbd.csi.ceph.com"))
    (repo / "pv.yaml").write_text(SUPPRESSED.replace("# lintra: ignore[LK101] migrating in Q3", ""))
    warm = check("-f", "json", ".")
    assert counted.reset() == (FILES - 2, 2)
    assert warm == check("-f", "json", "--no-cache", ".")
    found = [(f["rule_id"], f["file"], f["suppressed"]) for f in json.loads(warm[1])["findings"]]
    assert not any(rule == "LK110" for rule, _, _ in found)  # a stale class would still couple the claims
    assert ("LK101", "pv.yaml", False) in found  # a stale suppression would still hide it


LEVELS = "severity:\n  LK110: info\nfail_on: error\nsanctioned_vendors: [vmware]\n"
PARAMS = "rules:\n  LK110:\n    params:\n      extra_provisioners: {rbd.csi.ceph.com: redhat}\n"


@pytest.mark.parametrize("config, hits", [
    # the built-in profiles enable the same rules and set other levels: read back, judged afresh
    ("profile: agile\n", True),
    ("profile: conservative\n", True),
    (LEVELS, True),  # levels, fail_on, sanctioned vendors: likewise
    (PARAMS, False),  # a param: the map's rules may say otherwise, every entry is missed
    ("ignore: [LK202]\n", False),  # another rule set: likewise
])
def test_a_configuration_change_between_runs(repo, monkeypatch, config, hits):
    counted = Counted(monkeypatch)
    result = CliRunner().invoke(main, ["check", "--no-color", "--cache", "-f", "json", "."])  # no .lintra.yaml yet
    assert result.exit_code == 1
    counted.reset()
    (repo / ".lintra.yaml").write_text(config)
    runner = CliRunner()
    warm = runner.invoke(main, ["check", "--no-color", "--cache", "-f", "json", "."])
    counts = counted.reset()
    bypassed = runner.invoke(main, ["check", "--no-color", "--cache", "-f", "json", "--no-cache", "."])
    assert (warm.exit_code, warm.stdout) == (bypassed.exit_code, bypassed.stdout)
    # the new .lintra.yaml is a file of the scan too: mapped for the first time
    if hits:
        assert counts == (FILES, 1)
    else:
        assert counts == (0, FILES + 1)
    if config == LEVELS:
        assert warm.exit_code == 0  # LK110 at info, vmware sanctioned: judged after the cache


def test_a_baseline_accepts_what_a_warm_run_reads_back(repo, monkeypatch):
    baseline = str(repo.parent / "baseline.yaml")
    result = CliRunner().invoke(main, ["baseline", "create", "--isolated", "--cache", "-o", baseline, "."])
    assert result.exit_code == 0, result.output
    (repo / "apps" / "claim0.yaml").write_text(CLAIM.format(i=0) + "  volumeName: new\n")
    counted = Counted(monkeypatch)
    cold = check("-f", "json", "--baseline", baseline, ".")
    assert counted.reset() == (FILES - 1, 1)  # the baseline's own run wrote the others' entries
    warm = check("-f", "json", "--baseline", baseline, ".")
    assert counted.reset() == (FILES, 0)
    assert cold == warm == check("-f", "json", "--baseline", baseline, "--no-cache", ".")
    assert cold[0] == 0 and json.loads(cold[1])["summary"]["baselined"] > 0


def test_a_run_of_few_files_does_not_open_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    opened = []
    real = MapCache.open.__func__

    def spy(cls, *args, **kwargs):
        opened.append(kwargs.get("kind", "map"))
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(MapCache, "open", classmethod(spy))
    for i in range(mapcache.SCAN_FROM_FILES - 1):
        (tmp_path / f"claim{i}.yaml").write_text(CLAIM.format(i=i))
    check("-f", "json", str(tmp_path))
    assert opened == []  # a pre-commit batch pays neither the key nor the writes
    (tmp_path / "one-more.yaml").write_text(CLASS)
    check("-f", "json", str(tmp_path))
    assert opened == ["scan"]


def test_charts_and_kustomize_roots_are_mapped_each_time(tmp_path, monkeypatch):
    """Their documents are built from other files: never stored as a scan entry."""
    trees = [os.path.join(SHARED, "helm-kustomize", name) for name in
             ("kubernetes-sigs__aws-fsx-csi-driver", "bitnami-labs__sealed-secrets")]
    if not all(os.path.isdir(path) for path in trees):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    check("-f", "json", *trees)
    stored = {json.load(open(path))["file"] for path in scan_entries(tmp_path / "cache")}
    assert stored and not any(os.path.basename(name).lower() in ("chart.yaml", "kustomization.yaml")
                              for name in stored)
    assert not any("/charts/" in name for name in stored)  # a chart's files come with its Chart.yaml
    assert any(name.endswith("deploy/kubernetes/base/csidriver.yaml") for name in stored)  # read alone


def test_a_template_is_keyed_by_whether_a_chart_holds_it(tmp_path, monkeypatch):
    """A file under templates/ is skipped as a Helm template only while a Chart.yaml sits above
    it: the entry key says which, so adding or removing the chart is not answered from the cache."""
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "tree"
    (root / "templates").mkdir(parents=True)
    for i in range(mapcache.SCAN_FROM_FILES):
        (root / f"claim{i}.yaml").write_text(CLAIM.format(i=i))
    (root / "templates" / "svc.yaml").write_text(ANNOTATED.replace("name: web", "name: {{ .Values.name }}"))

    def reason():
        code, out = check("-f", "json", str(root))
        [record] = [r for r in json.loads(out)["files"] if r["file"].endswith("svc.yaml")]
        return record["status"], record.get("reason"), out

    alone = reason()
    assert alone == reason()
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    charted = reason()
    (root / "Chart.yaml").unlink()
    assert reason() == alone
    assert charted[:2] != alone[:2]
    monkeypatch.setenv("LINTRA_CACHE_DIR", "")
    assert reason() == alone


@pytest.mark.parametrize("damage", [
    lambda e: dict(e, outcome="x"),
    lambda e: dict(e, file="other.yaml"),
    lambda e: dict(e, schema=0),
    lambda e: _finding_state(e, lambda state: state.update(no_such_slot=1)),
    lambda e: _finding_state(e, lambda state: state.update(span="1:1")),
    lambda e: _finding_state(e, lambda state: state.update(level=3)),
    lambda e: _finding_state(e, lambda state: state.update(message=None)),
    lambda e: _finding_state(e, lambda state: state.update(related=[])),
], ids=["outcome", "file", "schema", "slot", "span", "level", "message", "related"])
def test_a_damaged_outcome_entry_is_a_miss_and_is_rewritten(repo, monkeypatch, damage):
    clean = check("-f", "json", "--no-cache", ".")
    check("-f", "json", ".")
    [entry] = [path for path in scan_entries(repo.parent / "cache") if json.load(open(path))["file"] == "pv.yaml"]
    with open(entry) as stored:
        damaged = damage(json.load(stored))
    with open(entry, "w") as out:
        json.dump(damaged, out)
    counted = Counted(monkeypatch)
    assert check("-f", "json", ".") == clean
    assert counted.reset() == (FILES - 1, 1)
    assert check("-f", "json", ".") == clean and counted.reset() == (FILES, 0)  # rewritten whole


def _finding_state(entry, change):
    """Apply ``change`` to the state dict of the first finding stored in ``entry``."""
    state = entry["outcome"]["v"]
    findings = state[2]
    first = findings[0]["v"][1]  # (rule id, state): a tagged tuple
    if "\u0000" in first:  # a mapping stored as pairs
        raise AssertionError("unexpected shape")
    change(first)
    return entry


# -- the bound ---------------------------------------------------------------------------------------

def _entry(where, name, size, age):
    path = where / "scan" / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (1_000_000 + age, 1_000_000 + age))
    return path


def test_the_cache_is_bounded_least_recently_used_first(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    paths = [_entry(tmp_path, f"{i:02x}" + "0" * 62, 1000, age=i) for i in range(10)]  # 0 is the oldest
    theirs = tmp_path / "scan" / "00" / "notes.txt"
    theirs.write_text("not ours")
    stale = tmp_path / "scan" / "00" / ".tmp-abc"
    stale.write_text("half")
    os.utime(stale, (0, 0))
    assert mapcache.bound(20_000) == 1  # under the bound: only the dead temporary goes
    assert all(path.exists() for path in paths)
    assert mapcache.bound(8_000) == 4  # over it: down to EVICT_TO of it (6,000), oldest first
    assert [path.exists() for path in paths] == [False] * 4 + [True] * 6
    assert theirs.exists()


def test_an_entry_in_use_is_refreshed_so_it_is_evicted_last(repo, tmp_path, monkeypatch):
    check("-f", "json", ".")
    entries = scan_entries(tmp_path / "cache")
    for path in entries:
        os.utime(path, (1000, 1000))  # written long ago
    (repo / "cm.yaml").write_text(UNUSED + "data:\n  a: b\n")
    check("-f", "json", ".")  # every other file reads its entry back
    times = [(json.load(open(path))["file"], os.stat(path).st_mtime) for path in scan_entries(tmp_path / "cache")]
    assert sum(1 for _, t in times if t > 1000) == FILES  # the hits and the new cm.yaml entry
    assert [name for name, t in times if t == 1000] == ["cm.yaml"]  # the old cm.yaml entry, first to go


def test_a_run_settles_the_bound_at_most_every_so_often(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_MAX_MB", "0.001")  # about 1 KB: smaller than what one run writes
    check("-f", "json", ".")
    first = len(scan_entries(tmp_path / "cache"))
    assert first < FILES  # the run that wrote them bounded them
    check("-f", "json", "--no-cache", ".")
    (repo / "cm.yaml").write_text(UNUSED + "data:\n  a: b\n")
    check("-f", "json", ".")
    assert len(scan_entries(tmp_path / "cache")) > first  # within BOUND_EVERY: not looked at again
    stamp = tmp_path / "cache" / "scan" / ".bounded"
    os.utime(stamp, (1000, 1000))
    check("-f", "json", ".")
    assert len(scan_entries(tmp_path / "cache")) <= first
    monkeypatch.setenv("LINTRA_CACHE_MAX_MB", "not a number")
    assert mapcache.max_bytes() == mapcache.DEFAULT_BOUND


def test_cache_show_and_clear_count_scan_entries(repo, tmp_path):
    check("-f", "json", ".")
    assert len(scan_entries(tmp_path / "cache")) == FILES
    shown = CliRunner().invoke(main, ["cache", "show"])
    files = int(shown.output.split("files: ")[1].split()[0])
    assert files >= FILES
    cleared = CliRunner().invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert scan_entries(tmp_path / "cache") == []
    assert not (tmp_path / "cache" / "scan").exists()


# -- end to end, real processes, the shared trees --------------------------------------------------

def _reports(args, out, cache_dir):
    out.mkdir()
    argv = [sys.executable, "-m", "lintra", "check", "--isolated", "--no-color", "--cache", *args]
    for fmt in FORMATS:
        argv += ["--format", fmt, "--output", str(out / f"report.{fmt}")]
    argv += ["--format", "text"]
    env = dict(os.environ, LANG="C.UTF-8", LINTRA_CACHE_DIR=str(cache_dir))
    proc = subprocess.run(argv, capture_output=True, cwd=ROOT, env=env)
    reports = {fmt: (out / f"report.{fmt}").read_bytes() for fmt in FORMATS}
    reports["text"] = proc.stdout
    return proc.returncode, proc.stderr, reports


def test_cold_warm_and_no_cache_runs_write_byte_identical_reports_on_the_shared_trees(tmp_path):
    """Every format, one and two jobs, the default profile and agile: the first run (workers
    writing the entries), warm runs in one and two processes, and runs without the cache."""
    trees = shared_trees()
    cache_dir = tmp_path / "cache"
    runs = {
        "cold, 2 jobs": ["--jobs", "2"],
        "warm, 1 job": ["--jobs", "1"],
        "warm, 2 jobs": ["--jobs", "2"],
        "no cache": ["--jobs", "1", "--no-cache"],
    }
    results = {name: _reports([*args, *trees], tmp_path / str(i), cache_dir)
               for i, (name, args) in enumerate(runs.items())}
    assert len(scan_entries(cache_dir)) > 2000
    expected = results["no cache"]
    assert expected[0] == 1 and expected[1] == b""
    assert b"LK110" in expected[2]["json"] and b"LH" in expected[2]["json"]
    for name, (code, err, reports) in results.items():
        assert (code, err) == expected[:2], name
        for fmt in reports:
            assert reports[fmt] == expected[2][fmt], (name, fmt)
    corpus = trees[:1]  # another profile on the entries the default one wrote (the corpus alone: time)
    agile = _reports(["-p", "agile", "--jobs", "2", *corpus], tmp_path / "agile", cache_dir)
    agile_bypassed = _reports(["-p", "agile", "--no-cache", *corpus], tmp_path / "agile-no-cache", cache_dir)
    assert agile == agile_bypassed
    assert b'"profile": "agile"' in agile[2]["json"]


PACK = """\
pack: {name: p, version: 1}
rules:
  - id: XX001
    name: team-foo
    title: ConfigMap of team foo
    vendor: other
    category: management
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: r
    remediation: m
    match: {path: data.team, regex: "^foo$"}
    message: "team {value}"
"""

def test_a_pack_edited_without_changing_its_size_or_time_misses(repo, tmp_path):
    """``cp -p``, ``rsync -t`` and restored CI workspaces keep a file's size and time: the key
    holds each rule file's content, so the rule's old text never answers for its new one."""
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    (repo / "team.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  team: foo\n")
    _, first = check("-f", "json", "--pack", str(pack), ".")
    assert [f["line"] for f in json.loads(first)["findings"] if f["rule_id"] == "XX001"] == [6]  # team: foo
    before = os.stat(pack)
    pack.write_text(PACK.replace("^foo$", "^baz$"))  # same size
    os.utime(pack, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(pack).st_size == before.st_size
    _, second = check("-f", "json", "--pack", str(pack), ".")
    assert [f for f in json.loads(second)["findings"] if f["rule_id"] == "XX001"] == []
    assert second == check("-f", "json", "--no-cache", "--pack", str(pack), ".")[1]


@pytest.mark.parametrize("text", ["inf", "1e400", "-inf", "nan", "abc", ""])
def test_a_bound_no_number_can_hold_falls_back_to_the_default(monkeypatch, text):
    monkeypatch.setenv("LINTRA_CACHE_MAX_MB", text)
    assert mapcache.max_bytes() == mapcache.DEFAULT_BOUND


def test_a_run_that_only_writes_context_entries_bounds_the_cache(repo, tmp_path, monkeypatch):
    """A pre-commit run checks a few files (too few for the scan cache) and reads the rest of
    the repository as context through the cache: it bounds what it wrote."""
    monkeypatch.setenv("LINTRA_CACHE_MAX_MB", "0")
    check("-f", "json", "--context", ".", "apps/claim0.yaml")
    assert (tmp_path / "cache" / "scan" / ".bounded").exists()
    left = [name for _, _, names in os.walk(tmp_path / "cache" / "map") for name in names]
    assert left == []


def test_a_plain_check_writes_no_scan_entries(repo, tmp_path):
    """Writing the entries costs a first run 1.4-1.8x (benchmarks/bench.py section 1), and a CI
    job on a fresh machine never reads them back: full scans use the cache when asked."""
    CliRunner().invoke(main, ["check", "--isolated", "--no-color", "-f", "json", "."])
    assert scan_entries(tmp_path / "cache") == []
    check("-f", "json", ".")
    assert len(scan_entries(tmp_path / "cache")) == FILES
