"""Timing shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_rate(fn: Callable[[str], object], texts: list[str], rounds: int = 3,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Best-of-``rounds`` articles per second of ``fn`` over ``texts`` (one warm-up call first).

    ``clock=time.process_time`` counts this process's CPU time only: the rate per core,
    which other programs on the machine disturb much less than the wall clock."""
    fn(texts[0])
    best = float("inf")
    for _ in range(rounds):
        started = clock()
        for text in texts:
            fn(text)
        best = min(best, clock() - started)
    return len(texts) / best
