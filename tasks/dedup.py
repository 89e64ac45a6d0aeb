"""MinHash signatures for near-duplicate detection (agency copy republished with small edits).

Signatures are computed per document in the workers; grouping with LSH bands
happens at load time against everything already in the warehouse.
"""
from __future__ import annotations

import zlib

import numpy as np

from tasks.normalize import match_key, tokens

NUM_PERM = 64
SHINGLE = 5
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
