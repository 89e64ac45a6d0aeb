"""Union-find whose root is always the smallest member, so group ids are deterministic."""
from __future__ import annotations

from typing import Hashable, Iterable


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
