"""Inputs and the lake on object storage, against a real S3-compatible server on 127.0.0.1.

moto's server mode answers the S3 HTTP API on a free loopback port; s3fs (fsspec), boto3
and pyarrow talk to it over real sockets exactly as they would to S3. Nothing is mocked
inside our process or the clients.
"""
from __future__ import annotations

import socket
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES_RAW


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch):
    """Credentials and endpoint in the environment, as a user would set them (worker processes inherit them)."""
    import boto3
    import fsspec

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": s3_server}.items():
        monkeypatch.setenv(key, value)
    fsspec.filesystem("s3").clear_instance_cache()
    client = boto3.client("s3")
    client.create_bucket(Bucket="news")
    for path in sorted(SAMPLES_RAW.iterdir()):
        client.upload_file(str(path), "news", f"landing/site-a/{path.name}")
    client.put_object(Bucket="news", Key=f"landing/site-a/{sorted(SAMPLES_RAW.iterdir())[0].name}.meta.json",
                      Body=b'{"url": "https://www.example-news.eg/a/1", "section": "world"}')
    client.put_object(Bucket="news", Key="landing/site-a/.partial-download", Body=b"x")
    yield client
    for obj in client.list_objects_v2(Bucket="news").get("Contents", []):
        client.delete_object(Bucket="news", Key=obj["Key"])
    client.delete_bucket(Bucket="news")


def test_discovery_lists_objects_once_and_skips_sidecars_and_hidden(s3):
    from tasks.discover import discover

    found = discover(["s3://news/landing", "s3://news/missing"], {})
    names = sorted(SAMPLES_RAW.iterdir())
    assert [sf.rel_path for sf in found.todo] == [f"site-a/{p.name}" for p in names]
    assert {sf.path for sf in found.todo} == {f"s3://news/landing/site-a/{p.name}" for p in names}
    assert [sf.size for sf in found.todo] == [p.stat().st_size for p in names]
    assert [(r.source_path, r.reason) for r in found.rejects] == [("s3://news/missing", "vanished")]
    # a second scan with the manifest of the first finds nothing to do, without reading an object
    manifest = {sf.rel_path: (sf.size, sf.mtime_ns, "sha") for sf in found.todo}
    again = discover(["s3://news/landing"], manifest)
    assert (len(again.todo), len(again.unchanged)) == (0, 5)


def test_reading_an_object_gives_the_same_document_as_the_local_file(s3):
    from tasks.discover import discover
    from tasks.formats import ReadConfig, read_source

    remote = discover(["s3://news/landing"], {}).todo
    local = discover([str(SAMPLES_RAW)], {}).todo
    for r_sf, l_sf in zip(remote, local):
        (r_doc,), (l_doc,) = list(read_source(r_sf, ReadConfig())), list(read_source(l_sf, ReadConfig()))
        assert (r_doc.content, r_doc.source_sha256, r_doc.format) == (l_doc.content, l_doc.source_sha256, l_doc.format)
    first = list(read_source(remote[0], ReadConfig()))[0]
    assert first.meta["url"] == "https://www.example-news.eg/a/1"       # the sidecar object was merged
    assert first.site == "example-news.eg"


def test_pipeline_reads_s3_and_publishes_the_lake_to_s3(s3, tmp_path, monkeypatch, prefect_harness):
    from news_etl import storage
    from news_etl.config import load_settings
    from news_etl.runner import run_flow

    monkeypatch.setenv("NEWS_ETL_LAKE_URL", "s3://news/lake")
    data = tmp_path / "data"
    summary = run_flow(load_settings(inputs=["s3://news/landing"], data_dir=str(data), workers=1))
    assert summary["status"] == "completed"
    assert (summary["files_seen"], summary["articles_written"]) == (5, 5)

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        local_rows = con.execute("select doc_id, source_path, body from articles order by doc_id").fetchall()
        con.register("s3_articles", storage.lake_dataset("s3://news/lake", "articles"))
        s3_rows = con.execute("select doc_id, source_path, body from s3_articles order by doc_id").fetchall()
    finally:
        con.close()
    assert {r[1] for r in local_rows} == {f"site-a/{p.name}" for p in SAMPLES_RAW.iterdir()}
    assert s3_rows == local_rows
    assert storage.committed_runs_at("s3://news/lake") == [summary["run_id"]]

    # nothing is uploaded twice; a run missing at the lake URL (say, its upload failed) is caught up
    assert storage.mirror_committed_runs(data / "lake", "s3://news/lake") == []
    s3.delete_object(Bucket="news", Key=f"lake/_committed/{summary['run_id']}")
    assert storage.mirror_committed_runs(data / "lake", "s3://news/lake") == [summary["run_id"]]
    assert storage.committed_runs_at("s3://news/lake") == [summary["run_id"]]
