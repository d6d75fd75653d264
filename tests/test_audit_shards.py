"""The shard contract, as a Kubernetes Indexed Job or a CI matrix uses it, without a cluster:
200 small git repositories built from the shared corpus, audited by N shard processes (each told
its index by JOB_COMPLETION_INDEX) and merged, equal a single-process ``lintra audit --repos``;
a rerun with ``--cache`` audits nothing again."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, SHARED
from tests.test_audit import volatile_free

REPOSITORIES = 200
SHARDS = 4
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def _small(directory, suffix, limit=3000):
    found = []
    for top, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            if name.endswith(suffix) and os.path.getsize(path) < limit:
                found.append(path)
    return found


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    top = tmp_path_factory.mktemp("estate")
    k8s = _small(os.path.join(CORPUS, "examples"), ".yaml")
    heat = _small(os.path.join(CORPUS, "heat-templates"), ".yaml")
    vmx = _small(os.path.join(SHARED, "vsphere", "vmx"), ".vmx", 100000)
    env = dict(os.environ, **GIT_ENV)
    lines = []
    for i in range(REPOSITORIES):
        root = top / "repos" / f"repo-{i:03}"
        root.mkdir(parents=True)
        picks = [k8s[i % len(k8s)], heat[(i * 7) % len(heat)]] + ([vmx[i % len(vmx)]] if i % 10 == 0 else [])
        for n, source in enumerate(picks):
            with open(source, "rb") as handle:
                (root / f"{n}-{os.path.basename(source)}").write_bytes(handle.read())
        subprocess.run(["sh", "-c", "git init -q && git add -A && git commit -qm corpus"], cwd=root, env=env,
                       check=True)
        # half are cloned from file:// URLs, half audited in place
        lines.append(f"file://{root}" if i % 2 else f"repos/{root.name}")
    repos = top / "REPOS.txt"
    repos.write_text("# generated from ../shared/corpus\n" + "\n".join(lines) + "\n")
    return top, repos


def _lintra(*args, env=None):
    return subprocess.run([sys.executable, "-m", "lintra", "audit", *args], capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, LANG="C.UTF-8", **(env or {})))


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.mark.corpus
def test_shards_merged_equal_one_process_and_the_cache_audits_nothing_again(estate):
    top, repos = estate
    cache = top / "cache"
    single = _lintra("--repos", str(repos), "--cache", str(cache), "-o", str(top / "single.json"))
    assert single.returncode == 0, single.stderr
    assert f"{REPOSITORIES} audited, 0 from cache" in single.stderr
    shards = [subprocess.Popen([sys.executable, "-m", "lintra", "audit", "--repos", str(repos), "--shard",
                                f"auto/{SHARDS}", "-o", str(top / f"shard-{i}.json")],
                               env=dict(os.environ, LANG="C.UTF-8", JOB_COMPLETION_INDEX=str(i)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for i in range(SHARDS)]
    for shard in shards:
        _, err = shard.communicate(timeout=900)
        assert shard.returncode == 0, err
    parts = [_load(top / f"shard-{i}.json") for i in range(SHARDS)]
    assert all(part["repositories"] for part in parts)  # every shard got work
    assert sum(len(part["repositories"]) for part in parts) == REPOSITORIES
    merged = _lintra(*sum((["--merge", str(top / f"shard-{i}.json")] for i in range(SHARDS)), []),
                     "-o", str(top / "merged.json"))
    assert merged.returncode == 0, merged.stderr
    whole = _load(top / "single.json")
    assert volatile_free(_load(top / "merged.json")) == volatile_free(whole)
    assert whole["views"]["summary"]["repositories"] == REPOSITORIES
    assert whole["views"]["summary"]["findings"] > 0
    records = whole["repositories"]
    assert [r["name"] for r in records] == sorted(r["name"] for r in records)
    assert all(r["status"] == "audited" and len(r["commit"]) == 40 for r in records)
    again = _lintra("--repos", str(repos), "--cache", str(cache), "-o", str(top / "again.json"))
    assert again.returncode == 0, again.stderr
    assert f"0 audited, {REPOSITORIES} from cache" in again.stderr
    assert volatile_free(_load(top / "again.json")) == volatile_free(whole)
