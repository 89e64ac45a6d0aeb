"""Quality and speed of the cleaners on ../shared/devset (and the five samples).

    .venv/bin/python bench/quality.py                      # the text cleaner on the .txt dumps
    .venv/bin/python bench/quality.py --systems text,raw   # several systems side by side
    .venv/bin/python bench/quality.py --systems html,html-norules,trafilatura   # the HTML path vs trafilatura alone
    .venv/bin/python bench/quality.py --systems html --html-cost   # + CPU cost vs trafilatura, page by page in turn
    .venv/bin/python bench/quality.py --systems html-trafilatura --html-cost   # the same without the text cleaner's second opinion
    .venv/bin/python bench/quality.py --half a             # only half the pages (overfitting check)
    .venv/bin/python bench/quality.py --samples            # the five samples against their gold
    .venv/bin/python bench/quality.py --dumper wrap:79     # the .txt dumps hard-wrapped at 79 columns
    .venv/bin/python bench/quality.py --dumper html2text   # the pages dumped by html2text (markdown, 78 columns)
    .venv/bin/python bench/quality.py --dumper lynx        # the pages dumped by lynx -dump (numbered links)

Predictions go to a temporary folder and are scored by the devset's own score.py
(macro P/R/F1 overall, per language and per source; the snippet track). The pages are
read from the devset folder, never copied into the repository.

A system is a function page_id -> predicted article text, registered in SYSTEMS;
`text` is news-etl's plain-text cleaner on the `<id>.txt` dump (title line + body).
Speed is measured for the cleaner alone (files read beforehand), one process, one core,
language detection included.

`--dumper` says which text dump of each page a text system reads: `devset` (the `.txt`
dumps, one block per line), `wrap:N` (those hard-wrapped at N columns with textwrap, what
html2text wraps with), `html2text[:N]` (html2text's markdown of the `.html`, wrapped at N
columns, 78 by default, 0 for none) or `lynx[:nolist]` (`lynx -dump` of the `.html`: text
indented and wrapped, links numbered and listed under "References", or not with nolist).
Neither tool is a dependency of news-etl: `.venv/bin/pip install html2text==2025.4.15`
(GPL-3), `apt-get install lynx`. lynx follows a page's declared charset, which a few devset
pages misdeclare: their dumps are mojibake whatever cleans them.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warmup import compile_rules, warm_up_text_cleaner  # noqa: E402  (bench/, this script's folder)

DEVSET = (ROOT / ".." / "shared" / "devset").resolve()
SAMPLES = ROOT / "samples" / "raw"
SAMPLES_GOLD = ROOT / "tests" / "fixtures" / "samples_gold"


def _load_score(devset: Path):
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_TXT_CACHE: dict[str, str] = {}
DUMPER = "devset"      # --dumper


def read_dump(page_id: str, devset: Path = DEVSET) -> str:
    t = _TXT_CACHE.get(page_id)
    if t is None:
        kind, _, arg = DUMPER.partition(":")
        if kind == "html2text":
            import html2text
            h = html2text.HTML2Text()
            h.body_width = int(arg or 78)
            t = h.handle((devset / f"{page_id}.html").read_text(encoding="utf-8", errors="replace"))
        elif kind == "lynx":
            cmd = ["lynx", "-dump", "-force_html", "-display_charset=utf-8", *(["-nolist"] if arg == "nolist" else []),
                   str(devset / f"{page_id}.html")]
            t = subprocess.run(cmd, capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
        else:
            t = (devset / f"{page_id}.txt").read_text(encoding="utf-8", errors="replace")
            if kind == "wrap":
                t = "\n".join(part for line in t.split("\n") for part in (textwrap.wrap(line, int(arg)) or [""]))
        _TXT_CACHE[page_id] = t
    return t


def article_text(cleaned) -> str:
    """What a system outputs for scoring: the title line, then the body paragraphs."""
    parts = [cleaned.title] if cleaned.title else []
    parts.extend(cleaned.paragraphs)
    return "\n".join(parts)


def system_text(page_id: str) -> str:
    from tasks.clean_text import clean_text
    return article_text(clean_text(read_dump(page_id)))


def system_raw(page_id: str) -> str:
    """Baseline: the dump as it is (no cleaning)."""
    return read_dump(page_id)


# ---------------------------------------------------------------------------------
# HTML systems: news-etl's clean_html (formats.py decoding, trafilatura in its watched child
# process, metadata, text rules after it) beside trafilatura alone, on the same `<id>.html` pages


_HTML_CACHE: dict[str, bytes] = {}


def read_html(page_id: str, devset: Path = DEVSET) -> bytes:
    b = _HTML_CACHE.get(page_id)
    if b is None:
        b = _HTML_CACHE[page_id] = (devset / f"{page_id}.html").read_bytes()
    return b


def _html_system(**overrides) -> Callable[[str], str]:
    def run(page_id: str) -> str:
        from tasks.clean_html import HtmlConfig, clean_html
        from tasks.formats import decode_bytes
        from tasks.records import RawDoc, Reject

        decoded = decode_bytes(read_html(page_id))
        if isinstance(decoded, Reject):
            return ""
        text, encoding = decoded
        doc = RawDoc(source_path=f"{page_id}.html", record_index=0, format="html", content=text,
                     source_sha256="", encoding=encoding)
        cleaned = clean_html(doc, HtmlConfig(**overrides))
        return "" if isinstance(cleaned, Reject) else article_text(cleaned)
    return run


def system_trafilatura(page_id: str) -> str:
    """Baseline: trafilatura alone on the raw bytes, include_comments=False (the devset README's row)."""
    import trafilatura
    return trafilatura.extract(read_html(page_id), include_comments=False) or ""


def _child_cpu() -> float:
    from tasks.clean_html import extraction_cpu_seconds
    return extraction_cpu_seconds()


def _html_warmup(rows: list[dict], devset: Path) -> None:
    """Read the pages and start clean_html's extraction child before the clock starts."""
    from tasks.clean_html import HtmlConfig, clean_html
    from tasks.records import RawDoc
    import trafilatura  # noqa: F401
    for r in rows:
        read_html(r["id"], devset)
    # one page that loads everything loaded once per process (rule tables, date tables, language model)
    para = "The minister said on Tuesday that the new hospital would open next year in the capital. " * 4
    page = (f'<html lang="en"><head><title>Warm up</title></head><body><article><h1>Warm up</h1>'
            f'<span class="date">15 May 2024</span><p>{para}</p><p>{para}</p><p>Share on Facebook</p>'
            f'</article></body></html>')
    clean_html(RawDoc("warmup.html", 0, "html", page, ""), HtmlConfig())
    compile_rules()               # the text rules' alternations (compiled on a line's first use)
    warm_up_text_cleaner()        # (the second opinion's text cleaner: date tables, Unicode tables)


def html_cost(rows: list[dict], devset: Path, name: str = "html") -> None:
    """clean_html (system `name`) against trafilatura alone, page by page in turn (a busy machine
    slows both alike): CPU seconds of each, clean_html's extraction child included."""
    from tasks.clean_html import extraction_cpu_seconds
    _html_warmup(rows, devset)
    html = SYSTEMS[name]
    t_html = t_traf = 0.0
    for r in rows:
        t0, c0 = time.process_time(), extraction_cpu_seconds()
        html(r["id"])
        t_html += time.process_time() - t0 + extraction_cpu_seconds() - c0
        t0 = time.process_time()
        system_trafilatura(r["id"])
        t_traf += time.process_time() - t0
    n = len(rows)
    print(f"\n=== HTML cost, interleaved, pages={n}: {name} {t_html:.2f}s CPU ({n / t_html:.1f} pages/s), "
          f"trafilatura alone {t_traf:.2f}s CPU ({n / t_traf:.1f} pages/s): {t_html / t_traf:.2f}x")


# name -> function(page_id) -> predicted text.
SYSTEMS: dict[str, Callable[[str], str]] = {
    "text": system_text,
    "raw": system_raw,
    "html": _html_system(),                          # the pipeline's HTML path, default HtmlConfig
    "html-trafilatura": _html_system(second_opinion=False),   # ... trafilatura's article only (no second opinion)
    "html-norules": _html_system(second_opinion=False, text_rules=False),   # ... and no text rules after it
    "trafilatura": system_trafilatura,
}
# systems whose work runs partly in clean_html's extraction child: its CPU time is added
CHILD_CPU = {"html", "html-trafilatura", "html-norules"}


def _text_warmup(rows: list[dict], devset: Path) -> None:
    warm_up_text_cleaner()


WARMUP: dict[str, Callable[[list, Path], None]] = {
    "html": _html_warmup, "html-trafilatura": _html_warmup, "html-norules": _html_warmup, "trafilatura": _html_warmup,
    "text": _text_warmup,
}


def half_of(page_id: str) -> str:
    return "a" if hashlib.sha1(page_id.encode()).digest()[0] % 2 == 0 else "b"


def run_system(name: str, rows: list[dict], score_mod, devset: Path, per_doc: str | None = None) -> dict:
    fn = SYSTEMS[name]
    ids = [r["id"] for r in rows]
    for i in ids:                 # read every dump first: the timing is the cleaner's
        read_dump(i, devset)
    if name in WARMUP:
        WARMUP[name](rows, devset)
    child_cpu = _child_cpu if name in CHILD_CPU else (lambda: 0.0)
    preds = {}
    t0, w0, c0 = time.process_time(), time.perf_counter(), child_cpu()
    for i in ids:
        preds[i] = fn(i)
    secs, wall = time.process_time() - t0 + child_cpu() - c0, time.perf_counter() - w0
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as d:
        for i, p in preds.items():
            Path(d, f"{i}.txt").write_text(p, encoding="utf-8")
        full = score_mod.score_full(rows, str(devset), d)
        snip = score_mod.score_snippets(rows, str(devset), d)
    summary = score_mod.summarize(full, snip)
    print(f"\n=== system: {name}   pages={len(ids)}   cleaner CPU time {secs:.2f}s   "
          f"{len(ids) / secs if secs else float('inf'):.0f} pages/s (one core)   wall {wall:.2f}s")
    score_mod.print_summary(summary)
    n_empty = sum(1 for p in preds.values() if not p.strip())
    print(f"empty outputs: {n_empty} of {len(ids)} ({100.0 * n_empty / max(len(ids), 1):.1f}%)")
    if per_doc:
        with open(per_doc, "w", encoding="utf-8") as f:
            for d in sorted(full, key=lambda d: d["F1"]):
                f.write(f"{d['id']}\t{d['language']}\t{d['P']:.3f}\t{d['R']:.3f}\t{d['F1']:.3f}\n")
    return summary


# ---------------------------------------------------------------------------------
# the five samples


def _tok_f1(pred: str, gold: str, score_mod) -> float:
    return score_mod.prf(pred, gold)[2]


def check_samples(score_mod) -> bool:
    from tasks.clean_text import clean_text
    ok_all = True
    print("\n=== samples (body F1 / title / dateline / byline / site_name / page_date)")
    for raw in sorted(SAMPLES.glob("*.txt")):
        gold_p = SAMPLES_GOLD / f"{raw.stem}.json"
        if not gold_p.exists():
            print(f"{raw.stem}: no gold at {gold_p}")
            ok_all = False
            continue
        g = json.loads(gold_p.read_text(encoding="utf-8"))
        c = clean_text(raw.read_text(encoding="utf-8"))
        f1 = _tok_f1("\n".join(c.paragraphs), "\n".join(g["body_paragraphs"]), score_mod)
        checks = {
            "title": c.title == g["title"],
            "dateline": c.dateline == g["dateline"],
            "byline": c.byline == g["byline"],
            "site_name": c.site_name == g["site_name"],
            "page_date": (c.page_date.isoformat() if c.page_date else None) == g["page_date"],
        }
        ok = f1 >= 0.98 and all(checks.values())
        ok_all &= ok
        bad = {k: (getattr(c, k) if k != "page_date" else c.page_date, g[k]) for k, v in checks.items() if not v}
        print(f"{raw.stem}: body F1={f1:.3f}  {'OK' if ok else 'FAIL ' + repr(bad)}")
    return ok_all


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--systems", default="text", help="comma-separated: " + ",".join(SYSTEMS))
    ap.add_argument("--devset", default=str(DEVSET))
    ap.add_argument("--half", choices=["a", "b"], help="only the pages of one half (by id hash)")
    ap.add_argument("--lang", action="append")
    ap.add_argument("--source", action="append")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--per-doc", help="write per-page P/R/F1 of the full track (TSV, worst first)")
    ap.add_argument("--samples", action="store_true", help="only check the five samples")
    ap.add_argument("--dumper", default="devset",
                    help="the text dumps read: devset, wrap:N, html2text[:N], lynx[:nolist] (see above)")
    ap.add_argument("--html-cost", action="store_true",
                    help="also time clean_html against trafilatura alone page by page in turn (the 1.25x budget)")
    args = ap.parse_args(argv)
    devset = Path(args.devset)
    global DUMPER
    DUMPER = args.dumper
    kind, _, arg = DUMPER.partition(":")
    if not ((kind == "devset" and not arg) or (kind == "wrap" and arg.isdigit())
            or (kind == "html2text" and (not arg or arg.isdigit())) or (kind == "lynx" and arg in ("", "nolist"))):
        print(f"unknown --dumper {DUMPER!r}: devset, wrap:N, html2text[:N] or lynx[:nolist]", file=sys.stderr)
        return 2
    if DUMPER.startswith("html2text") and importlib.util.find_spec("html2text") is None:
        print("--dumper html2text needs html2text: .venv/bin/pip install html2text==2025.4.15", file=sys.stderr)
        return 2
    if DUMPER.startswith("lynx") and shutil.which("lynx") is None:
        print("--dumper lynx needs lynx: apt-get install lynx", file=sys.stderr)
        return 2
    score_mod = _load_score(devset)
    if args.samples:
        return 0 if check_samples(score_mod) else 1
    rows = score_mod.load_manifest(str(devset))
    if args.half:
        rows = [r for r in rows if half_of(r["id"]) == args.half]
    if args.lang:
        rows = [r for r in rows if r["language"] in args.lang]
    if args.source:
        rows = [r for r in rows if r["source"] in args.source]
    if args.limit:
        rows = rows[: args.limit]
    for name in args.systems.split(","):
        name = name.strip()
        if name not in SYSTEMS:
            print(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}", file=sys.stderr)
            return 2
        run_system(name, rows, score_mod, devset, args.per_doc)
    if args.html_cost:
        for name in [n.strip() for n in args.systems.split(",") if n.strip() in CHILD_CPU] or ["html"]:
            html_cost(rows, devset, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
