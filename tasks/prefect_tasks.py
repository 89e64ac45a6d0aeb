"""Thin Prefect wrappers around the steps.

They live apart from the steps so that `news-etl clean` and the benchmarks
import the steps without paying for Prefect's import (about a second).
Arguments are paths and small configs, never page bodies: Prefect's default
cache would hash them, so caching is off and retries re-run a whole chunk,
which is idempotent (parts are written under fixed names).
"""
from __future__ import annotations

import datetime as dt
import errno
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.tasks import exponential_backoff

from tasks.process import ChunkResult, ProcessConfig, process_chunk
from tasks.records import SourceFile

# errno values of a storage or network hiccup that may be gone a few seconds later (NFS, s3fs, a busy disk).
# ENOENT is not one: a file that vanishes mid-run is rejected by the reader with reason 'vanished'.
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE,
                    errno.ECONNRESET, errno.ECONNREFUSED, errno.ECONNABORTED, errno.ENETUNREACH, errno.EHOSTUNREACH}
# a chunk retried on a transient error waits 2 s, then 4 s, then 8 s (plus jitter)
RETRY_DELAYS = exponential_backoff(backoff_factor=2)
MIN_CHUNK_FILES, MAX_CHUNK_FILES = 250, 1000   # a chunk of 250 ~5 KB dumps is ~1 s of work; 1,000 adds ~50 MB a worker


def is_transient_io_error(exc: BaseException) -> bool:
    """Worth retrying: an I/O error that may go away, or DuckDB's file lock held by a reader for a moment."""
    if type(exc).__name__ == "TaskRunTimeoutError":   # a chunk over its time limit would time out again
        return False
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
def process_chunk_task(files: list[SourceFile], cfg: ProcessConfig, run_id: str, chunk: str,
                       staging: Path, site_memory_path: Path | None, ingested_at: dt.datetime) -> ChunkResult:
    return process_chunk(files, cfg, run_id, chunk, staging, site_memory_path, ingested_at)


@task(name="marts-feeds-report", cache_policy=NO_CACHE)
def analysis_task(data_dir: Path, run_id: str, changed: bool = True) -> dict:
    """Refresh the marts, export the feeds, write the run report (warehouse/analysis.py)."""
    from warehouse.analysis import publish_analysis

    return publish_analysis(data_dir, run_id, changed)


class ChunkProcessPool(ProcessPoolTaskRunner):
    """Prefect's process pool, whose worker processes can be let go before the flow run ends.

    Prefect keeps the pool until the flow returns, so the two cleaning workers (~400 MB each:
    Prefect, pyarrow, the language model) sat idle through the load, the checks and the marts,
    on top of their memory peaks. `release_workers` stops them; the pool starts workers again
    if another task is submitted (a ProcessPoolExecutor spawns its processes on demand).
    """

    def release_workers(self) -> None:
        old = self._executor
        if old is None:
            return
        # same arguments as Prefect's own pool (spawn context, its worker initializer)
        self._executor = ProcessPoolExecutor(max_workers=old._max_workers, mp_context=old._mp_context,
                                             initializer=old._initializer, initargs=old._initargs)
        old.shutdown(wait=True)


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
    """Files per chunk task. A task run costs a worker ~0.17 s of Prefect overhead (measured at 100k:
    400 chunks of 250 files spent ~115 s a worker outside document work, 100 chunks of 1,000 ~63 s),
    so large runs get large chunks; small runs still get four chunks a worker to share the work evenly."""
    if settings.chunk_size > 0:
        return settings.chunk_size
    return min(MAX_CHUNK_FILES, max(MIN_CHUNK_FILES, -(-n_files // (4 * settings.worker_count))))


def chunks_in_flight(settings) -> int:
    """How many chunk tasks to keep submitted: two a worker keeps every worker busy. With the
    address of an outside Dask cluster we do not know its size: no bound."""
    if settings.runner == "dask" and settings.dask_address:
        return 1 << 30
    return 2 * settings.worker_count
