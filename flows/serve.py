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


def scheduled_task_runner(settings: Settings):
    """The task runner for deployed and served runs: the CLI's, except for Dask.

    The CLI's Dask runner needs a context that outlives the flow run (it owns the cluster);
    a deployed run has none, so without a scheduler address prefect-dask starts a
    LocalCluster for the run and closes it after.
    """
    if settings.runner != "dask":
        return task_runner_for(settings)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.worker_count,
                                          "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"})


ingest = news_etl.with_options(task_runner=scheduled_task_runner(load_settings()))

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


def replace_worker_deployments(deployments, log=print) -> None:
    """Delete same-named deployments made by `prefect deploy` (they carry pull steps) before serving.

    Prefect's runner updates an existing deployment in place but keeps its storage path (None for
    a prefect.yaml deployment) while dropping its pull steps, and every served run then crashes
    with "No such file or directory: '.../None'". Switching a machine from worker mode to serve
    mode must just work, so the old deployment goes (its past flow runs stay).
    """
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        for d in deployments:
            full_name = d.full_name
            try:
                existing = client.read_deployment_by_name(full_name)
            except ObjectNotFound:
                continue
            if existing.pull_steps:
                log(f"news-etl serve: replacing deployment {full_name} (made by `prefect deploy` for a worker) "
                    f"with the served one")
                client.delete_deployment(existing.id)


def serve(settings: Settings | None = None) -> None:
    """Serve both schedules until Ctrl-C or SIGTERM (Prefect's runner exits 0 on both)."""
    import sys
    import warnings

    from prefect import serve as prefect_serve

    settings = settings or load_settings()
    config = Path(os.environ.get(ENV_PREFIX + "CONFIG", "news-etl.toml"))
    if config.is_file():   # the runs start in this directory too, but say it explicitly
        os.environ[ENV_PREFIX + "CONFIG"] = str(config.resolve())
    deployments = served_deployments(settings)
    replace_worker_deployments(deployments, log=lambda msg: print(msg, file=sys.stderr))
    # Prefect 3.8's SIGTERM handler calls the runner's async stop() without awaiting it and then
    # exits 0, which is a clean stop (the runner's context exit cleans up) but warns about it
    warnings.filterwarnings("ignore", category=RuntimeWarning, message=r"coroutine 'Runner\.astop' was never awaited")
    # Prefect pauses the deployments when the runner stops (no backlog of late runs piles up while
    # nothing serves them) and un-pauses them when they are served again
    prefect_serve(*deployments, pause_on_shutdown=True)
