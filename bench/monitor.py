"""Peak memory of a whole process tree (the process and every child, polled), stdlib + psutil only.

Shared by bench/run.py and bench/peer_datatrove.py (which runs in its own venv).
"""
from __future__ import annotations

import multiprocessing
import resource
import threading
import time
from pathlib import Path

import psutil


def own_peak_mb() -> float:
    """This process's own peak RSS so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(target, *args) -> None:
    """Run target(*args) in a spawned process and wait: what it allocates stays out of own_peak_mb()."""
    child = multiprocessing.get_context("spawn").Process(target=target, args=args)
    child.start()
    child.join()


def role(cmd: str) -> str:
    """What a process of a `news-etl run` tree is, from its command line."""
    if "uvicorn" in cmd or "prefect server" in cmd:
        return "prefect server"
    if "resource_tracker" in cmd:
        return "resource tracker"
    if "spawn_main" in cmd or "forkserver" in cmd or "distributed" in cmd:
        return "worker"
    return "flow" if "news-etl" in cmd else "other"


class TreeMonitor:
    """Poll the RSS of `pid` and all its descendants every `interval` s; keep the peak of the sum,
    each process's own peak, and (with `timeline`) one TSV line a second: elapsed s, total MB, MB by role."""

    def __init__(self, pid: int, interval: float = 0.1, timeline: Path | None = None):
        self.pid, self.interval = pid, interval
        self.peak_bytes = 0
        self.peak_detail: list[tuple[int, str, int]] = []   # (pid, command, rss) of each process at the peak
        self.process_peaks: dict[int, tuple[str, int]] = {}  # pid -> (command, its own highest rss)
        self.process_cpu: dict[int, tuple[str, float]] = {}  # pid -> (command, user + system CPU s at its last poll)
        self.samples = 0
        self.timeline = timeline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 1e6

    def role_peaks_mb(self) -> dict[str, float]:
        """The highest RSS any one process of each role reached (MB)."""
        out: dict[str, float] = {}
        for cmd, rss in self.process_peaks.values():
            r = role(cmd)
            out[r] = max(out.get(r, 0.0), rss / 1e6)
        return out

    def role_cpu_s(self) -> dict[str, float]:
        """CPU seconds (user + system) each role's processes used, as of their last poll (a process
        that ended loses at most its last `interval`)."""
        out: dict[str, float] = {}
        for cmd, cpu in self.process_cpu.values():
            r = role(cmd)
            out[r] = out.get(r, 0.0) + cpu
        return out

    def tree_rss(self) -> tuple[int, list[tuple[int, str, int]]]:
        try:
            root = psutil.Process(self.pid)
            procs = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0, []
        detail = []
        for p in procs:
            try:
                with p.oneshot():
                    cmd, rss, cpu = " ".join(p.cmdline())[:120], p.memory_info().rss, p.cpu_times()
                detail.append((p.pid, cmd, rss))
                self.process_cpu[p.pid] = (cmd, cpu.user + cpu.system)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return sum(d[2] for d in detail), detail

    def _poll(self) -> None:
        t0 = time.monotonic()
        next_line = 0.0
        out = self.timeline.open("w") if self.timeline else None
        if out:
            out.write("seconds\ttotal_mb\tby_role_mb\n")
        try:
            while not self._stop.is_set():
                total, detail = self.tree_rss()
                if total > self.peak_bytes:
                    self.peak_bytes, self.peak_detail = total, sorted(detail, key=lambda d: -d[2])
                for pid, cmd, rss in detail:
                    if rss > self.process_peaks.get(pid, ("", 0))[1]:
                        self.process_peaks[pid] = (cmd, rss)
                elapsed = time.monotonic() - t0
                if out and elapsed >= next_line:
                    by_role: dict[str, int] = {}
                    for _, cmd, rss in detail:
                        by_role[role(cmd)] = by_role.get(role(cmd), 0) + rss
                    out.write(f"{elapsed:.1f}\t{total / 1e6:.0f}\t"
                              + " ".join(f"{r}={v / 1e6:.0f}" for r, v in sorted(by_role.items())) + "\n")
                    out.flush()
                    next_line = elapsed + 1.0
                self.samples += 1
                self._stop.wait(self.interval)
        finally:
            if out:
                out.close()

    def __enter__(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
