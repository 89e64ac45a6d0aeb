"""Maintenance steps on a real lake and a real DuckDB file (no Prefect)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from news_etl.schema import LAKE_TABLES
from tasks import maintenance
from tasks.lake import committed_files, publish_run, staging_dir, write_part
from tests.conftest import query_warehouse as _table


def _reject_rows(run_id: str, n: int, start: int) -> list[dict]:
    now = dt.datetime(2026, 11, 21, 12, 0)
    return [{"source_path": f"f{start + i}.txt", "record_index": 0, "reason": "empty", "detail": "no bytes",
             "run_id": run_id, "rejected_at": now} for i in range(n)]


def _committed_run(lake: Path, run_id: str, parts: int) -> None:
    stage = staging_dir(lake, run_id)
    for i in range(parts):
        write_part(stage, "rejects", f"{i:05d}", _reject_rows(run_id, 3, 10 * i))
    publish_run(lake, run_id)


def _rows(lake: Path, table: str) -> list[dict]:
    return [r for f in committed_files(lake, table) for r in pq.read_table(f, schema=LAKE_TABLES[table]).to_pylist()]


def test_compaction_merges_each_committed_run_and_keeps_rows_in_order(tmp_path: Path):
    lake = tmp_path / "lake"
    _committed_run(lake, "20261121T100000-aaaa", parts=3)
    _committed_run(lake, "20261121T101500-bbbb", parts=1)   # one part: nothing to merge
    write_part(staging_dir(lake, "20261121T103000-cccc"), "rejects", "00000", _reject_rows("x", 2, 99))  # not committed
    (lake / "_compaction" / "rejects" / "run_id=old").mkdir(parents=True)   # leftover of a killed compaction
    before = _rows(lake, "rejects")

    result = maintenance.compact_lake(lake)

    assert result.runs_compacted == 1 and result.files_before == 3 and result.files_after == 1
    assert [p.name for p in (lake / "rejects" / "run_id=20261121T100000-aaaa").iterdir()] == [maintenance.COMPACTED_NAME]
    assert _rows(lake, "rejects") == before            # what rebuild reads is unchanged, in the same order
    assert not (lake / "_compaction").exists()
    assert (staging_dir(lake, "20261121T103000-cccc") / "rejects").exists()   # uncommitted staging untouched
    assert maintenance.compact_lake(lake).runs_compacted == 0                  # idempotent


def test_compaction_leaves_runs_over_the_size_cap(tmp_path: Path):
    lake = tmp_path / "lake"
    _committed_run(lake, "20261121T100000-aaaa", parts=2)
    result = maintenance.compact_lake(lake, max_bytes=10)
    assert result.runs_compacted == 0 and result.skipped_large == 1
    assert len(list((lake / "rejects" / "run_id=20261121T100000-aaaa").iterdir())) == 2


def test_checkpoint_folds_the_wal_into_the_database(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("SET checkpoint_threshold='1GB'")
    con.execute("create table t as select range as i from range(1000)")
    con.close()
    assert maintenance.checkpoint(tmp_path) >= 0
    assert not (tmp_path / "warehouse.duckdb.wal").exists()
    assert maintenance.checkpoint(tmp_path / "nothing-here") == 0.0


def test_prune_keeps_recent_and_the_newest_few(tmp_path: Path):
    reports = tmp_path / "reports"
    reports.mkdir()
    old = dt.datetime(2026, 1, 1).timestamp()
    for i in range(8):
        p = reports / f"run-{i}.html"
        p.write_text("x")
        os.utime(p, (old + i, old + i))
    (reports / "fresh.html").write_text("x")
    removed = maintenance.prune_old_files(reports, dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc), keep_newest=3)
    assert sorted(p.name for p in removed) == [f"run-{i}.html" for i in range(6)]
    assert sorted(p.name for p in reports.iterdir()) == ["fresh.html", "run-6.html", "run-7.html"]


def test_rebuild_after_compaction_gives_the_same_warehouse(prefect_harness, samples_dir: Path, tmp_path: Path):
    from flows.etl import news_etl
    from warehouse.rebuild import rebuild

    data = tmp_path / "data"
    news_etl(inputs=[str(samples_dir)], data_dir=str(data), chunk_size=2)   # 3 chunks: 3 parts a table
    articles = "select doc_id, title, body, run_id, ingested_at from articles order by doc_id"
    removed = "select doc_id, line_no, reason from removed_lines order by doc_id, line_no"
    before = _table(data, articles), _table(data, removed)
    assert len(before[0]) == 5

    result = maintenance.compact_lake(data / "lake")
    assert result.runs_compacted >= 2 and result.files_before >= 6   # articles and removed_lines at least
    rebuild(data)
    assert (_table(data, articles), _table(data, removed)) == before


def test_prune_deletes_only_old_prefect_artifacts_of_our_keys(prefect_harness):
    from prefect import flow, get_client
    from prefect.artifacts import create_markdown_artifact
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    @flow
    def publish() -> None:
        create_markdown_artifact("# old summary", key="test-prune-ours")
        create_markdown_artifact("# not ours", key="test-prune-other")

    publish()
    now = dt.datetime.now(dt.timezone.utc)
    assert maintenance.prune_prefect_artifacts(["test-prune-ours"], now - dt.timedelta(days=1)) == 0   # too recent
    assert maintenance.prune_prefect_artifacts(["test-prune-ours"], now + dt.timedelta(minutes=5)) == 1
    with get_client(sync_client=True) as client:
        left = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["test-prune-ours", "test-prune-other"])))
    assert [a.key for a in left] == ["test-prune-other"]
