"""Timing shared by the benchmark scripts: wall-clock times of repeated runs of one action."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings(repeat: int, action: Callable[[], object]) -> list[float]:
    """Seconds taken by each of `repeat` runs of `action`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def best_of(repeat: int, action: Callable[[], object], *, warm_up: bool = True) -> float:
    """The fastest of `repeat` runs (after one untimed run unless `warm_up` is False)."""
    if warm_up:
        action()
    return min(timings(repeat, action))


def median_of(repeat: int, action: Callable[[], object]) -> float:
    """The median of `repeat` runs, for actions whose first run already warmed them."""
    return statistics.median(timings(repeat, action))
