"""Boilerplate removal for plain-text dumps of news pages: a line classifier with reasons.

Every non-blank line of the (normalized) input ends up either in a field of the
returned `Cleaned` (title, paragraphs, dateline, byline) or in `Cleaned.removed`
with a reason code of tasks/reasons.py. `clean_text` runs the steps in order over one
`_Page` record (the lines, their per-line columns, what each step decided):

1. `_undo_layout`, `_detect_language`: normalize (tasks/normalize.py), read a markdown /
   lynx dump's layout (tasks/text_layout.py), split into lines; the language from a
   prefix of the longer lines (tasks/language.py);
2. `_line_features`: tag lines with the rule tables (tasks/rules/*.yaml: whole-line
   phrases and patterns by concept and language, compiled once) and weigh them with
   signals that need no word list: length in characters (CJK characters weigh more:
   they carry a word each), terminal punctuation (. ! ? ؟ ۔ 。！？; a cut "…" teaser is not
   an ending), repetition in the page; memoized per distinct line, since menus and
   footers repeat across a site's pages. `_numbered_steps`, `_stamps`, `_lines_on_site`:
   a numbered list is no pagination, repeated "date time name" comment stamps and
   publication stamps (a teaser list), lines the site's memory knows (`SiteMemory`);
3. `_title_from_first_line`: a `<title>`-style first line with its " - Site" suffix cut,
   and the lines that print it;
4. `_choose_block`: candidate blocks = maximum-sum segments (prose lines add their weight,
   short/menu/rule lines subtract). Section headers (comments, related, author box),
   comment stamps, teaser stamps and the headline printed in the page (not a later printing
   of it as a table's cell: `_barrier_title_hits`) are barriers no block crosses. The main block is the first strong block after the printed headline (else the
   strongest); a neighbour behind a short gap or an inline "related" box joins it
   (`_merge_neighbours`). `_cut_tail` ends it where little prose follows a legal line or a
   run of short lines; `_extend_tail` takes a numbered list or a short last sentence under it;
5. fields (tasks/fields.py, tasks/dates.py): `_headline_in_page` (the title printed in the
   page; without a `<title>` line, the headline above the block), `_dates` (page_date: a
   date line in the chrome above the headline; published_at: a date stated with or right
   under the headline, or on a "Published:" line), `_site_name_in_page` (the masthead),
   `_credit_line` (dateline / byline on a line of their own), `_lead_lines` (standfirst),
   `_author_box` (a name and bio closing the block: byline);
6. `_paragraphs_and_reasons`: the block's lines are the paragraphs (a dateline / byline
   glued to the first one cut off it); everything else gets the most specific reason
   available: a rule's reason (`_deep_patterns_off_block` tries the costlier patterns on
   the long lines off the block), else user_comment / related_links inside a section,
   repeated_in_page, navigation (runs of short lines), related_links (runs of
   headline-like lines after the article), off_block (prose), header_zone / footer_zone;
   `_inline_counters_cut`: a counter glued before the paragraphs' first words cut off.

Pure: no I/O, no Prefect, no DB (the per-site memory is passed in as `SiteMemory`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, count, islice, takewhile
from functools import lru_cache, partial
from operator import and_, methodcaller
from dataclasses import dataclass, field
from typing import Iterable

from tasks.fields import (byline_after_date, capitalised_words, credited_name, name_credited_in, name_shaped_line,
                          names_outlet, parse_credit_line, site_around_headline, split_dateline_byline,
                          split_title_site, title_parts)
from tasks.normalize import (CJK_FIRST, CLOSER_CHARS, TERMINAL_CHARS, line_match_keys, match_key, normalize_text,
                             to_ascii_digits)
from tasks.records import Cleaned, RemovedLine
from tasks.text_layout import (cjk_paragraphs_wrapped, hard_wrap_width, input_lines, line_lengths, looks_indented,
                               looks_like_markdown, lynx_references_at, read_lynx, read_markdown, unwrap_lines)
from tasks.rules import KEY_STRIP_CHARS, folded_line_key, get_rules, line_key, rule_form, squeeze_spaces

try:    # the block finding and its scores, the per-line features and the paragraphs' reasons in C
    # (tasks/_native.c); absent when not compiled: _segments_py, _block_scores_py, _line_entry and
    # _paragraphs_and_reasons_py do it
    from tasks._native import line_columns as _native_line_columns, max_segments as _max_segments
    from tasks._native import block_scores as _native_block_scores, paragraph_reasons as _native_paragraph_reasons
except ImportError:
    _max_segments = _native_line_columns = _native_paragraph_reasons = _native_block_scores = None

__all__ = ["TextCleanConfig", "SiteMemory", "clean_text", "prepare_text_cleaner", "site_line_fingerprints",
           "short_line_fingerprints", "line_fingerprint"]


# ---------------------------------------------------------------------------------
# config


@dataclass(frozen=True)
class TextCleanConfig:
    """Thresholds of the text cleaner. Lengths are in characters; a CJK character
    weighs `cjk_weight` characters (it carries about a word)."""

    rules_dir: str | None = None          # extra rule YAML files, merged over the built-ins
    prose_chars: int = 300                # a line this long is prose without terminal punctuation
    punct_prose_chars: int = 45           # ... or this long and ending with terminal punctuation
    cjk_weight: float = 2.5
    unpunctuated_cap: float = 600.0       # weight cap of a long line without terminal punctuation
    unpunctuated_prose_chars: int = 120   # a line this long is prose in a script without sentence punctuation
    run_on_min_chars: int = 400           # a line this long ...
    run_on_chars_per_end: int = 400       # ... with fewer sentence ends than one per this many chars is no paragraph
    short_penalty: float = 18.0           # score of a non-prose line without a rule hit
    rule_penalty: float = 45.0            # score of a line a boilerplate rule matched
    strong_rule_penalty: float = 150.0    # ... a rule of a kind never inside an article (comment form, legal)
    repeated_penalty: float = 45.0        # a short line repeated in the page / on the site
    nav_run: int = 3                      # this many short lines in a row are a menu
    long_chrome_run: int = 15             # past this many non-prose lines in a row each counts twice
    nav_chars: int = 30                   # "short" for the menu test
    list_run: int = 3                     # headline-like lines in a row after the article
    title_search_lines: int = 12          # how far before the block the headline is looked for
    max_title_chars: int = 300
    title_label_chars: int = 30           # a label this short glued after the headline printed in the page
    title_label_words: int = 4            # ... of at most this many words ("<headline> Health")
    headline_gap_lines: int = 6           # a part of the <title> printed alone is the headline when a sentence follows this close
    lead_max_lines: int = 3               # lines between headline and block kept as a lead
    credit_block_lines: int = 2           # a credit line is looked for this far into the block too
    credit_reach_lines: int = 24          # ... and within this many lines of the headline or the block
    caps_headline_words: int = 6          # a line of capitals this long inside the article is a linked headline
    caps_headline_chars: int = 40         # ... and this long in characters
    language_prefix_chars: int = 1000     # text given to the language detector
    detect_language: bool = True
    fingerprint_max_chars: int = 300      # lines up to this long are remembered per site
    min_block_score: float = 60.0         # a candidate block must weigh this much
    anchor_block_ratio: float = 0.2       # the first block after the headline wins if this big vs the biggest
    date_top_lines: int = 12              # date widgets are looked for in the page's first lines
    date_near_lines: int = 8              # ... and this close above the headline / article
    date_stamp_lines: int = 2             # a date this close above the headline is the story's ...
    date_widget_lines: int = 3            # ... unless among the page's first lines (a widget)
    date_alone_chars: int = 40            # a line this short that is a date alone is a stamp, not text
    bio_min_block_lines: int = 5          # an author box (name + short bio) closing a block this long
    bio_max_lines: int = 2                # ... has at most this many bio lines
    bio_max_chars: int = 400
    deep_match_chars: int = 100           # lines up to this long get every pattern before block finding
    merge_gap_lines: int = 12             # a neighbouring block behind a gap this short continues the article
    merge_short_gap_lines: int = 4        # ... (gaps longer than this only if they are a 'related' box)
    merge_continued_gap_lines: int = 24   # ... up to this long under "continue reading below" (a ticker, a video box)
    merge_before_score: float = 150.0     # ... a block before the chosen one must weigh this much
    above_comments_ratio: float = 0.3     # the biggest block under a comment section's header loses to one above it this big
    tail_after_strong_ratio: float = 0.2  # the block ends at a legal/newsletter line followed by less prose than this share
    tail_short_run: int = 4               # ... or at a run of this many short lines followed by less
    tail_after_run_ratio: float = 0.35    # ... prose than this share
    tail_deep_lines: int = 2              # ... the block's last lines after one get every pattern (a licence note)
    tail_deep_chars: int = 400            # ... on this many of their first characters
    read_layout: bool = True              # undo a dumper's layout first (tasks/text_layout.py): wraps, markdown, lynx
    wrap_near_chars: int = 20             # ... a line this close to the width may have been broken there
    wrap_min_breaks: int = 5              # ... at least this many such breaks, some of them mid-sentence

    @classmethod
    def from_rules_dir(cls, rules_dir: str | None, **kw) -> "TextCleanConfig":
        return cls(rules_dir=str(rules_dir) if rules_dir else None, **kw)


# ---------------------------------------------------------------------------------
# per-site memory


def line_fingerprint(line: str) -> str:
    """Fingerprint of a line for the per-site memory: a short hash of its match key."""
    return _key_fingerprint(match_key(line))


def _key_fingerprint(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _memo_fingerprints(lines: list[str]) -> list[str]:
    """line_fingerprint of each line, "" for a line whose key is empty, through a per-process memo:
    a site's chrome lines come back on every page. The lines not in it are keyed in one pass."""
    cache = _LINE_FINGERPRINTS
    distinct = list(dict.fromkeys(lines))
    new = [line for line in distinct if line not in cache]
    if new and len(cache) + len(new) > _LINE_FINGERPRINTS_MAX:
        cache.clear()
        new = distinct
    for line, k in zip(new, line_match_keys(new)):
        cache[line] = _key_fingerprint(k) if k else ""
    return list(map(cache.__getitem__, lines))


@dataclass
class SiteMemory:
    """What the warehouse remembers about one site: line fingerprint -> number of the
    site's pages that had the line. Lines seen on at least `min_pages` pages are
    boilerplate there (`repeated_on_site`)."""

    counts: dict[str, int] = field(default_factory=dict)
    min_pages: int = 3

    def is_repeated(self, fingerprint: str) -> bool:
        return self.counts.get(fingerprint, 0) >= self.min_pages

    def add_page(self, fingerprints: Iterable[str]) -> None:
        """Count one more page that had these lines (what the pipeline does after each page)."""
        c = self.counts
        for fp in set(fingerprints):
            c[fp] = c.get(fp, 0) + 1


def site_line_fingerprints(text: str, config: TextCleanConfig | None = None) -> set[str]:
    """Fingerprints of one page's candidate boilerplate lines (short lines), to be added
    to the site's counts (`SiteMemory.add_page` / the warehouse's site_memory table)."""
    return short_line_fingerprints(normalize_text(text).split("\n"), config)


def short_line_fingerprints(lines: list[str], config: TextCleanConfig | None = None) -> set[str]:
    """site_line_fingerprints of a page already normalized and split (`Cleaned.lines`)."""
    fmax = (config or _DEFAULT).fingerprint_max_chars
    short = [line for line in dict.fromkeys(lines) if line and len(line) <= fmax]
    out = set(_memo_fingerprints(short))
    out.discard("")
    return out


_LINE_FINGERPRINTS: dict[str, str] = {}
_EMPTY_KEY_FP = _key_fingerprint("")   # line_fingerprint of a line with an empty key
_LINE_FINGERPRINTS_MAX = 50_000   # lines of at most fingerprint_max_chars: ~10 MB at most


_DEFAULT = TextCleanConfig()


# ---------------------------------------------------------------------------------
# helpers

# reasons whose lines are never inside an article: the block does not stretch over them
_STRONG = frozenset({"comment_form", "comment_policy", "captcha", "user_comment", "copyright",
                     "cookie_notice", "newsletter", "pagination"})
# ... of those, the ones that end the article when little prose follows them (a number
# series "2, 3, 5, 12" can look like pagination)
_TAIL_CUT = _STRONG - {"pagination"}
# concepts whose lines, repeated below the article start, stamp a list of teasers
_TEASER_STAMPS = frozenset({"published", "reading_time"})
# what opens a part of the page after the article: another article's or a comment's stamp may follow
_SECTIONS_AFTER = frozenset({"related_links", "teaser", "user_comment", "comment_count", "comment_form", "newsletter"})
# a news ticker's line: a time, then a headline (no sentence's end: a live blog's entry is prose)
_TICKER_LINE = re.compile(r"(?:[01]?\d|2[0-3])[:.h][0-5]\d\s+\S")
# (its lines in the page's normalized text, the first line left out: a literal to start from makes
# one pass fast)
_TICKER_LINES = re.compile(r"\n\d\d?[:.h]\d\d[ \t]")     # (looser than _TICKER_LINE: a first sieve)
_TEASER = "teaser"             # the concept they get, another article's teaser's (tasks/rules/related.yaml)
_HEADLINE_CHARS = 160          # a headline's length at most: a ticker's line, a teaser under a related header
_TEASER_SUMMARY_CHARS = 300    # a teaser's summary under its headline at most
_TICKER_MIN_LINES = 3
_TERMINAL = frozenset(TERMINAL_CHARS)
_CLOSERS = frozenset(CLOSER_CHARS)
# citation marks closing a line (wikis, reference works): "[12]", " [3][4]" (tasks/_native.c
# citation_marks_start is the twin)
_CITATION_MARKS = re.compile(r"(?: ?\[[0-9]{1,3}\])+$")
# a sentence closed by emoji (after a word or punctuation): blogs and forums end sentences so
_EMOJI_END = re.compile("\\w[.!?…]{0,3}\\s*[\u2600-\u27bf\U0001F300-\U0001FAFF][\u2600-\u27bf\U0001F300-\U0001FAFF\\s\ufe0f]*$")
_CJK_RE = re.compile("[\u3040-\U0010FFFF]")      # a char >= CJK_FIRST
# a sentence's end, then a dash and a short credit closing the line ("… meals. –Reuters")
_SENTENCE_THEN_CREDIT = re.compile(r"[.!?][\"'”’»)]?\s*[-–—]+\s*[^\W\d_][\w.'’ /-]{0,30}$")
_CREDIT_DASH = re.compile("[-–—]")
# a sentence's end inside a line: terminal punctuation, then closing quotes, brackets or a
# citation mark ("….[12] "), then a space or the line's end (CJK full stops need no space)
_SENTENCE_END = re.compile(r"[.!?;؟۔।॥։።](?:[\"'”’»)\]]|\[\d+\])*(?:\s|$)|[。！？；]")
# scripts written without sentence punctuation (Thai, Lao, Tibetan, Myanmar, Khmer): their
# prose has none to count
_UNPUNCTUATED_SCRIPT = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]")
_UNPUNCTUATED_LANGUAGES = frozenset({"th", "lo", "km", "my", "bo"})
# code (a query, a shell line) is punctuated with brackets and operators instead
_CODE_MARKS = re.compile(r"[(){}=<>]")


_LAZY: dict[str, object] = {}


def _lazy_dates():
    """tasks.dates (the date parser), imported on first use; None if not installed."""
    if "dates" not in _LAZY:
        try:
            from tasks import dates
            _LAZY["dates"] = dates
        except ImportError:
            _LAZY["dates"] = None
    return _LAZY["dates"]


def _lazy_language():
    """tasks.language.detect_language, imported on first use; None if not installed."""
    if "language" not in _LAZY:
        try:
            from tasks.language import detect_language
            _LAZY["language"] = detect_language
        except ImportError:
            _LAZY["language"] = None
    return _LAZY["language"]


def _date_only(line: str, dates_mod) -> "object | None":
    """The DateHit when the line is essentially a date (weekday, date, time, separators)."""
    if dates_mod is None or len(line) > 60 or _DIGIT.search(line) is None:
        return None
    # memoized per line: a site prints the same date widget / stamp on many pages
    h = _DATE_ONLY_CACHE.get(line, _MISSING)
    if h is _MISSING:
        if len(_DATE_ONLY_CACHE) > _CACHE_MAX:
            _DATE_ONLY_CACHE.clear()
        h = _DATE_ONLY_CACHE[line] = _parse_date_only(line, dates_mod)
    return h


def _find_dates(line: str, dates_mod) -> list:
    """dates_mod.find_dates(line), memoized per line (the hits are only read here)."""
    hits = _FIND_DATES_CACHE.get(line)
    if hits is None:
        if len(_FIND_DATES_CACHE) > _CACHE_MAX:
            _FIND_DATES_CACHE.clear()
        hits = _FIND_DATES_CACHE[line] = dates_mod.find_dates(line)
    return hits


def _parse_date_only(line: str, dates_mod) -> "object | None":
    hits = _find_dates(line, dates_mod)
    if not hits:
        return None
    h = hits[0]
    if h.calendar != "gregorian" and len(hits) > 1:
        h = next((x for x in hits if x.calendar == "gregorian"), h)
    # the same day in another calendar is off the line too ("الأحد 22 نوفمبر 2026 | 7 جمادى
    # الأولى 1448 هـ"); a second date of h's calendar is not (a range is not one date)
    rest, at = [], 0
    for x in hits:
        if x is not h and x.calendar == h.calendar:
            continue
        rest.append(line[at:x.start])
        at = x.end
    rest.append(line[at:])
    rest = "".join(rest)
    letters = sum(1 for c in rest if c.isalpha())
    if letters <= 14 and len(rest.split()) <= 3:
        return h
    return None


_DATE_SHAPE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|[0-3]?\d[./-][01]?\d[./-]\d\d(\d\d)?)(?!\d)")


_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d+")
_SITE_NAME_CHARS = 60          # a <title> head longer than this (or of more than five words) is no site's name
_FULL_STOPS = frozenset(".。।")     # a statement ends so (not a list after a colon, a prompt with "?" or "!")
_DATE_LINE_LETTERS = 20        # letters a date line holds beside its date (weekday, month, "Updated")
_INLINE_TEASER = re.compile(r"[:：]\s*\S.{5,}")
# a line's last dot that is no full stop: an ellipsis, a one-letter abbreviation ("3 января 2012 г.", "2012 r.")
_NO_FULL_STOP_END = re.compile(r"(?:\.|(?<!\S)[^\W\d_]|\s)\.$")
_STAMP_TIME = re.compile(r"(?<!\d)[0-2]?\d:[0-5]\d(?!\d)")
_NON_WORD = re.compile(r"[\W_]+")                    # the repunctuated headline: compared without these
_LIST_ITEM = re.compile(r"\s*(\d{1,3})[.)]\s+\S")      # "1) …" / "2. …": a numbered list's item


def _looks_like_date(line: str) -> bool:
    """Shape only (no parsing): a short line with a year or a d.m.y date in it."""
    # (\d is every Unicode decimal digit, the ones to_ascii_digits maps: no digit, no date)
    return (len(line) <= 60 and _DIGIT.search(line) is not None and len(line.split()) <= 7
            and _DATE_SHAPE.search(to_ascii_digits(line)) is not None)


def _date_shaped(line: str) -> bool:
    """A date's shape with few letters round it (a headline of seven words may name a year)."""
    return _looks_like_date(line) and sum(map(str.isalpha, line)) <= _DATE_LINE_LETTERS


def _date_line(line: str, dates_mod) -> bool:
    """_date_shaped, or a full date in a short line ("Pressemitteilung Aktuell 02. November 2021"),
    not a headline that names a year ("The Doobie Brothers 50th Anniversary Tour 2020")."""
    return _date_shaped(line) or _looks_like_date(line) and _date_in(line, dates_mod) is not None


def _only_years(line: str) -> bool:
    """Every figure of the line is a year ("Gewinnerinnen & Finalisten 2022", "Turnout 2022"): a
    year alone is no date."""
    return all(len(d) == 4 for d in _DIGIT_RUN.findall(to_ascii_digits(line)))


def _date_in(line: str, dates_mod):
    if dates_mod is None or len(line) > 200 or _DIGIT.search(line) is None:
        return None
    for h in _find_dates(line, dates_mod):
        if h.calendar == "gregorian":
            return h
    return None


def _to_datetime(h) -> dt.datetime:
    return dt.datetime.combine(h.date, h.time or dt.time(0, 0))


def prepare_text_cleaner(config: TextCleanConfig | None = None) -> None:
    """Load now what the cleaner otherwise loads on a process's first page: the language model, the
    rule tables and their alternations, the date patterns, the Unicode tables (~1 s, once a process
    and rules directory). A worker does it before its per-document time limit counts (a first page
    must not be rejected for the loading), a benchmark before its clock starts."""
    cfg = config or _DEFAULT
    if cfg.rules_dir in _PREPARED:
        return
    _PREPARED.add(cfg.rules_dir)   # (first: a preparation stopped by a time limit is not tried again)
    para = "The minister said on Tuesday that the new hospital would open next year in the capital. " * 3
    clean_text(f"Warm up - Site\nHome\n15 May 2024\nWarm up\n{para}\nShare\n© 2024 Site", cfg)
    dates_mod = _lazy_dates()
    if dates_mod is not None:
        dates_mod.find_dates("15 May 2024")       # the date regex (compiled on first use, ~0.25 s)
    match_key("Café")                              # the Unicode tables (built on the first non-ASCII text)
    get_rules(None, cfg.rules_dir).compile_all()   # every alternation, not only those the page needed


_PREPARED: set[str | None] = set()


# ---------------------------------------------------------------------------------
# the cleaner


@dataclass(slots=True, eq=False)
class _Page:
    """One page on its way through the cleaner's steps (`clean_text` lists them): its lines and
    their per-line columns (indexed by line number, filled by `_line_features`), then what each
    step decides. `order` is the non-blank lines' numbers; block positions (`best_a`, `best_b`,
    a segment's bounds) are indices into it."""

    lines: list[str]
    order: list[int]
    rules: object
    dates_mod: object
    language: str | None = None
    page_cjk: bool = False
    page_unpunctuated: bool = False     # a page in a script without sentence punctuation (Thai, …)
    headline: int | None = None        # the line a markdown or lynx dump marks as its headline
    norm: str = ""                      # the normalized text (the lines before a layout reader joined any)
    filed_from: str | None = None       # the place before the date under the credit: the dateline if none other
    # per-line columns
    keys: tuple = ()                    # the line's match key (what repetition is counted on)
    term_of: tuple = ()                 # ends with terminal punctuation
    weight: list = field(default_factory=list)     # length, CJK characters weighing more
    prose: list = field(default_factory=list)
    concept: dict = field(default_factory=dict)    # line -> the rule concept that tagged it
    key_count: dict = field(default_factory=dict)   # (a Counter once filled)
    stamps: list = field(default_factory=list)     # short "date time name" lines
    long_lines: list = field(default_factory=list)  # past deep_match_chars: costlier patterns later
    boundaries: set = field(default_factory=set)   # teaser stamps below the article start: barriers
    on_site: set = field(default_factory=set)      # lines the site memory knows as its chrome
    # the title and the block
    first_line: str = ""                # the first line's text (without a "Title:" label)
    title: str | None = None
    site_name: str | None = None
    title_line: int | None = None       # the <title>-style first line
    name_first: int | None = None       # a first line that only names the site
    title_hits: list = field(default_factory=list)  # the lines that print the <title>
    scores: list = field(default_factory=list)      # per order index
    block: set = field(default_factory=set)
    best_a: int = -1
    best_b: int = -1
    a_line: int = 0                     # the block's first and last line numbers
    b_line: int = -1
    page_title_line: int | None = None  # the headline printed in the page
    # the fields and every line's reason
    reason: dict = field(default_factory=dict)
    page_date: object = None
    published_at: object = None
    dateline: str | None = None
    byline: str | None = None


def clean_text(text: str, config: TextCleanConfig | None = None,
               site_memory: SiteMemory | None = None) -> Cleaned:
    """Classify every line of a plain-text page dump; see the module docstring."""
    cfg = config or _DEFAULT
    norm = normalize_text(text or "")
    lines, headline = _undo_layout(text, norm, cfg)
    order = list(compress(range(len(lines)), lines))
    if not order:
        return Cleaned(title=None, paragraphs=[], lines=lines)
    language = _detect_language(lines, order, cfg)
    # every language's tables at once: pages mix languages (English chrome on Arabic pages)
    # and one compiled set keeps start-up and memory small
    page = _Page(lines, order, get_rules(None, cfg.rules_dir), _lazy_dates(), language, headline=headline, norm=norm,
                 page_cjk=language in ("zh", "ja") or (language is None and any(
                     lines[i] and max(lines[i]) >= CJK_FIRST for i in order[:50])),
                 page_unpunctuated=language in _UNPUNCTUATED_LANGUAGES or (language is None and any(
                     _UNPUNCTUATED_SCRIPT.search(lines[i]) for i in order[:50])))
    _line_features(page, text, cfg)
    _numbered_steps(page)
    _toolbar_above_article(page)
    _stamps(page)
    _poll_boxes(page)
    _picture_credits(page)
    _lines_on_site(page, site_memory, cfg)
    _title_from_first_line(page, cfg)
    _choose_block(page, cfg)
    _cut_tail(page, cfg)
    _extend_head(page, cfg)
    _extend_tail(page, cfg)
    _headline_in_page(page, cfg)
    _dates(page, cfg)
    _site_name_in_page(page)
    _credit_line(page, cfg)
    _lead_lines(page, cfg)
    _author_box(page, cfg)
    _deep_patterns_off_block(page)
    _caps_headlines(page, cfg)
    paragraphs, removed = _paragraphs_and_reasons(page, cfg)
    paragraphs = _inline_counters_cut(paragraphs)
    return Cleaned(title=page.title, paragraphs=paragraphs, removed=removed, dateline=page.dateline or page.filed_from,
                   byline=page.byline, site_name=page.site_name, page_date=page.page_date,
                   published_at=page.published_at, language=language, lines=page.lines)


def _undo_layout(text: str, norm: str, cfg: TextCleanConfig) -> tuple[list[str], int | None]:
    """The normalized text's lines, a markdown or lynx dump's layout read first (its links, its
    wrapped paragraphs), and the line such a dump marks as the headline (else None)."""
    lines = norm.split("\n")
    if not cfg.read_layout:
        return lines, None
    # (markdown's links and lynx's link numbers both close a bracket; lynx is looked for first:
    # its References list is the surer sign, and its "[4](BUTTON)" looks like a markdown link)
    refs_at = lynx_references_at(lines) if "]" in norm and "\nReferences\n" in norm else None
    if refs_at is not None:
        return read_lynx(lines, input_lines(text, lines), refs_at, cfg.wrap_near_chars, cfg.wrap_min_breaks)
    if "]" in norm and looks_like_markdown(norm):
        return read_markdown(lines, line_lengths(lines, input_lines(text, lines)), cfg.wrap_near_chars,
                             cfg.wrap_min_breaks)
    if looks_indented(text):
        raw = input_lines(text, lines)
        if raw is not None:
            return read_lynx(lines, raw, len(lines), cfg.wrap_near_chars, cfg.wrap_min_breaks, numbered=False)
    return lines, None


def _detect_language(lines: list[str], order: list[int], cfg: TextCleanConfig) -> str | None:
    """The page's language, from a prefix of its longer lines (the article, not the menu)."""
    detect = _lazy_language() if cfg.detect_language else None
    if detect is None:
        return None
    sample, tot = [], 0
    for i in order:
        s = lines[i]
        if len(s) >= 40:
            sample.append(s)
            tot += len(s)
            if tot >= cfg.language_prefix_chars:
                break
    if not sample:
        sample = [lines[i] for i in order[:30]]
    return detect("\n".join(sample)[: cfg.language_prefix_chars])


def _line_features(page: _Page, text: str, cfg: TextCleanConfig) -> None:
    """The per-line columns, memoized per distinct line (menus and footers repeat across the
    pages of a site, so most lines of a batch are seen before); a hard-wrapped dump's
    paragraphs joined again first."""
    lines, rules = page.lines, page.rules
    n_lines = len(lines)
    keys, term_of, concepts_, cjk_, stamp_, weight, prose, long_ = _page_columns(lines, rules, cfg)
    # a dump hard-wrapped at a terminal's width (lynx, html2text) has (bar 1 %) no line past
    # deep_match_chars: only then is it looked at, and its paragraphs joined again (also after a
    # layout reader, which may have found no width of its own: the lines it joined are
    # blank, the rest still the input's one for one)
    if cfg.read_layout and len(page.order) >= 10 and long_.count(True) * 100 <= len(page.order):
        lengths = line_lengths(lines, input_lines(text, lines))
        # (a Chinese or Japanese page's full lines are joined when some are followed by their
        # paragraph's last line: a list of headlines cut to one length has no such line)
        cjk = page.page_cjk
        width = hard_wrap_width(lines, lengths, cfg.wrap_near_chars, cfg.wrap_min_breaks, cjk=cjk)
        if width is not None and cjk and not cjk_paragraphs_wrapped(lines, lengths, width):
            cjk = False
            width = hard_wrap_width(lines, lengths, cfg.wrap_near_chars, cfg.wrap_min_breaks)
        if width is not None:
            lines = page.lines = unwrap_lines(lines, lengths, width, cjk=cjk)
            page.order = list(compress(range(n_lines), lines))
            keys, term_of, concepts_, cjk_, stamp_, weight, prose, long_ = _page_columns(lines, rules, cfg)
    if page.page_unpunctuated:
        # a script written without sentence punctuation (Thai, Lao, Khmer, Myanmar): no paragraph
        # ends in a sentence's mark, so a line long enough in that script ends a sentence; below
        # prose_chars every paragraph read as a short line, and the block ended at the first one
        term_of, prose = list(term_of), list(prose)
        for i in page.order:
            if (not term_of[i] and _UNPUNCTUATED_SCRIPT.search(lines[i]) is not None
                    and _is_prose(concepts_[i], True, weight[i], cfg.prose_chars, cfg.unpunctuated_prose_chars)):
                term_of[i] = prose[i] = True
    # a paragraph that ends in its wire credit after its last sentence ("… at meals. –Reuters",
    # "… said on Monday. - AFP") is prose, though no sentence's mark ends the line
    pc = cfg.punct_prose_chars
    credited = [i for i, w, p, t, c in zip(range(n_lines), weight, prose, term_of, concepts_)
                if w >= pc and not p and not t and c is None and _ends_in_wire_credit(lines[i])]
    if credited:
        prose = list(prose)
        for i in credited:
            prose[i] = True
    if page.page_cjk and any(cjk_):
        # CJK characters weigh more on a Chinese / Japanese page: weight and prose again
        weight, prose = list(weight), list(prose)
        prose_chars, punct_chars, cjkw = cfg.prose_chars, cfg.punct_prose_chars, cfg.cjk_weight
        for i in compress(range(n_lines), cjk_):
            w = weight[i] = weight[i] * cjkw
            # a line of sentences that ends in a credit ("。新华社发") is prose too
            has_sentence_end = term_of[i] or "。" in lines[i][:-1]
            prose[i] = _is_prose(concepts_[i], has_sentence_end, w, prose_chars, punct_chars)
    page.keys, page.term_of, page.weight, page.prose = keys, term_of, weight, prose
    page.concept = dict(zip(compress(range(n_lines), concepts_), compress(concepts_, concepts_)))
    page.stamps = list(compress(range(n_lines), stamp_))
    page.long_lines = list(compress(range(n_lines), long_))
    page.key_count = Counter(keys)
    page.key_count.pop(_BLANK_KEY, None)


def _numbered_steps(page: _Page) -> None:
    """A bare "1." / "2." over a sentence numbers the steps of a list: it is not pagination."""
    concept, order, prose, term_of = page.concept, page.order, page.prose, page.term_of
    for i in [i for i, c in concept.items() if c == "pagination" and page.keys[i].isdigit()]:
        j = bisect_right(order, i)
        if j < len(order) and prose[order[j]] and term_of[order[j]]:
            del concept[i]


def _poll_boxes(page: _Page) -> None:
    """A poll's header with its vote / results button a few lines under it: the question and the
    answers between them are the poll's too (tasks/rules/polls.yaml)."""
    concept, order = page.concept, page.order
    for i in [i for i, c in concept.items() if c == _POLL_HEADER]:
        k = bisect_right(order, i)
        box = order[k:k + _POLL_MAX_LINES]
        end = next((n for n, j in enumerate(box) if concept.get(j) == _POLL_BUTTON), None)
        for j in box[:end or 0]:
            concept.setdefault(j, _POLL_BUTTON)


def _picture_credits(page: _Page) -> None:
    """A line of a "©" and a name alone ("© Fox News": no year, no sentence, no notice such as "©
    Wszystkie prawa zastrzeżone") with the article's prose right above or right below it, and on
    the other side past a line at most, credits a picture between two paragraphs: a caption, not
    the page's copyright notice, which closes the page (tasks/rules/legal.yaml reads every "©" as
    the latter; a caption's "© X/Y" is the caption concept's own)."""
    if not _bare_credit_in(page.norm):
        return
    concept, order, lines, rules = page.concept, page.order, page.lines, page.rules
    for i in [i for i, c in concept.items() if c == _COPYRIGHT]:
        if _BARE_CREDIT.fullmatch(lines[i]) is None or len(lines[i].split()) > _CREDIT_WORDS + 1:
            continue
        if rules.reason_of.get(rules.match(lines[i].lstrip("© "))) == _COPYRIGHT:
            continue
        # (the picture's own caption may stand on one side of it, the article on the other)
        k = bisect_left(order, i)
        above, below = reversed(order[max(0, k - 2):k]), order[k + 1:k + 3]
        if (_prose_next(page, above) and _prose_next(page, below)
                and (0 < k and page.prose[order[k - 1]] or k + 1 < len(order) and page.prose[order[k + 1]])):
            concept[i] = _CAPTION


def _prose_next(page: _Page, lines: Iterable[int]) -> bool:
    """A prose line comes among `lines` (in the order given) before any line a rule tagged (a
    header, a button: past one, the prose is another box's)."""
    for j in lines:
        if j in page.concept:
            return False
        if page.prose[j]:
            return True
    return False


_COPYRIGHT = "copyright"
# "© " and a name: no figure (a year closes a notice), no sentence's end
_BARE_CREDIT = re.compile(r"©\s*[^\W\d_][^©\d.!?;:|]*")


def _bare_credit_in(norm: str) -> bool:
    """A line of the normalized page opens with "©" and is a bare credit (the page's lines looked at
    only then: most pages' "©" opens a notice with its year)."""
    at = 0 if norm.startswith("©") else norm.find("\n©") + 1 or -1      # (-1: no more such lines)
    while at >= 0:
        end = norm.find("\n", at)
        if _BARE_CREDIT.fullmatch(norm, at, len(norm) if end < 0 else end) is not None:
            return True
        at = norm.find("\n©", at) + 1 or -1
    return False


def _toolbar_above_article(page: _Page) -> None:
    """In a share toolbar above the article's first paragraphs, a word that elsewhere belongs to
    a comment form or heads the comments is one more link: "E-Mail" (send by mail, not the form's
    field), "Kommentare" (a link down to them, not their header: the article comes next). The
    article starts at the first two prose lines in a row; a bar under it keeps its meaning."""
    order, concept, lines = page.order, page.concept, page.lines
    reason_of = page.rules.reason_of
    body = None
    for i in [i for i, c in concept.items() if reason_of[c] in _TOOLBAR_WORDS]:
        k = bisect_left(order, i)
        if not (0 < k < len(order) - 1 and len(lines[i].split()) <= 2
                and (reason_of.get(concept.get(order[k - 1])) == _SHARE
                     or reason_of.get(concept.get(order[k + 1])) == _SHARE)):
            continue
        if body is None:
            # (the first two prose lines in a row, found in C-level passes, once a page)
            prose_in_order = list(map(page.prose.__getitem__, order))
            body = next(compress(count(), map(and_, prose_in_order, islice(prose_in_order, 1, None))), 0)
        if k < body:
            concept[i] = _SHARE


# the reasons of the words a share toolbar may hold as links, and the concept they take there
_TOOLBAR_WORDS = frozenset({"comment_form", "comment_count"})
_SHARE = "share"


def _stamps(page: _Page) -> None:
    """Comment stamps (short "date time name" lines repeated below the article start),
    publication stamps repeated there (a list of other articles' teasers: barriers), and a news
    ticker's lines, each a time and a headline ("14:44 Accusations de viols : …"): teasers and
    barriers when the page has three or more."""
    concept, lines, term_of = page.concept, page.lines, page.term_of
    # (not a time and a date: "10:11 09 декабря 2011", a date widget, "20:45 10.04.13" a comment's stamp;
    # the lines are looked at one by one only when one pass over the page finds enough)
    ticker = []
    if len(_TICKER_LINES.findall(page.norm)) >= _TICKER_MIN_LINES:
        stamped = set(page.stamps)
        ticker = [i for i in page.order if lines[i][0].isdigit() and not term_of[i] and i not in concept
                  and i not in stamped and len(lines[i]) <= _HEADLINE_CHARS and _TICKER_LINE.match(lines[i]) is not None
                  and _date_only(lines[i], page.dates_mod) is None]
    if len(ticker) >= _TICKER_MIN_LINES:
        concept.update(dict.fromkeys(ticker, _TEASER))
        page.boundaries.update(ticker)
    stamps = [i for i in page.stamps if i not in concept]
    first_prose = next((i for i in page.order if page.prose[i] and page.term_of[i]), None)
    if first_prose is None:
        return
    if len(stamps) >= 2:
        for i in stamps:
            if i > first_prose + 1:
                concept[i] = "comment_author"
    meta_after = [i for i, c in concept.items() if i > first_prose + 1 and c in _TEASER_STAMPS]
    if len(meta_after) >= 2:
        page.boundaries.update(meta_after)


def _lines_on_site(page: _Page, site_memory: SiteMemory | None, cfg: TextCleanConfig) -> None:
    """The short lines the site's memory has seen on many of its pages."""
    if site_memory is None or not site_memory.counts:
        return
    lines = page.lines
    short = [i for i in page.order if len(lines[i]) <= cfg.fingerprint_max_chars]
    fps = _memo_fingerprints([lines[i] for i in short])
    # (the memo site_line_fingerprints fills gives "" for an empty key, whose line_fingerprint is _EMPTY_KEY_FP)
    repeated = {fp for fp in set(fps) if site_memory.is_repeated(fp or _EMPTY_KEY_FP)}
    if repeated:
        page.on_site.update(compress(short, map(repeated.__contains__, fps)))


def _title_from_first_line(page: _Page, cfg: TextCleanConfig) -> None:
    """The title candidate from the first line (a <title> dump) with its site suffix cut, or from
    the headline a markdown / lynx dump marks; then the lines that print it."""
    lines, order, concept, rules = page.lines, page.order, page.concept, page.rules
    # (after the page's address a scraper may have put above it: "https://…", "URL: https://…")
    first = next((i for i in order[:3] if rules.reason_of.get(concept.get(i)) != "junk"), order[0])
    s0 = lines[first]
    for i in [i for i, c in concept.items() if c == _TITLE_FIELD]:
        del concept[i]          # (below the first line, "Titel: …" is a book's in a review)
        if i == first:
            s0 = _FIELD_LABEL.sub("", s0, count=1)     # "Title: <the page's title>"
    # (a date's shape with few letters round it: a headline of seven words may name a year)
    first_is_date = _date_only(s0, page.dates_mod) is not None or _date_shaped(s0)
    in_menu = None      # (the headline and site of a first line a menu or breadcrumb test took)
    if page.headline is not None and 8 <= len(lines[page.headline]) <= cfg.max_title_chars:
        # a markdown or lynx dump has no <title> line but marks its headline: the title, as a
        # <title> line would give it, and the heading itself is the headline printed in the page
        page.title = s0 = lines[page.headline]
    elif ((first not in concept or rules.reason_of[concept[first]] == "teaser"    # ("عاجل: …", "Video: …")
           or (in_menu := _headline_in_menu_line(s0, rules.reason_of[concept[first]])) is not None)
          and not first_is_date and 8 <= len(s0) <= cfg.max_title_chars
          and not prose_ratio_line(s0)):
        if _name_only(s0, page.keys[first], page.key_count):
            page.name_first = first          # the title only if the page prints no headline above the article
        elif in_menu is not None:
            page.title_line = first
            page.title, page.site_name = in_menu
        else:
            title, site_name = split_title_site(s0)
            if site_name is not None and "_" in title and _CJK_RE.search(title) is not None:
                # "<headline>_<channel>_<section>-<site>": the sections go as the site did
                title = split_title_site(title)[0]
            if "|" in title:
                # "<headline> | <section> | <site>": the section goes with the site (the first part need
                # not have the headline shape _headline_in_menu_line asks for: no menu test took
                # this line, so nothing says its parts are a menu's items)
                parts = [p.strip() for p in title.split("|")]
                if parts[0] and len(parts[0]) >= max(map(len, parts)):
                    title = parts[0]
            page.title_line = first
            if (site_name is not None and len(title) <= _SITE_NAME_CHARS and len(title.split()) <= 5
                    and rules.reason_of.get(rules.match(title, deep=False)) == "site_name"):
                # "<outlet's full name> - <its short name>": a <title> that only names the site
                site_name, title, page.title_line = title, None, None
                page.name_first = first
            page.title, page.site_name = title, site_name
    page.first_line = s0
    if page.title:
        page.title_hits = _title_printed_lines(page, cfg)


def _choose_block(page: _Page, cfg: TextCleanConfig) -> None:
    """Score the lines and choose the article's block: the candidate blocks are the maximum-sum
    segment, then recursively the best ones left and right of it (each a contiguous run of lines
    whose prose outweighs the chrome in it); neighbours that continue it join it."""
    order, concept, weight, title_line = page.order, page.concept, page.weight, page.title_line
    scores, comment_heads = _block_scores(page, cfg)
    page.scores = scores
    # (past long_chrome_run non-prose lines in a row each counts twice: a staff list or a gallery
    # strip does not carry the block to the prose beyond it)
    segs = _segments(scores, cfg.min_block_score, cfg.long_chrome_run)
    if segs:
        top = max(s[0] for s in segs)
        # the article follows its headline: when the <title> is printed in the page, the first
        # strong block after it wins over a bigger one further down (comment rules, legal text)
        anchor = next((i for i in page.title_hits if i != title_line), None)
        anchor_j = None if anchor is None else bisect_left(order, anchor)
        chosen = None
        if anchor_j is not None:
            near = [sg for sg in segs if sg[1] > anchor_j and sg[0] >= cfg.anchor_block_ratio * top]
            # (a photo gallery's captions under the headline, a bigger block further down: the
            # gallery's controls close or open the run of captions, which the article does not
            # take in as a neighbour either)
            galleries = [sg for sg in near if sg[0] < top and _gallery_captions(page, sg)]
            if galleries:
                near = [sg for sg in near if sg not in galleries]
                segs = [sg for sg in segs if sg not in galleries]
            if near:
                chosen = min(near, key=lambda sg: sg[1])
        if chosen is None:
            chosen = max(segs, key=lambda sg: sg[0])
            # a short article over a long reader's comment: the biggest block sits under the
            # comment section's header ("1 comment"), the article above it
            head = next((j for j in comment_heads if j < chosen[1]), None)
            if head is not None:
                above = [sg for sg in segs if sg[2] <= head and sg[0] >= cfg.above_comments_ratio * chosen[0]]
                if above:
                    chosen = max(above, key=lambda sg: sg[0])
        _, best_a, best_b = chosen
        best_b -= 1
        page.block.update(order[best_a:best_b + 1])
        for _, a2, b2 in _merge_neighbours(page, cfg, chosen, segs, anchor_j):
            page.block.update(order[a2:b2])
            best_a, best_b = min(best_a, a2), max(best_b, b2 - 1)
        page.best_a, page.best_b = best_a, best_b
        return
    # no prose at all: keep the longest non-rule line
    cand = [j for j, i in enumerate(order) if i not in concept and i != title_line]
    if cand:
        j = max(cand, key=lambda j: weight[order[j]])
        page.best_a = page.best_b = j
        page.block.add(order[j])


def _gallery_captions(page: _Page, seg: tuple[float, int, int]) -> bool:
    """The segment (score, start, end) is a photo gallery's captions: a gallery's control (its
    counter, "Hide caption") is the line right before or right after it."""
    order, concept = page.order, page.concept
    _, a, b = seg
    return ((a > 0 and concept.get(order[a - 1]) == _GALLERY)
            or (b < len(order) and concept.get(order[b]) == _GALLERY))


def _block_scores(page: _Page, cfg: TextCleanConfig) -> tuple[list, list[int]]:
    """Each line's score for the choice of the block (prose its weight, chrome a penalty, a
    section's header or the headline printed in the page a barrier no block crosses), and the order
    indices of the barriers that open a comment section: in C (tasks/_native.c block_scores) when
    built, else _block_scores_py."""
    if _native_block_scores is None:
        return _block_scores_py(page, cfg)
    rules = page.rules
    return _native_block_scores(
        page.order, page.lines, page.keys, page.key_count, page.prose, page.weight, page.term_of, page.concept,
        rules.reason_of, rules.section_of, _STRONG, -1 if page.title_line is None else page.title_line,
        _barrier_title_hits(page, cfg), page.boundaries, page.on_site, list(page.concept.values()).count("comment_author"),
        _INLINE_TEASER.search, _code_line, cfg.deep_match_chars, cfg.unpunctuated_cap, _BARRIER,
        -cfg.rule_penalty, -cfg.strong_rule_penalty, -cfg.short_penalty, -cfg.repeated_penalty)


def _barrier_title_hits(page: _Page, cfg: TextCleanConfig) -> set[int]:
    """The lines printing the <title> that no block crosses (the article starts after the headline):
    all but the later ones printed as a cell of a table, between two short lines that are no prose. An
    encyclopedia page names its subject again in a navigation box or table inside the article ("New
    Zealand" between "Countries" and "Cook Islands"), and the article goes on under it; a news page
    prints its headline again among other headlines (a "latest news" list), where the article ends."""
    hits = set(page.title_hits)
    later = sorted(i for i in hits if i != page.title_line)[1:]
    if not later:
        return hits
    lines, order, prose, short = page.lines, page.order, page.prose, cfg.nav_chars   # (short as a menu's lines)
    for i in later:
        j = bisect_left(order, i)
        if 0 < j < len(order) - 1 and all(not prose[k] and len(lines[k]) <= short for k in (order[j - 1], order[j + 1])):
            hits.discard(i)
    return hits


def _block_scores_py(page: _Page, cfg: TextCleanConfig) -> tuple[list, list[int]]:
    """_block_scores in Python: the twin of tasks/_native.c block_scores."""
    lines, order, concept, rules = page.lines, page.order, page.concept, page.rules
    keys, key_count, weight, prose, term_of = page.keys, page.key_count, page.weight, page.prose, page.term_of
    sec_of, reason_of = rules.section_of, rules.reason_of
    title_line, title_printed = page.title_line, _barrier_title_hits(page, cfg)
    boundaries, on_site, deep_chars = page.boundaries, page.on_site, cfg.deep_match_chars
    n_authors = list(concept.values()).count("comment_author")
    scores = []
    comment_heads = []      # order indices of the barriers that open a comment section
    for i in order:
        c = concept.get(i)
        if i == title_line:
            sc = -cfg.rule_penalty
        elif i in title_printed:
            sc = _BARRIER                      # the headline printed in the page: the article starts after it
        elif c is not None:
            # a section header (comments, related, author box) or a teaser stamp: no block crosses it
            # ("X said:" opens a comment only when the page repeats it: a quote intro says it once)
            # ("Related: <a headline>" is an inline teaser, not the header of a list)
            header = (c in sec_of and (c != "comment_author" or n_authors >= 2)
                      and (c == "comment_author" or _INLINE_TEASER.search(lines[i]) is None))
            # (a caption sits inside the article: it weighs as a short line does)
            sc = (_BARRIER if header or i in boundaries else
                  -(cfg.strong_rule_penalty if reason_of[c] in _STRONG else
                    cfg.short_penalty if reason_of[c] == "caption" else cfg.rule_penalty))
            if header and sec_of[c] == "comments":
                comment_heads.append(len(scores))
        elif i in on_site or (key_count[keys[i]] > 1 and not prose[i]):
            sc = -cfg.repeated_penalty
        elif prose[i] and not (weight[i] > deep_chars and _code_line(lines[i])):
            # a long line without sentence punctuation (a list of names, a tag cloud) counts
            # half, and only up to a cap: it cannot outweigh the article on its own
            # (program text, a script the dumper kept, is no prose at all: inside the article
            # it stays, as a short line does, but it makes no block of its own)
            sc = weight[i] if term_of[i] else min(weight[i], cfg.unpunctuated_cap) * 0.5
        else:
            sc = -cfg.short_penalty
        scores.append(sc)
    return scores, comment_heads


def _cut_tail(page: _Page, cfg: TextCleanConfig) -> None:
    """End the block where the article ended: at a line never inside an article (legal,
    newsletter, comment form), or a run of short lines no prose is in, followed by little prose
    (a promo box, the site's footer; in a language without tables, a share bar, a "read also"
    box and a comment header above the long comment rule that closes the page)."""
    best_a, best_b = page.best_a, page.best_b
    if best_a < 0 or best_b <= best_a:
        return
    lines, order, concept, block, rules = page.lines, page.order, page.concept, page.block, page.rules
    reason_of = rules.reason_of
    # the block's last tail_deep_lines lines, when a line never inside an article comes right
    # before them, get the costlier patterns too, on their first tail_deep_chars: a licence note
    # of 600 characters goes on after "© …", and says what it is up front
    last = [i for i in order[max(best_a, best_b - cfg.tail_deep_lines):best_b + 1] if i in block]
    cut = next((k for k in range(len(last) - 2, -1, -1) if reason_of.get(concept.get(last[k])) in _TAIL_CUT),
               None)
    if cut is not None:
        for i in last[cut + 1:]:
            if page.weight[i] > cfg.deep_match_chars and i not in concept:
                c = rules.match(lines[i][:cfg.tail_deep_chars], None, None, True)
                if c is not None:
                    concept[i] = c
    scores = page.scores
    gain = [max(scores[j], 0.0) if order[j] in block else 0.0 for j in range(best_a, best_b + 1)]
    total = sum(gain)
    before = 0.0
    cut = None
    section_of = rules.section_of
    for j in range(best_a, best_b + 1):
        c = concept.get(order[j])
        if c is not None and before > 0 and (
                reason_of[c] in _TAIL_CUT and total - before < cfg.tail_after_strong_ratio * before
                or section_of.get(c) == "related" and total - before < cfg.tail_after_run_ratio * before
                and _only_teasers_after(page, j, best_b)):
            cut = j
            break
        before += gain[j - best_a]
    # (the runs are found in one scan, the prefix sums in one pass: this runs on every page)
    prose = page.prose
    shorts = bytes([g == 0.0 and not prose[order[j]] for j, g in enumerate(gain, best_a)])
    sums = None
    for run in _short_runs(cfg.tail_short_run).finditer(shorts):
        k = run.start()
        if cut is not None and best_a + k >= cut:
            break
        sums = sums or list(accumulate(gain))
        head = sums[k - 1] if k else 0.0
        if (head > 0 and total - head < cfg.tail_after_run_ratio * head
                and sum(1 for x in gain[run.end():] if x > 0) <= 1
                and not _announced_list(page, best_a + k, best_a + run.end())
                and not _data_table(page, best_a + k, best_a + run.end())
                and not _box_printed_again(page, best_a + k, best_a + run.end(), cfg)):
            cut = best_a + k
            break
    if cut is not None:
        for x in order[cut:best_b + 1]:
            block.discard(x)
        best_b = cut - 1
        while best_b > best_a and order[best_b] not in block:
            best_b -= 1
        page.best_b = best_b


def _only_teasers_after(page: _Page, j: int, best_b: int) -> bool:
    """The block's lines after order[j] are headlines of other articles (headline-long, none a
    sentence closed by a full stop), not the article going on under a box of them ("Lire
    aussi" / a headline / the article's last paragraph)."""
    block, weight, lines = page.block, page.weight, page.lines
    return all(weight[i] <= _HEADLINE_CHARS and not _closes_a_statement(lines[i])
               for i in page.order[j + 1:best_b + 1] if i in block)


def _closes_a_statement(line: str) -> bool:
    """The line ends in a full stop (before its closing quotes), not an ellipsis's or an
    abbreviation's dot."""
    end = line.rstrip(CLOSER_CHARS)
    return end[-1:] in _FULL_STOPS and _NO_FULL_STOP_END.search(end) is None


def _announced_list(page: _Page, lo: int, hi: int) -> bool:
    """The short lines order[lo:hi] are the article's list, not a box after it: a sentence
    announces it ("… bietet Qualisys nicht an:", "Here is what made the difference for me:"),
    above them or as the run's own first line, and no rule tagged any of the items but a picture's
    caption (a screenshot's "Click to enlarge" between the steps)."""
    at = _list_intro(page, lo, hi)
    concept = page.concept
    return at is not None and not any(concept.get(i) not in _PICTURE_CONCEPTS for i in page.order[at + 1:hi])


def _list_intro(page: _Page, lo: int, hi: int) -> int | None:
    """The order index of the sentence announcing a list at order[lo]: the line above it, else
    order[lo] itself (a sentence short enough to be one of the run); None when neither announces,
    or when the second is not before order[hi]."""
    for at in (lo - 1, lo):
        if 0 <= at < min(hi, len(page.order)) and _announces(page, page.order[at]):
            return at
    return None


def _announces(page: _Page, i: int) -> bool:
    """Line i announces a list and no rule tagged it: a sentence ending in a colon, or a list's
    header (tasks/rules/article.yaml: "Ingredients", "Key points"). A box's header is a phrase of a
    word or three ("Read more:", "Читайте также:") or one a rule knows."""
    if i in page.concept:
        return False
    s, key = page.lines[i], page.keys[i]
    return (s[-1] in ":：" and _sentence_of_words(s)
            or len(key) <= _LIST_HEADER_CHARS and _list_header(key, page.rules.list_headers))


def _list_header(key: str, headers: frozenset) -> bool:
    """The line key is a list's header, alone or with the servings after it ("ingredients (serves
    4)", "zutaten für 4 personen"; not "what you need to know about …", a headline)."""
    if key in headers:
        return True
    if len(key) > _LIST_HEADER_CHARS or " " not in key or "(" not in key and _DIGIT.search(key) is None:
        return False
    words = key.split(" ", _LIST_HEADER_WORDS)
    return any(" ".join(words[:n]) in headers for n in range(1, min(len(words), _LIST_HEADER_WORDS + 1)))


def _sentence_of_words(s: str) -> bool:
    """The line's last sentence has four words or more, few of them twice: a sentence, not a
    toolbar run together ("Send by email Send Print Print Text size Text size Share it Share it:",
    a link's icon and text each, which a dumper may glue to the paragraph above)."""
    ends = list(_SENTENCE_END.finditer(s, 0, len(s) - 1))
    last = s[ends[-1].end() if ends else 0:]
    if _CJK_RE.search(last) is not None:
        # (written without spaces: characters count, "会议确定了以下几项措施：", not "分享到："; a
        # space parts headlines run together, "… 選前企業表態 調查：", not a sentence's words)
        return len(_CJK_RE.findall(last)) >= _LIST_INTRO_CJK_CHARS and " " not in last.strip()
    # (words with a letter or digit: French sets its colon apart, "La rédaction vous conseille :")
    words = [w for w in last.casefold().split() if any(map(str.isalnum, w))]
    return len(words) >= _LIST_INTRO_WORDS and len(set(words)) >= 0.8 * len(words)


_LIST_INTRO_WORDS = 4
_LIST_HEADER_CHARS = 40     # a list's header with words after it is at most this long
_LIST_HEADER_WORDS = 3      # ... and the header's own words are at most this many
_LIST_INTRO_CJK_CHARS = 6


def _announced_items(page: _Page, j: int, min_items: int) -> list[int]:
    """The list a sentence announces under the block that ends above order[j] ("The tour's 2020
    dates:"): the sentence itself when it comes right under the block (too short for prose: "会议
    确定了以下几项措施："), then the lines that no rule tagged and the page prints once; [] when
    fewer than `min_items` items."""
    order = page.order
    at = _list_intro(page, j, j + 1)
    if (at is None and j + 1 < len(order) and _list_item(page, order[j]) and not page.prose[order[j]]
            and _INLINE_TEASER.search(page.lines[order[j]]) is None):
        # (a link's line between the article and the sentence: "Hier geht's zur Facebook-
        # Veranstaltung" / "So sieht der vorläufige Timetable aus:"; not a teaser's "Read also: …")
        at = j + 1 if _announces(page, order[j + 1]) else None
    if at is None:
        return []
    # (no end but the first line that is not an item, unlike a run's)
    k = start = at + 1
    while k < len(order) and _list_item(page, order[k]):
        k += 1
    return order[j:k] if k - start >= min_items else []


def _list_item(page: _Page, i: int) -> bool:
    """Line i can be an item of an announced list: no rule tagged it, the page prints it once, it
    holds no "|" ("… | mehr", a box's links)."""
    return i not in page.concept and page.key_count[page.keys[i]] == 1 and "|" not in page.lines[i]


def _extend_head(page: _Page, cfg: TextCleanConfig) -> None:
    """A list announced right above the block opens the article there: a recipe's "Ingredients"
    and its items over the method's steps. The lines between the header and the block are its
    items: no rule's, each printed once, no "|" (a menu's), none of them the headline."""
    best_a = page.best_a
    if best_a <= 0:
        return
    order = page.order
    stop = set(page.title_hits)
    stop.add(page.title_line)
    j = best_a - 1
    while j >= max(0, best_a - cfg.merge_continued_gap_lines - 1):
        i = order[j]
        if i in stop or not _list_item(page, i):
            return
        if best_a - j > cfg.list_run and _announces(page, i):
            page.block.update(order[j:best_a])
            page.best_a = j
            return
        j -= 1


def _extend_tail(page: _Page, cfg: TextCleanConfig) -> None:
    """What continues the article right under its block: a numbered list or one a sentence
    announces, a short last sentence. Then the block's first and last line numbers."""
    lines, order, concept, block = page.lines, page.order, page.concept, page.block
    best_b = page.best_b
    if best_b >= 0:
        # a numbered list right after the article's last paragraph continues it ("… here are
        # the offers: / 1) … / 2) …"), as does one its last sentence announces ("The 2020
        # dates:"): a list of other articles comes under a header of its own
        listed = (_numbered_list_after(order, best_b + 1, lines, concept, cfg.list_run)
                  or _announced_items(page, best_b + 1, cfg.list_run))
        if listed:
            block.update(listed)
            best_b = bisect_left(order, listed[-1])
        # the article's short last sentence ("会议还研究了其他事项。", "He was 74."): a punctuated
        # line right under the block, no rule's and printed once, before chrome (not before prose)
        j = best_b + 1
        if (j < len(order) and order[j] not in concept and page.term_of[order[j]]
                and _closes_a_statement(lines[order[j]]) and len(lines[order[j]]) >= 8
                and page.key_count[page.keys[order[j]]] == 1 and order[j] != page.title_line
                and (j + 1 == len(order) or not page.prose[order[j + 1]])):
            block.add(order[j])
            best_b = j
        page.best_b = best_b
    page.a_line = order[page.best_a] if page.best_a >= 0 else len(lines)
    page.b_line = order[best_b] if best_b >= 0 else -1


def _headline_in_page(page: _Page, cfg: TextCleanConfig) -> None:
    """The headline printed in the page (the title's other copies are title_repeat); without a
    <title> line, the longest plain line shortly before the block."""
    lines, order, concept, reason, weight = page.lines, page.order, page.concept, page.reason, page.weight
    a_line, title_line = page.a_line, page.title_line
    page_title_line = None
    for i in page.title_hits:
        if i == title_line or weight[i] > 3 * cfg.max_title_chars:
            continue
        if page_title_line is None and i < a_line + 3:
            page_title_line = i
        else:
            reason[i] = "title_repeat"
    if page.title is None:
        head_zone = order[:bisect_left(order, a_line)]
        look = head_zone[-cfg.title_search_lines:] if head_zone else []
        # (under a <title> that only names the site, a CJK headline of six characters will do)
        short_cjk = page.rules.reason_of.get(concept.get(page.order[0])) == "site_name"
        shaped = [i for i in look if i not in concept and len(lines[i]) <= cfg.max_title_chars
                  and (15 <= len(lines[i]) or short_cjk and len(_CJK_RE.findall(lines[i])) >= 6)
                  and not prose_ratio_line(lines[i])]

        def no_date_nor_credit(i: int) -> bool:
            return not _date_line(lines[i], page.dates_mod) and parse_credit_line(lines[i], cfg.rules_dir) is None

        # the longest that is no date nor credit (the first of equals), those costlier tests made
        # only on the lines the choice looks at
        page_title_line = next((i for i in sorted(shaped, key=lambda i: -weight[i]) if no_date_nor_credit(i)), None)
        if page_title_line is not None:
            # the headline right above its longer standfirst
            j = bisect_left(order, page_title_line)
            if (j > 0 and order[j - 1] in shaped and 2 * weight[order[j - 1]] >= weight[page_title_line]
                    and no_date_nor_credit(order[j - 1])):
                page_title_line = order[j - 1]
            page.title = lines[page_title_line]
            keys = page.keys
            for i in compress(range(len(lines)), map(keys[page_title_line].__eq__, keys)):
                if i != page_title_line:
                    reason[i] = "title_repeat"
        elif page.name_first is not None:
            page.title, title_line = lines[page.name_first], page.name_first     # better than no title at all
            page.title_line = title_line
    if title_line is not None:
        reason[title_line] = "title"
        if page_title_line is not None:
            reason[page_title_line] = "title_repeat"
            # a page headline that is the <title> without its suffix is the better title
            if len(lines[page_title_line]) < len(page.title) + 5:
                page.title = lines[page_title_line]
            if page.site_name is None:
                # the <title> line is the headline with the site before it (split_title_site
                # cuts only suffixes: a short head is as often a section as a site)
                page.site_name = site_around_headline(lines[title_line], lines[page_title_line])
    elif page_title_line is not None:
        reason[page_title_line] = "title"
    page.block.discard(page_title_line)
    page.page_title_line = page_title_line


def _dates(page: _Page, cfg: TextCleanConfig) -> None:
    """page_date (a date in the chrome above the headline: a today's-date widget) and
    published_at (a date stated with or right under the headline, or on a "Published:" line, also one
    under the article)."""
    lines, order, concept, reason, block, prose = page.lines, page.order, page.concept, page.reason, page.block, page.prose
    reason_of, dates_mod = page.rules.reason_of, page.dates_mod
    a_line, page_title_line = page.a_line, page.page_title_line
    page_date = published_at = stamp_over = None
    anchor = page_title_line if page_title_line is not None else a_line
    # where dates are looked for: the top of the page (date widgets) and around the headline
    top = set(order[:cfg.date_top_lines])
    near_lo = min(anchor, a_line) - cfg.date_near_lines
    for i in order:
        if i > a_line + 2:
            break
        if i < near_lo and i not in top:
            continue
        if i in reason or (i in block and prose[i]):
            continue
        s = lines[i]
        c = concept.get(i)
        if c is not None and reason_of[c] == "metadata":
            h = _date_in(s, dates_mod)
            if h is not None and published_at is None:
                published_at = _to_datetime(h)
            continue
        if c is not None and reason_of[c] != "navigation":
            continue
        h = _date_only(s, dates_mod)
        if h is None and (not _looks_like_date(s) or _only_years(s)):
            continue
        before = i < anchor and (page_title_line is not None or i < a_line)
        if h is None or h.calendar != "gregorian":
            if before and h is None and _stamp_over_headline(page, i, anchor, cfg):
                before = False      # ("Tuesday, 13 May 2014, by Jane Doe" / <headline>)
            reason[i] = "date_widget" if before else "metadata"
            if h is None and not before and published_at is None:
                # a stamp under the headline with labels of no table ("Giriş: 21.11.2024 14:02
                # Güncelleme: …"): its first date is the publication's
                h = _date_in(s, dates_mod)
                if h is not None:
                    published_at = _to_datetime(h)
            continue
        if before and _stamp_over_headline(page, i, anchor, cfg):
            reason[i] = "metadata"
            if stamp_over is None:
                stamp_over = _to_datetime(h)    # (a stamp under the headline, or a labelled one, first)
        elif before:
            reason[i] = "date_widget"
            if page_date is None:
                page_date = h.date
        else:
            reason[i] = "metadata"
            if published_at is None:
                published_at = _to_datetime(h)
    if dates_mod is not None and published_at is None:
        # a short "Name — date" line next to the headline states the publication date: under it,
        # else right over it ("08.03.2016 | 15:30 Uhr" / <headline>), below the page's first lines
        lo = (page_title_line if page_title_line is not None else a_line - 3)
        k_anchor = bisect_left(order, anchor)
        over = order[max(k_anchor - cfg.date_stamp_lines, cfg.date_widget_lines):k_anchor]
        for i in chain(order[bisect_right(order, lo):bisect_right(order, a_line + 2)], over):
            if i in reason:
                continue
            if len(lines[i]) <= 80 and not prose[i]:
                h = _date_in(lines[i], dates_mod)
                if h is not None:
                    published_at = _to_datetime(h)
                    reason[i] = "metadata"
                    break
    if dates_mod is not None and published_at is None and "published" in concept.values():
        # a "Published: <date>" stamp further down, in the article or right under it ("نشر في: …")
        window = order[bisect_right(order, a_line + 2):bisect_right(order, page.b_line) + cfg.date_near_lines]
        ends = next((k for k, i in enumerate(window) if reason_of.get(concept.get(i)) in _SECTIONS_AFTER), None)
        # (the stamps after a related list's header or a comment are other articles' or the comments')
        stamps = [i for i in window[:ends] if concept.get(i) == "published"]
        if len(stamps) < 3:     # (three or more: a list of teasers, each with its stamp)
            h = next(filter(None, (_date_in(lines[i], dates_mod) for i in stamps)), None)
            published_at = _to_datetime(h) if h is not None else None
    published_at = published_at or stamp_over
    if dates_mod is not None:
        # a date alone on a line of the block ("14. May 2019" under the byline, a comment's or a
        # teaser's date further down) is a stamp, not the article's text; the story's when it
        # stands in the block's first lines
        k_article = bisect_left(order, a_line)
        first_lines = set(order[k_article:k_article + cfg.date_stamp_lines + 2])
        for i in sorted(i for i in block if len(lines[i]) <= cfg.date_alone_chars and i not in reason):
            h = _date_only(lines[i], dates_mod)
            if h is not None and h.calendar == "gregorian" and h.end - h.start >= 0.8 * len(lines[i].strip()):
                reason[i] = "metadata"
                block.discard(i)
                if published_at is None and i in first_lines:
                    published_at = _to_datetime(h)
    page.page_date, page.published_at = page_date, published_at


def _stamp_over_headline(page: _Page, i: int, anchor: int, cfg: TextCleanConfig) -> bool:
    """A date right over the headline (or the article), below the page's first lines, is the
    story's ("NEWS" / "24 September 2019" / <headline>): a today's-date widget heads the page, and
    a date after another is a dated list's (events, teasers)."""
    order = page.order
    k = bisect_left(order, i)
    return (k >= cfg.date_widget_lines and bisect_left(order, anchor) - k <= cfg.date_stamp_lines
            and page.reason.get(order[k - 1]) not in ("date_widget", "metadata"))


def _site_name_in_page(page: _Page) -> None:
    """The site's name where the page prints it, when the <title> named none: the masthead
    above the article (the credit below tells the outlet from its place by it)."""
    if page.site_name is not None:
        return
    lines, order, concept, reason_of, a_line = page.lines, page.order, page.concept, page.rules.reason_of, page.a_line
    for i in order:
        if i >= a_line:
            break
        c = concept.get(i)
        if c is not None and reason_of[c] == "site_name" and _brand_cased(lines[i]):
            page.site_name = lines[i]
            return
    # a masthead of no known shape ("المشهد اليمني") among the page's first lines that the
    # copyright line names again, as whole words
    notice = " ".join(lines[i] for i, c in concept.items() if i > page.b_line and reason_of[c] == "copyright")
    if notice:
        head = [i for i in order[:3] if i < a_line and i != page.title_line and i != page.page_title_line]
        named = [lines[i] for i in head if 3 <= len(lines[i]) <= 40 and len(lines[i].split()) <= 4
                 and _has_words(notice, lines[i])]
        if named:
            page.site_name = max(named, key=len)


def _brand_cased(line: str) -> bool:
    """Where letters have case, an outlet prints its name's last word with a capital ("Yahoo
    News", "The Daily Star") or as a domain: "Unread news" and "Compose post" are a menu's items."""
    words = line.split()
    return "." in line or not words or not words[-1][:1].islower()


def _credit_line(page: _Page, cfg: TextCleanConfig) -> None:
    """The dateline / byline on a line of its own between the headline and the article (or in
    the block's first lines, under a standfirst)."""
    lines, order, concept, reason = page.lines, page.order, page.concept, page.reason
    reason_of, page_title_line = page.rules.reason_of, page.page_title_line
    # the outlet, to tell it from a place in "عنب بلدي – خاص": the site's name, else the page's
    # first line (a masthead) when that is not the <title>
    outlet = page.site_name if page.site_name is not None or order[0] == page.title_line else lines[order[0]]
    start = (page_title_line + 1) if page_title_line is not None else max(page.a_line - 3, 0)
    last = next(iter(order[bisect_right(order, page.a_line) + cfg.credit_block_lines - 1:]), len(lines))
    byline = credit_at = outlet_at = None
    # (a headline printed in a menu far above the article leaves a long gap: what lies deep inside
    # it, far from both the headline and the article, is the menu's: "Von Wiener Walzer und …")
    k_start, k_article = bisect_left(order, start), bisect_left(order, page.a_line)
    for k in range(k_start, len(order)):
        i = order[k]
        if i in reason and reason[i] != "metadata":
            continue        # (a dated line may be a wire credit: "باريس 03 … 23 نوفمبر 2026 م واس")
        if i > last:
            break
        if k - k_start > cfg.credit_reach_lines and k_article - k > cfg.credit_reach_lines:
            continue
        if byline is None and (i in reason or reason_of.get(concept.get(i)) == "metadata"):
            byline = byline_after_date(lines[i], cfg.rules_dir)    # "Posted on <date> by Jane Doe"
        if concept.get(i) is not None and reason_of[concept[i]] not in ("site_name", "section_label"):
            continue
        got = parse_credit_line(lines[i], cfg.rules_dir, outlet)
        if got is not None and (got[0] or got[1]) and (got[0] or i not in reason):
            if (outlet_at is None and not got[0] and outlet is not None
                    and got[1].casefold() == outlet.strip().casefold()):
                outlet_at, outlet_credit = i, got[1]    # "المصدر: النهار العربي": a reporter's credit may follow
                continue
            page.dateline, byline = got
            reason[i] = "dateline" if got[0] else "byline"
            page.block.discard(i)
            credit_at = i
            break
    if outlet_at is not None:
        if credit_at is None:
            byline, reason[outlet_at] = outlet_credit, "byline"
        else:
            reason[outlet_at] = "site_name"
        page.block.discard(outlet_at)
    if page.dateline is None and byline is not None and credit_at is not None:
        # the credit, then the place the story is filed from before its date ("Por Ana García" /
        # "Madrid, 24 nov 2026 - 13:45 CET")
        k = bisect_right(order, credit_at)
        for j in order[k:k + 2]:
            place = _place_before_date(lines[j], page.dates_mod)
            if place is not None:
                page.filed_from = place      # (a dateline glued to the first paragraph comes first)
                break
    if byline is None and page_title_line is not None:
        # a name alone under the headline that the page credits elsewhere ("Reporting by <name>")
        under = order[bisect_right(order, page_title_line):bisect_left(order, page.a_line)][:cfg.lead_max_lines]
        names = [i for i in under if i not in concept and i not in reason and name_shaped_line(lines[i])]
        text = "\n".join(lines[page.a_line:]) if names else ""
        i = next((i for i in names if name_credited_in(lines[i], text, cfg.rules_dir)), None)
        if i is None:
            # or one right above the article's date stamp ("Damien Gayle" / "Mon 22 Jul 2019 13.45
            # BST", "محمد السيد" / "الإثنين، 15 يوليو 2019"): a picture's caption naming the story's
            # subject stands by its picture, and what follows the stamp is a section's label or a
            # subheading as often as a name
            i = next((i for i in names if _above_stamp(page, i) and not _printed_above(page, i)), None)
        if i is not None:
            byline, reason[i] = lines[i], "byline"
            page.block.discard(i)
    page.byline = byline


def _above_stamp(page: _Page, i: int) -> bool:
    """The line under line i is a date stamp _dates took (the publication date's)."""
    if page.published_at is None:
        return False
    k = bisect_right(page.order, i)
    if k == len(page.order):
        return False
    j = page.order[k]
    # (a stamp a rule labels, "פורסם: 25.11.24, 16:05", keeps its concept's reason for later)
    stamp = page.reason.get(j) == "metadata" or page.rules.reason_of.get(page.concept.get(j)) == "metadata"
    return stamp and _date_in(page.lines[j], page.dates_mod) is not None


def _printed_above(page: _Page, i: int) -> bool:
    """Line i's text stands on a line above it too: a section's label, in the menu and again over
    the date stamp ("Kosmetyczne ABC"), not a reporter's name (which a desk may print again under
    the stamp: "Telegraph Sport")."""
    keys = page.keys
    return page.key_count[keys[i]] > 1 and keys[i] in {keys[j] for j in page.order[:bisect_left(page.order, i)]}


def _place_before_date(line: str, dates_mod) -> str | None:
    """"Madrid, 24 nov 2026 - 13:45" -> "Madrid", "القاهرة، 24 نوفمبر 2026" -> "القاهرة": a line that
    is a date with a place of one to three capitalised words (where the script has case) and a comma
    before it (a weekday is part of the date: no place)."""
    h = _date_only(line, dates_mod)
    if h is None or h.start == 0:
        return None
    head, comma, rest = line[:h.start].rstrip(" -–—").replace("،", ",").rpartition(",")
    place = head.strip()
    if (not comma or rest.strip() or not place or len(place) > 30 or len(place.split()) > 3
            or not capitalised_words(place) or _DIGIT.search(place) is not None):
        return None
    return place


def _lead_lines(page: _Page, cfg: TextCleanConfig) -> None:
    """The lines between the headline and the block that belong to the article (subtitle,
    standfirst)."""
    page_title_line, a_line = page.page_title_line, page.a_line
    if page_title_line is None or page_title_line >= a_line:
        return
    lines, keys, key_count, reason, concept, on_site = (page.lines, page.keys, page.key_count, page.reason,
                                                         page.concept, page.on_site)
    block, weight = page.block, page.weight
    between = [i for i in page.order if page_title_line < i < a_line]
    if len(between) <= cfg.lead_max_lines:
        # (a subtitle printed twice around its photo caption is still the subtitle: a line
        # repeated only here is kept once)
        here: dict[str, int] = {}
        for i in between:
            here[keys[i]] = here.get(keys[i], 0) + 1
        taken = set()
        for i in between:
            k = keys[i]
            if i in reason or i in concept or i in on_site or key_count[k] > here[k] or k in taken:
                continue
            if weight[i] >= 25 and len(lines[i].split()) >= 3 or (page.page_cjk and weight[i] >= 25):
                block.add(i)
                taken.add(k)
    elif len(between) <= cfg.date_near_lines:
        # more lines between (credit, date, photo copyright, caption): only a standfirst
        # that reads as prose, right under the headline, before any of them
        for i in between:
            if i in reason or i in concept or i in on_site or key_count[keys[i]] > 1:
                break
            if page.prose[i] and page.term_of[i]:
                block.add(i)
    # a list under the headline and its standfirst, before the credit: "Key points:" and its items
    k = next((k for k, i in enumerate(between) if i not in block), None)
    if k is not None and _announces(page, between[k]):
        items = list(takewhile(lambda i: i not in reason and i not in on_site and _list_item(page, i),
                               between[k + 1:]))
        if len(items) >= cfg.list_run:
            block.add(between[k])
            block.update(items)


def _author_box(page: _Page, cfg: TextCleanConfig) -> None:
    """An author box closing the block: "Jane Doe" then a line or two of bio. A bio that opens
    with the name ("Jane Doe is ...", "Jane is ...") is surely one: it may be longer, and lines a
    rule already took (a comment form after the box) do not hide it. Any other needs the name to be
    the page's author's (`_the_author`)."""
    lines, concept, reason, block = page.lines, page.concept, page.reason, page.block
    in_block = sorted(block)        # (the block holds line numbers of non-blank lines: page.order's)
    if len(in_block) < cfg.bio_min_block_lines:
        return
    plain = [i for i in in_block if i not in concept and i not in reason]
    tail = in_block[-(cfg.bio_max_lines + 1):]
    tail_plain = plain[-(cfg.bio_max_lines + 1):]
    cands = [(i, tail[k + 1:]) for k, i in enumerate(tail[:-1]) if i not in concept]
    cands += [(i, tail_plain[k + 1:]) for k, i in enumerate(tail_plain[:-1])
              if _opens_with_name(lines[tail_plain[k + 1]], lines[i])]
    for i, rest in cands:
        opens = _opens_with_name(lines[rest[0]], lines[i])
        # (a line in capitals is a subheading as often, "WHAT HAPPENS NEXT": a name only when the bio
        # under it opens with it)
        if (name_shaped_line(lines[i], cased=True) and not page.term_of[i] and (opens or not lines[i].isupper())
                and sum(len(lines[x]) for x in rest) <= cfg.bio_max_chars * (3 if opens else 1)
                and (opens or _the_author(page, i, cfg))):
            reason[i] = "byline"
            for x in rest:
                reason[x] = "byline"
                block.discard(x)
            block.discard(i)
            return
    if plain:
        _bio_of_the_byline(page, plain[-1], cfg)


def _the_author(page: _Page, i: int, cfg: TextCleanConfig) -> bool:
    """The name on line i is the page's author's: the line is a credit itself ("Von Jane Doe"), the
    byline holds the name, the page prints it between its headline and the article, or credits it
    elsewhere ("By Jane Doe"). A subheading shaped like a name ("Finished Terrarium") is none of
    these."""
    name = page.lines[i]
    if name.casefold() in (page.byline or "").casefold() or credited_name(page.keys[i], cfg.rules_dir):
        return True
    head = max((t for t in page.title_hits if t < page.a_line), default=None)
    if head is not None and page.keys[i] in page.keys[head + 1:page.a_line]:
        return True
    return name_credited_in(name, page.norm, cfg.rules_dir)


def _bio_of_the_byline(page: _Page, i: int, cfg: TextCleanConfig) -> None:
    """The block's last line is the author's bio without a name line over it: it opens with a name
    and a copula ("Mark di Stefano is a breaking news reporter for …"), and the page prints that
    name as its author elsewhere, on a line of its own or after a credit word ("By Mark Di Stefano",
    "Von …" over the article or under the bio; not the outlet after the author's name, "USA TODAY is
    now using …"). A closing paragraph about someone the article quotes names no author."""
    s = page.lines[i]
    if len(s) > cfg.bio_max_chars * 3:
        return
    words = s.split(None, _BIO_NAME_WORDS + 1)
    at = next((k for k, w in enumerate(words[1:_BIO_NAME_WORDS + 1], 1) if w in _BIO_COPULAS), None)
    if at is None or not all(w[:1].isupper() or w in _NAME_PARTICLES for w in words[:at]) or not words[0][:1].isupper():
        return
    name = " ".join(words[:at]).casefold()
    byline = (page.byline or "").casefold()
    # (a line of the name alone that a rule tagged is the outlet's: "USA TODAY" as the site's name;
    # a credit word before the name is any language's: "By …", "Von …", "كتب …")
    keys, concept, extra_dir = page.keys, page.concept, cfg.rules_dir
    if byline.startswith(name) or (credited_name(byline, extra_dir) or "").startswith(name) or any(
            keys[j] == name and j not in concept or credited_name(keys[j], extra_dir) == name
            for j in page.order if j != i):
        page.reason[i] = "byline"
        page.block.discard(i)


_BIO_NAME_WORDS = 4         # an author's name has at most this many words
# lower-case words inside a name ("Mark di Stefano", "Ursula von der Leyen")
_NAME_PARTICLES = frozenset({"de", "di", "da", "del", "della", "der", "den", "van", "von", "la", "le", "du",
                             "dos", "das", "al", "el", "bin", "ibn", "ben"})


def _deep_patterns_off_block(page: _Page) -> None:
    """The costlier patterns for the longer lines left outside the article (memoized per line);
    inside it, for a line that ends in a picture's credit ("… (Quelle: Fleischmann/Unsplash/DJV)",
    "…© Bundesregierung/Steffen Kugler", "….Credit...Doug Mills/The New York Times"), the caption's
    only, and for a summary cut off before its link ("… sounds,... Read more"), the teaser's."""
    lines, concept, reason, block, rules = page.lines, page.concept, page.reason, page.block, page.rules
    deep = _deep_cache(rules)
    copyright_sign = "©" in page.norm
    tagged_keys = {}
    for i in page.long_lines:
        s = lines[i]
        inside = i in block
        if inside and s[-1] in _TERMINAL:
            continue    # (a paragraph closed by a sentence's end is no credit, no link: most of them)
        if _said_over(s) and i not in concept and i not in reason:
            concept[i] = _TEASER        # a link's text, title and picture's alt printed in one line
            continue
        cut_off = False
        if inside:
            cut_off = _cut_off_before_a_link(s)
            if not (cut_off or _may_end_in_credit(s, copyright_sign)):
                continue
        if i in concept or i in reason:
            continue
        c = deep.get(s, _MISSING)
        if c is _MISSING:
            c = rules.match(s, page.keys[i], None, True)
            if len(s) <= _CACHE_LINE_MAX:
                deep[s] = c
        if c is not None and inside and rules.reason_of[c] == "copyright" and _ends_in_picture_credit(s):
            # "… teil © BMFSFJ": the sign credits the picture (a "© X/Y" credit is the caption
            # concept's own, which comes before copyright in the tables)
            c = _CAPTION
        if c is not None and (not inside or rules.reason_of[c] == "caption"
                              or cut_off and rules.reason_of[c] == "teaser"):
            concept[i] = c
            if not inside and page.key_count[page.keys[i]] > 1:
                tagged_keys[page.keys[i]] = c
    if tagged_keys:
        # the same text inside the block is the same box printed twice (a newsletter's consent
        # line above the article and under it): the rule that tagged one copy tags the other
        keys = page.keys
        for i in block:
            if i not in concept and keys[i] in tagged_keys:
                concept[i] = tagged_keys[keys[i]]


def _said_over(s: str) -> bool:
    """The line is one headline-long phrase printed two or three times over ("How to Defeat the
    Urge to Binge Shop How to Defeat the Urge to Binge Shop How to Defeat …"): a headline's link
    whose title and picture's alt text the dumper kept with its text, in a list of other articles."""
    # (the line's spaces are single: a copy starts right after the first copy and a space)
    n = len(s) + 1
    if not (not n % 2 and s[n // 2] == s[0] or not n % 3 and s[n // 3] == s[0]):
        return False            # (most lines: one look where a copy would start)
    for times in (2, 3):
        part, left = divmod(n, times)
        if (not left and part <= _HEADLINE_CHARS + 1 and s.startswith(s[:min(_SAID_OVER_PROBE, part - 1)], part)
                and " " in s[:part - 1] and s == " ".join([s[:part - 1]] * times)):
            return True
    return False


_SAID_OVER_PROBE = 8           # the characters compared first where a copy would start


def _cut_off_before_a_link(s: str) -> bool:
    """The line, which ends in no sentence's end, breaks off in an ellipsis a few words before its
    end ("… sights, sounds,... Read more"): another article's summary over its link, which the
    teaser patterns name."""
    tail = len(s) - _LINK_TAIL_CHARS
    return s.find("...", tail) >= 0 or s.find("…", tail) >= 0


_LINK_TAIL_CHARS = 30          # a "Read more" link after a summary's ellipsis, in the line's last characters


def _may_end_in_credit(s: str, copyright_sign: bool) -> bool:
    """The tail of the line, which ends in no sentence's end, can be a picture's credit: a closing
    bracket, a "©" (looked for only when the page has one), a photographer's "Name/Agency" or a
    licence's "CC" in it."""
    tail = len(s) - _CREDIT_TAIL_CHARS
    return (s[-1] == ")" or copyright_sign and s.find("©", tail) >= 0 or s.find("/", tail) >= 0
            or s.find("CC", tail) >= 0)        # (a Creative Commons licence: "… klicken. CC-BY-SA 2.0")


def _caps_headlines(page: _Page, cfg: TextCleanConfig) -> None:
    """Inside the article, a line of capitals only, of `caps_headline_words` words and
    `caps_headline_chars` characters or more and no sentence's end, is another story's headline
    linked between the paragraphs ("SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'"): a
    subheading is shorter ("NEXOS DE JOH CON “EL CHAPO” GUZMÁN"). Not on a page whose paragraphs
    are written in capitals too."""
    lines, reason, block, concept = page.lines, page.reason, page.block, page.concept
    caps = [i for i in block if i not in reason and i not in concept and _in_capitals(lines[i])
            and lines[i][-1] not in _TERMINAL and len(lines[i]) >= cfg.caps_headline_chars
            and _words_with_letters(lines[i]) >= cfg.caps_headline_words]
    if caps and any(page.prose[i] and not _in_capitals(lines[i]) for i in block):
        for i in caps:
            reason[i] = "teaser"


def _in_capitals(s: str) -> bool:
    """Every word of the line that has a letter written in capitals. (`str.isupper` alone holds for
    a line of a script without case that names "CNN" once: an Arabic article's lead.)"""
    return s.isupper() and all(map(str.isupper, _lettered_words(s)))


def _words_with_letters(s: str) -> int:
    """How many of the line's words hold a letter ("IBAN: DE54 5205 0353" has two)."""
    return len(_lettered_words(s))


def _lettered_words(s: str) -> list[str]:
    return [w for w in s.split() if any(map(str.isalpha, w))]


def _ends_in_picture_credit(s: str) -> bool:
    """A "©" in the line's tail followed by a short credit that is no sentence ("… teil © BMFSFJ",
    "… im Lichtreaktor.© Brandon Martin/ Rice University"): inside an article, a picture's caption.
    (Not a misdecoded "é", "CÃ´tÃ© has always suffered from …": a sentence goes on after it.)"""
    k = s.rfind("©")
    if k < _CAPTION_MIN_CHARS or len(s) - k > _CREDIT_TAIL_CHARS:
        return False
    credit = s[k + 1:].strip()
    return bool(credit) and credit[-1] not in _TERMINAL and len(credit.split()) <= _CREDIT_WORDS


def _refrain(page: _Page, key: str) -> bool:
    """Whether the paragraph of match key `key`, printed more than once, is the article's own
    refrain: every copy inside the block and no other paragraph (prose line) between two copies,
    chrome aside ("Lorem ipsum …" three times over, a share bar between two of them). A page that
    repeats a paragraph that way means it, and a copy of the page's text keeps every one. A second
    copy of the article, a pull quote printed again where the text reaches it, an ad repeated
    between the paragraphs, a teaser's headline (its summary follows it) all have other text
    between their copies."""
    keys, prose, block = page.keys, page.prose, page.block
    seen = between = False
    for i in page.order:
        if keys[i] == key:
            if i not in block or between:
                return False
            seen = True
        elif seen and prose[i]:
            between = True
    return True


def _paragraphs_and_reasons(page: _Page, cfg: TextCleanConfig) -> tuple[list[str], list[RemovedLine]]:
    """The block's lines as paragraphs (a dateline / byline glued to the first one cut off it),
    every other line with the most specific reason available: in C (tasks/_native.c
    paragraph_reasons) when built, else _paragraphs_and_reasons_py."""
    if _native_paragraph_reasons is None:
        return _paragraphs_and_reasons_py(page, cfg)

    def glue(s: str) -> str:
        return _glued_credit(page, s, cfg) if page.dateline is None else s

    return _native_paragraph_reasons(
        page.order, page.lines, page.keys, page.key_count, page.prose, page.weight, page.concept, page.reason,
        page.block, page.on_site, page.rules.section_of, page.rules.reason_of, _SOFT, page.a_line, page.b_line,
        cfg.nav_run, cfg.nav_chars, cfg.list_run, _COUNTER_CHARS, glue, partial(_refrain, page), RemovedLine)


def _paragraphs_and_reasons_py(page: _Page, cfg: TextCleanConfig) -> tuple[list[str], list[RemovedLine]]:
    """_paragraphs_and_reasons in Python: the twin of tasks/_native.c paragraph_reasons."""
    lines, order, concept, reason, block = page.lines, page.order, page.concept, page.reason, page.block
    keys, key_count, prose, weight, on_site = page.keys, page.key_count, page.prose, page.weight, page.on_site
    sec_of, reason_of = page.rules.section_of, page.rules.reason_of
    a_line, b_line = page.a_line, page.b_line
    paragraphs: list[str] = []
    removed: list[RemovedLine] = []
    section = None
    nav_run, nav_chars, list_run = cfg.nav_run, cfg.nav_chars, cfg.list_run
    # runs of short lines / headline-like lines (menus, lists of other articles)
    run_len: dict[int, int] = {}
    outside = bytes([not prose[i] and i not in block for i in order])     # 1: short line off the block
    for m in _RUN_OF_ONES.finditer(outside):
        a, b = m.span()
        run_len.update(dict.fromkeys(order[a:b], b - a))
    credit_open = True         # the glued credit is looked for in the first paragraph (or under its lead)
    kept_keys: set[str] = set()
    last_kept = None            # the match key of the paragraph kept last
    block_count: dict[str, int] = {}
    for i in block:
        block_count[keys[i]] = block_count.get(keys[i], 0) + 1
    for i in order:
        s = lines[i]
        r = reason.get(i)
        c = concept.get(i)
        if c is not None and c in sec_of and i not in block:
            section = sec_of[c] if i > a_line else section
        if r is None and i in block:
            if c is not None and not (c in _SOFT and _isolated(i, block, concept, order)):
                r = reason_of[c]
            elif i in on_site:
                r = "repeated_on_site"
            elif key_count[keys[i]] > 1 and ((not prose[i] and weight[i] < 60
                                              and (block_count.get(keys[i], 0) > 1 or key_count[keys[i]] > 2))
                                             or (keys[i] in kept_keys
                                                 and not (prose[i] and keys[i] == last_kept and _refrain(page, keys[i])))):
                # a short line repeated inside the article or all over the page (not a subheading
                # that a table of contents also lists), or a paragraph printed twice (a second copy
                # of the article, a pull quote), unless it is the article's own refrain: printed again
                # under the copy kept last, nothing kept between them
                r = "repeated_in_page"
            elif prose[i] and "0" <= keys[i] < ":" and key_count.get(keys[i].lstrip(_COUNTER_CHARS), 0):
                # printed again behind a counter's digit ("0Сегодня в …"; "0" <= key < ":": a key
                # that starts with a digit, tested without a slice)
                r = "repeated_in_page"
            else:
                if key_count[keys[i]] > 1:
                    kept_keys.add(keys[i])
                last_kept = keys[i]
                if credit_open:
                    credit_open = i < a_line        # a standfirst above the block: the next one may carry it
                    if page.dateline is None:
                        s = _glued_credit(page, s, cfg)
                paragraphs.append(s)
                section = None      # (an inline box's section ends where the article goes on)
                continue
        if r is None:
            if c is not None:
                r = reason_of[c]
            elif i in on_site:
                r = "repeated_on_site"
            elif section == "comments" and i > b_line:
                r = "user_comment"
            elif section == "related":
                r = "related_links"
            elif key_count[keys[i]] > 1 and not prose[i]:
                r = "repeated_in_page"
            elif run_len.get(i, 0) >= nav_run and weight[i] <= nav_chars:
                r = "navigation"
            elif i > b_line and run_len.get(i, 0) >= list_run:
                r = "related_links"
            elif prose[i]:
                r = "off_block"
            elif i < a_line:
                r = "header_zone"
            else:
                r = "footer_zone"
        removed.append(RemovedLine(i + 1, s, r))
    return paragraphs, removed


def _inline_counters_cut(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the number a per-paragraph widget (a comment count by each paragraph)
    glued before their first word: "0Сегодня в …", "0«Мы …", "0В Москве …". A number is such a
    counter when it is glued, the same, before a capitalized word (a capital, then a small letter) of
    two paragraphs or more. Footnote marks ("22Sometimes …", "23If …") differ from one paragraph to the
    next; "3D printers" is no capitalized word; a year before a word of a script without case
    ("2012年…") is not read as one."""
    if sum(map(str.isdigit, "".join([p[:1] for p in paragraphs]))) < 2:
        return paragraphs           # (most pages: no two paragraphs open with a digit)
    glued = [(m.group(1), m.group(3).islower()) if (m := _GLUED_COUNTER.match(p)) and m.group(2).isupper() else None
             for p in paragraphs]
    counters = {n for n, k in Counter(n for n, word in filter(None, glued) if word).items() if k >= 2}
    if not counters:
        return paragraphs
    return [p[len(g[0]):] if g is not None and g[0] in counters else p for p, g in zip(paragraphs, glued)]


def _glued_credit(page: _Page, s: str, cfg: TextCleanConfig) -> str:
    """The paragraph without the dateline / byline glued to its start (they go to the page's
    fields; under a byline line, a place or the outlet's own name may still open the article:
    "JAKARTA - …", "شفق نيوز/ …")."""
    d, b, rest = split_dateline_byline(s, cfg.rules_dir, page.site_name)
    if not (d or b) or page.byline is not None and not d and not names_outlet(b, page.site_name):
        return s        # (the outlet's own name is cut off under a reporter's byline too)
    if page.published_at is None:
        # "رام الله 23-11-2026 وفا- …": the date a dateline carries
        h = _date_in(s[:len(s) - len(rest)], page.dates_mod)
        page.published_at = _to_datetime(h) if h is not None else None
    page.dateline, page.byline = d, page.byline or b
    return rest


def _numbered_list_after(order: list[int], j: int, lines: list[str], concept: dict, min_items: int) -> list[int]:
    """The items of a list numbered 1, 2, 3 … that starts at order[j] (lines between two items
    that a rule calls junk, such as the item's link, are skipped, not taken); [] when fewer than
    `min_items` items."""
    items, expected = [], 1
    while j < len(order):
        i = order[j]
        m = _LIST_ITEM.match(lines[i])
        if m and int(m.group(1)) == expected:
            items.append(i)
            expected += 1
        elif not (items and concept.get(i) == "junk"):
            break
        j += 1
    return items if len(items) >= min_items else []


def _title_printed_lines(page: _Page, cfg: TextCleanConfig) -> list[int]:
    """The lines that print the page's <title> (`title`, cut from `first_line`): its key, not much
    longer, found in one C-level pass over the keys; else the headline as dumps often print it."""
    title, first_line, title_line, lines, keys = page.title, page.first_line, page.title_line, page.lines, page.keys
    idx, prose, term_of = page.order, page.prose, page.term_of
    n_lines = len(lines)
    title_key = line_key(title)
    title_keys = {title_key, line_key(first_line)}
    hits = [i for i in compress(range(n_lines), map(title_keys.__contains__, keys))
            if len(lines[i]) <= cfg.max_title_chars + 50]
    if any(i != title_line for i in hits):
        return hits
    tk = title_key + " "
    if len(tk) > 20:
        # the dump glued the headline to its section label ("<headline> Health")
        glued = [i for i in idx[:4 * cfg.title_search_lines] if i != title_line and keys[i].startswith(tk)
                 and len(keys[i]) - len(tk) <= cfg.title_label_chars
                 and keys[i].count(" ", len(tk)) < cfg.title_label_words]
        if glued:
            return sorted({*hits, *glued})
    parts = title_parts(title)
    label, colon, rest = title.partition(": ")
    if len(parts) == 1 and colon and len(label) <= 30 and len(label.split()) <= 3:
        parts = [label, rest]        # "Live: <headline>", "Opinion: <headline>", "VIDEO: <headline>"
    if len(parts) > 1:
        # a <title> that names its section path or site beside the headline ("News - Health -
        # <headline>"): the page prints the headline alone, with the article right after it.
        # Only when one part alone is printed so, once: a site's name or slogan is printed too
        keys_of_parts = [line_key(p) for p in parts]
        part_keys = {k for k in keys_of_parts if len(k) >= 20}
        printed = [i for i in compress(range(n_lines), map(part_keys.__contains__, keys)) if i != title_line]
        after = bisect_right(idx, printed[0]) if len(printed) == 1 else None
        if after is not None and any(prose[x] and term_of[x] for x in idx[after:after + cfg.headline_gap_lines]):
            return hits + printed
        # or the longest part, printed (once or more) before the page's first sentence: the site's
        # or section's names are short beside a headline, and a headline stands above its article
        longest = max(keys_of_parts, key=len)
        if printed and len(longest) >= 20 and all(2 * len(k) <= len(longest) for k in keys_of_parts if k != longest):
            first_sentence = next((x for x in idx if prose[x] and term_of[x]), n_lines)
            printed = [i for i in printed if keys[i] == longest and i < first_sentence]
            if printed:
                return hits + printed
    # lines that start as the title's key does (one C-level pass), for the two tests below
    same_start = list(compress(range(n_lines), map(methodcaller("startswith", title_key[:3]), keys)))
    if _CJK_RE.search(title_key) is not None:
        # a Chinese / Japanese <title> that only a space or a colon parts from the section and site
        # names after it ("<headline> 质量监督 南方网", "<headline>：日本ニュース"; either may also part
        # two clauses of a headline): the page prints the headline alone, once, with the article
        # right after it; at least half the title, so a word is not taken. (Latin titles name them
        # behind spaced separators: title_parts.)
        head = [i for i in same_start if i != title_line and 2 * len(keys[i]) >= len(title_key)
                and title_key.startswith(keys[i]) and _CJK_TITLE_SEP.search(_stripped_head(title_key[len(keys[i]):]))]
        if len(head) == 1:
            after = bisect_right(idx, head[0])
            if any(prose[x] and term_of[x] for x in idx[after:after + cfg.headline_gap_lines]):
                return hits + head
    # the headline printed with other punctuation ("... SONDA. Grzegorz ..." / "... SONDA Grzegorz ..."):
    # the lines that start as the title's key does, compared without punctuation
    squashed = _NON_WORD.sub("", title_key)
    if not squashed:
        return hits
    shortest, longest = 0.8 * len(title), 1.25 * len(title)
    repunctuated = [i for i in same_start if i != title_line and shortest <= len(lines[i]) <= longest
                    and _NON_WORD.sub("", keys[i]) == squashed]
    return sorted({*hits, *repunctuated})


_CJK_TITLE_SEP = re.compile("[ :|]")     # (after NFKC: "：" and "｜" are ":" and "|")


def _header_repeated(page: _Page, i: int) -> bool:
    """Header line i stands on another line too, as the same concept: "Read more" after each teaser
    of a list, "последние новости" over each box; not "More:" over an inline box where "More" is
    the menu's link (the line key drops the colon, the rules tell the two apart)."""
    keys, concept = page.keys, page.concept
    c = concept.get(i)
    return any(j != i and keys[j] == keys[i] and concept.get(j) == c for j in page.order)


def _stripped_head(s: str) -> str:
    """What a line key's stripping would take off the front of s (quotes, separators, spaces)."""
    return s[:len(s) - len(s.lstrip(KEY_STRIP_CHARS))]


def _merge_neighbours(page: _Page, cfg: TextCleanConfig, chosen, segs, headline_j: int | None) -> list:
    """Candidate blocks next to the chosen one that continue the article: the gap between
    them is short and holds no comment/legal line (an inline 'related' box, an image credit).
    Not across an author box header ("About the author": the bio follows) nor across a
    section header the page repeats ("Read more" after each teaser of a list), nor back across
    the headline printed in the page (order index headline_j): the article starts under it.
    Nor forward across a 'related' header into lines that mark teasers (`_marks_teaser`); nor
    across a 'related' header alone (an inline box lists headlines under its header)."""
    lines, order, concept, rules = page.lines, page.order, page.concept, page.rules
    keys, key_count = page.keys, page.key_count
    segs = sorted(segs, key=lambda sg: sg[1])
    k = segs.index(chosen)
    out = []

    def gap_ok(lo: int, hi: int, forward: bool, lead: bool = False, goes_on: bool = False) -> bool:
        # (order indices [lo, hi); goes_on: the block after the gap is the article going on)
        if hi - lo > cfg.merge_continued_gap_lines:
            return False
        boxed = lead or hi - lo <= cfg.merge_short_gap_lines
        continued = False
        again = None          # (decided only when needed: the gap is a box the page prints again whole)
        for j in range(lo, hi):
            c = concept.get(order[j])
            if c is not None:
                if rules.section_of.get(c) == "comments":
                    return False
                if c == _CONTINUES:
                    continued = True      # "continue reading below": what follows is an inline widget
                elif continued:
                    continue              # ... whatever it holds (a ticker's "Last", a newsletter box)
                # (a short newsletter box below the article's start is a sign-up insert: the
                # article goes on under it; the tail cut ends it there when little follows)
                if rules.reason_of[c] in _STRONG and not (forward and boxed and rules.reason_of[c] == "newsletter"):
                    return False
                # (a header repeated over the article's own paragraphs, two inline "Read more"
                # boxes, is no list's)
                if rules.section_of.get(c) and (c == "author_box" or key_count[keys[order[j]]] > 1
                                                and not goes_on and _header_repeated(page, order[j])):
                    if again is None:
                        again = forward and _box_printed_again(page, lo, hi, cfg)
                    if not again:
                        return False
                if rules.section_of.get(c) == "related" or rules.reason_of[c] in ("caption", "poll"):
                    boxed = True          # an inline "related" box, a photo, a gallery or a poll inside the article
        return boxed or continued if hi - lo <= cfg.merge_gap_lines else continued or bool(again)

    cur_b = chosen[2]
    # a standfirst the headline anchored (a line or two) goes on into the bigger block under its
    # credit, date and share lines, however many they are (up to merge_gap_lines)
    lead = headline_j is not None and chosen[1] > headline_j and chosen[2] - chosen[1] <= 2
    boxes_inline = False      # a repeated header was crossed into the article going on
    for sg in segs[k + 1:]:
        if sg[0] < cfg.min_block_score:
            break
        # (a list the article announces, "Here is what made the difference for me:", and the
        # paragraph under it go on with it, however many items: the list joins the block too)
        # (a table flattened one cell a line joins it too, however long)
        listed = (sg[1] - cur_b <= cfg.merge_continued_gap_lines and _announced_list(page, cur_b, sg[1])
                  or _data_table(page, cur_b, sg[1]))
        # the article goes on under a repeated header when a block of a few lines follows it that
        # outweighs the chosen one (a teaser list's "Read more" comes after a summary a line
        # long); past one such box, a block of two lines after the next is enough
        goes_on = (sg[2] - sg[1] >= 2 if boxes_inline
                   else sg[2] - sg[1] >= cfg.list_run and sg[0] > chosen[0])
        if not (listed or gap_ok(cur_b, sg[1], True, lead and sg[0] > chosen[0], goes_on)):
            break
        boxes_inline = boxes_inline or goes_on and not gap_ok(cur_b, sg[1], True, lead and sg[0] > chosen[0])
        related = [rules.section_of.get(concept.get(order[j])) == "related" for j in range(cur_b, sg[1])]
        # (a related header announcing a list, and nothing else between: the prose under it is the
        # list, "Читайте также:" then teasers of a headline and a summary each; a "Read More"
        # button inside an article has no colon)
        if related and all(related) and lines[order[sg[1] - 1]].endswith((":", "：")):
            break
        if any(related) and (any(_marks_teaser(page, order[j], cfg) for j in range(sg[1], sg[2])
                                 if order[j] not in concept)
                             or _headlines_and_summaries(page, sg[1], sg[2], cfg)):
            break
        lead = False
        # (under an inline 'related' box's header the short lines are its headlines)
        start = cur_b if listed else sg[1] if any(related) else _sentences_before(page, cur_b, sg[1])
        out.append((sg[0], start, sg[2]))
        cur_b = sg[2]
    cur_a = chosen[1]
    for sg in reversed(segs[:k]):
        if headline_j is not None and sg[2] <= headline_j < cur_a:
            break
        # (a recipe's introduction above its "Ingredients" list and its method: the list says the
        # block above is the article's, however short)
        listed = (cur_a - sg[2] <= cfg.merge_continued_gap_lines and _announced_list(page, sg[2], cur_a)
                  or sg[0] >= cfg.min_block_score and _data_table(page, sg[2], cur_a))
        if not (listed or sg[0] >= cfg.merge_before_score and gap_ok(sg[2], cur_a, False)):
            break
        out.append((sg[0], sg[1], cur_a) if listed else sg)
        cur_a = sg[1]
    return out


def _box_printed_again(page: _Page, lo: int, hi: int, cfg: TextCleanConfig) -> bool:
    """The gap order[lo:hi] is a box the page inserts between the article's paragraphs again and
    again ("Most Popular" and its headlines, the same after every few paragraphs): a section's
    header and the list_run lines or more under it, each printed elsewhere too, stand again in the
    same order elsewhere in the page; at most merge_short_gap_lines other lines around it (a
    picture's caption). A box printed once, or a header whose lines differ from copy to copy (a
    list of teasers, each with its own "Read more"), is no such insert."""
    order, keys, key_count, concept = page.order, page.keys, page.key_count, page.concept
    section_of = page.rules.section_of
    for j in range(lo, hi):
        i = order[j]
        if concept.get(i) not in section_of or key_count[keys[i]] < 2:
            continue
        k = j + 1
        while k < hi and key_count[keys[order[k]]] > 1:
            k += 1
        run = [keys[x] for x in order[j:k]]
        if k - j <= cfg.list_run or (hi - lo) - (k - j) > cfg.merge_short_gap_lines:
            return False
        return any(j2 != j and keys[order[j2]] == run[0] and [keys[x] for x in order[j2:j2 + len(run)]] == run
                   for j2 in range(len(order)))
    return False


def _data_table(page: _Page, lo: int, hi: int) -> bool:
    """The lines order[lo:hi] are a table the dumper flattened one cell a line ("Region",
    "Turnout", "North", "52%", …): six or more short lines that no rule tagged, a third of them
    figures."""
    if hi - lo < _TABLE_MIN_CELLS:
        return False
    cells = page.order[lo:hi]
    lines, concept = page.lines, page.concept
    if any(i in concept or len(lines[i]) > _TABLE_CELL_CHARS for i in cells):
        return False
    return 3 * sum(1 for i in cells if _FIGURE_CELL.fullmatch(lines[i])) >= len(cells)


def _sentences_before(page: _Page, lo: int, start: int) -> int:
    """Where a neighbouring block that joins the article starts: at `start`, or above it at the
    short sentences right before it ("Schools in three districts stayed closed." under a sign-up
    insert): lines of the gap order[lo:start] that no rule tagged, printed once, ending in a full
    stop. (A block starts at its first prose line: a short paragraph weighs less than nothing.)"""
    order, lines = page.order, page.lines
    while start > lo:
        i = order[start - 1]
        if (i in page.concept or not page.term_of[i] or not _closes_a_statement(lines[i])
                or page.key_count[page.keys[i]] > 1):
            break
        start -= 1
    return start


def _marks_teaser(page: _Page, i: int, cfg: TextCleanConfig) -> bool:
    """A line that marks a teaser of another article under a 'related' header: a date stamp (each
    teaser a headline, a summary and its date), another story's dateline."""
    s = page.lines[i]
    return (_date_only(s, page.dates_mod) is not None
            or split_dateline_byline(s, cfg.rules_dir)[0] is not None)


def _headlines_and_summaries(page: _Page, lo: int, hi: int, cfg: TextCleanConfig) -> bool:
    """The block order[lo:hi] under a 'related' header is a list of other articles, each a headline
    and a summary of a sentence or two ("Wave of stupidity" / "JOE HILDEBRAND How is it that …"):
    list_run or more such pairs, and nothing else. An article's paragraphs under subheadings run
    longer, and not every one has its own heading."""
    order, lines, prose, concept = page.order, page.lines, page.prose, page.concept
    pairs = 0
    j = lo
    while j < hi:
        i = order[j]
        if not prose[i] or i in concept or len(lines[i]) > _TEASER_SUMMARY_CHARS or j == 0:
            return False
        h = order[j - 1]        # (the line before it: the block's first line, else the summary before)
        if prose[h] or h in concept or len(lines[h]) > _HEADLINE_CHARS or _closes_a_statement(lines[h]):
            return False
        pairs += 1
        j += 2
    return pairs >= cfg.list_run


# a table flattened one cell a line: a cell is short, a figure cell is a number with its unit or sign
_TABLE_MIN_CELLS = 6
_TABLE_CELL_CHARS = 40
_FIGURE_CELL = re.compile(r"[-+−–±]?[$€£¥]?\s?\d[\d.,:/\s–-]*\s?(%|‰|[$€£¥]|pts?|kg|km|m)?")
# the concept of "the article continues below" (tasks/rules/legal.yaml)
_CONTINUES = "continues_below"
# the concept of a key-value header's "Title: <headline>" line (tasks/rules/metadata.yaml)
_TITLE_FIELD = "title_field"
_FIELD_LABEL = re.compile(r"^[^:：]{1,12}[:：]\s*")
_COUNTER_CHARS = "0123456789 "     # a counter glued before a paragraph the page prints again
# a widget's number glued before a paragraph's capitalized first word, an opening quote between them
_GLUED_COUNTER = re.compile(r"(\d{1,4})[\"'«„“‘(]?([^\W\d_])(.?)")
# a credit closes its line within this many characters: a picture's "© X/Y", a wire's "–Reuters"
_CREDIT_TAIL_CHARS = 60
_CAPTION = "caption"                 # the concept of a picture's caption (tasks/rules/legal.yaml)
_GALLERY = "gallery"                 # ... and of a photo gallery's controls
_PICTURE_CONCEPTS = (None, _CAPTION, _GALLERY)     # (None: no rule's line)
_CREDIT_WORDS = 6                    # words of a picture's credit after its "©"
_CAPTION_MIN_CHARS = 20              # a caption's own words before its credit
# the concepts of a poll's header and buttons (tasks/rules/polls.yaml), and how far apart they stand
_POLL_HEADER, _POLL_BUTTON = "poll_header", "poll_button"
_POLL_MAX_LINES = 12
# one-word labels that, alone between two paragraphs of the article, are its subheadings
_SOFT = frozenset({"navigation", "section_label"})


def _isolated(i, block, concept, order) -> bool:
    j = bisect_left(order, i)
    prev_i = order[j - 1] if j > 0 else None
    next_i = order[j + 1] if j + 1 < len(order) else None
    return (prev_i in block and next_i in block and prev_i not in concept and next_i not in concept)


def _opens_with_name(bio: str, name: str) -> bool:
    """'Jane Doe is ...' / 'Jane is ...' under a 'Jane Doe' line (not a subheading
    'Web Standards' over 'Web standards are ...')."""
    nw = name.split()
    if bio.startswith(name + " "):
        rest = bio[len(name) + 1:]
    elif bio.startswith(nw[0] + " "):
        rest = bio[len(nw[0]) + 1:]
    else:
        return False
    # "Jane Doe is a reporter ...": a copula right after the name (not "Liam Williams stood in
    # the ring ...", a paragraph about a person under his photo caption)
    return rest.split(None, 1)[0].casefold().rstrip(",") in _BIO_COPULAS if rest.strip() else False


# "<name> is / was ..." opening an author bio, in the languages we have tables for
_BIO_COPULAS = frozenset({"is", "was", "has", "ist", "war", "arbeitet", "schreibt", "lebt", "est", "était", "es", "fue",
                          "è", "é", "jest", "był", "była", "είναι", "является", "работает", "pracuje"})


_BARRIER = -1e9      # a line no block stretches over
_RUN_OF_ONES = re.compile(b"\x01+")
_MISSING = object()
# distinct lines remembered per rule set (then the cache restarts): a worker holds ~85k after the ~50k
# documents of its share of a 100k run, so its memory stops growing there instead of ~100 MB later
_CACHE_MAX = 100_000
_CACHE_LINE_MAX = 300
_CACHES: dict[int, tuple] = {}
_DATE_ONLY_CACHE: dict = {}       # line -> _date_only's DateHit or None
_FIND_DATES_CACHE: dict = {}      # line -> find_dates(line)


_BLANK_KEY = "\n"          # the key of a blank line (no line's key has a line break)
# a blank line's entry: weight 0, no concept, not prose (every line number has an entry)
_BLANK_ENTRY = (_BLANK_KEY, False, None, False, False, 0, False, False)


def _line_cache(rules, cfg) -> dict:
    """Per compiled rule set (and config): line text -> features, bounded."""
    key = (id(rules), cfg.deep_match_chars, cfg.prose_chars, cfg.punct_prose_chars, cfg.run_on_min_chars,
           cfg.run_on_chars_per_end)
    ent = _CACHES.get(key)
    if ent is None or ent[0] is not rules:
        ent = _CACHES[key] = (rules, {"": _BLANK_ENTRY}, {})
    if len(ent[1]) > _CACHE_MAX:
        ent[1].clear()
        ent[1][""] = _BLANK_ENTRY
    return ent[1]


def _deep_cache(rules) -> dict:
    for r, _, deep in _CACHES.values():
        if r is rules:
            if len(deep) > _CACHE_MAX:
                deep.clear()
            return deep
    return {}


def _line_plan(rules, cfg: TextCleanConfig) -> tuple:
    """What tasks/_native.c line_entry / line_columns need to do _line_entry's work."""
    return (rules.native_plan(), cfg.deep_match_chars, cfg.prose_chars, cfg.punct_prose_chars, TERMINAL_CHARS,
            CLOSER_CHARS, KEY_STRIP_CHARS, squeeze_spaces, _EMOJI_END.search, _STAMP_TIME.search, _DATE_SHAPE.search,
            cfg.run_on_min_chars, partial(_run_on, chars_per_end=cfg.run_on_chars_per_end))


def _page_columns(lines: list[str], rules, cfg: TextCleanConfig) -> tuple:
    """The per-line features of a page as eight columns (key, terminal punctuation, concept, CJK,
    stamp, weight, prose, long), each line's entry from the cache (it holds the blank line's entry
    too) or computed and cached: all in C (tasks/_native.c line_columns), or in C-level passes
    (map, zip) around a Python loop over the misses."""
    cache = _line_cache(rules, cfg)
    if _native_line_columns is not None:
        return _native_line_columns(lines, cache, _line_plan(rules, cfg), _CACHE_LINE_MAX)
    cache_get = cache.get
    ents = list(map(cache_get, lines))
    for i in [i for i, e in enumerate(ents) if e is None]:
        s = lines[i]
        ent = cache_get(s)          # (a line repeated in the page: computed once)
        if ent is None:
            ent = _line_entry(s, rules, cfg.deep_match_chars, cfg.prose_chars, cfg.punct_prose_chars,
                              cfg.run_on_min_chars, cfg.run_on_chars_per_end)
            if len(s) <= _CACHE_LINE_MAX:          # long lines rarely repeat: not worth the memory
                cache[s] = ent
        ents[i] = ent
    return tuple(zip(*ents))


def _line_entry(s: str, rules, deep_chars: int, prose_chars: int, punct_chars: int,
                run_on_min: int = TextCleanConfig.run_on_min_chars,
                chars_per_end: int = TextCleanConfig.run_on_chars_per_end) -> tuple:
    """(key, ends_with_terminal_punctuation, concept, has_cjk, comment_stamp, length,
    prose when the line weighs its length, longer than deep_chars but not than any rule).
    The Python twin of tasks/_native.c line_entry."""
    n = len(s)
    last = s[-1]
    if last == "]":
        # the sentence ends before its citation marks ("… results.[2]", "… war. [3][4]")
        m = _CITATION_MARKS.search(s)
        end = m.start() if m is not None and m.start() > 0 else n
        last = s[end - 1]
        if last in _CLOSERS and end > 1:
            last = s[end - 2]
    elif last in _CLOSERS and n > 1:
        last = s[-2]
    has_cjk = not s.isascii() and _CJK_RE.search(s) is not None     # max(s) >= CJK_FIRST, in C
    # "…" ends a cut teaser in most scripts; Chinese prose uses "……" as punctuation
    term = last in _TERMINAL and not (last == "…" or s.endswith(".."))
    if not term and n > 2 and last >= "\u2600" and _EMOJI_END.search(s) is not None:
        term = True        # "… würde mich sehr freuen 🙂": a closing emoji ends the sentence
    bare = rule_form(s)            # the line as the rules see it (one Arabic spelling)
    low = bare.casefold()
    k = folded_line_key(low) if n < 400 else low
    # the whole-line table and first-character patterns for every line (long sentences too:
    # a licence note, an affiliate disclosure, an embed's consent text read as prose); the
    # literal-gated patterns (costlier) for short lines here, for the others once off the block
    c = rules.match_py(bare, k, low, n <= deep_chars)
    if c is None and n >= punct_chars and not any(map(str.isalnum, s)):
        c = "junk"                 # a line without a letter or digit (a rule of dashes, a row of dots)
    if c is None and "|" in s:
        bars = s.count("|")
        if bars >= 2 and n / (bars + 1) < 45:
            c = "navigation"       # "a | b | c" link lists
    if c is None and not term and n >= run_on_min and _run_on(s, chars_per_end):
        c = "navigation"           # headlines, tags or menu items run together into one line
    stamp = (n <= 90 and c is None and ":" in s and _STAMP_TIME.search(s) is not None
             and _DATE_SHAPE.search(s) is not None)
    return (k, term, c, has_cjk, stamp, n, _is_prose(c, term, n, prose_chars, punct_chars),
            deep_chars < n <= rules.max_chars)


def _ends_in_wire_credit(s: str) -> bool:
    """The line's last sentence is followed by a dash and a short credit ("… meals. –Reuters")."""
    # (a dash in the tail first: one plain search, and most lines without a sentence's mark at
    # their end, headlines and teasers, have none)
    tail = len(s) - _CREDIT_TAIL_CHARS
    return _CREDIT_DASH.search(s, tail) is not None and _SENTENCE_THEN_CREDIT.search(s, tail - 5) is not None


def _run_on(s: str, chars_per_end: int) -> bool:
    """A long line with (almost) no sentence ends inside (fewer than one per chars_per_end):
    headlines, tags or menu items run together into one line by the scraper, not a paragraph."""
    n = len(s)
    return (_UNPUNCTUATED_SCRIPT.search(s) is None
            and len(_SENTENCE_END.findall(s)) * chars_per_end < n
            and len(_CODE_MARKS.findall(s)) * 100 < n)     # code: a bracket or operator per 100 chars


@lru_cache(maxsize=4)
def _short_runs(n: int) -> re.Pattern:
    """Runs of at least n short lines in a page's 0/1 marks (compiled once: re's own cache churns
    under the pages' other patterns)."""
    return re.compile(b"\x01{%d,}" % n)


def _has_words(text: str, words: str) -> bool:
    """`words` occurs in `text` with no letter or digit glued to either end (no regex compiled
    for each page's masthead)."""
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(words, at + 1)
    return False


def _headline_in_menu_line(s: str, reason: str) -> tuple[str, str | None] | None:
    """(headline, site name) of a <title> line that a menu or breadcrumb test took ("<headline> |
    <section> | <site>", "<site> » Blog Archive » <headline>"): its first or last part, the
    longest of them, when it reads as a headline (three words or more, or a CJK phrase); a menu's
    items do not. The site's name after the headline as split_title_site finds it, or before it."""
    if reason not in ("navigation", "breadcrumb"):
        return None
    parts = title_parts(s.replace(" > ", " » "))
    if len(parts) < 2 and _CJK_RE.search(s) is not None:
        # (CJK separators have no spaces round them: the site, then the section cut off)
        title, site = split_title_site(s)
        parts = [split_title_site(title.strip("_-| "))[0], site or ""]
    if len(parts) < 2:
        return None
    longest = max(map(len, parts))
    for head, last in ((parts[0], False), (parts[-1], True)):
        if (len(head) == longest and (len(head.split()) >= 3 and len(head) >= 15
                                     or _CJK_RE.search(head) is not None and len(head) >= 8)):
            return head, (parts[0] if last else split_title_site(s)[1]) or None
    return None


def _name_only(s: str, key: str, key_count) -> bool:
    """A first line of at most three words, no title separator, not printed again: a site's name
    or a login link ("Quanta Magazine", "Είσοδος Μελών") where the dump has no <title> line."""
    return (len(s.split()) <= 3 and not _CJK_RE.search(s) and key_count[key] == 1
            and len(title_parts(s)) == 1)


def _code_line(s: str) -> bool:
    """A line of program text (a script the dumper kept): braces, semicolons and assignments
    where prose has words."""
    return ("{" in s or ";" in s) and (s.count("{") + s.count("}") + s.count(";") + s.count("=")) * 40 > len(s)


def _is_prose(concept: str | None, term, weight: float, prose_chars: int, punct_chars: int):
    """A long line, or a fairly long one with terminal punctuation, that no rule calls a menu."""
    return concept != "navigation" and (weight >= prose_chars or (term and weight >= punct_chars))


def _kadane(scores, lo: int, hi: int):
    best, best_a, best_b = 0.0, -1, -1
    cur, cur_a = 0.0, lo
    for j in range(lo, hi):
        sc = scores[j]
        if cur <= 0:
            cur, cur_a = sc, j
        else:
            cur += sc
        if cur > best:
            best, best_a, best_b = cur, cur_a, j + 1
    return best, best_a, best_b


_SEGMENT_DEPTH = 12


def _segments(scores, min_score: float, long_run: int = 0) -> list[tuple[float, int, int]]:
    """Maximum-sum segments (score, start, end-exclusive) of the whole list: the best, then
    recursively the best of what is left on each side (tasks/_native.c max_segments when built).
    long_run > 0: past that many negative scores in a row, each counts twice."""
    if _max_segments is not None:
        return _max_segments(scores, min_score, _SEGMENT_DEPTH, long_run)
    if long_run > 0:
        scores = _long_runs_doubled(scores, long_run)
    return _segments_py(scores, 0, len(scores), min_score)


def _long_runs_doubled(scores, long_run: int) -> list[float]:
    """The scores with every negative one past `long_run` negatives in a row doubled."""
    out, run = [], 0
    for sc in scores:
        if sc < 0:
            run += 1
            if run > long_run:
                sc *= 2
        else:
            run = 0
        out.append(sc)
    return out


def _segments_py(scores, lo: int, hi: int, min_score: float, depth: int = 0) -> list[tuple[float, int, int]]:
    if hi - lo <= 0 or depth > _SEGMENT_DEPTH:
        return []
    best, a, b = _kadane(scores, lo, hi)
    if a < 0 or best < min_score:
        return []
    return (_segments_py(scores, lo, a, min_score, depth + 1) + [(best, a, b)]
            + _segments_py(scores, b, hi, min_score, depth + 1))


def prose_ratio_line(s: str) -> bool:
    """A long sentence-like line (cannot be a headline)."""
    return len(s) > 120 and s.rstrip()[-1:] in ".!?؟。！？" and s.count(" ") > 20
