"""Timing, and reading inputs, shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator


def best_rates(fn: Callable[[str], object], texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """Articles per second of ``fn`` over ``texts`` (one warm-up call first): the best of
    ``rounds`` passes by this process's CPU time (the rate per core, which other programs
    on the machine disturb less) and by the wall clock, both read around the same passes."""
    fn(texts[0])
    cpu = wall = float("inf")
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            fn(text)
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started)
    return len(texts) / cpu, len(texts) / wall


def best_rate(fn: Callable[[str], object], texts: list[str], rounds: int = 3) -> float:
    """Best-of-``rounds`` articles per second of ``fn`` over ``texts``, by the wall clock."""
    return best_rates(fn, texts, rounds)[1]


def first_articles(paths: list[str], limit: int) -> Iterator[object]:
    """What ``quotetrack.ingest.read_inputs`` yields for ``paths`` up to its ``limit``-th article
    (the problems and progress before it included): the input of ``limit`` articles."""
    from quotetrack.ingest import Article, read_inputs

    return _until_article(read_inputs(paths, "auto", None), Article, limit)


def _until_article(items: Iterable[object], article: type, limit: int) -> Iterator[object]:
    count = 0
    for item in items:
        if count == limit:
            return
        yield item
        count += isinstance(item, article)
