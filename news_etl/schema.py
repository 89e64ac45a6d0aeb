"""Arrow schemas of every lake table, fixed in code.

The Parquet lake (`<data-dir>/lake/<table>/run_id=<id>/part-*.parquet`) is the
source of truth: every DuckDB table can be rebuilt from it. Versions, `dup_of`
and `near_dup_group` are derived at load time, so they are not stored here. Changing a schema
here is a change to the output contract documented in the README.
"""
import pyarrow as pa

ARTICLES = pa.schema([
    ("doc_id", pa.string()),
    ("source_path", pa.string()),
    ("record_index", pa.int32()),
    ("source_sha256", pa.string()),
    ("format", pa.string()),
    ("encoding", pa.string()),
    ("language", pa.string()),
    ("title", pa.string()),
    ("body", pa.string()),
    ("paragraphs", pa.list_(pa.string())),
    ("dateline", pa.string()),
    ("byline", pa.string()),
    ("site_name", pa.string()),
    ("site", pa.string()),
    ("url", pa.string()),
    ("page_date", pa.date32()),
    ("published_at", pa.timestamp("us")),
    ("n_chars", pa.int32()),
    ("n_words", pa.int32()),
    ("body_sha256", pa.string()),
    ("match_key_sha256", pa.string()),
    ("minhash", pa.list_(pa.uint32())),
    ("extra", pa.string()),
    ("ingested_at", pa.timestamp("us")),
    ("run_id", pa.string()),
])

REMOVED_LINES = pa.schema([
    ("doc_id", pa.string()),
    ("line_no", pa.int32()),
    ("text", pa.string()),
    ("reason", pa.string()),
    ("run_id", pa.string()),
])

REJECTS = pa.schema([
    ("source_path", pa.string()),
    ("record_index", pa.int32()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("run_id", pa.string()),
    ("rejected_at", pa.timestamp("us")),
])

# One row a raw file seen by a run that had to read it (new or changed).
FILES = pa.schema([
    ("source_path", pa.string()),
    ("root", pa.string()),
    ("size", pa.int64()),
    ("mtime_ns", pa.int64()),
    ("sha256", pa.string()),
    ("status", pa.string()),        # loaded | rejected
    ("n_articles", pa.int32()),
    ("run_id", pa.string()),
    ("seen_at", pa.timestamp("us")),
])

STEP_STATS = pa.schema([
    ("run_id", pa.string()),
    ("step", pa.string()),
    ("seen", pa.int64()),
    ("kept", pa.int64()),
    ("dropped", pa.int64()),
    ("dropped_by_reason", pa.map_(pa.string(), pa.int64())),
    ("lines_removed_by_reason", pa.map_(pa.string(), pa.int64())),
    ("seconds", pa.float64()),
])

# Per-site memory of chrome lines: how many pages of a site (in one run) had a line.
SITE_LINES = pa.schema([
    ("site", pa.string()),
    ("fingerprint", pa.string()),
    ("n_pages", pa.int32()),
    ("run_id", pa.string()),
])

# The content terms of each article (tasks/terms.py), computed by the worker that built it, where its
# text already is: the analysis step copies them into the warehouse's article_terms (with the version
# the load gave the article) instead of reading every new body back out of DuckDB to compute them.
ARTICLE_TERMS = pa.schema([
    ("doc_id", pa.string()),
    ("term", pa.string()),
    ("tf", pa.int32()),
    ("title_tf", pa.int32()),
    ("term_rank", pa.int16()),
    ("run_id", pa.string()),
])

RUNS = pa.schema([
    ("run_id", pa.string()),
    ("started_at", pa.timestamp("us")),
    ("finished_at", pa.timestamp("us")),
    ("files_seen", pa.int64()),
    ("files_new", pa.int64()),
    ("files_unchanged", pa.int64()),
    ("articles_written", pa.int64()),
    ("rejected", pa.int64()),
    ("status", pa.string()),
])

LAKE_TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "removed_lines": REMOVED_LINES,
    "rejects": REJECTS,
    "files": FILES,
    "step_stats": STEP_STATS,
    "site_lines": SITE_LINES,
    "article_terms": ARTICLE_TERMS,
    "runs": RUNS,
}
# lake tables the load does not read: the analysis step reads them from the committed lake
ANALYSIS_INPUTS = ("article_terms",)
