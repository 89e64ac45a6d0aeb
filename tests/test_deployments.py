"""prefect.yaml for real: a Prefect server, the process work pool, `prefect deploy --all`,
a worker, the ingest and maintenance deployments run on a copy of the samples."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from live_prefect import BIN, REPO, read_count, stop_group, tail
from news_etl.config import Settings

POOL = "news-etl-pool"


def load_prefect_yaml() -> dict:
    return yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def test_prefect_yaml_matches_the_settings_and_works_from_any_clone():
    spec = load_prefect_yaml()
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert set(by_name) == {"ingest", "maintenance"}
    defaults = Settings()
    assert by_name["ingest"]["schedules"][0]["cron"] == defaults.ingest_cron == "*/15 * * * *"
    assert by_name["maintenance"]["schedules"][0]["cron"] == defaults.maintenance_cron
    assert {"inputs", "data_dir", "chunk_size"} <= set(by_name["ingest"]["parameters"])
    for d in by_name.values():
        assert d["work_pool"]["name"] == POOL
        path, attribute = d["entrypoint"].split(":")
        assert re.search(rf"^(def {attribute}\(|{attribute} = )", (REPO / path).read_text(), re.M), d["entrypoint"]
    pull = spec["pull"][0]["prefect.deployments.steps.set_working_directory"]["directory"]
    assert pull == "{{ $NEWS_ETL_HOME }}"   # resolved when a run starts: no path of this machine baked in
    assert str(REPO) not in (REPO / "prefect.yaml").read_text()


def _state_of_watched_run(out: str) -> str:
    found = re.search(r"Flow run finished[\w\s]*'(\w+)'", out)
    return found.group(1) if found else f"unknown; output:\n{out[-3000:]}"


def test_deploy_all_then_a_worker_runs_ingest_and_maintenance(prefect_server, samples_dir: Path, tmp_path: Path):
    server = prefect_server
    data_dir = tmp_path / "data"
    server.cli("work-pool", "create", POOL, "--type", "process", "--overwrite")
    # the worker starts elsewhere: the pull step must take runs to NEWS_ETL_HOME; the data dir comes
    # from the environment (the same NEWS_ETL_* settings as the CLI), so nothing lands in the checkout;
    # threads, not processes, for the chunks: this test is about the Prefect plumbing, and spawning costs seconds
    worker_cwd = tmp_path / "elsewhere"
    worker_cwd.mkdir()
    worker = server.spawn([str(BIN / "prefect"), "worker", "start", "--pool", POOL], "worker.log", cwd=worker_cwd,
                          NEWS_ETL_HOME=str(REPO), NEWS_ETL_DATA_DIR=str(data_dir), NEWS_ETL_RUNNER="thread",
                          PREFECT_WORKER_QUERY_SECONDS="2")
    try:
        server.cli("deploy", "--all", "--no-prompt")

        # the documented way to pause one schedule (and no cron slot may fire during this test)
        schedules = json.loads(server.cli("deployment", "schedule", "ls", "news-etl/ingest", "-o", "json").stdout)
        server.cli("deployment", "schedule", "pause", "news-etl/ingest", schedules[0]["id"])
        deployment = server.api("/deployments/name/news-etl/ingest")
        assert [(s["schedule"]["cron"], s["active"]) for s in deployment["schedules"]] == [("*/15 * * * *", False)]

        server.wait_for(lambda: "started!" in tail(server.home / "worker.log"), 120, "worker start", worker,
                        "worker.log")
        run = server.cli("deployment", "run", "news-etl/ingest", "--params", json.dumps({"inputs": [str(samples_dir)]}),
                         "--watch", "--watch-interval", "1", "--watch-timeout", "150", timeout=180)
        assert _state_of_watched_run(run.stdout) == "Completed", tail(server.home / "worker.log")
        assert read_count(data_dir, "select count(*) from articles") == 5
        assert read_count(data_dir, "select count(*) from runs") == 1
        # what an operator sees: one line per step in the run's log, and the summary artifact
        log = tail(server.home / "worker.log", 50000)
        for step_line in ("discover: 5 files seen", "process: 5/5 files", "checks: "):
            assert step_line in log, log
        artifacts = server.api("/artifacts/filter", {"artifacts": {"key": {"any_": ["news-etl-run-summary"]}}})
        summary = artifacts[0]["data"]
        for heading in ("Rejects by reason", "Lines removed by reason", "## Steps", "## Checks"):
            assert heading in summary, summary

        maint = server.cli("deployment", "run", "news-etl-maintenance/maintenance", "--watch", "--watch-interval", "1",
                           "--watch-timeout", "120", timeout=150)
        assert _state_of_watched_run(maint.stdout) == "Completed", tail(server.home / "worker.log")
        log = tail(server.home / "worker.log", 50000)
        for step_line in ("compact: ", "feeds: ", "marts refreshed and exported", "checkpoint: ", "prune: "):
            assert step_line in log, log
        assert read_count(data_dir, "select count(*) from articles") == 5   # maintenance lost nothing
    finally:
        server.procs.remove(worker)
        stop_group(worker)   # before the serve test, which serves the same deployment names
