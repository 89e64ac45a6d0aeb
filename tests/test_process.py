"""build_article: what a cleaned document must have to become an `articles` row."""
from tasks.process import build_article, make_doc_id
from tasks.records import Article, Cleaned, RawDoc, Reject


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


def test_warehouse_connections_carry_the_memory_limit(tmp_path, monkeypatch):
    from warehouse.loader import connect

    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY_LIMIT", "300MB")
    with connect(tmp_path) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "").upper() in {"286.1MIB", "300.0MB", "300MB"}
