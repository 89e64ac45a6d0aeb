"""Dashboard marts at scale: build the marts over N synthetic articles, then time dashboard queries.

    .venv/bin/python bench/marts.py --articles 1000000

Synthetic rows are generated in DuckDB (articles, 48 terms each from a 20k vocabulary, stories
of ~4 articles, 8 removed lines per article in the Parquet lake), so this measures the SQL side:
the marts' build time and the time of the queries a dashboard runs on them (target: each
≤ 200 ms at 1M articles). The Python steps (article terms, story grouping) are measured by
--python-docs on real-looking text: they run incrementally / per refresh, not per query.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.monitor import in_child, own_peak_mb  # noqa: E402
from warehouse.loader import connect  # noqa: E402
from warehouse.models import build_marts, create_staging_views, register_lake, statements, MODELS_DIR  # noqa: E402

DASHBOARD_QUERIES = {
    "articles_per_day": "select day, site, sum(n_articles) from marts.articles_per_day "
                        "where day >= date '2025-10-01' group by all order by day",
    "boilerplate_by_site": "select site, reason, share_of_lines from marts.boilerplate_by_site "
                           "order by site_share_removed desc limit 500",
    "syndication": "select * from marts.syndication order by n_outlets desc, n_articles desc limit 100",
    "stories": "select * from marts.stories where n_outlets > 1 order by n_outlets desc, n_articles desc limit 100",
    "top_terms": "select * from marts.top_terms where day = date '2025-12-01' order by site, term_rank",
}


def generate(data: Path, n: int) -> None:
    lake = data / "lake"
    (lake / "removed_lines" / "run_id=bench").mkdir(parents=True)
    (lake / "_committed").mkdir(parents=True)
    with connect(data) as con:
        for stmt in statements((MODELS_DIR / "derived.sql").read_text(encoding="utf-8")):
            con.execute(stmt)
        con.execute(f"""
            insert into articles (doc_id, version, source_path, record_index, format, language, title, body,
                                  site, site_name, page_date, published_at, n_chars, n_words,
                                  ingested_at, run_id, dup_of, near_dup_group)
            select 'd' || i, 1, 'p/' || i, 0, 'text', ['ar', 'en', 'fr', 'de', 'es'][1 + i % 5], 'title ' || i,
                   array_to_string(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], chr(10) || chr(10)), 'site' || (i % 200) || '.example', null,
                   case when i % 3 = 1 then date '2025-01-01' + cast(i % 365 as integer) end,
                   case when i % 3 = 0 then timestamp '2025-01-01' + to_days(cast(i % 365 as integer)) end,
                   3000, 500, timestamp '2025-06-01 00:00:00', 'bench',
                   case when i % 50 = 1 then 'd' || (i - 1) end,
                   case when i % 40 < 3 then 'nd' || (i // 40) end
            from range({n}) t(i)""")
        con.execute(f"""
            insert into article_terms
            select 'd' || i, 1, 'term' || ((i * 7 + j * 131) % 20000), 1 + (i + j) % 4, case when j < 3 then 1 else 0 end,
                   j + 1
            from range({n}) t(i), range(48) u(j)""")
        con.execute(f"""
            insert into story_members select 'story-' || (i // 4), 'd' || i, 1, i % 4 = 0, 0.5, 'term' || (i // 4) % 20000 || ' term' || (i // 4 + 1) % 20000 from range({n}) t(i)""")
        removed = lake / "removed_lines" / "run_id=bench" / "part-0.parquet"
        con.execute(f"""
            copy (select 'd' || i as doc_id, cast(j as integer) as line_no, 'chrome line' as text,
                         ['navigation', 'share', 'related_links', 'copyright', 'masthead', 'advertisement',
                          'teaser', 'comment_count'][1 + (i + j) % 8] as reason, 'bench' as run_id
                  from range({n}) t(i), range(8) u(j))
            to '{removed}' (format parquet, compression zstd)""")
    (lake / "_committed" / "bench").touch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--feeds", action="store_true", help="also export the feeds and write the run report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        # in a child process, so the peak RSS printed below is the marts', feeds' and report's own
        in_child(generate, data, args.articles)
        print(f"generated {args.articles:,} articles in {time.perf_counter() - t0:.1f} s")
        with connect(data) as con:
            register_lake(con, data / "lake")
            create_staging_views(con)
            t0 = time.perf_counter()
            rows = build_marts(con)
            print(f"marts built in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        with connect(data, read_only=True) as con:
            print(f"{'mart':22s} {'rows':>9s} {'median ms':>10s} {'max ms':>8s}")
            for mart, sql in DASHBOARD_QUERIES.items():
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = con.sql(sql).to_arrow_table()
                    times.append((time.perf_counter() - t0) * 1000)
                print(f"{mart:22s} {result.num_rows:9,d} {statistics.median(times):10.1f} {max(times):8.1f}")
        print(f"peak RSS after the marts: {own_peak_mb():.0f} MB")
        if args.feeds:
            from warehouse.feeds import export_feeds
            from warehouse.report import write_report
            for step, call in (("feeds exported", lambda: export_feeds(data)), ("report written", lambda: write_report(data, "bench"))):
                t0, c0 = time.perf_counter(), time.process_time()
                call()
                print(f"{step} in {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU; "
                      f"peak RSS {own_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
