"""Time ``lintra check`` on ../shared/corpus against the bare libyaml parse floor, in one run.

    python benchmarks/bench_corpus.py [PATH] [--repeat N]

The floor is ``yaml.compose_all(..., Loader=CSafeLoader)`` over the same YAML files (JSON files
through ``json.loads``), already read into memory; lintra's time is a full in-process run
(discovery, reading, parsing, detection, every rule, judging, and the JSON report), best of N.
Targets live here, never in timed unit tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpus"))


def floor(paths):
    texts = []
    for path in paths:
        with open(path, "rb") as handle:
            texts.append((path, handle.read()))
    start = time.perf_counter()
    for path, data in texts:
        try:
            if path.endswith(".json"):
                json.loads(data)
            else:
                for _ in yaml.compose_all(data, Loader=yaml.CSafeLoader):
                    pass
        except (yaml.YAMLError, ValueError):
            pass
    return time.perf_counter() - start


def lintra_run(root):
    from lintra.pipeline import run
    from lintra.report import json as json_report

    start = time.perf_counter()
    result = run([root])
    json_report.write(result, io.StringIO(), {})
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not os.path.isdir(args.path):
        sys.exit(f"no corpus at {args.path}")
    import lintra.pipeline  # noqa: F401 - imports are start-up cost, not per-file work

    best_lintra, result = min((lintra_run(args.path) for _ in range(args.repeat)), key=lambda pair: pair[0])
    paths = [r.file for r in result.files if r.file.endswith((".yaml", ".yml", ".json", ".template", ".hot", ".env"))]
    best_floor = min(floor(paths) for _ in range(args.repeat))
    print(f"files: {len(result.files)}  documents: {sum(r.documents for r in result.files)}  "
          f"findings: {len(result.findings)}")
    print(f"floor (CSafeLoader compose_all / json.loads): {best_floor:.3f}s")
    print(f"lintra check (in process, JSON report):       {best_lintra:.3f}s")
    print(f"ratio: {best_lintra / best_floor:.2f}x")


if __name__ == "__main__":
    main()
