"""Per-site memory of chrome lines, read by cleaning workers from a Parquet snapshot.

The warehouse keeps `site_memory(site, fingerprint, n_pages)`, learned across runs;
after each commit it writes a snapshot that workers read without touching DuckDB
(whose writer lock would block them).
"""
from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.clean_text import SiteMemory


class SiteMemoryStore:
    """Lazily loads one site's counts from the snapshot, once per worker and site."""

    def __init__(self, snapshot: Path | None, min_pages: int):
        self.snapshot = snapshot if snapshot and Path(snapshot).exists() else None
        self.min_pages = min_pages
        self._sites: dict[str, SiteMemory | None] = {}

    def for_site(self, site: str | None) -> SiteMemory | None:
        if not site or self.snapshot is None:
            return None
        if site not in self._sites:
            table = pq.read_table(self.snapshot, columns=["fingerprint", "n_pages"], filters=[("site", "=", site)])
            table = table.filter(pc.greater_equal(table["n_pages"], self.min_pages))
            counts = dict(zip(table["fingerprint"].to_pylist(), table["n_pages"].to_pylist()))
            self._sites[site] = SiteMemory(counts, self.min_pages) if counts else None
        return self._sites[site]
