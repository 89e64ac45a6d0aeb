"""`--runner dask`: the same run on a Dask LocalCluster (2 worker processes) gives the same tables
as the default process-pool runner."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))



def comparable(name: str, data_type: str) -> bool:
    """Columns that legitimately differ between two runs are the run's own id and clocks."""
    return "run_id" not in name and not data_type.startswith("TIMESTAMP")

TABLES = ["articles", "removed_lines", "rejects", "manifest", "site_memory"]


def table_rows(data_dir: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        cols = [name for name, data_type in con.execute(
            "select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position",
            [table]).fetchall() if comparable(name, data_type)]
        assert cols, f"no table {table}"
        rows = con.execute(f"select {', '.join(cols)} from {table}").fetchall()
    finally:
        con.close()
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """24 generated pages over a few sites, with duplicates and bad files: four chunks' worth."""
    from generate import Mix, generate

    out = tmp_path_factory.mktemp("dask") / "landing"
    generate(out, n_files=24, seed=11, n_sites=3, mix=Mix(exact_dup=0.1, near_dup=0.1, bad=0.1))
    return out


def test_dask_local_cluster_gives_the_same_tables(corpus, tmp_path, prefect_harness):
    from news_etl.config import load_settings
    from news_etl.runner import run_flow
    from warehouse.checks import CheckFailed

    def run(runner: str) -> str:
        # a data check may fail on generated pages (say, a page whose title the cleaner misses);
        # the tables are loaded before the checks, and both runners must agree on them either way
        try:
            summary = run_flow(load_settings(data_dir=str(tmp_path / runner), runner=runner,
                                             inputs=[str(corpus)], chunk_size=6, workers=2))
        except CheckFailed as exc:
            return f"failed: {exc}".split(" (run")[0]
        assert summary["files_seen"] == 24
        return summary["status"]

    assert run("process") == run("dask")
    articles = table_rows(tmp_path / "dask", "articles")
    assert len(articles) > 15
    for table in TABLES:
        assert table_rows(tmp_path / "dask", table) == table_rows(tmp_path / "process", table), table


def test_main_module_is_hidden_only_while_the_cluster_starts():
    from news_etl.runner import _main_module_hidden

    main = sys.modules["__main__"]
    before = (main.__dict__.get("__file__"), main.__dict__.get("__spec__"))
    with _main_module_hidden():
        assert "__file__" not in main.__dict__ and main.__spec__ is None
    assert (main.__dict__.get("__file__"), main.__dict__.get("__spec__")) == before
