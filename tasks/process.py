"""Turn raw files into article rows: read → clean → build, one chunk of files at a time.

`process_document` is the per-document step; `process_chunk` runs it over many
files inside one worker and writes the chunk's Parquet parts, so that only
paths and counters travel back to the flow (never page bodies).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Iterator

from news_etl.config import Settings
from tasks.clean_html import HtmlConfig, clean_html
from tasks.clean_text import (SiteMemory, TextCleanConfig, clean_text, prepare_text_cleaner,
                              short_line_fingerprints)
from tasks.dedup import minhash_of_tokens
from tasks.formats import ReadConfig, advise_read_ahead, read_source
from tasks.language import detect_language
from tasks.limits import TimeLimit, text_timeout_reject
from tasks.normalize import count_words, match_key_and_tokens
from tasks.records import Article, Cleaned, FileList, RawDoc, Reject, SourceFile
from tasks.stats import StepStats
from tasks.terms import add_article_term_columns


@dataclass(frozen=True)
class ProcessConfig:
    read: ReadConfig
    text: TextCleanConfig
    html: HtmlConfig
    site_memory_min_pages: int = 3
    text_timeout_s: float | None = 10.0       # wall clock per text document (None: no limit)

    @classmethod
    def default(cls) -> "ProcessConfig":
        return cls.from_settings(Settings())

    @classmethod
    def from_settings(cls, s: Settings) -> "ProcessConfig":
        return cls(
            read=ReadConfig(max_bytes=s.max_file_bytes),
            text=TextCleanConfig.from_rules_dir(s.rules_dir) if s.rules_dir else TextCleanConfig(),
            html=HtmlConfig(timeout_s=s.html_timeout_s, max_bytes=s.html_max_bytes, rules_dir=s.rules_dir,
                            text_timeout_s=s.text_timeout_s, second_opinion=s.html_second_opinion),
            site_memory_min_pages=s.site_memory_min_pages,
            text_timeout_s=s.text_timeout_s,
        )


# wall clock for the text cleaner's one-time loading in a process (prepare_text_cleaner), under its own limit
PREPARE_TIMEOUT_S = 60.0


@contextmanager
def text_time_limit(cfg: ProcessConfig) -> Iterator[TimeLimit]:
    """The TimeLimit documents are cleaned under, for a batch of them, with the text cleaner prepared
    first: its one-time loading (~1 s) runs under a limit of its own, not a document's (a user's rule
    could backtrack on the warm-up page too)."""
    with TimeLimit() as limit:
        limit.call(PREPARE_TIMEOUT_S, prepare_text_cleaner, cfg.text)
        yield limit


def make_doc_id(source_path: str, record_index: int) -> str:
    """Stable across runs and versions: the same file and record keep their id."""
    return hashlib.sha256(f"{source_path}#{record_index}".encode()).hexdigest()[:20]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_document(doc: RawDoc, cfg: ProcessConfig, site_memory: SiteMemory | None,
                   limit: TimeLimit | None = None) -> Cleaned | Reject:
    """The document's cleaner under its time limit (`limit`: the caller's, installed for a batch of
    documents; else one for this call). HTML pages get theirs in clean_html's extraction child, and this
    one for the text cleaner's work on the extracted page."""
    if limit is None:
        with text_time_limit(cfg) as own:
            return clean_document(doc, cfg, site_memory, own)
    if doc.format == "html":
        return clean_html(doc, cfg.html, limit, site_memory)
    stopped, cleaned = limit.call(cfg.text_timeout_s, clean_text, doc.content, cfg.text, site_memory)
    if stopped:
        return text_timeout_reject(doc, cfg.text_timeout_s)
    return cleaned


def build_article(doc: RawDoc, cleaned: Cleaned) -> Article | Reject:
    """Fields from the cleaner, completed from the document's metadata."""
    paragraphs = [p for p in cleaned.paragraphs if p.strip()]
    if any("\n" in p for p in paragraphs):
        # the warehouse gives `paragraphs` back by splitting `body` at its blank lines (ddl.sql):
        # a paragraph holds no line break, so each of its lines is one
        paragraphs = [line for p in paragraphs for line in p.split("\n") if line.strip()]
    if not paragraphs:
        return Reject(doc.source_path, "no_content", "nothing left after cleaning", doc.record_index)
    meta = doc.meta
    title = cleaned.title or (meta.get("title") or "").strip() or None
    if title is None:
        # the contract promises a title for every article: an untitled page is a reject the user can query
        return Reject(doc.source_path, "no_title", f"no headline found; {len(paragraphs)} paragraphs of body "
                      f"starting {paragraphs[0][:80]!r}", doc.record_index)
    body = "\n\n".join(paragraphs)
    key, key_toks = match_key_and_tokens(body)   # shingled for the MinHash, counted as the words when exact
    published_at = cleaned.published_at or _parse_timestamp(meta.get("published_at"))
    extra = meta.get("extra") or None
    return Article(
        doc_id=make_doc_id(doc.source_path, doc.record_index),
        source_path=doc.source_path,
        record_index=doc.record_index,
        source_sha256=doc.source_sha256,
        format=doc.format,
        encoding=doc.encoding,
        language=cleaned.language or detect_language(((cleaned.title or "") + "\n" + body)),
        title=title,
        body=body,
        paragraphs=paragraphs,
        dateline=cleaned.dateline,
        byline=cleaned.byline,
        site_name=cleaned.site_name or meta.get("site_name"),
        site=doc.site,
        url=cleaned.url or meta.get("url"),
        page_date=cleaned.page_date,
        published_at=published_at,
        n_chars=len(body),
        n_words=count_words(body, key_toks),
        body_sha256=_sha256(body),
        match_key_sha256=_sha256(key),
        minhash=minhash_of_tokens(key_toks),
        extra=json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str) if extra else None,
        removed=cleaned.removed,
        body_key=key,
        body_tokens=key_toks,
    )


def _parse_timestamp(value) -> dt.datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(dt.timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


def process_document(doc: RawDoc, cfg: ProcessConfig, site_memory: SiteMemory | None = None) -> Article | Reject:
    cleaned = clean_document(doc, cfg, site_memory)
    if isinstance(cleaned, Reject):
        return cleaned
    return build_article(doc, cleaned)


@dataclass
class ChunkResult:
    chunk: str
    files: int = 0
    loaded_files: int = 0
    unchanged_files: int = 0
    rejected_files: int = 0
    articles: int = 0
    rejects: int = 0
    stats: list[dict] = field(default_factory=list)


def article_fields(a: Article) -> dict:
    """The article's columns as `news-etl clean` prints them: the articles table's fields and removed lines."""
    fields = _article_table_fields(a)
    fields["removed_lines"] = [{"line_no": r.line_no, "text": r.text, "reason": r.reason} for r in a.removed]
    return fields


def _article_table_fields(a: Article) -> dict:
    return {
        "doc_id": a.doc_id, "source_path": a.source_path, "record_index": a.record_index,
        "source_sha256": a.source_sha256, "format": a.format, "encoding": a.encoding,
        "language": a.language, "title": a.title, "body": a.body, "paragraphs": a.paragraphs,
        "dateline": a.dateline, "byline": a.byline, "site_name": a.site_name, "site": a.site,
        "url": a.url, "page_date": a.page_date, "published_at": a.published_at,
        "n_chars": a.n_chars, "n_words": a.n_words, "body_sha256": a.body_sha256,
        "match_key_sha256": a.match_key_sha256, "extra": a.extra,
    }


def article_row(a: Article, run_id: str, ingested_at: dt.datetime) -> dict:
    """The article's row of the lake's articles table (its removed lines go to their own table)."""
    row = _article_table_fields(a)
    row.update(minhash=a.minhash, ingested_at=ingested_at, run_id=run_id)
    return row


def process_chunk(files: FileList | list[SourceFile], cfg: ProcessConfig, run_id: str, chunk: str,
                  staging: Path, site_memory_path: Path | None, ingested_at: dt.datetime) -> ChunkResult:
    """Process `files`, write this chunk's Parquet parts under `staging`, return counts only."""
    # imported here: they pull in pyarrow, which `news-etl clean` does not need
    from tasks.lake import release_freed_memory, write_part
    from tasks.site_memory import SiteMemoryStore

    release_freed_memory()   # what the worker's previous chunk freed (its rows, its Arrow tables)
    files = list(files)      # a packed FileList unpacks on every pass over it
    advise_read_ahead(files, cfg.read)

    result = ChunkResult(chunk=chunk, files=len(files))
    read_stats, clean_stats, build_stats = StepStats("read"), StepStats("clean"), StepStats("build")
    memory = SiteMemoryStore(site_memory_path, cfg.site_memory_min_pages)
    articles, rejects, file_rows = [], [], []
    # the many-row tables as columns (see write_part)
    removed = {"doc_id": [], "line_no": [], "text": [], "reason": [], "run_id": []}
    terms = {"doc_id": [], "term": [], "tf": [], "title_tf": [], "term_rank": [], "run_id": []}
    site_counts: dict[str, Counter] = defaultdict(Counter)
    now = ingested_at

    def reject(r: Reject) -> None:
        rejects.append({"source_path": r.source_path, "record_index": r.record_index, "reason": r.reason,
                        "detail": r.detail, "run_id": run_id, "rejected_at": now})

    # the text cleaner's per-document time limit: its signal handler stays for the whole chunk
    with text_time_limit(cfg) as limit:
        for sf in files:
            read_stats.seen += 1
            docs: list[RawDoc] = []
            file_rejects: list[Reject] = []
            with read_stats.timer():
                try:
                    for item in read_source(sf, cfg.read):
                        (file_rejects if isinstance(item, Reject) else docs).append(item)
                except Exception as exc:   # a reader bug must not sink the chunk: the file is rejected, the run goes on
                    file_rejects.append(Reject(sf.rel_path, "unreadable", f"{type(exc).__name__}: {exc}"))
            sha = docs[0].source_sha256 if docs else None
            if sha is not None and sha == sf.prev_sha256:
                # touched, not changed: only the manifest's size/mtime move on
                read_stats.drop("unchanged_content")
                result.unchanged_files += 1
                file_rows.append(_file_row(sf, sha, "unchanged", 0, run_id, now))
                continue
            read_stats.kept += 1 if docs else 0
            for r in file_rejects:
                read_stats.drop(r.reason)
                reject(r)
            n_articles = 0
            for doc in docs:
                clean_stats.seen += 1
                with clean_stats.timer():
                    try:
                        outcome = clean_document(doc, cfg, memory.for_site(doc.site), limit)
                    except Exception as exc:
                        outcome = Reject(doc.source_path, "unreadable", f"cleaner failed: {type(exc).__name__}: {exc}", doc.record_index)
                if isinstance(outcome, Reject):
                    clean_stats.drop(outcome.reason)
                    reject(outcome)
                    continue
                clean_stats.kept += 1
                clean_stats.lines_removed_by_reason.update(map(_REASON, outcome.removed))
                if outcome.lines is not None and doc.site:
                    # from the page's lines as the text cleaner normalized them, not normalized again (an
                    # HTML page's: its dump's, with the second opinion; else it has none)
                    site_counts[doc.site].update(short_line_fingerprints(outcome.lines, cfg.text))
                build_stats.seen += 1
                with build_stats.timer():
                    article = build_article(doc, outcome)
                    if isinstance(article, Reject):
                        build_stats.drop(article.reason)
                        reject(article)
                        continue
                    build_stats.kept += 1
                    n_articles += 1
                    articles.append(article_row(article, run_id, now))
                    add_article_term_columns(terms, article.title, article.body, article.language,
                                             article.body_key, article.body_tokens,
                                             doc_id=article.doc_id, run_id=run_id)
                    _add_removed_columns(removed, article, run_id)
            status = "loaded" if n_articles else "rejected"
            if not docs and not file_rejects:
                reject(Reject(sf.rel_path, "no_content", "the file gave no document"))
            result.loaded_files += status == "loaded"
            result.rejected_files += status == "rejected"
            result.articles += n_articles
            file_rows.append(_file_row(sf, sha, status, n_articles, run_id, now))

    result.rejects = len(rejects)
    # sorted: the counts come from sets, whose order changes with every process's hash seed
    site_rows = {"site": [], "fingerprint": [], "n_pages": [], "run_id": []}
    for site, counts in sorted(site_counts.items()):
        if not counts:          # a page with no short line
            continue
        fps, ns = zip(*sorted(counts.items()))
        site_rows["site"] += [site] * len(fps)
        site_rows["fingerprint"] += fps
        site_rows["n_pages"] += ns
        site_rows["run_id"] += [run_id] * len(fps)
    for table, rows in (("articles", articles), ("removed_lines", removed), ("rejects", rejects),
                        ("files", file_rows), ("site_lines", site_rows), ("article_terms", terms)):
        write_part(staging, table, chunk, rows)
    result.stats = [s.to_row(run_id) for s in (read_stats, clean_stats, build_stats)]
    return result


def _add_removed_columns(columns: dict[str, list], article: Article, run_id: str) -> None:
    """One row per removed line of the article, appended to the removed_lines columns."""
    lines = article.removed
    n = len(lines)
    columns["doc_id"] += [article.doc_id] * n
    columns["line_no"] += map(_LINE_NO, lines)
    columns["text"] += map(_TEXT, lines)
    columns["reason"] += map(_REASON, lines)
    columns["run_id"] += [run_id] * n


_LINE_NO, _TEXT, _REASON = attrgetter("line_no"), attrgetter("text"), attrgetter("reason")


def _file_row(sf: SourceFile, sha: str | None, status: str, n_articles: int, run_id: str, now: dt.datetime) -> dict:
    return {"source_path": sf.rel_path, "root": sf.root, "size": sf.size, "mtime_ns": sf.mtime_ns,
            "sha256": sha, "status": status, "n_articles": n_articles, "run_id": run_id, "seen_at": now}
