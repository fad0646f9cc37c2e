"""No catastrophic backtracking: hostile text is extracted in time linear in its size.

A megabyte of unbalanced quotation marks, of apostrophes, of one sentence
without a period, of one paragraph of thousands of attributions, of thousands
of short paragraphs, of thousands of speakers named by description and
pronoun, or of news text that lost its line breaks or its spaces, must finish
within a generous bound, and twice the text must take about twice the time (a
ratio check is robust to the speed of the machine and catches quadratic
behaviour, which once took four minutes on 200 KB of unbalanced marks).
``benchmarks/linear_time.py`` shows the growth from 10 KB to 10 MB.
"""

from __future__ import annotations

import gc
import random
import time

import pytest

from hostile_text import make
from quotetrack.extractor import extract

MB = 1_000_000
BOUND = 20.0  # seconds for 1 MB; about 1.5 s on this project's 2-core machine
SHAPES = ["unbalanced marks", "apostrophes", "endless sentence", "attributions", "short paragraphs",
          "pronouns and descriptions", "news without line breaks", "no plain spaces"]


def _seconds(text: str, rounds: int) -> float:
    """Best of ``rounds`` runs of extract on ``text``, with the garbage collector off while
    timing, as ``timeit`` does: after the other tests the heap is large, and the collector's
    passes over it, not the extractor, made 250 KB take four times 125 KB in CI."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            extract(text)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


@pytest.fixture(scope="module", autouse=True)
def _warm():
    extract(make("news", 20_000))  # load the word lists and the first-name data outside the timings


@pytest.mark.parametrize("shape", SHAPES)
def test_hostile_megabyte_in_linear_time(shape):
    text = make(shape, MB)  # the shorter texts are its beginnings
    # (best of five and of three: with the compiled extractor 125 KB takes about a tenth
    # of a second, short enough for one slow run to decide the ratio)
    small = _seconds(text[:MB // 8], 5)
    double = _seconds(text[:MB // 4], 3)
    whole = _seconds(text, 1)
    timings = f"{shape}: 125 KB {small:.3f}s, 250 KB {double:.3f}s, 1 MB {whole:.3f}s"
    assert whole < BOUND, timings
    # Linear: twice the text, twice the time; eight times, eight (with room for noise
    # and for the slow growth of per-speaker lists; quadratic would be 4 and 64).
    assert double < 3 * small + 0.05, timings
    assert whole < 3 * 8 * small + 0.2, timings


def test_a_megabyte_of_marks_alone():
    """Nothing but quotation marks of every kind, apostrophes and markup brackets."""
    marks = ["“", "”", '"', "''", "``", "«", "»", "„", "'", "’", "‘", "<", ">", " ", "\n"]
    rng = random.Random(0)
    text = "".join(rng.choice(marks) for _ in range(MB))[:MB]
    assert _seconds(text, 1) < BOUND
