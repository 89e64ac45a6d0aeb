"""HTML documents: trafilatura under a time and memory limit, metadata from the markup, then the text rules.

`clean_html(doc, cfg) -> Cleaned | Reject`.

Isolation. trafilatura's Python call has no time limit, and a pathological page can hang or bloat
the process that calls it. The pipeline runs chunks of files inside worker processes (the
ChunkProcessPool's plain workers, or Dask's), where SIGALRM is not a general answer (only a process's
main thread gets signals, and Dask runs tasks in threads). So each worker process keeps one small persistent
child process (`subprocess`, not `multiprocessing`: daemonic Dask workers may not fork children
through multiprocessing) that parses and extracts; the parent waits with a deadline and kills and
restarts the child on timeout. The child runs under RLIMIT_AS, so a page that bloats memory dies
there (Reject 'too_large'), not in the worker. If no child can be started, extraction runs in
process, under SIGALRM when on the main thread.
"""
from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from tasks.limits import TimeLimit, text_timeout_reject
from tasks.records import Cleaned, RawDoc, Reject, RemovedLine

if TYPE_CHECKING:      # (imported where the text cleaner runs: the extraction child, which imports this module, needs none of it)
    from tasks.clean_text import SiteMemory

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class HtmlConfig:
    timeout_s: float = 20.0          # wall clock per document (parse + extraction + metadata)
    max_bytes: int = 5_000_000       # a page larger than this (UTF-8 bytes) is rejected before parsing
    memory_mb: int = 2048            # address-space limit of the extraction child
    isolate: bool = True             # extraction in a child process (False: in process, SIGALRM if possible)
    # trafilatura settings, measured on the devset (bench/quality.py; figures in the commit log)
    favor_precision: bool = True     # full track 0.886 -> 0.912, snippets 0.922 -> 0.920 alone
    favor_recall: bool = False
    include_tables: bool = True      # False: no gain with favor_precision and 25 empty outputs
    fallback_chars: int = 300        # with favor_precision: under this many characters, the default then recall settings
    prune_captions: bool = True      # drop figcaption / caption / photo-credit elements before extraction
    prune_link_lines: bool = True    # drop short "Label: <link>" paragraphs (teasers) before extraction
    text_rules: bool = True          # run the text line rules over trafilatura's output
    drop_title_repeat: bool = True   # drop a line equal to the headline at the top of the output
    # a second opinion: the text cleaner on the page's own text dump (`text_dump`). When its article
    # and trafilatura's share at least `agreement_min` of their distinct words (F1 of the two sets),
    # or when it is the longer, the text cleaner's wins (it finds the block and names every removed
    # line); else trafilatura's (when they disagree, the shorter is most often the one that lost the
    # article: a wrong block, an unusual layout). Devset full track 0.924 -> 0.945, snippets
    # 0.936 -> 0.933, for ~0.1x trafilatura's time (Settings.html_second_opinion; README)
    second_opinion: bool = True
    agreement_min: float = 0.5
    text_timeout_s: float | None = 10.0   # wall clock for the text cleaner's work on a page (under a caller's limit)
    rules_dir: str | None = None     # extra rule files for the text rules (Settings.rules_dir)


# --------------------------------------------------------------------------
# the work itself (runs in the child, or in process as the fallback)
# --------------------------------------------------------------------------
def _extract(html: str, opts: dict) -> dict:
    """Parse once; metadata from the tree, then trafilatura on the same tree (it works on a copy)."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return {"text": None, "meta": {}}
    # (the dump before the captions and teaser links are pruned below: it is the whole page's text)
    dump = text_dump(tree) if opts.get("second_opinion") else None
    scan = _scan_elements(tree, captions=bool(opts.get("prune_captions")))
    meta = _html_metadata(tree, scan)
    for el in scan.captions:   # image captions and photo credits are not article text
        _drop(el)
    if opts.get("prune_link_lines"):
        _prune_link_lines(tree)
    common = dict(output_format="txt", include_comments=False, deduplicate=False, with_metadata=False,
                  include_tables=opts["include_tables"], include_images=False, include_links=False,
                  include_formatting=False)
    text = trafilatura.extract(tree, favor_precision=opts["favor_precision"], favor_recall=opts["favor_recall"], **common)
    fallback = opts.get("fallback_chars") or 0
    if opts["favor_precision"] and len(text or "") < fallback:
        if opts.get("second_opinion"):
            # (clean_html asks again, without deferring, when the text cleaner found little too)
            meta["fallback_deferred"] = True
        else:
            # precision settings can drop most of a page with an unusual layout: the default settings
            # then, and the recall settings when that is still short; the longest wins
            for extra in ({}, {"favor_recall": True}):
                other = trafilatura.extract(tree, **common, **extra)
                if len(other or "") > len(text or ""):
                    text = other
                    meta["fallback"] = extra.get("favor_recall") and "recall" or "default"
                if len(text or "") >= fallback:
                    break
    if opts.get("htmldate", True) and not any(_ISO.match(m) for m in meta["machine_dates"]):
        # _htmldate trusts only a date written ISO-like in the page: with none there, it is not asked
        meta["htmldate"] = _htmldate(tree, html) if _ISO_IN_PAGE.search(html) is not None else None
    return {"text": text, "meta": meta, "dump": dump}


# a date as _htmldate requires to find it in the page: YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, and one
# htmldate can return (a real month and day, a year from its lower bound 1995 on). Any eight digits
# opened the gate before (ids, phone numbers, file names): htmldate then ran on 370 of the devset's
# 658 pages for 148 dates, now on 283 for the same 148 (~1.4 ms a call)
_ISO_IN_PAGE = re.compile(r"(?:199[5-9]|20\d\d)([-/]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])")


def _htmldate(tree, html: str) -> str | None:
    """htmldate, trusted only when the date it returns is written ISO-like in the page (URL, markup):
    it reads text dates badly ("15 أيار 2024" -> 2024-01-01), which tasks.dates handles instead."""
    try:
        from htmldate import find_date
        found = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:
        return None
    if not found:
        return None
    y, m, d = found.split("-")
    if any(f"{y}{sep}{m}{sep}{d}" in html for sep in ("-", "/", "")):
        return found
    return None


_LINK_BLOCK_XPATH = None


def _prune_link_lines(tree) -> None:
    """A short paragraph that is nearly all link text is a teaser ("Read more: <headline>")."""
    global _LINK_BLOCK_XPATH
    if _LINK_BLOCK_XPATH is None:
        from lxml.etree import XPath
        _LINK_BLOCK_XPATH = XPath(".//p[.//a]")
    for el in _LINK_BLOCK_XPATH(tree):
        text = " ".join(el.text_content().split())
        if not text or len(text) > 160:
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
        if linked >= 0.6 * len(text) and linked < len(text) and ":" in text[: len(text) - linked + 2]:
            _drop(el)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "publication_date", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "citation_publication_date",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author", "citation_author")


def _html_metadata(tree, scan: "_Scan") -> dict:
    """Title, byline, site name, canonical URL, language and date candidates from meta tags and JSON-LD
    (the date elements from `scan`)."""
    meta: dict[str, Any] = {}
    named: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        val = (el.get("content") or "").strip()
        if key and val and key not in named:
            named[key] = val
    ld = _json_ld(tree)
    title = named.get("og:title") or named.get("twitter:title") or ld.get("headline")
    if not title:
        t = tree.find(".//title")
        title = t.text_content().strip() if t is not None else None
    meta["title"] = title or None
    meta["og_title"] = named.get("og:title")
    h1 = tree.find(".//h1")
    meta["h1"] = " ".join(h1.text_content().split()) if h1 is not None else None
    meta["title_tag"] = " ".join(tree.findtext(".//title", "").split()) or None
    author = ld.get("author") or next((named[k] for k in _AUTHOR_META if named.get(k) and not named[k].startswith("http")), None)
    meta["byline"] = author
    meta["site_name"] = named.get("og:site_name") or named.get("application-name") or ld.get("publisher")
    canon = None
    for link in tree.iterfind(".//link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canon = link.get("href").strip()
            break
    meta["url"] = canon or named.get("og:url")
    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    lang = html_el.get("lang") or html_el.get("{http://www.w3.org/XML/1998/namespace}lang") or named.get("content-language") or named.get("og:locale") or ld.get("inLanguage")
    meta["language"] = lang.strip() if isinstance(lang, str) and lang.strip() else None
    machine = [ld.get("datePublished")] + [named.get(k) for k in _DATE_META] + [named.get("datecreated") or ld.get("dateCreated")]
    time_el, published_el, dated_els = scan.time_el, scan.published_el, scan.dated
    if time_el is not None:
        machine.append(time_el.get("datetime"))
    if published_el is not None:
        machine.append(published_el.get("content") or published_el.get("datetime") or published_el.text_content())
    meta["machine_dates"] = [m.strip() for m in machine if isinstance(m, str) and m.strip()][:8]
    texty = []
    for el in dated_els:
        s = " ".join(el.text_content().split())
        if 4 <= len(s) <= 120:
            texty.append(s)
    meta["text_dates"] = texty
    return meta


_NOT_DATED = frozenset(("script", "style", "body", "html"))
_CAPTION_TAGS = frozenset(("div", "span", "p", "small"))
_CAPTION_CLASS_PARTS = ("wp-caption-text", "image-credit", "photo-credit", "img-credit")
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")   # the blanks XPath's normalize-space() collapses


@dataclass
class _Scan:
    time_el: Any = None        # the first <time> with a datetime
    published_el: Any = None   # the first element with itemprop="datePublished"
    dated: list = field(default_factory=list)      # the first six date-like elements
    captions: list = field(default_factory=list)   # caption and photo-credit elements, to prune


def _scan_elements(tree, captions: bool) -> _Scan:
    """One walk over the page, in document order, for what the metadata and the pruning need:
    - the first <time> with a datetime, and the first element with itemprop="datePublished";
    - the first six elements whose class holds "date", "time" or "publish" or whose id holds
      "date" (not script, style, body, html);
    - with `captions`, every <figcaption>, and every div, span, p or small whose class has the
      token "caption" or holds wp-caption-text, image-credit, photo-credit or img-credit.
    Without `captions` it stops when it has the dates. The captions were a whole-page XPath scan
    after the date walk, each ~4 % of trafilatura's own time on the devset pages; one walk now
    serves both."""
    from lxml.etree import Element
    found = _Scan()
    dated, caps = found.dated, found.captions
    for el in tree.iterdescendants(Element):
        tag = el.tag
        cls = el.get("class")
        if found.time_el is None and tag == "time" and el.get("datetime"):
            found.time_el = el
        if found.published_el is None and el.get("itemprop") == "datePublished":
            found.published_el = el
        if len(dated) < 6:
            if tag not in _NOT_DATED and ((cls is not None and ("date" in cls or "time" in cls or "publish" in cls))
                                          or "date" in (el.get("id") or "")):
                dated.append(el)
        elif not captions and found.time_el is not None and found.published_el is not None:
            break
        if captions and (tag == "figcaption" or (cls is not None and tag in _CAPTION_TAGS and _is_caption_class(cls))):
            caps.append(el)
    return found


# The page's text dump as an XSLT (libxslt's C walk: a third of the time of a Python walk over the
# tree). Left out: elements whose text no reader sees as the page's text. Each element a browser
# lays out as a block of its own (and <br>, <option>) is framed by a line break: U+E000, a
# private-use character, since the markup's own newlines are spaces (a page's icon font using it
# gets a line break more, where normalization drops the glyph anyway).
_DUMP_SKIPPED = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
                 "head", "textarea")
_DUMP_BLOCKS = (
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "label", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul")
_LINE_BREAK = "\ue000"
_DUMP_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:value-of select="normalize-space((//title)[1])"/><xsl:text>&#xE000;</xsl:text>
  <xsl:choose><xsl:when test="//body"><xsl:apply-templates select="(//body)[1]"/></xsl:when>
  <xsl:otherwise><xsl:apply-templates/></xsl:otherwise></xsl:choose>
</xsl:template>
<xsl:template match="{'|'.join(_DUMP_SKIPPED)}|comment()|processing-instruction()"/>
<xsl:template match="{'|'.join(_DUMP_BLOCKS)}"><xsl:text>&#xE000;</xsl:text><xsl:apply-templates/><xsl:text>&#xE000;</xsl:text></xsl:template>
</xsl:stylesheet>"""
_dump_local = threading.local()     # (an XSLT object serves one thread)


def text_dump(tree) -> str | None:
    """The page as a naive scraper saves it, which the text cleaner reads: the <title> on the first
    line, then the body's text with every block element and <br> on a line of its own, scripts and
    styles dropped, nothing else removed. None when libxslt refuses the page (markup nested deeper
    than its templates go)."""
    from lxml import etree

    transform = getattr(_dump_local, "transform", None)
    if transform is None:
        transform = _dump_local.transform = etree.XSLT(etree.XML(_DUMP_STYLESHEET))
    try:
        text = str(transform(tree))
    except etree.XSLTApplyError:
        return None
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split(_LINE_BREAK)) if line)


def _is_caption_class(cls: str) -> bool:
    if any(part in cls for part in _CAPTION_CLASS_PARTS):
        return True
    return "caption" in cls and "caption" in _XPATH_SPACE.split(cls)


def _json_ld(tree) -> dict:
    """The article-like object of the page's JSON-LD: headline, author, publisher, datePublished, inLanguage."""
    out: dict[str, Any] = {}
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
                continue
            if not isinstance(obj, dict):
                continue
            if "@graph" in obj:
                stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and ("Article" in k or k in ("NewsArticle", "BlogPosting", "Report", "WebPage")) for k in kinds):
                continue
            for key in ("headline", "datePublished", "dateCreated", "inLanguage"):
                if key not in out and isinstance(obj.get(key), str):
                    out[key] = obj[key]
            if "author" not in out:
                names = _names(obj.get("author"))
                if names:
                    out["author"] = ", ".join(names)
            if "publisher" not in out:
                names = _names(obj.get("publisher"))
                if names:
                    out["publisher"] = names[0]
    return out


def _names(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for it in items:
        if isinstance(it, str) and it.strip() and not it.startswith("http"):
            names.append(it.strip())
        elif isinstance(it, dict) and isinstance(it.get("name"), str) and it["name"].strip():
            names.append(it["name"].strip())
    return names


# --------------------------------------------------------------------------
# the child process and its watchdog
# --------------------------------------------------------------------------
_CHILD_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tasks.clean_html import _child_main; _child_main(int(sys.argv[2]))"
)


def _child_main(memory_mb: int) -> None:
    """Serve extraction requests over stdin/stdout until stdin closes."""
    proto_out = os.dup(1)
    os.dup2(2, 1)   # library prints go to stderr, never into the protocol
    if memory_mb > 0:
        try:
            import resource
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    import logging
    logging.disable(logging.CRITICAL)   # trafilatura logs every odd page at ERROR level
    import trafilatura  # noqa: F401  (warm import before the first request)
    from tasks import fast_xpath
    _plain_element_lookup()
    fast_xpath.install()     # trafilatura's pruning and article XPaths in Python: the same elements, 1/5-1/3 of the time
    rx, tx = Connection(0, writable=False), Connection(proto_out, readable=False)
    tx.send(("ready", os.getpid()))
    while True:
        try:
            html, opts = rx.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", _extract(html, opts))
        except MemoryError:
            reply = ("memory", "the page needed more than the memory limit")
        except RecursionError:
            reply = ("error", "markup nested too deeply")
        except Exception as exc:   # one page's failure must not kill the child
            reply = ("error", f"{type(exc).__name__}: {exc}"[:300])
        del html
        try:
            tx.send(reply)
        except MemoryError:
            tx.send(("memory", "the result needed more than the memory limit"))


def _plain_element_lookup() -> None:
    """Every element of the pages trafilatura parses becomes a plain HtmlElement, its class
    looked up in C. lxml.html's own lookup is a Python method called for every element proxy
    created (trafilatura creates millions), only to give form controls classes with form
    helpers that neither trafilatura nor htmldate use: trafilatura is ~4 % faster with the same
    output (all 658 devset HTML pages). It changes trafilatura's parser for the whole process,
    so only the extraction child, which does nothing else, calls it."""
    from lxml import etree
    from lxml import html as lxml_html
    from trafilatura import utils
    utils.HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))


class _Extractor:
    """One extraction child per worker process (and per thread that uses it), restarted after a kill."""

    START_TIMEOUT_S = 60.0

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.tx: Connection | None = None
        self.rx: Connection | None = None
        self.memory_mb: int | None = None
        self.pid = os.getpid()

    def _start(self, memory_mb: int) -> None:
        env = dict(os.environ)
        env.setdefault("PYTHONHASHSEED", "0")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD_BOOT, _ROOT, str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, close_fds=True,
        )
        self.tx = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self.rx = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.memory_mb = memory_mb
        # the child imports trafilatura (about 1 s, more on a busy machine) before it says ready
        try:
            ready = self.rx.poll(self.START_TIMEOUT_S) and self.rx.recv()[0] == "ready"
        except EOFError:
            ready = False
        if not ready:
            self.stop()
            raise OSError("the extraction child did not start")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the current child has used so far; 0 when there is none."""
        if self.proc is None:
            return 0.0
        try:
            with open(f"/proc/{self.proc.pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def stop(self) -> None:
        self.cpu_spent = getattr(self, "cpu_spent", 0.0) + self.cpu_seconds()
        proc, self.proc = self.proc, None
        for conn in (self.tx, self.rx):
            if conn is not None:
                try:
                    conn.close()
                except OSError:
                    pass
        self.tx = self.rx = None
        if proc is not None and proc.poll() is None:
            proc.kill()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def run(self, html: str, opts: dict, timeout_s: float, memory_mb: int) -> tuple[str, Any]:
        if self.pid != os.getpid():            # forked: the child belongs to the parent process
            self.proc = self.tx = self.rx = None
            self.pid = os.getpid()
        if self.proc is None or self.proc.poll() is not None or self.memory_mb != memory_mb:
            self.stop()
            self._start(memory_mb)
        try:
            self.tx.send((html, opts))
            if not self.rx.poll(timeout_s):
                self.stop()
                return "timeout", f"extraction took longer than {timeout_s:.1f} s; stopped"
            return self.rx.recv()
        except (EOFError, OSError) as exc:      # the child died (OOM killer, crash in C code)
            code = None
            if self.proc is not None:
                try:
                    code = self.proc.wait(2)
                except subprocess.TimeoutExpired:
                    pass
            self.stop()
            if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
                return "memory", f"extraction child died ({signal.Signals(-code).name})"
            return "error", f"extraction child failed: {type(exc).__name__}"


_local = threading.local()


def _extractor() -> _Extractor:
    ex = getattr(_local, "extractor", None)
    if ex is None:
        ex = _local.extractor = _Extractor()
        atexit.register(ex.stop)
    return ex


def extraction_cpu_seconds() -> float:
    """CPU seconds this thread's extraction children have used (for benchmarks: the work is not
    in this process's own CPU time)."""
    ex = getattr(_local, "extractor", None)
    return 0.0 if ex is None else getattr(ex, "cpu_spent", 0.0) + ex.cpu_seconds()


def shutdown() -> None:
    """Stop this thread's extraction child (it also stops when the process exits)."""
    ex = getattr(_local, "extractor", None)
    if ex is not None:
        ex.stop()


def _run_in_process(html: str, opts: dict, timeout_s: float) -> tuple[str, Any]:
    """The fallback: under a TimeLimit (SIGALRM on the main thread, else no time limit)."""
    try:
        with TimeLimit() as limit:
            stopped, result = limit.call(timeout_s, _extract, html, opts)
    except MemoryError:
        return "memory", "the page needed more memory than available"
    if stopped:
        return "timeout", f"extraction took longer than {timeout_s:.1f} s; stopped"
    return "ok", result


def extract_isolated(html: str, cfg: HtmlConfig, second_opinion: bool = False) -> tuple[str, Any]:
    """('ok', {'text', 'meta', 'dump'}) or (failure kind, detail); failure kinds: timeout, memory,
    error. For a `second_opinion`, the page's text dump too ('dump', else None), and a short
    extraction under favor_precision returned as it is, marked meta['fallback_deferred'], instead
    of being tried again with the other settings (the text cleaner's article decides)."""
    opts = {"favor_precision": cfg.favor_precision, "favor_recall": cfg.favor_recall,
            "include_tables": cfg.include_tables, "fallback_chars": cfg.fallback_chars,
            "prune_captions": cfg.prune_captions, "prune_link_lines": cfg.prune_link_lines,
            "second_opinion": second_opinion}
    if cfg.isolate:
        try:
            return _extractor().run(html, opts, cfg.timeout_s, cfg.memory_mb)
        except OSError:   # no child possible here (process limits): in process instead
            pass
    return _run_in_process(html, opts, cfg.timeout_s)


# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")


def _parse_machine_date(s: str) -> tuple[dt.date, dt.datetime | None] | None:
    """ISO-like machine dates only (meta tags, JSON-LD, <time datetime>)."""
    m = _ISO.match(s)
    if not m:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if not m[4]:
        return day, dt.datetime.combine(day, dt.time(0, 0))   # date only: midnight, as the text cleaner does
    try:
        when = dt.datetime(day.year, day.month, day.day, int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return day, dt.datetime.combine(day, dt.time(0, 0))
    if m[7]:
        tz = m[7].replace(":", "")
        if tz == "Z":
            offset = dt.timedelta(0)
        else:
            offset = dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * (1 if tz[0] == "+" else -1)
        when = when - offset   # naive UTC, like the rest of the pipeline
    return day, when


def _dates(meta: dict) -> tuple[dt.date | None, dt.datetime | None]:
    today = dt.date.today()
    for s in (meta.get("machine_dates") or []) + [meta.get("htmldate") or ""]:
        got = _parse_machine_date(s)
        if got and dt.date(1995, 1, 1) <= got[0] <= today + dt.timedelta(days=2):
            return got
    try:
        from tasks.dates import parse_date
    except ImportError:
        return None, None
    for s in meta.get("text_dates") or []:
        try:
            hit = parse_date(s)
        except Exception:
            hit = None
        if hit is not None and getattr(hit, "date", None):
            day = hit.date
            t = getattr(hit, "time", None)
            return day, dt.datetime.combine(day, t if isinstance(t, dt.time) else dt.time(0, 0))
    return None, None


# --------------------------------------------------------------------------
# the step
# --------------------------------------------------------------------------
def clean_html(doc: RawDoc, cfg: HtmlConfig = HtmlConfig(), limit: TimeLimit | None = None,
               site_memory: SiteMemory | None = None) -> Cleaned | Reject:
    """The page's article: extraction in the child (under cfg.timeout_s), then the text cleaner's
    work on it here, under `limit` (the caller's TimeLimit, when given): cfg.text_timeout_s for its
    reading of the dump, and again for the choice and the text rules.
    With the second opinion the text cleaner reads the page's dump with the site's memory
    (`site_memory`), and the article carries the dump's lines
    (`Cleaned.lines`) for the site's memory to learn from, whichever article wins."""
    html = doc.content
    size = len(html.encode("utf-8", "surrogatepass")) if len(html) * 4 > cfg.max_bytes else len(html)
    if size > cfg.max_bytes:
        return Reject(doc.source_path, "too_large", f"HTML of {size} bytes is over the limit of {cfg.max_bytes}", doc.record_index)
    # (the text cleaner's article decides whether trafilatura's short one is worth its other settings)
    kind, result = extract_isolated(html, cfg, second_opinion=cfg.second_opinion)
    if kind != "ok":
        return _extraction_reject(doc, kind, result)
    limit = limit or TimeLimit()
    article = None
    if result.get("dump"):                # (made for the second opinion only)
        from tasks.clean_text import clean_text

        stopped, article = limit.call(cfg.text_timeout_s, clean_text, result["dump"], _text_config(cfg.rules_dir),
                                      site_memory)
        if stopped:
            return text_timeout_reject(doc, cfg.text_timeout_s)
    if result["meta"].get("fallback_deferred") and sum(map(len, article.paragraphs if article else ())) < cfg.fallback_chars:
        # trafilatura's precision settings found little on this page and so did the text cleaner:
        # the extraction again, with the other settings (~3 % of the devset's pages; no dump this time)
        kind, result = extract_isolated(html, cfg)
        if kind != "ok":
            return _extraction_reject(doc, kind, result)
    meta = result["meta"]
    title = _clean_title(meta)
    page_date, published_at = _dates(meta)
    extracted = Cleaned(
        title=title,
        paragraphs=[ln for ln in (line.strip() for line in (result["text"] or "").splitlines()) if ln],
        byline=meta.get("byline"),
        site_name=meta.get("site_name") or doc.meta.get("site_name"),
        page_date=page_date,
        published_at=published_at,
        url=meta.get("url") or doc.meta.get("url"),
    )
    stopped, cleaned = limit.call(cfg.text_timeout_s, _article, extracted, article, cfg)
    if stopped:
        return text_timeout_reject(doc, cfg.text_timeout_s)
    cleaned.language = _language(cleaned.title, cleaned.paragraphs, meta.get("language"))
    cleaned.lines = article.lines if article is not None else None
    return cleaned


def _extraction_reject(doc: RawDoc, kind: str, detail: str) -> Reject:
    reason = {"timeout": "timeout", "memory": "too_large"}.get(kind)
    if reason is None:
        return Reject(doc.source_path, "unreadable", f"HTML extraction failed: {detail}", doc.record_index)
    return Reject(doc.source_path, reason, detail, doc.record_index)


def _article(extracted: Cleaned, article: Cleaned | None, cfg: HtmlConfig) -> Cleaned:
    """The text cleaner's article from the page's text dump (`article`, HtmlConfig.second_opinion)
    when it wins over trafilatura's (`extracted`), else trafilatura's with the text rules over it.
    The markup's fields (title, byline, site, dates, URL) stay first; the text cleaner's fill what
    the markup lacks, and its dateline comes with its article. Its removed lines count lines of
    the dump."""
    if article is not None and text_cleaner_wins(_words(article.paragraphs), _words(extracted.paragraphs),
                                                 cfg.agreement_min):
        return Cleaned(
            title=extracted.title or article.title,
            paragraphs=article.paragraphs,
            removed=article.removed,
            dateline=article.dateline,
            byline=extracted.byline or article.byline,
            site_name=extracted.site_name or article.site_name,
            page_date=extracted.page_date or article.page_date,
            published_at=extracted.published_at or article.published_at,
            url=extracted.url,
        )
    if cfg.text_rules and extracted.paragraphs:
        extracted.paragraphs, extracted.removed = _text_rules(extracted.paragraphs, extracted.title, cfg)
    return extracted


def text_cleaner_wins(mine: list[str], theirs: list[str], agreement_min: float) -> bool:
    """Whether the text cleaner's article (its words `mine`) beats trafilatura's (`theirs`): when
    they share `agreement_min` of their distinct words (F1 of the two sets), or else when it is
    the longer."""
    if not mine:
        return False
    if len(mine) > len(theirs):
        return True
    distinct_mine, distinct_theirs = set(mine), set(theirs)
    shared = len(distinct_mine & distinct_theirs)
    return 2 * shared >= agreement_min * (len(distinct_mine) + len(distinct_theirs))


def _words(paragraphs: list[str]) -> list[str]:
    """A body's words as its match key has them (each Chinese or Japanese character one)."""
    from tasks.normalize import match_key_and_tokens

    return match_key_and_tokens("\n".join(paragraphs))[1]


def _clean_title(meta: dict) -> str | None:
    """og:title, else the H1, else <title> (with its ' | Site' suffix when fields.py can split it)."""
    for key in ("og_title", "h1", "title_tag", "title"):
        t = meta.get(key)
        if isinstance(t, str) and t.strip():
            t = " ".join(t.split())
            if key == "title_tag":
                try:
                    from tasks.fields import split_title_site
                    got = split_title_site(t)
                    if isinstance(got, tuple) and got and got[0]:
                        t = got[0]
                except Exception:
                    pass
            return t
    return None


def _language(title: str | None, paragraphs: list[str], declared: str | None) -> str | None:
    """The detector's answer on the text (templates often keep lang="en" on pages in other
    languages), else the page's declared language."""
    try:
        from tasks.language import detect_language
        found = detect_language(((title or "") + "\n" + "\n".join(paragraphs[:20]))) if paragraphs else None
    except ImportError:
        found = None
    return found or _lang(declared)


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _text_rules(paragraphs: list[str], title: str | None, cfg: HtmlConfig) -> tuple[list[str], list[RemovedLine]]:
    """The text cleaner over trafilatura's output, keeping only its rule-based removals.

    `clean_text` is built for whole-page dumps: its positional decisions (main block, header and
    footer zones, menus as runs of short lines) would cut real paragraphs out of text that is already
    the article. Its rule hits (share lines, "related" headers, captions, copyright, comment forms,
    Arabic ones included) are what trafilatura leaks, so a line goes only when the rule tables
    (`tasks.rules`) match it; and when a rule-matched comments/related header is followed, to the
    end, only by lines the cleaner puts in that section, the whole tail goes (devset: full track
    +0.003, recall unchanged). A line equal to the headline at the top is a title repeat.
    """
    from tasks.clean_text import clean_text
    from tasks.normalize import normalize_line
    from tasks.rules import get_rules, line_key

    lines = [s for s in (normalize_line(p) for p in paragraphs) if s]
    if not lines:
        return [], []
    text_cfg = _text_config(cfg.rules_dir)
    rules = get_rules(None, cfg.rules_dir)
    result = clean_text("\n".join(lines), text_cfg)
    drop: dict[int, str] = {}
    said: dict[int, str] = {}          # the text cleaner's reason for each line it removed
    for rl in result.removed:
        i = rl.line_no - 1
        if 0 <= i < len(lines) and rl.text == lines[i]:
            said[i] = rl.reason
    first_header = None
    for i in sorted(said):
        concept = rules.match(lines[i])
        if concept is not None:
            drop[i] = rules.reason_of[concept]
            if first_header is None and concept in rules.section_of:
                first_header = i
    # a comments / related section that runs to the end: trafilatura kept the header and its
    # list; when the text cleaner puts every line after the header in that section, it all goes
    if first_header is not None:
        tail = range(first_header + 1, len(lines))
        if tail and all(j in drop or said.get(j) in _SECTION_REASONS for j in tail):
            for j in tail:
                drop.setdefault(j, said[j])
    if cfg.drop_title_repeat and title:
        tkey = line_key(title)
        for i in range(min(3, len(lines))):
            if i not in drop and tkey and line_key(lines[i]) == tkey:
                drop[i] = "title_repeat"
    kept = [s for i, s in enumerate(lines) if i not in drop]
    removed = [RemovedLine(i + 1, lines[i], r) for i, r in sorted(drop.items())]
    return kept, removed


_SECTION_REASONS = frozenset({"user_comment", "related_links"})
_TEXT_CFGS: dict = {}


def _text_config(rules_dir: str | None):
    cfg = _TEXT_CFGS.get(rules_dir)
    if cfg is None:
        from tasks.clean_text import TextCleanConfig
        # the language comes from the markup or the pipeline's detector, not from the line cleaner; the
        # dump's layout and trafilatura's are known (a block a line), no other dumper's to undo
        cfg = _TEXT_CFGS[rules_dir] = TextCleanConfig(rules_dir=rules_dir, detect_language=False, read_layout=False)
    return cfg
