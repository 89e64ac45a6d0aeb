"""`--runner dask`: the same run on a Dask LocalCluster (2 worker processes) gives the same tables
as the default process-pool runner."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

# columns that legitimately differ between two runs: ids and clocks of the run itself
RUN_COLUMNS = {"run_id", "ingested_at", "seen_at", "rejected_at", "first_seen_at", "last_seen_at",
               "loaded_at", "valid_from", "valid_to", "first_run_id", "last_run_id"}
TABLES = ["articles", "removed_lines", "rejects", "manifest", "site_memory"]


def table_rows(data_dir: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        cols = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [table]).fetchall() if r[0] not in RUN_COLUMNS]
        assert cols, f"no table {table}"
        rows = con.execute(f"select {', '.join(cols)} from {table}").fetchall()
    finally:
        con.close()
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 generated pages over a few sites, with duplicates and bad files: several chunks' worth."""
    from generate import Mix, generate

    out = tmp_path_factory.mktemp("dask") / "landing"
    generate(out, n_files=60, seed=11, n_sites=4, mix=Mix(exact_dup=0.1, near_dup=0.1, bad=0.1))
    return out


def test_dask_local_cluster_gives_the_same_tables(corpus, tmp_path, prefect_harness):
    from news_etl.config import load_settings
    from news_etl.runner import run_flow

    common = dict(inputs=[str(corpus)], chunk_size=10, workers=2)
    default = run_flow(load_settings(data_dir=str(tmp_path / "default"), runner="process", **common))
    on_dask = run_flow(load_settings(data_dir=str(tmp_path / "dask"), runner="dask", **common))

    assert default["status"] == on_dask["status"] == "completed"
    assert default["files_seen"] == on_dask["files_seen"] == 60
    assert default["articles_written"] == on_dask["articles_written"] > 40
    for table in TABLES:
        assert table_rows(tmp_path / "dask", table) == table_rows(tmp_path / "default", table), table


def test_main_module_is_hidden_only_while_the_cluster_starts():
    from news_etl.runner import _main_module_hidden

    main = sys.modules["__main__"]
    before = (main.__dict__.get("__file__"), main.__dict__.get("__spec__"))
    with _main_module_hidden():
        assert "__file__" not in main.__dict__ and main.__spec__ is None
    assert (main.__dict__.get("__file__"), main.__dict__.get("__spec__")) == before
