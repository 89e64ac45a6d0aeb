"""The whole road: a real Prefect flow run on real files → Parquet lake → DuckDB tables."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from news_etl.schema import ARTICLES
from tasks.reasons import LINE_REASONS
from tests.conftest import query_warehouse as query

GOLD = Path(__file__).parent / "fixtures" / "samples_gold"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, prefect_harness):
    import shutil

    from flows.etl import news_etl
    from tests.conftest import SAMPLES_RAW

    base = tmp_path_factory.mktemp("pipeline")
    landing = base / "landing"
    shutil.copytree(SAMPLES_RAW, landing)
    data = base / "data"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in landing.iterdir()}
    first = news_etl(inputs=[str(landing)], data_dir=str(data))
    second = news_etl(inputs=[str(landing)], data_dir=str(data))
    return {"landing": landing, "data": data, "first": first, "second": second, "before": before}


def test_first_run_loads_five_articles(sample_run):
    first = sample_run["first"]
    assert first["status"] == "completed"
    assert (first["files_seen"], first["files_new"], first["files_loaded"], first["articles_written"]) == (5, 5, 5, 5)
    assert all(first["checks"].values()), first["checks"]
    rows = query(sample_run["data"], "select source_path, format, language, n_words > 100, run_id from articles order by source_path")
    assert [r[0] for r in rows] == sorted(p.name for p in sample_run["landing"].iterdir())
    assert {(r[1], r[2], r[3]) for r in rows} == {("text", "ar", True)}
    assert {r[4] for r in rows} == {first["run_id"]}


def test_titles_and_bylines_match_the_gold(sample_run):
    rows = query(sample_run["data"], "select source_path, title, dateline, byline, body, paragraphs from articles")
    for source_path, title, dateline, byline, body, paragraphs in rows:
        gold = json.loads((GOLD / source_path.replace(".txt", ".json")).read_text(encoding="utf-8"))
        assert title == gold["title"]
        assert (dateline, byline) == (gold["dateline"], gold["byline"])
        assert body == "\n\n".join(paragraphs)
        assert title not in paragraphs


def test_parquet_lake_holds_what_duckdb_holds(sample_run):
    data = sample_run["data"]
    parts = sorted((data / "lake" / "articles").glob("run_id=*/part-*.parquet"))
    assert parts, "no article parts in the lake"
    lake = pq.read_table(parts[0])
    assert lake.schema.equals(ARTICLES)
    assert pq.read_metadata(parts[0]).row_group(0).column(0).compression == "ZSTD"
    assert sorted(lake["doc_id"].to_pylist()) == [r[0] for r in query(data, "select doc_id from articles order by doc_id")]
    assert not (data / "lake" / "_staging").exists() or not any((data / "lake" / "_staging").iterdir())


def test_removed_lines_carry_known_reasons(sample_run):
    rows = query(sample_run["data"], "select reason, count(*) from removed_lines group by reason")
    assert rows, "the samples have chrome: some lines must be removed"
    assert {r[0] for r in rows} <= set(LINE_REASONS)
    # sample 003 ends with a comment form and a captcha prompt
    forms = query(sample_run["data"], "select count(*) from removed_lines r join articles a using (doc_id) "
                                      "where a.source_path like '003%' and r.reason in ('comment_form', 'captcha', 'back_to_top')")
    assert forms[0][0] >= 2


def test_runs_table_and_second_run_adds_nothing(sample_run):
    second = sample_run["second"]
    assert (second["files_seen"], second["files_new"], second["files_unchanged"], second["articles_written"]) == (5, 0, 5, 0)
    runs = query(sample_run["data"], "select run_id, files_seen, files_new, articles_written, rejected, status, "
                                     "finished_at >= started_at from runs order by started_at")
    assert [r[1:] for r in runs] == [(5, 5, 5, 0, "completed", True), (5, 0, 0, 0, "completed", True)]
    assert query(sample_run["data"], "select count(*) from articles")[0][0] == 5
    assert query(sample_run["data"], "select count(*) from rejects")[0][0] == 0


def test_the_summary_gives_each_phases_wall_time(sample_run):
    first, second = sample_run["first"], sample_run["second"]
    assert list(first["phases"]) == ["chunks", "load", "checks", "analysis"]
    assert all(v > 0 for v in first["phases"].values())
    # the run's seconds cover every phase, the marts and report included
    assert sum(first["phases"].values()) <= first["seconds"]
    assert "phases (wall): chunks " in first["text"] and "analysis" in first["text"]
    # a no-op run reuses the last checks and leaves the marts as they are: no such phases
    assert list(second["phases"]) == ["chunks", "load"]


def test_raw_files_are_never_changed(sample_run):
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sample_run["landing"].iterdir()}
    assert after == sample_run["before"]
