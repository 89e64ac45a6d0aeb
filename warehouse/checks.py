"""Data checks declared in warehouse/sql/checks.sql, plus the run's accounting identity."""
from __future__ import annotations

from pathlib import Path

from tasks.reasons import LINE_REASONS, REJECT_REASONS
from warehouse.loader import connect, named_blocks, sql

FORMATS = ["text", "html"]
MANIFEST_STATUSES = ["loaded", "rejected", "unchanged"]


class CheckFailed(RuntimeError):
    pass


def declared_checks() -> dict[str, str]:
    return {name: body.strip().rstrip(";") for name, body in named_blocks(sql("checks"), "check").items()}


def run_checks(data_dir: Path) -> dict[str, int]:
    """Offending-row count per check (0 = passed)."""
    params = {"line_reasons": list(LINE_REASONS), "reject_reasons": list(REJECT_REASONS), "formats": FORMATS,
              "manifest_statuses": MANIFEST_STATUSES}
    results = {}
    with connect(data_dir, read_only=True) as con:
        for name, query in declared_checks().items():
            used = {k: v for k, v in params.items() if f"${k}" in query}
            results[name] = con.execute(query, used).fetchone()[0]
    return results
