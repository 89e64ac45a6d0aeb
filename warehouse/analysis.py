"""The analysis step of a run: refresh marts → export feeds → write the run report.

Runs after the data checks, under the run lock (the marts refresh writes DuckDB). When a
run changed nothing (no new or changed file) and the marts are not behind the warehouse (all of them
exist, and no earlier run's files are missing from them), the marts and feeds are left as they are
and only the run's report is written.
"""
from __future__ import annotations

import time
from pathlib import Path

from warehouse.feeds import export_feeds
from warehouse.loader import connect, sql
from warehouse.models import MART_SCHEMA, mart_names, refresh_models
from warehouse.report import write_report


def marts_behind(data_dir: Path) -> bool:
    """The marts do not show the warehouse as it is: one of them is missing, or some run committed new
    or changed files after they were last rebuilt (sql/marts_behind.sql). Marts of a warehouse that has
    no `marts_refreshed` yet (older than it) count as behind. One read-only connection answers all."""
    with connect(Path(data_dir), read_only=True) as con:
        tables = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
        if not {(MART_SCHEMA, name) for name in mart_names()} <= tables or ("main", "marts_refreshed") not in tables:
            return True
        return con.execute(sql("marts_behind")).fetchone()[0] > 0


def publish_analysis(data_dir: Path, run_id: str, changed: bool = True) -> dict:
    data_dir = Path(data_dir)
    t0 = time.perf_counter()
    out: dict = {"refreshed": False}
    if changed or not (data_dir / "feeds").exists() or marts_behind(data_dir):
        out["marts"] = refresh_models(data_dir)
        out["feeds"] = export_feeds(data_dir)
        out["refreshed"] = True
    out["report"] = str(write_report(data_dir, run_id))
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out
