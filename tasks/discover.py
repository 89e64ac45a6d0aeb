"""Find raw files in the landing folders and keep only what is new or changed.

A no-op run must cost a directory scan and a dictionary lookup, never a read:
a file whose (size, mtime_ns) matches the manifest is unchanged without being opened.
"""
from __future__ import annotations

import datetime as dt
import os
import stat as stat_module
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from news_etl.storage import is_url, local_path
from tasks.records import FileList, Reject, SourceFile
from tasks.stats import StepStats

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class DiscoverConfig:
    skip_hidden: bool = True   # dot-files and dot-folders (editor swap files, .DS_Store, partial downloads)


@dataclass
class Discovered:
    todo: FileList = field(default_factory=FileList)   # packed: ~40 bytes a file (records.FileList)
    unchanged: list[str] = field(default_factory=list)   # source paths only: at 100k files a SourceFile each cost more than the scan
    rejects: list[Reject] = field(default_factory=list)
    rejected_files: list[SourceFile] = field(default_factory=list)   # rejects that are files: they go to the manifest
    stats: StepStats = field(default_factory=lambda: StepStats("discover"))

    @property
    def seen(self) -> int:
        return len(self.todo) + len(self.unchanged) + len(self.rejects)


def is_sidecar(path: str) -> bool:
    return path.endswith(SIDECAR_SUFFIX)


def _site_hint(rel_path: str, root_name: str) -> str:
    parts = rel_path.split("/")
    return parts[-2] if len(parts) > 1 else root_name


_by_name = attrgetter("name")


def _walk(root: Path, cfg: DiscoverConfig, out: Discovered, manifest: dict[str, tuple[int, int, str]]) -> None:
    # Plain strings and DirEntry, not pathlib, on the per-file path: at 100k files pathlib's
    # parsing cost more than the scan itself. Sidecars are found in the folder's own listing,
    # so a file without one costs no extra stat call. An unchanged file (the whole of a no-op
    # run) costs one stat, one lookup and one comparison: no SourceFile is built for it.
    real_root = root.resolve()
    root_str = str(root)
    prefix = len(os.path.join(root_str, ""))
    posix_sep = os.sep == "/"
    stack = [root_str]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            out.rejects.append(Reject(folder, "unreadable", f"cannot list folder: {exc}"))
            continue
        sidecars = {e.name: e for e in entries if e.name.endswith(SIDECAR_SUFFIX)}
        if not sidecars:   # the no-op fast path: plain files that match the manifest, in listing order
            entries = _drop_unchanged_plain_files(entries, prefix, posix_sep, cfg.skip_hidden, out.unchanged, manifest)
        entries.sort(key=_by_name)   # the rest in name order: todo and rejects come out in a stable order
        for entry in entries:
            name = entry.name
            if cfg.skip_hidden and name.startswith("."):
                continue
            rel = entry.path[prefix:] if posix_sep else entry.path[prefix:].replace(os.sep, "/")
            if entry.is_symlink():
                path = Path(entry.path)
                try:
                    target = path.resolve(strict=True)
                except FileNotFoundError:
                    _reject_link(out, manifest, root, path, rel, "unreadable", "broken symbolic link (its target does not exist)")
                    continue
                except (OSError, RuntimeError) as exc:   # a symlink loop raises RuntimeError on 3.11
                    _reject_link(out, manifest, root, path, rel, "unreadable", f"symbolic link cannot be resolved: {exc}")
                    continue
                if not target.is_relative_to(real_root):
                    _reject_link(out, manifest, root, path, rel, "symlink_outside_root",
                                 f"link to {target} is outside {real_root}; not followed")
                    continue
                if target.is_dir():   # a link to a folder inside the root would only list its files twice
                    continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
                continue
            if name.endswith(SIDECAR_SUFFIX):
                continue
            try:
                st = entry.stat()
            except FileNotFoundError:
                out.rejects.append(Reject(rel, "vanished", "file disappeared during the directory scan"))
                continue
            known = manifest.get(rel)
            if not stat_module.S_ISREG(st.st_mode):   # a FIFO or device would block or never end when read
                if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
                    out.unchanged.append(rel)
                else:
                    sf = SourceFile(path=entry.path, root=root_str, rel_path=rel, size=st.st_size,
                                    mtime_ns=st.st_mtime_ns, site_hint=_site_hint(rel, root.name))
                    out.rejects.append(Reject(rel, "unreadable", "not a regular file (FIFO, socket or device); not read"))
                    out.rejected_files.append(sf)
                continue
            sidecar = sidecars.get(name + SIDECAR_SUFFIX) if sidecars else None
            sidecar_mtime = _sidecar_mtime(sidecar) if sidecar is not None else None
            if known is not None and known[0] == st.st_size and known[1] == max(st.st_mtime_ns, sidecar_mtime or 0):
                out.unchanged.append(rel)   # what _classify would decide, without building a SourceFile
                continue
            sf = SourceFile(path=entry.path, root=root_str, rel_path=rel, size=st.st_size,
                            mtime_ns=st.st_mtime_ns, site_hint=_site_hint(rel, root.name))
            _classify(out, sf, known, sidecar_mtime)


def _drop_unchanged_plain_files(entries: list, prefix: int, posix_sep: bool, skip_hidden: bool, unchanged: list[str],
                                manifest: dict[str, tuple[int, int, str]]) -> list:
    """Append the relative path of every regular, non-hidden file whose (size, mtime_ns) matches the
    manifest to `unchanged`; return the other entries for the full classification (a folder without
    sidecars only: a sidecar's mtime counts in the comparison). DirEntry caches the stat it made."""
    rest = []
    for entry in entries:
        if (skip_hidden and entry.name.startswith(".")) or not entry.is_file(follow_symlinks=False):
            rest.append(entry)
            continue
        rel = entry.path[prefix:] if posix_sep else entry.path[prefix:].replace(os.sep, "/")
        known = manifest.get(rel)
        if known is None:
            rest.append(entry)
            continue
        try:
            st = entry.stat()
        except OSError:
            rest.append(entry)   # the full path reports it (vanished)
            continue
        if known[0] == st.st_size and known[1] == st.st_mtime_ns and stat_module.S_ISREG(st.st_mode):
            unchanged.append(rel)
        else:
            rest.append(entry)
    return rest


def _reject_link(out: Discovered, manifest: dict[str, tuple[int, int, str]], root: Path, path: Path, rel: str,
                 reason: str, detail: str) -> None:
    """A link that is not followed is still a file seen: rejected once, then `unchanged`
    (by the link's own size and mtime) until the link itself changes."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        out.rejects.append(Reject(rel, "vanished", "link disappeared during the directory scan"))
        return
    sf = SourceFile(path=str(path), root=str(root), rel_path=rel, size=st.st_size, mtime_ns=st.st_mtime_ns,
                    site_hint=_site_hint(rel, root.name))
    known = manifest.get(rel)
    if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
        out.unchanged.append(sf.rel_path)
        return
    out.rejects.append(Reject(rel, reason, detail))
    out.rejected_files.append(sf)


def _sidecar_mtime(sidecar: Path | os.DirEntry) -> int | None:
    try:
        return sidecar.stat().st_mtime_ns
    except OSError:
        return None


def _classify(out: Discovered, sf: SourceFile, known: tuple[int, int, str] | None, sidecar_mtime_ns: int | None) -> None:
    """Unchanged when (size, mtime) match the manifest, without opening the file.

    The mtime compared (and stored in the manifest) is the later of the file's and its sidecar's,
    so an edited sidecar makes the file worth reading again; and since its metadata changed, the
    file then gives a new version even when its own bytes did not (no `prev_sha256` to match).
    """
    if sidecar_mtime_ns is not None and sidecar_mtime_ns > sf.mtime_ns:
        sf.mtime_ns = sidecar_mtime_ns
    if known is not None and known[:2] == (sf.size, sf.mtime_ns):
        out.unchanged.append(sf.rel_path)
        return
    sidecar_edited = known is not None and sidecar_mtime_ns is not None and sidecar_mtime_ns > known[1]
    sf.prev_sha256 = known[2] if known is not None and not sidecar_edited else None
    out.todo.append(sf)


def _walk_url(root: str, cfg: DiscoverConfig, out: Discovered, manifest: dict[str, tuple[int, int, str]]) -> None:
    """The same scan over an fsspec URL (`s3://bucket/landing`): one listing, no object read."""
    from news_etl.storage import list_files

    try:
        entries = list(list_files(root, cfg.skip_hidden))
    except FileNotFoundError:
        out.rejects.append(Reject(root, "vanished", "input root does not exist"))
        return
    except (OSError, ValueError) as exc:   # unknown bucket, no credentials, unknown protocol
        out.rejects.append(Reject(root, "unreadable", f"cannot list {root}: {type(exc).__name__}: {exc}"))
        return
    sidecar_mtimes = {e.rel_path: e.mtime_ns for e in entries if is_sidecar(e.rel_path)}
    root_name = root.rstrip("/").rsplit("/", 1)[-1]
    for e in entries:
        if is_sidecar(e.rel_path):
            continue
        sf = SourceFile(path=e.url, root=root, rel_path=e.rel_path, size=e.size, mtime_ns=e.mtime_ns,
                        site_hint=_site_hint(e.rel_path, root_name))
        _classify(out, sf, manifest.get(e.rel_path), sidecar_mtimes.get(e.rel_path + SIDECAR_SUFFIX))


def discover(roots: list[str], manifest: dict[str, tuple[int, int, str]], cfg: DiscoverConfig = DiscoverConfig()) -> Discovered:
    """Scan `roots`; `manifest` maps source_path -> (size, mtime_ns, sha256) of files already loaded."""
    out = Discovered()
    with out.stats.timer():
        for root in roots:
            if is_url(root):   # an fsspec URL (s3://...): see news_etl/storage.py
                _walk_url(str(root), cfg, out, manifest)
                continue
            root_path = Path(local_path(root))
            if root_path.is_file():
                st = root_path.stat()
                sf = SourceFile(str(root_path), str(root_path.parent), root_path.name, st.st_size, st.st_mtime_ns, root_path.parent.name)
                _classify(out, sf, manifest.get(sf.rel_path), _sidecar_mtime(Path(str(root_path) + SIDECAR_SUFFIX)))
            elif root_path.is_dir():
                _walk(root_path, cfg, out, manifest)
            else:
                out.rejects.append(Reject(str(root), "vanished", "input root does not exist"))
        out.stats.seen = out.seen
        out.stats.kept = len(out.todo)
        out.stats.drop("unchanged", len(out.unchanged))
        for r in out.rejects:
            out.stats.drop(r.reason)
    return out


def discover_rows(found: Discovered, run_id: str, now: dt.datetime) -> tuple[list[dict], list[dict]]:
    """Lake rows of the discovery step: its rejects, and manifest (`files`) rows for the
    rejected files, so that the next run counts them as unchanged instead of rejecting them again."""
    rejects = [{"source_path": r.source_path, "record_index": r.record_index, "reason": r.reason, "detail": r.detail,
                "run_id": run_id, "rejected_at": now} for r in found.rejects]
    files = [{"source_path": sf.rel_path, "root": sf.root, "size": sf.size, "mtime_ns": sf.mtime_ns, "sha256": None,
              "status": "rejected", "n_articles": 0, "run_id": run_id, "seen_at": now} for sf in found.rejected_files]
    return rejects, files
