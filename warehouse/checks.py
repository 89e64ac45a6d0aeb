"""Data checks declared in warehouse/sql/checks.sql, plus the run's accounting identity."""
from __future__ import annotations

import re
from pathlib import Path

from tasks.reasons import LINE_REASONS, REJECT_REASONS
from warehouse.loader import connect, sql

FORMATS = ["text", "html"]
_HEADER = re.compile(r"^-- check: (\w+)\s*$", re.M)


class CheckFailed(RuntimeError):
    pass


def declared_checks() -> dict[str, str]:
    text = sql("checks")
    names = _HEADER.findall(text)
    bodies = _HEADER.split(text)[2::2]
    return {name: body.strip().rstrip(";") for name, body in zip(names, bodies)}


def run_checks(data_dir: Path) -> dict[str, int]:
    """Offending-row count per check (0 = passed)."""
    params = {"line_reasons": list(LINE_REASONS), "reject_reasons": list(REJECT_REASONS), "formats": FORMATS}
    results = {}
    with connect(data_dir, read_only=True) as con:
        for name, query in declared_checks().items():
            used = {k: v for k, v in params.items() if f"${k}" in query}
            results[name] = con.execute(query, used).fetchone()[0]
    return results
