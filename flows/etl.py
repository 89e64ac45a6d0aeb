"""The `news_etl` flow: discover → process chunks → load DuckDB → publish lake → checks → summary.

This module only composes steps; the steps live in tasks/ and warehouse/.
"""
from __future__ import annotations

import datetime as dt
import time
from functools import partial
import uuid
from pathlib import Path

from prefect import Flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed

from news_etl import prefetch, progress
from news_etl.config import Settings, load_settings
from news_etl.storage import mirror_committed_runs
from tasks.discover import discover, discover_rows
from tasks.lake import committed_runs, publish_run, release_freed_memory, staging_dir, write_part
from tasks.prefect_tasks import (RETRY_DELAYS, analysis_task, chunks_in_flight, files_per_chunk, process_chunk_task,
                                 release_task_workers, results_as_completed, retry_on_transient_io)
from tasks.process import ProcessConfig
from tasks.summary import summarize, timed_phase
from warehouse.checks import (CheckFailed, forget_passed_checks, passed_checks_still_valid, remember_passed_checks,
                              run_checks)
from warehouse.loader import export_site_memory, load_run, mark_run, read_manifest
from warehouse.lock import RunLocked, run_lock
from warehouse.rebuild import recover


def new_run_id(started: dt.datetime, after: str | None = None) -> str:
    # sortable by start time, taken under the run lock, so that the order of run ids is the
    # order of commits and `news-etl rebuild` replays the lake in that order; `after` (the last
    # committed run) keeps that true when the clock was stepped back between two runs
    if after:
        stamp = after.split("-")[0]
        last = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%f" if len(stamp) > 15 else "%Y%m%dT%H%M%S")
        started = max(started, last + dt.timedelta(microseconds=1))
    return f"{started:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


@task(name="recover", cache_policy=NO_CACHE)
def recover_task(data_dir: Path, lake: Path) -> dict[str, list[str]]:
    """Finish publishing runs that committed; drop staging of runs that did not; rebuild a lost warehouse file."""
    return recover(data_dir, lake)


# a reader (`news-etl query`, a dashboard) holding warehouse.duckdb blocks the writer for a moment: retry with backoff
@task(name="load-warehouse", cache_policy=NO_CACHE, retries=4, retry_delay_seconds=RETRY_DELAYS(4),
      retry_condition_fn=retry_on_transient_io)
def load_task(data_dir: Path, lake: Path, run_id: str, run_row: dict, step_rows: list[dict]) -> None:
    # in the flow process, whose imports it shares: in a fresh process its ~650 MB peak came on top of the flow's
    load_run(data_dir, lake, run_id, run_row, step_rows)


@task(name="mark-run", cache_policy=NO_CACHE)
def mark_run_task(data_dir: Path, run_id: str, status: str) -> None:
    mark_run(data_dir, run_id, status)


@task(name="data-checks", cache_policy=NO_CACHE)
def checks_task(data_dir: Path) -> dict[str, int]:
    return run_checks(data_dir)


class JsonParameterFlow(Flow):
    """A flow whose parameters are recorded as they are when they are plain JSON (str, int, float,
    bool, None, lists and dicts of them: ours always are). Prefect records parameters through fastapi's
    jsonable_encoder, which returns such values unchanged, but importing fastapi for it cost every run
    0.15-0.35 s (its whole web framework); any other value still goes Prefect's way."""

    def serialize_parameters(self, parameters: dict) -> dict:
        if all(_plain_json(v) for v in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)

    def with_options(self, **options) -> "JsonParameterFlow":
        new = super().with_options(**options)   # Prefect builds a plain Flow
        new.__class__ = type(self)
        return new


def _plain_json(value) -> bool:
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_plain_json(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    return False


@partial(JsonParameterFlow, name="news-etl")
def news_etl(inputs: list[str] | None = None, data_dir: str | None = None, chunk_size: int | None = None,
             max_file_bytes: int | None = None) -> dict:
    settings = load_settings(inputs=inputs, data_dir=data_dir, chunk_size=chunk_size, max_file_bytes=max_file_bytes)
    try:
        return run_once(settings)
    except RunLocked as exc:
        # a scheduled run that finds another run (or maintenance) writing this data dir does nothing:
        # it ends as a Completed state named Skipped, not as a failure that pages someone
        get_run_logger().warning("skipped: %s", exc)
        return Completed(name="Skipped", message=f"skipped: {exc}",
                         data={"status": "skipped", "text": f"skipped: {exc}"})
    except CheckFailed:
        raise   # already names the failed checks
    except Exception as exc:
        raise PipelineError(f"{type(exc).__name__} in {where(exc)}: {exc}") from exc


class PipelineError(RuntimeError):
    """An unexpected error of the pipeline itself; the message names the exception and where it came from."""


def where(exc: BaseException) -> str:
    """The innermost frame of our own code in the traceback, e.g. `warehouse/loader.py:88 (load_run)`."""
    ours = ("flows", "tasks", "warehouse", "news_etl")
    spot = "an unknown place"
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.parent.name in ours:
            spot = f"{path.parent.name}/{path.name}:{tb.tb_lineno} ({tb.tb_frame.f_code.co_name})"
        tb = tb.tb_next
    return spot


def analysis_outputs_exist(data: Path) -> bool:
    return (data / "feeds").is_dir() and (data / "reports" / "latest.html").exists()


def run_once(settings: Settings) -> dict:
    log = get_run_logger()
    t0 = time.perf_counter()
    data = Path(settings.data_dir)
    lake = data / "lake"
    with run_lock(data, settings.lock_timeout_s, on_wait=log.warning):
        started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        recovered = recover_task(data, lake)
        run_id = new_run_id(started, after=max(committed_runs(lake), default=None))
        found = prefetch.take(settings.inputs, data)   # the CLI's scan, if the warehouse is as it saw it
        if found is None:
            found = discover(settings.inputs, read_manifest(data))
        log.info("discover: %d files seen, %d new or changed, %d unchanged, %d rejected",
                 found.seen, len(found.todo), len(found.unchanged), len(found.rejects))
        stage = staging_dir(lake, run_id)
        discover_rejects, discover_files = discover_rows(found, run_id, started)
        write_part(stage, "rejects", "discover", discover_rejects)
        write_part(stage, "files", "discover", discover_files)
        cfg = ProcessConfig.from_settings(settings)
        memory = lake / "_state" / "site_memory.parquet"
        chunks = found.todo.chunks(files_per_chunk(settings, len(found.todo)))
        chunk_task = process_chunk_task.with_options(timeout_seconds=settings.task_timeout_s)
        def submit(i: int):
            # the chunk stays packed (a FileList): Prefect walks every list and dataclass in a task's
            # arguments, twice per task run, ~37 ms for 500 SourceFiles, in the flow process beside the workers
            return chunk_task.submit(chunks[i], cfg, run_id, f"{i:05d}", stage, memory, started)

        results, done, phases = [], 0, {}   # a few chunks in flight at a time: flow memory O(workers), not O(files)
        with timed_phase(phases, "chunks"):
            for result in results_as_completed(submit, len(chunks), chunks_in_flight(settings)):
                results.append(result)
                done += result.files
                if not progress.report(done, len(found.todo)):
                    log.info("process: %d/%d files (%d articles so far)", done, len(found.todo),
                             sum(r.articles for r in results))
            release_task_workers()   # the idle cleaning workers (~400 MB each) need not outlive the chunks
        summary = summarize(run_id, str(data), found, results)
        summary.phases = phases
        # nothing new, changed, rejected or recovered, and the warehouse exactly as the last run whose
        # checks passed left it: that run's check results and site-memory snapshot still hold
        nothing_changed = not found.todo and not found.rejects and not recovered["published"]
        # counted now: the scan's lists (at 1M files ~90 MB of unchanged paths in a no-op run) and the
        # chunks' results need not sit under the load, the checks and the marts
        del found, chunks, submit, results
        release_freed_memory()
        still_valid = passed_checks_still_valid(data) if nothing_changed else None
        run_row = summary.run_row(started, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
        with timed_phase(summary.phases, "load"):
            load_task(data, lake, run_id, run_row, [s.to_row(run_id) for s in summary.steps])
            log.info("load: run %s committed to %s: %d articles, %d files rejected", run_id,
                     data / "warehouse.duckdb", summary.articles_written, summary.files_rejected)
            publish_run(lake, run_id)
            if settings.lake_url:   # a copy of the committed lake on object storage (news_etl/storage.py)
                mirror_committed_runs(lake, settings.lake_url)
            if still_valid is None or not memory.exists():
                export_site_memory(data, memory)
        if still_valid is None:
            with timed_phase(summary.phases, "checks"):
                counts = checks_task(data)
        else:
            counts, summary.checks_reused_from = still_valid
            log.info("checks: warehouse unchanged since run %s, whose checks passed: not run again",
                     summary.checks_reused_from)
        summary.checks = {name: n == 0 for name, n in counts.items()}
        summary.checks["files_accounted_for"] = summary.accounted
        failed = [name for name, ok in summary.checks.items() if not ok]
        log.info("checks: %d/%d passed%s", len(summary.checks) - len(failed), len(summary.checks),
                 f"; FAILED: {', '.join(failed)}" if failed else "")
        if not failed and still_valid is not None and analysis_outputs_exist(data):
            # the run whose checks are reused also wrote the marts, feeds and report of this very warehouse
            log.info("analysis: nothing changed since run %s: marts, feeds and reports/latest.html left as they are",
                     summary.checks_reused_from)
        elif not failed:   # marts, feeds and the run report, from what this run committed
            # a run killed after its commit left the marts behind the warehouse: refresh them too
            with timed_phase(summary.phases, "analysis"):
                analysis = analysis_task(data, run_id, changed=summary.files_new > 0 or bool(recovered["published"]))
            log.info("analysis: marts and feeds %s, report %s", "refreshed" if analysis.get("refreshed") else "unchanged",
                     analysis.get("report"))
        if not failed:
            remember_passed_checks(data, counts, run_id)   # after the run's last write to the warehouse
        summary.status = "failed" if failed else "completed"
        summary.seconds = time.perf_counter() - t0   # the whole run, its marts, feeds and report included
        create_markdown_artifact(summary.to_markdown(), key="news-etl-run-summary", description=f"run {run_id}")
        log.info(summary.to_text())
        if failed:
            forget_passed_checks(data)
            mark_run_task(data, run_id, "checks_failed")
            raise CheckFailed(f"data checks failed: {', '.join(failed)} (run {run_id}; see `news-etl query` on the warehouse)")
    return summary.to_dict() | {"text": summary.to_text()}
