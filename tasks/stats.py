"""Per-step counters in the style of datatrove: seen, kept, dropped by reason, seconds."""
from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class StepStats:
    step: str
    seen: int = 0
    kept: int = 0
    dropped_by_reason: Counter = field(default_factory=Counter)
    lines_removed_by_reason: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def dropped(self) -> int:
        return sum(self.dropped_by_reason.values())

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped_by_reason[reason] += n

    @contextmanager
    def timer(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start

    def merge(self, other: "StepStats") -> None:
        self.seen += other.seen
        self.kept += other.kept
        self.dropped_by_reason.update(other.dropped_by_reason)
        self.lines_removed_by_reason.update(other.lines_removed_by_reason)
        self.seconds += other.seconds

    def to_row(self, run_id: str) -> dict:
        return {
            "run_id": run_id,
            "step": self.step,
            "seen": self.seen,
            "kept": self.kept,
            "dropped": self.dropped,
            "dropped_by_reason": dict(self.dropped_by_reason),
            "lines_removed_by_reason": dict(self.lines_removed_by_reason),
            "seconds": round(self.seconds, 6),
        }

    @classmethod
    def from_row(cls, row: dict) -> "StepStats":
        return cls(
            step=row["step"], seen=row["seen"], kept=row["kept"],
            dropped_by_reason=Counter(dict(row["dropped_by_reason"] or {})),
            lines_removed_by_reason=Counter(dict(row["lines_removed_by_reason"] or {})),
            seconds=row["seconds"],
        )


def merge_all(stats: list[StepStats]) -> list[StepStats]:
    """Merge per-chunk stats into one StepStats per step, keeping first-seen step order."""
    merged: dict[str, StepStats] = {}
    for s in stats:
        merged.setdefault(s.step, StepStats(s.step)).merge(s)
    return list(merged.values())
