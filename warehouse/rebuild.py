"""`news-etl rebuild`: recreate warehouse.duckdb from the committed Parquet lake.

The lake holds what each run staged (articles, removed lines, rejects, files, site lines,
step stats, its runs row); versions, `dup_of`, `near_dup_group`, the manifest and the
site memory are derived at load time. Replaying the committed runs in commit order
(run ids sort in that order) through the same `load_parts` the pipeline uses therefore
gives the same tables, row for row.

The new database is built beside the old one and renamed over it, so a rebuild killed
half-way leaves the old warehouse in place.
"""
from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from news_etl.schema import LAKE_TABLES
from tasks.lake import committed_runs
from warehouse.loader import connect, db_path, export_site_memory, load_parts, open_duckdb, recover_lake, run_script
from warehouse.lock import run_lock


@dataclass
class RebuildResult:
    runs: int
    articles: int
    seconds: float
    recovered: list[str]

    def to_text(self, data_dir: Path) -> str:
        return (f"rebuilt {db_path(data_dir)} from {self.runs} committed run(s) of {Path(data_dir) / 'lake'}: "
                f"{self.articles} current articles in {self.seconds:.1f} s"
                + (f" (first published {len(self.recovered)} committed run(s) a crash had left unpublished)"
                   if self.recovered else ""))


def run_parts(lake: Path, run_id: str) -> dict[str, list[Path]]:
    return {t: sorted((lake / t / f"run_id={run_id}").glob("part-*.parquet")) for t in LAKE_TABLES}


def _settle_old(db: Path) -> None:
    """Checkpoint the old database so no WAL of it is left to be replayed onto the new file."""
    if db.exists():
        with contextlib.suppress(duckdb.Error):
            duckdb.connect(str(db)).close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(f"{db}.wal")


def rebuild(data_dir: Path, lock_timeout_s: float = 0.0, on_wait=None) -> RebuildResult:
    data = Path(data_dir)
    with run_lock(data, lock_timeout_s, on_wait=on_wait):
        return rebuild_locked(data)


def recover(data_dir: Path, lake: Path) -> dict[str, list[str]]:
    """A run's first step (under its lock): a lake with committed runs but no warehouse file
    (deleted, or lost with a disk) is rebuilt before anything else, or the run would load every
    file again as if new; then the lake is brought in line with the warehouse (recover_lake)."""
    data = Path(data_dir)
    if not db_path(data).exists() and committed_runs(lake):
        result = rebuild_locked(data, analysis=False)
        return {"published": [], "discarded": [], "rebuilt": [str(result.runs)]}
    return recover_lake(data, lake)


def rebuild_locked(data: Path, analysis: bool = True) -> RebuildResult:
    """The rebuild itself; the caller holds the run lock."""
    t0 = time.perf_counter()
    lake = data / "lake"
    db = db_path(data)
    recovered: list[str] = []
    if db.exists():
        # a run killed after its commit but before publishing has its parts only in staging
        with contextlib.suppress(duckdb.Error):
            recovered = recover_lake(data, lake)["published"]
    runs = committed_runs(lake)
    tmp = data / f"{db.name}.rebuild"
    for leftover in (tmp, Path(f"{tmp}.wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    con = open_duckdb(tmp, data)
    try:
        run_script(con, "ddl")
        for run_id in runs:
            con.execute("begin transaction")
            try:
                load_parts(con, run_parts(lake, run_id), run_id)
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        articles = con.execute("select count(*) from articles").fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()
    _settle_old(db)
    os.replace(tmp, db)
    export_site_memory(data, lake / "_state" / "site_memory.parquet")
    if analysis:
        refresh_analysis(data)
    return RebuildResult(runs=len(runs), articles=articles, seconds=time.perf_counter() - t0, recovered=recovered)


def refresh_analysis(data: Path) -> None:
    """The derived tables, marts and feeds are computed from the warehouse, not stored in the lake:
    recompute them as a run's analysis step does."""
    from warehouse.feeds import export_feeds
    from warehouse.models import refresh_models

    with connect(data, read_only=True) as con:
        if not con.execute("select count(*) from runs").fetchone()[0]:
            return
    refresh_models(data)
    export_feeds(data)
