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
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from tasks.process import ChunkResult, ProcessConfig, process_chunk
from tasks.records import SourceFile

# errno values of a storage or network hiccup that may be gone a few seconds later (NFS, s3fs, a busy disk).
# ENOENT is not one: a file that vanishes mid-run is rejected by the reader with reason 'vanished'.
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE,
                    errno.ECONNRESET, errno.ECONNREFUSED, errno.ECONNABORTED, errno.ENETUNREACH, errno.EHOSTUNREACH}
# a chunk retried on a transient error waits 2 s, then 4 s, then 8 s (plus jitter)
RETRY_DELAYS = exponential_backoff(backoff_factor=2)


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
