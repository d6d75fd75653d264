"""``--jobs``: the map step in worker processes gives exactly the output of one process, and the
map/reduce split keeps only what cross-object rules need."""

import os
import subprocess
import sys

import pytest

from lintra import parallel
from lintra.pipeline import Plan, run
from lintra.plugins import load_registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
FORMATS = ["json", "sarif", "junit", "github", "gitlab"]


def _check(paths, jobs, out):
    args = [sys.executable, "-m", "lintra", "check", "--isolated", "--no-color", "--jobs", str(jobs), *paths]
    for fmt in FORMATS:
        args += ["--format", fmt, "--output", str(out / f"report.{fmt}")]
    args += ["--format", "text"]
    env = dict(os.environ, LANG="C.UTF-8")
    proc = subprocess.run(args, capture_output=True, cwd=ROOT, env=env)
    reports = {fmt: (out / f"report.{fmt}").read_bytes() for fmt in FORMATS}
    reports["text"] = proc.stdout
    return proc.returncode, reports, proc.stderr


def test_two_jobs_write_byte_identical_reports_on_the_shared_corpus(tmp_path):
    paths = [os.path.join(SHARED, name) for name in ("corpus", "helm-kustomize", "vsphere")]
    if not all(os.path.isdir(path) for path in paths):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    code_one, one, err_one = _check(paths, 1, tmp_path / "one")
    code_two, two, err_two = _check(paths, 2, tmp_path / "two")
    assert (code_one, err_one) == (code_two, err_two) == (1, b"")
    assert b"LK110" in one["json"] and b"LH" in one["json"]  # cross-object Kubernetes and Heat findings
    for fmt in one:
        assert one[fmt] == two[fmt], fmt


def test_a_small_run_stays_in_process(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a run below the threshold started workers")

    monkeypatch.setattr(parallel, "ordered_map", refuse)
    for i in range(parallel.PARALLEL_FROM_FILES - 2):  # and the class: one file short of the threshold
        (tmp_path / f"pvc{i}.yaml").write_text(
            f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\nspec:\n  storageClassName: fast\n")
    (tmp_path / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
                                      "provisioner: ebs.csi.aws.com\n")
    result = run([str(tmp_path)], jobs=8)
    assert len([f for f in result.findings if f.rule.id == "LK110"]) == parallel.PARALLEL_FROM_FILES - 2


def test_workers_find_what_one_process_finds(tmp_path):
    """Claims in one file per claim, the class they name in another: the cross-object rule sees
    both from different workers."""
    for i in range(parallel.PARALLEL_FROM_FILES + 10):
        (tmp_path / f"pvc{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\nspec:\n"
            f"  storageClassName: fast\n")
    (tmp_path / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
                                      "provisioner: ebs.csi.aws.com\n")
    located = [[(f.rule.id, f.file, f.span.line, f.span.column, f.message, [(r.file, r.span.line) for r in f.related])
                for f in run([str(tmp_path)], jobs=jobs).findings] for jobs in (1, 2)]
    assert located[0] == located[1]
    assert [item[:4] for item in located[0] if item[0] == "LK110"][0] == \
        ("LK110", str(tmp_path / "pvc000.yaml"), 6, 21)
    assert located[0][0][5] == [(str(tmp_path / "sc.yaml"), 5)]


def test_only_documents_a_cross_object_rule_needs_are_kept(tmp_path):
    registry = load_registry()
    plan = Plan(registry, list(registry.rules.values()), None)
    from lintra.model import Source

    def kept(text, name="x.yaml"):
        outcome = plan.map(Source(name, None, text.encode()))
        return [doc.data.get("kind") for doc in outcome.kept]

    assert kept("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: ClusterIP}\n") == []
    assert kept("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n") == []
    assert kept("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n"
                "      containers: [{name: c, image: x}]\n") == []
    assert kept("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n"
                "      serviceAccountName: app\n      containers: [{name: c, image: x}]\n") == ["Deployment"]
    for kind in ("StorageClass", "ServiceAccount", "Ingress", "IngressClass", "SecretProviderClass"):
        assert kept(f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: n}}\n") == [kind]
    # the Heat bundle: a template whose rules all ran in the map and that no rule on another
    # document reads is not kept; a parent (it names a nested template) and an environment are
    assert kept("heat_template_version: 2018-08-31\nresources: {}\n") == []
    assert kept("heat_template_version: 2018-08-31\nresources: {n: {type: net.yaml}}\n") == [None]
    assert kept("parameter_defaults: {A: 1}\n", "env.yaml") == [None]


def test_cross_object_rules_are_those_that_declare_what_they_need():
    registry = load_registry()
    plan = Plan(registry, list(registry.rules.values()), None)
    cross = {rule.id for rule in plan.cross}
    assert {"LK110", "LK111", "LK112", "LK114", "LK115"} <= cross
    assert "LK113" not in cross  # a class object is judged on its own
    assert all(rule.id.startswith("LH") or rule.id in cross for rule in plan.cross)
    heat_pack = [r for r in registry.rules.values() if "heat" in r.kinds and r.origin.endswith(")")]
    assert heat_pack and all(r.id in cross for r in heat_pack)  # get_param reads other files


def test_available_cpus_honours_the_cgroup_quota(tmp_path):
    proc = tmp_path / "cgroup"
    root = tmp_path / "fs"
    (root / "kubepods" / "pod1").mkdir(parents=True)
    proc.write_text("0::/kubepods/pod1\n")
    (root / "kubepods" / "cpu.max").write_text("400000 100000\n")
    (root / "kubepods" / "pod1" / "cpu.max").write_text("200000 100000\n")
    assert parallel.cgroup_cpu_limit(str(proc), str(root)) == 2.0
    (root / "kubepods" / "pod1" / "cpu.max").write_text("max 100000\n")
    assert parallel.cgroup_cpu_limit(str(proc), str(root)) == 4.0
    v1 = tmp_path / "v1"
    (v1 / "cpu,cpuacct" / "docker" / "abc").mkdir(parents=True)
    (v1 / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_quota_us").write_text("150000\n")
    (v1 / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_period_us").write_text("100000\n")
    proc.write_text("4:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc\n")
    assert parallel.cgroup_cpu_limit(str(proc), str(v1)) == 1.5
    proc.write_text("0::/\n")
    assert parallel.cgroup_cpu_limit(str(proc), str(tmp_path / "none")) is None
    assert 1 <= parallel.available_cpus() <= (os.cpu_count() or 1)


def test_a_bare_outcome_travels_marshalled_and_arrives_as_it_left():
    """Most files of a run come back from a worker with their record alone (skipped, or clean
    with nothing kept): those travel as plain data, not pickled; any other outcome is pickled."""
    import pickle

    from lintra import pipeline
    from lintra.model import Source

    registry = load_registry()
    plan = Plan(registry, list(registry.rules.values()), None)
    sources = {
        "skipped": Source("notes.yaml", None, b"just: some\nsettings: here\n"),
        "clean": Source("cm.yaml", None, b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
        "kept": Source("sc.yaml", None, b"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: f}\n"
                                        b"provisioner: ebs.csi.aws.com\n"),
    }
    sent = {name: pipeline._map_in_worker(plan, source) for name, source in sources.items()}
    assert sent["skipped"][:1] == sent["clean"][:1] == pipeline._BARE
    assert sent["kept"][:1] != pipeline._BARE and pickle.loads(sent["kept"]).kept
    for name, source in sources.items():
        arrived = pipeline._received(plan, source, sent[name])
        expected = plan.map(source)
        assert arrived.record.__getstate__() == expected.record.__getstate__()
        assert (arrived.unreadable, len(arrived.kept), arrived.settled, arrived.also) == \
            (expected.unreadable, len(expected.kept), expected.settled, expected.also)
    assert pipeline._received(plan, sources["skipped"], sent["skipped"]).record.status == "skipped"
