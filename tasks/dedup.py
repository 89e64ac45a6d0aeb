"""MinHash signatures for near-duplicate detection (agency copy republished with small edits).

Signatures are computed per document in the workers; grouping with LSH bands
happens at load time against everything already in the warehouse
(warehouse/sql/near_duplicates.sql), and `near_dup_groups` turns the verified
pairs into groups.

Parameters, chosen together:
- 64 permutations over 5-token shingles of the match key;
- 16 bands of 4 rows: a pair becomes a candidate with probability 1-(1-J^4)^16,
  i.e. 0.64 at J=0.5, 0.99 at J=0.7, >0.999 at J=0.8;
- an edge needs an estimated Jaccard >= 0.5 (at least 32 of the 64 values equal).
  One agency story reprinted with a sentence changed in twenty keeps J around 0.8-0.9;
  two different stories on the same event share few 5-word shingles (J < 0.1).
"""
from __future__ import annotations

import zlib

import numpy as np

from tasks.normalize import match_key, tokens

NUM_PERM = 64
SHINGLE = 5
LSH_BANDS = 16
LSH_ROWS = 4                  # LSH_BANDS * LSH_ROWS == NUM_PERM
NEAR_DUP_THRESHOLD = 0.5      # estimated Jaccard of an edge
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20261121)   # fixed seed: signatures must be comparable across runs
_A = _rng.integers(1, 1 << 32, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64)


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    toks = tokens(match_key(text))
    if len(toks) < size:
        return {zlib.crc32(" ".join(toks).encode())} if toks else set()
    return {zlib.crc32(" ".join(toks[i:i + size]).encode()) for i in range(len(toks) - size + 1)}


def minhash_signature(text: str) -> list[int]:
    hashed = shingles(text)
    if not hashed:
        return [0xFFFFFFFF] * NUM_PERM
    x = np.fromiter(hashed, dtype=np.uint64, count=len(hashed))
    # (a*x + b) mod p, with x < 2^32 and a < 2^32: the product fits in uint64 before the modulo
    values = ((np.outer(x, _A) + _B) % _PRIME) & _MAX32
    return values.min(axis=0).astype(np.uint32).tolist()


def jaccard_estimate(a: list[int], b: list[int]) -> float:
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def near_dup_groups(doc_ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str | None]:
    """Connected components of `pairs` over `doc_ids`: doc_id -> smallest doc_id of its group,
    or None for a document with no near-duplicate. Deterministic whatever the pair order."""
    parent = {d: d for d in doc_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:   # the smaller id becomes the root, so the root is the group's smallest doc_id
            parent[max(ra, rb)] = min(ra, rb)
    roots = {d: find(d) for d in doc_ids}
    sizes: dict[str, int] = {}
    for r in roots.values():
        sizes[r] = sizes.get(r, 0) + 1
    return {d: (r if sizes[r] > 1 else None) for d, r in roots.items()}
