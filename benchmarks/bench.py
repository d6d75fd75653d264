"""lintra against its floor and its peers, whole processes, interleaved, from one command.

    python benchmarks/bench.py [--repeat N] [--quick] [--corpus PATH] [--peers-venv DIR]

Every measurement is a whole process started with ``subprocess`` (start-up included), repeated N
times with lintra and what it is compared with run one after the other in each round, so that a
machine shared with others loads both alike; the median is reported, and ratios are computed from
medians of the same run. Wall time, CPU time (user+system of the process and its children) and peak
RSS (``ru_maxrss`` of the children) come from ``os.wait4``; for ``--jobs 2`` on the copies the RSS
is the sum of the parent's and each worker's own peak (``VmHWM`` polled under ``/proc``).

What it prints:

1. whole shared corpus (``../shared/corpus``, default profile): ``lintra check --jobs 1`` and
   ``--jobs 2`` against the floor: libyaml ``compose_all`` (CSafeLoader) over every YAML file
   lintra parses (``json.loads`` for JSON), files already read, in one process. A cold run is
   what a user's first run pays by default (what a CI job on a fresh machine pays), in a fresh
   empty cache directory; beside it the same runs with ``--no-cache``, the first ``--cache`` run
   (which writes every file's entry) and repeated ``--cache`` runs with a warm map cache
   (sections 2 and 4 are cold default runs too);
2. 1x / 4x / 16x copies of the corpus (symlinks-free copies under a temporary directory): wall
   and peak RSS with ``--jobs 1`` and ``--jobs 2``;
3. one small file (what a pre-commit hook pays) against ``python -c "import yaml"``, without a
   configuration file and with an unchanged ``.lintra.yaml``;
4. one 20 MB multi-document file, made by the recipe below, against its floor;
5. checkov and yamllint on ``corpus/examples`` and ``corpus/vsphere-csi-driver`` when they are
   installed (``--peers-venv`` names a venv holding ``benchmarks/requirements.txt``); checkov runs
   offline with ``--framework kubernetes``.

The 20 MB recipe: every YAML document of ``corpus/examples`` and ``corpus/vsphere-csi-driver``
that parses and has ``apiVersion`` and ``kind`` (sorted by file path), re-serialised with
``yaml.safe_dump`` and joined with ``---`` lines, repeated in that order until the text reaches
20 MiB.

Python modules are byte-compiled first (as a pip install does), since ``PYTHONDONTWRITEBYTECODE``
would otherwise make every lintra start compile its own sources.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
YAML_SUFFIXES = (".yaml", ".yml", ".hot", ".template", ".env")
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
               "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
TARGET_MB = 20


def measure(argv, cwd=None, env=None, summed=False):
    """(wall s, cpu s, peak RSS MB) of one process and its children. The peak is the largest
    process's (``ru_maxrss``), or with ``summed`` the sum of every process's own peak (what
    ``--jobs 2`` costs the machine): :func:`_peaks_of_tree` polls each process's ``VmHWM``."""
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = _peaks_of_tree(proc.pid) if summed else {}
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss / 1024
    return wall, usage.ru_utime + usage.ru_stime, max(largest, sum(peaks.values()) / 1024) if summed else largest


def _peaks_of_tree(pid, interval=0.005):
    """pid -> peak RSS in KiB (``VmHWM``, which only grows) of ``pid`` and its descendants,
    polled until ``pid`` exits (it stays a zombie until waited for, so the loop sees it end). A
    peak reached in a process's last few milliseconds may be missed: a lower bound, then."""
    peaks = {}
    while True:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return peaks
        except OSError:
            return peaks
        stack = [pid]
        while stack:
            current = stack.pop()
            try:
                with open(f"/proc/{current}/status") as handle:
                    for row in handle:
                        if row.startswith("VmHWM:"):
                            peaks[current] = max(peaks.get(current, 0), int(row.split()[1]))
                            break
                for task in os.listdir(f"/proc/{current}/task"):
                    with open(f"/proc/{current}/task/{task}/children") as handle:
                        stack.extend(int(child) for child in handle.read().split())
            except (OSError, ValueError):
                continue
        time.sleep(interval)


def lintra_argv(*args):
    """The ``lintra`` console script beside this interpreter (what pre-commit runs), else ``-m``."""
    script = os.path.join(os.path.dirname(sys.executable), "lintra")
    return ([script] if os.path.exists(script) else [sys.executable, "-m", "lintra"]) + ["check", *args]


def floor_argv(paths_file):
    code = (
        "import json, sys, yaml\n"
        "paths = json.load(open(sys.argv[1]))\n"
        "texts = [open(p, 'rb').read() for p in paths]\n"
        "import time\nt = time.perf_counter()\nc = time.process_time()\n"
        "for p, d in zip(paths, texts):\n"
        "    try:\n"
        "        if p.endswith('.json'):\n"
        "            json.loads(d)\n"
        "        else:\n"
        "            for _ in yaml.compose_all(d, Loader=yaml.CSafeLoader):\n"
        "                pass\n"
        "    except Exception:\n"
        "        pass\n"
        "print(time.perf_counter() - t, time.process_time() - c)\n")
    return [sys.executable, "-c", code, paths_file]


def floor_time(paths_file):
    """The floor's own parse (wall, cpu) time, printed by the process: reading is not parsing."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(floor_argv(paths_file), capture_output=True, text=True, env=env, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def parsed_files(corpus):
    """The YAML/JSON files lintra reads in ``corpus`` (every file its JSON report lists with
    one of those suffixes: a file skipped as "not an infrastructure document" was parsed too)."""
    out = subprocess.run(lintra_argv("--isolated", "--jobs", "1", "-f", "json", corpus), capture_output=True,
                         text=True, cwd=ROOT)
    report = json.loads(out.stdout)
    return [f["file"] for f in report["files"] if f["file"].endswith(YAML_SUFFIXES + (".json",))]


def rounds(commands, repeat):
    """Median (wall, cpu, rss) per named command, the commands interleaved in each round."""
    samples = {name: [] for name in commands}
    for _ in range(repeat):
        for name, call in commands.items():
            samples[name].append(call())
    return {name: tuple(statistics.median(s[i] for s in values) for i in range(3)) for name, values in samples.items()}


def cold(argv, work, summed=False):
    """:func:`measure` of a run as a user's first one is by default: with the map cache on, in a
    fresh empty cache directory (removed afterwards), so the run pays for writing its entries."""
    where = tempfile.mkdtemp(prefix="cold-cache-", dir=work)
    try:
        return measure(argv, ROOT, {"LINTRA_CACHE_DIR": where}, summed=summed)
    finally:
        shutil.rmtree(where, ignore_errors=True)


def copies(corpus, n, into):
    target = os.path.join(into, f"x{n}")
    if not os.path.isdir(target):
        for i in range(n):
            shutil.copytree(corpus, os.path.join(target, f"copy{i}"), symlinks=True)
    return target


def twenty_mb(corpus, into):
    import yaml

    path = os.path.join(into, "twenty.yaml")
    if os.path.exists(path):
        return path
    documents = []
    for name in ("examples", "vsphere-csi-driver"):
        for directory, _, files in sorted(os.walk(os.path.join(corpus, name))):
            for file in sorted(files):
                if not file.endswith((".yaml", ".yml")):
                    continue
                try:
                    with open(os.path.join(directory, file), encoding="utf-8") as handle:
                        for doc in yaml.safe_load_all(handle):
                            if isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc:
                                documents.append(yaml.safe_dump(doc, sort_keys=False))
                except Exception:
                    continue
    parts, size = [], 0
    while size < TARGET_MB * 1024 * 1024:
        for doc in documents:
            parts.append(doc)
            size += len(doc) + 4
            if size >= TARGET_MB * 1024 * 1024:
                break
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n".join(parts))
    return path


def line(label, values, floor=None):
    """``floor`` is the floor's (wall, cpu): wall is compared with wall, cpu with cpu (on a loaded
    machine the cpu ratio is the steadier one)."""
    wall, cpu, rss = values
    ratio = f"  {wall / floor[0]:5.2f}x floor wall, {cpu / floor[1]:5.2f}x floor cpu" if floor else ""
    print(f"  {label:<44} wall {wall:7.3f}s  cpu {cpu:7.3f}s  rss {rss:7.1f} MB{ratio}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the 16x copies and the peers")
    parser.add_argument("--peers-venv", default=os.environ.get("LINTRA_BENCH_PEERS"),
                        help="a venv with benchmarks/requirements.txt installed (checkov, yamllint)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.corpus):
        sys.exit(f"no corpus at {args.corpus}")
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(ROOT, "lintra")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    load = os.getloadavg()
    print(f"lintra benchmark: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"median of {args.repeat}")
    work = tempfile.mkdtemp(prefix="lintra-bench-")
    cache = os.path.join(work, "cache")
    env = {"LINTRA_CACHE_DIR": cache}
    try:
        paths_file = os.path.join(work, "paths.json")
        with open(paths_file, "w") as handle:
            json.dump(parsed_files(args.corpus), handle)

        print("\n1. whole shared corpus, default profile")
        floors: list = []
        results = rounds({
            "jobs1": lambda: cold(lintra_argv("--isolated", "--jobs", "1", "-f", "json", args.corpus), work),
            "jobs2": lambda: cold(lintra_argv("--isolated", "--jobs", "2", "-f", "json", args.corpus), work),
            "off1": lambda: measure(lintra_argv("--isolated", "--no-cache", "--jobs", "1", "-f", "json",
                                                args.corpus), ROOT, env),
            "off2": lambda: measure(lintra_argv("--isolated", "--no-cache", "--jobs", "2", "-f", "json",
                                                args.corpus), ROOT, env),
            "first1": lambda: cold(lintra_argv("--isolated", "--cache", "--jobs", "1", "-f", "json", args.corpus),
                                   work),
            "floor": lambda: floors.append(floor_time(paths_file)) or (floors[-1][0], floors[-1][1], 0.0),
        }, args.repeat)
        floor = results["floor"][:2]
        print(f"  floor: libyaml compose_all over {len(json.load(open(paths_file)))} files: "
              f"wall {floor[0]:.3f}s cpu {floor[1]:.3f}s")
        line("lintra --jobs 1 (cold: an empty cache)", results["jobs1"], floor)
        line("lintra --jobs 2 (cold: an empty cache)", results["jobs2"], floor)
        line("lintra --jobs 1 --no-cache", results["off1"], floor)
        line("lintra --jobs 2 --no-cache", results["off2"], floor)
        line("lintra --jobs 1 --cache, first run", results["first1"], floor)
        print(f"  --jobs 2 / --jobs 1 wall: {results['jobs2'][0] / results['jobs1'][0]:.2f}")
        for jobs in ("1", "2"):
            on, off = results["jobs" + jobs], results["off" + jobs]
            print(f"  cold / --no-cache, --jobs {jobs}: wall {on[0] / off[0]:.2f}, cpu {on[1] / off[1]:.2f}")
        first, off = results["first1"], results["off1"]
        print(f"  first --cache run / --no-cache, --jobs 1: wall {first[0] / off[0]:.2f}, cpu {first[1] / off[1]:.2f}")
        # a first --cache run writes every file's map outcome; a repeated run of an unchanged
        # tree reads them back
        warm_env = {"LINTRA_CACHE_DIR": os.path.join(work, "warm-cache")}
        subprocess.run(lintra_argv("--isolated", "--cache", "--jobs", "1", "-f", "json", args.corpus), cwd=ROOT,
                       env=dict(os.environ, **warm_env), capture_output=True)
        floors = []
        warm = rounds({
            "warm1": lambda: measure(lintra_argv("--isolated", "--cache", "--jobs", "1", "-f", "json", args.corpus), ROOT,
                                     warm_env),
            "warm2": lambda: measure(lintra_argv("--isolated", "--cache", "--jobs", "2", "-f", "json", args.corpus), ROOT,
                                     warm_env),
            "floor": lambda: floors.append(floor_time(paths_file)) or (floors[-1][0], floors[-1][1], 0.0),
        }, args.repeat)
        line("lintra --jobs 1 --cache, warm map cache", warm["warm1"], warm["floor"][:2])
        line("lintra --jobs 2 --cache, warm map cache", warm["warm2"], warm["floor"][:2])
        print(f"  warm / --no-cache, --jobs 1: wall {warm['warm1'][0] / results['off1'][0]:.2f}, "
              f"cpu {warm['warm1'][1] / results['off1'][1]:.2f}")

        print("\n2. copies of the corpus (peak RSS should not grow with the number of files)")
        for n in ((1, 4) if args.quick else (1, 4, 16)):
            target = copies(args.corpus, n, work)
            found = rounds({
                "jobs1": lambda: cold(lintra_argv("--isolated", "--jobs", "1", "-f", "json", target), work),
                "jobs2": lambda: cold(lintra_argv("--isolated", "--jobs", "2", "-f", "json", target), work,
                                      summed=True),
            }, max(1, args.repeat // (2 if n > 1 else 1)) if n < 16 else 1)
            line(f"{n}x --jobs 1", found["jobs1"])
            line(f"{n}x --jobs 2 (rss: sum of the processes' peaks)", found["jobs2"])

        print("\n3. one small file, as a pre-commit hook runs lintra")
        small = os.path.join(work, "small")
        os.makedirs(small)
        with open(os.path.join(small, "service.yaml"), "w") as handle:
            handle.write("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
                         "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\nspec:\n  type: LoadBalancer\n")
        configured = os.path.join(work, "configured")
        shutil.copytree(small, configured)
        with open(os.path.join(configured, ".lintra.yaml"), "w") as handle:
            handle.write("profile: balanced\nfail_on: error\n")
        for directory in (small, configured):
            subprocess.run(lintra_argv("service.yaml"), cwd=directory, env=dict(os.environ, **env),
                           capture_output=True)  # fills the cache, as the previous commit's run did
        found = rounds({
            "yaml": lambda: measure([sys.executable, "-c", "import yaml"], small),
            "plain": lambda: measure(lintra_argv("service.yaml"), small, dict(env, XDG_CONFIG_HOME=work)),
            "config": lambda: measure(lintra_argv("service.yaml"), configured, dict(env, XDG_CONFIG_HOME=work)),
        }, max(args.repeat * 4, 10))
        base = found["yaml"][0]
        line('python -c "import yaml"', found["yaml"])
        line("lintra check service.yaml (no configuration)", found["plain"], found["yaml"][:2])
        line("lintra check service.yaml (unchanged .lintra.yaml)", found["config"], found["yaml"][:2])
        print(f"  wall ratios to import yaml: {found['plain'][0] / base:.2f}x (no configuration), "
              f"{found['config'][0] / base:.2f}x (.lintra.yaml)")

        print(f"\n4. one {TARGET_MB} MB multi-document file")
        big = twenty_mb(args.corpus, work)
        big_paths = os.path.join(work, "big.json")
        with open(big_paths, "w") as handle:
            json.dump([big], handle)
        floors = []
        found = rounds({
            "lintra": lambda: cold(lintra_argv("--isolated", "-f", "json", big), work),
            "floor": lambda: floors.append(floor_time(big_paths)) or (floors[-1][0], floors[-1][1], 0.0),
        }, max(1, args.repeat // 2))
        print(f"  floor: wall {found['floor'][0]:.3f}s cpu {found['floor'][1]:.3f}s")
        line("lintra check twenty.yaml", found["lintra"], found["floor"][:2])

        if args.peers_venv and not args.quick:
            print("\n5. peers (checkov --framework kubernetes, offline; yamllint)")
            checkov = os.path.join(args.peers_venv, "bin", "checkov")
            yamllint = os.path.join(args.peers_venv, "bin", "yamllint")
            for name in ("examples", "vsphere-csi-driver"):
                target = os.path.join(args.corpus, name)
                commands = {"lintra": lambda: measure(lintra_argv("--isolated", "--no-cache", target), ROOT, env)}
                if os.path.exists(checkov):
                    commands["checkov"] = lambda: measure([checkov, "-d", target, "--framework", "kubernetes",
                                                           "--skip-download", "--quiet", "--compact"],
                                                          ROOT, CHECKOV_ENV)
                if os.path.exists(yamllint):
                    commands["yamllint"] = lambda: measure([yamllint, "-f", "parsable", target], ROOT)
                found = rounds(commands, max(1, args.repeat // 2))
                for peer, values in found.items():
                    line(f"{peer} corpus/{name}", values)
                for peer in ("checkov", "yamllint"):
                    if peer in found:
                        print(f"  {peer} wall / lintra wall on corpus/{name}: {found[peer][0] / found['lintra'][0]:.1f}"
                              f" (cpu / cpu: {found[peer][1] / found['lintra'][1]:.1f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
