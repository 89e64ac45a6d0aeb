"""Data checks declared in warehouse/sql/checks.sql, plus the run's accounting identity.

The checks read the whole warehouse (0.5–3 s at 100k articles), so a run that loaded nothing may
reuse the results of the last run whose checks passed, but only when the warehouse file is
exactly as that run left it (`warehouse_fingerprint`): any write from outside a run (a planted
row, a restored or rebuilt file, an edit through `duckdb`) changes the fingerprint, and the
checks run again.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from tasks.reasons import LINE_REASONS, REJECT_REASONS
from warehouse.loader import connect, db_path, named_blocks, query, sql

FORMATS = ["text", "html"]
MANIFEST_STATUSES = ["loaded", "rejected", "unchanged"]
PASSED_CHECKS_FILE = Path("lake") / "_state" / "checks_passed.json"   # under the data dir


class CheckFailed(RuntimeError):
    pass


def declared_checks() -> dict[str, str]:
    return {name: body.strip().rstrip(";") for name, body in named_blocks(sql("checks"), "check").items()}


def _params() -> dict[str, list[str]]:
    return {"line_reasons": list(LINE_REASONS), "reject_reasons": list(REJECT_REASONS), "formats": FORMATS,
            "manifest_statuses": MANIFEST_STATUSES}


def run_checks(data_dir: Path) -> dict[str, int]:
    """Offending-row count per check (0 = passed)."""
    params = _params()
    results = {}
    with connect(data_dir, read_only=True) as con:
        for name, check in declared_checks().items():
            results[name] = query(con, check, params).fetchone()[0]
    return results


def checks_version() -> str:
    """Changes when a check or an accepted-value list changes (a new release): old results then don't count."""
    text = sql("checks") + json.dumps(_params(), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def warehouse_fingerprint(data_dir: Path) -> list:
    """(inode, size, mtime_ns, ctime_ns) of warehouse.duckdb and of its .wal (None when absent).

    Every committed DuckDB write changes the size or times of one of them; a copied or rebuilt
    file has a new inode even when a copy kept its mtime.
    """
    out = []
    db = db_path(data_dir)
    for path in (db, Path(f"{db}.wal")):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append([st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    return out


def passed_checks_path(data_dir: Path) -> Path:
    return Path(data_dir) / PASSED_CHECKS_FILE


def remember_passed_checks(data_dir: Path, results: dict[str, int], run_id: str) -> None:
    """Record that `results` (all 0) hold for the warehouse as it is now; call after a run's last write."""
    if any(results.values()):
        raise ValueError("only passed checks are remembered")
    path = passed_checks_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"run_id": run_id, "version": checks_version(), "fingerprint": warehouse_fingerprint(data_dir),
             "results": results}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(path)


def passed_checks_still_valid(data_dir: Path) -> tuple[dict[str, int], str] | None:
    """(results, run id) remembered by the last run whose checks passed, if the warehouse has not been
    written since and the checks are the same; else None (run them). Call before the run writes."""
    try:
        state = json.loads(passed_checks_path(data_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if state.get("version") != checks_version() or state.get("fingerprint") != warehouse_fingerprint(data_dir):
        return None
    results = state.get("results") or {}
    if set(results) != set(declared_checks()) or any(results.values()):
        return None
    return results, state.get("run_id", "?")


def forget_passed_checks(data_dir: Path) -> None:
    passed_checks_path(data_dir).unlink(missing_ok=True)
