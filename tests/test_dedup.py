"""Near-duplicates: MinHash signatures, the LSH band/threshold choice, grouping.

The incremental grouping in the warehouse is in test_warehouse; the end-to-end case
(two outlets' text files of one agency story, the second arriving in a later run) is here.
"""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from tasks.dedup import (LSH_BANDS, LSH_ROWS, NEAR_DUP_THRESHOLD, NUM_PERM, jaccard_estimate, minhash_signature,
                         near_dup_roots, shingles)

AGENCY_STORY = [
    "GENEVA (Agency) - Negotiators from forty countries agreed early on Saturday on a new framework to share "
    "river water across borders, ending two weeks of talks that had twice come close to collapse.",
    "The agreement sets up a joint commission that will publish flow data every month and settle disputes "
    "over dams and irrigation before they reach international courts.",
    "Delegates applauded when the chair read out the final text shortly after four in the morning, "
    "according to two people who were in the room.",
    "Several downstream countries had demanded binding limits on new dams, while upstream states insisted "
    "on their right to develop hydropower for growing cities.",
    "The compromise leaves those limits to the commission, which must decide within three years, a delay "
    "that environmental groups called disappointing but workable.",
    "Farmers' organisations welcomed the monthly data, saying that late warnings of low water had cost "
    "them entire harvests during the drought two summers ago.",
    "The framework enters into force once twenty countries have ratified it, a process officials expect "
    "to take at least eighteen months.",
]


def outlet_page(paragraphs: list[str], chrome_top: list[str], chrome_bottom: list[str]) -> str:
    return "\n".join(chrome_top + [""] + [p + "\n" for p in paragraphs] + chrome_bottom) + "\n"


def edited(paragraphs: list[str]) -> list[str]:
    """What a second outlet prints: one sentence rewritten, the dateline shortened."""
    out = list(paragraphs)
    out[0] = out[0].replace("GENEVA (Agency) - ", "GENEVA - ")
    out[2] = ("The final text was read out by the chair just after 4 a.m., and delegates broke into "
              "applause, two people present said.")
    return out


def test_syndicated_copy_with_small_edits_is_a_near_duplicate():
    a = " ".join(AGENCY_STORY)
    b = " ".join(edited(AGENCY_STORY))
    est = jaccard_estimate(minhash_signature(a), minhash_signature(b))
    sa, sb = shingles(a), shingles(b)
    true_j = len(sa & sb) / len(sa | sb)
    assert true_j > 0.7
    assert est >= NEAR_DUP_THRESHOLD
    assert abs(est - true_j) < 0.2   # 64 permutations: standard error about 0.06


def test_a_different_story_is_not_a_near_duplicate():
    other = ("Heavy rain flooded several streets in the old town overnight and firefighters pumped water out "
             "of dozens of basements, while the weather service said the storms would ease by the weekend. "
             "Schools stayed closed on Monday and trains between the two main stations ran with long delays.")
    assert jaccard_estimate(minhash_signature(" ".join(AGENCY_STORY)), minhash_signature(other)) < 0.2


def test_signature_is_deterministic_and_sized_for_the_bands():
    text = " ".join(AGENCY_STORY)
    sig = minhash_signature(text)
    assert len(sig) == NUM_PERM == LSH_BANDS * LSH_ROWS
    assert sig == minhash_signature(text)
    assert all(0 <= v <= 0xFFFFFFFF for v in sig)
    assert minhash_signature("") == [0xFFFFFFFF] * NUM_PERM   # too short to shingle: no bands in the warehouse


def near_dup_groups(docs: list[str], pairs: list[tuple[str, str]]) -> dict[str, str | None]:
    """doc -> its group's smallest doc (None when alone), through near_dup_roots as the loader uses it:
    documents numbered in doc_id order, pairs as numbers."""
    ordered = sorted(docs)
    number = {d: i for i, d in enumerate(ordered)}
    roots = near_dup_roots(len(ordered), np.array([number[a] for a, _ in pairs], dtype=np.int32),
                           np.array([number[b] for _, b in pairs], dtype=np.int32))
    return {d: (ordered[r] if r >= 0 else None) for d, r in zip(ordered, roots.tolist())}


def test_groups_are_components_named_by_their_smallest_member():
    docs = ["d5", "d1", "d3", "d9", "d7", "d2"]
    pairs = [("d5", "d9"), ("d3", "d5"), ("d7", "d2")]
    expected = {"d1": None, "d3": "d3", "d5": "d3", "d9": "d3", "d2": "d2", "d7": "d2"}
    assert near_dup_groups(docs, pairs) == expected
    for perm in itertools.permutations(pairs):   # the same groups whatever order the pairs come in
        assert near_dup_groups(list(reversed(docs)), [tuple(reversed(p)) for p in perm]) == expected


def test_groups_on_a_random_graph_match_a_plain_search():
    rng = random.Random(7)
    docs = [f"doc{i:03d}" for i in range(60)]
    pairs = [tuple(rng.sample(docs, 2)) for _ in range(45)]
    groups = near_dup_groups(docs, pairs)
    adjacent = {d: set() for d in docs}
    for a, b in pairs:
        adjacent[a].add(b)
        adjacent[b].add(a)
    for d in docs:
        seen, todo = {d}, [d]
        while todo:
            for n in adjacent[todo.pop()] - seen:
                seen.add(n)
                todo.append(n)
        assert groups[d] == (min(seen) if len(seen) > 1 else None)


@pytest.mark.parametrize("j, expected_at_least", [(0.7, 0.95), (0.8, 0.99)])
def test_band_choice_finds_near_duplicates(j, expected_at_least):
    """The S-curve of 16 bands x 4 rows: a pair at Jaccard j is a candidate with 1-(1-j^4)^16."""
    assert 1 - (1 - j ** LSH_ROWS) ** LSH_BANDS >= expected_at_least


def test_two_outlets_in_two_runs_land_in_one_near_dup_group(tmp_path, prefect_harness):
    """The agency story from outlet A in a first run; outlet B's copy, with a sentence rewritten and
    its own page chrome, in a later run: both in one group, named by the smaller doc_id."""
    import shutil

    import duckdb

    from flows.etl import news_etl
    from tests.conftest import SAMPLES_RAW

    landing, data = tmp_path / "landing", tmp_path / "data"
    (landing / "outlet-a").mkdir(parents=True)
    (landing / "outlet-b").mkdir()
    (landing / "outlet-a" / "river-deal.txt").write_text(outlet_page(
        AGENCY_STORY,
        ["Daily Courier", "Home | World | Business | Sport | Opinion", "Nations agree river water deal after all-night talks"],
        ["Share this article: Facebook | Twitter | Email", "Most read", "© 2026 Daily Courier. All rights reserved."]),
        encoding="utf-8")
    shutil.copy2(sorted(SAMPLES_RAW.iterdir())[0], landing / "outlet-a" / "other-story.txt")
    first = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert first["status"] == "completed" and first["articles_written"] == 2

    (landing / "outlet-b" / "water-pact.txt").write_text(outlet_page(
        edited(AGENCY_STORY),
        ["THE MORNING POST", "News  Politics  Economy  Culture  Video", "Countries strike deal on sharing river water"],
        ["Subscribe to our newsletter", "Related: Drought hits farmers again", "Copyright 2026 The Morning Post"]),
        encoding="utf-8")
    second = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert second["status"] == "completed" and second["articles_written"] == 1

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        got = dict(con.execute("select source_path, near_dup_group from articles").fetchall())
        ids = dict(con.execute("select source_path, doc_id from articles").fetchall())
        dups = con.execute("select count(*) from articles where dup_of is not null").fetchone()[0]
    finally:
        con.close()
    pair = ("outlet-a/river-deal.txt", "outlet-b/water-pact.txt")
    assert got[pair[0]] == got[pair[1]] == min(ids[p] for p in pair)
    assert got["outlet-a/other-story.txt"] is None
    assert dups == 0   # edited copies are near-duplicates, not exact ones


def test_candidate_pairs_are_verified_on_the_share_of_equal_minhash_values():
    import pyarrow as pa

    from tasks.dedup import signature_matrix, verified_pairs

    base = list(range(NUM_PERM))
    need = int(NEAR_DUP_THRESHOLD * NUM_PERM)
    at_threshold = base[:need] + [v + 1000 for v in base[need:]]          # exactly `need` values equal
    below = base[:need - 1] + [v + 1000 for v in base[need - 1:]]         # one fewer
    signatures = pa.chunked_array([pa.array([base, at_threshold, None, below, base[:10]], pa.list_(pa.uint32()))])
    matrix = signature_matrix(signatures)
    assert matrix.shape == (5, NUM_PERM) and not matrix[2].any() and not matrix[4].any()   # null, too short: zeros
    keep = verified_pairs(matrix, np.array([0, 0, 1]), np.array([1, 3, 0]), block=2)
    assert keep.tolist() == [True, False, True]


def test_candidate_pairs_are_every_pair_within_each_shared_bucket():
    from tasks.dedup import bucket_pairs, bucket_starts

    band = np.array([0, 0, 0, 1, 1], dtype=np.uint8)          # sorted by (band, bucket), then number
    bucket = np.array([7, 7, 7, 7, 7], dtype=np.uint64)       # the same hash in another band is another bucket
    members = np.array([2, 5, 9, 2, 9])
    starts = bucket_starts(band, bucket)
    assert starts.tolist() == [0, 3, 5]
    pairs = sorted(zip(*map(np.ndarray.tolist, map(np.concatenate, zip(*bucket_pairs(members, starts, max_pairs=2))))))
    assert pairs == [(2, 5), (2, 9), (2, 9), (5, 9)]


def test_candidate_rows_number_the_distinct_members_in_order_as_int32():
    from tasks.dedup import candidate_rows

    members = np.array([9, 2, 5, 2, 9, 40], dtype=np.int32)
    candidates, rows = candidate_rows(members)
    assert candidates.tolist() == [2, 5, 9, 40]
    assert rows.dtype == np.int32 and rows.tolist() == [2, 0, 1, 0, 2, 3]
    assert candidates[rows].tolist() == members.tolist()
    empty_candidates, empty_rows = candidate_rows(np.array([], dtype=np.int32))
    assert len(empty_candidates) == 0 and len(empty_rows) == 0


def test_a_big_bucket_gives_every_pair_in_bounded_pieces():
    """Thousands of copies of one text share every bucket: the pairs of a bucket over 64 members come
    in pieces of about max_pairs (a row's pairs at most over), never all at once."""
    from tasks.dedup import bucket_pairs, bucket_starts

    size, small = 300, 5
    band = np.zeros(size + small, dtype=np.uint8)
    bucket = np.array([1] * size + [2] * small, dtype=np.uint64)
    members = np.concatenate([np.arange(1000, 1000 + size), np.arange(small)])
    blocks = list(bucket_pairs(members, bucket_starts(band, bucket), max_pairs=1000))
    assert max(len(a) for a, _ in blocks) < 1000 + size
    pairs = [p for a, b in blocks for p in zip(a.tolist(), b.tolist())]
    expected = {(1000 + i, 1000 + j) for i in range(size) for j in range(i + 1, size)}
    expected |= {(i, j) for i in range(small) for j in range(i + 1, small)}
    assert len(pairs) == len(expected) and set(pairs) == expected


def test_compiled_min_hashes_are_built_and_equal_numpys():
    # signatures are stored and compared across runs: the C loop (tasks/_native.c) must give
    # numpy's values bit for bit, edge values included
    from tasks import dedup
    assert dedup._native_min_hashes is not None      # `pip install -e .` builds it
    rng = np.random.default_rng(3)
    cases = [np.array([0, 1, 0xFFFFFFFF, 0xFFFFFFFE, 1 << 31], dtype=np.uint64),
             rng.integers(0, 1 << 32, 1, dtype=np.uint64), rng.integers(0, 1 << 32, 5000, dtype=np.uint64)]
    for x in cases:
        assert dedup._native_min_hashes(x, dedup._A, dedup._B) == dedup._min_hashes(x, dedup._A, dedup._B).tolist()
        # (the loop runs several permutations at once: a count that is no multiple of the lanes too)
        for k in (1, 5, 63):
            a, b = dedup._A[:k].copy(), dedup._B[:k].copy()
            assert dedup._native_min_hashes(x, a, b) == dedup._min_hashes(x, a, b).tolist()


def test_compiled_min_hashes_refuse_values_they_cannot_compute_exactly():
    from tasks import dedup
    with pytest.raises(ValueError):      # a shingle hash past 32 bits: a*x + b could wrap
        dedup._native_min_hashes(np.array([1 << 40], dtype=np.uint64), dedup._A, dedup._B)
    with pytest.raises(ValueError):      # 4-byte values where 8-byte ones are read
        dedup._native_min_hashes(np.array([1, 2], dtype=np.uint32), dedup._A, dedup._B)


def test_compiled_shingle_hashes_are_built_and_equal_numpys(monkeypatch):
    # zlib's CRC-32 of each token's UTF-8 and the same mixing, in C: the stored signatures
    # must not change with the build
    from tasks import dedup
    assert dedup._native_shingle_hashes is not None
    rng = random.Random(5)
    words = ["agency", "وكالة", "الأنباء", "新华社", "Москва", "ça", "x", "2026", "\u00e9t\u00e9", "🙂"]
    cases = [[], ["one"], ["a", "b"], [rng.choice(words) for _ in range(4)], [rng.choice(words) for _ in range(700)]]
    native = [dedup._shingle_hashes(t, size).tolist() for t in cases for size in (1, 3, 5)]
    monkeypatch.setattr(dedup, "_native_shingle_hashes", None)
    assert native == [dedup._shingle_hashes(t, size).tolist() for t in cases for size in (1, 3, 5)]


def test_compiled_shingle_hashes_fail_like_numpys_on_a_lone_surrogate(monkeypatch):
    from tasks import dedup
    with pytest.raises(UnicodeEncodeError):
        dedup._shingle_hashes(["ok", "\ud800"])
    monkeypatch.setattr(dedup, "_native_shingle_hashes", None)
    with pytest.raises(UnicodeEncodeError):
        dedup._shingle_hashes(["ok", "\ud800"])
