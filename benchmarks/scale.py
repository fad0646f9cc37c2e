"""Speed and scale of quotetrack (issue 8), side by side with a naive regex floor.

    python benchmarks/scale.py                       # 10,000 articles, --jobs 1 and 2
    python benchmarks/scale.py --sizes 1000,10000,100000 --jobs 2
    python benchmarks/scale.py --sizes 1000000 --jobs 2 --keep /data/bench --time-limit 1800
    python benchmarks/scale.py --sizes 10000 --jobs 2 --shards   # and quotetrack shard, then load

Builds a synthetic corpus (benchmarks/synthetic.py: the articles of data/ and,
when present, ../shared/eval/, varied so every article is new) of the largest
size as JSON Lines, then measures:

- floor: one regex pass for quoted spans over the texts, in one process;
- extraction only: ``quotetrack.extractor.extract`` over the same texts, in one
  process, and its share of the floor's throughput;
- the whole job: ``quotetrack extract DB corpus.jsonl --jobs N`` in its own
  process, into a new SQLite file with full-text index, for every size
  (the first N articles of the corpus): articles/s, quotes/s, and peak memory
  summed over the main process and its workers (sampled from /proc): resident,
  and its anonymous part, without the database file's pages mapped in memory;
- during each run, the articles stored every ``--watch`` seconds and the rate
  between readings (flat when time grows linearly); ``--time-limit`` stops a
  run and reports what it stored by then;
- full-text search over the largest database: the median and 95th percentile
  of ``quotetrack search`` (the ``search_quotes`` query, in process) and of
  Datasette's ``quotes_view?_search=`` over 200 words and phrases;
- with ``--shards``: ``quotetrack shard`` of the largest corpus with the largest
  ``--jobs``, then ``quotetrack load`` of its shards into a new database.

Figures go to standard output as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402
from timing import best_rate  # noqa: E402

FLOOR = re.compile(r'“[^”]*”|"[^"]*"')  # the naive one-line quote finder
# ... and a naive quote-and-speaker pattern, in the regex package quotetrack's rules use
NAIVE_SPEAKER = r'(?:“[^”]+”|"[^"]+")\s*,?\s*(?:said|says|told|added)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)*)'


def texts_of(corpus: Path, count: int) -> list[str]:
    texts = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line)["text"])
            if len(texts) == count:
                break
    return texts


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident memory (bytes) of a process and all its descendants, from /proc: all of it, and its
    anonymous part (the heap, SQLite's page cache), without the pages of files mapped in memory
    (the database read through mmap: the kernel's page cache, dropped when memory is short)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    resident = anonymous = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        resident += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
        anonymous += int(fields.get("RssAnon", "0 kB").split()[0]) * 1024
    return resident, anonymous


def stored_articles(db: Path) -> int | None:
    """How many articles a database being written holds so far (its readers never wait: WAL)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("select max(rowid) from articles").fetchone()[0] or 0
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet
        return None


def run_measured(command: list[str], watch: Path | None = None, every: float = 120,
                 time_limit: float | None = None) -> dict:
    """``quotetrack COMMAND...`` in its own process: wall time, peak memory of its process tree, its
    output; with ``watch``, the articles that database holds every ``every`` seconds; stopped
    (SIGTERM) after ``time_limit`` seconds."""
    command = [sys.executable, "-m", "quotetrack", *command]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               cwd=tempfile.gettempdir())
    peak = peak_anonymous = 0
    progress: list[tuple[float, int]] = []
    stopped = False

    def sample() -> None:
        nonlocal peak, peak_anonymous, stopped
        next_watch = every
        while process.poll() is None:
            resident, anonymous = tree_memory(process.pid)
            peak, peak_anonymous = max(peak, resident), max(peak_anonymous, anonymous)
            elapsed = time.perf_counter() - started
            if watch is not None and elapsed >= next_watch:
                next_watch += every
                count = stored_articles(watch)
                if count is not None:
                    progress.append((elapsed, count))
            if time_limit is not None and elapsed >= time_limit and not stopped:
                stopped = True
                process.terminate()
            time.sleep(2)  # sampling costs CPU the job would use

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0 and not stopped:
        raise SystemExit(f"{command[3]} failed ({process.returncode}): {out}")
    return {"seconds": seconds, "peak_mb": peak / 1e6, "anonymous_mb": peak_anonymous / 1e6, "out": out,
            "progress": progress, "stopped": stopped}


def run_extract(db: Path, corpus: Path, jobs: int, command: str = "extract", every: float = 120,
                time_limit: float | None = None) -> dict:
    """The whole job (``extract``, or ``load`` of shards at ``corpus``) into a new database."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    options = ["--jobs", str(jobs)] if command == "extract" else []
    result = run_measured([command, str(db), str(corpus), *options], watch=db, every=every, time_limit=time_limit)
    found = re.search(r"(\d+) articles read .* holds (\d+) quotes", result["out"])
    if found is None:  # stopped: what it had stored by then
        articles = stored_articles(db) or 0
        return {**result, "articles": articles, "quotes": None, "db_mb": db.stat().st_size / 1e6}
    return {**result, "articles": int(found.group(1)), "quotes": int(found.group(2)), "db_mb": db.stat().st_size / 1e6}


def print_progress(progress: list[tuple[float, int]]) -> None:
    """The articles stored over time, and the rate between two readings: flat if time is linear."""
    print("\n| seconds | articles stored | articles/s since the reading before |\n|---|---|---|")
    before = None
    for seconds, count in progress:
        rate = f"{(count - before[1]) / (seconds - before[0]):,.0f}" if before else ""
        print(f"| {seconds:,.0f} | {count:,} | {rate} |")
        before = (seconds, count)


def shard_and_load(folder: Path, corpus: Path, jobs: int) -> None:
    """``quotetrack shard`` of the corpus with ``jobs`` processes, then ``quotetrack load`` of its shards."""
    shards = folder / f"shards-{corpus.stem}"
    if shards.exists():
        shutil.rmtree(shards)
    made = run_measured(["shard", str(shards), str(corpus), "--jobs", str(jobs)])
    count = int(re.search(r"(\d+) articles extracted", made["out"]).group(1))
    size = sum(path.stat().st_size for path in shards.iterdir()) / 1e6
    loaded = run_extract(folder / f"loaded-{corpus.stem}.db", shards, jobs, command="load")
    print(f"\n| {count:,} articles | seconds | articles/s | peak memory (all processes) | of which anonymous |")
    print("|---|---|---|---|---|")
    for what, result, articles in ((f"shard --jobs {jobs} ({size:,.0f} MB of shards)", made, count),
                                   ("load (the writer alone)", loaded, loaded["articles"])):
        print(f"| {what} | {result['seconds']:,.1f} | {articles / result['seconds']:,.0f} | "
              f"{result['peak_mb']:,.0f} MB | {result['anonymous_mb']:,.0f} MB |", flush=True)


def search_times(db: Path, rounds: int = 200) -> dict[str, tuple[float, float]]:
    """Median and 95th percentile (ms) of the CLI's search query and of Datasette's search page."""
    from sqlite_utils import Database

    from quotetrack.queries import search_quotes

    conn = sqlite3.connect(db)
    sample = [row[0] for row in conn.execute("select text from quotes order by random() limit 400")]
    conn.close()
    rng = random.Random(1)
    words = [w for text in sample for w in re.findall(r"[A-Za-z]{4,}", text)]
    queries = [" ".join(rng.sample(words, k=rng.choice((1, 1, 2)))) for _ in range(rounds)]
    database = Database(db)
    cli = []
    for query in queries:
        started = time.perf_counter()
        search_quotes(database, query, limit=20)
        cli.append((time.perf_counter() - started) * 1000)

    async def datasette_times() -> list[float]:
        from urllib.parse import quote

        from datasette.app import Datasette

        from quotetrack.server import metadata_for

        # as `quotetrack serve` runs it (server.datasette_args)
        ds = Datasette(immutables=[str(db)], metadata=metadata_for(db),
                       settings={"suggest_facets": False})
        await ds.invoke_startup()
        name = db.stem
        out = []
        for query in queries:
            started = time.perf_counter()
            response = await ds.client.get(f"/{name}/quotes_view.json?_search={quote(query)}&_size=20")
            assert response.status_code == 200, response.text[:300]
            out.append((time.perf_counter() - started) * 1000)
        return out

    served = asyncio.run(datasette_times())

    def stats(times: list[float]) -> tuple[float, float]:
        return statistics.median(times), statistics.quantiles(times, n=20)[-1]

    return {"quotetrack search": stats(cli), "Datasette quotes_view search": stats(served)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the whole job")
    parser.add_argument("--sample", type=int, default=5000, help="articles for the floor and extraction-only")
    parser.add_argument("--keep", type=Path, help="folder for the corpus and databases (kept); default: temporary")
    parser.add_argument("--search-only", type=Path, metavar="DB", help="only time full-text search over DB")
    parser.add_argument("--watch", type=float, default=120, metavar="SECONDS",
                        help="read the articles stored every SECONDS during each run, and print the rate over time")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="stop each run after SECONDS, and report what it stored by then")
    parser.add_argument("--shards", action="store_true",
                        help="also time quotetrack shard and load on the largest corpus, with the largest --jobs")
    args = parser.parse_args()
    if args.search_only:
        print("| full-text search | median ms | 95th percentile ms |\n|---|---|---|")
        for what, (median, p95) in search_times(args.search_only).items():
            print(f"| {what} | {median:.1f} | {p95:.1f} |")
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    jobs = [int(j) for j in args.jobs.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="quotetrack-scale-"))
    folder.mkdir(parents=True, exist_ok=True)

    corpus = folder / f"corpus-{sizes[-1]}.jsonl"
    if not corpus.exists():
        started = time.perf_counter()
        size = synthetic.write(sizes[-1], corpus, jobs=os.cpu_count() or 1)
        print(f"corpus: {sizes[-1]:,} articles, {size / 1e6:,.0f} MB of text "
              f"({time.perf_counter() - started:.0f}s to build)", flush=True)

    from quotetrack.extractor import extract

    texts = texts_of(corpus, min(args.sample, sizes[-1]))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    import regex

    floor = best_rate(FLOOR.findall, texts)
    naive = best_rate(regex.compile(NAIVE_SPEAKER).findall, texts)
    core = best_rate(extract, texts)
    print(f"\n{len(texts):,} articles, {megabytes / len(texts) * 1000:.1f} KB each on average")
    print("| measure (one process) | articles/s | MB/s | share of the floor |")
    print("|---|---|---|---|")
    print(f"| naive regex floor | {floor:,.0f} | {floor * megabytes / len(texts):,.1f} | 100% |")
    print(f"| naive quote-and-speaker pattern (regex) | {naive:,.0f} | {naive * megabytes / len(texts):,.1f} | "
          f"{naive / floor:.0%} |")
    print(f"| quotetrack extraction only | {core:,.0f} | {core * megabytes / len(texts):,.1f} | "
          f"{core / floor:.0%} |")
    import quotetrack.extractor as module
    print(f"(extractor: {'compiled' if module.__file__.endswith(('.so', '.pyd')) else 'pure Python'})")

    print("\n| articles | --jobs | seconds | articles/s | quotes/s | peak memory (all processes) | "
          "of which anonymous | database | µs per article |")
    print("|---|---|---|---|---|---|---|---|---|")
    largest = None
    watched: list[tuple[int, int, list[tuple[float, int]]]] = []
    for size in sizes:
        part = corpus if size == sizes[-1] else folder / f"corpus-{size}.jsonl"
        if not part.exists():
            with corpus.open(encoding="utf-8") as source, part.open("w", encoding="utf-8") as out:
                for n, line in enumerate(source):
                    if n == size:
                        break
                    out.write(line)
        for j in jobs:
            db = folder / f"scale-{size}-j{j}.db"
            result = run_extract(db, part, j, every=args.watch, time_limit=args.time_limit)
            rate = result["articles"] / result["seconds"]
            seconds = (f"stopped after {result['seconds']:,.1f} at {result['articles']:,} articles"
                       if result["stopped"] else f"{result['seconds']:,.1f}")
            quotes = f"{result['quotes'] / result['seconds']:,.0f}" if result["quotes"] is not None else ""
            print(f"| {size:,} | {j} | {seconds} | {rate:,.0f} | {quotes} | {result['peak_mb']:,.0f} MB | "
                  f"{result['anonymous_mb']:,.0f} MB | {result['db_mb']:,.0f} MB | {1e6 / rate:,.0f} |", flush=True)
            watched.append((size, j, result["progress"]))
            largest = db
    for size, j, progress in watched:
        if len(progress) > 1:
            print(f"\n{size:,} articles, --jobs {j}, read every {args.watch:.0f} s:", end="")
            print_progress(progress)
    if largest is not None:
        print("\n| full-text search over the largest database | median ms | 95th percentile ms |")
        print("|---|---|---|")
        for what, (median, p95) in search_times(largest).items():
            print(f"| {what} | {median:.1f} | {p95:.1f} |")
    if args.shards:
        shard_and_load(folder, corpus, jobs[-1])


if __name__ == "__main__":
    main()
