"""A Prefect server on loopback, started and stopped by us (no Prefect import here).

`news-etl serve` uses it when no PREFECT_API_URL is set: Prefect's temporary
(ephemeral) API runs no scheduler service, so served cron schedules would never
fire; a real `prefect server start` child does. The tests start theirs the same way.
`news-etl run` without an API URL starts Prefect's temporary API (`start_temporary_api`).
The server keeps its history in $PREFECT_HOME (default ~/.prefect) across restarts.
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Iterator

PREFECT_BIN = Path(sys.executable).parent / "prefect"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
            return json.loads(resp.read()) is True
    except (OSError, ValueError):
        return False


def stop_group(proc: subprocess.Popen, sig: int = signal.SIGTERM, grace_s: float = 15.0) -> int | None:
    """Signal a process's group (it was started in a session of its own), wait, SIGKILL what is left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)   # stragglers, e.g. flow-run children of a worker or runner
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)
    return proc.returncode


def start_server(port: int, env: dict[str, str], log: IO[bytes], cwd: Path | None = None) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1:<port>, in its own session so a terminal's Ctrl-C reaches only us."""
    return subprocess.Popen([str(PREFECT_BIN), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def wait_healthy(api_url: str, proc: subprocess.Popen, timeout_s: float = 120.0, poll_s: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        if healthy(api_url):
            return True
        time.sleep(poll_s)
    return False


def start_temporary_api() -> tuple[subprocess.Popen, str]:
    """Prefect's temporary API, started as Prefect starts it when no API URL is configured
    (`prefect.server.api.server.SubprocessASGIServer`: its server app under uvicorn, ephemeral, no UI),
    but without importing Prefect here: the CLI starts it before importing Prefect, so that the two
    imports (the server's ~5 s, the run's ~2.5 s at low load) overlap on two cores, and Prefect's own way
    would first import the whole server module into the run's process only to run this command. The
    server reads Prefect's settings (profile, environment) itself, as the run's process does. Returns
    the process and its API URL; it is not healthy yet (`temporary_api` waits)."""
    port = free_port()
    prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
    env = os.environ | {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent),
                             "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "error", "--lifespan", "on"],
                            env=env, stdin=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}/api"


def stop_temporary_api(proc: subprocess.Popen) -> None:
    """As Prefect stops its temporary server: SIGTERM, 5 s, SIGKILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def temporary_api(started: tuple[subprocess.Popen, str] | None, timeout_s: float, meanwhile=None) -> Iterator[str]:
    """The URL of a healthy temporary API (`started`, or one started now), stopped on the way out.
    `meanwhile()` runs while it starts; its health is then polled every 0.1 s."""
    proc, api_url = started or start_temporary_api()
    try:
        if meanwhile is not None:
            meanwhile()
        for _attempt in range(3):   # uvicorn exits 3 when the port was taken in the meantime
            if wait_healthy(api_url, proc, timeout_s, poll_s=0.1):
                break
            if proc.poll() != 3:
                raise RuntimeError(f"Prefect's temporary API did not come up within {timeout_s:.0f} s "
                                   f"(exit code {proc.poll()}); set PREFECT_API_URL to a running server")
            proc, api_url = start_temporary_api()
        else:
            raise RuntimeError("Prefect's temporary API found no free port")
        yield api_url
    finally:
        stop_temporary_api(proc)


@contextlib.contextmanager
def own_server(log_path: Path, timeout_s: float = 120.0) -> Iterator[str]:
    """Start a server, point this process's PREFECT_API_URL at it, stop it on the way out."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"PREFECT_SERVER_ANALYTICS_ENABLED": os.environ.get("PREFECT_SERVER_ANALYTICS_ENABLED", "false")}
    env.pop("PREFECT_API_URL", None)
    with open(log_path, "ab") as log:
        proc = start_server(port, env, log)
        try:
            if not wait_healthy(api_url, proc, timeout_s):
                raise RuntimeError(f"the Prefect server did not come up within {timeout_s:.0f} s; see {log_path}")
            os.environ["PREFECT_API_URL"] = api_url
            yield api_url
        finally:
            stop_group(proc)
