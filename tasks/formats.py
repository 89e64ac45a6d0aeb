"""Read one raw file into documents: format by content, decompression under a cap, encodings, sidecars.

`read_source(sf, cfg)` yields `RawDoc`s (one per document: a JSONL or WARC file gives many)
and `Reject`s (a whole file, or one bad record of it; the other records go on).

Order of decisions, all on the bytes, never on the file name alone:
  gzip magic  -> stream-decompress under `max_bytes` (a gzip bomb stops early), sniff the inner bytes again
  `WARC/1.`   -> response records of HTML, via warcio
  `{` lines   -> JSONL, one object a line with `html` or `text`
  otherwise   -> decode (BOM, UTF-16, UTF-8, declared charset, detection), then HTML or plain text
"""
from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from news_etl.storage import is_url, local_path, open_input
from tasks.discover import SIDECAR_SUFFIX, is_sidecar   # one definition, shared with the discovery step
from tasks.records import RawDoc, Reject, SourceFile

__all__ = ["ReadConfig", "read_source", "decode_bytes", "is_sidecar", "site_from_url", "SIDECAR_SUFFIX"]

GZIP_MAGIC = b"\x1f\x8b"
KNOWN_META = ("url", "fetched_at", "site_name")


@dataclass(frozen=True)
class ReadConfig:
    max_bytes: int = 50_000_000        # size cap, counted after decompression
    chunk_bytes: int = 1 << 16         # read size; a gzip bomb is refused after about one chunk
    max_gzip_layers: int = 3           # .gz of .gz of ...
    sidecar_max_bytes: int = 1_000_000
    binary_control_share: float = 0.10  # share of control bytes (in the first 8 KiB) that makes a file binary
    mojibake_mess: float = 0.20        # charset-normalizer mess ratio above which a decoding is mojibake
    utf8_max_bad_share: float = 0.002  # a UTF-8 file with this few invalid bytes (of its non-ASCII bytes) is UTF-8 with damage
    read_ahead_bytes: int = 1 << 20    # of each local file, asked of the kernel for a whole chunk at once (0: off)


class _Refuse(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


# --------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------
def read_source(sf: SourceFile, cfg: ReadConfig = ReadConfig()) -> Iterator[RawDoc | Reject]:
    """Yield the documents of one raw file, or Rejects saying why not."""
    try:
        data, sha = _read_bytes(sf.path, cfg)
        layers = 0
        while data[:2] == GZIP_MAGIC:
            layers += 1
            if layers > cfg.max_gzip_layers:
                raise _Refuse("too_large", f"more than {cfg.max_gzip_layers} nested gzip layers")
            data = _gunzip(iter([data]), cfg.max_bytes, None)
    except _Refuse as r:
        yield Reject(sf.rel_path, r.reason, r.detail)
        return
    if not data:
        yield Reject(sf.rel_path, "empty", "no bytes" + (" after decompression" if layers else ""))
        return
    if not data.strip():
        yield Reject(sf.rel_path, "whitespace_only", f"{len(data)} bytes of white space")
        return
    base_meta = _read_sidecar(sf.path, cfg)
    if data.lstrip()[:7] == b"WARC/1.":
        yield from _read_warc(data, sf, sha, base_meta, cfg)
        return
    records = _jsonl_records(data)
    if records is not None:
        yield from _read_jsonl(records, sf, sha, base_meta)
        return
    decoded = decode_bytes(data, cfg=cfg)
    if isinstance(decoded, Reject):
        decoded.source_path = sf.rel_path
        yield decoded
        return
    text, encoding = decoded
    if not text.strip():
        yield Reject(sf.rel_path, "whitespace_only", f"only white space after decoding as {encoding}")
        return
    fmt = "html" if looks_like_html(text) else "text"
    yield _make_doc(sf, 0, fmt, text, sha, encoding, base_meta, {})


# --------------------------------------------------------------------------
# bytes: read with a hash, decompress under a cap
# --------------------------------------------------------------------------
def advise_read_ahead(files: Iterable[SourceFile], cfg: ReadConfig = ReadConfig()) -> None:
    """Tell the kernel now that every local file of a chunk is about to be read (POSIX_FADV_WILLNEED).

    A worker reads its files one after another; a file not in the page cache kept it waiting on the
    disk while its core idled. On a 500-file chunk of a corpus not in cache that wait was over a third
    of the chunk's wall time (read 0.8 s of 2.3 s); asked for at once, the files are read by the
    kernel while the first ones are cleaned (read 0.1 s). Only a hint: a file that cannot be opened
    is left to read_source, which says why, and O_NONBLOCK keeps a FIFO put in a file's place from
    blocking here. Only a file's first `read_ahead_bytes`: a chunk of very large files must not
    fill the page cache before its first file is read; the kernel's own read-ahead does the rest."""
    advise = getattr(os, "posix_fadvise", None)
    if cfg.read_ahead_bytes <= 0 or advise is None:
        return
    for sf in files:
        if is_url(sf.path):
            continue
        try:
            fd = os.open(local_path(sf.path), os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            advise(fd, 0, min(sf.size, cfg.read_ahead_bytes), os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _read_bytes(path: str, cfg: ReadConfig) -> tuple[bytes, str]:
    """The file's bytes (decompressed when gzip) and the sha256 of its raw bytes, read once."""
    sha = hashlib.sha256()
    try:
        fh = open_input(path)   # a local path or an fsspec URL (s3://...)
    except FileNotFoundError:
        raise _Refuse("vanished", "the file disappeared before it could be read")
    except IsADirectoryError:
        raise _Refuse("unreadable", "a folder, not a file")
    except OSError as exc:
        raise _Refuse("unreadable", f"cannot open: {exc.strerror or exc}")
    with fh:
        try:
            def chunks() -> Iterator[bytes]:
                while True:
                    block = fh.read(cfg.chunk_bytes)
                    if not block:
                        return
                    sha.update(block)
                    yield block

            it = chunks()
            first = next(it, b"")
            if first[:2] == GZIP_MAGIC:
                stats = {"read": 0}

                def counted() -> Iterator[bytes]:
                    for block in _chain(first, it):
                        stats["read"] += len(block)
                        yield block
                data = _gunzip(counted(), cfg.max_bytes, stats)
            else:
                parts, total = [], 0
                for block in _chain(first, it):
                    total += len(block)
                    if total > cfg.max_bytes:
                        raise _Refuse("too_large", f"over the cap of {cfg.max_bytes} bytes")
                    parts.append(block)
                data = b"".join(parts)
        except OSError as exc:
            raise _Refuse("unreadable", f"read error: {exc.strerror or exc}")
    return data, sha.hexdigest()


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _gunzip(chunks: Iterator[bytes], max_bytes: int, stats: dict | None) -> bytes:
    """Decompress gzip (multi-member too) without ever holding more than `max_bytes` + one block."""
    out: list[bytes] = []
    total = 0
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def take(piece: bytes) -> None:
        nonlocal total
        total += len(piece)
        if total > max_bytes:
            read = f" after reading {stats['read']} compressed bytes" if stats else ""
            raise _Refuse("too_large", f"over the cap of {max_bytes} bytes after decompression; refused{read}")
        out.append(piece)

    for block in chunks:
        buf = block
        while buf:
            if d.eof:                       # the next gzip member, or padding after the last one
                if buf[:2] != GZIP_MAGIC:
                    if buf.strip(b"\x00"):
                        raise _Refuse("truncated", "bytes after the end of the gzip stream are not gzip")
                    break
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                take(d.decompress(buf, max_bytes - total + 1))
            except zlib.error as exc:
                raise _Refuse("truncated", f"corrupt gzip stream: {exc}")
            buf = d.unused_data if d.eof else d.unconsumed_tail
    if not d.eof:
        try:
            take(d.flush())
        except zlib.error:
            pass
        if not d.eof:
            raise _Refuse("truncated", "the gzip stream ends early")
    return b"".join(out)


# --------------------------------------------------------------------------
# encodings
# --------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"']", re.I)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
# WHATWG-style label fixes: the superset a browser would use for each label
_LABEL_FIX = {
    "iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
    "iso8859-11": "cp874", "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030",
    "big5": "big5hkscs", "shift_jis": "cp932", "euc_kr": "cp949", "iso8859-6": "iso8859-6",
}
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"


def charset_from_content_type(value: str | None) -> str | None:
    if not value:
        return None
    m = _CHARSET_PARAM.search(value)
    return m.group(1) if m else None


def declared_charset(data: bytes) -> str | None:
    """The charset an XML declaration or HTML meta tag declares, if any (byte-level, ASCII-compatible)."""
    head = data[:32768]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _LABEL_FIX.get(name, name)


def decode_bytes(data: bytes, declared: str | None = None, cfg: ReadConfig = ReadConfig()) -> tuple[str, str] | Reject:
    """(text, codec) or a Reject ('binary' / 'undecodable'; source_path left empty for the caller).

    BOM first, then UTF-16 without BOM, then strict UTF-8 (it wins over a declared charset: legacy
    text almost never is valid UTF-8), then the declared charset (argument, else XML declaration or
    meta tag) verified by a strict decode and a mojibake test, then detection by charset-normalizer.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError:
                return Reject("", "undecodable", f"{enc} byte-order mark but the bytes are not {enc}")
    utf16 = _guess_utf16(data)
    if utf16:
        return utf16
    head = data[:8192]
    if b"\x00" in head:
        return Reject("", "binary", "NUL bytes")
    controls = len(head) - len(head.translate(None, _CONTROL))   # one pass in C, not one count per byte value
    if controls > cfg.binary_control_share * len(head):
        return Reject("", "binary", f"{controls} control bytes in the first {len(head)}")
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    nonascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    damaged = data.decode("utf-8", "replace")
    bad = damaged.count("\ufffd")
    if bad <= max(2, cfg.utf8_max_bad_share * nonascii) and bad < 50:
        return damaged, "utf-8"
    label = _codec(declared) or _codec(declared_charset(data))
    if label and label not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        text = _strict(data, label)
        if text is None and label == "cp1252":
            text, label = data.decode("latin-1"), "latin-1"
        if text is not None and not _is_mojibake(text, cfg):
            return text, label
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
    except Exception:   # detection must not sink the file
        best = None
    if best is None:
        return Reject("", "undecodable", f"no encoding decodes the bytes cleanly (declared: {declared_charset(data) or declared or 'none'})")
    text = str(best)
    if _is_mojibake(text, cfg):
        return Reject("", "undecodable", f"best guess {best.encoding} gives mojibake")
    return text, _codec(best.encoding) or best.encoding


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


_TAG = re.compile(r"<[^>]{0,2000}>|&[#\w]{1,10};")


def _is_mojibake(text: str, cfg: ReadConfig) -> bool:
    """charset-normalizer's mess ratio over the non-ASCII lines (markup stripped): UTF-8 read as
    latin-1 ('Ã©'), Arabic cp1256 read as cp1252 ('ÇáÚÑÈ'), C1 controls."""
    from charset_normalizer.md import mess_ratio

    sample: list[str] = []
    size = 0
    for line in text.splitlines():
        if line.isascii():
            continue
        line = _TAG.sub(" ", line).strip()
        if not line or line.isascii():
            continue
        sample.append(line)
        size += len(line)
        if size > 6000:
            break
    if not sample:
        return False
    return mess_ratio("\n".join(sample), maximum_threshold=1.0) > cfg.mojibake_mess


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: one byte of each pair has few distinct values (0x00 for ASCII, 0x06 for Arabic...)."""
    n = min(len(data), 8192) & ~1
    if n < 8 or len(data) % 2:
        return None
    even, odd = data[0:n:2], data[1:n:2]
    for enc, hi, lo in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        zeros_hi, zeros_lo = hi.count(0) / len(hi), lo.count(0) / len(lo)
        if zeros_hi <= 0.02 or zeros_lo >= 0.02:   # cheap test first: the byte histogram costs ~0.25 ms a file
            continue
        top3 = sum(v for _, v in Counter(hi).most_common(3)) / len(hi)
        if zeros_hi >= 0.2 or top3 >= 0.9:
            text = _strict(data, enc)
            if text is None:
                continue
            sample = text[:4000]
            bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
            if bad <= 0.01 * len(sample):
                return text, enc
    return None


# --------------------------------------------------------------------------
# HTML or text
# --------------------------------------------------------------------------
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|style|script|link)\b", re.I | re.S)
_HTML_ANY = re.compile(r"<(?:html|head|body)\b", re.I)
_BLOCK_TAGS = re.compile(r"<(?:div|p|br|span|a|li|ul|td|tr|table|h[1-6]|article|section|img)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Markup sniffing on the decoded head: a document-level tag, or a density of block tags."""
    head = text[:65536]
    if _HTML_START.match(head) or _HTML_ANY.search(head):
        return True
    tags = len(_BLOCK_TAGS.findall(head))
    return tags >= 5 and tags * 400 >= len(head)   # at least one block tag per 400 chars


# --------------------------------------------------------------------------
# JSONL
# --------------------------------------------------------------------------
def _jsonl_records(data: bytes) -> list[tuple[int, bytes]] | None:
    """The numbered lines when `data` looks like JSONL (or one JSON object), else None."""
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if body.lstrip()[:1] != b"{":
        return None
    lines = [(i, ln) for i, ln in enumerate(body.split(b"\n")) if ln.strip()]
    parsed = 0
    for _, ln in lines[:5]:
        try:
            if isinstance(json.loads(ln), dict):
                parsed += 1
        except ValueError:
            pass
    if parsed:
        return lines
    try:                              # one pretty-printed JSON object with html/text
        obj = json.loads(body)
    except ValueError:
        return None
    if isinstance(obj, dict) and ("html" in obj or "text" in obj):
        return [(0, body)]
    return None


def _read_jsonl(records: list[tuple[int, bytes]], sf: SourceFile, sha: str, base_meta: dict) -> Iterator[RawDoc | Reject]:
    for idx, line in records:
        try:
            obj = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            yield Reject(sf.rel_path, "bad_record", f"line {idx + 1}: not JSON ({str(exc)[:120]})", idx)
            continue
        if not isinstance(obj, dict):
            yield Reject(sf.rel_path, "bad_record", f"line {idx + 1}: a JSON {type(obj).__name__}, not an object", idx)
            continue
        html, text = obj.get("html"), obj.get("text")
        if isinstance(html, str) and html.strip():
            fmt, content = "html", html
        elif isinstance(text, str) and text.strip():
            # (an exporter's "text" is now and then the element's markup: sniffed like a file's)
            fmt, content = ("html" if looks_like_html(text) else "text"), text
        elif isinstance(html, str) or isinstance(text, str):
            yield Reject(sf.rel_path, "whitespace_only", f"line {idx + 1}: empty html/text", idx)
            continue
        else:
            yield Reject(sf.rel_path, "bad_record", f"line {idx + 1}: no string 'html' or 'text' field", idx)
            continue
        own = {k: v for k, v in obj.items() if k not in ("html", "text")}
        yield _make_doc(sf, idx, fmt, content, sha, "utf-8", base_meta, own)


# --------------------------------------------------------------------------
# WARC
# --------------------------------------------------------------------------
def _read_warc(data: bytes, sf: SourceFile, sha: str, base_meta: dict, cfg: ReadConfig) -> Iterator[RawDoc | Reject]:
    from warcio.archiveiterator import ArchiveIterator

    n_docs = skipped = 0
    ordinal = -1
    records = ArchiveIterator(io.BytesIO(data), arc2warc=True)
    try:
        for ordinal, rec in enumerate(records):
            if rec.rec_type not in ("response", "resource"):
                skipped += 1
                continue
            try:
                payload = rec.content_stream().read()
            except Exception as exc:
                yield Reject(sf.rel_path, "bad_record", f"record {ordinal}: {type(exc).__name__}: {exc}", ordinal)
                continue
            if getattr(rec.raw_stream, "limit", 0):
                yield Reject(sf.rel_path, "truncated", f"record {ordinal} ends early: {rec.raw_stream.limit} bytes missing", ordinal)
                return
            if rec.rec_type == "response":
                if rec.http_headers is None:
                    skipped += 1
                    continue
                status = rec.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    skipped += 1
                    continue
                ctype = rec.http_headers.get_header("Content-Type") or ""
            else:
                ctype = rec.rec_headers.get_header("Content-Type") or ""
            if ctype and "html" not in ctype.lower():
                skipped += 1
                continue
            if not payload.strip():
                yield Reject(sf.rel_path, "empty", f"record {ordinal}: empty payload", ordinal)
                continue
            decoded = decode_bytes(payload, charset_from_content_type(ctype), cfg)
            if isinstance(decoded, Reject):
                yield Reject(sf.rel_path, decoded.reason, f"record {ordinal}: {decoded.detail}", ordinal)
                continue
            text, encoding = decoded
            if not ctype and not looks_like_html(text):
                skipped += 1
                continue
            url = (rec.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None
            own = {"url": url, "fetched_at": rec.rec_headers.get_header("WARC-Date"),
                   "warc_record_id": rec.rec_headers.get_header("WARC-Record-ID")}
            yield _make_doc(sf, ordinal, "html", text, sha, encoding, base_meta, own)
            n_docs += 1
    except Exception as exc:   # warcio gives up on a cut header block
        yield Reject(sf.rel_path, "truncated", f"WARC unreadable after record {ordinal}: {type(exc).__name__}: {exc}", ordinal + 1)
        return
    end = getattr(records, "offset", len(data))
    if data[end:].strip():   # warcio stops silently on a cut header block
        yield Reject(sf.rel_path, "truncated", f"WARC ends inside record {ordinal + 1} ({len(data) - end} bytes unread)", ordinal + 1)
        return
    if not n_docs:
        yield Reject(sf.rel_path, "no_content", f"no HTML response record in the WARC ({skipped} records skipped)")


# --------------------------------------------------------------------------
# metadata: sidecars, site
# --------------------------------------------------------------------------
def _read_sidecar(path: str, cfg: ReadConfig) -> dict:
    try:
        with open_input(path + SIDECAR_SUFFIX) as fh:
            raw = fh.read(cfg.sidecar_max_bytes + 1)
    except OSError:
        return {}
    try:
        if len(raw) > cfg.sidecar_max_bytes:
            raise ValueError("sidecar over the size cap")
        obj = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(obj, dict):
            raise ValueError(f"a JSON {type(obj).__name__}, not an object")
    except (ValueError, UnicodeDecodeError) as exc:
        return {"extra": {"sidecar_error": str(exc)[:200]}}
    return obj


def _merge_meta(base: dict, own: dict) -> dict:
    """Known keys from the file's sidecar, overridden by the record's own; every other key goes to extra."""
    meta: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for src in (base, own):
        for k, v in src.items():
            if v is None:
                continue
            if k in KNOWN_META:
                meta[k] = v
            elif k == "extra" and isinstance(v, dict):
                extra.update(v)
            else:
                extra[k] = v
    if extra:
        meta["extra"] = extra
    return meta


def site_from_url(url: Any) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    u = url.strip()
    if "://" not in u[:12]:
        u = "//" + u
    try:
        host = urlsplit(u).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _make_doc(sf: SourceFile, idx: int, fmt: str, content: str, sha: str, encoding: str,
              base_meta: dict, own: dict) -> RawDoc:
    meta = _merge_meta(base_meta, own)
    site = site_from_url(meta.get("url"))
    if site is None and isinstance(meta.get("site_name"), str) and meta["site_name"].strip():
        site = meta["site_name"].strip()
    return RawDoc(source_path=sf.rel_path, record_index=idx, format=fmt, content=content,
                  source_sha256=sha, encoding=encoding, meta=meta, site=site or sf.site_hint)
