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
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa

from warehouse.terms import TITLE_WEIGHT

THRESHOLD = 0.12
WINDOW_DAYS = 7
MAX_DF = 500

STORY_MEMBERS = pa.schema([
    ("story_id", pa.string()),
    ("doc_id", pa.string()),
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
    """doc_id -> {term: L2-normalized weight}, and the document frequency of every term."""
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
                  params: StoryParams) -> dict[tuple[str, str], float]:
    """Cosine of every pair that shares a term with df <= max_df and may be linked in time."""
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for doc_id in sorted(vectors):
        for term, weight in vectors[doc_id].items():
            postings[term].append((doc_id, weight))
    scores: dict[tuple[str, str], float] = defaultdict(float)
    for plist in postings.values():
        if len(plist) < 2 or len(plist) > params.max_df:
            continue
        for i, (a, wa) in enumerate(plist):
            for b, wb in plist[i + 1:]:
                scores[(a, b)] += wa * wb
    out = {}
    for (a, b), score in scores.items():
        da, db = days.get(a), days.get(b)
        if da is not None and db is not None and abs(da - db) > params.window_days:
            continue
        out[(a, b)] = score
    return out


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
    parent = {d: d for d in vectors}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[str, float] = defaultdict(float)
    for (a, b), score in similar_pairs(vectors, days, params).items():
        if score >= params.threshold:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
            best[a] = max(best[a], score)
            best[b] = max(best[b], score)
    clusters: dict[str, list[str]] = defaultdict(list)
    for d in vectors:
        clusters[find(d)].append(d)
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
