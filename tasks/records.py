"""The records that flow between steps. Every step takes and returns these.

Steps are plain functions over these dataclasses; the Prefect wrappers only
move file paths and small summaries between processes, never page bodies.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class SourceFile:
    """One raw file found in a landing folder."""

    path: str            # absolute path on disk (or fsspec URL)
    root: str            # the input root it was found under
    rel_path: str        # path relative to the root, '/'-separated: the contract's `source_path`
    size: int
    mtime_ns: int
    site_hint: str | None = None   # name of the input folder: the site when nothing better is known
    prev_sha256: str | None = None  # the manifest's hash when the file was seen before (size or mtime changed)


@dataclass(slots=True)
class RawDoc:
    """One document decoded from a raw file (a JSONL or WARC file yields many)."""

    source_path: str     # SourceFile.rel_path
    record_index: int    # 0 for single-document files
    format: str          # 'text' | 'html'
    content: str         # decoded text or HTML
    source_sha256: str   # sha256 of the raw file's bytes
    encoding: str = "utf-8"
    meta: dict[str, Any] = field(default_factory=dict)   # sidecar / JSONL / WARC metadata (url, fetched_at, site_name, ...)
    site: str | None = None   # site key for the per-site memory: url host, else sidecar site, else folder


@dataclass(slots=True)
class Reject:
    """Input that could not give an article. Recorded in `rejects`, never dropped silently."""

    source_path: str
    reason: str          # a code from tasks/reasons.py REJECT_REASONS
    detail: str          # human-readable
    record_index: int | None = None


@dataclass(slots=True)
class RemovedLine:
    line_no: int         # 1-based line number in the (normalized) input text
    text: str
    reason: str          # a code from tasks/reasons.py LINE_REASONS


@dataclass(slots=True)
class Cleaned:
    """What a cleaner (text or HTML) extracts from one document."""

    title: str | None
    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    dateline: str | None = None
    byline: str | None = None
    site_name: str | None = None
    page_date: dt.date | None = None
    published_at: dt.datetime | None = None
    language: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Article:
    """One row of the `articles` table (see README, 'Output contract')."""

    doc_id: str
    source_path: str
    record_index: int
    source_sha256: str
    format: str
    encoding: str
    language: str | None
    title: str | None
    body: str
    paragraphs: list[str]
    dateline: str | None
    byline: str | None
    site_name: str | None
    site: str | None
    url: str | None
    page_date: dt.date | None
    published_at: dt.datetime | None
    n_chars: int
    n_words: int
    body_sha256: str
    match_key_sha256: str
    extra: str | None     # JSON text of unknown sidecar keys
    removed: list[RemovedLine] = field(default_factory=list)
    minhash: list[int] = field(default_factory=list)   # MinHash signature of the match key (tasks/dedup.py)
