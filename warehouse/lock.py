"""At most one run writes a data dir at a time.

An advisory lock (flock) on `<data-dir>/.run.lock`: the kernel drops it when the
holder dies, even by kill -9, so a crashed run never leaves a stale lock behind.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Callable, Iterator


class RunLocked(RuntimeError):
    pass


@contextlib.contextmanager
def run_lock(data_dir: Path, timeout_s: float = 0.0, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ".run.lock"
    fh = open(path, "a+")
    deadline = time.monotonic() + timeout_s
    told = False
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "unknown"
                if time.monotonic() >= deadline:
                    raise RunLocked(f"another run holds the lock on {data_dir} ({holder}); not starting") from None
                if on_wait and not told:
                    on_wait(f"another run holds the lock on {data_dir} ({holder}); waiting up to {timeout_s:.0f} s")
                    told = True
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()   # closing releases the lock
