"""How ``--jobs`` spreads the map (lintra.parallel): this process and forked workers share it, the
heavy files go first, the results come back in the order of the inputs, and a worker that dies,
fails or cannot send a result costs nothing but time: this process maps those files itself."""

import os
import pickle
import time

import pytest

from lintra import parallel
from lintra.pipeline import Plan, run

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="this platform cannot fork workers")

PARENT = os.getpid()


def _work(item):
    """In a worker: the item's result, and which process made it."""
    return pickle.dumps((item * 10, os.getpid()))


def _here(item):
    return (item * 10, os.getpid())


def _received(item, data):
    return pickle.loads(data)


def _map(items, jobs=2, work=_work, here=_here, weight=lambda item: item):
    with parallel.ordered_map(work, here, _received, jobs, weight) as map_items:
        return list(map_items(items))


def test_the_schedule_puts_heavy_items_first_then_the_rest_in_their_order():
    heavy = parallel.HEAVY
    weights = [10, heavy, 5, 3 * heavy, 7, heavy, 2 * heavy, 1]
    assert parallel.schedule(weights) == [3, 6, 1, 5, 0, 2, 4, 7]  # equal heavy ones keep their order
    assert parallel.schedule([5, 4, 3]) == [0, 1, 2]
    assert parallel.schedule([]) == []


def _gated(marker):
    """Workers that start only once this process mapped an item of its own (``here`` makes the
    marker), so that both took part however the machine schedules them."""
    def work(item):
        for _ in range(60000):
            if os.path.exists(marker):
                break
            time.sleep(0.001)
        return _work(item)

    def here(item):
        open(marker, "w").close()
        return _here(item)

    return work, here


def test_results_come_back_in_the_order_of_the_inputs_from_both_processes(tmp_path):
    heavy = parallel.HEAVY
    items = [heavy * (i % 7) + i for i in range(300)]  # heavy and light interleaved: handed out out of order
    work, here = _gated(str(tmp_path / "marker"))
    results = _map(items, work=work, here=here)
    assert [value for value, _ in results] == [item * 10 for item in items]
    makers = {pid for _, pid in results}
    assert PARENT in makers and len(makers) == 2  # this process took part, and so did one worker


def test_three_jobs_are_this_process_and_two_workers(tmp_path):
    work, here = _gated(str(tmp_path / "marker"))
    results = _map(list(range(400)), jobs=3, work=work, here=here, weight=lambda item: parallel.BATCH_WEIGHT // 8)
    assert [value for value, _ in results] == [item * 10 for item in range(400)]
    assert PARENT in {pid for _, pid in results} and len({pid for _, pid in results}) == 3


def test_a_worker_holds_at_least_what_this_process_maps_before_this_process_maps_it(tmp_path, monkeypatch):
    """While this process maps a file it cannot hand out work: the worker is given at least that
    file's weight first (here a file 15,000 heavy comes after two batches of 3,200), or it would
    wait as long. The worker answers nothing before this process's first item (it is gated), so
    what it holds then is what it was sent."""
    weights = [100] * 64 + [15000] + [100] * 600
    sent, answered, held_then = [], [], []
    send, receive = parallel._Worker.send, parallel._Worker.receive

    def counted_send(worker, batch, items):
        sent.extend(batch)
        return send(worker, batch, items)

    def counted_receive(worker):
        answer = receive(worker)
        answered.extend(index for index, _ in answer)
        return answer

    monkeypatch.setattr(parallel._Worker, "send", counted_send)
    monkeypatch.setattr(parallel._Worker, "receive", counted_receive)
    work, gate = _gated(str(tmp_path / "marker"))

    def here(item):
        held_then.append((item, sum(weights[i] for i in sent) - sum(weights[i] for i in answered)))
        return gate(item)

    results = _map(list(range(len(weights))), work=work, here=here, weight=weights.__getitem__)
    assert [value for value, _ in results] == [item * 10 for item in range(len(weights))]
    item, held = held_then[0]
    assert item == 64 and held >= 15000


def test_several_maps_share_the_workers_of_one_context():
    with parallel.ordered_map(_work, _here, _received, 2) as map_items:
        first = list(map_items(list(range(100))))
        second = list(map_items(list(range(100, 150))))
        assert list(map_items([])) == []
    assert [value for value, _ in first + second] == [item * 10 for item in range(150)]


def _dies_on_13(item):
    if item == 13:
        os._exit(3)  # as a worker killed by the kernel's out-of-memory killer would vanish
    return _work(item)


def test_a_worker_that_dies_costs_only_time(tmp_path):
    results = _map(list(range(200)), work=_dies_on_13, weight=lambda item: 1)
    assert [value for value, _ in results] == [item * 10 for item in range(200)]
    assert results[13][1] == PARENT  # what it held is mapped here


def _always_dies(item):
    os._exit(3)


def test_a_worker_found_dead_when_sent_more_work_costs_only_time(monkeypatch):
    """A worker can die between its answer and the next batch: the write then finds no reader
    (EPIPE). Each send after the first waits here until the worker is gone (``WNOWAIT`` leaves it
    to be reaped), so that write always meets a dead worker; this process maps everything."""
    send = parallel._Worker.send
    sent = []

    def send_to_the_dead(worker, batch, items):
        if sent:
            os.waitid(os.P_PID, worker.pid, os.WEXITED | os.WNOWAIT)
        sent.append(batch)
        return send(worker, batch, items)

    monkeypatch.setattr(parallel._Worker, "send", send_to_the_dead)
    results = _map(list(range(300)), work=_always_dies, weight=lambda item: parallel.BATCH_WEIGHT // 8)
    assert [value for value, _ in results] == [item * 10 for item in range(300)]
    assert {pid for _, pid in results} == {PARENT}
    assert len(sent) >= 2  # the second send met the dead worker


def _fails_or_gives_none(item):
    if item == 7:
        raise ValueError("a plugin's bug")
    if item == 8:
        return None  # "map it in the run's own process" (an outcome that cannot be pickled)
    return _work(item)


def test_what_a_worker_fails_on_or_cannot_send_is_mapped_here():
    results = _map(list(range(100)), work=_fails_or_gives_none, weight=lambda item: 1)
    assert [value for value, _ in results] == [item * 10 for item in range(100)]
    assert results[7][1] == results[8][1] == PARENT


def _children():
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as handle:
            return {int(pid) for pid in handle.read().split()}
    except OSError:
        pytest.skip("/proc does not list child processes here")


def test_an_error_here_ends_the_workers_and_leaves_no_process_behind(tmp_path):
    """The workers wait for a marker that never comes, so this process is sure to map an item
    itself (which item a worker takes depends on timing) and fails on the first it maps."""
    before = _children()
    work, _ = _gated(str(tmp_path / "never"))

    def here(item):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        _map(list(range(300)), work=work, here=here, weight=lambda item: 1)
    assert _children() <= before


def test_the_workers_end_with_the_map():
    before = _children()
    _map(list(range(100)))
    assert _children() <= before


def _tree(tmp_path, count):
    """The paths to check: claims in files of very different sizes (so the heavy ones are mapped
    first), the class they name in another file, Heat templates naming nested templates (not
    among the paths) that name more."""
    (tmp_path / "k8s").mkdir()
    for i in range(count):
        padding = "".join(f"    note{j}: {'x' * 60}\n" for j in range(i * 40 if i % 9 == 0 else 0))
        (tmp_path / "k8s" / f"pvc{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\n  labels:\n"
            f"    app: a\n{padding}spec:\n  storageClassName: fast\n")
    (tmp_path / "k8s" / "sc.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n"
                                              "  name: fast\nprovisioner: ebs.csi.aws.com\n")
    nested = tmp_path / "heat" / "lib"
    nested.mkdir(parents=True)
    for i in range(3):
        (tmp_path / "heat" / f"stack{i}.yaml").write_text(
            "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: lib/net.yaml\n"
            f"  port{i}:\n    type: lib/port{i}.yaml\n")
        (nested / f"port{i}.yaml").write_text(
            "heat_template_version: 2018-08-31\nresources:\n  nsx:\n    type: deeper.yaml\n")
    (nested / "net.yaml").write_text("heat_template_version: 2018-08-31\nresources:\n  n:\n"
                                     "    type: OS::Neutron::Net\n")
    (nested / "deeper.yaml").write_text("heat_template_version: 2018-08-31\nresources:\n  l:\n"
                                        "    type: OS::Nova::Server\n    properties:\n"
                                        "      availability_zone: nova\n")
    return [str(tmp_path / "k8s")] + [str(tmp_path / "heat" / f"stack{i}.yaml") for i in range(3)]


def _seen(result):
    return ([(r.file, r.status, r.reason, r.documents) for r in result.files],
            [(f.rule.id, f.file, f.span.line, f.span.column, f.message, [(r.file, r.span.line) for r in f.related])
             for f in result.findings])


def test_a_run_with_heavy_files_first_reports_what_one_process_reports(tmp_path):
    paths = _tree(tmp_path, parallel.PARALLEL_FROM_FILES + 20)
    one, two, three = (_seen(run(paths, jobs=jobs)) for jobs in (1, 2, 3))
    assert one == two == three
    files = [name for name, *_ in one[0]]
    lib = tmp_path / "heat" / "lib"
    assert files[-5:] == [str(lib / name) for name in ("net.yaml", "port0.yaml", "port1.yaml", "port2.yaml",
                                                       "deeper.yaml")]  # the second and third waves
    assert len([f for f in one[1] if f[0] == "LK110"]) == parallel.PARALLEL_FROM_FILES + 20


def test_a_worker_dying_in_a_run_changes_nothing_in_its_report(tmp_path, monkeypatch):
    paths = _tree(tmp_path, parallel.PARALLEL_FROM_FILES + 20)
    expected = _seen(run(paths, jobs=1))
    mapped = Plan.map
    count = []

    def dies(plan, source):
        if os.getpid() != PARENT:
            count.append(source)  # the worker's own copy of the list
            if len(count) == 5:
                os._exit(9)  # with files in hand: a batch begun, another waiting
        return mapped(plan, source)

    monkeypatch.setattr(Plan, "map", dies)
    assert _seen(run(paths, jobs=2)) == expected


def test_an_outcome_that_cannot_be_pickled_is_mapped_again_here(tmp_path, monkeypatch):
    paths = _tree(tmp_path, parallel.PARALLEL_FROM_FILES + 20)
    expected = _seen(run(paths, jobs=1))
    mapped = Plan.map
    here = []

    def unpicklable(plan, source):
        outcome = mapped(plan, source)
        if os.getpid() != PARENT:
            outcome.observed = [lambda: None]  # as a plugin's locator holding code would be
        else:
            here.append(source.name)
        return outcome

    monkeypatch.setattr(Plan, "map", unpicklable)
    assert _seen(run(paths, jobs=2)) == expected
    assert sorted(here) == sorted(name for name, *_ in expected[0])  # every file, in the end, here


WORKER_PRINTS = """
import os, sys
from lintra import parallel

def work(item):
    print("from worker", item)  # a plugin printing in the map: kept, as with --jobs 1
    return None if item else b"x"

print("buffered before the fork")  # a pipe: block-buffered; printed once, not once per process
with parallel.ordered_map(work, lambda item: b"here", lambda item, data: data, 2) as map_items:
    list(map_items([0]))
"""


def test_what_a_worker_prints_is_written_once_and_nothing_twice(tmp_path):
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}  # buffered, as usual
    done = subprocess.run([sys.executable, "-c", WORKER_PRINTS], capture_output=True, text=True, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == ["buffered before the fork", "from worker 0"]


def test_a_result_that_arrives_before_its_turn_waits_as_its_bytes(tmp_path):
    """The heavy items go first, so their results arrive long before the run takes them; they
    wait as the bytes they came as, and become results (``received``) only when their turn
    comes: a run over many heavy files does not hold all their decoded outcomes at once."""
    heavy = parallel.HEAVY
    items = list(range(60)) + [heavy + i for i in range(60)]  # the heavy ones last: mapped first
    taken = []
    turn = {}

    def received(item, data):
        turn[item] = len(taken)
        return pickle.loads(data)

    work, here = _gated(str(tmp_path / "marker"))
    with parallel.ordered_map(work, here, received, 2, weight=lambda item: item) as map_items:
        for result in map_items(items):
            taken.append(result)
    assert [value for value, _ in taken] == [item * 10 for item in items]
    assert turn and all(turn[item] == items.index(item) for item in turn)


def test_a_worker_maps_the_first_items_while_the_rest_are_still_being_found(tmp_path):
    """Items given as an iterator (a run's files, as discovery finds them) are handed out while
    they are drawn: the iterator here does not go on until a worker has mapped an item."""
    marker = tmp_path / "mapped"
    heavy = parallel.HEAVY

    def work(item):
        marker.touch()
        return _work(item)

    def found():
        for i in range(300):
            if i == 150:
                for _ in range(60000):
                    if marker.exists():
                        break
                    time.sleep(0.001)
                assert marker.exists(), "no worker mapped anything while the items were drawn"
            yield heavy * (i % 5 == 0) + i  # heavy and light ones

    results = _map(found(), work=work)
    assert [value for value, _ in results] == [(heavy * (i % 5 == 0) + i) * 10 for i in range(300)]


def test_a_run_forks_its_workers_before_discovery_ends(tmp_path, monkeypatch):
    """The files past the first that decide whether the map forks are found while the worker maps."""
    import lintra.pipeline as pipeline

    paths = _tree(tmp_path, parallel.PARALLEL_FROM_FILES + 100)
    expected = _seen(run(paths, jobs=1))
    yielded, at_fork = [], []
    discover, start = pipeline.discover, parallel._Worker.start

    def counted(*args, **kwargs):
        for source in discover(*args, **kwargs):
            yielded.append(source)
            yield source

    def started(*args, **kwargs):
        at_fork.append(len(yielded))
        return start(*args, **kwargs)

    monkeypatch.setattr(pipeline, "discover", counted)
    monkeypatch.setattr(parallel._Worker, "start", started)
    assert _seen(run(paths, jobs=2)) == expected
    assert at_fork == [parallel.PARALLEL_FROM_FILES] and len(yielded) > parallel.PARALLEL_FROM_FILES
