"""Story grouping at scale (warehouse/stories.py): blockwise pair scoring, vectorized single link,
and the DuckDB-side full regrouping, each checked against a plain all-pairs computation."""
from __future__ import annotations

import datetime as dt
import tracemalloc

import numpy as np
import pytest

import warehouse.stories as stories
from warehouse.loader import connect
from warehouse.models import refresh_models, update_article_terms
from warehouse.stories import StoryParams, group_stories, link_components, linked_pairs
from tests.conftest import query_warehouse as query
from tests.test_marts import INGESTED, MIXED, article_row, build_warehouse


def random_postings(rng: np.random.Generator, n: int, vocab: int, per_doc: int):
    docs, terms, weights = [], [], []
    for d in range(n):
        chosen = np.unique((rng.power(0.4, per_doc) * vocab).astype(np.int64))   # a few common terms, a rare tail
        w = rng.random(len(chosen)) + 0.05
        docs += [d] * len(chosen)
        terms += chosen.tolist()
        weights += (w / np.linalg.norm(w)).tolist()
    day_arr = np.where(rng.random(n) < 0.5, np.nan, rng.integers(0, 30, n).astype(float))
    return np.array(docs), np.array(terms), np.array(weights), day_arr


def all_pairs(docs, terms, weights, day_arr, params, wanted=None) -> dict[tuple[int, int], float]:
    """The definition, computed densely: cosine over the terms of 2..max_df articles, time window, threshold."""
    n, vocab = len(day_arr), terms.max() + 1
    dense = np.zeros((n, vocab))
    dense[docs, terms] = weights
    df = (dense > 0).sum(axis=0)
    dense[:, (df < 2) | (df > params.max_df)] = 0
    scores = dense @ dense.T
    out = {}
    for a in range(n):
        for b in range(a + 1, n):
            if wanted is not None and not (wanted[a] or wanted[b]):
                continue
            if not (np.isnan(day_arr[a]) or np.isnan(day_arr[b])) and abs(day_arr[a] - day_arr[b]) > params.window_days:
                continue
            if scores[a, b] >= params.threshold:
                out[(a, b)] = scores[a, b]
    return out


def collected(pairs) -> dict[tuple[int, int], float]:
    return {(int(a), int(b)): s for arrays in pairs for a, b, s in zip(*(x.tolist() for x in arrays))}


@pytest.mark.parametrize("block", [1, 97, 10_000_000])
def test_blockwise_scoring_finds_exactly_the_linked_pairs(block):
    rng = np.random.default_rng(7)
    docs, terms, weights, day_arr = random_postings(rng, 150, 80, 12)
    params = StoryParams(threshold=0.3, window_days=7, max_df=40)
    want = all_pairs(docs, terms, weights, day_arr, params)
    got = collected(linked_pairs(docs, terms, weights, day_arr, params, block=block))
    assert got.keys() == want.keys() and len(want) > 20
    assert all(abs(got[k] - want[k]) < 1e-12 for k in want)
    # postings handed over in (term, doc) order, as SQL gives them, are used without a sorted copy
    df = np.bincount(terms)[terms]
    keep = (df >= 2) & (df <= params.max_df)
    order = np.lexsort((docs[keep], terms[keep]))
    by_term = (docs[keep][order], terms[keep][order], weights[keep][order])
    assert collected(linked_pairs(*by_term, day_arr, params, block=block, by_term=True)).keys() == want.keys()
    wanted = rng.random(150) < 0.1
    want = all_pairs(docs, terms, weights, day_arr, params, wanted)
    got = collected(linked_pairs(docs, terms, weights, day_arr, params, wanted=wanted, block=block))
    assert got.keys() == want.keys() and want


def test_components_are_single_link_and_rooted_at_the_smallest_index():
    rng = np.random.default_rng(3)
    docs, terms, weights, day_arr = random_postings(rng, 200, 120, 10)
    params = StoryParams(threshold=0.35, max_df=60)
    root, best = link_components(200, docs, terms, weights, day_arr, params)
    # reference: components by a plain graph walk over the all-pairs links
    links = all_pairs(docs, terms, weights, day_arr, params)
    neighbours = {i: set() for i in range(200)}
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for start in range(200):
        seen, todo = {start}, [start]
        while todo:
            for nxt in neighbours[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert root[start] == min(seen)
        strongest = max((s for (a, b), s in links.items() if start in (a, b)), default=None)
        assert (np.isnan(best[start]) if strongest is None else abs(best[start] - strongest) < 1e-12)
    assert len(set(root.tolist())) < 150   # some stories of several articles, or the test proves little


def test_scoring_memory_is_bounded_by_the_block_not_the_pairs(monkeypatch):
    """800 articles all sharing 20 terms: 6.4M candidate products, scored 100k at a time."""
    n, shared = 800, 20
    docs = np.repeat(np.arange(n), shared + 1)
    terms = np.tile(np.arange(shared + 1), n)
    terms[shared::shared + 1] = shared + np.arange(n)            # plus one term of its own each
    weights = np.full(len(docs), 1 / np.sqrt(shared + 1))
    params = StoryParams(threshold=0.5, max_df=n)
    monkeypatch.setattr(stories, "PAIR_BLOCK", 100_000)
    tracemalloc.start()
    try:
        root, _ = link_components(n, docs, terms, weights, np.full(n, np.nan), params)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (root == 0).all()                                      # one story, anchored at article 0
    assert peak < 30e6, f"{peak / 1e6:.0f} MB: pairs were materialised beyond the block"


def test_full_regrouping_in_duckdb_equals_group_stories(tmp_path, monkeypatch):
    """The warehouse's full regrouping (weights, ids and labels in DuckDB) gives the rows of the
    plain Python grouping over the same terms: dated copies included, so the window matters.
    Labels are ranked a few stories at a time, as a 1M-article warehouse needs."""
    import warehouse.models

    monkeypatch.setattr(warehouse.models, "LABEL_BATCH", 3)
    data = tmp_path / "data"
    rows = []
    for i, (key, lang, title, body) in enumerate(MIXED):
        for copy in range(2):
            published = dt.datetime(2024, 1, 1) + dt.timedelta(days=20 * copy) if key.startswith("storm") else None
            rows.append(article_row(f"{key}-{copy}", title, body, language=lang, site=f"s{copy}.example",
                                    published_at=published, ingested_at=INGESTED + dt.timedelta(minutes=i - copy)))
    build_warehouse(data, rows)
    refresh_models(data, full_stories=True)
    got = query(data, "select story_id, doc_id, is_anchor, best_similarity, label from story_members "
                      "order by story_id, doc_id")
    doc_terms = {r["doc_id"]: [] for r in rows}
    for doc_id, term, tf, title_tf in query(data, "select doc_id, term, tf, title_tf from article_terms order by doc_id, term"):
        doc_terms[doc_id].append((term, tf, title_tf))
    days = {r["doc_id"]: (r["published_at"].date() - dt.date(1970, 1, 1)).days if r["published_at"] else None
            for r in rows}
    order = {r["doc_id"]: (r["ingested_at"], r["doc_id"]) for r in rows}
    want = [(r["story_id"], r["doc_id"], r["is_anchor"], r["best_similarity"], r["label"])
            for r in group_stories(doc_terms, days, order)]
    assert got == want
    story_of = {doc_id: sid for sid, doc_id, *_ in got}
    assert story_of["quake-a-0"] == story_of["quake-b-1"]
    assert story_of["storm-en-a-0"] != story_of["storm-en-a-1"]   # 20 days apart: never linked


def test_a_run_bringing_most_articles_regroups_them_all(tmp_path):
    data = tmp_path / "data"
    by_key = {key: (lang, title, body) for key, lang, title, body in MIXED}
    build_warehouse(data, [article_row("markets-en", by_key["markets-en"][1], by_key["markets-en"][2])])
    refresh_models(data)
    later = [article_row(k, by_key[k][1], by_key[k][2], language=by_key[k][0], run_id="r2",
                         ingested_at=INGESTED + dt.timedelta(hours=1)) for k in by_key if k != "markets-en"]
    build_warehouse(data, later, run_id="r2")
    assert refresh_models(data)["story_members_written"] == len(MIXED)   # all rows rewritten: a full regrouping
    after_run = query(data, "select * from story_members order by doc_id")
    refresh_models(data, full_stories=True)
    assert query(data, "select * from story_members order by doc_id") == after_run
    assert query(data, "select count(*) from marts.stories where n_articles = 2") == [(2,)]


def test_term_document_frequencies_follow_new_and_replaced_versions(tmp_path):
    """term_df is kept by the refresh (added terms counted in, replaced versions' terms out) and
    always equals a recount over the current articles' terms."""
    data = tmp_path / "data"
    by_key = {key: (lang, title, body) for key, lang, title, body in MIXED}
    build_warehouse(data, [article_row(k, by_key[k][1], by_key[k][2], language=by_key[k][0], source_path=f"{k}.txt")
                           for k in ("quake-a", "storm-en-a", "oil-ar")])
    refresh_models(data)
    # run 2: storm-en-a's file now holds another article (a new version), and a new article
    build_warehouse(data, [article_row("storm-en-a", by_key["markets-en"][1], by_key["markets-en"][2],
                                       source_path="storm-en-a.txt", run_id="r2"),
                           article_row("quake-b", by_key["quake-b"][1], by_key["quake-b"][2], language="ar",
                                       source_path="quake-b.txt", run_id="r2")], run_id="r2")
    recount = ("select t.term, count(*) from article_terms t join articles a using (doc_id, version) "
               "group by t.term order by t.term")
    with connect(data) as con:   # the terms step alone: term_df kept by its delta, not recounted
        update_article_terms(con, data / "lake")
        assert con.execute("select term, df from term_df order by term").fetchall() == con.execute(recount).fetchall()
    refresh_models(data)
    assert query(data, "select count(*) from articles where doc_id = 'storm-en-a'") == [(1,)]
    assert query(data, "select term, df from term_df order by term") == query(data, recount)
    assert ("ciaran", ) not in query(data, "select term from term_df")


@pytest.mark.parametrize("shared", [3, 12, 300])   # numpy sums a pair's run sequentially below 9 values, pairwise above
def test_compiled_pair_scores_equal_numpys_to_the_bit(monkeypatch, shared):
    # the C loop (tasks/_native.c story_pair_scores) sums each pair as np.add.reduceat did, so
    # stories and their best links do not move with the build
    assert stories._native_pair_scores is not None
    rng = np.random.default_rng(shared)
    docs, terms, weights, day_arr = random_postings(rng, 120, 60, 10)
    # plus a few articles sharing `shared` terms of their own: long runs per pair
    extra = np.arange(120, 126)
    docs = np.concatenate([docs, np.repeat(extra, shared)])
    terms = np.concatenate([terms, np.tile(np.arange(1000, 1000 + shared), len(extra))])
    weights = np.concatenate([weights, rng.random(len(extra) * shared) / np.sqrt(shared)])
    day_arr = np.concatenate([day_arr, np.full(len(extra), np.nan)])
    params = StoryParams(threshold=0.2, window_days=7, max_df=50)
    wanted = rng.random(len(day_arr)) < 0.3

    def pairs(**kw):
        got = list(linked_pairs(docs, terms, weights, day_arr, params, block=500, **kw))
        return [np.concatenate([g[i] for g in got]) for i in range(3)]

    compiled = [pairs(), pairs(wanted=wanted)]
    monkeypatch.setattr(stories, "_native_pair_scores", None)
    python = [pairs(), pairs(wanted=wanted)]
    for (a1, b1, s1), (a2, b2, s2) in zip(compiled, python):
        assert len(a1) > 20
        assert np.array_equal(a1, a2) and np.array_equal(b1, b2)
        assert np.array_equal(s1.view(np.int64), s2.view(np.int64))


@pytest.mark.parametrize("threads", [2, 3])
def test_blocks_scored_in_threads_give_the_pairs_one_thread_gives_in_the_same_order(monkeypatch, threads):
    # each thread scores with its own scratch: a shared one would mix the partners of two blocks
    rng = np.random.default_rng(11)
    docs, terms, weights, day_arr = random_postings(rng, 3000, 400, 30)
    params = StoryParams(threshold=0.25, window_days=7, max_df=600)
    wanted = rng.random(3000) < 0.3

    def pairs(**kw):
        got = list(linked_pairs(docs, terms, weights, day_arr, params, block=40_000, **kw))
        assert len(got) > 10      # many blocks
        return [np.concatenate([g[i] for g in got]) for i in range(3)]

    monkeypatch.setattr(stories, "STORY_THREADS", 1)
    serial = [pairs(), pairs(wanted=wanted)]
    monkeypatch.setattr(stories, "STORY_THREADS", threads)
    for (a1, b1, s1), (a2, b2, s2) in zip(serial, [pairs(), pairs(wanted=wanted)]):
        assert len(a1) > 50
        assert np.array_equal(a1, a2) and np.array_equal(b1, b2)
        assert np.array_equal(s1.view(np.int64), s2.view(np.int64))


def test_compiled_pair_scores_refuse_an_index_out_of_range():
    from tasks._native import story_pair_scores
    i32, i64, f64 = (lambda *v: np.array(v, np.int32)), (lambda *v: np.array(v, np.int64)), (lambda *v: np.array(v, np.float64))
    slot = np.zeros(2, np.int32)
    with pytest.raises(ValueError):      # a partner position past the postings
        story_pair_scores(i32(0), i64(1), i64(5), i32(0, 1), f64(0.5, 0.5), f64(np.nan, np.nan), slot, 0.1, 7.0, None)
    with pytest.raises(ValueError):      # a posting of an article that does not exist
        story_pair_scores(i32(0), i64(1), i64(1), i32(0, 9), f64(0.5, 0.5), f64(np.nan, np.nan), slot, 0.1, 7.0, None)
    with pytest.raises(ValueError):      # scratch shorter than the articles
        story_pair_scores(i32(0), i64(1), i64(1), i32(0, 1), f64(0.5, 0.5), f64(np.nan, np.nan), slot[:1], 0.1, 7.0, None)
    assert not slot.any()                # left as it was given, all zeros
    a, b, score = story_pair_scores(i32(0), i64(1), i64(1), i32(0, 1), f64(0.6, 0.8), f64(np.nan, np.nan), slot,
                                    0.1, 7.0, None)
    assert np.frombuffer(a, np.int64).tolist() == [0] and np.frombuffer(b, np.int64).tolist() == [1]
    assert np.frombuffer(score, np.float64).tolist() == [0.6 * 0.8] and not slot.any()
