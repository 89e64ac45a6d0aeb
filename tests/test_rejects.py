"""Rejects, not crashes: a landing folder of bad inputs of every kind beside good ones, through a
real flow run. Every bad file lands in `rejects` with a reason and a detail, the run completes,
every file seen is accounted for, and the raw files are left exactly as they were."""
from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES_RAW
from tests.conftest import query_warehouse as query

CAP = 1_000_000   # max_file_bytes for these runs: counted after decompression
SLOW_PAGES = ("page_2_big.html", "page_3_big.html")
# a user's rule with nested repetition: exponential backtracking on a long run of "a"
STUCK_RULE = "stuck_test:\n  reason: junk\n  any:\n    patterns: ['^(a+)+$']\n"


def build_landing(root: Path, outside: Path) -> dict[str, str]:
    """The landing folder; returns bad file name -> the reason it must be rejected with."""
    root.mkdir()
    for f in sorted(SAMPLES_RAW.iterdir())[:2]:
        shutil.copy2(f, root / f.name)
    good_text = (SAMPLES_RAW / sorted(p.name for p in SAMPLES_RAW.iterdir())[0]).read_bytes()
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b" \n\t\r\n   \n")
    (root / "binary.dat").write_bytes(bytes(range(256)) * 40)
    # a UTF-16 byte-order mark, then a lone surrogate: no encoding decodes it cleanly
    (root / "undecodable.txt").write_bytes(b"\xff\xfe" + "A news story. ".encode("utf-16-le") * 30 + b"\x00\xd8"
                                           + "more".encode("utf-16-le"))
    (root / "truncated.txt.gz").write_bytes(gzip.compress(good_text * 3)[: len(gzip.compress(good_text * 3)) // 2])
    (root / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (20 * CAP)))     # ~20 KB that would be 20 MB
    (root / "big.txt").write_bytes(b"A long line of text that goes on. " * (CAP // 30))
    (root / "chrome_only.txt").write_text(
        "Home | News | World | Sports | Business | Contact\n"
        "Share on Facebook | Share on Twitter | Print\n"
        "Subscribe to our newsletter\n"
        "© 2026 Example News. All rights reserved.\n", encoding="utf-8")
    # extraction timeout: the limit is set far below what a big page needs, but the extraction
    # child's first page after a (re)start gets extra time for the child's start-up; so a small page
    # first, then two big ones: whatever state the child is in, one of the big pages times out
    (root / "page_1_small.html").write_text("<html><body><p>Warm up.</p></body></html>", encoding="utf-8")
    for name in SLOW_PAGES:
        (root / name).write_text(
            "<html><head><title>Slow</title></head><body>"
            + "".join(f"<div><p>Paragraph {i} of a very long page with many words in it.</p></div>" for i in range(8000))
            + "</body></html>", encoding="utf-8")
    # a text page with a line on which the user's rule pattern (STUCK_RULE) backtracks for hours: the
    # text cleaner's time limit stops it
    (root / "stuck.txt").write_text("A headline about the new hospital\n" + "a" * 40 + "!\n"
                                    + "The minister said on Tuesday that the new hospital would open next year. " * 4,
                                    encoding="utf-8")
    outside.write_text("a file outside the landing folder\n", encoding="utf-8")
    os.symlink(outside, root / "link_outside.txt")
    os.mkfifo(root / "pipe.txt")   # reading it would block forever
    return {"empty.txt": "empty", "blank.txt": "whitespace_only", "binary.dat": "binary",
            "undecodable.txt": "undecodable", "truncated.txt.gz": "truncated", "bomb.txt.gz": "too_large",
            "big.txt": "too_large", "chrome_only.txt": "no_content",
            "link_outside.txt": "symlink_outside_root", "pipe.txt": "unreadable", "stuck.txt": "timeout"}


def raw_state(root: Path) -> dict[str, tuple]:
    """Bytes and mtime of every entry, links and FIFOs by lstat only (never followed or read)."""
    out = {}
    for p in sorted(root.iterdir()):
        st = p.lstat()
        content = p.read_bytes() if stat.S_ISREG(st.st_mode) else os.readlink(p) if p.is_symlink() else None
        out[p.name] = (content, st.st_mtime_ns, st.st_size)
    return out


@pytest.fixture(scope="module")
def bad_landing_runs(tmp_path_factory, prefect_harness):
    from news_etl.config import load_settings
    from news_etl.runner import run_flow

    base = tmp_path_factory.mktemp("rejects")
    landing, data = base / "landing", base / "data"
    expected = build_landing(landing, base / "outside.txt")
    before = raw_state(landing)
    rules = base / "rules"
    rules.mkdir()
    (rules / "stuck.yaml").write_text(STUCK_RULE, encoding="utf-8")
    env = {"NEWS_ETL_HTML_TIMEOUT_S": "0.05", "NEWS_ETL_TEXT_TIMEOUT_S": "2", "NEWS_ETL_RULES_DIR": str(rules)}
    os.environ.update(env)
    try:
        # as `news-etl run` runs it: the default runner, whose worker processes clean on their main
        # thread, where the text limit's alarm can land
        settings = load_settings(inputs=[str(landing)], data_dir=str(data), max_file_bytes=CAP)
        first = run_flow(settings)
        after_first = raw_state(landing)
        second = run_flow(settings)
    finally:
        for name in env:
            del os.environ[name]
    return {"landing": landing, "data": data, "expected": expected, "before": before, "after_first": after_first,
            "after_second": raw_state(landing), "first": first, "second": second}


def test_every_bad_file_is_rejected_with_its_reason_and_a_detail(bad_landing_runs):
    data, expected = bad_landing_runs["data"], bad_landing_runs["expected"]
    found = {}
    for path, reason, detail in query(data, "select source_path, reason, detail from rejects order by all"):
        assert detail and detail.strip(), (path, reason)
        found.setdefault(path, set()).add(reason)
    for name, reason in expected.items():
        assert reason in found.get(name, set()), (name, reason, found.get(name))
    assert any("timeout" in found.get(name, set()) for name in SLOW_PAGES), found
    loaded = [r[0] for r in query(data, "select source_path from articles order by 1")]
    assert loaded[:2] == sorted(p.name for p in SAMPLES_RAW.iterdir())[:2]
    assert not set(loaded) & set(expected)


def test_the_run_completes_and_accounts_for_every_file(bad_landing_runs):
    first = bad_landing_runs["first"]
    assert first["status"] == "completed"
    assert all(first["checks"].values()), first["checks"]
    assert first["checks"]["files_accounted_for"]
    n_files = len(bad_landing_runs["before"])
    assert first["files_seen"] == n_files
    assert first["files_loaded"] + first["files_unchanged"] + first["files_rejected"] == n_files
    assert first["files_rejected"] >= len(bad_landing_runs["expected"])
    for reason in set(bad_landing_runs["expected"].values()) | {"timeout"}:
        assert first["rejects_by_reason"].get(reason, 0) >= 1, reason
    assert "rejects:" in first["text"]
    assert query(bad_landing_runs["data"], "select count(*) from manifest")[0][0] == n_files


def test_a_second_run_adds_nothing(bad_landing_runs):
    second, data = bad_landing_runs["second"], bad_landing_runs["data"]
    assert second["status"] == "completed"
    assert (second["files_new"], second["files_loaded"], second["files_rejected"], second["articles_written"]) == (0, 0, 0, 0)
    assert second["files_unchanged"] == second["files_seen"] == len(bad_landing_runs["before"])
    assert query(data, "select count(distinct run_id) from rejects")[0][0] == 1


def test_raw_files_are_never_changed_moved_or_deleted(bad_landing_runs):
    assert bad_landing_runs["after_first"] == bad_landing_runs["before"]
    assert bad_landing_runs["after_second"] == bad_landing_runs["before"]


def test_a_file_that_vanishes_before_it_is_read_is_a_reject(tmp_path):
    from tasks.process import ProcessConfig, process_chunk
    from tasks.records import SourceFile

    gone = SourceFile(path=str(tmp_path / "gone.txt"), root=str(tmp_path), rel_path="gone.txt", size=10, mtime_ns=1)
    result = process_chunk([gone], ProcessConfig.default(), "r1", "00000", tmp_path / "stage", None,
                           dt.datetime(2026, 1, 1))
    assert (result.files, result.rejected_files, result.articles) == (1, 1, 0)
    import pyarrow.parquet as pq

    rows = pq.read_table(tmp_path / "stage" / "rejects" / "part-00000.parquet").to_pylist()
    assert [(r["source_path"], r["reason"]) for r in rows] == [("gone.txt", "vanished")]


def test_a_failing_data_check_fails_the_run_naming_it(bad_landing_runs, tmp_path):
    from flows.etl import news_etl
    from warehouse.checks import CheckFailed

    data = tmp_path / "data"
    shutil.copytree(bad_landing_runs["data"], data)
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    con.execute("insert into rejects values ('x.txt', null, 'not_a_reason', 'planted by the test', 'r0', null)")
    con.close()
    with pytest.raises(CheckFailed, match="rejects_reason_accepted"):
        news_etl(inputs=[str(bad_landing_runs["landing"])], data_dir=str(data), max_file_bytes=CAP)
    # the run stays loaded (its files must not load again) but `runs` says its checks failed
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    last = con.execute("select status from runs order by run_id desc limit 1").fetchone()[0]
    con.close()
    assert last == "checks_failed"
