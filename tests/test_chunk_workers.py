"""The default runner (ChunkProcessPool): chunk tasks are Prefect task runs in threads of the flow
process, their document work runs in plain worker processes that never import Prefect; a chunk over
its time limit stops its workers, and the chunk that ran next to it is retried on new ones."""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import psutil
import pytest

from tasks.discover import discover
from tasks.process import ProcessConfig

STARTED = dt.datetime(2026, 1, 1)
LIMIT_S = 2.0   # the timed-out chunk's limit (test_a_chunk_over_its_time_limit_...)
REPO = Path(__file__).resolve().parent.parent


def prefect_in_this_process() -> tuple[int, bool]:
    """Run in a worker process: its pid, and whether anything there imported Prefect."""
    return os.getpid(), "prefect" in sys.modules


def worker_pids() -> set[int]:
    """The live spawned worker processes under this test process."""
    pids = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                pids.add(child.pid)
        except psutil.NoSuchProcess:
            pass
    return pids


def new_workers(before: set[int], within_s: float) -> set[int]:
    """The worker processes that are not in `before`, once there is one (empty: none came)."""
    deadline = time.monotonic() + within_s
    while not (started := worker_pids() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    return started


def gone_within(pids: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while pids & worker_pids():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def task_runs_named(flow_run_id, name: str, expected: int) -> list:
    """The flow run's task runs called `name`, read back from the Prefect API (its records of task
    runs arrive as events: wait for `expected` of them, a few seconds at most)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    deadline = time.monotonic() + 20
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                                         task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name)))
            final = [r for r in runs if r.state is not None and r.state.is_final()]
            if len(final) >= expected or time.monotonic() > deadline:
                return final
            time.sleep(0.2)


@pytest.fixture
def sample_files(samples_dir):
    files = discover([str(samples_dir)], {}).todo
    assert len(files) == 5
    return files


def test_chunk_work_runs_in_worker_processes_that_never_import_prefect(sample_files, tmp_path, prefect_harness):
    from prefect import flow
    from prefect.context import FlowRunContext
    from prefect.runtime import flow_run

    from tasks.prefect_tasks import ChunkProcessPool, process_chunk_task

    @flow(task_runner=ChunkProcessPool(processes=1, threads=2))
    def two_chunks():
        futures = [process_chunk_task.submit(files, ProcessConfig.default(), "r1", f"{i:05d}", tmp_path / "stage",
                                             None, STARTED) for i, files in enumerate([sample_files[:3], sample_files[3:]])]
        results = [f.result() for f in futures]
        workers = worker_pids()
        # the worker that did the chunks (processes=1: the only one), asked what it has imported
        probe = FlowRunContext.get().task_runner.run_in_process(prefect_in_this_process)
        return flow_run.id, [r.files for r in results], workers, probe

    run_id, files, workers, (probe_pid, prefect_imported) = two_chunks()
    assert files == [3, 2]
    assert workers == {probe_pid}
    assert prefect_imported is False
    assert "prefect" in sys.modules   # (the probe is not fooled: this process has it)
    assert gone_within(workers, 10)   # the runner's exit stops its workers
    chunk_runs = task_runs_named(run_id, "process-chunk", 2)
    assert len(chunk_runs) == 2 and all(r.state.is_completed() for r in chunk_runs)


def test_a_chunk_over_its_time_limit_stops_its_workers_and_the_chunk_next_to_it_is_retried(
        sample_files, tmp_path, prefect_harness):
    from prefect import flow
    from prefect.runtime import flow_run

    from tasks.prefect_tasks import ChunkProcessPool, is_transient_io_error, process_chunk_task

    # Both chunks must be in one pool's workers when the limit is hit. The chunk beside is long (2,000
    # documents) and handed to a worker first; the timed-out one (6,000 documents, several seconds) then
    # starts on the same pool. Its limit, 2 s, is long enough for Prefect to start the task run and hand
    # the chunk over: with 0.5 s (and a short chunk) the limit sometimes ran out before that, with nothing
    # in a worker to stop.
    @flow(task_runner=ChunkProcessPool(processes=2, threads=4))
    def one_chunk_times_out():
        before = worker_pids()
        beside = process_chunk_task.with_options(retry_delay_seconds=0).submit(
            sample_files[3:] * 1000, ProcessConfig.default(), "r1", "00001", tmp_path / "stage", None, STARTED)
        pool_workers = new_workers(before, within_s=30)   # the pool's first worker: the chunk beside's
        t0 = time.monotonic()
        slow = process_chunk_task.with_options(timeout_seconds=LIMIT_S).submit(
            sample_files[:3] * 2000, ProcessConfig.default(), "r1", "00000", tmp_path / "stage", None, STARTED)
        slow.wait()
        timed_out_after = time.monotonic() - t0
        stopped = gone_within(pool_workers, 10)
        again = process_chunk_task.submit(sample_files, ProcessConfig.default(), "r1", "00002", tmp_path / "stage",
                                          None, STARTED)
        return (flow_run.id, slow.state, timed_out_after, pool_workers, stopped, beside.result().files,
                again.result().files)

    run_id, slow_state, timed_out_after, pool_workers, stopped, beside_files, again_files = one_chunk_times_out()
    assert slow_state.is_failed() and "timeout" in slow_state.message.lower()
    assert timed_out_after < LIMIT_S + 2.5   # the limit + a wait slice, not the chunk's own seconds
    assert pool_workers, "the chunk beside never reached a worker"
    assert stopped   # the timed-out chunk's pool was terminated (the worker running the chunk beside with it)
    assert beside_files == 2000 and again_files == 5   # retried on a new pool; and later chunks run as usual
    runs = task_runs_named(run_id, "process-chunk", 3)
    assert len(runs) == 3
    assert sorted(r.run_count for r in runs) == [1, 1, 2]   # the timed-out one once (not retried), the one beside it twice
    assert not is_transient_io_error(slow_state.result(raise_on_failure=False))
    assert is_transient_io_error(BrokenProcessPool("a worker was killed"))


def test_a_flow_that_fails_with_a_chunk_in_flight_stops_its_workers_at_once(tmp_path, prefect_harness):
    from prefect import flow

    from tasks.prefect_tasks import ChunkProcessPool, process_chunk_task

    sys.path.insert(0, str(REPO / "bench"))
    from generate import Mix, generate

    generate(tmp_path / "landing", n_files=400, seed=3, n_sites=4, mix=Mix())
    files = discover([str(tmp_path / "landing")], {}).todo
    seen = {}

    @flow(task_runner=ChunkProcessPool(processes=1, threads=2))
    def fails_with_a_chunk_in_flight():
        # 400 pages in a fresh worker: several seconds of work (start-up ~3 s, then ~5 ms a page)
        process_chunk_task.submit(files, ProcessConfig.default(), "r1", "00000", tmp_path / "stage", None, STARTED)
        deadline = time.monotonic() + 10
        while not worker_pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        seen["workers"] = worker_pids()
        seen["failed_at"] = time.monotonic()
        raise ValueError("the flow fails while its chunk runs")

    with pytest.raises(ValueError):
        fails_with_a_chunk_in_flight()
    assert seen["workers"]
    assert time.monotonic() - seen["failed_at"] < 2.5   # not the chunk's remaining seconds
    assert gone_within(seen["workers"], 5)
