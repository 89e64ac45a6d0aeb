"""The Parquet lake: parts written under a temporary name, renamed into place.

Layout (see docs/architecture.md):
  lake/_staging/<run_id>/<table>/part-<n>.parquet   written by chunk tasks
  lake/<table>/run_id=<run_id>/part-<n>.parquet     after the run's DuckDB commit
  lake/_committed/<run_id>                          marker: the run is complete in the lake
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from news_etl.schema import LAKE_TABLES

COMPRESSION = "zstd"
KILL_AT_ENV = "NEWS_ETL_TEST_KILL_AT"


def release_freed_memory() -> None:
    """Hand memory freed by Arrow (results, tables written) and by a closed write connection back to
    the system.

    A run's process lives on after the load and through the marts, and a cleaning worker through
    a thousand chunks at 1M files; freed pages kept by pyarrow's pool and by glibc's heap otherwise
    add to every later step's peak (a worker kept ~25 MB more after 80 chunks)."""
    pa.default_memory_pool().release_unused()
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to do
        pass


def crash_point(name: str) -> None:
    """Test hook: SIGKILL the run here when NEWS_ETL_TEST_KILL_AT names this point.

    Points: `staging` (a chunk's part written, not renamed), `load` (inside the DuckDB
    transaction, before commit), `after_commit` (committed, nothing published),
    `publish` (half the run's parts moved into the lake). The crash tests start the CLI
    in its own session, so the whole process group dies, worker processes included,
    as with `kill -9` of a run's process group.
    """
    if os.environ.get(KILL_AT_ENV) != name:
        return
    if os.getpgrp() == os.getsid(0):   # we lead (or belong to) a session of our own: take the workers too
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def staging_dir(lake: Path, run_id: str) -> Path:
    return lake / "_staging" / run_id


def committed_marker(lake: Path, run_id: str) -> Path:
    return lake / "_committed" / run_id


def write_part(folder: Path, table: str, part: str, rows: list[dict] | dict[str, list]) -> Path | None:
    """Write `rows` of lake table `table` as one Parquet file; None when there are no rows.

    `rows` is a list of row dicts, or the table's columns as equally long lists: a worker's chunk
    has ~40 removed lines and ~48 terms a document, and a dict per row cost it ~6 % of its time
    (in Arrow's from_pylist and in building the dicts)."""
    schema = LAKE_TABLES[table]
    if isinstance(rows, dict):
        if not rows or not len(next(iter(rows.values()))):
            return None
        arrow = pa.Table.from_pydict(rows, schema=schema)
    elif not rows:
        return None
    else:
        arrow = pa.Table.from_pylist(rows, schema=schema)
    out_dir = folder / table
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"part-{part}.parquet"
    tmp = out_dir / f".part-{part}.parquet.tmp"
    pq.write_table(arrow, tmp, compression=COMPRESSION)
    crash_point("staging")
    os.replace(tmp, final)   # readers never see a half-written part
    return final


def staged_files(lake: Path, run_id: str, table: str) -> list[Path]:
    return sorted((staging_dir(lake, run_id) / table).glob("part-*.parquet"))


def publish_run(lake: Path, run_id: str, recovering: bool = False) -> None:
    """Move a committed run's staged parts into the lake, then write its marker.

    Idempotent: a run killed half-way through publishing is finished by the next run's recovery,
    which passes `recovering=True` so that the test kill point `publish` fires only in a run's own publish.
    """
    stage = staging_dir(lake, run_id)
    if stage.exists():
        for i, table_dir in enumerate(sorted(p for p in stage.iterdir() if p.is_dir())):
            if i == 1 and not recovering:
                crash_point("publish")
            target = lake / table_dir.name / f"run_id={run_id}"
            target.mkdir(parents=True, exist_ok=True)
            for part in sorted(table_dir.glob("part-*.parquet")):
                os.replace(part, target / part.name)
        shutil.rmtree(stage, ignore_errors=True)
    marker = committed_marker(lake, run_id)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def committed_runs(lake: Path) -> list[str]:
    folder = lake / "_committed"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def committed_files(lake: Path, table: str, run_ids: set[str] | None = None) -> list[Path]:
    """Parquet parts of `table` that belong to committed runs (of `run_ids` if given), in run order."""
    files: list[Path] = []
    for run_id in committed_runs(lake):
        if run_ids is not None and run_id not in run_ids:
            continue
        files.extend(sorted((lake / table / f"run_id={run_id}").glob("part-*.parquet")))
    return files


def discard_staging(lake: Path, keep: set[str]) -> list[str]:
    """Remove staged parts of runs that never committed (a crash before the DuckDB commit)."""
    root = lake / "_staging"
    dropped = []
    if root.exists():
        for run_dir in root.iterdir():
            if run_dir.name not in keep:
                shutil.rmtree(run_dir, ignore_errors=True)
                dropped.append(run_dir.name)
    return dropped
