"""Worker processes for the map step of a run (``--jobs``), and how many CPUs a run may use.

Workers are forked from the run's process, so they start with its plugins, rules and options
already loaded and nothing has to be re-imported or re-configured; results come back pickled, in
the order the inputs were given, so a parallel run writes exactly what a sequential one writes.
Where ``fork`` is not available (Windows), runs stay in-process.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional

#: Runs over fewer files stay in-process: forking workers and shipping results back would cost a
#: pre-commit batch more than it saves.
PARALLEL_FROM_FILES = 64
#: Files handed to a worker at a time: large enough to amortise the round trip, small enough to
#: keep both workers busy until the end.
CHUNK = 8


def available_cpus() -> int:
    """The CPUs this process may really use: its CPU affinity, bounded by a cgroup CPU quota
    (``cpu.max`` in cgroup v2, ``cpu.cfs_quota_us``/``cpu.cfs_period_us`` in v1), so that a pod
    limited to 2 CPUs on a 64-core node counts 2."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    quota = cgroup_cpu_limit()
    if quota is not None:
        count = min(count, max(1, math.floor(quota)))
    return max(1, count)


def cgroup_cpu_limit(proc: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> Optional[float]:
    """The strictest CPU quota (in CPUs) of this process's cgroup and its ancestors, or None."""
    try:
        with open(proc, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    limits = []
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" and controllers == "":  # cgroup v2
            for directory in _ancestors(root, path):
                limit = _v2_limit(os.path.join(directory, "cpu.max"))
                if limit is not None:
                    limits.append(limit)
        elif "cpu" in controllers.split(","):  # cgroup v1
            for mount in (os.path.join(root, controllers), os.path.join(root, "cpu"), os.path.join(root, "cpu,cpuacct")):
                for directory in _ancestors(mount, path):
                    limit = _v1_limit(directory)
                    if limit is not None:
                        limits.append(limit)
    return min(limits) if limits else None


def _ancestors(mount: str, path: str) -> Iterator[str]:
    """The cgroup's directory under ``mount`` and each parent up to the mount (inside a container
    the path is often ``/`` or names a directory that is not mounted there)."""
    parts = [p for p in path.strip("/").split("/") if p and p != ".."]
    while True:
        directory = os.path.join(mount, *parts)
        if os.path.isdir(directory):
            yield directory
        if not parts:
            return
        parts.pop()


def _v2_limit(path: str) -> Optional[float]:
    try:
        with open(path, encoding="ascii") as handle:
            quota, _, period = handle.read().strip().partition(" ")
        if quota == "max":
            return None
        return int(quota) / int(period or 100000)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _v1_limit(directory: str) -> Optional[float]:
    try:
        with open(os.path.join(directory, "cpu.cfs_quota_us"), encoding="ascii") as handle:
            quota = int(handle.read().strip())
        with open(os.path.join(directory, "cpu.cfs_period_us"), encoding="ascii") as handle:
            period = int(handle.read().strip())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


_TASK: Optional[Callable] = None


def _call(item):
    assert _TASK is not None
    return _TASK(item)


@contextmanager
def ordered_map(task: Callable, jobs: int) -> Iterator[Callable[[Iterable], Iterator]]:
    """``map(items)`` -> ``task(item)`` for each item, in order, computed by ``jobs`` forked
    worker processes (``task`` and everything it reaches are inherited, not pickled; the items
    and results are pickled)."""
    global _TASK
    import multiprocessing

    _TASK = task
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        yield lambda items: pool.imap(_call, items, CHUNK)
    finally:
        pool.terminate()
        pool.join()
        _TASK = None
