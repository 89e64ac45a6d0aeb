"""Retries only for transient I/O errors; a locked data dir skips the run; an unexpected error
fails the run with a message naming it. Real Prefect runs on the session harness."""
from __future__ import annotations

import errno
from pathlib import Path

import duckdb
import pytest

from tasks.prefect_tasks import is_transient_io_error
from warehouse.lock import run_lock


def test_only_transient_io_errors_are_worth_a_retry():
    from prefect.task_engine import TaskRunTimeoutError

    assert is_transient_io_error(OSError(errno.EIO, "I/O error"))
    assert is_transient_io_error(OSError(errno.ESTALE, "Stale file handle"))
    assert is_transient_io_error(ConnectionResetError())
    assert is_transient_io_error(duckdb.IOException('Could not set lock on file "w.duckdb": Conflicting lock'))
    assert not is_transient_io_error(FileNotFoundError(errno.ENOENT, "gone"))   # vanished: a reject, not a retry
    assert not is_transient_io_error(PermissionError(errno.EACCES, "denied"))
    assert not is_transient_io_error(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_transient_io_error(TaskRunTimeoutError("over the chunk's time limit"))
    assert not is_transient_io_error(ValueError("a bug"))


def test_a_task_retries_a_transient_error_but_not_a_bug(prefect_harness):
    from prefect import flow, task

    from tasks.prefect_tasks import retry_on_transient_io

    calls = {"flaky": 0, "buggy": 0}

    @task(retries=3, retry_delay_seconds=0, retry_condition_fn=retry_on_transient_io)
    def flaky() -> str:
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise OSError(errno.EIO, "I/O error")
        return "ok"

    @task(retries=3, retry_delay_seconds=0, retry_condition_fn=retry_on_transient_io)
    def buggy() -> None:
        calls["buggy"] += 1
        raise KeyError("a bug")

    @flow
    def both() -> str:
        result = flaky()
        with pytest.raises(KeyError):
            buggy()
        return result

    assert both() == "ok"
    assert calls == {"flaky": 3, "buggy": 1}


def test_a_run_that_finds_the_lock_held_ends_skipped(prefect_harness, samples_dir: Path, tmp_path: Path):
    from flows.etl import news_etl

    data = tmp_path / "data"
    with run_lock(data):
        state = news_etl(inputs=[str(samples_dir)], data_dir=str(data), return_state=True)
    assert state.is_completed() and state.name == "Skipped"
    assert "another run holds the lock" in state.message
    assert state.result()["status"] == "skipped"
    assert not (data / "warehouse.duckdb").exists()


def test_an_unexpected_error_fails_the_run_naming_the_cause(prefect_harness, samples_dir: Path, tmp_path: Path):
    from flows.etl import news_etl

    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data dir should be")
    state = news_etl(inputs=[str(samples_dir)], data_dir=str(not_a_dir), return_state=True)
    assert state.is_failed()
    assert "FileExistsError in warehouse/lock.py" in state.message, state.message
