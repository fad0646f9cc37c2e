"""Which tables and indexes one batch of articles writes to, page by page.

    python benchmarks/wal_pages.py COPY_OF_DB INPUT [--articles 1000]

Writes one batch of INPUT's new articles into the database (run it on a
copy) with automatic checkpoints off, so that the write-ahead log then holds
every page the batch changed exactly once, and attributes those pages to the
tables and indexes that own them (SQLite's ``dbstat``).  A commit costs about
the same per page whichever B-tree the page belongs to, so this shows which
of them make a batch on a large database expensive: an index whose keys are
hashes gets a batch's rows at random places, and once it has more leaves than
a batch has rows, every row rewrites a page of its own.
"""

from __future__ import annotations

import argparse
import struct
from collections import Counter

from sqlite_utils import Database
from timing import first_articles

from quotetrack import pipeline
from quotetrack.db import ensure_db_shape

FRAME_HEADER, WAL_HEADER = 24, 32  # bytes (https://www.sqlite.org/fileformat.html#the_write_ahead_log)


def wal_pages(path: str) -> Counter:
    """How many frames of the write-ahead log at ``path`` hold each page number."""
    with open(path, "rb") as wal:
        data = wal.read()
    page_size = struct.unpack(">I", data[8:12])[0]
    pages: Counter = Counter()
    for offset in range(WAL_HEADER, len(data) - FRAME_HEADER + 1, FRAME_HEADER + page_size):
        pages[struct.unpack(">I", data[offset:offset + 4])[0]] += 1
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("input")
    parser.add_argument("--articles", type=int, default=1000, help="articles in the batch")
    args = parser.parse_args()
    db = Database(args.db)
    ensure_db_shape(db)
    db.execute("pragma wal_checkpoint(truncate)").fetchall()  # start from an empty log
    db.execute("pragma wal_autocheckpoint = 0")
    batches: list[Counter] = []
    write_batch = pipeline.write_batch

    def write_and_read_log(*args, **kwargs):  # the log as the batch's commit left it
        written = write_batch(*args, **kwargs)
        batches.append(wal_pages(db_path + "-wal"))
        return written

    db_path = args.db
    pipeline.write_batch = write_and_read_log
    summary = pipeline.extract_items(db, first_articles([args.input], args.articles),
                                     [args.input], on_problem=lambda problem: None, batch_size=args.articles)
    pages = batches[0]
    owner = {page: name for name, page in db.execute("select name, pageno from dbstat")}
    size = Counter(dict(db.execute("select name, count(*) from dbstat group by name").fetchall()))
    written = Counter(owner.get(page, "(free)") for page in pages)
    print(f"{summary.new:,} new articles, {summary.quotes:,} quotes in the database; their batch's commit left "
          f"{sum(pages.values()):,} frames, {len(pages):,} distinct pages ({len(pages) / max(1, summary.new):.0f} "
          "per article)")
    print("| table or index | pages written | of its pages | share |\n|---|---|---|---|")
    for name, count in written.most_common():
        print(f"| {name} | {count:,} | {size[name]:,} | {count / max(1, size[name]):.0%} |")


if __name__ == "__main__":
    main()
