"""Story grouping cost per run: K new articles joining a warehouse of N articles (incremental).

    .venv/bin/python bench/stories.py --articles 200000 --new 1000

Synthetic terms with a skewed distribution (a few very common terms, a long tail of rare ones,
48 terms an article; half the articles also in stories of four sharing 12 terms); the N older articles start as one-article stories. Prints the time of
the incremental update (what every run pays) and, with --full, of a full regrouping, each with
the process's peak RSS so far. The warehouse is generated in a child process, so the peak is
the grouping's own; --data DIR keeps it (and reuses it when it is there) between runs.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.monitor import in_child, own_peak_mb  # noqa: E402
from warehouse.loader import connect  # noqa: E402
from warehouse.models import (MODELS_DIR, create_staging_views, register_lake, statements,  # noqa: E402
                              update_story_members)


def generate(data: Path, n: int, new: int) -> None:
    with connect(data) as con:
        for stmt in statements((MODELS_DIR / "derived.sql").read_text(encoding="utf-8")):
            con.execute(stmt)
        con.execute("select setseed(0.42)")
        con.execute(f"""
            insert into articles (doc_id, version, source_path, record_index, format, language, title, body,
                                  site, published_at, ingested_at, run_id)
            select 'd' || lpad(cast(i as varchar), 8, '0'), 1, 'p/' || i, 0, 'text', 'en', 't', 'b',
                   's' || (i % 200), case when i % 2 = 0 then timestamp '2025-01-01' + to_days(cast(i % 365 as integer)) end,
                   timestamp '2025-06-01' + to_seconds(i), 'bench'
            from range({n + new}) t(i)""")
        # term ids skewed towards 0: u^3 * 300k gives a few very frequent terms and a long rare tail
        con.execute(f"""
            insert into article_terms
            select doc_id, 1, 'term' || term_id, 1 + term_id % 3, 0, row_number() over (partition by doc_id order by term_id)
            from (
                select distinct 'd' || lpad(cast(i as varchar), 8, '0') as doc_id,
                       cast(floor(pow(random(), 3) * 300000) as integer) as term_id
                from range({n + new}) t(i), range(48) u(j)
            )""")
        # half the articles come in stories of four consecutive articles (dates at most 3 days apart)
        # sharing 12 terms of their own: real links, so the union-find and labels do work too
        con.execute(f"""
            insert into article_terms
            select 'd' || lpad(cast(i as varchar), 8, '0'), 1, 'story' || (i // 4) || '-' || j, 2, 1, 49 + j
            from range({n + new}) t(i), range(12) u(j)
            where (i // 4) % 2 = 0""")
        con.execute(f"""
            insert into story_members
            select 'story-' || doc_id, doc_id, 1, true, 1.0, ''
            from articles where doc_id < 'd' || lpad(cast({n} as varchar), 8, '0')""")


def fill_term_df(data: Path) -> None:
    """The document frequencies the refreshes keep (update_article_terms; this run's terms included)."""
    with connect(data) as con:
        for stmt in statements((MODELS_DIR / "derived.sql").read_text(encoding="utf-8")):
            con.execute(stmt)
        if not con.execute("select count(*) from term_df").fetchone()[0]:
            con.execute("insert into term_df select term, count(*) from article_terms group by term")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--full", action="store_true", help="also time a full regrouping")
    parser.add_argument("--skip-incremental", action="store_true", help="only the full regrouping")
    parser.add_argument("--data", type=Path, help="keep the generated warehouse here (reused if present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        kept = args.data / f"stories-{args.articles}-{args.new}" if args.data else None
        if kept and kept.exists():
            shutil.copytree(kept, data)
            print(f"reused {kept}")
        else:
            t0 = time.perf_counter()
            in_child(generate, data, args.articles, args.new)
            print(f"generated {args.articles:,} + {args.new:,} articles in {time.perf_counter() - t0:.1f} s")
            if kept:
                shutil.copytree(data, kept)
        in_child(fill_term_df, data)
        print(f"peak RSS before grouping: {own_peak_mb():.0f} MB")
        with connect(data) as con:
            register_lake(con, data / "lake")
            create_staging_views(con)
            if not args.skip_incremental:
                t0, c0 = time.perf_counter(), time.process_time()
                rows = update_story_members(con)
                print(f"incremental: {args.new:,} new articles grouped in {time.perf_counter() - t0:.1f} s wall, "
                      f"{time.process_time() - c0:.1f} s CPU ({rows:,} membership rows rewritten); "
                      f"peak RSS {own_peak_mb():.0f} MB")
            if args.full:
                t0, c0 = time.perf_counter(), time.process_time()
                rows = update_story_members(con, full=True)
                print(f"full: {args.articles + args.new:,} articles regrouped in {time.perf_counter() - t0:.1f} s wall, "
                      f"{time.process_time() - c0:.1f} s CPU ({rows:,} rows); peak RSS {own_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
