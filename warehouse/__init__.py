"""The DuckDB side of news-etl.

DuckDB allocates through its own jemalloc, which keeps freed pages for ~10 s before it returns
them: measured at 100k files, ~40-110 MB more RSS at the peaks of the load and of the story
grouping than with immediate purging, and no measurable time saved. Its settings are read once,
when DuckDB first allocates, so they are set here, before any module of this package imports
duckdb. A value set in the environment wins.
"""
import os

os.environ.setdefault("DUCKDB_JE_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
