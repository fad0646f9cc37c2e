"""Extraction results as shard files, and loading them into a database.

For runs one writer cannot keep up with: ``quotetrack shard`` extracts anywhere (local
processes, a Dask cluster, or several machines each given part of the input) and
writes every article's rows, the ``records.Prepared`` the extract job writes, to
gzipped JSON Lines shards.  ``quotetrack load DB SHARDS...`` then writes them through
the extract job itself, without extracting again: duplicates, unchanged articles,
batches, speakers and statements are handled exactly as by ``extract``.

JSON Lines rather than Parquet: the rows are nested (quotes with their trigrams and
speakers), and JSON needs no pyarrow.  A shard is written under a ``.partial`` name
and renamed when complete, so a killed run never leaves a shard that looks whole.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from .ingest import Article, Problem, Progress
from .lexicon import extractor_version
from .pipeline import BATCH_SIZE, TASK_SIZE, Summary, extract_items
from .records import (
    Prepared,
    QuoteRecord,
    SpeakerRecord,
    article_id,
    prepare_batch,
    text_hash,
)
from .statements import pack, unpack
from .workers import Workers

SUFFIX = ".shard.jsonl.gz"
SHARD_SIZE = 10_000  # articles per shard file
# gzip level 1: several times faster than the default 9, for files about a fifth larger
COMPRESSION = 1


class ShardError(Exception):
    """The folder cannot take new shards."""


@dataclass(slots=True)
class ShardSummary:
    articles: int = 0
    quotes: int = 0
    shards: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.articles} articles extracted ({self.quotes} quotes) into {len(self.shards)} "
                f"shard{'s' if len(self.shards) != 1 else ''}; {len(self.problems)} inputs skipped")


def to_record(prepared: Prepared) -> dict:
    return {"article": prepared.article,
            "speakers": [[s.key, s.surname, s.row] for s in prepared.speakers],
            "quotes": [[q.row, q.speaker, list(unpack(q.shingles))] for q in prepared.quotes],
            "paragraphs": prepared.paragraphs}


def from_record(record: dict) -> Prepared:
    """The rows of one shard line; KeyError, TypeError or ValueError if it is not one."""
    article = record["article"]
    if not isinstance(article, dict) or not isinstance(article["text"], str):
        raise TypeError("no article with a text")
    return Prepared(article["id"], article,
                    [SpeakerRecord(key, surname, dict(row)) for key, surname, row in record["speakers"]],
                    [QuoteRecord(dict(row), speaker, pack(int(h) for h in grams))
                     for row, speaker, grams in record["quotes"]],
                    [(int(h), int(n)) for h, n in record["paragraphs"]])


class _ShardFiles:
    """Writes records to numbered shards of ``size`` articles each."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder, self.size = folder, size
        self.done: list[Path] = []
        self.handle: IO[str] | None = None
        self.count = 0

    def write(self, prepared: Prepared) -> None:
        if self.handle is None:
            # open across calls, one shard at a time: closed by close(), when full or at the end
            self.handle = gzip.open(self._path(".partial"), "wt", encoding="utf-8", compresslevel=COMPRESSION)  # noqa: SIM115
        self.handle.write(json.dumps(to_record(prepared), ensure_ascii=False) + "\n")
        self.count += 1
        if self.count == self.size:
            self.close()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            final = self._path("")
            self._path(".partial").rename(final)
            self.done.append(final)
            self.handle, self.count = None, 0

    def _path(self, extra: str) -> Path:
        return self.folder / f"part-{len(self.done):05d}{SUFFIX}{extra}"


def write_shards(folder: Path, items: Iterable[Article | Problem | Progress], workers: Workers | None = None,
                 on_problem: Callable[[Problem], None] | None = None,
                 on_progress: Callable[[int], None] | None = None, shard_size: int = SHARD_SIZE) -> ShardSummary:
    """Extract every article of ``items`` (on ``workers``) into new shards in ``folder``, in input order."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob(f"*{SUFFIX}*")):
        raise ShardError(f"{folder} holds shards already: write new ones to another folder")
    workers = workers or Workers()
    version, summary, files = extractor_version(), ShardSummary(), _ShardFiles(folder, shard_size)
    in_flight: deque[Future] = deque()

    def skip(problem: Problem) -> None:
        summary.problems.append(problem)
        if on_problem:
            on_problem(problem)

    def collect_oldest() -> None:
        for result in in_flight.popleft().result():
            if isinstance(result, Problem):
                skip(result)
            else:
                files.write(result)
                summary.articles += 1
                summary.quotes += len(result.quotes)

    task: list[tuple[Article, str, str]] = []
    for item in chain(items, [None]):  # None: the end, to send the last task
        if isinstance(item, Progress):
            if on_progress:
                on_progress(item.consumed)
        elif isinstance(item, Problem):
            skip(item)
        elif item is not None:
            task.append((item, article_id(item.doc_id), text_hash(item.text)))
        if task and (item is None or len(task) == TASK_SIZE):
            in_flight.append(workers.submit(prepare_batch, task, version))
            task = []
            while len(in_flight) > workers.capacity:
                collect_oldest()
    while in_flight:
        collect_oldest()
    files.close()
    summary.shards = files.done
    return summary


@dataclass(slots=True)
class _ShardArticle(Article):
    """An article read back from a shard, with the rows extracted from it."""

    prepared: Prepared | None = None


def shard_files(paths: Iterable[str]) -> Iterator[Path]:
    """The shards under ``paths`` (files, or folders searched for ``*.shard.jsonl.gz``), sorted."""
    for arg in paths:
        root = Path(arg)
        yield from sorted(root.rglob(f"*{SUFFIX}")) if root.is_dir() else [root]


def read_shards(paths: Iterable[str]) -> Iterator[Article | Problem]:
    """Every article of the shards, with its rows; a Problem for each line or file that cannot be read."""
    for path in shard_files(paths):
        number = 0
        try:
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    try:
                        prepared = from_record(json.loads(line))
                        a = prepared.article
                        yield _ShardArticle(a["doc_id"], a["text"], a["source"], a["title"], a["url"], a["outlet"],
                                            a["published"], a["author"], prepared=prepared)
                    except (KeyError, TypeError, ValueError, AttributeError) as error:
                        yield Problem(f"{path}:{number}", f"not a quotetrack shard record ({error!r}), skipped")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            where = f" past line {number}" if number else ""
            yield Problem(str(path), f"cannot read the shard{where} ({error})")


def _rows_of(task: list[tuple[Article, str, str]], version: str) -> list[Prepared | Problem]:
    return [article.prepared for article, _, _ in task]  # type: ignore[attr-defined]  # _ShardArticle


def load_shards(db: Database, paths: list[str], on_problem: Callable[[Problem], None] | None = None,
                batch_size: int = BATCH_SIZE) -> Summary:
    """Write the articles of shards into ``db`` as ``extract`` would have; re-loading changes nothing."""
    return extract_items(db, read_shards(paths), paths, on_problem, batch_size=batch_size, prepare=_rows_of)
