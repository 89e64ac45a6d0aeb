"""Stories: articles about the same event, from any outlet, grouped even when worded differently.

Method (no model, deterministic):
1. each article is a TF-IDF vector over its content terms (`article_terms`: match-key
   terms minus stopwords, the heaviest MAX_TERMS_PER_DOC of them); a title term counts
   TITLE_WEIGHT times; weight = (1 + ln count) * idf, idf = ln((1 + N) / (1 + df)) + 1;
   vectors are L2-normalized;
2. cosine similarity between every two articles that share a term, through an inverted
   index (terms carried by more than `max_df` articles are skipped: they name a topic,
   not an event, and they make the pair count quadratic);
3. two articles whose publication dates (published_at) are both known and further apart
   than `window_days` are never linked; page_date is not used for this, because it is
   often a "today's date" widget showing the crawl day;
4. single-link clustering: articles linked by a cosine >= `threshold` are one story
   (union-find). The threshold was measured on the samples: see docs/analysis.md.

A story's id is derived from its anchor, the earliest-ingested article (then smallest
doc_id): a story keeps its id when later articles join it.

`group_stories` groups a whole corpus; `extend_stories` adds a run's new articles to the
stories found before (what each run does; see warehouse/models.py update_story_members).
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pyarrow as pa

from tasks.disjoint_sets import DisjointSets
from warehouse.terms import TITLE_WEIGHT

THRESHOLD = 0.12
WINDOW_DAYS = 7
MAX_DF = 500
PAIR_BLOCK = 5_000_000

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


def similar_pairs(vectors: dict[str, dict[str, float]], days: dict[str, int | None],
                  params: StoryParams, min_score: float = 0.0) -> dict[tuple[str, str], float]:
    """Cosine >= min_score of every pair that shares a term with df <= max_df and may be linked in time."""
    names = sorted(vectors)
    index = {d: i for i, d in enumerate(names)}
    term_ids: dict[str, int] = {}
    docs, terms, weights = [], [], []
    for d in names:
        for term, w in vectors[d].items():
            docs.append(index[d])
            terms.append(term_ids.setdefault(term, len(term_ids)))
            weights.append(w)
    day_arr = np.array([np.nan if days.get(d) is None else float(days[d]) for d in names])
    return pair_scores(names, np.array(docs, np.int64), np.array(terms, np.int64), np.array(weights, np.float64),
                       day_arr, params, min_score)


def pair_scores(names: list[str], doc_arr: np.ndarray, term_arr: np.ndarray, w_arr: np.ndarray,
                day_arr: np.ndarray, params: StoryParams, min_score: float = 0.0,
                wanted: np.ndarray | None = None) -> dict[tuple[str, str], float]:
    """The pair scores of weighted postings: (doc index, term id, normalized weight) entries.

    For each term carried by 2..max_df of the given articles, the products of its postings'
    weights are added to the pair's score; pairs are keyed a * n + b and summed with bincount,
    block by block, so memory stays bounded by PAIR_BLOCK pairs plus the pairs already found.
    `wanted` (a mask over `names`) keeps only pairs with at least one wanted article, and costs
    k_wanted x k a term instead of k x k. `day_arr` holds publication days (NaN: unknown).
    """
    n = len(names)
    if n < 2 or not len(doc_arr):
        return {}
    order = np.argsort(term_arr, kind="stable")
    doc_arr, term_arr, w_arr = doc_arr[order], term_arr[order], w_arr[order]
    bounds = np.flatnonzero(np.diff(term_arr)) + 1
    starts, ends = np.concatenate(([0], bounds)), np.concatenate((bounds, [len(term_arr)]))

    found_keys, found_scores = np.empty(0, np.int64), np.empty(0, np.float64)
    block_keys: list[np.ndarray] = []
    block_vals: list[np.ndarray] = []
    pending = 0

    def flush() -> None:
        nonlocal found_keys, found_scores, pending
        if not block_keys:
            return
        keys = np.concatenate([found_keys, *block_keys])
        vals = np.concatenate([found_scores, *block_vals])
        uniq, inverse = np.unique(keys, return_inverse=True)
        found_keys, found_scores = uniq, np.bincount(inverse, weights=vals)
        block_keys.clear()
        block_vals.clear()
        pending = 0

    for lo, hi in zip(starts, ends):
        k = hi - lo
        if k < 2 or k > params.max_df:
            continue
        if wanted is None:
            ia, ib = np.triu_indices(k, 1)
        else:
            is_wanted = wanted[doc_arr[lo:hi]]
            mine = np.flatnonzero(is_wanted)
            if not len(mine):
                continue
            ia, ib = np.repeat(mine, k), np.tile(np.arange(k), len(mine))
            keep = (ia != ib) & (~is_wanted[ib] | (ia < ib))
            ia, ib = ia[keep], ib[keep]
        a, b = doc_arr[lo:hi][ia], doc_arr[lo:hi][ib]
        da, db = day_arr[a], day_arr[b]
        near = np.isnan(da) | np.isnan(db) | (np.abs(da - db) <= params.window_days)
        if not near.all():
            ia, ib, a, b = ia[near], ib[near], a[near], b[near]
        lo_doc, hi_doc = np.minimum(a, b), np.maximum(a, b)
        block_keys.append(lo_doc * n + hi_doc)
        block_vals.append(w_arr[lo:hi][ia] * w_arr[lo:hi][ib])
        pending += len(lo_doc)
        if pending >= PAIR_BLOCK:
            flush()
    flush()
    keep = found_scores >= min_score
    return {(names[key // n], names[key % n]): float(score)
            for key, score in zip(found_keys[keep].tolist(), found_scores[keep].tolist())}


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
    sets = DisjointSets(vectors)
    best: dict[str, float] = defaultdict(float)
    for (a, b), score in similar_pairs(vectors, days, params, min_score=params.threshold).items():
        if score >= params.threshold:
            sets.union(a, b)
            best[a] = max(best[a], score)
            best[b] = max(best[b], score)
    clusters: dict[str, list[str]] = defaultdict(list)
    for d in vectors:
        clusters[sets.find(d)].append(d)
    rows = []
    for members in clusters.values():
        anchor = min(members, key=lambda d: order.get(d, (d,)))
        sid = story_id_for(anchor)
        label = story_label([vectors[d] for d in members])
        for d in sorted(members):
            rows.append({"story_id": sid, "doc_id": d, "is_anchor": d == anchor,
                         "best_similarity": round(best.get(d, 1.0 if len(members) == 1 else 0.0), 6),
                         "label": label})
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
