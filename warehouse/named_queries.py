"""Named queries shipped with the project: warehouse/queries/<name>.sql, first line `-- <what it shows>`.

`news-etl query --list` lists them; `news-etl query stories` runs one.
"""
from __future__ import annotations

from pathlib import Path

QUERIES_DIR = Path(__file__).parent / "queries"


def named_queries() -> dict[str, str]:
    """name -> one-line description."""
    out = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        out[path.stem] = first.removeprefix("--").strip()
    return out


def named_query_sql(name: str) -> str | None:
    path = QUERIES_DIR / f"{name}.sql"
    if not name.replace("_", "").isalnum() or not path.exists():
        return None
    return path.read_text(encoding="utf-8").strip().rstrip(";")
