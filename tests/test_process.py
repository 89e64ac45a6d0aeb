"""build_article: what a cleaned document must have to become an `articles` row; the read-ahead hint."""
import os
import threading

from tasks.formats import advise_read_ahead
from tasks.process import build_article, make_doc_id
from tasks.records import Article, Cleaned, RawDoc, Reject, SourceFile


def doc(meta=None) -> RawDoc:
    return RawDoc(source_path="site/a.txt", record_index=0, format="text", content="...",
                  source_sha256="0" * 64, meta=meta or {})


def test_an_untitled_page_is_rejected_with_a_reason_not_loaded_without_title():
    out = build_article(doc(), Cleaned(title=None, paragraphs=["Body sentence one.", "Two."]))
    assert isinstance(out, Reject)
    assert (out.reason, out.record_index) == ("no_title", 0)
    assert "2 paragraphs" in out.detail and "Body sentence one." in out.detail


def test_a_title_from_metadata_completes_the_page():
    out = build_article(doc({"title": " Headline from the crawler "}), Cleaned(title=None, paragraphs=["Body."]))
    assert isinstance(out, Article)
    assert out.title == "Headline from the crawler"
    assert out.doc_id == make_doc_id("site/a.txt", 0)


def test_nothing_left_is_no_content_and_body_joins_paragraphs():
    assert build_article(doc(), Cleaned(title="T", paragraphs=["  ", ""])).reason == "no_content"
    article = build_article(doc(), Cleaned(title="T", paragraphs=["One.", "Two 两个字"]))
    assert article.body == "One.\n\nTwo 两个字"
    assert article.n_words == 5   # every CJK character is a word
    assert len(article.minhash) == 64


def test_body_splits_back_into_the_paragraphs():
    # the warehouse computes `paragraphs` as body split at '\n\n' (ddl.sql): a line break inside a
    # paragraph a cleaner or a JSONL record hands over must not shift that split
    for given in (["One.", "Two\n\nthree.", "Four\nfive.\n", "\n"], ["Only one."]):
        article = build_article(doc(), Cleaned(title="T", paragraphs=given))
        assert article.body.split("\n\n") == article.paragraphs
        assert all("\n" not in p for p in article.paragraphs)
    assert build_article(doc(), Cleaned(title="T", paragraphs=["One.", "Two\n\nthree."])).paragraphs == [
        "One.", "Two", "three."]


def test_warehouse_connections_carry_the_memory_limit(tmp_path, monkeypatch):
    from warehouse.loader import connect

    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY_LIMIT", "300MB")
    with connect(tmp_path) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "").upper() in {"286.1MIB", "300.0MB", "300MB"}


def test_read_ahead_is_only_a_hint(tmp_path):
    """advise_read_ahead opens each local file of a chunk to ask the kernel for it: a FIFO put in a
    file's place must not block it, and a missing file, a folder or a URL must not stop it (read_source
    is what reports them); the files are left as they were."""
    good = tmp_path / "a.txt"
    good.write_text("A title\n\nA body paragraph long enough to be an article.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "folder").mkdir()
    before = {p.name: p.lstat() for p in tmp_path.iterdir()}
    files = [SourceFile(str(tmp_path / name), str(tmp_path), name, 100, 0, "site")
             for name in ("missing.txt", "pipe.txt", "folder", "a.txt")]
    files.append(SourceFile("s3://bucket/landing/b.txt", "s3://bucket/landing", "b.txt", 100, 0, "landing"))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (advise_read_ahead(files), done.set()), daemon=True)
    worker.start()
    worker.join(10)
    assert done.is_set(), "advise_read_ahead blocked"
    after = {p.name: p.lstat() for p in tmp_path.iterdir()}
    assert {n: (s.st_mode, s.st_size, s.st_mtime_ns) for n, s in after.items()} == \
           {n: (s.st_mode, s.st_size, s.st_mtime_ns) for n, s in before.items()}


def test_a_broken_rules_directory_fails_the_chunk_naming_the_file(tmp_path):
    # a configuration error, not bad input: the chunk stops before any document (rejecting every
    # page as 'unreadable' would hide it), and the message names the file
    import datetime as dt

    import pytest

    from news_etl.config import Settings
    from tasks.process import process_chunk
    from tasks.records import SourceFile
    from tests.conftest import SAMPLES_RAW

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("broken:\n  any:\n    patterns: ['(unclosed']\n", encoding="utf-8")
    page = sorted(SAMPLES_RAW.iterdir())[0]
    sf = SourceFile(str(page), str(page.parent), page.name, page.stat().st_size, page.stat().st_mtime_ns)
    from tasks.process import ProcessConfig

    cfg = ProcessConfig.from_settings(Settings(rules_dir=str(rules)))
    with pytest.raises(ValueError, match="x.yaml"):
        process_chunk([sf], cfg, "r1", "00000", tmp_path / "stage", None, dt.datetime(2026, 1, 1))
    assert not (tmp_path / "stage" / "rejects").exists()
