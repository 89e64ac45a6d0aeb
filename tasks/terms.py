"""Content terms of an article: match-key tokens minus stopwords, title terms counted apart.

Only the title and the body's lead (the first LEAD_CHARS characters of its match key) are read.

Used by the `top_terms` mart and by story grouping (warehouse/stories.py). Every
language goes through `tasks.normalize.match_key` (casefold, harakat and accents
dropped, Arabic alef/yeh/teh-marbuta folded) and `key_tokens` (CJK: one character a
token); Arabic also loses its attached article and conjunction prefixes
(ال, وال, بال, فال, كال, لل) and a final ه (teh marbuta after folding), so that
العراقية, والعراقي and عراقي are one term. Stopword lists are data files in
tasks/rules/stopwords/, keyed by ISO 639-1 language.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from operator import neg
from pathlib import Path

from tasks.normalize import is_nospace_char, key_tokens, match_key

try:    # the counting and ranking in C (tasks/_native.c); absent when not compiled: rank_terms_py
    from tasks._native import rank_terms as _rank_terms
except ImportError:
    _rank_terms = None

STOPWORDS_DIR = Path(__file__).parent / "rules" / "stopwords"
MAX_TERMS_PER_DOC = 48     # what article_terms keeps per document (by count, title counted TITLE_WEIGHT times)
TITLE_WEIGHT = 3
# Terms come from the title and the body's lead: news states its event up front, and the cost
# stays bounded on long pages. Measured on the samples + the mixed set of tests/test_marts.py:
# story separation is the same at 1,500, 2,500 characters and whole bodies. The lead is cut from
# the body's match key, not from the body: a worker has that key already (build_article), and
# keying a cut body again cost a third of the terms' time.
LEAD_CHARS = 3000
_ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
_SPACE_AFTER = re.compile(r"[ \n]")
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


@lru_cache(maxsize=None)
def stopwords(language: str | None) -> frozenset[str]:
    """Match-keyed stopwords for a language (plus `any`); every list when the language is unknown."""
    files = sorted(STOPWORDS_DIR.glob("*.txt"))
    chosen = files if not language else [f for f in files if f.stem in (language, "any")]
    words: set[str] = set()
    for f in chosen:
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                key = match_key(line)
                words.add(key)
                words.add(stem(key))
    return frozenset(words)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Light Arabic stemming on a match-keyed token; other scripts unchanged."""
    if not _ARABIC_WORD.match(token):
        return token
    for prefix in _AR_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            token = token[len(prefix):]
            break
    if len(token) >= 4 and token.endswith("ه"):
        token = token[:-1]
    return token


def content_terms(text: str | None, language: str | None) -> list[str]:
    """The content terms of `text`, in order, stopwords and numbers dropped."""
    return key_terms(match_key(text), language) if text else []


def key_terms(key: str, language: str | None, toks: list[str] | None = None) -> list[str]:
    """content_terms of the text whose match key is `key` (`toks`: key_tokens(key), when the caller has them)."""
    if toks is None:
        toks = key_tokens(key)
    # a token's fate depends only on the token and the language's stopwords: decided once per
    # process (a few hundred thousand distinct tokens), then one dict lookup per token
    return list(filter(None, map(_token_terms(language).__getitem__, toks)))


_TOKEN_MEMO_MAX = 200_000   # per language, and few languages are large: ~20 MB at most each


class _TokenTerms(dict):
    """token -> its term, or "" when the token is dropped, for one language (the stopwords differ):
    a token not seen before is decided on lookup (__missing__), so a page's lookups are one C-level
    pass with no second pass for the misses (~25 % less than dict.get, then filling the Nones)."""

    __slots__ = ("language",)

    def __init__(self, language: str | None) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, tok: str) -> str:
        if len(self) >= _TOKEN_MEMO_MAX:
            self.clear()
        term = self[tok] = _term_of(tok, stopwords(self.language))
        return term


@lru_cache(maxsize=None)
def _token_terms(language: str | None) -> _TokenTerms:
    return _TokenTerms(language)


def _term_of(tok: str, stop: frozenset[str]) -> str:
    if tok in stop or tok.isdigit():
        return ""
    term = stem(tok)
    if term in stop:
        return ""
    if len(term) < 2 and not is_nospace_char(term):   # (in those scripts one char is a term)
        return ""
    return term


def article_terms(title: str | None, body: str | None, language: str | None,
                  limit: int = MAX_TERMS_PER_DOC, body_key: str | None = None,
                  body_tokens: list[str] | None = None) -> list[tuple[str, int, int]]:
    """(term, count in title + lead, count in title) for the `limit` heaviest terms of one article.

    The lead is the first LEAD_CHARS characters of the body's match key, cut at a space.
    `body_key` is match_key(body) and `body_tokens` key_tokens(body_key), when the caller has
    them. Ties are broken by the term itself, so the result is deterministic.
    """
    key = _lead_source_key(body or "") if body_key is None else body_key
    lead = lead_key(key)
    lead_terms = key_terms(lead, language, body_tokens if lead is key else None)
    return (_rank_terms or rank_terms_py)(content_terms(title, language), lead_terms, limit, TITLE_WEIGHT)


def _lead_source_key(body: str) -> str:
    """match_key of enough of `body` for lead_key to give what it gives on the whole body's key:
    the body cut before a white-space character past 2 × LEAD_CHARS (match_key never joins across
    white space: NFKC does not compose across a space, the rest works character by character), or
    the whole body when that cut keys to LEAD_CHARS characters or fewer."""
    cut = _SPACE_AFTER.search(body, 2 * LEAD_CHARS)
    if cut is not None:
        key = match_key(body[:cut.start()])
        if len(key) > LEAD_CHARS:
            return key
    return match_key(body)


def lead_key(key: str) -> str:
    """The first LEAD_CHARS characters of a match key, cut at a space (`key` itself when shorter)."""
    if len(key) <= LEAD_CHARS:
        return key
    cut = key.rfind(" ", 0, LEAD_CHARS)
    return key[:cut if cut > 0 else LEAD_CHARS]


def rank_terms_py(title_terms: list[str], lead_terms: list[str], limit: int, title_weight: int) -> list[tuple[str, int, int]]:
    """(term, count in title + lead, count in title) of the `limit` heaviest terms, the title's
    counted `title_weight` times, ties by the term (the Python twin of tasks/_native.c rank_terms)."""
    in_title = Counter(title_terms)
    in_all = Counter(lead_terms)
    in_all.update(in_title)
    weight = dict(in_all)
    for t, n in in_title.items():
        weight[t] += (title_weight - 1) * n
    # (−weight, term) tuples built and sorted in C: an article has a few hundred distinct terms
    ranked = sorted(zip(map(neg, weight.values()), weight))[:limit]
    title_get = in_title.get
    return [(t, in_all[t], title_get(t, 0)) for _, t in ranked]


def add_article_term_columns(columns: dict[str, list], title: str | None, body: str | None,
                             language: str | None, body_key: str | None = None,
                             body_tokens: list[str] | None = None, **keys) -> None:
    """Append one article's rows of the article_terms tables to `columns` (a list per column):
    `keys` (its doc_id and the run_id or version) with each term's tf, title_tf and term_rank
    (1 = heaviest). A worker writes its chunk's terms as columns (tasks/lake.py write_part).
    `body_key` and `body_tokens` as for article_terms."""
    ranked = article_terms(title, body, language, body_key=body_key, body_tokens=body_tokens)
    n = len(ranked)
    if not n:
        return
    for name, value in keys.items():
        columns[name] += [value] * n
    term, tf, title_tf = zip(*ranked)
    columns["term"] += term
    columns["tf"] += tf
    columns["title_tf"] += title_tf
    columns["term_rank"] += range(1, n + 1)
