"""The DuckDB side on real files: staged Parquet parts → one-transaction load → lake → checks → rebuild.

Runs are staged here directly (Parquet parts written with the lake's own writer), so these
tests need neither Prefect nor the cleaners; the flow-level tests are in test_incremental,
test_rejects, test_dedup and test_crash_safety.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from tasks.dedup import minhash_signature
from tasks.lake import committed_runs, publish_run, staging_dir, write_part
from tasks.normalize import match_key
from warehouse.checks import declared_checks, run_checks
from warehouse.loader import connect, load_run, recover_lake, sql
from warehouse.rebuild import rebuild, recover

STORY = (
    "The central bank raised its main interest rate by a quarter point on Tuesday, the third increase this year. "
    "Officials said inflation remained well above the target and that further moves could not be ruled out. "
    "The decision was widely expected by economists, who had pointed to strong wage growth in recent months. "
    "Markets reacted calmly, with the currency edging higher against the dollar in afternoon trading. "
    "The governor told reporters that the labour market was still tight and that price pressures were broad. "
    "Business groups warned that higher borrowing costs would weigh on investment and hiring next year. "
    "The bank will publish updated forecasts alongside its next decision in six weeks."
)
OTHER = ("Heavy rain flooded several streets in the old town overnight, and firefighters pumped water out of "
         "dozens of basements. The weather service expects the storms to ease by the weekend. ") * 2


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def article(path: str, body: str, run_id: str, ts: dt.datetime, record_index: int = 0) -> dict:
    return dict(doc_id=h(f"{path}#{record_index}")[:20], source_path=path, record_index=record_index,
                source_sha256=h(path + body), format="text", encoding="utf-8", language="en", title="Title",
                body=body, paragraphs=body.split("\n\n"), dateline=None, byline=None, site_name=None,
                site=path.split("/")[0], url=None, page_date=None, published_at=None, n_chars=len(body),
                n_words=len(body.split()), body_sha256=h(body), match_key_sha256=h(match_key(body)),
                minhash=minhash_signature(body), extra=None, ingested_at=ts, run_id=run_id)


VANISHED = "<vanished>"


def load(data: Path, n: int, docs: dict[str, str | None], removed: dict[str, list[str]] | None = None) -> str:
    """Stage and load run number `n`: `docs` maps source_path -> body (None: the file is now
    rejected as empty; VANISHED: it disappeared between the scan and its read)."""
    lake = data / "lake"
    run_id = f"2026010{n}T000000000000-test"
    ts = dt.datetime(2026, 1, n)
    stage = staging_dir(lake, run_id)
    arts = [article(p, b, run_id, ts) for p, b in docs.items() if b is not None and b != VANISHED]
    write_part(stage, "articles", "00000", arts)
    write_part(stage, "removed_lines", "00000", [
        {"doc_id": a["doc_id"], "line_no": i + 1, "text": t, "reason": "navigation", "run_id": run_id}
        for a in arts for i, t in enumerate((removed or {}).get(a["source_path"], []))])
    write_part(stage, "rejects", "00000", [
        {"source_path": p, "record_index": None, "reason": "empty" if b is None else "vanished", "detail": "gone",
         "run_id": run_id, "rejected_at": ts} for p, b in docs.items() if b is None or b == VANISHED])
    write_part(stage, "files", "00000", [
        {"source_path": p, "root": "/landing", "size": len(b or ""), "mtime_ns": n,
         "sha256": h(p + b) if b and b != VANISHED else None, "status": "loaded" if b and b != VANISHED else "rejected",
         "n_articles": 1 if b and b != VANISHED else 0, "run_id": run_id, "seen_at": ts}
        for p, b in docs.items()])
    write_part(stage, "site_lines", "00000", [{"site": "a", "fingerprint": "menu", "n_pages": 1, "run_id": run_id}])
    run_row = {"run_id": run_id, "started_at": ts, "finished_at": ts, "files_seen": len(docs), "files_new": len(docs),
               "files_unchanged": 0, "articles_written": len(arts), "rejected": len(docs) - len(arts),
               "status": "completed"}
    steps = [{"run_id": run_id, "step": "read", "seen": len(docs), "kept": len(arts), "dropped": len(docs) - len(arts),
              "dropped_by_reason": {"empty": len(docs) - len(arts)}, "lines_removed_by_reason": {}, "seconds": 0.5}]
    load_run(data, lake, run_id, run_row, steps)
    publish_run(lake, run_id)
    return run_id


def rows(data: Path, query: str) -> list[tuple]:
    with connect(data, read_only=True) as con:
        return con.execute(query).fetchall()


def current(data: Path) -> dict[str, tuple]:
    """source_path -> (version, dup_of path, near_dup_group path) of the current articles."""
    found = rows(data, """
        select a.source_path, a.version, d.source_path, g.source_path
        from articles a left join articles d on d.doc_id = a.dup_of left join articles g on g.doc_id = a.near_dup_group""")
    return {r[0]: r[1:] for r in found}


WAREHOUSE_TABLES = re.findall(r"create table if not exists (\w+)", sql("ddl"))


def all_tables(data: Path) -> dict[str, list[tuple]]:
    """Every table the load declares (warehouse/sql/ddl.sql), rows ordered. Marts and the tables
    derived from `articles` after the load belong to the analysis step and are not compared."""
    with connect(data, read_only=True) as con:
        return {t: con.execute(f"select * from main.{t} order by all").fetchall() for t in WAREHOUSE_TABLES}


def test_versions_history_and_current(tmp_path):
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "b/1.txt": OTHER}, removed={"a/1.txt": ["Home | World", "Share"]})
    load(data, 2, {"a/1.txt": STORY.replace("Tuesday", "Wednesday")}, removed={"a/1.txt": ["Menu"]})
    assert rows(data, "select source_path, version from article_versions order by 1, 2") == [
        ("a/1.txt", 1), ("a/1.txt", 2), ("b/1.txt", 1)]
    assert rows(data, "select source_path, version, body like '%Wednesday%' from articles order by 1") == [
        ("a/1.txt", 2, True), ("b/1.txt", 1, False)]
    assert rows(data, "select version, is_current from article_history where source_path = 'a/1.txt' order by 1") == [
        (1, False), (2, True)]
    # removed lines belong to the current version only
    assert rows(data, "select text from removed_lines") == [("Menu",)]
    # the file now gives nothing: no current article, history kept, manifest forgets the old hash
    load(data, 3, {"a/1.txt": None})
    assert rows(data, "select source_path from articles") == [("b/1.txt",)]
    assert rows(data, "select count(*) from article_versions where source_path = 'a/1.txt'") == [(2,)]
    assert rows(data, "select status, sha256 from manifest where source_path = 'a/1.txt'") == [("rejected", None)]
    assert rows(data, "select count(*) from removed_lines") == [(0,)]
    assert all(n == 0 for n in run_checks(data).values())


def test_load_is_idempotent_per_run(tmp_path):
    data = tmp_path / "data"
    run_id = load(data, 1, {"a/1.txt": STORY})
    before = all_tables(data)
    # a retried load task after a commit whose acknowledgement was lost
    load_run(data, data / "lake", run_id, {"run_id": run_id}, [])
    assert all_tables(data) == before


def test_exact_duplicates_follow_the_first_seen_and_edits(tmp_path):
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY})
    load(data, 2, {"b/1.txt": STORY, "c/1.txt": STORY})
    assert current(data)["b/1.txt"][1] == "a/1.txt" and current(data)["c/1.txt"][1] == "a/1.txt"
    assert current(data)["a/1.txt"][1] is None
    # the original is edited: it is no longer a duplicate of anything, its copies now point at the
    # first-seen of the remaining ones (b and c share a first-seen time: the smaller doc_id wins)
    load(data, 3, {"a/1.txt": OTHER})
    now = current(data)
    first = min(("b/1.txt", "c/1.txt"), key=lambda p: h(f"{p}#0")[:20])
    second = ({"b/1.txt", "c/1.txt"} - {first}).pop()
    assert now["a/1.txt"][1] is None and now[first][1] is None and now[second][1] == first
    # edited back: a is first seen again (its first version is the oldest), so it is the original again
    load(data, 4, {"a/1.txt": STORY})
    now = current(data)
    assert now["a/1.txt"][1] is None and now["b/1.txt"][1] == "a/1.txt" and now["c/1.txt"][1] == "a/1.txt"
    assert all(n == 0 for n in run_checks(data).values())


def test_near_duplicate_groups_merge_and_split_incrementally(tmp_path, monkeypatch):
    import warehouse.loader

    # signatures fetched one at a time, in whatever order DuckDB gives them: each must land on its row
    monkeypatch.setattr(warehouse.loader, "SIGNATURE_BATCH", 1)
    data = tmp_path / "data"
    edited = STORY.replace("Markets reacted calmly", "Investors took the news in their stride")
    load(data, 1, {"a/1.txt": STORY, "z/1.txt": OTHER})
    assert current(data)["a/1.txt"][2] is None            # alone: no group
    load(data, 2, {"b/1.txt": edited})                    # arrives later, joins a's group
    now = current(data)
    group = min(("a/1.txt", "b/1.txt"), key=lambda p: h(f"{p}#0")[:20])
    assert now["a/1.txt"][2] == now["b/1.txt"][2] == group
    assert now["z/1.txt"][2] is None
    load(data, 3, {"c/1.txt": STORY + " A final sentence was added by this outlet."})
    now = current(data)
    assert {now[p][2] for p in ("a/1.txt", "b/1.txt", "c/1.txt")} == {min(("a/1.txt", "b/1.txt", "c/1.txt"),
                                                                           key=lambda p: h(f"{p}#0")[:20])}
    # a's file is replaced by another story: a leaves, b and c stay together
    load(data, 4, {"a/1.txt": OTHER.replace("flooded", "hit")})
    now = current(data)
    assert now["b/1.txt"][2] == now["c/1.txt"][2] == min(("b/1.txt", "c/1.txt"), key=lambda p: h(f"{p}#0")[:20])
    assert now["a/1.txt"][2] == now["z/1.txt"][2] is not None   # and a now groups with the flood story
    assert all(n == 0 for n in run_checks(data).values())


def test_rebuild_gives_the_same_tables(tmp_path):
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "z/1.txt": OTHER}, removed={"a/1.txt": ["Home"]})
    load(data, 2, {"b/1.txt": STORY, "c/1.txt": STORY.replace("Tuesday", "Monday")})
    load(data, 3, {"a/1.txt": None, "d/1.txt": OTHER})
    before = all_tables(data)
    assert {"articles", "article_versions", "manifest", "site_memory", "lsh_bands", "rejects", "runs",
            "step_stats", "removed_lines"} <= set(before)
    result = rebuild(data)
    assert result.runs == 3
    assert all_tables(data) == before
    assert rows(data, "select count(*) from article_history") == [(5,)]   # the view is recreated too


def test_a_run_loaded_in_slices_gives_the_same_tables(tmp_path, monkeypatch):
    """Whole articles are inserted a slice of staged parts at a time (a 1M-file run in one insert ran
    out of memory): one row a slice gives what one slice gives, also for a document staged twice in
    a run, in two parts, whose later version must be the current one."""
    import warehouse.loader

    def two_runs(data: Path) -> dict[str, list[tuple]]:
        load(data, 1, {"a/1.txt": STORY, "z/1.txt": OTHER}, removed={"a/1.txt": ["Home"]})
        lake, run_id, ts = data / "lake", "20260102T000000000000-test", dt.datetime(2026, 1, 2)
        stage = staging_dir(lake, run_id)
        edited = STORY.replace("Tuesday", "Monday")
        write_part(stage, "articles", "00000", [article("a/1.txt", edited, run_id, ts),
                                                article("b/1.txt", STORY, run_id, ts)])
        write_part(stage, "articles", "00001", [article("c/1.txt", OTHER, run_id, ts)])
        write_part(stage, "articles", "00002", [article("a/1.txt", edited + " Updated.", run_id, ts + dt.timedelta(hours=1))])
        write_part(stage, "files", "00000", [
            {"source_path": p, "root": "/landing", "size": 1, "mtime_ns": 2, "sha256": h(p), "status": "loaded",
             "n_articles": 1, "run_id": run_id, "seen_at": ts} for p in ("a/1.txt", "b/1.txt", "c/1.txt")])
        load_run(data, lake, run_id, {"run_id": run_id, "started_at": ts, "finished_at": ts, "files_seen": 3,
                                      "files_new": 3, "files_unchanged": 0, "articles_written": 4, "rejected": 0,
                                      "status": "completed"}, [])
        publish_run(lake, run_id)
        return all_tables(data)

    whole = two_runs(tmp_path / "whole")
    monkeypatch.setattr(warehouse.loader, "LOAD_SLICE_ROWS", 1)
    sliced = two_runs(tmp_path / "sliced")
    assert sliced == whole
    assert rows(tmp_path / "sliced", "select version, body like '%Updated.' from articles where source_path = 'a/1.txt'") == [
        (3, True)]
    assert rows(tmp_path / "sliced", "select count(*) from article_versions") == [(6,)]
    assert {r[0] for r in rows(tmp_path / "sliced", "select source_path from articles")} == {
        "a/1.txt", "b/1.txt", "c/1.txt", "z/1.txt"}
    assert all(n == 0 for n in run_checks(tmp_path / "sliced").values())


def test_recover_publishes_a_committed_run_and_drops_an_uncommitted_one(tmp_path):
    data, lake = tmp_path / "data", tmp_path / "data" / "lake"
    load(data, 1, {"a/1.txt": STORY})
    # committed in DuckDB, killed before publishing
    run2 = "20260102T000000000000-test"
    write_part(staging_dir(lake, run2), "articles", "00000", [article("b/1.txt", OTHER, run2, dt.datetime(2026, 1, 2))])
    load_run(data, lake, run2, {"run_id": run2, "started_at": None, "finished_at": None, "files_seen": 1,
                                "files_new": 1, "files_unchanged": 0, "articles_written": 1, "rejected": 0,
                                "status": "completed"}, [])
    # staged, never committed
    write_part(staging_dir(lake, "20260103T000000000000-dead"), "articles", "00000",
               [article("c/1.txt", OTHER, "x", dt.datetime(2026, 1, 3))])
    assert committed_runs(lake) == ["20260101T000000000000-test"]
    outcome = recover_lake(data, lake)
    assert outcome == {"published": [run2], "discarded": ["20260103T000000000000-dead"]}
    assert committed_runs(lake) == ["20260101T000000000000-test", run2]
    assert not any((lake / "_staging").iterdir())
    assert len(list((lake / "articles" / f"run_id={run2}").glob("*.parquet"))) == 1


def test_a_failing_check_is_named(tmp_path):
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "b/1.txt": OTHER})
    assert all(n == 0 for n in run_checks(data).values())
    assert {"articles_doc_id_unique", "rejects_reason_accepted", "articles_format_accepted",
            "articles_language_iso639_1", "articles_title_not_null"} <= set(declared_checks())
    with connect(data) as con:
        con.execute("insert into rejects values ('x.txt', null, 'no_such_reason', 'bad', 'r', null)")
        con.execute("update articles set language = 'english' where source_path = 'a/1.txt'")
        con.execute("update articles set title = null where source_path = 'b/1.txt'")
    failed = {name for name, n in run_checks(data).items() if n}
    assert failed == {"rejects_reason_accepted", "articles_language_iso639_1", "articles_title_not_null"}


def test_the_undeclared_keys_are_checked(tmp_path):
    """The growing tables declare no primary key (its index would sit in memory outside DuckDB's
    limit): a duplicated key is caught by the checks instead, table by table."""
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "b/1.txt": OTHER})
    load(data, 2, {"a/1.txt": STORY.replace("Tuesday", "Friday")})
    assert all(n == 0 for n in run_checks(data).values())
    with connect(data) as con:
        for table, computed in (("articles", "paragraphs"), ("article_versions", "paragraphs"),
                                ("manifest", None), ("site_memory", None)):
            columns = f"* exclude ({computed})" if computed else "*"
            con.execute(f"insert into {table} by name select {columns} from {table} limit 1")
    failed = {name for name, n in run_checks(data).items() if n}
    assert {"articles_doc_id_unique", "article_versions_key_unique", "manifest_path_unique",
            "site_memory_key_unique"} <= failed


def test_warehouse_file_is_never_half_loaded(tmp_path):
    """A load that fails inside the transaction leaves the warehouse exactly as it was."""
    data, lake = tmp_path / "data", tmp_path / "data" / "lake"
    load(data, 1, {"a/1.txt": STORY})
    before = all_tables(data)
    run2 = "20260102T000000000000-test"
    write_part(staging_dir(lake, run2), "articles", "00000", [article("b/1.txt", OTHER, run2, dt.datetime(2026, 1, 2))])
    # a runs row that breaks the runs primary key fails the last statement of the load
    with pytest.raises(duckdb.ConstraintException):
        load_run(data, lake, run2, {"run_id": "20260101T000000000000-test"}, [])
    assert all_tables(data) == before


def test_a_lost_warehouse_file_is_rebuilt_before_a_run(tmp_path):
    """Without it the next run would find an empty manifest and load every file again as new."""
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "z/1.txt": OTHER})
    load(data, 2, {"a/1.txt": STORY.replace("Tuesday", "Friday")})
    before = all_tables(data)
    (data / "warehouse.duckdb").unlink()
    outcome = recover(data, data / "lake")
    assert outcome["rebuilt"] == ["2"]
    assert all_tables(data) == before
    assert recover(data, data / "lake") == {"published": [], "discarded": []}


def test_a_file_that_vanished_mid_run_keeps_its_article_and_manifest_row(tmp_path):
    data = tmp_path / "data"
    load(data, 1, {"a/1.txt": STORY, "b/1.txt": OTHER})
    manifest = rows(data, "select * from manifest order by all")
    load(data, 2, {"a/1.txt": VANISHED, "c/1.txt": VANISHED})
    assert [r[0] for r in rows(data, "select source_path from articles order by 1")] == ["a/1.txt", "b/1.txt"]
    assert rows(data, "select * from manifest order by all") == manifest   # c is not in it: read when it is back
    assert rows(data, "select source_path from rejects where reason = 'vanished' order by 1") == [("a/1.txt",), ("c/1.txt",)]
    assert all(n == 0 for n in run_checks(data).values())


def test_lake_view_reads_parts_of_an_older_schema_as_the_current_one(tmp_path):
    """The marts read lake tables through create_lake_view (DuckDB's Parquet reader): a part written
    before a column existed gives nulls there, a wider integer comes back as the schema's type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warehouse.loader import create_lake_view

    current = pa.table({"doc_id": ["a"], "line_no": pa.array([1], pa.int32()), "text": ["Share"],
                        "reason": ["share"], "run_id": ["r2"]})
    older = pa.table({"doc_id": ["b", "b"], "line_no": pa.array([3, 4], pa.int64()), "reason": ["navigation", "print"],
                      "run_id": ["r1", "r1"]})   # no `text` column yet, line numbers as int64
    pq.write_table(current, tmp_path / "new.parquet")
    pq.write_table(older, tmp_path / "old.parquet")
    con = duckdb.connect()
    create_lake_view(con, "lake_removed_lines", [tmp_path / "old.parquet", tmp_path / "new.parquet"], "removed_lines")
    create_lake_view(con, "no_parts", [], "removed_lines")
    rows = con.execute("select doc_id, line_no, text, reason from lake_removed_lines order by doc_id, line_no").fetchall()
    assert rows == [("a", 1, "Share", "share"), ("b", 3, None, "navigation"), ("b", 4, None, "print")]
    described = [(r[0], r[1]) for r in con.execute("describe lake_removed_lines").fetchall()]
    assert described == [("doc_id", "VARCHAR"), ("line_no", "INTEGER"), ("text", "VARCHAR"), ("reason", "VARCHAR"),
                         ("run_id", "VARCHAR")]
    assert [(r[0], r[1]) for r in con.execute("describe no_parts").fetchall()] == described
    assert con.execute("select count(*) from no_parts").fetchone() == (0,)


def test_a_part_written_from_columns_is_the_part_written_from_rows(tmp_path):
    # the worker writes its many-row tables as columns; the lake must not tell the two apart
    rows = [{"doc_id": f"d{i // 3}", "line_no": i + 1, "text": f"Share · line {i}", "reason": "share", "run_id": "r1"}
            for i in range(7)]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    from_rows = write_part(tmp_path / "a", "removed_lines", "00000", rows)
    from_columns = write_part(tmp_path / "b", "removed_lines", "00000", columns)
    import pyarrow.parquet as pq
    assert pq.read_table(from_columns).equals(pq.read_table(from_rows))
    assert pq.read_table(from_columns).column("line_no").to_pylist() == list(range(1, 8))
    assert write_part(tmp_path / "c", "removed_lines", "00000", {name: [] for name in columns}) is None
    assert write_part(tmp_path / "c", "removed_lines", "00000", []) is None
    assert not (tmp_path / "c").exists()
    with pytest.raises((TypeError, ValueError, KeyError)):   # a column of the wrong type is refused, not coerced
        write_part(tmp_path / "d", "removed_lines", "00000", columns | {"line_no": ["x"] * 7})


def test_a_file_that_stored_paragraphs_is_rewritten_once_and_loads_on(tmp_path):
    """Warehouse files made before `paragraphs` was computed from `body` stored the list. The first
    connection that writes rewrites both tables, with the same rows; later loads go on as on a new file."""
    from warehouse.loader import migrate_stored_paragraphs
    old, new = tmp_path / "old", tmp_path / "new"
    for data in (old, new):
        load(data, 1, {"a/1.txt": STORY + "\n\n" + OTHER, "b/1.txt": OTHER})

    def stored(data: Path) -> dict[str, bool]:
        with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
            return {t: "GENERATED" not in s for t, s in con.execute(
                "select table_name, sql from duckdb_tables() where table_name in ('articles', 'article_versions')"
            ).fetchall()}

    with duckdb.connect(str(old / "warehouse.duckdb")) as con:   # what an older version wrote
        for table in ("article_versions", "articles"):
            con.execute(f"create table {table}__copy as select * from {table}")   # the list stored
            con.execute(f"drop table {table}")
            con.execute(f"alter table {table}__copy rename to {table}")
    assert stored(old) == {"articles": True, "article_versions": True}
    before = all_tables(old)
    assert [len(p) for (p,) in rows(old, "select paragraphs from articles order by source_path")] == [2, 1]

    with connect(old) as con:
        assert migrate_stored_paragraphs(con) == []        # connect() has rewritten them already
    assert stored(old) == {"articles": False, "article_versions": False}
    assert all_tables(old) == before
    for data in (old, new):
        load(data, 2, {"a/1.txt": STORY.replace("Tuesday", "Friday"), "c/1.txt": OTHER + " Extra."})
    assert all_tables(old) == all_tables(new)
    assert all(n == 0 for n in run_checks(old).values())
