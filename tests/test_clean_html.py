"""clean_html: trafilatura in a watched child process, metadata from the markup, text rules after it."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from tasks import clean_html as ch
from tasks.clean_html import HtmlConfig, clean_html
from tasks.records import Cleaned, RawDoc, Reject

AR = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة عمان، وقال الوزير إن المشروع "
      "سيخدم أكثر من مئة ألف مواطن في المنطقة الشرقية خلال العام المقبل.")


def arabic_page(extra_head: str = "", extra_body: str = "") -> str:
    paras = "".join(f"<p>{AR.replace('عمان', town)}</p>" for town in ("عمان", "إربد", "الزرقاء", "العقبة"))
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>افتتاح مستشفى جديد - صحيفة اليوم</title>
<meta property="og:site_name" content="صحيفة اليوم">
<link rel="canonical" href="https://www.alyaum.example/news/15">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "افتتاح مستشفى جديد", "author": {{"@type": "Person", "name": "محمد علي"}}}}</script>
{extra_head}</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/s">سياسة</a></li><li><a href="/e">اقتصاد</a></li></ul></nav>
<article><h1>افتتاح مستشفى جديد</h1>{extra_body}{paras}
<p>شارك على فيسبوك</p>
</article>
<footer><p>جميع الحقوق محفوظة © 2024 صحيفة اليوم</p></footer></body></html>"""


def doc_of(html: str, name: str = "site/a.html") -> RawDoc:
    return RawDoc(source_path=name, record_index=0, format="html", content=html, source_sha256="0" * 64)


@pytest.fixture(scope="module", autouse=True)
def _stop_child():
    yield
    ch.shutdown()


def test_article_and_metadata():
    c = clean_html(doc_of(arabic_page('<meta property="article:published_time" content="2024-05-15T09:30:00+03:00">')))
    assert isinstance(c, Cleaned)
    body = "\n".join(c.paragraphs)
    assert AR in body and AR.replace("عمان", "العقبة") in body
    assert "الرئيسية" not in body and "جميع الحقوق" not in body
    assert c.title == "افتتاح مستشفى جديد"
    assert c.byline == "محمد علي" and c.site_name == "صحيفة اليوم"
    assert c.url == "https://www.alyaum.example/news/15" and c.language == "ar"
    assert c.page_date == dt.date(2024, 5, 15)
    assert c.published_at == dt.datetime(2024, 5, 15, 6, 30)       # naive UTC


def test_text_rules_catch_what_trafilatura_leaks():
    for second_opinion in (True, False):      # (by default the text cleaner's own article wins on this page)
        c = clean_html(doc_of(arabic_page()), HtmlConfig(second_opinion=second_opinion))
        assert "شارك على فيسبوك" not in c.paragraphs                    # a share line inside <article>
        assert any(r.reason == "share" and r.text == "شارك على فيسبوك" for r in c.removed)
    off = clean_html(doc_of(arabic_page()), HtmlConfig(text_rules=False, second_opinion=False))
    assert "شارك على فيسبوك" in off.paragraphs


def test_text_dump_puts_each_block_on_a_line_of_its_own():
    from trafilatura.utils import load_html
    page = """<html><head><title> Budget  passed - Daily </title><style>p {color: red}</style></head>
<body><div class="top"><ul><li><a href="/">Home</a></li><li>World</li></ul></div>
<script>var x = "<p>not text</p>";</script><!-- a comment -->
<article><h1>Budget passed</h1><p>The vote was <b>close</b>,
  <a href="/x">aides said</a>.<br>Second line.</p>tail of the article<noscript>enable JS</noscript>
<table><tr><td>Region</td><td>52%</td></tr></table><select><option>All</option></select><textarea>yours</textarea></article>
</body></html>"""
    assert ch.text_dump(load_html(page)).split("\n") == [
        "Budget passed - Daily", "Home", "World", "Budget passed", "The vote was close, aides said.", "Second line.",
        "tail of the article", "Region", "52%", "All"]
    assert ch.text_dump(load_html("<html><body><p>only a body</p></body></html>")) == "only a body"
    # trafilatura's parser drops comments and processing instructions, not the text after them
    assert ch.text_dump(load_html("<html><body><p>a <!-- ad --> b</p><?php x ?>c</body></html>")) == "a b\nc"


def test_second_opinion_the_text_cleaners_article_with_its_reasons():
    """With a second opinion the text cleaner also reads the page's text dump; where its article
    and trafilatura's agree, its article is taken, every removed line with a reason and its line
    number in the dump; the markup's title, byline and site stay."""
    page = arabic_page(extra_body="<p>عمان - بترا</p>")
    cfg = HtmlConfig(second_opinion=True)
    c = clean_html(doc_of(page), cfg)
    assert ch.extract_isolated(page, HtmlConfig(second_opinion=False))[1]["dump"] is None    # (off: no dump made)
    dump = ch.extract_isolated(page, cfg, second_opinion=True)[1]["dump"].split("\n")
    assert dump[0] == "افتتاح مستشفى جديد - صحيفة اليوم" and "الرئيسية" in dump
    assert AR in c.paragraphs and AR.replace("عمان", "العقبة") in c.paragraphs
    assert "شارك على فيسبوك" not in c.paragraphs and "الرئيسية" not in c.paragraphs
    assert c.title == "افتتاح مستشفى جديد" and c.byline == "محمد علي" and c.site_name == "صحيفة اليوم"
    assert c.removed and all(dump[r.line_no - 1] == r.text for r in c.removed)
    reasons = {r.text: r.reason for r in c.removed}
    assert reasons["شارك على فيسبوك"] == "share" and reasons["الرئيسية"] == "navigation"
    assert c.dateline == "عمان" and c.language == "ar"      # the place of "عمان - بترا" (the agency: a credit)


def test_second_opinion_asks_trafilatura_again_only_when_both_found_little(monkeypatch):
    story = "<br>".join(f"{AR.replace('عمان', town)}" for town in ("عمان", "إربد", "الزرقاء"))
    page = f"<html><head><title>خبر</title></head><body><div><div>{story}</div></div></body></html>"
    calls = []
    extract = ch.extract_isolated
    monkeypatch.setattr(ch, "extract_isolated", lambda *a, **k: calls.append(k) or extract(*a, **k))
    # an extraction under fallback_chars: with a second opinion it comes back as it is, marked ...
    cfg = HtmlConfig(second_opinion=True, fallback_chars=10_000)
    assert extract(page, cfg, second_opinion=True)[1]["meta"].get("fallback_deferred")
    again = extract(page, cfg)[1]          # (clean_html's second request: the other settings, no dump)
    assert "fallback_deferred" not in again["meta"] and again["dump"] is None
    # ... and the text cleaner's article is shorter too: trafilatura again, with its other settings
    c = clean_html(doc_of(page), cfg)
    assert AR in "\n".join(c.paragraphs) and calls == [{"second_opinion": True}, {}]
    calls.clear()
    clean_html(doc_of(page), HtmlConfig(second_opinion=False, fallback_chars=10_000))   # no second opinion: one call
    assert calls == [{"second_opinion": False}]
    calls.clear()
    clean_html(doc_of(page), HtmlConfig(second_opinion=True))         # not short: one call
    assert calls == [{"second_opinion": True}]


def test_second_opinion_reads_and_teaches_the_sites_memory():
    from tasks.clean_text import SiteMemory, short_line_fingerprints, site_line_fingerprints
    supplement = "ملحق الأسبوع الثقافي"        # a short line inside the article, on every page of the site
    page = arabic_page(extra_body=f"<p>{AR.replace('عمان', 'جرش')}</p><p>{supplement}</p>")
    cfg = HtmlConfig(second_opinion=True)
    first = clean_html(doc_of(page), cfg)
    assert supplement in first.paragraphs
    # the page's lines for the site's memory to learn from (the pipeline counts their fingerprints)
    assert supplement in first.lines and short_line_fingerprints(first.lines) >= site_line_fingerprints(supplement)
    memory = SiteMemory(min_pages=2)            # the line on two earlier pages of the site (the headline on one)
    memory.add_page(short_line_fingerprints(first.lines))
    memory.add_page(site_line_fingerprints(supplement))
    again = clean_html(doc_of(page), cfg, None, memory)
    assert supplement not in again.paragraphs and AR in again.paragraphs
    assert [r.reason for r in again.removed if r.text == supplement] == ["repeated_on_site"]
    assert clean_html(doc_of(page), HtmlConfig(second_opinion=False)).lines is None   # trafilatura's article alone: no lines


def test_which_article_wins():
    article = "the minister said the hospital opens next year in the capital".split()
    with_a_share_line = article + "share on facebook".split()
    assert ch.text_cleaner_wins(article, with_a_share_line, 0.5)        # they agree: ours
    assert ch.text_cleaner_wins(with_a_share_line, article, 0.5)
    menu = "home world sport contact".split()
    assert not ch.text_cleaner_wins(menu, article, 0.5)       # they disagree: the longer, trafilatura's
    assert ch.text_cleaner_wins(article, menu, 0.5)           # ... or ours
    assert not ch.text_cleaner_wins([], article, 0.5) and not ch.text_cleaner_wins([], [], 0.5)
    # distinct words: a word repeated does not make two articles agree
    assert not ch.text_cleaner_wins(["the"] * 5, ["the"] + article, 0.5)


def test_json_ld_date_and_htmldate_year_trap():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-15"}</script>'
    assert clean_html(doc_of(arabic_page(ld))).page_date == dt.date(2024, 5, 15)
    # only a text date in Arabic month names: htmldate would say 2024-01-01; that is never taken
    texty = '<span class="date">15 أيار 2024</span>'
    c = clean_html(doc_of(arabic_page(extra_body=texty)))
    assert c.page_date != dt.date(2024, 1, 1)
    try:
        import tasks.dates  # noqa: F401  (a colleague's module: the text date is read when it is there)
    except ImportError:
        return
    assert c.page_date == dt.date(2024, 5, 15)


def test_too_large_rejected_before_parsing():
    html = arabic_page(extra_body="<p>" + "ا" * 400_000 + "</p>")
    t0 = time.perf_counter()
    r = clean_html(doc_of(html), HtmlConfig(max_bytes=500_000))
    assert isinstance(r, Reject) and r.reason == "too_large"
    assert time.perf_counter() - t0 < 0.1


def hanging_page() -> str:
    # 40k paragraphs: trafilatura's cost grows faster than linearly; it takes many seconds here
    return "<html><body>" + "".join(f"<p>word {i} and some more text to read here</p>" for i in range(40_000)) + "</body></html>"


def test_page_that_would_hang_is_stopped_and_the_next_page_works():
    cfg = HtmlConfig(timeout_s=1.0)
    assert isinstance(clean_html(doc_of(arabic_page()), cfg), Cleaned)       # child started and warm
    t0 = time.perf_counter()
    r = clean_html(doc_of(hanging_page(), "site/huge.html"), cfg)
    took = time.perf_counter() - t0
    assert isinstance(r, Reject) and r.reason == "timeout" and r.source_path == "site/huge.html"
    assert took < 3.0
    c = clean_html(doc_of(arabic_page()), cfg)                               # a fresh child
    assert isinstance(c, Cleaned) and AR in "\n".join(c.paragraphs)


def test_deeply_nested_markup_does_not_hang():
    html = "<html><body>" + "<div><span>" * 20_000 + "x" + "</span></div>" * 20_000 + "</body></html>"
    t0 = time.perf_counter()
    r = clean_html(doc_of(html), HtmlConfig(timeout_s=2.0))
    assert time.perf_counter() - t0 < 5.0
    assert isinstance(r, (Cleaned, Reject))
    if isinstance(r, Reject):
        assert r.reason in ("timeout", "too_large", "unreadable")


def test_limit_holds_in_a_worker_thread():
    """Dask and thread runners call from threads, where SIGALRM cannot be used: the child still works."""
    out: list = []
    t = threading.Thread(target=lambda: out.append(clean_html(doc_of(hanging_page()), HtmlConfig(timeout_s=1.0))))
    t.start()
    t.join(60)
    assert out and isinstance(out[0], Reject) and out[0].reason == "timeout"


def test_in_process_fallback_uses_sigalrm_on_the_main_thread():
    r = clean_html(doc_of(hanging_page()), HtmlConfig(timeout_s=1.0, isolate=False))
    assert isinstance(r, Reject) and r.reason == "timeout"
    assert isinstance(clean_html(doc_of(arabic_page()), HtmlConfig(isolate=False)), Cleaned)


def test_page_that_bloats_memory_is_rejected_as_too_large():
    """The child runs under RLIMIT_AS (about 170 MB are taken by Python + lxml + trafilatura):
    a 1.5 MB page of 60k tiny paragraphs needs more than 230 MB and dies there, not in the worker."""
    html = "<html><body>" + "<p><b>x</b> <i>y</i></p>" * 60_000 + "</body></html>"
    r = clean_html(doc_of(html), HtmlConfig(memory_mb=230, timeout_s=30))
    assert isinstance(r, Reject) and r.reason == "too_large"
    assert isinstance(clean_html(doc_of(arabic_page())), Cleaned)    # default limit: a new child


def _in_daemon(q) -> None:
    r = clean_html(doc_of(hanging_page()), HtmlConfig(timeout_s=1.0))
    c = clean_html(doc_of(arabic_page()), HtmlConfig(timeout_s=20.0))
    q.put((getattr(r, "reason", None), isinstance(c, Cleaned) and AR in "\n".join(c.paragraphs)))


def test_works_inside_a_daemonic_worker_process():
    """Dask worker processes are daemonic and may not start multiprocessing children; the
    extraction child is a plain subprocess, so the limit holds there too."""
    import multiprocessing as mp
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_in_daemon, args=(q,), daemon=True)
    p.start()
    try:
        assert q.get(timeout=120) == ("timeout", True)
    finally:
        p.join(10)
        if p.is_alive():
            p.kill()


def test_related_list_leaked_at_the_end_goes_with_its_header():
    """trafilatura often keeps a trailing "read also" block; its header matches a rule and the
    text cleaner puts every line after it in that section, so the whole tail goes."""
    from tasks.clean_html import _text_rules
    paras = [AR, AR.replace("عمان", "إربد"), AR.replace("الصحة", "التعليم"), "اقرأ أيضا",
             "الحكومة تعلن خطة جديدة للنقل العام", "ارتفاع أسعار النفط في الأسواق العالمية", "فريق الوحدات يفوز بالدوري"]
    kept, removed = _text_rules(paras, None, HtmlConfig())
    assert kept == paras[:3]
    assert [r.reason for r in removed] == ["related_links"] * 4 and [r.line_no for r in removed] == [4, 5, 6, 7]
    # prose after the header is not a list: nothing past the header goes
    kept, removed = _text_rules(paras[:4] + [AR.replace("عمان", "العقبة")], None, HtmlConfig())
    assert kept == paras[:3] + [AR.replace("عمان", "العقبة")]


_CAPTIONS_XPATH = (".//figcaption | .//*[self::div or self::span or self::p or self::small]"
                   "[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
                   " or contains(@class, 'wp-caption-text') or contains(@class, 'image-credit')"
                   " or contains(@class, 'photo-credit') or contains(@class, 'img-credit')]")


def test_one_walk_finds_what_the_xpaths_define():
    # _scan_elements replaced the date walk and the caption XPath; it must pick what the XPaths define
    from trafilatura.utils import load_html
    noise = "".join(f'<div class="row"><span class="{c}">{c} 2024</span></div>'
                    for c in ("dateline", "time-ago", "publish-info", "updated", "x"))
    captions = ('<figure><img src="a.jpg"><figcaption>The minister. Photo: AFP</figcaption></figure>'
                '<div class="wp-caption-text">In the hall</div><p class="story\tcaption">Tab-separated token</p>'
                '<span class="captioned">not the token</span><li class="caption">not a caption tag</li>'
                '<small class="photo-credit">Reuters</small><div class="caption"><span class="caption">nested</span></div>')
    html = f"""<html><head><script class="date">var d = 1;</script><style class="time">p{{}}</style></head>
<body class="date-page"><time>no datetime</time><p id="pubdate">3 May 2024</p>{noise}{captions}
<time datetime="2024-05-03T10:00">10:00</time><meta itemprop="datePublished" content="2024-05-03">
<span itemprop="datePublished">later</span>{noise}<!-- a comment with class="date" --></body></html>"""
    tree = load_html(html)
    want_time = next(el for el in tree.iterfind(".//time") if el.get("datetime"))
    want_published = tree.xpath(".//*[@itemprop='datePublished']")[0]
    want_dated = tree.xpath(".//*[contains(@class,'date') or contains(@class,'time') or contains(@class,'publish')"
                            " or contains(@id,'date')][not(self::script or self::style or self::body or self::html)]")[:6]
    want_captions = tree.xpath(_CAPTIONS_XPATH)
    for with_captions in (False, True):   # without captions the walk stops early
        scan = ch._scan_elements(tree, captions=with_captions)
        assert scan.time_el == want_time and scan.published_el == want_published
        assert scan.dated == want_dated and len(scan.dated) == 6
        assert scan.captions == (want_captions if with_captions else [])
    assert [el.text_content() for el in scan.dated][:2] == ["3 May 2024", "dateline 2024"]
    assert [el.text_content() for el in scan.captions] == [
        "The minister. Photo: AFP", "In the hall", "Tab-separated token", "Reuters", "nested", "nested"]
    empty = ch._scan_elements(load_html("<html><body><p>nothing</p></body></html>"), captions=True)
    assert (empty.time_el, empty.published_el, empty.dated, empty.captions) == (None, None, [], [])


def test_captions_are_pruned_before_extraction():
    figure = ('<figure><img src="a.jpg"><figcaption>The new wing of the hospital, seen from the east gate '
              'of the city</figcaption></figure><p class="wp-caption-text">Photo credit line of the agency</p>')
    out = ch._extract(arabic_page(extra_body=figure), {"favor_precision": True, "favor_recall": False,
                                                         "include_tables": True, "fallback_chars": 300,
                                                         "prune_captions": True, "prune_link_lines": True})
    assert AR in out["text"] and "east gate" not in out["text"] and "Photo credit" not in out["text"]


def test_the_child_extracts_with_plain_elements_and_the_same_output():
    """The extraction child parses with a C class lookup (every element a plain HtmlElement); in
    process, lxml.html's lookup gives form controls their own classes. Same text and metadata."""
    form = ('<form action="/s"><label for="q">بحث</label><input id="q" name="q" value="x">'
            '<select name="s"><option>الكل</option></select><textarea name="t">تعليقك</textarea>'
            '<button>إرسال</button></form>')
    page = arabic_page(extra_body=f'<span class="date">15 أيار 2024</span><table><tr><td>{AR}</td></tr></table>{form}')
    cfg = HtmlConfig()
    isolated = ch.extract_isolated(page, cfg)
    in_process = ch.extract_isolated(page, HtmlConfig(isolate=False))
    assert isolated[0] == "ok" and isolated == in_process
    assert AR in isolated[1]["text"] and isolated[1]["meta"]["text_dates"] == ["15 أيار 2024"]
    # what the child calls at start: afterwards trafilatura's parser gives plain elements
    import subprocess
    import sys
    probe = ("from tasks.clean_html import _plain_element_lookup; from trafilatura.utils import load_html; "
             "page = open(0).read(); before = type(load_html(page).find('.//input')).__name__; "
             "_plain_element_lookup(); print(before, type(load_html(page).find('.//input')).__name__)")
    got = subprocess.run([sys.executable, "-c", probe], input=page, capture_output=True, text=True,
                         cwd=ch._ROOT, check=True).stdout.split()
    assert got == ["InputElement", "HtmlElement"]


def test_htmldate_is_not_asked_when_no_iso_date_is_written_in_the_page():
    # what it would find there could not be trusted anyway (_htmldate checks the page for it)
    assert ch._ISO_IN_PAGE.search(arabic_page(extra_body='<span class="date">15 أيار 2024</span>')) is None
    for written in ("2024-05-15", "2024/05/15", "/news/20240515/", "1995-01-01", "2026-12-31"):
        assert ch._ISO_IN_PAGE.search(arabic_page(extra_body=f"<p>{written}</p>")) is not None, written
    # eight digits that are no date htmldate can return (ids, phone numbers, a month 13, a year before
    # its 1995 lower bound), or a date in digits htmldate's answer is never compared with (its answer is
    # in ASCII digits): nothing _htmldate could trust
    for written in ("/photo/12345678.jpg", "tel. 20241399", "2024-13-05", "2024-05-32", "1994-05-15",
                    "2024-05/15", "٢٠٢٤-٠٥-١٥"):
        assert ch._ISO_IN_PAGE.search(arabic_page(extra_body=f"<p>{written}</p>")) is None, written
    from trafilatura.utils import load_html
    page = "<html><body><p>Published on May 15, 2024 by the desk.</p>" + "<p>Text of the story.</p>" * 20 + "</body></html>"
    assert ch._ISO_IN_PAGE.search(page) is None and ch._htmldate(load_html(page), page) is None
