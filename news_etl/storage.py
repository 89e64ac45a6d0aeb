"""Inputs and the Parquet lake on any fsspec filesystem (`s3://…`, `gs://…`, `file://…`, plain paths).

Plain local paths keep the fast local code paths (os.scandir, os.replace); only a
location with a non-`file` protocol goes through fsspec. Credentials and endpoints
come from the filesystem's own configuration, never from our settings: for S3 and
S3-compatible servers the standard AWS variables (`AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL`, …) or fsspec's `FSSPEC_S3_*` variables,
which worker processes inherit.

Object stores have no atomic rename: where the local lake writes a temporary file
and renames it, an object store's PUT is already all-or-nothing, so parts are
written in place.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Iterator


def is_url(location: str | object) -> bool:
    """True for a location on a non-local fsspec filesystem (`s3://bucket/key`, `memory://x`)."""
    text = str(location)
    head, sep, _ = text.partition("://")
    return bool(sep) and head.isidentifier() and head.lower() not in ("file", "local")


def local_path(location: str) -> str:
    """`file:///a/b` -> `/a/b`; anything else unchanged."""
    text = str(location)
    for prefix in ("file://", "local://"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def filesystem(url: str):
    """(fsspec filesystem, path inside it) for a URL."""
    from fsspec.core import url_to_fs

    return url_to_fs(url)


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/")] + [p.strip("/") for p in parts])


def open_input(location: str, mode: str = "rb") -> IO[bytes]:
    """Open a raw file for reading; a missing object raises FileNotFoundError, like open()."""
    if not is_url(location):
        return open(local_path(location), mode)
    fs, path = filesystem(location)
    return fs.open(path, mode)


@dataclass(frozen=True, slots=True)
class RemoteFile:
    url: str         # full URL, what the readers open
    rel_path: str    # '/'-separated, relative to the root
    size: int
    mtime_ns: int


def _mtime_ns(info: dict) -> int:
    """Modification time from an fsspec info dict (S3: LastModified; local-like: mtime)."""
    for key in ("mtime", "LastModified", "last_modified", "updated", "created"):
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            return int(value.timestamp() * 1_000_000) * 1000
        if isinstance(value, (int, float)):
            return int(value * 1_000_000_000)
        if isinstance(value, str):
            try:
                return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1_000_000) * 1000
            except ValueError:
                continue
    return 0


def list_files(root_url: str, skip_hidden: bool = True) -> Iterator[RemoteFile]:
    """Every file under `root_url` (sidecars included), in path order; hidden names skipped.

    One listing call (S3 ListObjectsV2 pages), no object is read.
    """
    fs, root = filesystem(root_url)
    root = root.rstrip("/")
    fs.invalidate_cache(root)   # fsspec caches listings per instance; a served process lists again and again
    found = fs.find(root, detail=True, withdirs=False)
    if not found:
        if fs.isfile(root):   # the root is one object
            found = {root: fs.info(root)}
        elif not fs.exists(root):
            raise FileNotFoundError(f"input root does not exist: {root_url}")
    for path in sorted(found):
        info = found[path]
        rel = PurePosixPath(path).name if path == root else path[len(root):].lstrip("/")
        if skip_hidden and any(part.startswith(".") for part in rel.split("/")):
            continue
        yield RemoteFile(url=fs.unstrip_protocol(path), rel_path=rel, size=int(info.get("size") or 0),
                         mtime_ns=_mtime_ns(info))


# --------------------------------------------------------------------------
# the lake on object storage
# --------------------------------------------------------------------------
# The working lake stays on local disk next to the DuckDB file: staging, the
# one-transaction load, recovery and compaction rely on atomic renames, which
# object stores do not have. A lake URL (`lake_url` setting, NEWS_ETL_LAKE_URL)
# receives each committed run after it is published locally, in the same layout:
#   <lake_url>/<table>/run_id=<run_id>/part-<n>.parquet, then <lake_url>/_committed/<run_id>
# The marker is written last, so a reader that lists markers never sees half a run;
# a run whose upload failed is uploaded by the next run (`mirror_committed_runs`).

def _committed_local(lake) -> list[str]:
    folder = lake / "_committed"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def committed_runs_at(lake_url: str) -> list[str]:
    fs, root = filesystem(lake_url)
    marker_dir = join(root, "_committed")
    fs.invalidate_cache(marker_dir)
    try:
        return sorted(PurePosixPath(p).name for p in fs.ls(marker_dir, detail=False))
    except FileNotFoundError:
        return []


def mirror_run(lake, run_id: str, lake_url: str) -> int:
    """Upload one committed run's parts from the local lake, then its marker. Returns parts uploaded."""
    fs, root = filesystem(lake_url)
    uploaded = 0
    for table_dir in sorted(p for p in lake.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for part in sorted((table_dir / f"run_id={run_id}").glob("*.parquet")):
            fs.put_file(str(part), join(root, table_dir.name, f"run_id={run_id}", part.name))
            uploaded += 1
    fs.pipe_file(join(root, "_committed", run_id), b"")
    return uploaded


def mirror_committed_runs(lake, lake_url: str) -> list[str]:
    """Upload every locally committed run the lake URL does not have yet (in commit order)."""
    remote = set(committed_runs_at(lake_url))
    missing = [r for r in _committed_local(lake) if r not in remote]
    for run_id in missing:
        mirror_run(lake, run_id, lake_url)
    return missing


def lake_dataset(lake_url: str, table: str):
    """A pyarrow dataset of `table` over the committed runs at `lake_url` (local path or URL).

    DuckDB can query it after `con.register(name, dataset)`, with no httpfs extension
    (not available offline for our DuckDB): pyarrow reads through fsspec.
    """
    import pyarrow.dataset as ds
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    from news_etl.schema import LAKE_TABLES

    schema = LAKE_TABLES[table]
    fs, root = filesystem(lake_url if is_url(lake_url) else "file://" + str(local_path(lake_url)))
    files = []
    for run_id in committed_runs_at(lake_url if is_url(lake_url) else "file://" + str(local_path(lake_url))):
        try:
            files += sorted(fs.glob(join(root, table, f"run_id={run_id}", "*.parquet")))
        except FileNotFoundError:
            continue
    if not files:
        return schema.empty_table()
    return ds.dataset(files, schema=schema, format="parquet", filesystem=PyFileSystem(FSSpecHandler(fs)))
