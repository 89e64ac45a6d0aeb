"""MinHash signatures for near-duplicate detection (agency copy republished with small edits).

Signatures are computed per document in the workers; grouping with LSH bands
happens at load time against everything already in the warehouse
(warehouse/sql/near_duplicates.sql), and `near_dup_links` / `near_dup_roots` turn
the verified pairs into groups.

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
from functools import lru_cache

import numpy as np

from tasks.disjoint_sets import components, compress, union_edges
from tasks.normalize import key_tokens, match_key

try:    # _shingle_hashes and _min_hashes in C: one pass each, no temporaries; absent when not compiled
    from tasks._native import min_hashes as _native_min_hashes
    from tasks._native import shingle_hashes as _native_shingle_hashes
except ImportError:
    _native_min_hashes = _native_shingle_hashes = None

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


# odd multipliers that mix the token hashes of a shingle by position (arithmetic wraps mod 2^64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)


def shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    return key_shingle_hashes(match_key(text), size)


def key_shingle_hashes(key: str, size: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the distinct `size`-token shingles of a match key (a short text: one shingle)."""
    return np.unique(_shingle_hashes(key_tokens(key), size))


def _shingle_hashes(toks: list[str], size: int = SHINGLE) -> np.ndarray:
    """The 32-bit hash of every `size`-token shingle of a match key's tokens, in order, repeats kept.

    Each token is hashed once (crc32); a shingle's hash combines its tokens' hashes by position,
    vectorized, instead of hashing every joined shingle string (about 5x cheaper).
    """
    if not toks:
        return np.empty(0, dtype=np.uint64)
    if _native_shingle_hashes is not None:
        return np.frombuffer(_native_shingle_hashes(toks, size, _MIX), dtype=np.uint64)
    h = np.fromiter(map(zlib.crc32, map(str.encode, toks)), dtype=np.uint64, count=len(toks))   # UTF-8, in C
    width = min(size, len(h))
    n = len(h) - width + 1
    with np.errstate(over="ignore"):
        mixed = h[:n] * _MIX[0]
        for j in range(1, width):
            mixed += h[j:j + n] * _MIX[j]
        mixed ^= mixed >> np.uint64(29)
        mixed *= _MIX[width]
    mixed >>= np.uint64(32)   # the high half: the best-mixed bits, and < 2^32 as minhash needs
    return mixed


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    return set(shingle_hashes(text, size).tolist())


def minhash_signature(text: str) -> list[int]:
    return minhash_of_key(match_key(text))


# shingles per block of the MinHash product: a (block, NUM_PERM) uint64 array of 128 KiB stays in
# cache and in the allocator's free lists; one (n, NUM_PERM) array of a 5 KB page (~400 KiB) was
# ~3x slower (fresh pages for every temporary)
_BLOCK = 256
_SHIFT61 = np.uint64(61)


def minhash_of_key(key: str) -> list[int]:
    """The signature from a match key the caller already has."""
    return minhash_of_tokens(key_tokens(key))


def minhash_of_tokens(toks: list[str]) -> list[int]:
    """The signature from key_tokens(key), when the caller has them (build_article counts words with them too).

    Value k is min over the shingles x of ((a_k*x + b_k) mod p) & 0xFFFFFFFF with p = 2^61-1.
    Repeated shingles do not change a minimum, so they are not removed first.
    """
    x = _shingle_hashes(toks)
    if not len(x):
        return [0xFFFFFFFF] * NUM_PERM
    if _native_min_hashes is not None:
        return _native_min_hashes(x, _A, _B)
    return _min_hashes(x, _A, _B).tolist()


def _min_hashes(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """min over x of ((a*x + b) mod p) & 0xFFFFFFFF per (a, b), as uint32; x, a, b < 2^32."""
    sig = None
    for i in range(0, len(x), _BLOCK):
        # a*x + b < 2^64; mod the Mersenne prime p without a division:
        # v = hi*2^61 + lo ≡ lo + hi (mod p), and lo + hi < p + 8 needs at most one subtraction
        v = np.multiply.outer(x[i:i + _BLOCK], a)
        v += b
        hi = v >> _SHIFT61
        v &= _PRIME
        v += hi
        if v.max() >= _PRIME:
            v[v >= _PRIME] -= _PRIME
        m = v.astype(np.uint32).min(axis=0)   # astype keeps the low 32 bits: & 0xFFFFFFFF
        sig = m if sig is None else np.minimum(sig, m, out=sig)
    return sig


def jaccard_estimate(a: list[int], b: list[int]) -> float:
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def signature_matrix(signatures: "pa.ChunkedArray") -> np.ndarray:
    """An (n, NUM_PERM) uint32 matrix of a list<uint32> column of signatures; a row that is not a
    full signature (null, or a text too short: it has no LSH bands, so no candidate pair) is zeros."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = signatures.combine_chunks() if isinstance(signatures, pa.ChunkedArray) else signatures
    full = pc.fill_null(pc.equal(pc.list_value_length(lists), NUM_PERM), False).to_numpy(zero_copy_only=False)
    matrix = np.zeros((len(lists), NUM_PERM), dtype=np.uint32)
    if full.any():
        values = pc.list_flatten(lists.filter(pa.array(full))).to_numpy(zero_copy_only=False)
        matrix[full] = values.astype(np.uint32).reshape(-1, NUM_PERM)
    return matrix


def bucket_starts(band: np.ndarray, bucket: np.ndarray) -> np.ndarray:
    """Where each bucket starts in rows sorted by (band, bucket), plus the end."""
    change = np.flatnonzero((band[1:] != band[:-1]) | (bucket[1:] != bucket[:-1])) + 1
    return np.concatenate([[0], change, [len(band)]]).astype(np.int64)


def bucket_pairs(members: np.ndarray, starts: np.ndarray, max_pairs: int = 1 << 18):
    """Every pair (a, b), a < b, of members sharing a bucket (`members` sorted by bucket, then number;
    `starts` from bucket_starts), in blocks of about `max_pairs`. A pair sharing several buckets
    comes once per bucket: the union-find does not mind."""
    block_a, block_b, n = [], [], 0
    for start, end in zip(starts[:-1].tolist(), starts[1:].tolist()):
        size = end - start
        pairs = [_pairs_within(size)] if size <= 64 else _pairs_by_rows(size, max_pairs)
        for ia, ib in pairs:
            block_a.append(members[start + ia])
            block_b.append(members[start + ib])
            n += len(ia)
            if n >= max_pairs:
                yield np.concatenate(block_a), np.concatenate(block_b)
                block_a, block_b, n = [], [], 0
    if n:
        yield np.concatenate(block_a), np.concatenate(block_b)


def _pairs_by_rows(size: int, max_pairs: int):
    """The pairs (i, j), i < j < size, of a big bucket, in pieces of about `max_pairs`: thousands of
    copies of one text share every bucket, and np.triu_indices of 8,000 members alone is ~512 MB."""
    first = 0
    while first < size - 1:
        last, n = first, 0
        while last < size - 1 and n < max_pairs:
            n += size - 1 - last
            last += 1
        rows = np.arange(first, last)
        ia = np.repeat(rows, size - 1 - rows)
        ib = np.concatenate([np.arange(i + 1, size) for i in range(first, last)])
        yield ia, ib
        first = last


@lru_cache(maxsize=None)   # sizes 2..64: ~1 MB in all
def _pairs_within(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def verified_pairs(matrix: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """Which candidate pairs (rows of `matrix`) are near-duplicates: an estimated Jaccard (share of
    equal MinHash values) of at least NEAR_DUP_THRESHOLD. Blockwise: memory stays ~block × NUM_PERM × 8 B."""
    keep = np.zeros(len(rows_a), dtype=bool)
    need = NEAR_DUP_THRESHOLD * matrix.shape[1]
    for start in range(0, len(rows_a), block):
        a, b = rows_a[start:start + block], rows_b[start:start + block]
        keep[start:start + block] = (matrix[a] == matrix[b]).sum(axis=1) >= need
    return keep


def candidate_rows(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct bucket `members` in order (the rows of the signature matrix) and each member's
    row, as int32: np.unique's inverse and np.searchsorted give int64, 8 B a member (~120 MB for the
    ~15M bucket rows of a 1M-article load, held through the whole pair verification)."""
    candidates = np.unique(members)
    lookup = np.zeros(int(candidates[-1]) + 1 if len(candidates) else 0, dtype=np.int32)
    lookup[candidates] = np.arange(len(candidates), dtype=np.int32)
    return candidates, lookup[members]


def near_dup_links(rows: np.ndarray, starts: np.ndarray, candidates: np.ndarray,
                   matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Links (a, b) among the bucket members that join exactly the groups the verified near-duplicate
    pairs join: each linked member with the first member of its group. The members are given as their
    `rows` (candidate_rows), grouped by `starts`; `candidates` are the distinct members in order and
    `matrix` their signatures, row for row.

    The verified pairs are merged block by block as they come: kept whole, a pair for every bucket
    two copies share (16 bands), they cost ~270 MB at the 100k load's peak."""
    parent = np.arange(len(candidates), dtype=np.int64)
    for a, b in bucket_pairs(rows, starts):
        keep = verified_pairs(matrix, a, b)
        union_edges(parent, a[keep].astype(np.int64), b[keep].astype(np.int64))
    root = compress(parent)
    linked = np.flatnonzero(root != np.arange(len(root)))
    return candidates[linked], candidates[root[linked]]


def near_dup_roots(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Near-duplicate groups of documents 0..n-1 joined by the verified pairs (a[k], b[k]): each
    document's group as the smallest index in it, -1 for a document with no near-duplicate.
    Number the documents in doc_id order and the group is named by its smallest doc_id, whatever
    the pair order (deterministic, and the same after `news-etl rebuild`)."""
    root = components(n, a, b)
    sizes = np.bincount(root, minlength=n)
    return np.where(sizes[root] > 1, root, -1)
