"""Speed work on the text cleaner must not change its output: an oracle and a CPU timer.

    .venv/bin/python bench/perf_check.py write [--oracle /tmp/oracle]   # record today's outputs
    .venv/bin/python bench/perf_check.py check [--oracle /tmp/oracle]   # compare, print mismatches
    .venv/bin/python bench/perf_check.py time [--repeat 3]              # CPU pages/s, cold and warm
    .venv/bin/python bench/perf_check.py profile                        # cProfile of one cold pass
    .venv/bin/python bench/perf_check.py compare --base /tmp/b --repeat 6 # old tree vs this, one process
    PERF_ROOT=/tmp/base .venv/bin/python bench/perf_check.py write      # oracle from a copy's code

For every devset `.txt` dump the oracle holds what the text cleaner returns (title,
paragraphs, every removed line's (line_no, reason), dateline, byline, site_name,
page_date, published_at, language), the same page cleaned with a per-site memory
learnt from the pages before it (the pipeline's path), what the pipeline derives per
article (match key, word count, minhash signature, the site's line fingerprints), and
normalize_text / match_key of the whole dump. Timing is CPU time (time.process_time):
the machine is shared. "time" loads the tables first, then runs passes with the line caches emptied
(the best of them is reported: the machine is shared) and one pass with warm caches.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import os

ROOT = Path(__file__).resolve().parents[1]
# PERF_ROOT=<a copy of the repository> runs that copy's code (a baseline for the oracle)
sys.path.insert(0, os.environ.get("PERF_ROOT") or str(ROOT))

from warmup import warm_up_text_cleaner  # noqa: E402  (bench/, this script's folder)

DEVSET = (ROOT / ".." / "shared" / "devset").resolve()


def _pages() -> list[tuple[str, str]]:
    out = []
    for p in sorted(DEVSET.glob("*.txt")):
        if p.name.endswith(".gold.txt"):
            continue
        out.append((p.stem, p.read_text(encoding="utf-8", errors="replace")))
    return out


def _cleaned_dict(c) -> dict:
    return {
        "title": c.title,
        "paragraphs": c.paragraphs,
        "removed": [[r.line_no, r.reason] for r in c.removed],
        "dateline": c.dateline,
        "byline": c.byline,
        "site_name": c.site_name,
        "page_date": c.page_date.isoformat() if c.page_date else None,
        "published_at": c.published_at.isoformat() if c.published_at else None,
        "language": c.language,
    }


def _h(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def outputs() -> dict[str, dict]:
    """page id -> everything the oracle compares."""
    from tasks.clean_text import SiteMemory, clean_text, site_line_fingerprints
    from tasks.dedup import minhash_signature
    from tasks.normalize import count_words, match_key, normalize_text

    memories: dict[str, SiteMemory] = {}
    res = {}
    for pid, text in _pages():
        c = clean_text(text)
        d = _cleaned_dict(c)
        site = pid.split("-")[0]
        mem = memories.setdefault(site, SiteMemory(min_pages=2))
        d["with_site_memory"] = _cleaned_dict(clean_text(text, site_memory=mem))
        fps = site_line_fingerprints(text)
        mem.add_page(fps)
        d["site_fingerprints"] = sorted(fps)
        body = "\n\n".join(p for p in c.paragraphs if p.strip())
        d["body_match_key"] = _h(match_key(body))
        d["body_words"] = count_words(body)
        d["minhash"] = _h(json.dumps(minhash_signature(body)))
        d["dump_normalized"] = _h(normalize_text(text))
        d["dump_match_key"] = _h(match_key(text))
        res[pid] = d
    return res


def write(oracle: Path) -> None:
    oracle.mkdir(parents=True, exist_ok=True)
    res = outputs()
    for pid, d in res.items():
        (oracle / f"{pid}.json").write_text(json.dumps(d, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"wrote {len(res)} pages to {oracle}")


def check(oracle: Path, show: int = 20) -> int:
    res = outputs()
    bad = 0
    for pid, d in res.items():
        p = oracle / f"{pid}.json"
        if not p.exists():
            print(f"{pid}: not in the oracle")
            bad += 1
            continue
        want = json.loads(p.read_text(encoding="utf-8"))
        got = json.loads(json.dumps(d, ensure_ascii=False))
        if got != want:
            bad += 1
            if bad <= show:
                diffs = [k for k in want if got.get(k) != want.get(k)]
                print(f"{pid}: differs in {diffs}")
                for k in diffs[:3]:
                    w, g = want.get(k), got.get(k)
                    if isinstance(w, dict):
                        w = {kk: vv for kk, vv in w.items() if g.get(kk) != vv}
                        g = {kk: g.get(kk) for kk in w}
                    elif isinstance(w, list) and isinstance(g, list):
                        j = next((j for j, (a, b) in enumerate(zip(w, g)) if a != b), min(len(w), len(g)))
                        w, g = f"[{j}:] {w[j:j + 4]} (len {len(w)})", f"[{j}:] {g[j:j + 4]} (len {len(g)})"
                    print(f"   {k}: oracle {str(w)[:300]}\n   {k}: now    {str(g)[:300]}")
    print(f"{len(res)} pages, {bad} differ from the oracle at {oracle}")
    return 1 if bad else 0


def _clear_caches(pkg: str = "tasks") -> None:
    """Forget every line / segment memo of the cleaner (a new process would start without them)."""
    import importlib
    ct = importlib.import_module(f"{pkg}.clean_text")
    nz = importlib.import_module(f"{pkg}.normalize")
    dts = importlib.import_module(f"{pkg}.dates")
    ct._CACHES.clear()
    for name in ("_DATE_ONLY_CACHE", "_FIND_DATES_CACHE", "_LINE_FINGERPRINTS"):
        getattr(ct, name, {}).clear()
    getattr(dts._key, "cache_clear", lambda: None)()
    for name in ("_CLEAN_CACHE", "_NFKC_CACHE"):
        getattr(nz, name, {}).clear()


def compare(base: Path, rounds: int, warm: bool, corpus: str | None, docs: int) -> None:
    """The cleaner of another tree (`base`, e.g. `git archive <commit> | tar -x -C /tmp/b`)
    and this one in ONE process, passes alternated: on a shared machine two processes of
    the same code differ by up to 30%, one process's alternated passes by a few %."""
    import importlib
    import random
    import re
    import shutil
    import tempfile
    tmp = Path(tempfile.mkdtemp(prefix="perf_compare_"))
    shutil.copytree(base / "tasks", tmp / "tasks_base")          # the old package, renamed
    for f in (tmp / "tasks_base").rglob("*.py"):
        f.write_text(re.sub(r"\b(from|import) tasks\b", r"\1 tasks_base", f.read_text(encoding="utf-8")),
                     encoding="utf-8")
    sys.path.insert(1, str(tmp))
    old = importlib.import_module("tasks_base.clean_text")
    import tasks.clean_text as new
    if corpus:
        files = sorted(Path(corpus).rglob("*.txt"))
        random.Random(0).shuffle(files)
        pages = [f.read_text(encoding="utf-8", errors="replace") for f in files[:docs]]
    else:
        pages = [t for _, t in _pages()]
    for m in (old, new):
        for t in pages[:50]:
            m.clean_text(t)
    runs = {"base": (old, "tasks_base", []), "new": (new, "tasks", [])}
    for r in range(rounds):
        for name in (("base", "new") if r % 2 == 0 else ("new", "base")):
            m, pkg, times = runs[name]
            if not warm:
                _clear_caches(pkg)
            t0 = time.process_time()
            for t in pages:
                m.clean_text(t)
            times.append(time.process_time() - t0)
    shutil.rmtree(tmp, ignore_errors=True)
    n = len(pages)
    for name, (_, _, v) in runs.items():
        med = sorted(v)[len(v) // 2]
        print(f"{name:4s} CPU s per pass {' '.join(f'{x:.2f}' for x in v)} -> best {n / min(v):.0f} "
              f"pages/s, median {n / med:.0f}")
    b, w = runs["base"][2], runs["new"][2]
    print(f"{n} pages, {'warm' if warm else 'empty'} caches: new/base {min(b) / min(w):.2f}x (best), "
          f"{sorted(b)[len(b) // 2] / sorted(w)[len(w) // 2]:.2f}x (median)")


def timing(repeat: int) -> None:
    from tasks.clean_text import clean_text
    pages = [t for _, t in _pages()]
    warm_up_text_cleaner()
    kb = sum(len(t.encode("utf-8")) for t in pages) / len(pages) / 1024
    cold = []
    for r in range(repeat):
        _clear_caches()
        t0 = time.process_time()
        for t in pages:
            clean_text(t)
        cold.append(time.process_time() - t0)
    t0 = time.process_time()
    for t in pages:
        clean_text(t)
    warm = time.process_time() - t0
    n = len(pages)
    print(f"{n} pages (avg {kb:.1f} KB), CPU s per pass with empty line caches: "
          f"{' '.join(f'{x:.2f}' for x in cold)} -> best {n / min(cold):.0f} pages/s; "
          f"warm caches {n / warm:.0f} pages/s")


def profile() -> None:
    import cProfile
    import pstats
    from tasks.clean_text import clean_text
    pages = [t for _, t in _pages()]
    warm_up_text_cleaner()
    pr = cProfile.Profile()
    pr.enable()
    for t in pages:
        clean_text(t)
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(30)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["write", "check", "time", "profile", "compare"])
    ap.add_argument("--oracle", default="/tmp/oracle")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--show", type=int, default=20, help="check: how many differing pages to print")
    ap.add_argument("--base", help="compare: the other tree (its tasks/ is imported as tasks_base)")
    ap.add_argument("--warm", action="store_true", help="compare: keep the caches between passes")
    ap.add_argument("--corpus", help="compare: *.txt pages from this directory instead of the devset")
    ap.add_argument("--docs", type=int, default=3000, help="compare: how many --corpus pages")
    args = ap.parse_args(argv)
    if args.cmd == "write":
        write(Path(args.oracle))
    elif args.cmd == "check":
        return check(Path(args.oracle), args.show)
    elif args.cmd == "time":
        timing(args.repeat)
    elif args.cmd == "compare":
        if not args.base:
            ap.error("compare needs --base")
        compare(Path(args.base), max(args.repeat, 2), args.warm, args.corpus, args.docs)
    else:
        profile()
    return 0


if __name__ == "__main__":
    sys.exit(main())
