"""The run summary: printed by the CLI, published as a Prefect markdown artifact."""
from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from tasks.stats import StepStats, merge_all


@dataclass
class RunSummary:
    run_id: str
    data_dir: str
    files_seen: int = 0
    files_new: int = 0
    files_unchanged: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    articles_written: int = 0
    rejects_by_reason: Counter = field(default_factory=Counter)
    steps: list[StepStats] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    checks_reused_from: str | None = None   # a run that loaded nothing on an untouched warehouse: that run's results
    seconds: float = 0.0
    # wall seconds of the flow's phases after discovery, in the order they ran: the chunks (read, clean,
    # build on the workers), the load into DuckDB, the data checks, the marts/feeds/report
    phases: dict[str, float] = field(default_factory=dict)
    status: str = "completed"

    @property
    def accounted(self) -> bool:
        return self.files_loaded + self.files_unchanged + self.files_rejected == self.files_seen

    def lines_removed_by_reason(self) -> Counter:
        total: Counter = Counter()
        for s in self.steps:
            total.update(s.lines_removed_by_reason)
        return total

    def run_row(self, started, finished) -> dict:
        """The run's row of the `runs` table."""
        return {"run_id": self.run_id, "started_at": started, "finished_at": finished,
                "files_seen": self.files_seen, "files_new": self.files_new,
                "files_unchanged": self.files_unchanged, "articles_written": self.articles_written,
                "rejected": self.files_rejected, "status": "completed"}

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id, "status": self.status, "data_dir": self.data_dir,
            "files_seen": self.files_seen, "files_new": self.files_new,
            "files_unchanged": self.files_unchanged, "files_loaded": self.files_loaded,
            "files_rejected": self.files_rejected, "articles_written": self.articles_written,
            "rejects_by_reason": dict(self.rejects_by_reason),
            "lines_removed_by_reason": dict(self.lines_removed_by_reason()),
            "checks": self.checks, "checks_reused_from": self.checks_reused_from, "seconds": round(self.seconds, 3),
            "phases": {name: round(v, 3) for name, v in self.phases.items()},
        }

    def to_text(self) -> str:
        lines = [
            f"run {self.run_id}: {self.status} in {self.seconds:.1f} s",
            f"  files: {self.files_seen} seen, {self.files_new} new or changed, {self.files_unchanged} unchanged, "
            f"{self.files_loaded} loaded, {self.files_rejected} rejected",
            f"  articles written: {self.articles_written}",
        ]
        if self.rejects_by_reason:
            lines.append("  rejects: " + ", ".join(f"{r} {n}" for r, n in self.rejects_by_reason.most_common()))
        removed = self.lines_removed_by_reason()
        if removed:
            lines.append("  lines removed: " + ", ".join(f"{r} {n}" for r, n in removed.most_common(8))
                         + (" …" if len(removed) > 8 else ""))
        for s in self.steps:
            lines.append(f"  step {s.step}: seen {s.seen}, kept {s.kept}, dropped {s.dropped}, {s.seconds:.2f} s")
        if self.phases:
            lines.append("  phases (wall): " + ", ".join(f"{name} {v:.1f} s" for name, v in self.phases.items()))
        if self.checks:
            failed = [name for name, ok in self.checks.items() if not ok]
            lines.append(f"  checks: {len(self.checks) - len(failed)}/{len(self.checks)} passed"
                         + (f"; FAILED: {', '.join(failed)}" if failed else "")
                         + (f" (warehouse unchanged since run {self.checks_reused_from}: its results)"
                            if self.checks_reused_from else ""))
        lines.append(f"  outputs: {self.data_dir}/warehouse.duckdb, {self.data_dir}/lake/")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = [
            f"# news-etl run `{self.run_id}`: {self.status}",
            "",
            "| files seen | new/changed | unchanged | loaded | rejected | articles | seconds |",
            "|---|---|---|---|---|---|---|",
            f"| {self.files_seen} | {self.files_new} | {self.files_unchanged} | {self.files_loaded} | "
            f"{self.files_rejected} | {self.articles_written} | {self.seconds:.1f} |",
            "",
            "## Rejects by reason",
            "",
            "| reason | files |", "|---|---|",
            *[f"| {r} | {n} |" for r, n in self.rejects_by_reason.most_common()],
            "",
            "## Lines removed by reason",
            "",
            "| reason | lines |", "|---|---|",
            *[f"| {r} | {n} |" for r, n in self.lines_removed_by_reason().most_common()],
            "",
            "## Steps",
            "",
            "| step | seen | kept | dropped | seconds |", "|---|---|---|---|---|",
            *[f"| {s.step} | {s.seen} | {s.kept} | {s.dropped} | {s.seconds:.2f} |" for s in self.steps],
            "",
            "Step seconds add up the workers' time; the phases are wall time:",
            "",
            "| phase | seconds |", "|---|---|",
            *[f"| {name} | {v:.1f} |" for name, v in self.phases.items()],
            "",
            "## Checks",
            "",
            *([f"The warehouse was unchanged since run `{self.checks_reused_from}`: its passed checks hold.", ""]
              if self.checks_reused_from else []),
            "| check | passed |", "|---|---|",
            *[f"| {name} | {'yes' if ok else '**NO**'} |" for name, ok in self.checks.items()],
        ]
        return "\n".join(rows)


@contextmanager
def timed_phase(phases: dict[str, float], name: str) -> Iterator[None]:
    """Add the block's wall seconds to phases[name] (RunSummary.phases)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - start


def summarize(run_id: str, data_dir: str, found, results) -> RunSummary:
    """Add up discovery (`tasks.discover.Discovered`) and the chunks' `ChunkResult`s into one summary."""
    steps = merge_all([found.stats] + [StepStats.from_row(row) for r in results for row in r.stats])
    summary = RunSummary(
        run_id=run_id, data_dir=data_dir, files_seen=found.seen, files_new=len(found.todo),
        files_unchanged=len(found.unchanged) + sum(r.unchanged_files for r in results),
        files_loaded=sum(r.loaded_files for r in results),
        files_rejected=len(found.rejects) + sum(r.rejected_files for r in results),
        articles_written=sum(r.articles for r in results), steps=steps,
    )
    # a touched-but-identical file is unchanged, not a reject; discovery's drops are unchanged files
    summary.rejects_by_reason = Counter({reason: n for s in steps if s.step != "discover"
                                         for reason, n in s.dropped_by_reason.items() if reason != "unchanged_content"})
    summary.rejects_by_reason.update(r.reason for r in found.rejects)
    return summary
