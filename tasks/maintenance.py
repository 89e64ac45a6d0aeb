"""Nightly maintenance steps: compact the lake, checkpoint DuckDB, prune old artifacts.

Plain functions (the flow in flows/maintenance.py composes them). Every step
is safe to kill at any moment and safe to re-run; the flow calls them while
holding the run lock (warehouse/lock.py), so no ingest run writes meanwhile.

Compaction keeps the lake layout and its commit unit: the parts of one
committed run (`lake/<table>/run_id=<id>/part-*.parquet`) are merged into one
file in that same folder, rows in the order `committed_files` reads them, so
`news-etl rebuild` gives the same tables. The new folder is built beside the
lake (`lake/_compaction/`) and swapped in with one atomic renameat2
(RENAME_EXCHANGE): a reader or a crash sees either all old parts or the one
new part, never both and never neither.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import errno
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from news_etl.schema import LAKE_TABLES
from tasks.lake import COMPRESSION, committed_runs

COMPACTED_NAME = "part-compacted.parquet"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass
class CompactionResult:
    runs_compacted: int = 0
    files_before: int = 0
    files_after: int = 0
    skipped_large: int = 0
    skipped_unsupported: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    tables: dict[str, int] = field(default_factory=dict)   # table -> runs compacted


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        raise OSError(errno.ENOSYS, "renameat2 not available in this libc")
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(a))


def work_dir(lake: Path) -> Path:
    return lake / "_compaction"


def clear_leftovers(lake: Path) -> None:
    """A killed compaction leaves only a folder under lake/_compaction: either the
    unswapped new part or the swapped-out old parts; what is in the lake is complete either way."""
    shutil.rmtree(work_dir(lake), ignore_errors=True)


def compact_lake(lake: Path, max_bytes: int = 256_000_000, min_files: int = 2) -> CompactionResult:
    """Merge each committed run's parts of each table into one file (runs above max_bytes are left alone)."""
    result = CompactionResult()
    clear_leftovers(lake)
    for run_id in committed_runs(lake):
        for table, schema in LAKE_TABLES.items():
            run_dir = lake / table / f"run_id={run_id}"
            parts = sorted(run_dir.glob("part-*.parquet"))
            if len(parts) < min_files:
                continue
            size = sum(p.stat().st_size for p in parts)
            if size > max_bytes:
                result.skipped_large += 1
                continue
            new_dir = work_dir(lake) / table / f"run_id={run_id}"
            new_dir.mkdir(parents=True, exist_ok=True)
            merged = pa.concat_tables([pq.read_table(p, schema=schema) for p in parts])
            pq.write_table(merged, new_dir / COMPACTED_NAME, compression=COMPRESSION)
            try:
                _exchange(new_dir, run_dir)
            except OSError as exc:
                if exc.errno in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
                    result.skipped_unsupported += 1   # filesystem without atomic exchange: leave the run as it is
                    shutil.rmtree(new_dir, ignore_errors=True)
                    continue
                raise
            shutil.rmtree(new_dir, ignore_errors=True)   # now holds the old parts
            result.runs_compacted += 1
            result.files_before += len(parts)
            result.files_after += 1
            result.bytes_before += size
            result.bytes_after += (run_dir / COMPACTED_NAME).stat().st_size
            result.tables[table] = result.tables.get(table, 0) + 1
    clear_leftovers(lake)
    return result


def checkpoint(data_dir: Path) -> float:
    """DuckDB CHECKPOINT: fold the WAL into the database file. Returns seconds taken."""
    from warehouse.loader import connect, db_path

    if not db_path(data_dir).exists():
        return 0.0
    t0 = time.perf_counter()
    with connect(data_dir) as con:
        con.execute("CHECKPOINT")
    return time.perf_counter() - t0


def prune_old_files(folder: Path, older_than: dt.datetime, keep_newest: int = 5) -> list[Path]:
    """Delete files and folders directly under `folder` last modified before `older_than`,
    always keeping the `keep_newest` most recent entries (a quiet month leaves the last reports)."""
    if not folder.is_dir():
        return []
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    cutoff = older_than.timestamp()
    removed = []
    for entry in entries[keep_newest:]:
        if entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            removed.append(entry)
    return removed


def prune_prefect_artifacts(keys: list[str], older_than: dt.datetime) -> int:
    """Delete Prefect artifacts with these keys created before `older_than` (needs an API)."""
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    cutoff = older_than.replace(tzinfo=older_than.tzinfo or dt.timezone.utc)
    old_ids, offset, page = [], 0, 200
    with get_client(sync_client=True) as client:
        while True:
            batch = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)),
                                          sort=ArtifactSort.CREATED_DESC, limit=page, offset=offset)
            old_ids += [a.id for a in batch if a.created and a.created < cutoff]
            if len(batch) < page:
                break
            offset += page
        for artifact_id in old_ids:
            client.delete_artifact(artifact_id)
    return len(old_ids)
