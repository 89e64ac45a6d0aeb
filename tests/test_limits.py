"""The per-document time limit (tasks/limits.py): a call stuck in a backtracking regex is stopped,
the document becomes a `timeout` reject, and the next document cleans as usual."""
from __future__ import annotations

import re
import signal
import threading
import time

from news_etl.config import Settings
from tasks.clean_text import prepare_text_cleaner
from tasks.limits import TimeLimit
from tasks.process import ProcessConfig, clean_document
from tasks.records import Cleaned, RawDoc, Reject

# nested repetition: exponential backtracking on a run of "a" that does not end the line
BACKTRACKS = r"^(a+)+$"
STUCK_LINE = "a" * 40 + "!"


def test_a_stuck_match_is_stopped_and_the_next_call_runs():
    rx = re.compile(BACKTRACKS)
    before = signal.getsignal(signal.SIGALRM)
    with TimeLimit() as limit:
        assert limit.active
        t0 = time.perf_counter()
        assert limit.call(0.3, rx.match, STUCK_LINE) == (True, None)
        assert time.perf_counter() - t0 < 2.0
        assert limit.call(0.3, len, "four") == (False, 4)
        assert limit.call(None, len, "no limit") == (False, 8)
        time.sleep(0.4)          # the timer was stopped: no alarm lands after the call
    assert signal.getsignal(signal.SIGALRM) == before     # the caller's handler is back


def test_off_the_main_thread_calls_run_without_a_limit():
    out = []

    def work():
        with TimeLimit() as limit:
            out.append((limit.active, limit.call(0.01, sum, range(10))))

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert out == [(False, (False, 45))]


def test_a_text_page_whose_cleaning_hangs_is_a_timeout_reject(tmp_path):
    (tmp_path / "stuck.yaml").write_text(
        "stuck_test:\n  reason: junk\n  any:\n    patterns: ['" + BACKTRACKS + "']\n", encoding="utf-8")
    cfg = ProcessConfig.from_settings(__import__("news_etl.config", fromlist=["Settings"]).Settings(
        rules_dir=str(tmp_path), text_timeout_s=0.5))
    body = "The minister said on Tuesday that the new hospital would open next year in the capital."
    stuck = RawDoc("site/stuck.txt", 0, "text", f"A headline about the hospital\n{STUCK_LINE}\n{body}\n", "site")
    fine = RawDoc("site/fine.txt", 0, "text", f"A headline about the hospital\n{body}\n{body}\n", "site")
    # a process's first page would load the language model and compile the rule and date patterns
    # (~1 s): prepare_text_cleaner does it first, outside the limit
    with TimeLimit() as limit:
        t0 = time.perf_counter()
        prepare_text_cleaner(cfg.text)
        r = clean_document(stuck, cfg, None, limit)
        assert time.perf_counter() - t0 < 3.0
        assert isinstance(r, Reject) and r.reason == "timeout" and r.source_path == "site/stuck.txt"
        assert "0.5 s" in r.detail
        assert isinstance(clean_document(fine, cfg, None, limit), Cleaned)
    # without a caller's limit, clean_document installs its own
    assert clean_document(stuck, cfg, None).reason == "timeout"


def test_an_html_page_whose_text_rules_hang_is_a_timeout_reject(tmp_path):
    # the extraction child has its own limit; the text cleaner's work on the page runs in the worker
    (tmp_path / "stuck.yaml").write_text(
        "stuck_test:\n  reason: junk\n  any:\n    patterns: ['" + BACKTRACKS + "']\n", encoding="utf-8")
    body = "<p>The minister said on Tuesday that the new hospital would open next year in the capital.</p>" * 3
    page = "<html><head><title>A headline about the hospital</title></head><body><article>{}</article></body></html>"
    stuck = RawDoc("site/stuck.html", 0, "html", page.format(f"<p>{STUCK_LINE}</p>{body}"), "site")
    fine = RawDoc("site/fine.html", 0, "html", page.format(body), "site")
    for second_opinion in (False, True):     # the text rules over trafilatura's article; the text cleaner's own
        cfg = ProcessConfig.from_settings(Settings(rules_dir=str(tmp_path), text_timeout_s=0.5,
                                                   html_second_opinion=second_opinion))
        assert cfg.html.text_timeout_s == 0.5 and cfg.html.second_opinion == second_opinion
        with TimeLimit() as limit:
            prepare_text_cleaner(cfg.text)
            clean_document(fine, cfg, None, limit)          # the extraction child started
            t0 = time.perf_counter()
            r = clean_document(stuck, cfg, None, limit)
            assert time.perf_counter() - t0 < 3.0
            assert isinstance(r, Reject) and r.reason == "timeout" and "0.5 s" in r.detail
            assert isinstance(clean_document(fine, cfg, None, limit), Cleaned)


def test_a_worker_loads_the_cleaner_before_any_document_is_timed():
    # a process's first page would otherwise pay the loading (~1 s) inside its own time limit
    import subprocess
    import sys

    code = """
from tasks import language
from tasks.clean_text import _LAZY, prepare_text_cleaner
from tasks.rules import get_rules
prepare_text_cleaner()
rules = get_rules()
lazy = [b for b in rules._any2.values() if b.rx is None]
lazy += [b for d in rules._by2.values() for b in d.values() if b.rx is None]
print(language._model is not None, _LAZY.get("dates") is not None, len(lazy))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert out.stdout.split() == ["True", "True", "0"]

