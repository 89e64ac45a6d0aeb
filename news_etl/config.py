"""One place for configuration, the same for CLI, served and deployed runs.

Precedence, lowest first: defaults below < a TOML file (`news-etl.toml` in the
working directory, or the file named by NEWS_ETL_CONFIG) < environment
variables `NEWS_ETL_<FIELD>` < explicit arguments (CLI flags, flow parameters).
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "NEWS_ETL_"


@dataclass
class Settings:
    inputs: list[str] = field(default_factory=lambda: ["samples/raw"])
    data_dir: str = "data"
    chunk_size: int = 0              # files per Prefect task; 0 = sized to the run (tasks/prefect_tasks.py files_per_chunk)
    workers: int = 0                 # processes for cleaning; 0 = one per core
    runner: str = "process"          # process | thread | dask
    dask_address: str | None = None  # with runner=dask: a scheduler address, else a LocalCluster
    max_file_bytes: int = 50_000_000        # size cap, counted after decompression
    html_timeout_s: float = 20.0            # per-document limit for trafilatura
    text_timeout_s: float = 10.0            # per-document limit for the text cleaner (a typical dump takes < 1 ms)
    html_max_bytes: int = 5_000_000         # a page larger than this is rejected as too_large
    # the text cleaner's second opinion on each HTML page (tasks/clean_html.py HtmlConfig.second_opinion):
    # devset full track 0.924 -> 0.945 for ~0.1x trafilatura's time (the HTML path 0.84x trafilatura alone, 0.74x without)
    html_second_opinion: bool = True
    rules_dir: str | None = None            # extra rule files merged over the built-in ones
    site_memory_min_pages: int = 3          # a line seen on this many pages of a site is boilerplate there
    lock_timeout_s: float = 0.0             # wait this long for another run's lock (0 = stop at once)
    # DuckDB spills to <data_dir>/duckdb_tmp past this; its default (80% of RAM) let a 100k load reach 8.5 GB and crawl
    # (256MB, measured at 100k: with the flow process the load peaks at ~0.7 GB, the story grouping at ~1 GB)
    duckdb_memory_limit: str = "256MB"
    # building the marts: DuckDB's list and string aggregates cannot spill, and the stories mart of the
    # 1M generated run (589k stories) needs ~448MB; at 100k the marts stay well under it. A refresh that
    # still runs out of memory there is rolled back and done once more under the retry limit: a slower
    # run and a higher peak, never a failed one
    duckdb_marts_memory_limit: str = "512MB"
    duckdb_marts_retry_memory_limit: str = "1GB"
    duckdb_threads: int = 0                 # DuckDB worker threads (0 = one a core; the load always uses one); each thread adds its own buffers
    feeds: bool = True                      # export marts as feeds after each run
    lake_url: str | None = None             # also upload each committed run to this fsspec URL (s3://bucket/lake)
    # scheduled runs (prefect.yaml carries the same two cron defaults; tests/test_deployments.py checks they agree)
    ingest_cron: str = "*/15 * * * *"       # incremental ingest
    maintenance_cron: str = "30 2 * * *"    # nightly maintenance
    schedule_timezone: str = "UTC"
    task_timeout_s: float = 3600.0          # a chunk task running longer than this fails the run (not retried)
    maintenance_lock_wait_s: float = 900.0  # maintenance waits this long for a running ingest to finish
    compact_max_bytes: int = 256_000_000    # a run's parts are merged into one file only below this size
    retention_days: int = 30                # reports and Prefect run artifacts older than this are pruned
    # `news-etl run` reads the manifest and scans the inputs in a child process while it imports Prefect
    # (news_etl/prefetch.py; the flow uses the result only if the warehouse did not change meanwhile)
    discovery_prefetch: bool = True

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def worker_count(self) -> int:
        """Cleaning processes: `workers`, or one a core when it is 0."""
        return self.workers or os.cpu_count() or 1


def _coerce(value: str, current: Any, name: str) -> Any:
    kind = type(current)
    if name == "inputs":
        return [p for p in value.split(os.pathsep) if p]
    if current is None or kind is str:
        return value or None
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, config file, environment and `overrides` (None values ignored)."""
    settings = Settings()
    config_file = Path(os.environ.get(ENV_PREFIX + "CONFIG", "news-etl.toml"))
    if config_file.is_file():
        with config_file.open("rb") as fh:
            from_file = tomllib.load(fh)
        settings = dataclasses.replace(settings, **{k: v for k, v in from_file.items() if k in _names()})
    for f in fields(Settings):
        env = os.environ.get(ENV_PREFIX + f.name.upper())
        if env is not None:
            setattr(settings, f.name, _coerce(env, getattr(settings, f.name), f.name))
    for key, value in overrides.items():
        if value is not None and key in _names():
            setattr(settings, key, value)
    return settings


def _names() -> set[str]:
    return {f.name for f in fields(Settings)}
