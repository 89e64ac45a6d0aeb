"""Shared fixtures.

Prefect's test harness (a temporary local API) costs ~12 s, so it starts once per
session and only for tests that ask for `prefect_harness`; step logic is tested
through plain functions (or `.fn()`) with no Prefect at all.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

REPO = Path(__file__).resolve().parent.parent
SAMPLES_RAW = REPO / "samples" / "raw"


def query_warehouse(data_dir: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on `<data_dir>/warehouse.duckdb`, opened read-only and closed at once (as readers should)."""
    import duckdb

    con = duckdb.connect(str(Path(data_dir) / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def samples_dir(tmp_path: Path) -> Path:
    """A private copy of the five sample files (tests may add, touch or break files in it)."""
    target = tmp_path / "landing"
    shutil.copytree(SAMPLES_RAW, target)
    return target


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on a free loopback port with its own PREFECT_HOME, for the
    deployment, worker and serve tests (tests/live_prefect.py); everything it started is stopped at the end."""
    from live_prefect import LiveServer

    with LiveServer.start(tmp_path_factory.mktemp("prefect-server")) as server:
        yield server
