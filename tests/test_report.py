"""The run report: a static page built from the feeds, rendered in a real headless Chromium."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_marts import BODY_A, BODY_B, BODY_C, article_row, build_warehouse, set_links
from warehouse.feeds import export_feeds
from warehouse.models import refresh_models
from warehouse.report import render_report, write_report

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is needed for the report test: run `make browser` (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("report") / "data"
    build_warehouse(data, [
        article_row("a1", "Budget approved", BODY_A, site="a.example", published_at=dt.datetime(2024, 3, 1, 10)),
        article_row("a2", "Market fire", BODY_B, site="a.example"),
        article_row("b1", "طريق سريع جديد", BODY_C, site="b.example", language="ar"),
        article_row("c1", "طريق سريع جديد", BODY_C, site="c.example", language="ar"),
    ], [{"doc_id": "a1", "line_no": 1, "text": "Home | News", "reason": "navigation"},
        {"doc_id": "a2", "line_no": 7, "text": "Share", "reason": "share"}])
    set_links(data, dup_of={"c1": "b1"}, near={"b1": "g1", "c1": "g1"})
    refresh_models(data)
    export_feeds(data)
    return write_report(data, "run-1")


def test_report_is_written_per_run_and_as_latest(report):
    assert report.name == "run-1.html"
    assert (report.parent / "latest.html").read_text(encoding="utf-8") == report.read_text(encoding="utf-8")
    assert not list(report.parent.glob(".*tmp*"))


def test_report_fetches_nothing(report):
    page = report.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "no external resource"
    assert "url(" not in page


def test_report_renders_its_charts_in_headless_chromium(report, tmp_path):
    run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    dom = run.stdout
    assert 'data-rendered="yes"' in dom, run.stderr[-2000:]
    # one figure per chart section, each with bars the browser laid out with non-zero size
    drawn = [int(n) for n in re.findall(r'data-drawn-bars="(\d+)"', dom)]
    assert len(drawn) >= 4 and all(n > 0 for n in drawn), drawn
    # articles per day: a.example on 2024-03-01, three sites on the ingestion day -> 4 segments
    assert drawn[0] == 4
    assert 'data-resources="0"' in dom, "the page made no network request"
    assert "طريق سريع جديد" in dom


def test_report_of_an_empty_warehouse_says_so(tmp_path):
    page = render_report(tmp_path, "run-0")
    assert page.count('class="empty"') == 4
