"""The nightly `news-etl-maintenance` flow: compact the lake → refresh marts and feeds →
CHECKPOINT DuckDB → prune old reports and Prefect artifacts.

Composes the steps of tasks/maintenance.py. Everything that writes the data dir
runs under the run lock (warehouse/lock.py), so it never overlaps an ingest
run; it waits up to `maintenance_lock_wait_s` for one to finish, then skips.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed

from news_etl.config import load_settings
from tasks import maintenance as steps
from tasks.prefect_tasks import RETRY_DELAYS, retry_on_transient_io
from warehouse.lock import RunLocked, run_lock

RUN_ARTIFACT_KEYS = ["news-etl-run-summary", "news-etl-maintenance"]


# both retry only transient I/O errors (a reader holding warehouse.duckdb for a moment, a storage hiccup)
@task(name="compact-lake", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=RETRY_DELAYS(3),
      retry_condition_fn=retry_on_transient_io)
def compact_task(lake: Path, max_bytes: int) -> steps.CompactionResult:
    return steps.compact_lake(lake, max_bytes=max_bytes)


@task(name="refresh-feeds", cache_policy=NO_CACHE)
def feeds_task(data_dir: Path) -> str:
    """Rebuild the marts, then export them as feeds (warehouse/models.py, warehouse/feeds.py)."""
    from warehouse.feeds import export_feeds
    from warehouse.loader import db_path
    from warehouse.models import refresh_models

    if not db_path(data_dir).exists():
        return "skipped: no warehouse yet"
    marts = refresh_models(data_dir)
    feeds = export_feeds(data_dir)
    return f"{len(feeds)} marts refreshed and exported ({sum(feeds.values())} rows) in {marts.get('seconds_ms', 0)} ms"


@task(name="checkpoint-duckdb", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=RETRY_DELAYS(3),
      retry_condition_fn=retry_on_transient_io)
def checkpoint_task(data_dir: Path) -> float:
    return steps.checkpoint(data_dir)


@task(name="prune-artifacts", cache_policy=NO_CACHE)
def prune_task(data_dir: Path, retention_days: int) -> dict[str, int]:
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=retention_days)
    reports = steps.prune_old_files(data_dir / "reports", cutoff)
    return {"reports": len(reports), "prefect_artifacts": steps.prune_prefect_artifacts(RUN_ARTIFACT_KEYS, cutoff)}


@flow(name="news-etl-maintenance")
def maintenance(data_dir: str | None = None, retention_days: int | None = None):
    settings = load_settings(data_dir=data_dir, retention_days=retention_days)
    log = get_run_logger()
    data = Path(settings.data_dir)
    t0 = time.perf_counter()
    done: dict[str, str] = {}
    try:
        with run_lock(data, settings.maintenance_lock_wait_s, on_wait=log.warning):
            c = compact_task(data / "lake", settings.compact_max_bytes)
            done["compact"] = (f"{c.runs_compacted} run folders merged ({c.files_before} files → {c.files_after}, "
                               f"{c.bytes_before:,} → {c.bytes_after:,} bytes); {c.skipped_large} left as they are "
                               f"(over {settings.compact_max_bytes:,} bytes)")
            log.info("compact: %s", done["compact"])
            done["feeds"] = feeds_task(data)
            log.info("feeds: %s", done["feeds"])
            seconds = checkpoint_task(data)
            done["checkpoint"] = f"{seconds:.2f} s" if seconds else "skipped: no warehouse yet"
            log.info("checkpoint: %s", done["checkpoint"])
    except RunLocked as exc:
        log.warning("maintenance skipped: %s", exc)
        return Completed(name="Skipped", message=f"maintenance skipped: {exc}", data={"status": "skipped"})
    pruned = prune_task(data, settings.retention_days)
    done["prune"] = (f"{pruned['reports']} reports and {pruned['prefect_artifacts']} Prefect artifacts older than "
                     f"{settings.retention_days} days deleted")
    log.info("prune: %s", done["prune"])
    seconds = time.perf_counter() - t0
    create_markdown_artifact(
        "\n".join([f"# news-etl maintenance: {settings.data_dir}", "", "| step | result |", "|---|---|",
                   *[f"| {step} | {what} |" for step, what in done.items()], "", f"{seconds:.1f} s"]),
        key="news-etl-maintenance", description=f"maintenance of {settings.data_dir}")
    return {"status": "completed", "seconds": round(seconds, 3), **done}
