"""The DuckDB side: open, load one run in one transaction, close.

DuckDB's writer lock blocks every other process, readers included, so a
connection is held only for the load itself. SQL lives in warehouse/sql/.
"""
from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from news_etl.schema import ANALYSIS_INPUTS, LAKE_TABLES
from tasks.dedup import (LSH_BANDS, LSH_ROWS, NUM_PERM, bucket_starts, candidate_rows, near_dup_links, near_dup_roots,
                         signature_matrix)
from tasks.lake import (committed_runs, crash_point, discard_staging, publish_run, release_freed_memory, staged_files,
                        write_part)

SQL_DIR = Path(__file__).parent / "sql"
log = logging.getLogger("news_etl.warehouse")
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


def named_blocks(text: str, marker: str) -> dict[str, str]:
    """Split a .sql file at `-- <marker>: <name>` header lines: name -> the text under it."""
    header = re.compile(rf"^-- {marker}: (\w+)\s*$", re.M)
    names = header.findall(text)
    bodies = header.split(text)[2::2]
    return dict(zip(names, bodies))


def sections(name: str) -> dict[str, str]:
    """The `-- section: <name>` blocks of warehouse/sql/<name>.sql (a step's statements, run in parts)."""
    return named_blocks(sql(name), "section")


def _execute(con: duckdb.DuckDBPyConnection, stmt: str, params: dict | None) -> duckdb.DuckDBPyConnection:
    # only the parameters the statement names: DuckDB refuses the others
    used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
    return con.execute(stmt, used) if used else con.execute(stmt)


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Run every statement of warehouse/sql/<name>.sql."""
    run_section(con, sql(name), params)


def run_section(con: duckdb.DuckDBPyConnection, text: str, params: dict | None = None) -> None:
    """Run the statements of `text` (a section of a .sql file), each with the `params` it names."""
    for stmt in statements(text):
        _execute(con, stmt, params)


def query(con: duckdb.DuckDBPyConnection, text: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Run `text`, one statement (a section of a .sql file), with the `params` it names; its result."""
    (stmt,) = statements(text)
    return _execute(con, stmt, params)


# the tables whose `paragraphs` a warehouse file of an older version stored (ddl.sql)
_PARAGRAPHS_TABLES = ("article_versions", "articles")
_COMPUTED_PARAGRAPHS = re.compile(r"\bparagraphs VARCHAR\[\] GENERATED\b", re.I)


def migrate_stored_paragraphs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rewrite the tables of a warehouse file made before `paragraphs` was computed from `body`:
    rename each, create it as ddl.sql does, copy its rows (all but the stored list, which splitting
    `body` gives back) and drop the old one, in one transaction. DuckDB cannot turn a stored column
    into a computed one in place. Returns the tables rewritten: none once a file is up to date."""
    stale = [name for name, text in con.execute(
        "select table_name, sql from duckdb_tables() where schema_name = 'main' and table_name in (?, ?)",
        list(_PARAGRAPHS_TABLES)).fetchall() if not _COMPUTED_PARAGRAPHS.search(text)]
    if not stale:
        return []
    creates = {name: stmt for stmt in statements(sql("ddl")) for name in stale
               if re.match(rf"create table if not exists {name} \(", stmt)}
    con.execute("begin transaction")
    try:
        for name in stale:
            old = f"{name}__stored_paragraphs"
            con.execute(f"alter table {name} rename to {old}")
            con.execute(creates[name])
            con.execute(f"insert into {name} by name select * exclude (paragraphs) from {old}")
            con.execute(f"drop table {old}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    log.info("warehouse: %s rewritten with paragraphs computed from body", ", ".join(stale))
    return stale


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def duckdb_config(data_dir: Path) -> dict:
    """The configuration of every warehouse connection (the runs', rebuild's, readers').

    A bounded memory_limit makes DuckDB spill to disk instead of growing (its default, 80 % of RAM,
    let a 100k load reach 8.5 GB); the spill files go to a folder of the data dir we name, so they sit
    on the warehouse's disk and are easy to find, whatever file the connection opened.
    """
    from news_etl.config import load_settings

    settings = load_settings()
    config = {"autoinstall_known_extensions": False, "memory_limit": settings.duckdb_memory_limit,
              "temp_directory": str(Path(data_dir) / "duckdb_tmp")}
    if settings.duckdb_threads:
        config["threads"] = settings.duckdb_threads
    return config


def open_duckdb(path: Path, data_dir: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the database file `path` of `data_dir`, configured as every warehouse connection is."""
    con = duckdb.connect(str(path), read_only=read_only, config=duckdb_config(data_dir))
    # DuckDB draws a progress bar on stdout when __main__ has no file (python -c, notebooks): noise in
    # logs, and a stdout pipe that nobody read while the load ran blocked it
    con.execute("set enable_progress_bar = false")
    if not read_only:
        # dictionary compression's analysis when a checkpoint compresses the run's text (paragraphs, a list
        # of strings, most) sits outside the memory limit: the 100k load peaked at 823 MB RSS, 683 MB without
        # it, for a warehouse file 28 % larger (1.86 vs 1.45 GB). Without FSST instead: 649 MB and +2 %, but a
        # load under 48MB then failed at commit, which invalidates the database (tests/test_memory.py)
        con.execute("set disabled_compression_methods = 'dictionary'")
    return con


@contextlib.contextmanager
def connect(data_dir: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path = db_path(data_dir)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `news-etl run` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_duckdb(path, data_dir, read_only)
    try:
        if not read_only:
            run_script(con, "ddl")
            migrate_stored_paragraphs(con)
        yield con
    finally:
        con.close()
        if not read_only:
            release_freed_memory()


# DuckDB's memory_limit while this process works in numpy next to an open connection (see buffer_pool_lent)
NUMPY_PHASE_MEMORY_LIMIT = "64MB"


@contextlib.contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """Run a block under another DuckDB memory_limit, then back to the one every warehouse connection
    is opened with (duckdb_config). Not back to current_setting('memory_limit'): DuckDB prints it
    rounded to 0.1 MiB, and each restore from that text would lower the limit a little.

    A statement that fails in the block aborts the open transaction, and DuckDB then refuses the SET
    that restores the limit: the block's own error is raised, and the connection keeps the block's
    limit until it is closed (every caller rolls back and closes on error)."""
    from news_etl.config import load_settings

    configured = load_settings().duckdb_memory_limit
    for size in (limit, configured):
        if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", size, re.I):
            raise ValueError(f"memory_limit: not a size: {size!r}")
    con.execute(f"set memory_limit = '{limit}'")
    try:
        yield
    except BaseException:
        # in the 1M run a mart out of memory came out as "Current transaction is aborted" from here
        with contextlib.suppress(duckdb.Error):
            con.execute(f"set memory_limit = '{configured}'")
        raise
    con.execute(f"set memory_limit = '{configured}'")


@contextlib.contextmanager
def buffer_pool_lent(con: duckdb.DuckDBPyConnection, limit: str = NUMPY_PHASE_MEMORY_LIMIT) -> Iterator[None]:
    """DuckDB's memory handed to numpy for a block: the limit lowered, so DuckDB evicts (spills) its
    buffer pool down to it at once, and the freed pages returned to the system.

    Between statements DuckDB keeps what it used, up to its limit and more in its allocator's caches,
    and numpy's arrays (the near-duplicate step's signature matrix is 256 MB at 1M articles) come on
    top. Lowering the limit is the one call that makes DuckDB let go of its pool (a test process
    holding ~400 MB fell to ~140 MB). It does not give back what the process itself keeps: in the 1M
    flow runs the step still reached 1,008 MB, then 943 MB (docs/performance.md). Queries inside the block run
    under the lowered limit and spill sooner. A pool DuckDB cannot shrink (pinned blocks) is kept."""
    with contextlib.ExitStack() as stack:
        with contextlib.suppress(duckdb.OutOfMemoryException):
            stack.enter_context(memory_limit(con, limit))
        release_freed_memory()
        yield


def create_lake_view(con: duckdb.DuckDBPyConnection, name: str, files: list[Path], table: str) -> None:
    """A temp view `name` of the lake table's columns over its Parquet parts, with DuckDB's own reader.

    Parts written by an older version may lack a newer column: it reads as null, cast to the
    schema's type, as a pyarrow dataset with the schema would give. The pyarrow dataset it replaces
    cost ~650 MB of RSS at 100k articles (its scanner's read-ahead is outside DuckDB's memory limit),
    this ~200 MB, and ran ~4x slower in the boilerplate mart's join of 4M removed lines.
    """
    con.register("lake_schema", LAKE_TABLES[table].empty_table())
    types = dict(con.execute("select column_name, column_type from (describe lake_schema)").fetchall())
    con.unregister("lake_schema")
    if files:
        source = f"read_parquet({sql_file_list(files)}, hive_partitioning = false, union_by_name = true)"
        present = {r[0] for r in con.execute(f"select column_name from (describe select * from {source})").fetchall()}
    else:
        source, present = "(select 1) as no_parts where false", set()
    columns = ", ".join(f"cast({quote_ident(c) if c in present else 'null'} as {t}) as {quote_ident(c)}"
                        for c, t in types.items())
    con.execute(f"create or replace temp view {name} as select {columns} from {source}")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_string(value: str | Path) -> str:
    """A SQL string literal (file paths in read_parquet and COPY)."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_file_list(files: list) -> str:
    """A SQL list of file paths, for read_parquet([...])."""
    return "[" + ", ".join(map(sql_string, files)) + "]"


# read straight from the run's Parquet parts rather than copied into a temp table (see register_run)
STREAMED_TABLES = ("articles", "removed_lines", "site_lines")
LOADED_TABLES = tuple(t for t in LAKE_TABLES if t not in ANALYSIS_INPUTS)
# staged articles inserted per statement: the join that numbers them holds this many rows' keys
# (file name, row number, doc id), ~15 MB at 100k; a 1M-file run in one join ran out of 256MB
LOAD_SLICE_ROWS = 100_000
SIGNATURE_BATCH = 65_536   # MinHash signatures fetched at a time for the near-duplicate pairs (~16 MB)


def register_run(con: duckdb.DuckDBPyConnection, files_by_table: dict[str, list[Path]]) -> None:
    """Each of the run's tables as `staged_<table>`: a temp table, read once, or for articles a view.

    The load statements refer to staged_articles several times; a registered Arrow dataset
    would be scanned again each time (and DuckDB's own Parquet reader is ~2.5x faster at it).
    Temp tables spill to disk, but reading whole rows of one back needed them all in memory at once
    (measured: copying a temp table of ~50 MB of bodies and paragraphs failed under a 64 MB limit where
    the same copy from its Parquet files did not); for articles (~6 KB a row) that is the run's whole
    text, and a 100k load under memory_limit=256MB ran out of memory. So articles
    are a view over the Parquet parts, read by row groups of the files; narrow scans (doc_id) read one
    column. `filename` and `file_row_number` name each staged row (load_run.sql numbers versions on them).
    The removed lines and site lines, read once each, are views too: at 1M files (39M removed lines)
    their temp table ran out of memory under 256MB.
    """
    for table in LOADED_TABLES:
        files = [str(f) for f in files_by_table.get(table, [])]
        streamed = table in STREAMED_TABLES
        numbered = table == "articles"
        row_key = ", '' as filename, 0::bigint as file_row_number" if numbered else ""
        if files:
            con.execute(f"create or replace temp {'view' if streamed else 'table'} staged_{table} as "
                        f"select * from {staged_parts(files, numbered)}")
        else:
            con.register("empty_part", LAKE_TABLES[table].empty_table())
            empty = f"staged_{table}_empty" if streamed else f"staged_{table}"   # a streamed table stays a view
            con.execute(f"create or replace temp table {empty} as select *{row_key} from empty_part")
            con.unregister("empty_part")
            if streamed:
                con.execute(f"create or replace temp view staged_{table} as select * from {empty}")


def staged_parts(files: list[str], numbered: bool = False) -> str:
    """A read_parquet over a run's parts; `numbered` adds each row's filename and file_row_number."""
    return (f"read_parquet({sql_file_list(files)}, hive_partitioning = false"
            + (", filename = true, file_row_number = true)" if numbered else ")"))


def drop_run(con: duckdb.DuckDBPyConnection) -> None:
    # these views read staged_articles or its slices: dropped first
    con.execute("drop view if exists staged_article_versions")
    con.execute("drop view if exists staged_articles_slice")
    con.execute("drop table if exists slice_versions")
    for table in LOADED_TABLES:
        if table in STREAMED_TABLES:
            con.execute(f"drop view if exists staged_{table}")
            con.execute(f"drop table if exists staged_{table}_empty")
        else:
            con.execute(f"drop table if exists staged_{table}")


def read_manifest(data_dir: Path) -> dict[str, tuple[int, int, str]]:
    """source_path -> (size, mtime_ns, sha256) of every file already accounted for."""
    if not db_path(data_dir).exists():
        return {}
    with connect(data_dir, read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "manifest" not in tables:
            return {}
        # through Arrow columns: ~1.5x faster than fetchall() of row tuples at 100k files (every run pays it)
        table = con.sql("select source_path, size, mtime_ns, sha256 from manifest").to_arrow_table()
    paths, sizes, mtimes, shas = (table.column(i).to_pylist() for i in range(4))
    return dict(zip(paths, zip(sizes, mtimes, shas)))


def committed_run_ids(data_dir: Path) -> set[str]:
    if not db_path(data_dir).exists():
        return set()
    with connect(data_dir, read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "runs" not in tables:
            return set()
        return {r[0] for r in con.execute("select run_id from runs").fetchall()}


def recover_lake(data_dir: Path, lake: Path) -> dict[str, list[str]]:
    """Bring the lake in line with the warehouse after a crash (call under the run lock).

    A run committed in DuckDB but killed before or while publishing is published now
    (publish_run is idempotent, and also writes a missing _committed marker);
    staged parts of runs that never committed are dropped.
    """
    committed = committed_run_ids(data_dir)
    staged = sorted(p.name for p in (lake / "_staging").iterdir()) if (lake / "_staging").exists() else []
    unmarked = sorted(committed - set(committed_runs(lake)))
    published = sorted(set(unmarked) | (set(staged) & committed))
    for run_id in published:
        publish_run(lake, run_id, recovering=True)
    return {"published": published, "discarded": discard_staging(lake, keep=set())}


def load_parts(con: duckdb.DuckDBPyConnection, files_by_table: dict[str, list[Path]], run_id: str) -> None:
    """Load one run's parts into the warehouse, in the caller's transaction.

    The one way a run enters DuckDB: `load_run` uses it on staged parts, `news-etl rebuild`
    on the committed lake, run after run, so both give the same tables. Whole articles are
    inserted LOAD_SLICE_ROWS staged rows at a time, whatever the size of the run.
    """
    # one thread: with two, reading a 1M-file run's 2,000 parts a table buffered them to keep their order
    # and ran out of 256MB (a temp table of 35k rejects); a load measured faster in one thread anyway
    con.execute("set threads = 1")
    register_run(con, files_by_table)
    blocks = sections("load_run")
    run_section(con, blocks["prepare"], {"run_id": run_id, "slice_rows": LOAD_SLICE_ROWS})
    for number, files in query(con, blocks["slices"]).fetchall():
        con.execute(f"create or replace temp view staged_articles_slice as select * from {staged_parts(files, True)}")
        run_section(con, blocks["slice"], {"slice": number})
    run_section(con, blocks["finish"], {"run_id": run_id})
    run_script(con, "exact_duplicates")
    assign_near_duplicates(con)
    con.execute("insert into runs select * from staged_runs")
    drop_run(con)


def assign_near_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    # the graph only changes around touched documents; a run that touched none (a no-op run) would
    # still pay for the self-join of lsh_bands below (~0.6 s at 100k articles)
    if con.execute("select count(*) from touched_docs").fetchone()[0] == 0:
        return
    params = {"bands": LSH_BANDS, "rows": LSH_ROWS}
    blocks = sections("near_duplicates")
    run_section(con, blocks["prepare"], params)
    (signatures_sql,) = statements(blocks["signatures"])   # con.sql below: a relation, read in batches
    buckets = query(con, blocks["buckets"]).to_arrow_table()
    starts = bucket_starts(buckets.column("band").to_numpy(), buckets.column("bucket").to_numpy())
    candidates, rows = candidate_rows(buckets.column("i").to_numpy())
    del buckets
    with buffer_pool_lent(con):
        con.register("nd_candidates", pa.table({"i": pa.array(candidates.astype(np.int32))}))
        try:
            # streamed in batches, each placed at its rows: the whole result (1M signatures at a 1M-file
            # load), sorted or fetched at once, ran out of DuckDB's memory
            matrix = np.zeros((len(candidates), NUM_PERM), dtype=np.uint32)
            for batch in con.sql(signatures_sql).to_arrow_reader(SIGNATURE_BATCH):
                matrix[np.searchsorted(candidates, batch.column("i").to_numpy())] = signature_matrix(batch.column("minhash"))
        finally:
            con.unregister("nd_candidates")
        linked_a, linked_b = near_dup_links(rows, starts, candidates, matrix)
        del matrix, rows, starts, candidates
        release_freed_memory()
    n = con.execute("select count(*) from nd_affected_index").fetchone()[0]
    roots = near_dup_roots(n, linked_a, linked_b)
    con.register("nd_roots", pa.table({"i": pa.array(np.arange(n, dtype=np.int32)),
                                       "root": pa.array(roots.astype(np.int32))}))
    try:
        run_section(con, blocks["assign"])
    finally:
        con.unregister("nd_roots")
        con.execute("drop table if exists nd_affected_index")


def run_loaded(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    return con.execute("select count(*) from runs where run_id = ?", [run_id]).fetchone()[0] > 0


def load_run(data_dir: Path, lake: Path, run_id: str, run_row: dict, step_rows: list[dict]) -> None:
    """Load a run's staged parts, its stats and its runs row in one transaction.

    Idempotent: a retry after a commit whose acknowledgement was lost loads nothing twice.
    """
    stage = lake / "_staging" / run_id
    write_part(stage, "runs", "0", [run_row])
    write_part(stage, "step_stats", "0", step_rows)
    files = {t: staged_files(lake, run_id, t) for t in LAKE_TABLES}
    with connect(data_dir) as con:
        if run_loaded(con, run_id):
            return
        con.execute("begin transaction")
        try:
            load_parts(con, files, run_id)
            crash_point("load")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    crash_point("after_commit")


def export_site_memory(data_dir: Path, snapshot: Path) -> None:
    """Snapshot site_memory for the workers (read without DuckDB's lock)."""
    with connect(data_dir, read_only=True) as con:
        table = con.sql("select site, fingerprint, n_pages from site_memory order by site").to_arrow_table()
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(snapshot)


def mark_run(data_dir: Path, run_id: str, status: str) -> None:
    with connect(data_dir) as con:
        run_script(con, "mark_run", {"run_id": run_id, "status": status})
