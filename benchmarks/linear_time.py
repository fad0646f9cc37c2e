"""Extraction time of hostile text from 10 KB to 10 MB: it grows linearly.

    python benchmarks/linear_time.py [--sizes 10000,100000,1000000,10000000] [--shapes NAME,...]

For each shape of ``tests/hostile_text.py`` (unbalanced quotation marks,
apostrophes, one endless sentence, one paragraph of thousands of attributions,
thousands of short paragraphs, news text with and without its line breaks),
times ``extract`` on one text of each size (best of 3 up to 1 MB, one run above)
and prints a table of seconds and microseconds per KB: constant per KB is linear
time.  The extractor must never take quadratic time, whatever text it is given.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_text import SHAPES, make  # noqa: E402

from quotetrack.extractor import extract  # noqa: E402


def seconds(text: str, rounds: int) -> tuple[float, int]:
    """Best of ``rounds`` runs of extract, and the number of quotes found."""
    best, quotes = float("inf"), 0
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        quotes = len(extract(text).quotes)
        best = min(best, time.perf_counter() - started)
    return best, quotes


def size_label(size: int) -> str:
    return f"{size // 1_000_000} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000",
                        help="comma-separated sizes in characters")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = [s.strip() for s in args.shapes.split(",")]
    extract(make("news", 20_000))  # load the word lists and first-name data outside the timings
    compiled = Path(sys.modules[extract.__module__].__file__ or "").suffix != ".py"
    print(f"extractor: {'compiled (mypyc)' if compiled else 'pure Python'}; Python {sys.version.split()[0]}\n")
    print("| shape | size | quotes | seconds | µs per KB |")
    print("|---|---:|---:|---:|---:|")
    for shape in shapes:
        for size in sizes:
            taken, quotes = seconds(make(shape, size), 3 if size <= 1_000_000 else 1)
            print(f"| {shape} | {size_label(size)} | {quotes:,} | {taken:.3f} | {taken / (size / 1000) * 1e6:,.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
