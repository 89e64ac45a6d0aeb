"""Peak memory of a whole process tree (the process and every child, polled), stdlib + psutil only.

Shared by bench/run.py and bench/peer_datatrove.py (which runs in its own venv).
"""
from __future__ import annotations

import threading

import psutil


class TreeMonitor:
    """Poll the RSS of `pid` and all its descendants every `interval` s; keep the peak of the sum."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak_bytes = 0
        self.peak_detail: list[tuple[int, str, int]] = []   # (pid, command, rss) of each process at the peak
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 1e6

    def tree_rss(self) -> tuple[int, list[tuple[int, str, int]]]:
        try:
            root = psutil.Process(self.pid)
            procs = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0, []
        detail = []
        for p in procs:
            try:
                detail.append((p.pid, " ".join(p.cmdline())[:120], p.memory_info().rss))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return sum(d[2] for d in detail), detail

    def _poll(self) -> None:
        while not self._stop.is_set():
            total, detail = self.tree_rss()
            if total > self.peak_bytes:
                self.peak_bytes, self.peak_detail = total, sorted(detail, key=lambda d: -d[2])
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
