"""Progress of a run, reported by the flow and shown by whoever listens.

The CLI installs a progress bar on a terminal; otherwise progress goes to the log
as plain lines, which is what a scheduler or a pipe wants.
"""
from __future__ import annotations

from typing import Callable

Listener = Callable[[int, int], None]   # (files done, files total)
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def report(done: int, total: int) -> bool:
    """Tell the listener; False when nobody listens (the caller then logs a line)."""
    if _listener is None:
        return False
    _listener(done, total)
    return True
