"""Work spread over worker processes, its results in the order of its inputs.

The order never depends on the number of jobs or on which worker finished
first, so a command prints the same with ``--jobs 1`` and ``--jobs 8``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[In], Out],
    items: Sequence[In],
    *,
    jobs: int | None = None,
    done: Callable[[], None] = lambda: None,
) -> list[Out]:
    """``[function(item) for item in items]``, over ``jobs`` processes; ``done`` after each.

    ``function`` must be a module-level function (a worker process imports it).
    """
    workers = min(jobs or default_jobs(), len(items))
    if workers <= 1:
        results = []
        for item in items:
            results.append(function(item))
            done()
        return results
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with ProcessPoolExecutor(workers) as pool:
        results = []
        for result in pool.map(function, items, chunksize=chunk):
            results.append(result)
            done()
        return results
