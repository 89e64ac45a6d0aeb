"""Warehouse models: staging views, the Python-derived tables, then marts, in dependency order.

Layout (one model a file, the file's stem is the model's name):
  models/staging/stg_*.sql   views; over the Parquet lake of committed runs (registered here
                             as `lake_<table>`), except stg_articles, which reads the DuckDB
                             `articles` table because the current version, dup_of and
                             near_dup_group are derived at load time and live only there
  models/derived.sql         DDL of article_terms, term_df and story_members (computed here, by the
                             statements of sql/article_terms.sql and sql/story_members.sql), and of
                             marts_refreshed (the last run the marts were built after)
  models/marts/*.sql         materialized as tables `marts.<name>`: dashboards query them
                             (and the feeds export them) without recomputing anything

Staging views are TEMP views of the refresh connection: the lake is registered as Arrow
datasets (read the way the loader reads it), and the DuckDB file keeps no absolute paths.
Dependencies are read off the SQL: a model depends on every other model whose name it
mentions; staging comes before derived tables, derived tables before marts.
The derived tables are refreshed in one transaction, then the marts in another (refresh_models),
under the caller's run lock.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.lake import committed_files, release_freed_memory
from warehouse.loader import (buffer_pool_lent, connect, create_lake_view, memory_limit, query, run_script, run_section,
                              sections, statements)
from warehouse.parallel import ordered_map
from warehouse.stories import LABEL_TERMS, STORY_MEMBERS, StoryParams, extend_stories, link_components, linked_pairs
from tasks.terms import TITLE_WEIGHT, add_article_term_columns

MODELS_DIR = Path(__file__).parent / "models"
LAKE_SOURCES = ("removed_lines", "rejects", "runs")
LAYERS = ("staging", "marts")
MART_SCHEMA = "marts"
TERMS_BATCH = 2000
TERMS_PARALLEL_MIN = 8000   # below this, starting worker processes costs more than it saves
FULL_REGROUP_SHARE = 0.5    # a run bringing this share of the articles regroups them all (cheaper than extending)
LABEL_BATCH = 100_000       # stories whose labels are ranked at once (the top-terms states of 1M did not fit 256MB)

STORY_ROWS = pa.schema([f for f in STORY_MEMBERS if f.name != "version"])
ARTICLE_TERMS = pa.schema([
    ("doc_id", pa.string()), ("version", pa.int32()), ("term", pa.string()),
    ("tf", pa.int32()), ("title_tf", pa.int32()), ("term_rank", pa.int16()),
])


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    layer: str       # staging | marts
    sql: str
    depends_on: tuple[str, ...]


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def discover_models() -> list[Model]:
    files = {layer: sorted((MODELS_DIR / layer).glob("*.sql")) for layer in LAYERS}
    names = {f.stem for layer_files in files.values() for f in layer_files}
    models = []
    for layer, layer_files in files.items():
        for f in layer_files:
            sql = f.read_text(encoding="utf-8").strip().rstrip(";")
            body = _strip_comments(sql)
            deps = tuple(sorted(n for n in names if n != f.stem and re.search(rf"\b{n}\b", body)))
            models.append(Model(f.stem, layer, sql, deps))
    return models


def dependency_order(models: list[Model]) -> list[Model]:
    """Staging first, then marts; inside a layer, dependencies first, then by name."""
    by_name = {m.name: m for m in models}
    done: list[Model] = []
    seen: set[str] = set()

    def visit(m: Model, path: tuple[str, ...]) -> None:
        if m.name in seen:
            return
        if m.name in path:
            raise ValueError(f"models depend on each other in a cycle: {' -> '.join(path + (m.name,))}")
        for dep in m.depends_on:
            if LAYERS.index(by_name[dep].layer) > LAYERS.index(m.layer):
                raise ValueError(f"staging model {m.name} may not read mart {dep}")
            visit(by_name[dep], path + (m.name,))
        seen.add(m.name)
        done.append(m)

    for m in sorted(models, key=lambda m: (LAYERS.index(m.layer), m.name)):
        visit(m, ())
    return done


def mart_names() -> list[str]:
    return [m.name for m in dependency_order(discover_models()) if m.layer == "marts"]


def register_lake(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    for table in LAKE_SOURCES:
        create_lake_view(con, f"lake_{table}", committed_files(lake, table), table)


def terms_columns(articles: list[tuple]) -> dict[str, list]:
    """The article_terms columns of (doc_id, version, language, title, body) tuples, as the workers
    build theirs (runs in worker processes too)."""
    columns: dict[str, list] = {name: [] for name in ARTICLE_TERMS.names}
    for doc_id, version, language, title, body in articles:
        add_article_term_columns(columns, title, body, language, doc_id=doc_id, version=version)
    return columns


def update_article_terms(con: duckdb.DuckDBPyConnection, lake: Path) -> tuple[int, int]:
    """Terms for article versions that have none yet; drop terms of versions no longer current
    (sql/article_terms.sql, which also keeps term_df, each term's document frequency, in step).

    The terms come from the lake's article_terms parts, which the workers wrote with the articles;
    only articles without such parts (lakes written before the workers kept terms) are computed here.
    Returns (versions copied from the lake, versions computed).
    """
    steps = sections("article_terms")
    run_section(con, steps["prepare"])
    runs = {r[0] for r in query(con, steps["runs_without_terms"]).fetchall()}
    from_lake = computed = 0
    if runs:
        from_lake = _copy_lake_article_terms(con, steps, committed_files(lake, "article_terms", runs))
        computed = _compute_article_terms(con, steps)
    if query(con, steps["delta_rows"]).fetchone()[0]:
        run_section(con, steps["apply_delta"])
    run_section(con, steps["finish"])
    return from_lake, computed


def _copy_lake_article_terms(con: duckdb.DuckDBPyConnection, steps: dict[str, str], parts: list[Path]) -> int:
    """Copy the terms the workers wrote for the current versions that have none; versions copied."""
    if not parts:
        return 0
    run_section(con, steps["copy_from_lake"], {"parts": [str(p) for p in parts]})
    added = query(con, steps["lake_terms_versions"]).fetchone()[0]
    run_section(con, steps["insert_lake_terms"])
    return added


def _compute_article_terms(con: duckdb.DuckDBPyConnection, steps: dict[str, str]) -> int:
    todo = [r[0] for r in query(con, steps["to_compute"]).fetchall()]
    batches = [todo[i:i + TERMS_BATCH] for i in range(0, len(todo), TERMS_BATCH)]

    def read(ids: list[str]) -> list[tuple]:
        con.register("terms_batch", pa.table({"doc_id": pa.array(ids, pa.string())}))
        try:
            return query(con, steps["read_batch"]).fetchall()
        finally:
            con.unregister("terms_batch")

    def write(columns: dict[str, list]) -> None:
        con.register("new_article_terms", pa.Table.from_pydict(columns, schema=ARTICLE_TERMS))
        try:
            run_section(con, steps["write_batch"])
        finally:
            con.unregister("new_article_terms")

    workers = min(os.cpu_count() or 1, len(batches)) if len(todo) >= TERMS_PARALLEL_MIN else 1
    if workers <= 1:
        for ids in batches:
            write(terms_columns(read(ids)))
        return len(todo)
    # spawn, not fork: the caller may run inside Prefect's threads
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        # bounded: at most 2 batches a worker read and not yet written
        for columns in ordered_map(pool, terms_columns, map(read, batches), 2 * workers):
            write(columns)
    return len(todo)


def _write_story_rows(con: duckdb.DuckDBPyConnection, steps: dict[str, str], rows: list[dict], replaced: set[str]) -> None:
    """Replace the rows of the stories a run touched (the version is the article's current one)."""
    con.register("new_story_members", pa.Table.from_pylist(rows, schema=STORY_ROWS))
    con.register("replaced_stories", pa.table({"story_id": pa.array(sorted(replaced), pa.string())}))
    try:
        run_section(con, steps["write_rows"])
    finally:
        con.unregister("replaced_stories")
        con.unregister("new_story_members")


def update_story_members(con: duckdb.DuckDBPyConnection, params: StoryParams | None = None, full: bool = False) -> int:
    """Group the current articles into stories (warehouse/stories.py, sql/story_members.sql); rows written.

    Incremental by default: articles that are new (or a new version) join the stories found
    before, single-link against every article they share a term with; articles no longer
    current leave their story. Everything is regrouped when there is nothing to extend (the
    first run), when a run brings at least FULL_REGROUP_SHARE of the articles (the blockwise
    full grouping is then the cheaper way), and with `full=True` (nightly maintenance), which
    also takes the IDF drift of a growing corpus into account.
    """
    params = params or StoryParams()
    steps = sections("story_members")
    run_section(con, steps["prepare"])
    n_current, n_new, stale = query(con, steps["counts"]).fetchone()
    if not full and not n_new and not stale and n_current:
        return 0
    if stale:
        run_section(con, steps["drop_stale"])
    if full or n_current == n_new or n_new >= FULL_REGROUP_SHARE * n_current:
        return _group_all_story_members(con, steps, params, n_current)
    if not n_new:
        return 0
    new_docs = {r[0] for r in query(con, steps["new_versions"]).fetchall()}
    rows, replaced = _extend_story_members(con, steps, new_docs, n_current, params)
    _write_story_rows(con, steps, rows, replaced)
    return len(rows)


def _story_df(con: duckdb.DuckDBPyConnection, steps: dict[str, str]) -> None:
    """story_df(term, df): in how many current articles each term is (the term_df table, recounted
    when it does not add up to article_terms)."""
    if not query(con, steps["df_consistent"]).fetchone()[0]:
        run_section(con, steps["df_recount"])
    run_section(con, steps["df_view"])


def _group_all_story_members(con: duckdb.DuckDBPyConnection, steps: dict[str, str], params: StoryParams,
                             n_docs: int) -> int:
    """Regroup every current article (warehouse.stories.link_components), memory bounded.

    The weights are computed once in DuckDB; only the postings that can link (terms carried by
    2..max_df articles) leave it, as numpy arrays of 16 bytes a posting; story ids, labels and rows
    are made in DuckDB. No Python object per article.
    """
    weights_args = {"title_extra": TITLE_WEIGHT - 1, "n_docs": n_docs}
    run_section(con, steps["all_docs"])
    _story_df(con, steps)
    run_section(con, steps["all_weights"], weights_args)
    # (con.execute, not con.sql: a relation with parameters fetched as Arrow took 55 s here instead of 0.6 s)
    postings = query(con, steps["all_postings"], {"max_df": params.max_df}).to_arrow_table()
    # numpy copies, and the Arrow result let go before the linking (~16 bytes a posting less at its peak)
    doc_arr, term_arr, w_arr = (postings.column(c).to_numpy() for c in ("idx", "term_id", "weight"))
    del postings
    days = query(con, steps["all_days"]).to_arrow_table().column("day")
    day_arr = pc.cast(days, pa.float64()).to_numpy(zero_copy_only=False) if n_docs else np.empty(0)
    del days
    with buffer_pool_lent(con):
        root, best = link_components(n_docs, doc_arr, term_arr, w_arr, day_arr, params, by_term=True)
        del doc_arr, term_arr, w_arr, day_arr
    release_freed_memory()   # before the labels' SQL, the other half of this step's peak
    size = np.bincount(root, minlength=n_docs)[root] if n_docs else root
    similarity = np.where(np.isnan(best), np.where(size == 1, 1.0, 0.0), best)
    con.register("story_roots", pa.table({
        "idx": pa.array(np.arange(n_docs, dtype=np.int32)), "root": pa.array(root.astype(np.int32)),
        "best_similarity": pa.array([round(x, 6) for x in similarity.tolist()], pa.float64())}))
    del root, best, size, similarity
    try:
        run_section(con, steps["all_term_totals"])
        for lo in range(0, n_docs, LABEL_BATCH):
            run_section(con, steps["all_labels"], {"label_terms": LABEL_TERMS, "lo": lo, "hi": lo + LABEL_BATCH})
        run_section(con, steps["all_members"])
    finally:
        con.unregister("story_roots")
        run_section(con, steps["all_cleanup"])
    return n_docs


def _extend_story_members(con: duckdb.DuckDBPyConnection, steps: dict[str, str], new_docs: set[str], n_docs: int,
                          params: StoryParams) -> tuple[list[dict], set[str]]:
    """Link the new articles to the older ones (warehouse.stories.extend_stories).

    Only the postings of the new articles' terms (df <= max_df) leave DuckDB, with weights
    already normalized there: the cost follows those postings, not the warehouse size.
    """
    weights_args = {"title_extra": TITLE_WEIGHT - 1, "n_docs": n_docs}
    _story_df(con, steps)
    con.register("story_new_docs", pa.table({"doc_id": pa.array(sorted(new_docs), pa.string())}))
    run_section(con, steps["extend_candidates"], {"max_df": params.max_df, **weights_args})
    con.unregister("story_new_docs")
    postings = query(con, steps["extend_postings"], weights_args).to_arrow_table()
    candidates = query(con, steps["extend_candidate_rows"]).to_arrow_table()
    names = candidates.column("doc_id").combine_chunks()
    links: dict[tuple[str, str], float] = {}
    with buffer_pool_lent(con):
        for a, b, score in linked_pairs(
                postings.column("idx").to_numpy(), postings.column("term_id").to_numpy(), postings.column("weight").to_numpy(),
                pc.cast(candidates.column("day"), pa.float64()).to_numpy(zero_copy_only=False), params,
                wanted=candidates.column("is_new").to_numpy(zero_copy_only=False).astype(bool), by_term=True):
            links.update(zip(zip(names.take(pa.array(a)).to_pylist(), names.take(pa.array(b)).to_pylist()), score.tolist()))
        del postings, candidates, names
    run_section(con, steps["extend_cleanup"])

    linked_old = sorted({d for pair in links for d in pair} - new_docs)
    con.register("story_linked", pa.table({"doc_id": pa.array(linked_old, pa.string())}))
    prior_rows = query(con, steps["prior_rows"]).fetchall()
    con.unregister("story_linked")
    involved = sorted(new_docs | {d for d, _, _ in prior_rows})
    con.register("story_involved", pa.table({"doc_id": pa.array(involved, pa.string())}))
    order = {d: (ingested or dt.datetime.min, d) for d, ingested in query(con, steps["involved_order"]).fetchall()}
    con.unregister("story_involved")

    def vectors_of(doc_ids: set[str]) -> dict[str, dict[str, float]]:
        con.register("story_label_docs", pa.table({"doc_id": pa.array(sorted(doc_ids), pa.string())}))
        try:
            vectors: dict[str, dict[str, float]] = defaultdict(dict)
            for doc_id, term, weight in query(con, steps["label_weights"], weights_args).fetchall():
                vectors[doc_id][term] = weight
            return vectors
        finally:
            con.unregister("story_label_docs")

    return extend_stories(links, new_docs, {d: s for d, s, _ in prior_rows},
                          {d: b for d, _, b in prior_rows if b is not None}, order, vectors_of)


def create_staging_views(con: duckdb.DuckDBPyConnection) -> None:
    for m in dependency_order(discover_models()):
        if m.layer == "staging":
            con.execute(f"create or replace temp view {m.name} as\n{m.sql}")


class MartsOutOfMemory(RuntimeError):
    """A mart did not fit the memory limit it was built under."""


def build_marts(con: duckdb.DuckDBPyConnection, limit: str | None = None) -> dict[str, int]:
    """Materialize every mart as a table (staging views and derived tables must be there); rows per mart.

    Under `limit` (default: the settings' duckdb_marts_memory_limit, see news_etl/config.py), then back
    to the configured limit. Running out of memory there raises MartsOutOfMemory."""
    from news_etl.config import load_settings

    limit = limit or load_settings().duckdb_marts_memory_limit
    try:
        with memory_limit(con, limit):
            return _build_marts(con)
    except duckdb.OutOfMemoryException as exc:
        raise MartsOutOfMemory(f"{exc} (building the marts under memory_limit {limit})") from exc


def _build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for m in dependency_order(discover_models()):
        if m.layer == "marts":
            t0 = time.perf_counter()
            con.execute(f"create or replace table {MART_SCHEMA}.{m.name} as\n{m.sql}")
            out[m.name] = con.execute(f"select count(*) from {MART_SCHEMA}.{m.name}").fetchone()[0]
            out[f"{m.name}_ms"] = int((time.perf_counter() - t0) * 1000)
    return out


def refresh_models(data_dir: Path, params: StoryParams | None = None, full_stories: bool = False) -> dict[str, int]:
    """Bring the derived tables up to date, then rebuild the marts; rows per mart (+ timings).

    Two transactions, each on its own connection. The first extends article_terms and story_members
    (stories are extended incrementally; `full_stories=True` regroups every article, nightly). The
    second rebuilds every mart from them and stamps `marts_refreshed`. Kept apart because a first run
    at 1M articles leaves ~3 GB of uncommitted terms in its transaction, and marts built beside them
    did not fit their memory limit; built after the commit, from a fresh connection, they do.

    Marts that outgrow duckdb_marts_memory_limit roll their transaction back, and it is done once
    more under duckdb_marts_retry_memory_limit (`marts_memory_retries` in the result says it was).
    Marts that fail even then leave the committed derived tables ahead of them; `marts_behind` tells,
    and the next run's analysis refreshes them.
    """
    from news_etl.config import load_settings

    settings = load_settings()
    data_dir = Path(data_dir)
    t0 = time.perf_counter()
    out = _refresh_derived(data_dir, params, full_stories)
    try:
        out |= _refresh_marts(data_dir, settings.duckdb_marts_memory_limit)
    except MartsOutOfMemory:
        out |= _refresh_marts(data_dir, settings.duckdb_marts_retry_memory_limit) | {"marts_memory_retries": 1}
    out["seconds_ms"] = int((time.perf_counter() - t0) * 1000)
    return out


@contextlib.contextmanager
def _models_connection(data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection with the derived tables' DDL run, the lake registered and the staging views."""
    with connect(data_dir) as con:
        for stmt in statements((MODELS_DIR / "derived.sql").read_text(encoding="utf-8")):
            con.execute(stmt)
        register_lake(con, data_dir / "lake")
        create_staging_views(con)
        yield con


def _refresh_derived(data_dir: Path, params: StoryParams | None, full_stories: bool) -> dict[str, int]:
    out: dict[str, int] = {}
    with _models_connection(data_dir) as db:
        db.execute("begin transaction")
        try:
            from_lake, computed = update_article_terms(db, data_dir / "lake")
            out["article_terms_added"], out["article_terms_from_lake"] = from_lake + computed, from_lake
            t1 = time.perf_counter()
            out["story_members_written"] = update_story_members(db, params, full=full_stories)
            out["story_grouping_ms"] = int((time.perf_counter() - t1) * 1000)
            db.execute("commit")
        except BaseException:
            db.execute("rollback")
            raise
    return out


def _refresh_marts(data_dir: Path, marts_limit: str) -> dict[str, int]:
    with _models_connection(data_dir) as db:
        db.execute("begin transaction")
        try:
            out = build_marts(db, marts_limit)
            run_script(db, "stamp_marts_refreshed")
            db.execute("commit")
        except BaseException:
            # after an out-of-memory error the connection keeps the marts' limit (loader.memory_limit),
            # under which even the rollback may not fit; closing the connection discards the transaction too
            with contextlib.suppress(duckdb.Error):
                db.execute("rollback")
            raise
    return out
