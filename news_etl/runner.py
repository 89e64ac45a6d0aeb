"""Run the flow once from the CLI: pick the task runner, show progress."""
from __future__ import annotations

import contextlib
import logging
import sys
from typing import Iterator

from news_etl import progress
from news_etl.config import Settings


def task_runner_for(settings: Settings, stack: contextlib.ExitStack | None = None):
    """The Prefect task runner for `settings.runner`.

    `stack` receives what must outlive the flow run: for `dask`, a LocalCluster
    started here when no scheduler address is given and a Prefect API shared with
    the Dask workers (see `_api_for_workers`). The `process` runner's workers never
    talk to Prefect (their chunk tasks run in threads of the flow process), so the
    flow alone uses the API: with none configured, Prefect's temporary server.
    """
    workers = settings.worker_count
    if settings.runner == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner
        return ThreadPoolTaskRunner(max_workers=workers)
    if settings.runner == "dask":
        from prefect_dask import DaskTaskRunner
        if stack is None:
            raise ValueError("the dask runner needs an ExitStack that outlives the flow run")
        _api_for_workers(stack)
        address = stack.enter_context(dask_scheduler(settings.dask_address, workers))
        # one code path for both cases: the runner always connects to a scheduler address
        return DaskTaskRunner(address=address)
    from tasks.prefect_tasks import ChunkProcessPool, chunks_in_flight
    return ChunkProcessPool(processes=workers, threads=chunks_in_flight(settings))


@contextlib.contextmanager
def dask_scheduler(address: str | None, workers: int) -> Iterator[str]:
    """A Dask scheduler address: `address` as given, else a LocalCluster's, closed on exit.

    A LocalCluster spawns its worker processes, and a spawned process re-imports
    the parent's `__main__`: a user script calling this without an
    `if __name__ == "__main__":` guard would start a cluster in every worker
    ("Nanny failed to start"). The cluster is therefore started with `__main__`
    hidden from multiprocessing; tasks never need it (Dask pickles anything
    defined in `__main__` by value).
    """
    if address:
        yield address
        return
    from distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)   # the scheduler runs in this process
    with _main_module_hidden():
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0",   # no fixed port to collide with other runs
                               silence_logs=logging.WARNING)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _api_for_workers(stack: contextlib.ExitStack) -> None:
    """Make sure Dask worker processes report to the same Prefect API as the flow.

    With no PREFECT_API_URL configured (the CLI's default: Prefect's temporary
    server), every worker process running Prefect task runs would start a temporary
    API server of its own: measured on a 10k-file run with Prefect's process pool,
    three uvicorn servers instead of one, ~20 % of all CPU samples and ~265 MB of RSS
    each, all writing one SQLite file. So the temporary server is started here, once,
    and its URL goes into the settings that Prefect serializes with each Dask task.
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if PREFECT_API_URL.value():
        return
    from news_etl.local_server import temporary_api

    api_url = stack.enter_context(temporary_api(None, get_current_settings().server.ephemeral.startup_timeout_seconds))
    stack.enter_context(temporary_settings({PREFECT_API_URL: api_url}))


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    class RateColumn(TextColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return super().render(task) if speed is None else type(super().render(task))(f"{speed:,.0f} files/s")

    bar = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                   RateColumn(""), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), transient=False)
    task_id = bar.add_task("files", total=None)

    def listener(done: int, total: int) -> None:
        bar.update(task_id, completed=done, total=total)

    with bar:
        progress.set_listener(listener)
        try:
            yield
        finally:
            progress.set_listener(None)


def run_flow(settings: Settings, show_progress: bool = False) -> dict:
    from flows.etl import news_etl

    with contextlib.ExitStack() as stack:
        flow = news_etl.with_options(task_runner=task_runner_for(settings, stack))
        with progress_bar(show_progress):
            return flow(inputs=settings.inputs, data_dir=settings.data_dir, chunk_size=settings.chunk_size,
                        max_file_bytes=settings.max_file_bytes)
