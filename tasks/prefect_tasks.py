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

from tasks.process import ChunkResult, ProcessConfig, process_chunk
from tasks.records import SourceFile


@task(name="process-chunk", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def process_chunk_task(files: list[SourceFile], cfg: ProcessConfig, run_id: str, chunk: str,
                       staging: Path, site_memory_path: Path | None, ingested_at: dt.datetime) -> ChunkResult:
    return process_chunk(files, cfg, run_id, chunk, staging, site_memory_path, ingested_at)


@task(name="marts-feeds-report", cache_policy=NO_CACHE)
def analysis_task(data_dir: Path, run_id: str, changed: bool = True) -> dict:
    """Refresh the marts, export the feeds, write the run report (warehouse/analysis.py)."""
    from warehouse.analysis import publish_analysis

    return publish_analysis(data_dir, run_id, changed)
