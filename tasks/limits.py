"""A wall-clock limit for one call: what stops a document whose cleaning never ends.

Neither trafilatura nor `re` has a time limit of its own, and one rule pattern that backtracks
catastrophically (a user's, or ours: two of ours did) can hold a worker on one line for hours.
`TimeLimit` stops such a call with SIGALRM: `re` checks for signals while it matches, so the
alarm lands inside a stuck match too. Signals reach only a process's main thread, which is where
the default runner's worker processes and `news-etl clean` run documents; elsewhere (Dask's worker
threads, a thread of the flow) calls run without a limit.

The handler is installed once for a block of calls (a chunk of files), because installing it
costs ~6 us against ~1.4 us for arming the timer around each call.
"""
from __future__ import annotations

import signal
import threading
from typing import Any, Callable

from tasks.records import RawDoc, Reject


class TimeLimitExceeded(BaseException):
    """Raised by the alarm inside the limited call (not an Exception: the code under the limit,
    trafilatura and lxml included, catches those)."""


class TimeLimit:
    """`with TimeLimit() as limit: stopped, result = limit.call(seconds, fn, *args)`."""

    # the alarm repeats every REPEAT_S after the limit: an exception raised while Python runs a
    # __del__ or a GC callback is printed and swallowed ("Exception ignored in ..."), and the call
    # would go on to its end
    REPEAT_S = 0.05

    def __init__(self) -> None:
        self.active = False
        self._old = None
        self._armed = False
        self._fired = False

    def __enter__(self) -> "TimeLimit":
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self._old = signal.signal(signal.SIGALRM, self._on_alarm)
            self.active = True
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
            self.active = False

    def _on_alarm(self, signum, frame) -> None:
        if self._armed:      # (else it fired between the call's end and the timer's stop: nothing to stop)
            self._fired = True
            raise TimeLimitExceeded()

    def call(self, timeout_s: float | None, fn: Callable[..., Any], *args) -> tuple[bool, Any]:
        """(False, fn(*args)), or (True, None) when the call was stopped after `timeout_s` seconds.
        Without a limit (None or <= 0, or off the main thread) the call runs to its end."""
        if not self.active or not timeout_s or timeout_s <= 0:
            return False, fn(*args)
        self._fired = False
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, timeout_s, self.REPEAT_S)
        try:
            try:
                result = fn(*args)
            finally:
                self._armed = False     # (an alarm right before this line lands in the outer except)
        except TimeLimitExceeded:
            return True, None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return (True, None) if self._fired else (False, result)


def text_timeout_reject(doc: RawDoc, seconds: float) -> Reject:
    """The reject of a document whose text cleaning (a text dump's, or the text cleaner's work on
    an HTML page) ran past its limit."""
    return Reject(doc.source_path, "timeout", f"text cleaning took longer than {seconds:.1f} s; "
                  "stopped (a rule pattern that backtracks on one of its lines?)", doc.record_index)
