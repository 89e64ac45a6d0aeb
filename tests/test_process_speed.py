"""The per-document step's fast paths give exactly what the plain definitions give."""
from __future__ import annotations

import numpy as np

from tasks.dedup import _A, _B, _PRIME, NUM_PERM, _min_hashes, _shingle_hashes, minhash_of_key
from tasks.normalize import match_key

_MAX32 = np.uint64(0xFFFFFFFF)


def _reference_minhash(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[int]:
    # the definition: distinct shingles, (a*x + b) mod p with a division, low 32 bits, minimum
    x = np.unique(x)
    return (((np.outer(x, a) + b) % _PRIME) & _MAX32).min(axis=0).astype(np.uint32).tolist()


def test_mersenne_reduction_matches_the_modulo_at_its_edges():
    # a*x + b = 2^62 - 1: lo = p and hi = 1, the one case that needs the final subtraction;
    # also 0, 1, the largest 32-bit values and more rows than one block
    a = np.array([1 << 31, 5, (1 << 32) - 1, 1], dtype=np.uint64)
    b = np.array([(1 << 31) - 1, 0, (1 << 32) - 1, 0], dtype=np.uint64)
    x = np.array([(1 << 31) - 1, 0, 1, (1 << 32) - 1, 77] * 300, dtype=np.uint64)
    assert _min_hashes(x, a, b).tolist() == _reference_minhash(x, a, b)
    assert _min_hashes(x[:1], a, b).tolist() == _reference_minhash(x[:1], a, b)


def test_minhash_of_a_long_key_matches_the_definition():
    key = match_key(" ".join(f"word{i % 700} token{i % 13}" for i in range(3000)))
    x = _shingle_hashes(key)
    assert len(x) > 1000   # several blocks, repeated shingles
    assert minhash_of_key(key) == _reference_minhash(x, _A, _B)
    assert len(minhash_of_key(key)) == NUM_PERM
