"""Time and memory of grouping quotes into statements (issue 7).

    python benchmarks/statements_benchmark.py [QUOTES]        # default 1,000,000

Builds a database of synthetic quotes (a fifth of them repeat an earlier
quote of the same speaker whole, as a fragment or slightly reworded, the way
news repeats statements), then times ``statements.assign`` and
``statements.refresh`` over all of them and reports peak memory (ru_maxrss).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from quotetrack import statements
from quotetrack.db import ensure_db_shape

VOCABULARY = [f"w{i}" for i in range(20000)]


COMMON = VOCABULARY[:150]  # "the", "of", "we", ...: a third of the words of real quotes


def sentence(rng: random.Random) -> str:
    length = rng.randint(4, 40)
    return " ".join(rng.choice(COMMON) if rng.random() < 0.35 else rng.choice(VOCABULARY) for _ in range(length))


def variant(rng: random.Random, text: str) -> str:
    tokens = text.split()
    kind = rng.random()
    if kind < 0.4 or len(tokens) < 8:
        return text
    if kind < 0.7:
        start = rng.randint(0, len(tokens) // 2)
        return " ".join(tokens[start:start + max(4, len(tokens) // 2)])
    tokens[rng.randrange(len(tokens))] = rng.choice(VOCABULARY)
    return " ".join(tokens)


def build(db: Database, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    ensure_db_shape(db)
    said: dict[str, list[str]] = {}
    rows = []
    with db.conn:
        db["articles"].insert_all(({"id": f"a{i}", "doc_id": f"a{i}", "text": "-", "ingested": f"{i:08d}"}
                                   for i in range(count // 10 + 1)), pk="id", batch_size=10000)
        for n in range(count):
            speaker = f"s{int(rng.paretovariate(1.2)) % 50000}"
            history = said.setdefault(speaker, [])
            text = variant(rng, rng.choice(history)) if history and rng.random() < 0.2 else sentence(rng)
            if len(history) < 50:
                history.append(text)
            rows.append({"id": f"q{n}", "article_id": f"a{n // 10}", "speaker_id": speaker, "text": text,
                         "char_start": 0, "char_end": len(text), "kind": "direct"})
            if len(rows) == 50000:
                db["quotes"].insert_all(rows, pk="id", batch_size=10000)
                rows = []
        db["quotes"].insert_all(rows, pk="id", batch_size=10000)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.db")
        started = time.perf_counter()
        build(db, count)
        built = time.perf_counter()
        with db.conn:
            touched = statements.assign(db)
        assigned = time.perf_counter()
        with db.conn:
            statements.refresh(db, touched)
        refreshed = time.perf_counter()
        groups = db.execute("select count(*) from statements").fetchone()[0]
        repeated = db.execute("select count(*) from statements where quote_count > 1").fetchone()[0]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{count:,} quotes (built in {built - started:.0f}s) -> {groups:,} statements, "
              f"{repeated:,} repeated")
        print(f"assign: {assigned - built:.1f}s ({count / (assigned - built):,.0f} quotes/s); "
              f"refresh: {refreshed - assigned:.1f}s; peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
