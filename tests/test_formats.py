"""read_source on real bytes: every format and encoding is built here, nothing is mocked."""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import time
import zlib
from pathlib import Path

import pytest

from tasks import formats
from tasks.formats import ReadConfig, is_sidecar, read_source
from tasks.records import RawDoc, Reject, SourceFile

ARABIC = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة عمان، وقال الوزير إن المشروع "
          "سيخدم أكثر من مئة ألف مواطن في المنطقة الشرقية خلال العام المقبل. ")
FRENCH = "Le président de la République a annoncé hier à Paris une réforme très contestée des retraites. "


def page(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>خبر</title></head>"
            f"<body><article><h1>عنوان</h1><p>{body}</p></article></body></html>")


def write(tmp_path: Path, name: str, data: bytes, site: str = "landing-site") -> SourceFile:
    folder = tmp_path / site
    folder.mkdir(exist_ok=True)
    p = folder / name
    p.write_bytes(data)
    st = p.stat()
    return SourceFile(str(p), str(tmp_path), f"{site}/{name}", st.st_size, st.st_mtime_ns, site)


def read(sf: SourceFile, cfg: ReadConfig = ReadConfig()) -> list[RawDoc | Reject]:
    return list(read_source(sf, cfg))


def one_doc(sf: SourceFile, cfg: ReadConfig = ReadConfig()) -> RawDoc:
    out = read(sf, cfg)
    assert len(out) == 1 and isinstance(out[0], RawDoc), out
    return out[0]


def one_reject(sf: SourceFile, cfg: ReadConfig = ReadConfig()) -> Reject:
    out = read(sf, cfg)
    assert len(out) == 1 and isinstance(out[0], Reject), out
    return out[0]


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("label,codec,expected", [
    ("windows-1256", "cp1256", "cp1256"),
    ("iso-8859-6", "iso8859_6", "iso8859-6"),
    (None, "cp1256", "cp1256"),                 # no declaration: detection
    ("utf-8", "utf-8", "utf-8"),
])
def test_arabic_html_decodes(tmp_path, label, codec, expected):
    raw = page(ARABIC * 3, label).encode(codec)
    doc = one_doc(write(tmp_path, "a.html", raw))
    assert doc.format == "html"
    assert ARABIC.strip() in doc.content
    assert doc.encoding == expected


@pytest.mark.parametrize("codec,expected", [
    ("utf-16", "utf-16-le"),          # with BOM (little-endian on this machine)
    ("utf-16-le", "utf-16-le"),       # no BOM
    ("utf-16-be", "utf-16-be"),       # no BOM
    ("utf-32", "utf-32-le"),
    ("utf-8-sig", "utf-8"),
])
def test_utf16_utf32_and_boms(tmp_path, codec, expected):
    raw = page(ARABIC * 2).encode(codec)
    doc = one_doc(write(tmp_path, "u.html", raw))
    assert doc.encoding == expected
    assert doc.format == "html" and ARABIC.strip() in doc.content
    assert not doc.content.startswith("\ufeff")


def test_utf16_plain_text_without_bom(tmp_path):
    doc = one_doc(write(tmp_path, "u.txt", (ARABIC * 3).encode("utf-16-le")))
    assert doc.format == "text" and doc.encoding == "utf-16-le" and doc.content.startswith("أعلنت")


@pytest.mark.parametrize("declared,codec,expected", [
    ("iso-8859-1", "utf-8", "utf-8"),     # declared latin-1, really UTF-8: latin-1 would give 'Ø£Ø¹Ù'
    ("iso-8859-1", "cp1256", "cp1256"),   # declared latin-1, really Arabic cp1256: would give 'ÃÚáäÊ'
    ("utf-8", "cp1256", "cp1256"),        # declared UTF-8, really cp1256: strict UTF-8 fails
    ("windows-1252", "utf-8", "utf-8"),
])
def test_misdeclared_charset_loses(tmp_path, declared, codec, expected):
    doc = one_doc(write(tmp_path, "m.html", page(ARABIC * 3, declared).encode(codec)))
    assert doc.encoding == expected
    assert ARABIC.strip() in doc.content
    assert "Ø" not in doc.content and "Ã" not in doc.content


def test_declared_latin_charset_is_kept_when_right(tmp_path):
    raw = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>{FRENCH}</p></body></html>'
    doc = one_doc(write(tmp_path, "fr.html", raw.encode("cp1252")))
    assert doc.encoding == "cp1252" and FRENCH.strip() in doc.content


def test_utf8_with_a_stray_byte_stays_utf8(tmp_path):
    raw = page(ARABIC * 20, "utf-8").encode("utf-8").replace("عمان".encode(), b"\xff", 1)
    doc = one_doc(write(tmp_path, "stray.html", raw))
    assert doc.encoding == "utf-8" and "\ufffd" in doc.content and ARABIC.strip() in doc.content


def test_undecodable_bytes_are_rejected_not_mojibake(tmp_path):
    rnd = random.Random(7)
    raw = b"<html><body><p>" + bytes(rnd.choice(list(range(0x80, 0x100)) + [0x20]) for _ in range(3000)) + b"</p></body></html>"
    r = one_reject(write(tmp_path, "bad.html", raw))
    assert r.reason == "undecodable"


def test_bom_that_lies_is_undecodable(tmp_path):
    r = one_reject(write(tmp_path, "bom.txt", b"\xef\xbb\xbfhello \xff\xfe\xfd world"))
    assert r.reason == "undecodable"


# --------------------------------------------------------------------------- plain files
def test_plain_text_and_sha256(tmp_path):
    raw = ("Headline\n\n" + FRENCH * 3).encode("utf-8")
    doc = one_doc(write(tmp_path, "t.txt", raw))
    assert doc.format == "text" and doc.record_index == 0
    import hashlib
    assert doc.source_sha256 == hashlib.sha256(raw).hexdigest()


def test_html_by_content_not_name(tmp_path):
    assert one_doc(write(tmp_path, "page.txt", page(ARABIC).encode())).format == "html"
    assert one_doc(write(tmp_path, "dump.html", (FRENCH * 2).encode())).format == "text"
    # a page that starts with a <style> block and has no <html> tag
    styled = "<style>p { color: red }</style>\n" + "".join(f"<div><p>{FRENCH}</p></div>" for _ in range(6))
    assert one_doc(write(tmp_path, "styled", styled.encode())).format == "html"


@pytest.mark.parametrize("raw,reason", [
    (b"", "empty"),
    (b"  \n\t \r\n", "whitespace_only"),
    (("\u3000 \n" * 20).encode("utf-16"), "whitespace_only"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000), "binary"),
])
def test_bad_inputs(tmp_path, raw, reason):
    assert one_reject(write(tmp_path, "x.bin", raw)).reason == reason


def test_vanished_and_unreadable(tmp_path):
    sf = write(tmp_path, "gone.txt", b"hello")
    os.remove(sf.path)
    assert one_reject(sf).reason == "vanished"
    folder = tmp_path / "landing-site" / "adir"
    folder.mkdir()
    sf2 = SourceFile(str(folder), str(tmp_path), "landing-site/adir", 0, 0, "landing-site")
    assert one_reject(sf2).reason == "unreadable"
    if os.geteuid() != 0:   # root reads anything
        sf3 = write(tmp_path, "locked.txt", b"hello")
        os.chmod(sf3.path, 0)
        assert one_reject(sf3).reason == "unreadable"


def test_size_cap_plain(tmp_path):
    sf = write(tmp_path, "big.txt", b"word " * 50_000)
    assert one_reject(sf, ReadConfig(max_bytes=100_000)).reason == "too_large"


# --------------------------------------------------------------------------- gzip
def test_gzip_of_each_format(tmp_path):
    doc = one_doc(write(tmp_path, "p.gz", gzip.compress(page(ARABIC * 2, "windows-1256").encode("cp1256"))))
    assert doc.format == "html" and doc.encoding == "cp1256" and ARABIC.strip() in doc.content
    # the name says nothing: gzip magic is what counts; gzip of gzip of text
    doc = one_doc(write(tmp_path, "noext", gzip.compress(gzip.compress(FRENCH.encode()))))
    assert doc.format == "text" and doc.content == FRENCH
    # multi-member gzip (cat a.gz b.gz)
    doc = one_doc(write(tmp_path, "multi.txt.gz", gzip.compress(b"first part. ") + gzip.compress(b"second part.")))
    assert doc.content == "first part. second part."


def test_truncated_and_empty_gzip(tmp_path):
    body = os.urandom(50_000).hex().encode()
    assert one_reject(write(tmp_path, "cut.gz", gzip.compress(body)[:20_000])).reason == "truncated"
    assert one_reject(write(tmp_path, "empty.gz", gzip.compress(b""))).reason == "empty"
    assert one_reject(write(tmp_path, "corrupt.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 200)).reason == "truncated"


def test_gzip_bomb_refused_early(tmp_path, monkeypatch):
    """100 MB of zeros in ~100 KB of gzip: refused after the first read, not after inflating it all."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunks = [comp.compress(b"\0" * (1 << 20)) for _ in range(100)] + [comp.flush()]
    sf = write(tmp_path, "bomb.gz", b"".join(chunks))
    assert sf.size < 200_000
    reads: list[int] = []
    real_open = formats.open_input

    class Counting(io.BufferedReader):
        def read(self, n=-1):
            data = super().read(n)
            reads.append(len(data))
            return data

    def counting_open(location, mode="rb"):
        if location == sf.path:
            return Counting(io.FileIO(location, "r"))
        return real_open(location, mode)

    monkeypatch.setattr(formats, "open_input", counting_open)
    t0 = time.perf_counter()
    r = one_reject(sf, ReadConfig(max_bytes=1_000_000, chunk_bytes=16_384))
    assert r.reason == "too_large"
    assert reads, "the reader did not go through formats.open_input"
    assert sum(reads) <= 2 * 16_384 < sf.size          # stopped after one or two blocks of the file
    assert time.perf_counter() - t0 < 1.0


# --------------------------------------------------------------------------- JSONL
def test_jsonl_records_and_bad_line(tmp_path):
    lines = [
        json.dumps({"html": page(ARABIC), "url": "https://www.example.com/news/1", "fetched_at": "2024-05-15T10:00:00Z", "lang": "ar"}, ensure_ascii=False),
        '{"html": "<p>broken',
        json.dumps({"text": FRENCH, "site_name": "Le Journal"}),
        "[1, 2]",
        json.dumps({"title": "no body"}),
        "",
        json.dumps({"text": "   "}),
    ]
    out = read(write(tmp_path, "export.jsonl", ("\n".join(lines) + "\n").encode("utf-8")))
    docs = [o for o in out if isinstance(o, RawDoc)]
    rejects = {o.record_index: o.reason for o in out if isinstance(o, Reject)}
    assert [(d.record_index, d.format) for d in docs] == [(0, "html"), (2, "text")]
    assert rejects == {1: "bad_record", 3: "bad_record", 4: "bad_record", 6: "whitespace_only"}
    first, second = docs
    assert first.site == "example.com" and first.meta["url"] == "https://www.example.com/news/1"
    assert first.meta["fetched_at"] == "2024-05-15T10:00:00Z" and first.meta["extra"] == {"lang": "ar"}
    assert second.site == "Le Journal" and second.meta["site_name"] == "Le Journal"
    assert first.source_sha256 == second.source_sha256


def test_jsonl_text_field_holding_markup_is_read_as_html(tmp_path):
    markup = "<h1>Titre</h1>" + "".join(f"<p>{FRENCH} {k}</p>" for k in range(6))
    lines = [json.dumps({"text": markup}), json.dumps({"text": "Une ligne <b>en gras</b> dans du texte.\n" + FRENCH})]
    docs = [o for o in read(write(tmp_path, "e.jsonl", ("\n".join(lines) + "\n").encode())) if isinstance(o, RawDoc)]
    assert [d.format for d in docs] == ["html", "text"]      # sniffed as a file's content is


# --------------------------------------------------------------------------- WARC
def build_warc(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("test.warc", {"software": "tests"}))
    pages = [
        ("https://www.alarab.example/a", "text/html; charset=windows-1256", page(ARABIC * 2, "windows-1256").encode("cp1256"), "200 OK"),
        ("https://img.example/x.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00", "200 OK"),
        ("https://www.example.org/gone", "text/html", b"<html><body>not found</body></html>", "404 Not Found"),
        ("https://news.example.org/b", "text/html", page(FRENCH).encode("utf-8"), "200 OK"),
    ]
    for url, ctype, body, status in pages:
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
        w.write_record(w.create_warc_record(url, "request", http_headers=req))
        h = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=h))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_response_records(tmp_path, gz):
    out = read(write(tmp_path, "crawl.warc" + (".gz" if gz else ""), build_warc(gz)))
    assert all(isinstance(o, RawDoc) for o in out), out
    assert [d.record_index for d in out] == [2, 8]          # ordinals of the records in the file
    ar, fr = out
    assert ar.encoding == "cp1256" and ARABIC.strip() in ar.content and ar.format == "html"
    assert ar.meta["url"] == "https://www.alarab.example/a" and ar.site == "alarab.example"
    assert ar.meta["fetched_at"] and "warc_record_id" in ar.meta["extra"]
    assert fr.site == "news.example.org" and FRENCH.strip() in fr.content


def test_warc_truncated(tmp_path):
    data = build_warc(False)
    out = read(write(tmp_path, "cut.warc", data[:-50]))
    assert isinstance(out[0], RawDoc) and out[-1].reason == "truncated"
    # cut inside a record's header block: warcio stops silently, we do not
    cut_head = data[: data.index(b"WARC/1.", data.index(b"news.example.org") - 600) + 60]
    out = read(write(tmp_path, "cuthead.warc", cut_head))
    assert out[-1].reason == "truncated"
    # a gzipped WARC cut short
    assert read(write(tmp_path, "cut.warc.gz", build_warc(True)[:-30]))[-1].reason == "truncated"


# --------------------------------------------------------------------------- sidecars
def test_sidecar_merged(tmp_path):
    sf = write(tmp_path, "story.html", page(ARABIC).encode("utf-8"))
    Path(sf.path + ".meta.json").write_text(json.dumps({
        "url": "https://www.alyaum.example/news/15", "fetched_at": "2024-05-15T08:00:00Z",
        "site_name": "اليوم", "section": "سياسة", "tags": ["a", "b"]}, ensure_ascii=False), encoding="utf-8")
    doc = one_doc(sf)
    assert doc.meta["url"] == "https://www.alyaum.example/news/15"
    assert doc.meta["fetched_at"] == "2024-05-15T08:00:00Z" and doc.meta["site_name"] == "اليوم"
    assert doc.meta["extra"] == {"section": "سياسة", "tags": ["a", "b"]}
    assert doc.site == "alyaum.example"                          # the URL's host wins, without www.
    assert is_sidecar(sf.path + ".meta.json") and not is_sidecar(sf.path)


def test_sidecar_site_name_then_folder(tmp_path):
    sf = write(tmp_path, "s.txt", FRENCH.encode())
    Path(sf.path + ".meta.json").write_text('{"site_name": "Le Journal"}')
    assert one_doc(sf).site == "Le Journal"
    sf2 = write(tmp_path, "t.txt", FRENCH.encode())
    assert one_doc(sf2).site == "landing-site" and one_doc(sf2).meta == {}


def test_broken_sidecar_is_noted_not_fatal(tmp_path):
    sf = write(tmp_path, "b.txt", FRENCH.encode())
    Path(sf.path + ".meta.json").write_text("{not json")
    doc = one_doc(sf)
    assert "sidecar_error" in doc.meta["extra"]


def test_jsonl_record_overrides_sidecar(tmp_path):
    sf = write(tmp_path, "e.jsonl", (json.dumps({"text": FRENCH, "url": "https://b.example/1"}) + "\n").encode())
    Path(sf.path + ".meta.json").write_text(json.dumps({"url": "https://a.example/", "crawl": "c1"}))
    doc = one_doc(sf)
    assert doc.meta["url"] == "https://b.example/1" and doc.site == "b.example" and doc.meta["extra"] == {"crawl": "c1"}
