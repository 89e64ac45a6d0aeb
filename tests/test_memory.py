"""Memory bounds of a run (issue #8): DuckDB's connections, the load under a small memory limit,
the cleaning workers let go after the chunks, and a bounded number of chunks in flight."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import threading
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from tasks.lake import staging_dir, write_part
from warehouse.loader import buffer_pool_lent, connect, load_run, memory_limit


def test_connections_spill_to_a_folder_of_the_data_dir_with_the_configured_threads(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY_LIMIT", "200MB")
    monkeypatch.setenv("NEWS_ETL_DUCKDB_THREADS", "1")
    with connect(tmp_path) as con:
        temp, threads, limit = con.execute("select current_setting('temp_directory'), current_setting('threads'), "
                                           "current_setting('memory_limit')").fetchone()
    assert Path(temp) == tmp_path / "duckdb_tmp"
    assert int(threads) == 1
    assert limit.replace(" ", "").upper() in {"190.7MIB", "200.0MB", "200MB"}


def test_numpy_work_gets_duckdbs_memory_back_and_the_limit_returns_after(tmp_path, monkeypatch):
    """DuckDB keeps what a transaction used (up to its limit, and more in its allocator) between
    statements; buffer_pool_lent makes it let go while the process works in numpy."""
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY_LIMIT", "400MB")
    process = psutil.Process()
    with connect(tmp_path) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
        con.execute("begin")
        con.execute("create table held as select i, repeat(md5(i::varchar), 40) as s from range(300000) r(i)")
        held = process.memory_info().rss
        with buffer_pool_lent(con, "32MB"):
            lent = process.memory_info().rss
            assert con.execute("select current_setting('memory_limit')").fetchone()[0] != limit
            assert con.execute("select count(*) from held").fetchone()[0] == 300000   # spilled, not lost
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == limit
        try:
            with buffer_pool_lent(con, "32MB"):
                raise RuntimeError("numpy failed")
        except RuntimeError:
            pass
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == limit
        con.execute("commit")
    assert held - lent > 150 * 2**20, (held >> 20, lent >> 20)


def test_a_statement_out_of_memory_under_a_lowered_limit_raises_its_own_error(tmp_path):
    """The failed statement aborts the transaction, and DuckDB then refuses the SET that restores the
    limit; that refusal ("Current transaction is aborted") must not hide the out-of-memory error,
    which is what the marts' retry (warehouse/models.py) waits for."""
    with connect(tmp_path) as con:
        con.execute("begin")
        with pytest.raises(duckdb.OutOfMemoryException):
            with memory_limit(con, "16MB"):
                con.execute("select list(range) from range(20000000)").fetchall()   # a list aggregate cannot spill
        con.execute("rollback")


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stage_big_run(data: Path, n: int, run: int) -> None:
    """Stage and load a run of `n` distinct ~20 KB articles (with the lake's own writer), straight
    into the warehouse: ~2 × 20 KB a row (body and paragraphs)."""
    lake = data / "lake"
    run_id = f"2026010{run}T000000000000-mem"
    ts = dt.datetime(2026, 1, run)
    rng = random.Random(run)
    words = [f"w{i}" for i in range(5000)]
    arts, files = [], []
    for i in range(n):
        path = f"s{i % 7}/{i}.txt"
        paragraphs = [" ".join(rng.choices(words, k=120)) for _ in range(25)]
        body = "\n\n".join(paragraphs)
        arts.append(dict(doc_id=h(f"{path}#0")[:20], source_path=path, record_index=0, source_sha256=h(path + body),
                         format="text", encoding="utf-8", language="en", title=f"Title {i}", body=body,
                         paragraphs=paragraphs, dateline=None, byline=None, site_name=None, site=path.split("/")[0],
                         url=None, page_date=None, published_at=None, n_chars=len(body), n_words=3000,
                         body_sha256=h(body), match_key_sha256=h("key" + body),
                         # unrelated random signatures: no near-duplicate pairs, the load's own work is measured
                         minhash=[rng.getrandbits(32) for _ in range(64)], extra=None, ingested_at=ts, run_id=run_id))
        files.append({"source_path": path, "root": "/landing", "size": len(body), "mtime_ns": run,
                      "sha256": h(path + body), "status": "loaded", "n_articles": 1, "run_id": run_id, "seen_at": ts})
    stage = staging_dir(lake, run_id)
    for part in range(0, n, 100):   # ~4 MB parts, as chunks of 250 five-KB pages give
        write_part(stage, "articles", f"{part:05d}", arts[part:part + 100])
        write_part(stage, "files", f"{part:05d}", files[part:part + 100])
    for table in ("removed_lines", "rejects", "site_lines"):
        write_part(stage, table, "00000", [])
    run_row = {"run_id": run_id, "started_at": ts, "finished_at": ts, "files_seen": n, "files_new": n,
               "files_unchanged": 0, "articles_written": n, "rejected": 0, "status": "completed"}
    load_run(data, lake, run_id, run_row, [])


def warehouse_digest(data: Path) -> list[tuple]:
    with connect(data, read_only=True) as con:
        return con.execute("""
            select (select count(*) from articles), (select sum(hash(doc_id, version, body, dup_of, near_dup_group)) from articles),
                   (select count(*) from article_versions), (select sum(hash(source_path, sha256, status)) from manifest)
        """).fetchall()


def test_a_load_larger_than_the_memory_limit_spills_and_gives_the_same_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ETL_DUCKDB_THREADS", "1")
    results = {}
    # 600 articles of ~40 KB (body and paragraphs): ~24 MB of text a run, 48 MB of the two versions; the
    # load as it was (windows over whole rows, wide temp tables) ran out of memory under 48MB
    for limit in ("48MB", "2GB"):
        monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY_LIMIT", limit)
        data = tmp_path / limit
        stage_big_run(data, 600, 1)
        stage_big_run(data, 600, 2)   # a second run: every article gets a new version
        results[limit] = warehouse_digest(data)
    assert results["48MB"] == results["2GB"]
    assert results["48MB"][0][0] == 600 and results["48MB"][0][2] == 1200


def worker_processes() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]


def test_cleaning_workers_are_let_go_after_the_chunks_and_come_back_on_demand(tmp_path, prefect_harness):
    from prefect import flow

    from tasks.prefect_tasks import ChunkProcessPool, process_chunk_task, release_task_workers
    from tasks.process import ProcessConfig

    def one_empty_chunk(name: str):
        return process_chunk_task.submit([], ProcessConfig.default(), "r1", name, tmp_path / "stage", None,
                                         dt.datetime(2026, 1, 1)).result()

    @flow(task_runner=ChunkProcessPool(processes=1, threads=2))
    def chunks_then_load() -> tuple[int, int, int]:
        first = one_empty_chunk("00000")
        during = len(worker_processes())
        release_task_workers()
        after = len(worker_processes())
        again = one_empty_chunk("00001")   # a later submit starts a worker again
        return during, after, first.files + again.files

    during, after, files = chunks_then_load()
    assert (during, after, files) == (1, 0, 0)


def test_at_most_in_flight_chunks_are_submitted_at_once(prefect_harness):
    from prefect import flow, task
    from prefect.task_runners import ThreadPoolTaskRunner

    from tasks.prefect_tasks import results_as_completed

    lock, running, peak = threading.Lock(), [0], [0]

    @task
    def work(i: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return i

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=8))
    def bounded() -> list[int]:
        return list(results_as_completed(lambda i: work.submit(i), 12, in_flight=3))

    assert sorted(bounded()) == list(range(12))
    assert 1 <= peak[0] <= 3


def test_chunks_grow_with_the_run_between_bounds_unless_configured():
    from news_etl.config import Settings
    from tasks.prefect_tasks import MAX_CHUNK_FILES, MIN_CHUNK_FILES, files_per_chunk

    auto = Settings(workers=2)
    assert files_per_chunk(auto, 60) == MIN_CHUNK_FILES              # a small run: a chunk's work stays ~1 s
    assert files_per_chunk(auto, 4_000) == 500                       # four chunks a worker
    assert files_per_chunk(auto, 100_000) == MAX_CHUNK_FILES         # a large run: task overhead bounded
    assert files_per_chunk(Settings(workers=2, chunk_size=7), 100_000) == 7
