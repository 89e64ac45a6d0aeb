"""A real Prefect server for the deployment and serve tests, and the processes they start.

Everything is started in its own session (process group) and stopped in a finally
block, group and all, even when a test fails; output goes to log files whose tail
is shown when something does not come up.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from news_etl.local_server import free_port, healthy, start_server, stop_group  # noqa: F401  (tests import stop_group here)

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent


def tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


class LiveServer:
    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        self.env.update({
            "PREFECT_HOME": str(home), "PREFECT_API_URL": self.api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_CLI_PROMPT": "false", "PREFECT_LOGGING_LEVEL": "INFO", "COLUMNS": "200",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        })
        # server services these tests do not use: fewer writers on the server's SQLite (under load a service
        # once held it for 60 s), and no cron slot of a served deployment fires in the middle of a test
        for service in ("SCHEDULER", "LATE_RUNS", "FOREMAN", "PAUSE_EXPIRATIONS", "CANCELLATION_CLEANUP",
                        "REPOSSESSOR", "TRIGGERS", "DB_VACUUM", "CLEANUP_RECONCILER"):
            self.env[f"PREFECT_SERVER_SERVICES_{service}_ENABLED"] = "false"
        self.env = {k: v for k, v in self.env.items() if not k.startswith("NEWS_ETL_")}
        self.procs: list[subprocess.Popen] = []

    def spawn(self, args: list[str], log_name: str, cwd: Path | None = None, **env: str) -> subprocess.Popen:
        log = open(self.home / log_name, "wb")
        proc = subprocess.Popen(args, cwd=cwd or REPO, env=self.env | env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        return proc

    def cli(self, *args: str, timeout: float = 120, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
        """A `prefect ...` command, non-interactive; raises with its output when it fails."""
        done = subprocess.run([str(BIN / "prefect"), *args], cwd=cwd or REPO, env=self.env | env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n"
                                 f"{done.stderr[-3000:]}")
        return done

    def api(self, path: str, body: dict | None = None):
        """POST `body` (or GET) to the REST API; the decoded JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.api_url}{path}", data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def healthy(self) -> bool:
        return healthy(self.api_url)

    def wait_for(self, predicate, timeout_s: float, what: str, proc: subprocess.Popen | None = None,
                 log_name: str | None = None) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if predicate():
                return
            if proc is not None and proc.poll() is not None:
                break
            time.sleep(0.5)
        raise AssertionError(f"{what} did not happen within {timeout_s:.0f} s"
                             + (f"; log:\n{tail(self.home / log_name)}" if log_name else ""))

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            stop_group(proc)

    @classmethod
    @contextlib.contextmanager
    def start(cls, home: Path) -> Iterator["LiveServer"]:
        server = cls(home)
        try:
            proc = start_server(server.port, server.env, open(home / "server.log", "wb"), cwd=REPO)
            server.procs.append(proc)
            server.wait_for(server.healthy, 180, "prefect server health", proc, "server.log")
            yield server
        finally:
            server.stop_all()


def read_count(data_dir: Path, sql: str) -> int:
    import duckdb

    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()
