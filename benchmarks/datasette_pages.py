"""The pages people open first, timed on a database as `quotetrack serve` shows it.

    python benchmarks/datasette_pages.py DB [--name NAME]

Opens DB immutable in Datasette, in process, with quotetrack's metadata, and
times each table page, the search and the canned queries.  A page whose query
ran past Datasette's time limit (1 s by default) fails with status 400; facets
that ran past it are left out of the page, which the last column lists.
``--name`` is a speaker for the ``everything_said`` query (default: the most quoted).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote_plus

from datasette.app import Datasette

from quotetrack.server import metadata_for

_TIMED_OUT = re.compile(r'class="facets-timed-out">These facets timed out: ([^<]*)<')


def pages(db: str, speaker: str) -> list[str]:
    return [f"/{db}", f"/{db}/speakers", f"/{db}/quotes", f"/{db}/articles", f"/{db}/statements",
            f"/{db}/aliases", f"/{db}/quotes_view", f"/{db}/quotes_view?_search=ready", f"/{db}/most_quoted",
            f"/{db}/most_repeated", f"/{db}/everything_said?name={quote_plus(speaker)}"]


async def measure(path: Path, speaker: str) -> None:
    datasette = Datasette(immutables=[str(path)], metadata=metadata_for(path), settings={"suggest_facets": False})
    print("| page | status | seconds | facets that timed out |\n|---|---|---|---|")
    for page in pages(path.stem, speaker):
        start = time.perf_counter()
        response = await datasette.client.get(page)
        seconds = time.perf_counter() - start
        timed_out = _TIMED_OUT.search(response.text)
        print(f"| `{page}` | {response.status_code} | {seconds:.2f} | {timed_out.group(1) if timed_out else ''} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--name", help="a speaker for everything_said")
    args = parser.parse_args()
    speaker = args.name or sqlite3.connect(args.db).execute(
        "select name from speakers order by quote_count desc limit 1").fetchone()[0]
    asyncio.run(measure(args.db, speaker))


if __name__ == "__main__":
    main()
