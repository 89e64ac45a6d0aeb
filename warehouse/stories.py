"""Stories: articles about the same event, from any outlet, grouped even when worded differently.

Method (no model, deterministic):
1. each article is a TF-IDF vector over its content terms (`article_terms`: match-key
   terms minus stopwords, the heaviest MAX_TERMS_PER_DOC of them); a title term counts
   TITLE_WEIGHT times; weight = (1 + ln count) * idf, idf = ln((1 + N) / (1 + df)) + 1;
   vectors are L2-normalized;
2. cosine similarity between every two articles that share a term, through an inverted
   index (terms carried by more than `max_df` articles are skipped: they name a topic,
   not an event, and they make the pair count quadratic), scored in blocks of whole
   articles (`linked_pairs`): memory is bounded by PAIR_BLOCK, not by the pair count;
3. two articles whose publication dates (published_at) are both known and further apart
   than `window_days` are never linked; page_date is not used for this, because it is
   often a "today's date" widget showing the crawl day;
4. single-link clustering: articles linked by a cosine >= `threshold` are one story
   (union-find on numpy arrays, `link_components`). The threshold was measured on the
   samples: see docs/analysis.md.

A story's id is derived from its anchor, the earliest-ingested article (then smallest
doc_id): a story keeps its id when later articles join it.

`group_stories` groups a corpus given as Python dicts (tests, small sets); the warehouse's
full regrouping feeds `link_components` with arrays straight from DuckDB; `extend_stories`
adds a run's new articles to the stories found before (what each run does; see
warehouse/models.py update_story_members).
"""
from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import pyarrow as pa

from tasks.disjoint_sets import DisjointSets, compress, union_edges
from tasks.terms import TITLE_WEIGHT
from warehouse.parallel import ordered_map

try:    # a block's pair scores in C, per article instead of one sort of every product; numpy when not built
    from tasks._native import story_pair_scores as _native_pair_scores
except ImportError:
    _native_pair_scores = None

THRESHOLD = 0.12
WINDOW_DAYS = 7
MAX_DF = 500
PAIR_BLOCK = 250_000     # candidate products scored at once: ~18 MB of temporaries (1M: ~70 MB, no faster)
STORY_THREADS = min(4, os.cpu_count() or 1)   # threads scoring blocks with the compiled scorer (one a core)

STORY_MEMBERS = pa.schema([
    ("story_id", pa.string()),
    ("doc_id", pa.string()),
    ("version", pa.int32()),             # the article version grouped (a new version is regrouped)
    ("is_anchor", pa.bool_()),
    ("best_similarity", pa.float64()),   # the strongest link that brought the article in (1.0 for a lone anchor)
    ("label", pa.string()),              # the story's LABEL_TERMS heaviest terms (summed TF-IDF of its members)
])
LABEL_TERMS = 5


@dataclass(slots=True)
class StoryParams:
    threshold: float = THRESHOLD
    window_days: int = WINDOW_DAYS
    max_df: int = MAX_DF


def story_id_for(anchor_doc_id: str) -> str:
    return "story-" + hashlib.sha256(anchor_doc_id.encode("utf-8")).hexdigest()[:12]


def tfidf_vectors(doc_terms: dict[str, list[tuple[str, int, int]]]) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """doc_id -> {term: L2-normalized weight}, and the document frequency of every term.

    (The incremental path computes the same weights in DuckDB: warehouse/models.py _STORY_WEIGHTS.)
    """
    df: dict[str, int] = defaultdict(int)
    for terms in doc_terms.values():
        for term, _, _ in terms:
            df[term] += 1
    n = len(doc_terms)
    vectors: dict[str, dict[str, float]] = {}
    for doc_id, terms in doc_terms.items():
        vec = {}
        for term, count, title_count in terms:
            weighted = count + (TITLE_WEIGHT - 1) * title_count
            vec[term] = (1.0 + math.log(weighted)) * (math.log((1 + n) / (1 + df[term])) + 1.0)
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors[doc_id] = {t: w / norm for t, w in vec.items()}
    return vectors, dict(df)


def linked_pairs(doc_arr: np.ndarray, term_arr: np.ndarray, w_arr: np.ndarray, day_arr: np.ndarray,
                 params: StoryParams, wanted: np.ndarray | None = None, block: int | None = None,
                 by_term: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The pairs of articles whose cosine reaches the threshold, as (a, b, score) arrays, a < b.

    Input: weighted postings (doc index, term id: small non-negative ints; normalized weight); `day_arr` holds each
    article's publication day (NaN: unknown). A pair's score sums the products of the weights
    of the terms both carry, over terms carried by 2..max_df of the given articles.

    Memory stays bounded whatever the number of articles: the articles are scored in blocks
    of whole articles (a pair is summed in the block of its smaller article, or of its wanted
    one), each block expanding at most `block` (PAIR_BLOCK) candidate products, and only the
    pairs at or above the threshold leave a block. `wanted` (a mask over doc indexes) keeps
    only pairs with at least one wanted article, at a cost that follows the wanted postings.
    `by_term`: the postings come ordered by (term, doc) (from SQL), so they need no sorted copy.
    """
    block = block or PAIR_BLOCK
    n = len(day_arr)
    if len(doc_arr) < 2:
        return
    df = np.bincount(term_arr)
    keep = (df[term_arr] >= 2) & (df[term_arr] <= params.max_df)
    del df
    # term lists: the postings ordered by (term, doc); a posting's partners are in its term's list
    if by_term and keep.all():   # given in that order: used as they are, no copy
        t_doc, t_w, t_term = doc_arr.astype(np.int32, copy=False), w_arr, term_arr.astype(np.int32, copy=False)
    else:
        order = np.lexsort((doc_arr[keep], term_arr[keep]))
        t_doc = doc_arr[keep][order].astype(np.int32)
        t_w = w_arr[keep][order]
        t_term = term_arr[keep][order].astype(np.int32)
        del order
    del keep
    bounds = np.concatenate(([0], np.cumsum(np.bincount(t_term)))).astype(np.int64)   # term t: bounds[t]:bounds[t+1]
    # the scoring side: positions in the term lists, ordered by doc (then term), wanted docs only if asked
    if wanted is None:
        src = np.argsort(t_doc, kind="stable").astype(np.int32)
    else:
        src = np.flatnonzero(wanted[t_doc]).astype(np.int32)
        src = src[np.argsort(t_doc[src], kind="stable")]

    def partners(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """first partner position and partner count of the postings at positions q"""
        term = t_term[q]
        # each pair once, from its smaller article: the partners after the posting in its list
        first = q.astype(np.int64) + 1 if wanted is None else bounds[term]
        return first, bounds[term + 1] - first

    # blocks of whole articles, at most `block` candidate products each (one article may exceed it),
    # cut on per-article totals (n-sized arrays, counted a chunk of postings at a time)
    postings_of, products_of = np.zeros(n, np.int64), np.zeros(n, np.float64)
    for lo in range(0, len(src), block):
        q = src[lo:lo + block]
        postings_of += np.bincount(t_doc[q], minlength=n)
        products_of += np.bincount(t_doc[q], weights=partners(q)[1], minlength=n)
    src_end, cum = np.cumsum(postings_of), np.cumsum(products_of)
    del postings_of, products_of
    cuts, d = [0], 0
    while d < n:
        d = max(int(np.searchsorted(cum, (cum[d - 1] if d else 0) + block, side="right")), d + 1)
        cuts.append(int(src_end[d - 1]))
    del cum, src_end
    blocks = [(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo]
    if _native_pair_scores is None:
        for lo, hi in blocks:
            q = src[lo:hi]
            yield from _score_block(q, *partners(q), t_doc, t_w, day_arr, params, wanted)
        return
    # the compiled scorer's whole-run inputs, in the types it reads, converted once for all blocks
    shared = (np.ascontiguousarray(t_doc, np.int32), np.ascontiguousarray(t_w, np.float64),
              np.ascontiguousarray(day_arr, np.float64))
    options = (float(params.threshold), float(params.window_days),
               None if wanted is None else np.ascontiguousarray(wanted, np.bool_))
    scratch = threading.local()   # its scratch: one int32 per article, zeros between blocks, one a thread

    def scored(block: tuple[int, int]) -> list:
        if not hasattr(scratch, "slot"):
            scratch.slot = np.zeros(n, np.int32)
        q = src[block[0]:block[1]]
        native = (*shared, scratch.slot, *options)
        return list(_score_block(q, *partners(q), t_doc, t_w, day_arr, params, wanted, native))

    if STORY_THREADS <= 1 or len(blocks) <= 1:
        for block in blocks:
            yield from scored(block)
        return
    # the C scorer lets go of the GIL: blocks are scored on every core, two a thread ahead of the one
    # the caller is reading (its results come in block order, as one thread gives them)
    with ThreadPoolExecutor(STORY_THREADS) as pool:
        for pairs in ordered_map(pool, scored, blocks, 2 * STORY_THREADS):
            yield from pairs


def _score_block(src, first, counts, t_doc, t_w, day_arr, params, wanted, native=None):
    if native is not None:   # compiled; it takes an article's postings as a run, so src must be ordered by article
        c_doc, c_w, c_day, slot, threshold, window_days, c_wanted = native
        a, b, scores = _native_pair_scores(
            np.ascontiguousarray(src, np.int32), np.ascontiguousarray(first, np.int64),
            np.ascontiguousarray(counts, np.int64), c_doc, c_w, c_day, slot, threshold, window_days, c_wanted)
        a, b = np.frombuffer(a, np.int64), np.frombuffer(b, np.int64)
        order = np.argsort(a * len(day_arr) + b)     # numpy's order below: by pair
        yield a[order], b[order], np.frombuffer(scores, np.float64)[order]
        return
    total = int(counts.sum())
    if not total:
        return
    n = len(day_arr)
    # the partners of posting src[k] are t_doc[first[k]:first[k] + counts[k]]
    offsets = np.cumsum(counts) - counts
    partner = np.arange(total, dtype=np.int64) + np.repeat(first - offsets, counts)
    own_doc = t_doc[src].astype(np.int64)
    products = np.repeat(t_w[src], counts) * t_w[partner]
    partner = t_doc[partner]
    if wanted is None:   # partners come after the article: a < b
        keys = np.repeat(own_doc * n, counts) + partner
    else:   # a pair of two wanted articles is met from both: keep it from the smaller one
        a = np.repeat(own_doc, counts)
        once = (a != partner) & (~wanted[partner] | (a < partner))
        a, partner, products = a[once], partner[once], products[once]
        keys = np.minimum(a, partner) * n + np.maximum(a, partner)
        del a, once
    del partner
    order = np.argsort(keys, kind="stable")   # runs of ascending partners: merged, not sorted from scratch
    keys, products = keys[order], products[order]
    del order
    starts = np.flatnonzero(np.diff(keys, prepend=-1))
    scores = np.add.reduceat(products, starts)
    linked = scores >= params.threshold
    keys, scores = keys[starts[linked]], scores[linked]
    a, b = keys // n, keys % n
    # the time window and the wanted mask depend on the pair only: applied to pairs, not to products
    da, db = day_arr[a], day_arr[b]
    keep = np.isnan(da) | np.isnan(db) | (np.abs(da - db) <= params.window_days)
    yield a[keep], b[keep], scores[keep]


def link_components(n: int, doc_arr: np.ndarray, term_arr: np.ndarray, w_arr: np.ndarray, day_arr: np.ndarray,
                    params: StoryParams, by_term: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Single-link components of `linked_pairs`: (root, best) arrays over the n doc indexes.

    root[i] is the smallest doc index of i's story (number the articles in anchor order and the
    root is the anchor); best[i] is i's strongest link (NaN when it has none).
    """
    root = np.arange(n, dtype=np.int64)
    best = np.full(n, -np.inf)
    for a, b, score in linked_pairs(doc_arr, term_arr, w_arr, day_arr, params, by_term=by_term):
        np.maximum.at(best, a, score)
        np.maximum.at(best, b, score)
        union_edges(root, a, b)
    best[best == -np.inf] = np.nan
    return compress(root), best


def story_label(vectors: list[dict[str, float]], n: int = LABEL_TERMS) -> str:
    """The n heaviest terms of a story: members' TF-IDF weights summed (ties by term)."""
    total: dict[str, float] = defaultdict(float)
    for vec in vectors:
        for term, weight in vec.items():
            total[term] += weight
    return " ".join(sorted(total, key=lambda t: (-round(total[t], 9), t))[:n])


def group_stories(doc_terms: dict[str, list[tuple[str, int, int]]], days: dict[str, int | None],
                  order: dict[str, tuple], params: StoryParams | None = None) -> list[dict]:
    """Story membership rows (see STORY_MEMBERS) for every article in `doc_terms`.

    `days`: doc_id -> publication day number (None when unknown); `order`: doc_id -> a sort
    key (ingested_at, doc_id) that picks the anchor.
    """
    params = params or StoryParams()
    vectors, _ = tfidf_vectors(doc_terms)
    # doc indexes in anchor order (stable: equal keys keep doc_terms' order): a story's root is its anchor
    names = sorted(vectors, key=lambda d: order.get(d, (d,)))
    term_ids: dict[str, int] = {}
    docs, terms, weights = [], [], []
    for i, d in enumerate(names):
        for term, w in vectors[d].items():
            docs.append(i)
            terms.append(term_ids.setdefault(term, len(term_ids)))
            weights.append(w)
    day_arr = np.array([np.nan if days.get(d) is None else float(days[d]) for d in names])
    root, best = link_components(len(names), np.array(docs, np.int64), np.array(terms, np.int64),
                                 np.array(weights, np.float64), day_arr, params)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(root.tolist()):
        clusters[r].append(i)
    rows = []
    for anchor, members in clusters.items():
        sid = story_id_for(names[anchor])
        label = story_label([vectors[names[i]] for i in members])
        for i in members:
            similarity = best[i] if not np.isnan(best[i]) else (1.0 if len(members) == 1 else 0.0)
            rows.append({"story_id": sid, "doc_id": names[i], "is_anchor": i == anchor,
                         "best_similarity": round(float(similarity), 6), "label": label})
    rows.sort(key=lambda r: (r["story_id"], r["doc_id"]))
    return rows


def extend_stories(links: dict[tuple[str, str], float], new_docs: set[str], prior_story: dict[str, str],
                   prior_best: dict[str, float], order: dict[str, tuple],
                   vectors_of: Callable[[set[str]], dict[str, dict[str, float]]]) -> tuple[list[dict], set[str]]:
    """Add new articles to the stories already found, the way single-link would.

    `links`: the pairs with a new article whose cosine reached the threshold (computed against
    the whole warehouse's IDF); `prior_story`: doc_id -> story_id of every older article linked
    to and of every member of their stories. A new article joins the story of every older
    article it links to, merging them (single link never splits). `vectors_of(doc_ids)` gives
    the TF-IDF vectors the labels are summed from. Returns the membership rows of every story a
    new article touched (the older rows of those stories are replaced) and the story ids they
    replace. Pairs of older articles are not recomputed: IDF drift waits for a full regrouping.
    """
    sets = DisjointSets()
    union, find = sets.union, sets.find
    for doc_id, sid in prior_story.items():
        union("story:" + sid, "doc:" + doc_id)
    best: dict[str, float] = defaultdict(float)
    for (a, b), score in links.items():
        union("doc:" + a, "doc:" + b)
        best[a] = max(best[a], score)
        best[b] = max(best[b], score)
    clusters: dict[str, list[str]] = defaultdict(list)
    for d in set(prior_story) | new_docs:
        clusters[find("doc:" + d)].append(d)
    touched = [members for members in clusters.values() if new_docs.intersection(members)]
    vectors = vectors_of({d for members in touched for d in members})
    rows, replaced = [], set()
    for members in touched:
        replaced.update(prior_story[d] for d in members if d in prior_story)
        anchor = min(members, key=lambda d: order.get(d, (d,)))
        sid = story_id_for(anchor)
        label = story_label([vectors.get(d, {}) for d in members])
        for d in sorted(members):
            similarity = best.get(d) or prior_best.get(d) or (1.0 if len(members) == 1 else 0.0)
            rows.append({"story_id": sid, "doc_id": d, "is_anchor": d == anchor,
                         "best_similarity": round(similarity, 6), "label": label})
    rows.sort(key=lambda r: (r["story_id"], r["doc_id"]))
    return rows, replaced
