"""A later extract run on an existing database: its batches and its end of run, timed apart.

    python benchmarks/later_run.py DB INPUT [INPUT ...]

Writes into DB (run it on a copy).  The end of a run recomputes what the run's
batches queued (speakers that lost quotes, statements joined by later quotes):
its time must depend on what the run read, not on how large the database is.
Prints the articles new to DB, the seconds of the batches, of the end of the run,
and in all.
"""

from __future__ import annotations

import argparse
import time

from sqlite_utils import Database

from quotetrack import pipeline
from quotetrack.db import ensure_db_shape


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    marks: dict[str, float] = {}
    finish = pipeline._finish

    def timed_finish(*args, **kwargs):  # the run's last transaction, timed from the outside
        marks["batches"] = time.perf_counter()
        finish(*args, **kwargs)
        marks["end"] = time.perf_counter()

    pipeline._finish = timed_finish
    start = time.perf_counter()
    db = Database(args.db)
    ensure_db_shape(db)
    summary = pipeline.run_extract(db, args.inputs)
    total = time.perf_counter() - start
    print(f"{summary.new} new articles: batches {marks['batches'] - start:.1f} s, "
          f"end of run {marks['end'] - marks['batches']:.1f} s, in all {total:.1f} s")


if __name__ == "__main__":
    main()
