"""The records that flow between steps. Every step takes and returns these.

Steps are plain functions over these dataclasses; the Prefect wrappers only
move file paths and small summaries between processes, never page bodies.
"""
from __future__ import annotations

import datetime as dt
import pickle
import zlib
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Iterable, Iterator


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


class FileList:
    """The files a run has to read, in discovery order, packed: ~40 bytes a file instead of ~390.

    A run holds its whole list from the scan to the last chunk (and the discovery child pickles it to
    the run): as SourceFile objects that was ~39 MB at 100k files and ~390 MB at 1M. Here every
    PACK_FILES appended files become one zlib-compressed pickle of tuples; iterating or `chunks`
    unpacks one block at a time.
    """

    PACK_FILES = 1000

    def __init__(self, files: Iterable[SourceFile] = ()):
        self._blocks: list[bytes] = []
        self._loose: list[SourceFile] = []
        self._n = 0
        for sf in files:
            self.append(sf)

    def append(self, sf: SourceFile) -> None:
        self._loose.append(sf)
        self._n += 1
        if len(self._loose) >= self.PACK_FILES:
            self._pack_loose()

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[SourceFile]:
        for block in self._blocks:
            yield from _unpack(block)
        yield from list(self._loose)

    def __getitem__(self, index):   # tests and small runs; a run itself goes through `chunks`
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileList) and list(self) == list(other)

    def chunks(self, size: int) -> list["FileList"]:
        """The files in consecutive chunks of `size`, each packed; `list(chunk)` gives its SourceFiles."""
        out: list[FileList] = []
        for sf in self:
            if not out or len(out[-1]) == size:
                if out:
                    out[-1]._pack_loose()   # at once: the chunks' loose files together would be the whole list
                out.append(FileList())
            out[-1].append(sf)
        if out:
            out[-1]._pack_loose()
        return out

    def _pack_loose(self) -> None:
        if self._loose:
            self._blocks.append(_pack(self._loose))
            self._loose = []


def _pack(files: list[SourceFile]) -> bytes:
    fields = attrgetter(*SourceFile.__slots__)
    return zlib.compress(pickle.dumps([fields(sf) for sf in files], protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(block: bytes) -> list[SourceFile]:
    return [SourceFile(*fields) for fields in pickle.loads(zlib.decompress(block))]


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
    # the text cleaner's normalized lines of the page, which the per-site memory's fingerprints are taken
    # from (tasks.clean_text.short_line_fingerprints); from the HTML cleaner, its dump's lines with the
    # second opinion, else None
    lines: list[str] | None = None


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
    # not stored: match_key(body) and its key_tokens, for what a worker derives after the build (terms)
    body_key: str | None = field(default=None, repr=False, compare=False)
    body_tokens: list[str] | None = field(default=None, repr=False, compare=False)
