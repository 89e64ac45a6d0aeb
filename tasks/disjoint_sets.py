"""Union-find whose root is always the smallest member, so group ids are deterministic.

`DisjointSets` over any hashable items; `union_edges` / `compress` over numbered items
(numpy arrays: a few bytes an edge, however many millions of edges a run brings).
"""
from __future__ import annotations

from typing import Hashable, Iterable

import numpy as np


class DisjointSets:
    def __init__(self, items: Iterable[Hashable] = ()):
        self.parent = {x: x for x in items}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]   # path halving keeps later finds short
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:   # the smaller root wins, whatever the order of unions
            self.parent[max(ra, rb)] = min(ra, rb)


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """root[i]: the smallest index of i's connected component, over items 0..n-1 and edges (a[k], b[k])."""
    root = np.arange(n, dtype=np.int64)
    union_edges(root, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
    return compress(root)


def compress(parent: np.ndarray) -> np.ndarray:
    """Point every index at its root (pointer jumping: log(depth) passes)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent[:] = grand


def union_edges(parent: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Merge the sets of every (a, b) edge, vectorized; a merged set's root is its smallest member."""
    while len(a):
        compress(parent)
        ra, rb = parent[a], parent[b]
        apart = ra != rb
        a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
        # hook each larger root to the smallest root it is linked to: pointers only go down, no cycle
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))
