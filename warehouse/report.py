"""A static HTML report per run, built from the feeds: <data-dir>/reports/<run_id>.html and latest.html.

Charts are inline SVG drawn here (no library, no CDN, no fetch: the page's Content-Security-Policy
forbids any network access), so the file opens anywhere, offline, e-mailed or archived.
Charts: articles per day by site, boilerplate share by site and reason, duplicate groups,
stories. Each bar is an SVG <rect class="bar"> with a <title> tooltip.
"""
from __future__ import annotations

import datetime as dt
import html
import os
from collections import defaultdict
from pathlib import Path
from string import Template

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.feeds import feeds_dir

TEMPLATE = Path(__file__).parent / "templates" / "report.html"
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
MAX_SERIES = 8       # sites or reasons drawn in their own colour; the rest are "other"
MAX_DAYS = 60        # the most recent days with articles
MAX_ROWS = 15        # sites, stories, duplicate groups listed


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _read_feed(folder: Path, name: str) -> pa.Table | None:
    path = folder / f"{name}.parquet"
    return pq.read_table(path) if path.exists() else None


def _rows(table: pa.Table | None) -> list[dict]:
    """Every row: only for feeds whose size is bounded by sites and reasons, not by articles or days."""
    return table.to_pylist() if table is not None else []


def _top_rows(table: pa.Table, keys: list[tuple[str, str]], n: int = MAX_ROWS) -> list[dict]:
    """The first n rows in `keys` order: the order is found on the key columns, and only those n rows
    are taken (a sorted copy of a 1M-article feed, then Python objects, weighed more than the page)."""
    return table.take(pc.sort_indices(table, sort_keys=keys)[:n]).to_pylist()


def _count(table: pa.Table | None, column: str, predicate) -> int:
    return int(pc.sum(predicate(table.column(column))).as_py() or 0) if table is not None else 0


def _top(weights: dict[str, float], n: int) -> list[str]:
    return [k for k, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _legend(names: list[str], colour: dict[str, str]) -> str:
    return '<div class="legend">' + "".join(
        f'<span style="--c:{colour[n]}">{_e(n)}</span>' for n in names) + "</div>"


def _empty(what: str) -> str:
    return f'<p class="empty">No {what} in this warehouse yet.</p>'


def stacked_columns(columns: list[str], stacks: dict[str, dict[str, float]], series: list[str],
                    colour: dict[str, str], unit: str) -> str:
    """Vertical stacked bars: one column per x value, one segment per series."""
    width, height, left, bottom, top = 1000, 260, 40, 40, 10
    peak = max((sum(stacks[c].values()) for c in columns), default=0) or 1
    step = (width - left) / max(len(columns), 1)
    bar_w = max(step * 0.8, 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(unit)}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{peak:g}</text>',
             f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>']
    for i, col in enumerate(columns):
        x = left + i * step + (step - bar_w) / 2
        y = height - bottom
        for s in series:
            value = stacks[col].get(s, 0)
            if not value:
                continue
            h = value / peak * (height - bottom - top)
            y -= h
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{colour[s]}"><title>{_e(col)} · {_e(s)}: {value:g} {_e(unit)}</title></rect>')
        if len(columns) <= 20 or i % max(len(columns) // 10, 1) == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{_e(col)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_rows(rows: list[str], stacks: dict[str, dict[str, float]], series: list[str],
                 colour: dict[str, str], scale: float, fmt: str) -> str:
    """Horizontal stacked bars: one row per label (site, story, group), one segment per series."""
    label_w, width, row_h = 300, 1000, 22
    height = row_h * len(rows) + 10
    scale = scale or 1
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img">']
    for i, row in enumerate(rows):
        y = 5 + i * row_h
        short = row if len(row) <= 48 else row[:47] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(short)}</text>')
        x = label_w
        total = 0.0
        for s in series:
            value = stacks[row].get(s, 0)
            if not value:
                continue
            w = value / scale * (width - label_w - 60)
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="{row_h - 6}" '
                         f'fill="{colour[s]}"><title>{_e(row)} · {_e(s)}: {fmt.format(value)}</title></rect>')
            x += w
            total += value
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{fmt.format(total)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _colours(names: list[str]) -> dict[str, str]:
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)} | {"other": "#cccccc"}


def articles_chart(table: pa.Table | None) -> str:
    if table is None or not table.num_rows:
        return _empty("articles")
    totals = table.group_by("site").aggregate([("n_articles", "sum")])
    by_site = dict(zip(totals.column("site").to_pylist(), totals.column("n_articles_sum").to_pylist()))
    sites = _top(by_site, MAX_SERIES)
    day_text = pc.cast(table.column("day"), pa.string())
    days = sorted(pc.unique(day_text).drop_null().to_pylist())[-MAX_DAYS:]
    stacks: dict[str, dict[str, float]] = {d: defaultdict(float) for d in days}
    shown = table.filter(pc.is_in(day_text, value_set=pa.array(days, pa.string())))
    for r in shown.select(["day", "site", "n_articles"]).to_pylist():
        stacks[str(r["day"])][r["site"] if r["site"] in sites else "other"] += r["n_articles"]
    series = sites + (["other"] if len(by_site) > len(sites) else [])
    colour = _colours(sites)
    sources = sorted(pc.unique(table.column("day_source")).drop_null().to_pylist())
    note = f'<p class="meta">day from: {_e(", ".join(sources))} (published_at, else page_date, else ingestion date)</p>'
    return _legend(series, colour) + stacked_columns(days, stacks, series, colour, "articles") + note


def boilerplate_chart(rows: list[dict]) -> str:
    if not rows:
        return _empty("removed lines")
    site_share = {r["site"]: r["site_share_removed"] for r in rows}
    sites = _top(site_share, MAX_ROWS)
    by_reason: dict[str, float] = defaultdict(float)
    for r in rows:
        by_reason[r["reason"]] += r["lines_removed"]
    reasons = _top(by_reason, MAX_SERIES)
    stacks: dict[str, dict[str, float]] = {s: defaultdict(float) for s in sites}
    for r in rows:
        if r["site"] in stacks:
            stacks[r["site"]][r["reason"] if r["reason"] in reasons else "other"] += r["share_of_lines"]
    series = reasons + (["other"] if len(by_reason) > len(reasons) else [])
    colour = _colours(reasons)
    return (_legend(series, colour) + stacked_rows(sites, stacks, series, colour, 1.0, "{:.0%}")
            + '<p class="meta">share of each site\'s lines (kept + removed) removed, by reason</p>')


def duplicates_chart(table: pa.Table | None) -> str:
    if table is None or not table.num_rows:
        return _empty("duplicate groups")
    kinds = ["exact", "near"]
    colour = _colours(kinds)
    counts = {k: {k: float(_count(table, "group_kind", lambda c, k=k: pc.equal(c, k)))} for k in kinds}
    summary = stacked_rows([k for k in kinds if counts[k][k]], counts, kinds, colour,
                           max(v[k] for k, v in counts.items()), "{:.0f} groups")
    top = _top_rows(table, [("n_outlets", "descending"), ("n_articles", "descending"), ("group_id", "ascending")])
    table = "<table><tr><th>kind</th><th>articles</th><th>outlets</th><th>first seen</th><th>last seen</th><th>title</th></tr>" + "".join(
        f"<tr><td>{_e(r['group_kind'])}</td><td>{r['n_articles']}</td><td>{_e(r['outlets'])}</td>"
        f"<td>{_e(r['first_seen'])}</td><td>{_e(r['last_seen'])}</td><td dir=\"auto\">{_e(r['title'])}</td></tr>"
        for r in top) + "</table>"
    return summary + table


def stories_chart(table: pa.Table | None) -> str:
    if table is None or not table.num_rows:
        return _empty("stories")
    top = _top_rows(table, [("n_outlets", "descending"), ("n_articles", "descending"), ("story_id", "ascending")])
    labels = [f"{r['label']} ({r['story_id'][-6:]})" for r in top]
    stacks = {label: {"articles": float(r["n_articles"])} for label, r in zip(labels, top)}
    colour = _colours(["articles"])
    chart = stacked_rows(labels, stacks, ["articles"], colour, max(r["n_articles"] for r in top), "{:.0f} articles")
    table_html = "<table><tr><th>story</th><th>articles</th><th>outlets</th><th>days</th><th>title</th></tr>" + "".join(
        f"<tr><td dir=\"auto\">{_e(r['label'])}</td><td>{r['n_articles']}</td><td dir=\"auto\">{_e(r['outlets'])}</td>"
        f"<td>{_e(r['first_day'])} – {_e(r['last_day'])}</td><td dir=\"auto\">{_e(r['anchor_title'])}</td></tr>"
        for r in top) + "</table>"
    multi = _count(table, "n_outlets", lambda c: pc.greater(c, 1))
    return f'<p class="meta">{table.num_rows} stories, {multi} carried by more than one outlet</p>' + chart + table_html


def render_report(data_dir: Path, run_id: str, generated: dt.datetime | None = None) -> str:
    folder = feeds_dir(data_dir)
    boilerplate = _rows(_read_feed(folder, "boilerplate_by_site"))
    # days, stories and duplicate groups grow with the articles (articles_per_day: 610k rows at 1M
    # generated articles, ~300 MB as Python rows): read as Arrow, only what is drawn becomes Python
    per_day = _read_feed(folder, "articles_per_day")
    syndication, stories = _read_feed(folder, "syndication"), _read_feed(folder, "stories")
    n_articles = int(pc.sum(per_day.column("n_articles")).as_py() or 0) if per_day is not None else 0
    n_sites = pc.count_distinct(per_day.column("site"), mode="all").as_py() if per_day is not None else 0
    figures = [("articles", n_articles), ("sites", n_sites),
               ("stories", stories.num_rows if stories is not None else 0),
               ("multi-outlet stories", _count(stories, "n_outlets", lambda c: pc.greater(c, 1))),
               ("duplicate groups", syndication.num_rows if syndication is not None else 0)]
    sections = [
        ("Articles per day by site", articles_chart(per_day)),
        ("Boilerplate removed by site and reason", boilerplate_chart(boilerplate)),
        ("Duplicates (syndication)", duplicates_chart(syndication)),
        ("Stories across outlets", stories_chart(stories)),
    ]
    generated = generated or dt.datetime.now(dt.timezone.utc)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        run_id=_e(run_id), generated=_e(generated.strftime("%Y-%m-%d %H:%M UTC")), feeds_dir=_e(folder),
        figures="".join(f'<div class="figure"><b>{v}</b>{_e(k)}</div>' for k, v in figures),
        sections="\n".join(f'<section><h2>{_e(title)}</h2>{body}</section>' for title, body in sections),
    )


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(data_dir: Path, run_id: str) -> Path:
    """Write reports/<run_id>.html and reports/latest.html from the current feeds."""
    folder = Path(data_dir) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    page = render_report(Path(data_dir), run_id)
    path = folder / f"{run_id}.html"
    _write_atomic(path, page)
    _write_atomic(folder / "latest.html", page)
    return path
