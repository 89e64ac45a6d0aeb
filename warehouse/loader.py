"""The DuckDB side: open, load one run in one transaction, close.

DuckDB's writer lock blocks every other process, readers included, so a
connection is held only for the load itself. SQL lives in warehouse/sql/.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from news_etl.schema import LAKE_TABLES
from tasks.lake import staged_files

SQL_DIR = Path(__file__).parent / "sql"
DB_NAME = "warehouse.duckdb"


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def statements(text: str) -> list[str]:
    """Split a .sql file into statements (our files keep ';' only at statement ends)."""
    out = []
    for chunk in text.split(";\n"):
        body = "\n".join(line for line in chunk.splitlines() if not line.strip().startswith("--")).strip().rstrip(";")
        if body:
            out.append(body)
    return out


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    for stmt in statements(sql(name)):
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


@contextlib.contextmanager
def connect(data_dir: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path = db_path(data_dir)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `news-etl run` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config={"autoinstall_known_extensions": False})
    try:
        if not read_only:
            run_script(con, "ddl")
        yield con
    finally:
        con.close()


def dataset_or_empty(files: list[Path], table: str) -> ds.Dataset | pa.Table:
    schema = LAKE_TABLES[table]
    if not files:
        return schema.empty_table()
    return ds.dataset([str(f) for f in files], schema=schema, format="parquet")


def register_run(con: duckdb.DuckDBPyConnection, files_by_table: dict[str, list[Path]]) -> None:
    for table in LAKE_TABLES:
        con.register(f"staged_{table}", dataset_or_empty(files_by_table.get(table, []), table))


def read_manifest(data_dir: Path) -> dict[str, tuple[int, int, str]]:
    """source_path -> (size, mtime_ns, sha256) of every file already accounted for."""
    if not db_path(data_dir).exists():
        return {}
    with connect(data_dir, read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "manifest" not in tables:
            return {}
        rows = con.execute("select source_path, size, mtime_ns, sha256 from manifest").fetchall()
    return {p: (size, mtime, sha) for p, size, mtime, sha in rows}


def committed_run_ids(data_dir: Path) -> set[str]:
    if not db_path(data_dir).exists():
        return set()
    with connect(data_dir, read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "runs" not in tables:
            return set()
        return {r[0] for r in con.execute("select run_id from runs").fetchall()}


def load_run(data_dir: Path, lake: Path, run_id: str, run_row: dict, step_rows: list[dict]) -> None:
    """Load a run's staged parts, its stats and its runs row in one transaction."""
    files = {t: staged_files(lake, run_id, t) for t in LAKE_TABLES}
    _write_run_parts(lake / "_staging" / run_id, run_row, step_rows)
    files["runs"] = staged_files(lake, run_id, "runs")
    files["step_stats"] = staged_files(lake, run_id, "step_stats")
    with connect(data_dir) as con:
        register_run(con, files)
        con.execute("begin transaction")
        try:
            run_script(con, "load_run", {"run_id": run_id})
            run_script(con, "exact_duplicates")
            con.execute("insert into runs select * from staged_runs")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _write_run_parts(stage: Path, run_row: dict, step_rows: list[dict]) -> None:
    from tasks.lake import write_part

    write_part(stage, "runs", "0", [run_row])
    write_part(stage, "step_stats", "0", step_rows)


def export_site_memory(data_dir: Path, snapshot: Path) -> None:
    """Snapshot site_memory for the workers (read without DuckDB's lock)."""
    with connect(data_dir, read_only=True) as con:
        table = con.sql("select site, fingerprint, n_pages from site_memory order by site").to_arrow_table()
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(snapshot)
