"""Feeds: every mart exported as Parquet, CSV and JSON that match their contracts, replaced atomically."""
from __future__ import annotations

import csv
import datetime as dt
import json
import threading
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from test_marts import BODY_A, BODY_B, BODY_C, article_row, build_warehouse, set_links
from warehouse.feeds import CONTRACTS_DIR, ContractBroken, export_feeds, load_contract
from warehouse.models import mart_names, refresh_models


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("feeds") / "data"
    build_warehouse(data, [
        article_row("a1", "Budget approved", BODY_A, site="a.example", published_at=dt.datetime(2024, 3, 1, 10)),
        article_row("a2", "Market fire", BODY_B, site="a.example"),
        article_row("b1", "طريق سريع جديد", BODY_C, site="b.example", language="ar"),
        article_row("c1", "طريق سريع جديد", BODY_C, site="c.example", language="ar"),
    ], [{"doc_id": "a1", "line_no": 1, "text": "Home | News", "reason": "navigation"}])
    set_links(data, dup_of={"c1": "b1"}, near={})
    refresh_models(data)
    export_feeds(data)
    return data


def test_every_mart_has_a_contract_and_nothing_else_does():
    assert sorted(p.stem for p in CONTRACTS_DIR.glob("*.json")) == sorted(mart_names())


@pytest.mark.parametrize("feed", sorted(p.stem for p in CONTRACTS_DIR.glob("*.json")))
def test_feed_files_match_their_contract(exported, feed):
    contract = load_contract(feed)
    names = [c["name"] for c in contract["columns"]]
    folder = exported / "feeds"
    con = duckdb.connect()
    try:
        described = con.execute(f"describe select * from read_parquet('{folder / (feed + '.parquet')}')").fetchall()
        assert [(r[0], r[1]) for r in described] == [(c["name"], c["type"]) for c in contract["columns"]]
        rows_in_parquet = pq.read_table(folder / f"{feed}.parquet").num_rows
    finally:
        con.close()
    with open(folder / f"{feed}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert next(reader) == names
        assert sum(1 for _ in reader) == rows_in_parquet
    rows = json.loads((folder / f"{feed}.json").read_text(encoding="utf-8"))
    assert isinstance(rows, list) and len(rows) == rows_in_parquet
    assert all(list(r) == names for r in rows)
    assert all(c.get("description") for c in contract["columns"]), "every column is documented"


def test_feeds_hold_the_marts_rows(exported):
    rows = json.loads((exported / "feeds" / "syndication.json").read_text(encoding="utf-8"))
    assert [(r["group_kind"], r["group_id"], r["n_outlets"], r["outlets"]) for r in rows] == [
        ("exact", "b1", 2, "b.example; c.example")]


def test_a_changed_mart_breaks_its_contract_and_keeps_the_old_feed(exported):
    before = (exported / "feeds" / "stories.parquet").read_bytes()

    def alter(sql: str) -> None:
        con = duckdb.connect(str(exported / "warehouse.duckdb"))
        try:
            con.execute(sql)
        finally:
            con.close()

    alter("alter table marts.stories add column surprise integer")
    try:
        with pytest.raises(ContractBroken, match="stories"):
            export_feeds(exported)
    finally:
        alter("alter table marts.stories drop column surprise")
    assert (exported / "feeds" / "stories.parquet").read_bytes() == before


def test_readers_never_see_a_partial_feed(exported):
    """Re-export in a loop while a reader keeps opening the files: every read is a whole file."""
    feed = exported / "feeds"
    errors: list[Exception] = []
    done = threading.Event()

    def exporter() -> None:
        try:
            for _ in range(4):
                export_feeds(exported)
        except Exception as exc:   # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=exporter)
    thread.start()
    reads = 0
    while not done.is_set() or reads == 0:
        assert pq.read_table(feed / "top_terms.parquet").num_rows > 0
        json.loads((feed / "top_terms.json").read_text(encoding="utf-8"))
        reads += 1
    thread.join()
    assert not errors
    assert not list(feed.glob(".*tmp*")), "no temporary file left behind"


# -- news-etl query: named queries, formats, and the message while a run holds the write lock --------

def test_query_lists_and_runs_named_queries(exported, capsys):
    from news_etl.cli import main

    assert main(["query", "--list"]) == 0
    listed = capsys.readouterr().out
    for name in ("stories", "articles_per_day", "boilerplate_by_site", "syndication", "top_terms", "rejects", "runs"):
        assert name in listed
    assert main(["query", "--data-dir", str(exported), "--format", "json", "stories"]) == 0
    stories = json.loads(capsys.readouterr().out)
    assert sum(s["n_articles"] for s in stories) == 4
    assert main(["query", "--data-dir", str(exported), "no_such_query"]) == 2
    assert "--list" in capsys.readouterr().err


def test_query_writes_parquet_and_csv_files(exported, tmp_path, capsys):
    from news_etl.cli import main

    out = tmp_path / "syndication.parquet"
    assert main(["query", "--data-dir", str(exported), "--format", "parquet", "--output", str(out), "syndication"]) == 0
    assert pq.read_table(out).column("group_id").to_pylist() == ["b1"]
    assert main(["query", "--data-dir", str(exported), "--format", "parquet", "select 1"]) == 2
    csv_out = tmp_path / "runs.csv"
    assert main(["query", "--data-dir", str(exported), "--format", "csv", "-o", str(csv_out),
                 "select count(*) as n from articles"]) == 0
    assert csv_out.read_text().splitlines() == ["n", "4"]


def test_query_says_clearly_when_a_run_holds_the_write_lock(exported, capsys):
    import subprocess
    import sys
    import time

    from news_etl.cli import main

    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(exported / "warehouse.duckdb")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["query", "--data-dir", str(exported), "runs"]) == 3
        assert "a run is writing the warehouse" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while main(["query", "--data-dir", str(exported), "runs"]) == 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert main(["query", "--data-dir", str(exported), "runs"]) == 0


def test_every_named_query_runs(exported, capsys):
    from news_etl.cli import main
    from warehouse.named_queries import named_queries

    for name in named_queries():
        assert main(["query", "--data-dir", str(exported), "--format", "json", name]) == 0, name
        assert isinstance(json.loads(capsys.readouterr().out), list)
