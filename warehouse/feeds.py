"""Feeds: every mart exported to <data-dir>/feeds/<mart>.parquet, .csv and .json after each run.

Dashboards read feeds, never the DuckDB file (a writer locks readers out of it). Each file is
written under a temporary name in the same folder and renamed into place with os.replace, so
a reader sees the previous complete file or the new complete file, never a partial one.

Each feed's columns and types are a contract, stored as data in warehouse/contracts/<feed>.json.
Export refuses a mart whose columns differ from its contract: changing a feed means editing
its contract in the same commit, a deliberate and visible act (tests/test_feeds.py).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from warehouse.loader import connect, sql_string
from warehouse.models import MART_SCHEMA, mart_names

CONTRACTS_DIR = Path(__file__).parent / "contracts"
FORMATS = ("parquet", "csv", "json")
_COPY_OPTIONS = {
    "parquet": "(format parquet, compression zstd)",
    "csv": "(format csv, header true)",
    "json": "(format json, array true)",   # one JSON array of row objects: what a web dashboard fetches
}


class ContractBroken(RuntimeError):
    pass


def feeds_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "feeds"


def load_contract(feed: str) -> dict:
    return json.loads((CONTRACTS_DIR / f"{feed}.json").read_text(encoding="utf-8"))


def mart_columns(con: duckdb.DuckDBPyConnection, mart: str) -> list[dict]:
    rows = con.execute("select column_name, data_type from information_schema.columns "
                       "where table_schema = ? and table_name = ? order by ordinal_position",
                       [MART_SCHEMA, mart]).fetchall()
    return [{"name": name, "type": dtype} for name, dtype in rows]


def check_contract(feed: str, columns: list[dict]) -> None:
    expected = load_contract(feed)["columns"]
    got = [{"name": c["name"], "type": c["type"]} for c in columns]
    want = [{"name": c["name"], "type": c["type"]} for c in expected]
    if got != want:
        raise ContractBroken(f"feed {feed!r} no longer matches warehouse/contracts/{feed}.json: "
                             f"expected {want}, got {got}; change the contract on purpose if this is wanted")


def export_feeds(data_dir: Path) -> dict[str, int]:
    """Export every mart as Parquet, CSV and JSON, each replaced atomically; rows per feed.

    Opens the warehouse read-only: call it under the run lock, after refresh_models.
    """
    out_dir = feeds_dir(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with connect(Path(data_dir), read_only=True) as con:
        for mart in mart_names():
            check_contract(mart, mart_columns(con, mart))
            for fmt in FORMATS:
                final = out_dir / f"{mart}.{fmt}"
                tmp = out_dir / f".{mart}.{fmt}.tmp-{os.getpid()}"
                try:
                    con.execute(f"copy (select * from {MART_SCHEMA}.{mart}) to {sql_string(tmp)} {_COPY_OPTIONS[fmt]}")
                    os.replace(tmp, final)
                finally:
                    tmp.unlink(missing_ok=True)
            counts[mart] = con.execute(f"select count(*) from {MART_SCHEMA}.{mart}").fetchone()[0]
    return counts
