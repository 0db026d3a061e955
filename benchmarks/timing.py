"""What the benchmark scripts share: the median wall time of repeated calls.

Imported by the scripts as ``timing`` (a script's own folder is on ``sys.path``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["median_time"]


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """The median of ``repeat`` timed calls of ``fn``, in seconds, and every time."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times
