"""Crash safety with the real CLI: `news-etl run` killed with SIGKILL at named points, then rerun;
two runs on one data dir at once.

Each `news-etl run` is its own process. They all talk to the session's Prefect test server
(`prefect_harness`, on 127.0.0.1), which saves Prefect's temporary-server start in every
process. The kill points are the hook
`NEWS_ETL_TEST_KILL_AT` (tasks/lake.py `crash_point`): the process runs in a session of its own,
so the hook kills the whole process group, as `kill -9` of a run would.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks.lake import committed_files, committed_runs
from tests.conftest import REPO, SAMPLES_RAW
from tests.test_warehouse import all_tables
from warehouse.checks import run_checks
from warehouse.lock import run_lock

NEWS_ETL = str(Path(sys.executable).with_name("news-etl"))
RUN_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def prefect_api(prefect_harness, tmp_path_factory):
    """The session's Prefect test server, shared with the CLI processes: they skip Prefect's
    temporary-server start (7-15 s each) and no second server is started for them."""
    import prefect.settings

    return {"PREFECT_API_URL": prefect.settings.PREFECT_API_URL.value(),
            "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home"))}


def cli(api: dict, *args: str, kill_at: str | None = None, extra_env: dict | None = None,
        wait: bool = True) -> subprocess.CompletedProcess | subprocess.Popen:
    env = os.environ | api | {"PYTHONPATH": str(REPO), "DO_NOT_TRACK": "1",
                              "PREFECT_SERVER_ANALYTICS_ENABLED": "false"} | (extra_env or {})
    env.pop("NEWS_ETL_TEST_KILL_AT", None)
    if kill_at:
        env["NEWS_ETL_TEST_KILL_AT"] = kill_at
    # thread runner: the runs stay light on a shared 2-core machine; the kill takes the group anyway
    cmd = [NEWS_ETL, *args] + (["--runner", "thread", "--workers", "1"] if args[0] == "run" else [])
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    if not wait:
        return proc
    out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def run(api, landing: Path, data: Path, **kw):
    return cli(api, "run", "--input", str(landing), "--data-dir", str(data), **kw)


def lake_rows(lake: Path, table: str) -> list[tuple]:
    out = []
    for f in committed_files(lake, table):
        t = pq.read_table(f)
        out.extend(zip(*[t[c].to_pylist() for c in t.column_names]) if t.num_rows else [])
    return out


def current_paths(data: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        return [r[0] for r in con.execute("select source_path from articles order by 1").fetchall()]
    finally:
        con.close()


def test_sigkill_at_each_point_then_rerun(prefect_api, tmp_path):
    samples = sorted(SAMPLES_RAW.iterdir())
    landing, data = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    for f in samples[:2]:
        shutil.copy2(f, landing / f.name)

    first = run(prefect_api, landing, data)
    assert first.returncode == 0, first.stderr
    before = all_tables(data)
    assert current_paths(data) == [f.name for f in samples[:2]]

    for f in samples[2:4]:
        shutil.copy2(f, landing / f.name)
    # killed while a chunk writes its parts, then inside the DuckDB transaction: nothing happened
    for point in ("staging", "load"):
        killed = run(prefect_api, landing, data, kill_at=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.returncode, killed.stderr[-2000:])
        assert all_tables(data) == before, point
    assert (data / "lake" / "_staging").exists()   # the dead runs' staging: dropped by the next run

    # killed right after the commit: the warehouse is complete, the lake not yet published
    killed = run(prefect_api, landing, data, kill_at="after_commit")
    assert killed.returncode == -signal.SIGKILL
    assert current_paths(data) == [f.name for f in samples[:4]]
    assert all(n == 0 for n in run_checks(data).values())
    n_committed = len(committed_runs(data / "lake"))

    # one more file; killed half-way through publishing
    shutil.copy2(samples[4], landing / samples[4].name)
    killed = run(prefect_api, landing, data, kill_at="publish")
    assert killed.returncode == -signal.SIGKILL
    assert current_paths(data) == [f.name for f in samples[:5]]
    # its recovery step published the run killed after its commit; its own run has no marker yet
    assert len(committed_runs(data / "lake")) == n_committed + 1

    # the next run finishes the work: both committed runs published, nothing read again, no duplicate
    final = run(prefect_api, landing, data)
    assert final.returncode == 0, final.stderr
    assert "0 new or changed" in final.stdout and "5 unchanged" in final.stdout
    assert not any((data / "lake" / "_staging").iterdir())
    assert len(committed_runs(data / "lake")) == n_committed + 3
    import duckdb

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*), count(distinct doc_id) from articles").fetchone() == (5, 5)
        assert con.execute("select count(*), max(version) from article_versions").fetchone() == (5, 1)
        assert con.execute("select count(*) from runs").fetchone()[0] == len(committed_runs(data / "lake"))
    finally:
        con.close()
    lake_articles = lake_rows(data / "lake", "articles")
    assert len(lake_articles) == 5 and len({r[0] for r in lake_articles}) == 5
    for table in ("removed_lines", "files", "step_stats", "runs"):
        found = lake_rows(data / "lake", table)
        assert len(found) == len(set(map(repr, found))), table

    # and the lake alone gives the same warehouse
    after = all_tables(data)
    rebuilt = cli(prefect_api, "rebuild", "--data-dir", str(data))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert all_tables(data) == after


def test_two_runs_at_once(prefect_api, tmp_path):
    landing, data = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    for f in sorted(SAMPLES_RAW.iterdir())[:2]:
        shutil.copy2(f, landing / f.name)

    # another run holds the lock: a run that may not wait stops at once, says why, exits 75
    with run_lock(data):
        locked = run(prefect_api, landing, data, extra_env={"NEWS_ETL_LOCK_TIMEOUT_S": "0"})
    assert locked.returncode == 75, (locked.returncode, locked.stderr[-2000:])
    assert "another run holds the lock" in locked.stderr
    assert not (data / "warehouse.duckdb").exists()

    # two runs started together, allowed to wait: one loads, the other waits for it and finds nothing new
    both = [run(prefect_api, landing, data, extra_env={"NEWS_ETL_LOCK_TIMEOUT_S": "240"}, wait=False) for _ in range(2)]
    results = [p.communicate(timeout=RUN_TIMEOUT_S) + (p.returncode,) for p in both]
    assert [r[2] for r in results] == [0, 0], [r[1][-2000:] for r in results]
    outputs = sorted(r[0] for r in results)
    assert any("2 new or changed" in o for o in outputs) and any("0 new or changed" in o for o in outputs), outputs
    assert current_paths(data) == [f.name for f in sorted(SAMPLES_RAW.iterdir())[:2]]
    assert all(n == 0 for n in run_checks(data).values())
