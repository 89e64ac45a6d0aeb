"""Thin Prefect wrappers around the steps.

They live apart from the steps so that `news-etl clean` and the benchmarks
import the steps without paying for Prefect's import (about a second).
Arguments are paths and small configs, never page bodies: Prefect's default
cache would hash them, so caching is off and retries re-run a whole chunk,
which is idempotent (parts are written under fixed names).
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import errno
import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from tasks.process import ChunkResult, ProcessConfig, process_chunk
from tasks.records import FileList, SourceFile

# errno values of a storage or network hiccup that may be gone a few seconds later (NFS, s3fs, a busy disk).
# ENOENT is not one: a file that vanishes mid-run is rejected by the reader with reason 'vanished'.
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE,
                    errno.ECONNRESET, errno.ECONNREFUSED, errno.ECONNABORTED, errno.ENETUNREACH, errno.EHOSTUNREACH}
# a chunk retried on a transient error waits 2 s, then 4 s, then 8 s (plus jitter)
RETRY_DELAYS = exponential_backoff(backoff_factor=2)
MIN_CHUNK_FILES, MAX_CHUNK_FILES = 250, 500   # a chunk of 250 ~5 KB dumps is ~1 s of work; 1,000 added ~50 MB a worker
# how often a chunk task waiting for its worker process runs Python code, so that Prefect's timeout (an
# exception injected into the task's thread, delivered only while bytecode runs) reaches it
WAIT_SLICE_S = 0.25
R = TypeVar("R")


def is_transient_io_error(exc: BaseException) -> bool:
    """Worth retrying: an I/O error that may go away, or DuckDB's file lock held by a reader for a moment."""
    if type(exc).__name__ == "TaskRunTimeoutError":   # a chunk over its time limit would time out again
        return False
    if isinstance(exc, BrokenProcessPool):
        # a cleaning worker died under this chunk: killed by the OOM killer, or stopped because the
        # chunk running next to this one timed out (ChunkProcessPool.run_in_process); a new pool is started
        return True
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return True
    if isinstance(exc, OSError):
        return exc.errno in TRANSIENT_ERRNOS
    return type(exc).__name__ == "IOException" and "lock" in str(exc).lower()   # duckdb.IOException


def retry_on_transient_io(task, task_run, state) -> bool:
    """Prefect retry_condition_fn: retry only transient I/O errors, fail at once on anything else."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        try:
            state.result()
        except Exception as raised:   # noqa: BLE001  (we only classify it)
            exc = raised
    return exc is not None and is_transient_io_error(exc)


@task(name="process-chunk", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=RETRY_DELAYS(3),
      retry_jitter_factor=0.5, retry_condition_fn=retry_on_transient_io, timeout_seconds=3600)
def process_chunk_task(files: FileList | list[SourceFile], cfg: ProcessConfig, run_id: str, chunk: str,
                       staging: Path, site_memory_path: Path | None, ingested_at: dt.datetime) -> ChunkResult:
    """On a ChunkProcessPool the document work runs in one of its processes (which never import
    Prefect); on any other runner (Dask, threads, `.fn()`) right here."""
    runner = getattr(FlowRunContext.get(), "task_runner", None)
    args = (files, cfg, run_id, chunk, staging, site_memory_path, ingested_at)
    if isinstance(runner, ChunkProcessPool):
        return runner.run_in_process(process_chunk, *args)
    return process_chunk(*args)


@task(name="marts-feeds-report", cache_policy=NO_CACHE)
def analysis_task(data_dir: Path, run_id: str, changed: bool = True) -> dict:
    """Refresh the marts, export the feeds, write the run report (warehouse/analysis.py)."""
    from warehouse.analysis import publish_analysis

    return publish_analysis(data_dir, run_id, changed)


class ChunkProcessPool(ThreadPoolTaskRunner):
    """Chunk tasks in threads of the flow process; their document work in plain worker processes.

    Prefect's ProcessPoolTaskRunner ran each chunk task inside a worker process: every worker held
    ~100 MB of Prefect (its import and task engine) next to ~200 MB of our own, and each task run cost
    it ~0.17 s of CPU that was not document work. Here the task runs (states, retries, timeouts) stay
    in `threads` threads of the flow process, and `run_in_process` hands `process_chunk` to a plain
    ProcessPoolExecutor of `processes` spawned workers, which never import Prefect.

    The pool starts on demand and can be let go before the flow run ends (`release_workers`), so the
    idle workers do not sit through the load, the checks and the marts.
    """

    def __init__(self, processes: int, threads: int):
        super().__init__(max_workers=threads)
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._in_flight = 0    # calls handed to the pool and not yet returned
        self._closed = False   # no new pool once the runner is exiting

    def duplicate(self) -> "ChunkProcessPool":
        return type(self)(processes=self._processes, threads=self._max_workers)

    def __eq__(self, value: object) -> bool:
        return (isinstance(value, ChunkProcessPool) and self._processes == value._processes
                and self._max_workers == value._max_workers)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        for live in ("_pool", "_pool_lock"):   # not picklable; a served flow pickles its runner before any pool exists
            state.pop(live, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._pool, self._pool_lock = None, threading.Lock()

    def __enter__(self) -> "ChunkProcessPool":
        super().__enter__()
        self._closed = False
        logging.getLogger("prefect.task_runs").addFilter(_waits_in_slices)
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        try:
            super().__exit__(exc_type, exc_value, traceback)   # calls cancel_all
        finally:
            logging.getLogger("prefect.task_runs").removeFilter(_waits_in_slices)

    def cancel_all(self) -> None:
        # Prefect's cancel_all joins the task threads, which wait for their chunks: stop the processes
        # first (at once if chunks still run in them, e.g. the flow failed), so that the threads return
        self._closed = True
        self.release_workers()
        super().cancel_all()

    def _current_pool(self) -> ProcessPoolExecutor:
        with self._pool_lock:
            if self._closed:
                raise RuntimeError("the task runner is shutting down: no new chunk starts")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self._processes,
                                                 mp_context=multiprocessing.get_context("spawn"))
            self._in_flight += 1
            return self._pool

    def run_in_process(self, fn: Callable[..., R], *args: Any) -> R:
        """`fn(*args)` in a worker process; waits in short slices, so that a timeout or a cancel
        reaches this thread. A call abandoned while it runs cannot be stopped inside its worker:
        that pool's processes are terminated (a call running next to it fails with BrokenProcessPool,
        which is retried) and the next call starts a new pool."""
        pool, future = self._current_pool(), None
        try:
            future = pool.submit(fn, *args)
            while not concurrent.futures.wait([future], timeout=WAIT_SLICE_S).done:
                pass
            return future.result()
        except BaseException as exc:
            # the pool broke under the call, or the wait was abandoned (timeout, cancel) with the call running
            running = future is not None and not (future.done() or future.cancel())
            if isinstance(exc, BrokenProcessPool) or running:
                self._terminate(pool)
            if isinstance(exc, BrokenProcessPool) and self._closed:   # stopped by cancel_all: not worth a retry
                raise RuntimeError("the task runner stopped this chunk's worker process") from exc
            raise
        finally:
            with self._pool_lock:
                self._in_flight -= 1

    def _terminate(self, pool: ProcessPoolExecutor) -> None:
        with self._pool_lock:
            if self._pool is pool:
                self._pool = None
        # Python 3.11's executor has no way to stop a running call (terminate_workers() is 3.14)
        for process in list((pool._processes or {}).values()):
            process.terminate()
        # not cancel_futures: every call still in this pool then fails with BrokenProcessPool, which is retried
        pool.shutdown(wait=False)

    def release_workers(self) -> None:
        """Stop the worker processes: gracefully when idle; at once when calls still run in them
        (the runner exiting after a failure), so that a hung chunk cannot hold the exit."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
            busy = self._in_flight > 0
        if pool is None:
            return
        if busy:
            self._terminate(pool)
        else:
            pool.shutdown(wait=True)


def _waits_in_slices(record: logging.LogRecord) -> bool:
    """Drop Prefect's warning, once a chunk task, that a timeout cannot interrupt a task in a worker
    thread: a chunk task on a ChunkProcessPool waits in slices of WAIT_SLICE_S, where it can."""
    return not (getattr(record, "task_name", None) == "process-chunk" and isinstance(record.msg, str)
                and record.msg.startswith("Timeout of %s seconds configured for this task"))


def release_task_workers() -> None:
    """In a flow run on a ChunkProcessPool: stop its idle worker processes (no-op for other runners)."""
    ctx = FlowRunContext.get()
    runner = getattr(ctx, "task_runner", None)
    if isinstance(runner, ChunkProcessPool):
        runner.release_workers()


def results_as_completed(submit: Callable[[int], PrefectFuture], n: int, in_flight: int) -> Iterator:
    """Results of submit(0) .. submit(n - 1) as they complete, with at most `in_flight` submitted and unfinished.

    Submitting every chunk at once kept each one's pickled call (its file list ~33 KB, the task, and
    Prefect's serialized context ~42 KB: ~80 KB a chunk of 250 files) in the flow process until it ran:
    O(files), ~32 MB at 100k files and ~320 MB at 1M.
    """
    pending: set[PrefectFuture] = set()
    submitted = 0
    while submitted < n or pending:
        while submitted < n and len(pending) < in_flight:
            pending.add(submit(submitted))
            submitted += 1
        future = next(as_completed(list(pending)))
        pending.discard(future)
        yield future.result()


def files_per_chunk(settings, n_files: int) -> int:
    """Files per chunk task. A task run cost a worker ~0.17 s of Prefect overhead when task runs ran in
    the workers (measured at 100k: 400 chunks of 250 files spent ~115 s a worker outside document work,
    100 chunks of 1,000 ~63 s); on a ChunkProcessPool that cost moved to the flow process and the Prefect
    API, and still grows with the number of chunks, so large runs get large chunks; small runs still get
    four chunks a worker to share the work evenly."""
    if settings.chunk_size > 0:
        return settings.chunk_size
    return min(MAX_CHUNK_FILES, max(MIN_CHUNK_FILES, -(-n_files // (4 * settings.worker_count))))


def chunks_in_flight(settings) -> int:
    """How many chunk tasks to keep submitted: two a worker keeps every worker busy. With the
    address of an outside Dask cluster we do not know its size: no bound."""
    if settings.runner == "dask" and settings.dask_address:
        return 1 << 30
    return 2 * settings.worker_count
