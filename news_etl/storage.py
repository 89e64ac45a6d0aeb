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
