"""The map step of a run spread over processes (``--jobs``), and how many CPUs a run may use.

``--jobs N`` maps files in N processes: this one and N - 1 workers forked from it. Forked workers
start with the run's plugins, rules and options already loaded, so nothing is re-imported or
re-configured; this process maps files too instead of waiting, so on N CPUs N processes share the
work and none is left to only collect results.

Scheduling: the heavy files go first, heaviest first (bytes, and files a loader builds from other
files, such as a Kustomize root, count as heavy), then the others in their order; each worker has
:data:`DEPTH` batches in hand, and before this process maps a file of its own each worker is
given at least that file's weight of work, so that no worker waits while this process maps (a
Kustomize root takes as long as a hundred small files); batches shrink as the map nears its end,
so both processes finish at about the same time. Items given as an iterator (a run's files while
discovery still finds them) are drawn by this process while the workers map the first ones: each
heavy one is handed out at once, the light ones in full batches, and what is left when it ends is
scheduled as above. The results still come back in the order of the inputs,
so a parallel run writes exactly what a sequential one writes. A worker sends each result pickled
once, over a pipe of its own; a result it cannot send (None), and every file a worker had in hand
when it died, is mapped by this process itself, as ``--jobs 1`` would.

Where ``fork`` is not available (Windows), runs stay in-process.
"""

from __future__ import annotations

import math
import os
import struct
from collections import abc, deque
from contextlib import contextmanager

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

#: Runs over fewer files stay in-process: a worker pays again for what the first files of a run
#: cost (compiling the packs' patterns, the lazily built tables), about 15 ms, and forking and
#: shipping results back cost more. Measured on Kubernetes manifests of ``corpus/examples``
#: (about 0.5 ms of map a file): 64 files took the same wall time with ``--jobs 2`` as in-process
#: and 28% more CPU; 128 files 5% less wall time; all 262, 12% less.
PARALLEL_FROM_FILES = 96
#: The most a batch handed to a worker weighs (in the units of the ``weight`` given to
#: :func:`ordered_map`: bytes of input), and the most files it holds: large enough to amortise a
#: round trip through the pipes, small enough to keep every process busy until the end.
BATCH_WEIGHT = 32 * 1024
BATCH_FILES = 32
#: Items at least this heavy are mapped first, heaviest first; the others follow in their own
#: order, so that the results the run takes in order arrive while the map goes on, and the map
#: ends on light items (the processes finish together).
HEAVY = 16 * 1024
#: Batches a worker holds: when it finishes one the next is already there, even while this
#: process is busy mapping a file of its own.
DEPTH = 2
#: The most bytes of batches a worker holds beyond :data:`DEPTH` to cover a file this process
#: maps: well within a pipe's buffer (64 KiB), so that sending them never waits for the worker
#: (which may itself wait for this process to read its answers).
HELD_BYTES = 32 * 1024

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
    return hasattr(os, "fork") and hasattr(os, "readv")


@contextmanager
def ordered_map(work: Callable[[Any], Optional[bytes]], here: Callable[[Any], Any],
                received: Callable[[Any, bytes], Any], jobs: int,
                weight: Callable[[Any], int] = lambda item: 1) -> Iterator[Callable[[Sequence], Iterator]]:
    """``map(items)`` -> an iterator of each item's result, in the order of ``items``, computed
    by this process and ``jobs - 1`` forked workers. ``items`` that is not a sequence is drawn to
    its end before ``map`` returns, while the workers map what it gave so far.

    In a worker, ``work(item)`` gives the result as bytes, or None for "map it in the run's own
    process"; this process turns those bytes into the result with ``received(item, data)`` when
    the item's turn comes (a result that arrives early, such as a heavy file's, mapped first, waits
    as the bytes it came as, a fraction of the objects' size), and computes ``here(item)`` itself
    for the items it takes (and for those a worker could not give back). ``weight(item)`` is how long an item is expected to take
    (bytes of input): the heaviest go first. ``work`` and everything it reaches are inherited by
    the fork, not pickled; the items are pickled."""
    workers: List[_Worker] = []
    try:
        for _ in range(jobs - 1):
            try:
                workers.append(_Worker.start(work, workers))
            except OSError:  # no more processes or memory: fewer workers, down to none
                break
        yield lambda items: _ordered(items, workers, here, received, weight)
    finally:
        for worker in workers:
            worker.stop()


class _Worker:
    """A forked process mapping the batches it is sent: ``[(index, item), ...]`` pickled in,
    ``[(index, bytes or None), ...]`` pickled out, one length-prefixed message per batch."""

    __slots__ = ("pid", "tasks", "results", "held", "weights", "weight", "sizes", "bytes")

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks
        self.results = results
        #: the batches sent and not yet answered, oldest first, and what each weighs
        self.held: "deque[List[int]]" = deque()
        self.weights: "deque[int]" = deque()
        #: what the batches held weigh together
        self.weight = 0
        #: the bytes of each batch held, and together
        self.sizes: "deque[int]" = deque()
        self.bytes = 0

    @classmethod
    def start(cls, work: Callable[[Any], Optional[bytes]], others: Sequence["_Worker"]) -> "_Worker":
        tasks_read, tasks_write = os.pipe()  # not inheritable: a program the run starts gets neither
        results_read, results_write = os.pipe()
        _widen(results_write)
        _flush_standard_streams()  # else the worker would write out this process's buffered output again
        try:
            pid = os.fork()
        except OSError:
            for fd in (tasks_read, tasks_write, results_read, results_write):
                os.close(fd)
            raise
        if pid == 0:  # the worker: it never returns into the run's code
            code = 1
            try:
                import signal

                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
                for fd in [tasks_write, results_read, *(fd for w in others for fd in (w.tasks, w.results))]:
                    os.close(fd)
                _serve(work, tasks_read, results_write)
                code = 0
            finally:
                _flush_standard_streams()  # what a plugin printed here: os._exit flushes nothing
                os._exit(code)
        os.close(tasks_read)
        os.close(results_write)
        return cls(pid, tasks_write, results_read)

    def send(self, batch: List[int], items: Sequence) -> None:
        import pickle  # only a parallel run pickles: not on a one-file check's path

        message = pickle.dumps([(index, items[index]) for index in batch], pickle.HIGHEST_PROTOCOL)
        _write(self.tasks, message)
        self.held.append(batch)
        self.sizes.append(len(message))
        self.bytes += len(message)
        self.weights.append(0)

    def weighs(self, weight: int) -> None:
        """The batch just sent weighs ``weight``."""
        self.weights[-1] += weight
        self.weight += weight

    def receive(self) -> List[Any]:
        import pickle

        answer = pickle.loads(_read(self.results))
        self.held.popleft()
        self.weight -= self.weights.popleft()
        self.bytes -= self.sizes.popleft()
        return answer

    def stop(self) -> None:
        """End the worker: at once when it still holds work (the run ends early), else by closing
        its task pipe, which it reads to the end."""
        import signal

        if not self.pid:
            return
        if self.held:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        for fd in (self.tasks, self.results):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self.pid = 0


def _flush_standard_streams() -> None:
    import sys

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # closed, replaced by None, or a broken pipe
            pass


def _serve(work: Callable[[Any], Optional[bytes]], tasks: int, results: int) -> None:
    import pickle

    while True:
        try:
            message = _read(tasks)
        except EOFError:  # the run closed the pipe: no more work
            return
        answer = []
        for index, item in pickle.loads(message):
            try:
                data = work(item)
            except Exception:  # mapped again by the run's process, which then fails as --jobs 1 does
                data = None
            answer.append((index, data))
        _write(results, pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))


def schedule(weights: Sequence[int]) -> List[int]:
    """The order in which items of these weights are handed out: those of at least
    :data:`HEAVY`, heaviest first (equal ones in their own order), then the others in their own
    order."""
    heavy = sorted((index for index, weight in enumerate(weights) if weight >= HEAVY),
                   key=weights.__getitem__, reverse=True)  # a stable sort, even reversed
    return heavy + [index for index, weight in enumerate(weights) if weight < HEAVY]


def _ordered(items: Iterable, workers: List[_Worker], here: Callable[[Any], Any],
             received: Callable[[Any, bytes], Any], weight: Callable[[Any], int]) -> Iterator:
    """The results of ``items`` in order (see :func:`ordered_map`). A sequence is scheduled whole
    (:func:`schedule`); any other iterable is drawn here, at once, while the workers map what it
    gave so far (the rest of the discovery of a run's files goes on beside the map), and what it
    gave is then scheduled like a sequence."""
    state = _Map(workers, here, received, weight)
    if isinstance(items, abc.Sequence):
        state.take(items)
    else:
        state.draw(items)
    return state.results()


class _Map:
    """One :func:`ordered_map` call's items, what is left to hand out, and what came back."""

    __slots__ = ("items", "workers", "here", "received", "weight", "weights", "todo", "heavy", "queued",
                 "drawing", "mine", "left", "done", "live", "poller", "processes")

    def __init__(self, workers: List[_Worker], here: Callable[[Any], Any], received: Callable[[Any, bytes], Any],
                 weight: Callable[[Any], int]) -> None:
        import select

        self.items: List[Any] = []
        self.workers = workers
        self.here = here
        self.received = received
        self.weight = weight
        self.weights: List[int] = []
        self.todo: "deque[int]" = deque()
        #: while drawing: the heavy items drawn and not handed out yet (they go before ``todo``),
        #: and what the items in ``todo`` weigh together
        self.heavy: "deque[int]" = deque()
        self.queued = 0
        self.drawing = False
        self.mine: "deque[int]" = deque()  # what a dead worker held, or what it could not send: this process maps it
        self.left = 0
        self.done: Dict[int, Any] = {}
        self.live: Dict[int, _Worker] = {worker.results: worker for worker in workers}
        self.poller = select.poll()
        for fd in self.live:
            self.poller.register(fd, select.POLLIN)
        self.processes = len(self.live) + 1

    def take(self, items: Sequence) -> None:
        self.items = items if isinstance(items, list) else list(items)
        self.weights = [max(1, self.weight(item)) for item in self.items]
        self.todo = deque(schedule(self.weights))
        self.left = sum(self.weights)
        for worker in list(self.workers):  # feeding may find one dead, and drop it from the list
            self.feed(worker)

    def draw(self, items: Iterable) -> None:
        """Take the items one by one from ``items``, handing the workers each heavy one at once
        and the light ones in full batches, until it ends; then schedule what is left as
        :meth:`take` does. A worker so starts on the first files found, not on the last."""
        self.drawing = True
        for item in items:
            index = len(self.items)
            self.items.append(item)
            size = max(1, self.weight(item))
            self.weights.append(size)
            if size >= HEAVY:
                self.heavy.append(index)
            else:
                self.todo.append(index)
                self.queued += size
            if size >= HEAVY or index % 16 == 0:
                self.poll()
                for worker in list(self.live.values()):
                    self.feed(worker)
        self.drawing = False
        weights = self.weights
        heavy = sorted(self.heavy, key=weights.__getitem__, reverse=True)  # stable, as schedule()
        self.heavy.clear()
        self.todo = deque(heavy + list(self.todo))
        self.left = sum(weights[index] for index in self.todo)
        for worker in list(self.live.values()):
            self.feed(worker)

    def lose(self, worker: _Worker) -> None:
        """A worker died (killed, out of memory): this process maps what it held."""
        self.poller.unregister(worker.results)
        del self.live[worker.results]
        self.workers.remove(worker)
        for batch in worker.held:
            self.mine.extend(batch)
        worker.held.clear()
        worker.stop()

    def feed(self, worker: _Worker, cover: int = 0) -> None:
        """Send ``worker`` batches until it holds :data:`DEPTH` of them, and at least ``cover``
        weight of work (what this process is about to map itself)."""
        todo, weights = self.todo, self.weights
        while (self.heavy or todo) and (len(worker.held) < DEPTH or (worker.weight < cover and worker.bytes < HELD_BYTES)):
            if self.heavy:
                batch = [self.heavy.popleft()]
                size = weights[batch[0]]
            else:
                if self.drawing:
                    if worker.held and len(todo) < BATCH_FILES and self.queued < BATCH_WEIGHT:
                        return  # a full batch once more is drawn: the worker has work meanwhile
                    target = BATCH_WEIGHT
                else:
                    target = min(BATCH_WEIGHT, self.left // (4 * self.processes))  # guided: smaller as the end nears
                batch = [todo.popleft()]
                size = weights[batch[0]]
                while todo and len(batch) < BATCH_FILES and size + weights[todo[0]] <= target:
                    batch.append(todo.popleft())
                    size += weights[batch[-1]]
                if self.drawing:
                    self.queued -= size
            self.left -= size
            try:
                worker.send(batch, self.items)
                worker.weighs(size)
            except OSError:  # it died since its last answer: its task pipe has no reader (EPIPE)
                self.mine.extend(batch)
                self.lose(worker)
                return

    def collect(self, fd: int) -> None:
        import pickle

        worker = self.live[fd]
        try:
            answer = worker.receive()
        except (EOFError, OSError, pickle.UnpicklingError):  # the worker died (killed, out of memory)
            self.lose(worker)
            return
        self.feed(worker)  # first, so that it goes on while this process decodes
        for index, data in answer:
            if data is None:
                self.mine.append(index)
            else:
                self.done[index] = _Arrived(data)

    def poll(self) -> bool:
        """Collect the answers that are there; whether there were any."""
        if not self.live:
            return False
        ready = self.poller.poll(0)
        for fd, _ in ready:
            self.collect(fd)
        return bool(ready)

    def results(self) -> Iterator:
        items, weights, done, mine, todo = self.items, self.weights, self.done, self.mine, self.todo
        count = len(items)
        upto = 0
        while upto < count:
            if upto in done:
                result = done.pop(upto)
                if type(result) is _Arrived:
                    result = self.received(items[upto], result.data)
                upto += 1
                yield result
                continue
            if self.poll():
                continue
            if mine:
                index = mine.popleft()
                done[index] = self.here(items[index])
                continue
            if todo:
                index = todo.popleft()
                self.left -= weights[index]
                for worker in list(self.live.values()):  # feeding may find one dead, and drop it
                    self.feed(worker, weights[index])
                done[index] = self.here(items[index])
                continue
            if not self.live:  # cannot be: every item is done, to do, or held by a live worker
                raise RuntimeError(f"the map lost item {upto}")
            for fd, _ in self.poller.poll():  # every item left is in a worker's hands: wait for one
                self.collect(fd)


class _Arrived:
    """A worker's result as it arrived (bytes), until its turn comes."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_HEADER = struct.Struct("<Q")


def _write(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read(fd: int) -> bytes:
    size = _HEADER.unpack(_read_exactly(fd, _HEADER.size))[0]
    return _read_exactly(fd, size)


def _read_exactly(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise EOFError
        got += n
    return buffer


def _widen(fd: int) -> None:
    """A larger pipe, so that a worker seldom waits for this process to read its answers (Linux;
    elsewhere the default size, which only means a short wait)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ"), 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass
