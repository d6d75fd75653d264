"""A pre-commit run on one changed file of the shared corpus, with the rest of the repository read
as context, against a run on that file alone (issue 16, item 3).

    python benchmarks/bench_incremental.py [--corpus PATH] [--file REL] [--rounds N]

Each round times four whole processes, interleaved so load changes hit them alike:

- ``alone``: ``lintra check FILE`` (no cross-file reading: the floor of the target);
- ``cold``: ``lintra check --context . -- FILE`` on an empty cache directory;
- ``warm``: the same command again, on the cache the cold run left;
- ``no-cache``: the same with ``--no-cache``.

It checks that cold, warm and no-cache print the same bytes, and reports the median wall and CPU
time of each, the warm/alone ratios (target: at most 3) and the load average before and after.
Targets live here, never in timed unit tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpus"))
#: a Kubernetes manifest and a Heat template, as a commit would change them
FILES = ("vsphere-csi-driver/manifests/vanilla/vsphere-csi-driver.yaml",
         "tripleo-heat-templates/deployment/nova/nova-compute-container-puppet.yaml")


def lintra() -> list:
    found = shutil.which("lintra", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "lintra"]


def timed(command, cwd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout, done.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT)
    parser.add_argument("--file", action="append", help="file relative to the corpus (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not os.path.isdir(args.corpus):
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    base = lintra() + ["check", "--isolated", "--format", "json", "--jobs", "1"]
    load_before = os.getloadavg()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)} "
          f"({os.cpu_count()} CPUs)")
    failed = False
    for rel in args.file or FILES:
        times = {name: [] for name in ("alone", "cold", "warm", "no-cache")}
        outputs = set()
        for _ in range(args.rounds):
            cache_dir = tempfile.mkdtemp(prefix="lintra-bench-cache-")
            try:
                env = dict(os.environ, LINTRA_CACHE_DIR=cache_dir, LANG="C.UTF-8")
                runs = {
                    "alone": base + ["--", rel],
                    "cold": base + ["--context", ".", "--", rel],
                    "warm": base + ["--context", ".", "--", rel],
                    "no-cache": base + ["--no-cache", "--context", ".", "--", rel],
                }
                for name, command in runs.items():
                    wall, cpu, out, code = timed(command, args.corpus, env)
                    times[name].append((wall, cpu))
                    if name != "alone":
                        outputs.add((out, code))
            finally:
                shutil.rmtree(cache_dir, ignore_errors=True)
        median = {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
                  for name, values in times.items()}
        print(f"\n{rel} ({args.rounds} rounds, median)")
        for name, (wall, cpu) in median.items():
            print(f"  {name:9} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
        wall_ratio = median["warm"][0] / median["alone"][0]
        cpu_ratio = median["warm"][1] / median["alone"][1]
        holds = cpu_ratio <= 3
        print(f"  warm/alone: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target <= 3x: "
              f"{'holds' if holds else 'does not hold'} on CPU)")
        if len(outputs) != 1:
            print("  cold, warm and --no-cache printed different output", file=sys.stderr)
            failed = True
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
