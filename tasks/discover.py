"""Find raw files in the landing folders and keep only what is new or changed.

A no-op run must cost a directory scan and a dictionary lookup, never a read:
a file whose (size, mtime_ns) matches the manifest is unchanged without being opened.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from news_etl.storage import is_url, local_path
from tasks.records import Reject, SourceFile
from tasks.stats import StepStats

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class DiscoverConfig:
    skip_hidden: bool = True   # dot-files and dot-folders (editor swap files, .DS_Store, partial downloads)


@dataclass
class Discovered:
    todo: list[SourceFile] = field(default_factory=list)
    unchanged: list[SourceFile] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    stats: StepStats = field(default_factory=lambda: StepStats("discover"))

    @property
    def seen(self) -> int:
        return len(self.todo) + len(self.unchanged) + len(self.rejects)


def is_sidecar(path: str) -> bool:
    return path.endswith(SIDECAR_SUFFIX)


def _site_hint(rel_path: str, root: Path) -> str:
    parts = rel_path.split("/")
    return parts[-2] if len(parts) > 1 else root.name


def _walk(root: Path, cfg: DiscoverConfig, out: Discovered, manifest: dict[str, tuple[int, int, str]]) -> None:
    real_root = root.resolve()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            out.rejects.append(Reject(str(folder), "unreadable", f"cannot list folder: {exc}"))
            continue
        for entry in entries:
            if cfg.skip_hidden and entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if entry.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    out.rejects.append(Reject(rel, "symlink_outside_root", f"link to {target} is outside {real_root}; not followed"))
                    continue
                if target.is_dir():   # a link to a folder inside the root would only list its files twice
                    continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if is_sidecar(entry.name):
                continue
            try:
                st = entry.stat()
            except FileNotFoundError:
                out.rejects.append(Reject(rel, "vanished", "file disappeared during the directory scan"))
                continue
            sf = SourceFile(path=str(path), root=str(root), rel_path=rel, size=st.st_size,
                            mtime_ns=st.st_mtime_ns, site_hint=_site_hint(rel, root))
            known = manifest.get(rel)
            sidecar = Path(entry.path + SIDECAR_SUFFIX)
            if known is not None and known[0] == st.st_size and known[1] == st.st_mtime_ns and not _newer(sidecar, st.st_mtime_ns):
                out.unchanged.append(sf)
            else:
                sf.prev_sha256 = known[2] if known else None
                out.todo.append(sf)


def _newer(sidecar: Path, mtime_ns: int) -> bool:
    """A sidecar edited after its raw file makes the file worth reading again."""
    try:
        return sidecar.stat().st_mtime_ns > mtime_ns
    except OSError:
        return False


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
    root_name = Path(root.rstrip("/").rsplit("/", 1)[-1])
    for e in entries:
        if is_sidecar(e.rel_path):
            continue
        sf = SourceFile(path=e.url, root=root, rel_path=e.rel_path, size=e.size, mtime_ns=e.mtime_ns,
                        site_hint=_site_hint(e.rel_path, root_name))
        known = manifest.get(e.rel_path)
        sidecar_newer = sidecar_mtimes.get(e.rel_path + SIDECAR_SUFFIX, 0) > e.mtime_ns
        if known is not None and known[0] == e.size and known[1] == e.mtime_ns and not sidecar_newer:
            out.unchanged.append(sf)
        else:
            sf.prev_sha256 = known[2] if known else None
            out.todo.append(sf)


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
                known = manifest.get(sf.rel_path)
                if known and known[:2] == (sf.size, sf.mtime_ns):
                    out.unchanged.append(sf)
                else:
                    sf.prev_sha256 = known[2] if known else None
                    out.todo.append(sf)
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
