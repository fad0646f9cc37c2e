"""The writer alone: extract a corpus once, then replay its rows into new databases.

    python benchmarks/writer.py CORPUS.jsonl [--articles 5000] [--runs 5]
    python benchmarks/writer.py CORPUS.jsonl --against /path/to/other/checkout
    python benchmarks/writer.py NEXT.jsonl --into LARGE.db --plain   # a large database, no look-ups

With ``--jobs 2`` the process that writes the database sets the pace of
``quotetrack extract``, so its CPU time per article is the figure to lower.
Extraction runs once (in this process), its rows are kept, and every run then
replays them through ``pipeline.extract_items`` into a new database, in a
process of its own: reading the input, looking up and writing every table,
the end of the run; no extraction, no workers.  Prints the writer's CPU
milliseconds per article (user and system) and its articles/s, best and
median of ``--runs``, with the installed package (compiled or not).

This machine's speed drifts by 10-20% between runs minutes apart.  With
``--against SRC`` (another checkout's folder) each run replays with this
checkout's source and with SRC's at the same time, one per core, so that both
see the same drift, and prints the ratio of their CPU times: a change that
makes the writer 5% faster shows as about 0.95 in every pair.

With ``--plain`` each run replays the same rows as plain inserts instead, into
the same schema (full-text index and every index included) in transactions of
the same size: every quote founds a statement of its own and every speaker key
is a speaker, so nothing is looked up.  What that costs is the floor of the
writer as long as it stores these tables: no change to matching or speaker
resolution can take the writer below it.

With ``--into DB`` every run writes into a fresh copy of DB instead of a new
database, to measure the writer where the database is large: the corpus must
then hold articles DB does not have yet.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from timing import first_articles

HERE = Path(__file__).resolve().parent


def record(corpus: str, articles: int, store: str) -> None:
    """Extract the first ``articles`` articles, keeping each one's rows by its id."""
    from sqlite_utils import Database

    from quotetrack import pipeline
    from quotetrack.records import prepare_batch

    recorded = {}

    def prepare(todo, version):
        rows = prepare_batch(todo, version)
        recorded.update(zip((key for _, key, _ in todo), rows))
        return rows

    pipeline.extract_items(Database(memory=True), first_articles([corpus], articles), [corpus],
                           on_problem=lambda p: None, prepare=prepare)
    with open(store, "wb") as out:
        pickle.dump(recorded, out, protocol=pickle.HIGHEST_PROTOCOL)


def replay(corpus: str, articles: int, store: str, db_path: str) -> None:
    """Write the recorded rows into a new database; print what it cost as JSON."""
    import gc

    from sqlite_utils import Database

    from quotetrack import pipeline

    with open(store, "rb") as stored:
        recorded = pickle.load(stored)
    gc.freeze()  # the recorded rows are the benchmark's: kept out of the writer's garbage collections

    def prepare(todo, version):  # a database that has some of them groups the rest otherwise
        return [recorded[key] for _, key, _ in todo]

    items = first_articles([corpus], articles)
    db = Database(db_path)
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    summary = pipeline.extract_items(db, items, [corpus], on_problem=lambda p: None, prepare=prepare)
    _report(before, started, summary.new, summary.quotes)


def _report(before: resource.struct_rusage, started: float, articles: int, quotes: int) -> None:
    after, seconds = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - started
    print(json.dumps({"articles": articles, "quotes": quotes, "seconds": seconds,
                      "user": after.ru_utime - before.ru_utime, "system": after.ru_stime - before.ru_stime}))


def plain_replay(store: str, db_path: str, batch_size: int) -> None:
    """Insert the recorded rows as they are, with no look-up; print what it cost as JSON."""
    import gc

    from sqlite_utils import Database

    from quotetrack.db import _indexed_in_bulk, ensure_db_shape, prepare_for_writing
    from quotetrack.records import Prepared
    from quotetrack.statements import anchors, unpack

    with open(store, "rb") as stored:
        articles = [p for p in pickle.load(stored).values() if isinstance(p, Prepared)]
    gc.freeze()
    db = Database(db_path)
    prepare_for_writing(db)  # the writer's journal, cache and memory map
    ensure_db_shape(db)
    conn = db.conn
    held = {row[0] for row in conn.execute("select id from articles where id in (select value from json_each(?))",
                                           [json.dumps([p.id for p in articles])])}
    articles = [p for p in articles if p.id not in held]  # as the writer, which skips them

    def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
        conn.executemany(f"insert or ignore into {table} ({', '.join(columns)}) "
                         f"values ({', '.join('?' * len(columns))})", rows)

    article_columns = list(articles[0].article)
    quote_columns = list(next(q.row for p in articles for q in p.quotes))
    speaker_columns = list(next(s.row for p in articles for s in p.speakers))
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for start in range(0, len(articles), batch_size):
        batch = articles[start:start + batch_size]
        quotes = [q for p in batch for q in p.quotes]
        conn.execute("begin")
        insert("articles", article_columns, [tuple(p.article[c] for c in article_columns) for p in batch])
        insert("speakers", ["id", *speaker_columns],
               [(s.key, *(s.row[c] for c in speaker_columns)) for p in batch for s in p.speakers])
        insert("statements", ["id", "speaker_id", "text", "shingles"],
               [(q.row["id"], q.row["speaker_key"], q.row["text"], q.shingles) for q in quotes])
        ids = json.dumps([p.id for p in batch])
        with _indexed_in_bulk(db, "quotes", "article_id in (select value from json_each(?))", [ids]):  # as the writer
            insert("quotes", [*quote_columns, "speaker_id", "statement_id"],
                   [(*(q.row[c] for c in quote_columns), q.row["speaker_key"], q.row["id"]) for q in quotes])
        insert("statement_shingles", ["hash", "statement_id"],
               [(gram, q.row["id"]) for q in quotes for gram in anchors(unpack(q.shingles))])
        insert("article_paragraphs", ["hash", "article_id", "length"],
               [(digest, p.id, length) for p in batch for digest, length in p.paragraphs])
        conn.execute("commit")
    _report(before, started, len(articles), sum(len(p.quotes) for p in articles))


def _start_replay(source: str | None, corpus: str, articles: int, store: str, folder: str, name: str,
                  plain: bool = False, into: str | None = None) -> subprocess.Popen:
    db_path = os.path.join(folder, f"{name}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)
    if into:
        shutil.copyfile(into, db_path)
    env = dict(os.environ)
    if source:  # that checkout's code, ahead of the installed package
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, __file__, corpus, "--articles", str(articles), "--replay", store,
                             "--db", db_path, *(["--plain"] if plain else [])],
                            env=env, stdout=subprocess.PIPE, text=True, cwd=folder)


def _result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        sys.exit(f"a replay failed (exit {process.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["cpu_ms"] = 1000 * (figures["user"] + figures["system"]) / max(1, figures["articles"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a JSON Lines corpus (benchmarks/synthetic.py, or scale.py --keep)")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", metavar="SRC", help="another checkout, replayed at the same time")
    parser.add_argument("--plain", action="store_true",
                        help="replay as plain inserts with no look-up: the floor of the writer's CPU time")
    parser.add_argument("--into", metavar="DB", help="write every run into a fresh copy of DB")
    parser.add_argument("--replay", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    into = os.path.abspath(args.into) if args.into else None
    if into:  # one file to copy: what its write-ahead log holds goes into it first
        with closing(sqlite3.connect(into)) as conn:
            conn.execute("pragma wal_checkpoint(truncate)")
    if args.replay and args.plain:
        from quotetrack.pipeline import BATCH_SIZE

        plain_replay(args.replay, args.db, BATCH_SIZE)
        return
    if args.replay:
        replay(corpus, args.articles, args.replay, args.db)
        return
    with tempfile.TemporaryDirectory(prefix="quotetrack-writer-") as folder:
        store = os.path.join(folder, "rows.pickle")
        started = time.perf_counter()
        record(corpus, args.articles, store)
        print(f"extracted {args.articles:,} articles in {time.perf_counter() - started:.0f} s; "
              f"replaying them {args.runs} times")
        mine: list[float] = []
        ratios: list[float] = []
        # compared, both run from their source trees; alone, the installed package runs (compiled or not)
        this_source = str(HERE.parent) if args.against else None
        for run in range(args.runs):
            replays = [_start_replay(this_source, corpus, args.articles, store, folder, "this", args.plain, into)]
            if args.against:
                replays.append(_start_replay(os.path.abspath(args.against), corpus, args.articles, store, folder,
                                             "other", args.plain, into))
            figures = [_result(process) for process in replays]
            this = figures[0]
            mine.append(this["cpu_ms"])
            line = (f"run {run + 1}: {this['articles']:,} articles, {this['quotes']:,} quotes, "
                    f"{this['cpu_ms']:.3f} ms of CPU per article ({this['system'] / max(1, this['user'] + this['system']):.0%} system), "
                    f"{this['articles'] / this['seconds']:.0f} articles/s")
            if args.against:
                ratios.append(this["cpu_ms"] / figures[1]["cpu_ms"])
                line += f"; against {figures[1]['cpu_ms']:.3f} ms: ratio {ratios[-1]:.3f}"
            print(line, flush=True)
        print(f"{'plain inserts' if args.plain else 'writer'} CPU per article: best {min(mine):.3f} ms, median {statistics.median(mine):.3f} ms")
        if ratios:
            print(f"this checkout / {args.against}: median ratio {statistics.median(ratios):.3f} "
                  f"(range {min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
