"""Work handed to a pool, read back in order with a bounded number of results ahead."""
from __future__ import annotations

from collections import deque
from concurrent.futures import Executor
from typing import Callable, Iterable, Iterator


def ordered_map(pool: Executor, fn: Callable, items: Iterable, ahead: int) -> Iterator:
    """fn(item) for each item, run on `pool`, the results in the items' order. At most `ahead` calls
    are submitted and unread at a time, so memory stays bounded however many items there are (an
    item is taken from `items` only when it is submitted: a lazy map reads its inputs as it goes)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
