"""Timing shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_rate(fn: Callable[[str], object], texts: list[str], rounds: int = 3) -> float:
    """Best-of-``rounds`` articles per second of ``fn`` over ``texts`` (one warm-up call first)."""
    fn(texts[0])
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best
