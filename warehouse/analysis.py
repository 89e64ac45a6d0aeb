"""The analysis step of a run: refresh marts → export feeds → write the run report.

Runs after the data checks, under the run lock (the marts refresh writes DuckDB). When a
run changed nothing (no new or changed file), the marts exist and no earlier run's files are
missing from them, the marts and feeds are left as they are and only the run's report is written.
"""
from __future__ import annotations

import time
from pathlib import Path

from warehouse.feeds import export_feeds
from warehouse.loader import connect, sql
from warehouse.models import MART_SCHEMA, mart_names, refresh_models
from warehouse.report import write_report


def marts_exist(data_dir: Path) -> bool:
    with connect(Path(data_dir), read_only=True) as con:
        have = {r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = ?",
                                          [MART_SCHEMA]).fetchall()}
    return set(mart_names()) <= have


def marts_behind(data_dir: Path) -> bool:
    """Some run committed new or changed files after the marts were last rebuilt (sql/marts_behind.sql).
    Marts of a warehouse that has no `marts_refreshed` yet (older than it) count as behind."""
    with connect(Path(data_dir), read_only=True) as con:
        if not con.execute("select count(*) from information_schema.tables where table_name = 'marts_refreshed'").fetchone()[0]:
            return True
        return con.execute(sql("marts_behind")).fetchone()[0] > 0


def publish_analysis(data_dir: Path, run_id: str, changed: bool = True) -> dict:
    data_dir = Path(data_dir)
    t0 = time.perf_counter()
    out: dict = {"refreshed": False}
    if changed or not marts_exist(data_dir) or not (data_dir / "feeds").exists() or marts_behind(data_dir):
        out["marts"] = refresh_models(data_dir)
        out["feeds"] = export_feeds(data_dir)
        out["refreshed"] = True
    out["report"] = str(write_report(data_dir, run_id))
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out
