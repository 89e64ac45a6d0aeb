"""A run that finds nothing new is cheap but still honest: it records its run, and reuses the
last passed data checks only while the warehouse file is exactly as that run left it."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES_RAW
from tests.conftest import query_warehouse as query
from warehouse.checks import passed_checks_still_valid, remember_passed_checks, run_checks
from warehouse.loader import connect, db_path


def test_passed_checks_hold_until_the_warehouse_file_changes(tmp_path):
    data = tmp_path / "data"
    with connect(data):   # an empty warehouse with every table: all checks pass
        pass
    results = run_checks(data)
    assert results and not any(results.values())
    assert passed_checks_still_valid(data) is None   # nothing remembered yet
    remember_passed_checks(data, results, "r1")
    assert passed_checks_still_valid(data) == (results, "r1")

    copy = tmp_path / "copy"   # a copy keeps size and mtime (copy2), but it is another file
    shutil.copytree(data, copy)
    assert passed_checks_still_valid(copy) is None

    con = duckdb.connect(str(db_path(data)))   # a write from outside any run
    con.execute("create table scratch (x integer)")
    con.close()
    assert passed_checks_still_valid(data) is None

    with pytest.raises(ValueError):
        remember_passed_checks(data, results | {"articles_doc_id_unique": 1}, "r2")


def test_noop_runs_reuse_checks_until_someone_writes_the_warehouse(tmp_path, prefect_harness):
    from flows.etl import news_etl
    from warehouse.checks import CheckFailed

    landing, data = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    for f in sorted(SAMPLES_RAW.iterdir())[:2]:
        shutil.copy2(f, landing / f.name)

    def run() -> dict:
        return news_etl(inputs=[str(landing)], data_dir=str(data))

    first = run()
    assert first["status"] == "completed" and first["files_loaded"] == 2 and first["checks_reused_from"] is None
    snapshot = data / "lake" / "_state" / "site_memory.parquet"
    snapshot_mtime = snapshot.stat().st_mtime_ns

    noop = run()
    assert noop["status"] == "completed" and noop["files_new"] == 0
    assert noop["checks_reused_from"] == first["run_id"] and all(noop["checks"].values())
    assert "warehouse unchanged since run" in noop["text"]
    assert snapshot.stat().st_mtime_ns == snapshot_mtime, "site memory exported again though nothing was loaded"
    assert {r[0] for r in query(data, "select run_id from runs")} == {first["run_id"], noop["run_id"]}
    # marts, feeds and report describe the warehouse as the first run left it: not written again
    assert first["run_id"] in (data / "reports" / "latest.html").read_text(encoding="utf-8")
    assert not (data / "reports" / f"{noop['run_id']}.html").exists()
    # what a user still gets from a no-op run: its summary artifact
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        recent = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["news-etl-run-summary"])),
                                       sort=ArtifactSort.CREATED_DESC, limit=3)
    assert any(noop["run_id"] in (a.data or "") for a in recent)

    # a bad row written in place (same file, no copy) is caught by the next no-op run
    con = duckdb.connect(str(db_path(data)))
    con.execute("insert into rejects values ('x.txt', null, 'not_a_reason', 'planted by the test', 'r0', null)")
    con.close()
    with pytest.raises(CheckFailed, match="rejects_reason_accepted"):
        run()

    # fixed from outside: the checks run again (the failed run left nothing to reuse), then are reused
    con = duckdb.connect(str(db_path(data)))
    con.execute("delete from rejects where reason = 'not_a_reason'")
    con.close()
    fixed = run()
    assert fixed["status"] == "completed" and fixed["checks_reused_from"] is None
    assert fixed["run_id"] in (data / "reports" / "latest.html").read_text(encoding="utf-8")
    again = run()
    assert again["checks_reused_from"] == fixed["run_id"]


def test_discovery_of_a_folder_without_sidecars_matches_the_manifest_without_opening_files(tmp_path):
    from tasks.discover import discover

    root = tmp_path / "landing"
    (root / "site").mkdir(parents=True)
    for name in ("c.txt", "a.txt", "b.txt", ".hidden.txt", "site/d.txt"):
        (root / name).write_text(f"text of {name}\n", encoding="utf-8")
    first = discover([str(root)], {})
    assert [f.rel_path for f in first.todo] == ["a.txt", "b.txt", "c.txt", "site/d.txt"] and not first.unchanged
    manifest = {f.rel_path: (f.size, f.mtime_ns, "sha") for f in first.todo}
    del manifest["c.txt"]                                   # never loaded
    manifest["b.txt"] = (manifest["b.txt"][0] + 1, manifest["b.txt"][1], "sha")   # changed since
    again = discover([str(root)], manifest)
    assert [f.rel_path for f in again.todo] == ["b.txt", "c.txt"]
    assert again.todo[0].prev_sha256 == "sha" and again.todo[1].prev_sha256 is None
    assert sorted(again.unchanged) == ["a.txt", "site/d.txt"] and again.seen == 4


def test_the_clis_early_scan_is_used_only_while_the_warehouse_is_as_it_saw_it(tmp_path, prefect_harness):
    """`news-etl run` scans in a child process while it imports Prefect (news_etl/prefetch.py); the flow
    takes that scan under the run lock only if it is for its inputs and no one wrote the warehouse since."""
    from flows.etl import news_etl
    from news_etl import prefetch

    landing, data = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    samples = sorted(SAMPLES_RAW.iterdir())
    for f in samples[:2]:
        shutil.copy2(f, landing / f.name)

    def scanned_early() -> None:   # the child's scan is over: a file added now is after it
        prefetch.start([str(landing)], str(data))
        prefetch._pending["proc"].wait()

    scanned_early()   # no warehouse yet: the first run takes the early scan too
    first = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert first["files_loaded"] == 2 and prefetch._pending is None

    scanned_early()
    shutil.copy2(samples[2], landing / samples[2].name)   # lands after the scan: left to the next run
    noop = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert (noop["files_seen"], noop["files_new"], noop["files_unchanged"]) == (2, 0, 2)
    assert noop["checks_reused_from"] == first["run_id"]
    assert query(data, f"select seen, kept, dropped_by_reason from step_stats "
                       f"where run_id = '{noop['run_id']}' and step = 'discover'") == [(2, 0, {"unchanged": 2})]

    scanned_early()
    con = duckdb.connect(str(db_path(data)))   # a write after the scan: its manifest may be stale, scan again
    con.execute("create table scratch (x integer)")
    con.close()
    rescanned = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert (rescanned["files_seen"], rescanned["files_new"]) == (3, 1)

    prefetch.start([str(landing)], str(data))   # not done yet when the flow wants it: dropped, not waited for
    proc = prefetch._pending["proc"]
    assert prefetch.take([str(landing)], str(data)) is None and proc.returncode is not None

    prefetch.start([str(landing / "elsewhere")], str(data))   # another run's scan: not taken, and stopped
    assert prefetch.take([str(landing)], str(data)) is None
    prefetch.stop()
    assert prefetch._pending is None


def test_the_cli_starts_prefects_temporary_api_early_only_when_nothing_names_an_api(monkeypatch):
    from news_etl.cli import start_temporary_api_early

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert start_temporary_api_early() is None
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")   # fail fast: Prefect says no API
    assert start_temporary_api_early() is None


def test_the_flow_records_plain_json_parameters_as_prefects_encoder_would():
    from fastapi.encoders import jsonable_encoder

    from flows.etl import news_etl

    flow = news_etl.with_options(retries=0)   # how the runner derives the flow it runs
    plain = {"inputs": ["a", "b/c"], "data_dir": "data", "chunk_size": None, "max_file_bytes": 5, "x": {"k": [1.5, True]}}
    assert type(flow) is type(news_etl) and flow.serialize_parameters(plain) == jsonable_encoder(plain)
    odd = {"inputs": (Path("a"),)}   # anything else goes Prefect's way
    assert flow.serialize_parameters(odd) == jsonable_encoder(odd) == {"inputs": ["a"]}


def test_the_list_of_files_to_read_is_packed_and_gives_them_back_in_order():
    """A run holds its files to read from the scan to the last chunk: packed, ~40 bytes a file, not a
    SourceFile each (~390 bytes: ~390 MB at 1M files); chunks unpack to the same files, in order."""
    import pickle

    from tasks.records import FileList, SourceFile

    files = [SourceFile(path=f"/landing/site{i % 7}/{i:06d}.txt", root="/landing", rel_path=f"site{i % 7}/{i:06d}.txt",
                        size=1000 + i, mtime_ns=1_700_000_000_000_000_000 + i, site_hint=f"site{i % 7}",
                        prev_sha256=None if i % 3 else f"{i:064x}") for i in range(2345)]
    packed = FileList(files)
    assert len(packed) == 2345 and list(packed) == files   # two packed blocks and 345 loose files
    assert packed[0] == files[0] and packed[-1] == files[-1] and packed[10:12] == files[10:12]
    chunks = packed.chunks(500)
    assert [len(c) for c in chunks] == [500, 500, 500, 500, 345]
    assert [sf for c in chunks for sf in c] == files
    assert pickle.loads(pickle.dumps(packed)) == packed   # as the discovery child hands it to the run
    assert len(pickle.dumps(packed)) < 100 * len(files) < len(pickle.dumps(files))
    assert not FileList() and len(FileList().chunks(500)) == 0


def test_chunking_the_packed_list_never_holds_all_its_files_unpacked():
    """At 1M files, chunks that packed their files only at the end held ~390 MB of SourceFiles at once."""
    import tracemalloc

    from tasks.records import FileList, SourceFile

    n = 20_000   # ~7.8 MB as SourceFile objects
    packed = FileList(SourceFile(path=f"/landing/s{i % 7}/{i:06d}.txt", root="/landing", rel_path=f"s{i % 7}/{i:06d}.txt",
                                 size=i, mtime_ns=1_700_000_000_000_000_000 + i, site_hint=f"s{i % 7}") for i in range(n))
    tracemalloc.start()
    try:
        chunks = packed.chunks(500)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(map(len, chunks)) == n
    assert peak < 3_000_000
