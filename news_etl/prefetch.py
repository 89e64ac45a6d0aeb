"""Discovery started by `news-etl run` in a child process while the parent imports Prefect.

A no-op run over 100k loaded files spends ~1 s reading the manifest and stat-ing every file, and
~2.5 s importing Prefect and starting the flow run before it gets there: on two cores the two can
overlap. The child reads the manifest and scans the inputs exactly as the flow would
(`discover(inputs, read_manifest(data_dir))`) and hands back the result with the warehouse
fingerprint it saw *before* reading the manifest.

The flow still decides under the run lock (`take`): the result is used only when it is for the
same inputs and data dir, the child has finished (it runs at a lower priority, on idle CPU: on a busy
machine a scan not done in time is dropped, not waited for), the warehouse is exactly as the child saw
it (no run committed, no recovery rebuilt it, nobody wrote it from outside: `warehouse_fingerprint`,
as for reused checks), and it is younger than `MAX_AGE_S` (a run that waited for the lock scans
again). Otherwise, or when the child failed, the flow scans itself. The files themselves are as of the command's start, which
is what a user who dropped files and then ran the command expects; a file changed after that is
picked up by the next run, as one changed during a scan always was.

No Prefect and no DuckDB in this module's imports: the CLI starts the child before importing them.
"""
from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path

MAX_AGE_S = 120.0
WAIT_S = 60.0   # for the rest of an answer the child has started writing

_pending: dict | None = None


def _key(inputs: list[str], data_dir: str | Path) -> tuple:
    return tuple(str(i) for i in inputs), str(Path(data_dir).resolve())


def start(inputs: list[str], data_dir: str | Path) -> None:
    """Start the child scan for one run of `inputs` into `data_dir` (replaces an earlier one)."""
    global _pending
    stop()
    # same interpreter, working directory and environment: the same settings (news-etl.toml, NEWS_ETL_*)
    proc = subprocess.Popen([sys.executable, "-m", "news_etl.prefetch", str(data_dir), *map(str, inputs)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pending = {"key": _key(inputs, data_dir), "proc": proc, "started": time.monotonic()}


def stop() -> None:
    """Drop a prefetch nobody took (the run failed early, or was for other inputs)."""
    global _pending
    pending, _pending = _pending, None
    if pending is None:
        return
    proc = pending["proc"]
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def take(inputs: list[str], data_dir: str | Path):
    """The prefetched `Discovered` for this run, or None (scan yourself). Call under the run lock,
    after crash recovery and before the run writes anything."""
    global _pending
    pending = _pending
    if pending is None or pending["key"] != _key(inputs, data_dir):
        return None
    _pending = None
    proc = pending["proc"]
    if not select.select([proc.stdout], [], [], 0)[0]:   # still scanning (it writes only at the end)
        proc.kill()   # the flow scans itself now: waiting could only be slower than that
        proc.communicate()
        return None
    try:
        out, _err = proc.communicate(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    if pending["proc"].returncode != 0 or time.monotonic() - pending["started"] > MAX_AGE_S:
        return None
    try:
        fingerprint, found = pickle.loads(out)
    except Exception:   # a truncated or foreign answer: scan instead
        return None
    from warehouse.checks import warehouse_fingerprint

    if fingerprint != warehouse_fingerprint(Path(data_dir)):
        return None
    return found


def _child(data_dir: str, inputs: list[str]) -> bytes:
    from tasks.discover import discover
    from warehouse.checks import warehouse_fingerprint
    from warehouse.loader import read_manifest

    data = Path(data_dir)
    fingerprint = warehouse_fingerprint(data)   # before the read: any later commit changes it
    found = discover(inputs, read_manifest(data))
    return pickle.dumps((fingerprint, found), protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    # idle CPU only: on a busy machine the run's own process keeps its core, and a scan not done by the
    # time the flow wants it is dropped (the flow scans itself, as without this child)
    os.nice(10)
    sys.stdout.buffer.write(_child(sys.argv[1], sys.argv[2:]))
