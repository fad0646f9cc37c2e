"""The extract job: stream articles in, extract the new or changed ones, write in batches."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlite_utils import Database

from . import statements
from .db import (
    checkpoint,
    ensure_db_shape,
    refresh_pending,
    stored_duplicates,
    stored_versions,
    transaction,
    write_batch,
    write_database_info,
)
from .identity import NamesakesCache
from .ingest import (
    DUPLICATE,
    ERROR,
    METADATA_FIELDS,
    NOT_ARTICLE,
    Article,
    Problem,
    Progress,
    ReadOptions,
    read_inputs,
)
from .lexicon import extractor_version
from .records import Prepared, article_id, prepare_batch, text_hash
from .workers import Workers

BATCH_SIZE = 1000  # articles per transaction
# Rows from a task of (article, id, text hash) and the extractor version: ``records.prepare_batch``.
Prepare = Callable[[list[tuple[Article, str, str]], str], list[Prepared | Problem]]
# Articles per task sent to a worker: small enough to keep every worker busy and the writer fed.
TASK_SIZE = 200


@dataclass(slots=True)
class Summary:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0  # of skipped: the same article again (same URL or text)
    not_articles: int = 0  # of skipped: WARC records that are no news page (images, errors, ...)
    quotes: int = 0
    speakers: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)  # bad input only, for --strict

    @property
    def read(self) -> int:
        return self.new + self.changed + self.unchanged

    def line(self) -> str:
        details = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in
                   ((self.duplicates, "duplicate"), (self.not_articles, "non-article record")) if n]
        skipped = f"{self.skipped} skipped" + (f" ({', '.join(details)})" if details else "")
        return (f"{self.read} articles read ({self.new} new, {self.changed} changed, "
                f"{self.unchanged} unchanged), {skipped}; the database holds "
                f"{self.quotes} quotes from {self.speakers} speakers; {self.seconds:.2f}s")

    def skip(self, problem: Problem, on_problem: Callable[[Problem], None] | None) -> None:
        """Count an input that is not stored, and pass it on to ``on_problem``."""
        self.skipped += 1
        if problem.kind == DUPLICATE:
            self.duplicates += 1
        elif problem.kind == NOT_ARTICLE:
            self.not_articles += 1
        else:
            self.problems.append(problem)
        if on_problem:
            on_problem(problem)


def run_extract(
    db: Database,
    paths: list[str],
    input_format: str = "auto",
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    options: ReadOptions | None = None,
    workers: Workers | None = None,
) -> Summary:
    """Extract every article under ``paths`` into ``db``; re-running changes nothing."""
    return extract_items(db, read_inputs(paths, input_format, options), paths, on_problem, on_progress,
                         batch_size, workers=workers)


def extract_items(
    db: Database,
    items: Iterable[Article | Problem | Progress],
    inputs: list[str],
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    deduplicate: bool = True,
    workers: Workers | None = None,
    prepare: Prepare = prepare_batch,
) -> Summary:
    """The extract job over a stream of articles (from files, shards, or built by ``eval``).

    With ``deduplicate``, an article with the URL or the text of one read before in this
    run, or stored by an earlier one, is skipped: the same story often arrives twice.

    Tasks of up to TASK_SIZE articles are extracted by ``workers`` (this process by default)
    while this process writes the ones before them, in input order, so the result does not
    depend on the workers.  Each ``batch_size`` articles are one transaction (fewer, larger
    transactions write each index page once for more rows), and so is the end of the run (derived data,
    the run's record): a run killed at any point leaves the file consistent, and running
    it again skips what was stored, extracts the rest and finishes what was left to
    recompute.  Memory is bounded by the batches in flight, not by the size of the input.

    ``prepare`` turns a task of (article, id, text hash) into rows: the extractor
    (``records.prepare_batch``), or rows extracted before (``shards``)."""
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ensure_db_shape(db)
    summary = Summary()
    writer = _Writer(db, summary, on_problem, deduplicate, workers or Workers(), batch_size, prepare)
    batch: list[tuple[Article, str, str]] = []  # (article, id, text hash)
    seen: set[int] = set()  # the ids of this run's articles, as 64-bit numbers
    for item in items:
        if isinstance(item, Progress):
            if on_progress:
                on_progress(item.consumed)
        elif isinstance(item, Problem):
            summary.skip(item, on_problem)
        else:
            key, digest = article_id(item.doc_id), text_hash(item.text)
            same = writer.unwritten_duplicate(item, digest) if deduplicate else None
            if same:
                summary.skip(same, on_problem)
                continue
            if int(key, 16) in seen:  # the same doc_id twice in one run: the first one wins
                summary.skip(Problem(item.source, f"duplicate id {item.doc_id!r}, skipped", ERROR), on_problem)
                continue
            seen.add(int(key, 16))
            writer.hold(item, digest)
            batch.append((item, key, digest))
            if len(batch) >= min(batch_size, TASK_SIZE):
                writer.submit(batch)
                batch = []
    writer.submit(batch, last=True)
    writer.drain()
    _finish(db, inputs, summary, started_at, started)
    checkpoint(db)
    return summary


def _finish(db: Database, inputs: list[str], summary: Summary, started_at: str, started: float) -> None:
    """The end of a run, in one transaction: quotes still without a statement (stored by an older
    version) get one, derived data queued by this run (or a killed one) is recomputed, and a run
    that changed something, or finished what a killed run left, is recorded.  A run that
    changed nothing writes nothing."""
    with transaction(db):
        touched = statements.assign(db)
        db.conn.executemany("insert or ignore into pending_refresh (kind, id) values ('statement', ?)",
                            [(sid,) for sid in touched])
        finished_pending = refresh_pending(db)
        summary.speakers = db["speakers"].count
        summary.quotes = db["quotes"].count
        summary.seconds = time.perf_counter() - started
        if summary.new or summary.changed or finished_pending:
            _record_run(db, inputs, summary, started_at)


def _identities(article: Article, digest: str) -> list[tuple[str, str]]:
    """What makes two articles the same: the URL, and the text (by its hash)."""
    return [("URL", article.url), ("text", digest)] if article.url else [("text", digest)]


@dataclass(slots=True)
class _InFlight:
    result: Future
    stored: set[str]  # ids of the task's articles already in the database (changed, not new)
    held: list[tuple[Article, str, str]]


class _Writer:
    """Sends tasks to the workers and writes their results, oldest first, ``batch_size``
    articles per transaction.

    Articles read but not yet written are remembered by URL and text hash, so that a duplicate
    among them is caught before the database knows them; once written, the database's
    own indexes (``stored_duplicates``) catch the next copy."""

    def __init__(self, db: Database, summary: Summary, on_problem: Callable[[Problem], None] | None,
                 deduplicate: bool, workers: Workers, batch_size: int,
                 prepare: Prepare) -> None:
        self.db, self.summary, self.on_problem = db, summary, on_problem
        self.deduplicate, self.workers, self.batch_size, self.prepare = deduplicate, workers, batch_size, prepare
        self.version = extractor_version()
        self.unwritten: dict[tuple[str, str], str] = {}  # URL or text hash -> doc_id of the first with it
        self.in_flight: deque[_InFlight] = deque()
        # Tasks out at once: the workers' own capacity, plus a batch's worth, so that they have work
        # queued while the writer writes a batch.
        self.limit = workers.capacity + (max(1, batch_size // TASK_SIZE) if workers.capacity else 0)
        self.submitted = 0
        self.statement_cache = statements.StatementCache()
        self.namesakes = NamesakesCache()
        self.ready: list[Prepared] = []  # extracted, to be written by the next transaction
        self.ready_held: list[tuple[Article, str, str]] = []

    def unwritten_duplicate(self, article: Article, digest: str) -> Problem | None:
        for identity in _identities(article, digest):
            if identity in self.unwritten:
                return Problem(article.source, f"same {identity[0]} as {self.unwritten[identity]!r}, skipped",
                               DUPLICATE)
        return None

    def hold(self, article: Article, digest: str) -> None:
        if self.deduplicate:
            for identity in _identities(article, digest):
                self.unwritten.setdefault(identity, article.doc_id)

    def submit(self, batch: list[tuple[Article, str, str]], last: bool = False) -> None:
        """Skip what is stored already, and send the rest to be extracted.  A run of one task
        is extracted here: other processes would only add their start-up time."""
        if not batch:
            return
        todo, stored = self._todo(batch)
        workers = Workers() if last and not self.submitted else self.workers
        self.in_flight.append(_InFlight(workers.submit(self.prepare, todo, self.version), stored, batch))
        self.submitted += 1
        while len(self.in_flight) > self.limit:
            self._collect_oldest()

    def drain(self) -> None:
        while self.in_flight:
            self._collect_oldest()
        self._write()

    def _todo(self, batch: list[tuple[Article, str, str]]) -> tuple[list[tuple[Article, str, str]], set[str]]:
        stored = stored_versions(self.db, [key for _, key, _ in batch])
        # A new doc_id whose URL or text an earlier run stored under another id is the same article.
        fresh = [(a, digest) for a, key, digest in batch if key not in stored] if self.deduplicate else []
        known = stored_duplicates(self.db, [a.url for a, _ in fresh if a.url], [digest for _, digest in fresh])
        todo = []
        for article, key, digest in batch:
            if key not in stored and self.deduplicate:
                first, same = known.get(("url", article.url or "")), "URL"
                if not first:
                    first, same = known.get(("text", digest)), "text"
                if first:
                    self.summary.skip(Problem(article.source, f"same {same} as stored article {first!r}, "
                                                              "skipped", DUPLICATE), self.on_problem)
                    continue
            metadata = tuple(getattr(article, name) for name in METADATA_FIELDS)
            if stored.get(key) == (digest, self.version, *metadata):  # a new title or url is a change too
                self.summary.unchanged += 1
                continue
            todo.append((article, key, digest))
        return todo, set(stored)

    def _collect_oldest(self) -> None:
        task = self.in_flight.popleft()
        for result in task.result.result():
            if isinstance(result, Problem):
                self.summary.skip(result, self.on_problem)
                continue
            if result.id in task.stored:
                self.summary.changed += 1
            else:
                self.summary.new += 1
            self.ready.append(result)
        self.ready_held += task.held
        if len(self.ready_held) >= self.batch_size:
            self._write()

    def _write(self) -> None:
        write_batch(self.db, self.ready, cache=self.statement_cache, namesakes=self.namesakes)
        for article, _, digest in self.ready_held:
            for identity in _identities(article, digest):
                if self.unwritten.get(identity) == article.doc_id:
                    del self.unwritten[identity]
        self.ready, self.ready_held = [], []


def _record_run(db: Database, paths: list[str], summary: Summary, started_at: str) -> None:
    info = database_info()
    finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
    db.table("runs").insert({
        "started": started_at,
        "finished": finished,
        "extractor_version": extractor_version(), "inputs": json.dumps(paths),
        "articles_new": summary.new, "articles_changed": summary.changed,
        "articles_unchanged": summary.unchanged, "skipped": summary.skipped,
        "quotes": summary.quotes,
    })
    write_database_info(db, info, finished)


INFO_FROM_METADATA = ("title", "description", "license", "license_url", "source", "source_url")


def database_info() -> dict[str, str | None]:
    """What the file says about itself (the ``database_info`` table): the versions that wrote it,
    the project's Datasette metadata as JSON, and the licence and source notes from it."""
    import yaml

    from . import __version__
    from .server import metadata_path

    try:
        metadata = yaml.safe_load(metadata_path().read_text("utf-8"))
    except (OSError, yaml.YAMLError):  # never lose a run over its description
        metadata = None
    if not isinstance(metadata, dict):
        metadata = None
    info: dict[str, str | None] = {
        "quotetrack_version": __version__,
        "extractor_version": extractor_version(),
        "metadata": json.dumps(metadata, ensure_ascii=False) if metadata is not None else None,
    }
    for key in INFO_FROM_METADATA:
        value = (metadata or {}).get(key)
        info[key] = None if value is None else str(value)
    return info
