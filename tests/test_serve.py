"""`news-etl serve` for real: both schedules served by one process, a triggered ingest run
completes, SIGTERM stops the process cleanly (exit 0, no traceback)."""
from __future__ import annotations

import re
import signal
from pathlib import Path

from live_prefect import BIN, read_count, stop_group, tail


def test_serve_runs_a_triggered_ingest_and_stops_cleanly_on_sigterm(prefect_server, samples_dir: Path,
                                                                      tmp_path: Path):
    server = prefect_server
    data_dir = tmp_path / "data"
    elsewhere = tmp_path / "cwd"   # serve resolves paths and its entrypoint from wherever it is started
    elsewhere.mkdir()
    serve = server.spawn([str(BIN / "news-etl"), "serve", "--input", str(samples_dir), "--data-dir", str(data_dir)],
                         "serve.log", cwd=elsewhere, PREFECT_RUNNER_POLL_FREQUENCY="2", NEWS_ETL_RUNNER="thread")
    try:
        server.wait_for(lambda: "being served" in tail(server.home / "serve.log"), 150, "serve start", serve,
                        "serve.log")
        for name, cron in (("news-etl/ingest", "*/15 * * * *"), ("news-etl-maintenance/maintenance", "30 2 * * *")):
            deployment = server.api(f"/deployments/name/{name}")
            assert [(s["schedule"]["cron"], s["active"]) for s in deployment["schedules"]] == [(cron, True)]
            assert deployment["parameters"]["data_dir"] == str(data_dir)

        run = server.cli("deployment", "run", "news-etl/ingest", "--watch", "--watch-interval", "1",
                         "--watch-timeout", "150", timeout=180)
        assert re.search(r"Flow run finished[\w\s]*'Completed'", run.stdout), run.stdout[-2000:] + tail(server.home / "serve.log")
        assert read_count(data_dir, "select count(*) from articles") == 5

        serve.send_signal(signal.SIGTERM)
        code = serve.wait(30)
        log = tail(server.home / "serve.log", 20000)
        assert code == 0, log
        assert "Traceback" not in log, log
        assert server.api("/deployments/name/news-etl/ingest")["paused"] is True   # no late runs pile up meanwhile
    finally:
        server.procs.remove(serve)
        stop_group(serve)
