"""The scheduled flows, and `news-etl serve`: both schedules served by one long-running process.

`ingest` is the `news_etl` flow with the task runner the settings ask for
(NEWS_ETL_RUNNER, NEWS_ETL_WORKERS, news-etl.toml), so that CLI, served and
deployed runs run the same way; prefect.yaml's entrypoints point here and at
flows/maintenance.py. Served and deployed runs read the same settings as the
CLI (news_etl/config.py); the serving process resolves the relative paths
against its own working directory and hands them to its runs as parameters.
"""
from __future__ import annotations

import os
from pathlib import Path

from flows.etl import news_etl
from flows.maintenance import maintenance
from news_etl.config import ENV_PREFIX, Settings, load_settings
from news_etl.runner import task_runner_for

ingest = news_etl.with_options(task_runner=task_runner_for(load_settings()))

# deployment names, the same as in prefect.yaml
INGEST = "ingest"
MAINTENANCE = "maintenance"


def _entrypoint(attribute: str) -> str:
    # the runner starts each run in this process's working directory, so a relative path is enough
    return f"{os.path.relpath(Path(__file__).resolve(), Path.cwd())}:{attribute}"


def served_deployments(settings: Settings):
    from prefect.schedules import Cron

    data_dir = str(Path(settings.data_dir).resolve())
    ingest_deployment = ingest.to_deployment(
        name=INGEST, description="incremental ingest of the landing folders",
        schedules=[Cron(settings.ingest_cron, timezone=settings.schedule_timezone)],
        parameters={"inputs": [p if "://" in p else str(Path(p).resolve()) for p in settings.inputs],
                    "data_dir": data_dir, "chunk_size": settings.chunk_size},
        tags=["news-etl"])
    ingest_deployment.entrypoint = _entrypoint("ingest")
    maintenance_deployment = maintenance.to_deployment(
        name=MAINTENANCE, description="nightly: compact the lake, feeds, CHECKPOINT, prune",
        schedules=[Cron(settings.maintenance_cron, timezone=settings.schedule_timezone)],
        parameters={"data_dir": data_dir}, tags=["news-etl"])
    return [ingest_deployment, maintenance_deployment]


def serve(settings: Settings | None = None) -> None:
    """Serve both schedules until Ctrl-C or SIGTERM (Prefect's runner exits 0 on both)."""
    from prefect import serve as prefect_serve

    settings = settings or load_settings()
    config = Path(os.environ.get(ENV_PREFIX + "CONFIG", "news-etl.toml"))
    if config.is_file():   # the runs start in this directory too, but say it explicitly
        os.environ[ENV_PREFIX + "CONFIG"] = str(config.resolve())
    # pause_on_shutdown=False: stopping the server process stops the schedules anyway (nothing
    # runs them), and a restart must not find them paused
    prefect_serve(*served_deployments(settings), pause_on_shutdown=False)
