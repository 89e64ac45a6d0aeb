"""Run the flow once from the CLI: pick the task runner, show progress."""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from news_etl import progress
from news_etl.config import Settings


def task_runner_for(settings: Settings):
    workers = settings.workers or os.cpu_count() or 1
    if settings.runner == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner
        return ThreadPoolTaskRunner(max_workers=workers)
    if settings.runner == "dask":
        from prefect_dask import DaskTaskRunner
        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    from prefect.task_runners import ProcessPoolTaskRunner
    return ProcessPoolTaskRunner(max_workers=workers)


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

    flow = news_etl.with_options(task_runner=task_runner_for(settings))
    with progress_bar(show_progress):
        return flow(inputs=settings.inputs, data_dir=settings.data_dir, chunk_size=settings.chunk_size,
                    max_file_bytes=settings.max_file_bytes)
