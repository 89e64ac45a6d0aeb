"""tasks.fast_xpath: trafilatura's pruning XPaths in Python must select exactly what lxml's XPath selects."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
from lxml import etree, html as lxml_html

from tasks import fast_xpath
from tasks.clean_html import HtmlConfig, _ROOT, clean_html
from tasks.records import RawDoc

TAGS = ("div", "p", "span", "section", "ul", "ol", "li", "list", "item", "details", "aside", "article", "header",
        "h1", "a", "cite", "main")
ATTRIBUTES = ("id", "class", "style", "role", "aria-hidden", "data-component", "data-lp-replacement-content", "itemprop")
VALUES = ("", "comment", "Comments", "comments-title", "commentary", "reply-box", "post-reply-link", "hidden",
          "is-hidden", "display:none", "color: red; display: none", "Navigation", "main-nav", "teaser",
          "TeaserBox", "caption", "wp-caption-text", "bottom", "page-bottom", "Padding-bottom-lg", "link",
          "permalink", "share-bar", "social", "mvp-post-add-box", "infinite-scroll", "footer", "ad-slot",
          "x ad y", "cookie-banner", "disqus_thread", "true", "false", "MostPopularStories", "article-body",
          "border: 1px", "akismet", "message", "tags", "sidebar", "Byline", "elementor-share-buttons", "x",
          "post comment-list", "hide-print", " hidden", "ÉLÉMENT", "\u00a0bottom", "notloaded")


def random_page(rng: random.Random, elements: int = 300) -> etree._Element:
    """A page of random nesting, attributes in random order and number, comments and PIs between."""
    root = lxml_html.fromstring("<html><body></body></html>")
    open_ = [root.find("body")]
    for _ in range(elements):
        parent = rng.choice(open_[-6:])
        roll = rng.random()
        if roll < 0.05:
            parent.append(etree.Comment(" a comment "))
            continue
        if roll < 0.07:
            parent.append(etree.ProcessingInstruction("php", "echo 1"))
            continue
        el = etree.SubElement(parent, rng.choice(TAGS))
        for name in rng.sample(ATTRIBUTES, rng.choice((0, 0, 1, 2, 3, 4))):
            value = rng.choice(VALUES)
            if rng.random() < 0.3:
                value = f"{rng.choice(VALUES)} {value}".strip()
            el.set(name, value)
        el.text = rng.choice(("", "text", "more text"))
        open_.append(el)
    return root


def trafilatura_expressions() -> list[etree.XPath]:
    from trafilatura import xpaths
    return [x for name in fast_xpath.SWAPPED_LISTS for x in getattr(xpaths, name)
            if isinstance(x, etree.XPath)]


SUBSET_CASES = [
    ".//*[re:test(@id|@class, '^reply-')]",                 # the first attribute as written decides
    ".//*[starts-with(@class|@id, 'reply-')]",
    ".//*[contains(@style|@id, 'hidden') or @aria-hidden='true']",
    ".//*[contains(translate(@class, 'TBX', 'tb'), 'teaser') or contains(translate(@id, 'N', 'n'), 'nav')]",
    ".//*[re:test(@class, 'COMMENT', 'i')][not(self::div or self::span)]",
    ".//*[self::div or self::section][not(.//h1) or re:test(@id, 'mvp-post-add')]",
    ".//*[@data-lp-replacement-content or contains(@data-component, 'MostPopular')]",
    ".//*[@class='' or @id = 'x']",
    ".//*[self::p and (contains(@class, 'bottom') or re:test(@style, 'border|display:\\s*none'))]",
    ".//*[re:test(@role|@itemprop, '')]",                    # an empty pattern matches the empty string too
    ".//*[self::div or self::section][contains(@class, 'comment')][1]",     # the first such child of each parent
    "(.//*[self::div or self::p][re:test(@class, 'bottom|link')])[1]",      # the first such element of the page
    ".//*[@id = 'x' or contains(@class, 'tags')][1]",
]


@pytest.mark.parametrize("seed", range(6))
def test_trafilatura_pruning_expressions_select_the_same_elements_in_the_same_order(seed):
    rng = random.Random(seed)
    expressions = trafilatura_expressions()
    compiled = [(x, fast_xpath.compile_xpath(x.path, x)) for x in expressions]
    assert sum(fast is not None for _, fast in compiled) >= 10, "the pinned trafilatura's expressions compile"
    for _ in range(8):
        page = random_page(rng)
        for x, fast in compiled:
            if fast is not None:
                expected = x(page)
                assert fast(page) == expected, " ".join(x.path.split())[:120]


@pytest.mark.parametrize("source", SUBSET_CASES)
def test_each_construct_of_the_subset_agrees_with_lxml(source):
    fast = fast_xpath.compile_xpath(source)
    assert fast is not None
    xpath = etree.XPath(source, namespaces={"re": "http://exslt.org/regular-expressions"})
    rng = random.Random(source)
    hits = 0
    for _ in range(10):
        page = random_page(rng)
        expected = xpath(page)
        hits += len(expected)
        assert fast(page) == expected
    assert hits, "the random pages exercise the expression"


def test_first_of_each_parent_and_first_of_the_page():
    page = lxml_html.fromstring('<div><p class="a">1</p><p class="a">2</p><div><p class="a">3</p></div>'
                                '<p class="a">4</p></div>')
    per_parent = fast_xpath.compile_xpath(".//*[self::p][contains(@class, 'a')][1]")
    assert [el.text for el in per_parent(page)] == ["1", "3"]
    assert [el.text for el in fast_xpath.compile_xpath("(.//*[contains(@class, 'a')])[1]")(page)] == ["1"]
    assert fast_xpath.compile_xpath("(.//*[contains(@class, 'zzz')])[1]")(page) == []


def test_the_order_of_the_attributes_decides_a_union():
    first_id = lxml_html.fromstring('<div><p id="story" class="reply-box">a</p><p class="reply-box" id="story">b</p></div>')
    fast = fast_xpath.compile_xpath(".//*[starts-with(@id|@class, 'reply-')]")
    assert [el.text for el in fast(first_id)] == ["b"]


@pytest.mark.parametrize("source", [
    ".//header", "(.//article)[1]", ".//*[1]", "//*[@id='x']", ".//*[count(.//p) > 1]", ".//cite|.//quote",
    ".//*[contains(@class, 'a')", ".//*[re:replace(@id, 'a', 'g', 'b') = 'b']", ".//*[@id|@class]",
    ".//*[re:test(@id, '(')]", ".//*[@id][2]", ".//*[1][@id]", "(.//*[@id])[2]", "(.//*[@id][1])[1]",
    "(.//*[@id])", ".//*[@id][1][1]",
])
def test_what_is_outside_the_subset_stays_an_xpath(source):
    assert fast_xpath.compile_xpath(source) is None


def test_a_document_is_handed_to_the_xpath_itself():
    doc = etree.ElementTree(lxml_html.fromstring('<html><body><div class="caption">x</div><p id="Y">y</p></body></html>'))
    fast = fast_xpath.compile_xpath(".//*[contains(@class, 'caption') or re:test(@id, 'y', 'i')]")
    assert [el.text for el in fast(doc)] == ["x", "y"]


def test_the_extraction_child_swaps_them_and_extracts_the_same_article():
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from tasks import fast_xpath; "
             "from trafilatura import xpaths; n = fast_xpath.install(); "
             "print(n, type(xpaths.OVERALL_DISCARD_XPATH[1]).__name__, fast_xpath.install())")
    got = subprocess.run([sys.executable, "-c", probe, _ROOT], capture_output=True, text=True, check=True).stdout.split()
    assert int(got[0]) >= 10 and got[1] == "PythonXPath" and got[2] == "0"    # (a second install finds none left)
    paragraphs = "".join(f"<p>Paragraph {i} of the story, long enough to be kept by the extractor as text.</p>"
                         for i in range(8))
    page = f"""<html><head><title>A story</title></head><body>
<nav class="main-nav"><a href="/">Home</a></nav>
<div id="comments" class="comment-list"><p>A reader wrote something here that is not the article.</p></div>
<article><h1>A story</h1><div class="article-body">{paragraphs}
<div class="wp-caption-text">Photo: somebody</div><p style="display:none">Hidden text</p>
<div class="share-bar">Share this</div></div></article>
<footer class="footer">© Site</footer></body></html>"""
    doc = RawDoc(source_path="p.html", record_index=0, format="html", content=page, source_sha256="0" * 64)
    in_child = clean_html(doc, HtmlConfig(isolate=True, second_opinion=False))     # (trafilatura's article)
    in_process = clean_html(doc, HtmlConfig(isolate=False, second_opinion=False))  # (no swap in this process)
    assert in_child.paragraphs == in_process.paragraphs
    assert any("Paragraph 3" in p for p in in_child.paragraphs)
    assert not any("Hidden text" in p or "reader wrote" in p for p in in_child.paragraphs)
