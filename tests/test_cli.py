"""The three user commands, run as a user runs them: the installed console script in a subprocess."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES_RAW

CLI = str(Path(sys.executable).with_name("news-etl"))


def news_etl(*args: str, cwd: Path | None = None, timeout: int = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)   # the run must work with embedded defaults, no server
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    shutil.copytree(SAMPLES_RAW, base / "in")
    done = news_etl("run", "--input", str(base / "in"), "--data-dir", str(base / "data"))
    return base, done


def test_run_prints_a_summary_and_exits_zero(cli_run):
    base, done = cli_run
    assert done.returncode == 0, done.stderr[-3000:]
    assert "articles written: 5" in done.stdout
    assert "5 seen" in done.stdout
    assert str(base / "data") in done.stdout
    assert (base / "data" / "warehouse.duckdb").exists()


def test_query_formats(cli_run):
    base, _ = cli_run
    data = str(base / "data")
    as_json = news_etl("query", "--data-dir", data, "--format", "json",
                       "select title, dateline, byline from articles order by source_path")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert len(rows) == 5 and set(rows[0]) == {"title", "dateline", "byline"}
    assert rows[1]["byline"] == "علي جواد/ الأناضول"
    as_csv = news_etl("query", "--data-dir", data, "--format", "csv", "select source_path, n_words from articles order by 1")
    parsed = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert parsed[0] == ["source_path", "n_words"] and len(parsed) == 6
    table = news_etl("query", "--data-dir", data, "select count(*) as n from articles")
    assert table.stdout.splitlines()[0].strip() == "n" and "5" in table.stdout and "(1 row)" in table.stdout


def test_query_is_read_only_and_reports_errors(cli_run):
    base, _ = cli_run
    write = news_etl("query", "--data-dir", str(base / "data"), "delete from articles")
    assert write.returncode != 0 and "read-only" in write.stderr.lower()
    missing = news_etl("query", "--data-dir", str(base / "nowhere"), "select 1")
    assert missing.returncode == 2 and "no warehouse" in missing.stderr


def test_clean_prints_fields_and_reasons_without_writing(tmp_path):
    sample = tmp_path / "003.txt"
    shutil.copy(SAMPLES_RAW / "003_452219ab993f7ec8.txt", sample)
    done = news_etl("clean", str(sample), str(SAMPLES_RAW / "001_397fb93c3f2bb4b4.txt"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    for record in (first, second):
        assert {"doc_id", "title", "body", "paragraphs", "dateline", "byline", "language", "removed_lines"} <= set(record)
        assert all({"line_no", "text", "reason"} == set(r) for r in record["removed_lines"])
    assert second["dateline"] == "العراق" and second["byline"] == "علي جواد/ الأناضول"
    assert any(r["reason"] == "title_repeat" for r in first["removed_lines"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["003.txt"]   # nothing written


def test_clean_reads_the_configuration_a_run_reads(tmp_path):
    # a rule being debugged sits in the user's RULES_DIR: `news-etl clean` must apply it, as a run does
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text("my_chrome:\n  reason: junk\n  any:\n    lines: [a very particular chrome line]\n",
                                     encoding="utf-8")
    body = "The minister said on Tuesday that the new hospital would open next year in the capital."
    page = tmp_path / "page.txt"
    page.write_text(f"A headline about the hospital\na very particular chrome line\n{body}\n{body} Again.\n", encoding="utf-8")

    def reasons(**env) -> dict:
        done = subprocess.run([CLI, "clean", str(page)], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                              env={**os.environ, **env})
        assert done.returncode == 0, done.stderr
        return {r["text"]: r["reason"] for r in json.loads(done.stdout)["removed_lines"]}

    assert reasons()["a very particular chrome line"] != "junk"
    assert reasons(NEWS_ETL_RULES_DIR=str(rules))["a very particular chrome line"] == "junk"
    (tmp_path / "news-etl.toml").write_text(f'rules_dir = "{rules}"\n', encoding="utf-8")
    assert reasons()["a very particular chrome line"] == "junk"
