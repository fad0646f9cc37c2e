"""The database: schema as data, one idempotent ``ensure_db_shape``, batched writes.

Every write goes through ``transaction``: one ``BEGIN IMMEDIATE`` ... ``COMMIT``
per batch of articles, so a process killed at any moment leaves the file as it
was after its last complete batch.  New quotes add to their speakers' counts
and aliases in their batch (``speaker_counts``); what cannot be added to
(speakers that lost quotes, statements joined by a later quote) is queued in
``pending_refresh`` and recomputed at the end of the run, in the same
transaction that records it; a run killed before that leaves the queue for
the next one.  Files opened for
writing use WAL, so readers (Datasette) never wait for a writer, and wait up
to ``busy_timeout()`` seconds for another writer's transaction.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlite_utils import Database

from . import statements
from .copies import link_copies
from .identity import Directory, NamesakesCache
from .ingest import METADATA_FIELDS
from .records import Prepared
from .speaker_counts import NewQuote, add_quotes, refresh_counts, rename_keys

TABLES: dict[str, dict] = {
    "articles": {
        "columns": {
            "id": str, "doc_id": str, "title": str, "url": str, "outlet": str,
            "published": str, "author": str, "text": str, "text_hash": str,
            "source": str, "extractor_version": str, "quote_count": int,
            "ingested": str, "copy_of": str, "copy_share": float,
        },
        "pk": "id",
        "not_null": {"doc_id", "text"},
    },
    "speakers": {
        "columns": {"id": str, "name": str, "kind": str, "title": str, "rank": str, "role": str,
                    "organization": str, "quote_count": int, "article_count": int,
                    "first_quoted": str, "last_quoted": str},
        "pk": "id",
        "not_null": {"name", "kind"},
    },
    "aliases": {
        "columns": {"speaker_id": str, "alias": str, "count": int, "source": str},
        "pk": ("speaker_id", "alias"),
        "not_null": {"alias"},
    },
    # What extraction said each speaker is (natural keys), and what users decided.
    "speaker_keys": {
        "columns": {"key": str, "speaker_id": str, "surname": str, "name": str, "kind": str},
        "pk": "key",
        "not_null": {"speaker_id"},
    },
    "curated_keys": {
        "columns": {"key": str, "speaker_id": str, "action": str, "created": str},
        "pk": "key",
        "not_null": {"speaker_id"},
    },
    "quotes": {
        "columns": {
            "id": str, "article_id": str, "speaker_id": str, "text": str,
            "char_start": int, "char_end": int, "kind": str, "cue": str,
            "speaker_mention": str, "mention_start": int, "mention_end": int,
            "rule": str, "confidence": float, "via": str, "paragraph": int,
            "speaker_key": str, "speaker_title": str, "statement_id": str,
        },
        "pk": "id",
        "not_null": {"article_id", "text", "char_start", "char_end", "kind"},
    },
    "statements": {
        "columns": {"id": str, "speaker_id": str, "text": str, "shingle_count": int, "quote_count": int,
                    "article_count": int, "independent_article_count": int, "outlet_count": int,
                    "first_seen": str, "last_seen": str, "variants": str, "same_words_as": str,
                    "shingles": bytes},  # the founding quote's trigram hashes (statements.match)
        "pk": "id",
        "not_null": {"text"},
    },
    # Inverted index of word-trigram hashes, for finding a quote's statement without comparing all.
    # Internal index tables are WITHOUT ROWID (rows clustered by their key): one B-tree less to
    # insert into per row, and a third less space, for the tables that grow fastest.
    "statement_shingles": {"columns": {"hash": int, "statement_id": str}, "pk": ("hash", "statement_id"),
                           "not_null": set(), "without_rowid": True},
    "statement_echoes": {"columns": {"statement_id": str, "other_id": str}, "pk": ("statement_id", "other_id"),
                         "not_null": set(), "without_rowid": True},
    "article_paragraphs": {"columns": {"hash": int, "article_id": str, "length": int},
                           "pk": ("hash", "article_id"), "not_null": set(), "without_rowid": True},
    # Derived data to recompute at the end of a run: ("speakers", ""), ("statements", "") for all
    # statements, ("statement", id) for one.  Filled by each batch's transaction, emptied by the
    # transaction that ends the run, so that a run killed in between is finished by the next.
    "pending_refresh": {"columns": {"kind": str, "id": str}, "pk": ("kind", "id"), "not_null": set(),
                        "without_rowid": True},
    "runs": {
        "columns": {
            "id": int, "started": str, "finished": str, "extractor_version": str,
            "inputs": str, "articles_new": int, "articles_changed": int,
            "articles_unchanged": int, "skipped": int, "quotes": int,
        },
        "pk": "id",
        "not_null": set(),
    },
    # What this file is: versions, dates, the Datasette metadata, licence and source notes.
    "database_info": {
        "columns": {"key": str, "value": str},
        "pk": "key",
        "not_null": set(),
    },
}
FOREIGN_KEYS = [
    ("quotes", "article_id", "articles", "id"),
    ("quotes", "speaker_id", "speakers", "id"),
    ("aliases", "speaker_id", "speakers", "id"),
    ("quotes", "statement_id", "statements", "id"),
    ("statements", "speaker_id", "speakers", "id"),
    ("articles", "copy_of", "articles", "id"),
]
INDEXES = [
    ("articles", ["doc_id"], True),
    ("articles", ["url"], False),  # finding the same article again (pipeline: duplicates)
    ("articles", ["text_hash"], False),
    # quotes per outlet (the dashboard) from the index alone: reading the articles themselves, text
    # and all, took 4 s at 272,896 articles
    ("articles", ["outlet", "quote_count"], False),
    ("quotes", ["article_id"], False),
    ("quotes", ["speaker_id"], False),
    ("speaker_keys", ["surname"], False),
    ("speaker_keys", ["speaker_id"], False),
    ("quotes", ["speaker_key"], False),
    ("quotes", ["statement_id"], False),
    ("statements", ["speaker_id"], False),
    # the most repeated first (Datasette's statements page, most_repeated, `quotetrack statements`):
    # without it, sorting 2.5 million statements took longer than Datasette's time limit
    ("statements", ["article_count", "quote_count"], False),
    ("statement_shingles", ["statement_id"], False),
    ("article_paragraphs", ["article_id"], False),
]
# Names and aliases are looked up regardless of case (``lower(alias) = lower(?)``), which only an
# index on the expression serves; sqlite-utils' create_index takes column names only.
EXPRESSION_INDEXES = {
    "idx_speakers_lower_name": "speakers(lower(name))",
    "idx_aliases_lower_alias": "aliases(lower(alias))",
}
FTS_CONFIG = {"quotes": ["text"]}
VIEWS = {
    "quotes_view": """
        select quotes.id, quotes.text as quote, speakers.name as speaker, speakers.kind as speaker_kind,
               quotes.kind, quotes.cue, quotes.via, quotes.confidence, quotes.rule,
               articles.title as article, articles.outlet, articles.published,
               quotes.article_id, quotes.speaker_id, quotes.char_start, quotes.char_end,
               quotes.rowid as quote_rowid
        from quotes
        join articles on articles.id = quotes.article_id
        left join speakers on speakers.id = quotes.speaker_id
    """,
}


CACHE_KB = 128 * 1024  # page cache of a writing connection (read misses come from the memory map)
MMAP_BYTES = 1 << 40  # memory map of a writing connection (SQLite caps it at its build's maximum)
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer's transaction


class DatabaseBusy(Exception):
    """Another process held the write lock for longer than the busy timeout."""


def busy_timeout() -> float:
    """Seconds to wait for another writer: ``QUOTETRACK_BUSY_TIMEOUT``, else ``BUSY_TIMEOUT``."""
    try:
        return max(0.0, float(os.environ.get("QUOTETRACK_BUSY_TIMEOUT", BUSY_TIMEOUT)))
    except ValueError:
        return BUSY_TIMEOUT


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite giving up on a lock another connection holds."""
    return isinstance(error, DatabaseBusy) or (
        isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)))


def _wait_for_writers(db: Database, seconds: float) -> None:
    db.conn.execute(f"pragma busy_timeout = {int(seconds * 1000)}")


def prepare_for_writing(db: Database) -> None:
    """WAL journal (readers never block the writer, nor it them) and a busy timeout, so that a
    second writer waits for the first one's transaction instead of failing at once."""
    _wait_for_writers(db, busy_timeout())
    if db.memory or db.conn.in_transaction:
        return
    # With WAL, NORMAL syncs at checkpoints, not at every commit: a killed process still loses
    # nothing committed, and a power cut only the last commits, never consistency.
    db.execute("pragma synchronous = normal")
    # SQLite's default page cache is 2 MB: the indexes a large run inserts into at random
    # (quote, statement and trigram ids are hashes) need far more to stay off the disk.
    db.execute(f"pragma cache_size = -{CACHE_KB}")
    # Beyond the cache, read pages through a memory map rather than a read() call each: at
    # 100,000 articles the file is ten times the cache, and the misses made each article twice
    # as slow as at 10,000.
    db.execute(f"pragma mmap_size = {MMAP_BYTES}")
    try:
        db.enable_wal()
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
        # another connection holds the file in rollback-journal mode just now: stay in it


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction: ``BEGIN IMMEDIATE`` takes the write lock at once (waiting up to the
    busy timeout), so that a writer never fails halfway through for want of the lock; everything
    inside commits together or not at all.  Inside another transaction it is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("begin immediate")
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise DatabaseBusy(str(error)) from error
        raise
    try:
        yield db
        db.conn.execute("commit")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("rollback")
        raise


def ensure_db_shape(db: Database) -> None:
    """Create or complete every table, key, index, full-text index and view, and apply pending
    migrations, in one write transaction; safe to repeat (a complete file is left unchanged)."""
    from . import migrations

    prepare_for_writing(db)
    with transaction(db):
        _complete_tables(db)
        migrations.apply(db)
        existing = {(fk.table, fk.column) for name in TABLES for fk in db.table(name).foreign_keys}
        wanted = [fk for fk in FOREIGN_KEYS if (fk[0], fk[1]) not in existing]
        if wanted:
            db.add_foreign_keys(wanted)  # rebuilds those tables, and with them drops their triggers
        for table, columns, unique in INDEXES:
            db.table(table).create_index(columns, unique=unique, if_not_exists=True)
        for name, target in EXPRESSION_INDEXES.items():
            db.execute(f"create index if not exists [{name}] on {target}")
        for table, columns in FTS_CONFIG.items():
            triggers = {trigger.name for trigger in db.table(table).triggers}
            if not db[f"{table}_fts"].exists():
                db.table(table).enable_fts(columns, create_triggers=True)
            elif not {f"{table}_ai", f"{table}_ad", f"{table}_au"} <= triggers:
                # an index that stopped following its table (a rebuilt table lost its triggers): renew it
                db.table(table).enable_fts(columns, create_triggers=True, replace=True)
        for name, sql in VIEWS.items():
            db.create_view(name, sql.strip(), replace=True)


def _complete_tables(db: Database) -> None:
    for name, spec in TABLES.items():
        table = db.table(name)
        if not table.exists():
            db.execute(create_table_sql(db, name))
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, column_type in missing.items():
                table.add_column(column, column_type)


def create_table_sql(db: Database, name: str, as_name: str | None = None) -> str:
    """The ``create table`` statement of ``TABLES[name]`` (under ``as_name`` when given).
    sqlite-utils writes it, but has no WITHOUT ROWID option: the clause is added here."""
    spec = TABLES[name]
    sql = db.create_table_sql(as_name or name, spec["columns"], pk=spec["pk"], not_null=spec["not_null"])
    return sql.strip().rstrip(";") + (" WITHOUT ROWID" if spec.get("without_rowid") else "")


def checkpoint(db: Database) -> None:
    """Copy the write-ahead log into the database file and empty it, so that the file alone is
    complete (to copy, share, or serve immutable); a busy reader or writer just makes it partial."""
    if db.memory or db.conn.in_transaction:
        return
    _wait_for_writers(db, 1)
    try:
        db.execute("pragma wal_checkpoint(truncate)").fetchall()
    except sqlite3.OperationalError:
        pass  # not in WAL mode, or busy: the next writer's checkpoint or close will do it
    finally:
        _wait_for_writers(db, busy_timeout())


def stored_versions(db: Database, ids: list[str]) -> dict[str, tuple]:
    """(text_hash, extractor_version, *metadata) of the articles already stored, by id."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    sql = (f"select id, text_hash, extractor_version, {', '.join(METADATA_FIELDS)} "
           f"from articles where id in ({marks})")
    return {row[0]: tuple(row[1:]) for row in db.execute(sql, ids).fetchall()}


def stored_duplicates(db: Database, urls: list[str], hashes: list[str]) -> dict[tuple[str, str], str]:
    """The doc_id of stored articles with one of these URLs or text hashes, by ("url", URL)
    and ("text", hash)."""
    found: dict[tuple[str, str], str] = {}
    for column, values in (("url", urls), ("text_hash", hashes)):
        if values:
            marks = ",".join("?" for _ in values)
            sql = f"select {column}, doc_id from articles where {column} in ({marks}) order by rowid"
            for value, doc_id in db.execute(sql, values).fetchall():
                found.setdefault(("url" if column == "url" else "text", value), doc_id)
    return found


def write_batch(db: Database, batch: Iterable[Prepared], cache: statements.StatementCache | None = None,
                namesakes: NamesakesCache | None = None) -> int:
    """Store a batch of prepared articles in one transaction, replacing their old quotes;
    their speakers join the stored ones and their quotes join statements (``cache`` keeps
    statements for the next batch).  Plain ``executemany`` rather than sqlite-utils'
    ``upsert_all``: this is the one hot write path, and sqlite-utils' per-row Python work
    (type checks, JSON conversion) cost more than SQLite itself here.  ``namesakes`` keeps
    the stored names of surnames for the next batch.  Both caches are emptied when the
    transaction fails: they would hold what it did not store."""
    batch = list(batch)
    if not batch:
        return 0
    try:
        with _collection_paused():
            return _write_batch(db, batch, cache, namesakes)
    except BaseException:
        for kept in (cache, namesakes):
            if kept is not None:
                kept.clear()
        raise


def _write_batch(db: Database, batch: list[Prepared], cache: statements.StatementCache | None,
                 namesakes: NamesakesCache | None) -> int:
    conn = db.conn
    with transaction(db):
        ids = json.dumps([p.id for p in batch])
        # the statements and speakers of replaced quotes lose them: they are recomputed too
        for kind, column in (("statement", "statement_id"), ("speaker", "speaker_id")):
            db.execute(f"insert or ignore into pending_refresh (kind, id) select distinct '{kind}', {column} "
                       f"from quotes where article_id in (select value from json_each(?)) "
                       f"and {column} is not null", [ids])
        db.execute("delete from quotes where article_id in (select value from json_each(?))", [ids])
        directory = Directory(db, namesakes)
        speaker_ids = _store_speakers(db, batch, directory)
        rename_keys(db, directory.renamed)
        columns = list(batch[0].article)
        conn.executemany(_upsert_sql("articles", columns), [[p.article[c] for c in columns] for p in batch])
        db.execute("update articles set ingested = ? where ingested is null and id in "
                   "(select value from json_each(?))", [datetime.now(timezone.utc).isoformat(timespec="seconds"), ids])
        link_copies(db, [(p.id, p.paragraphs) for p in batch])
        said = [(q, sids[q.speaker] if q.speaker is not None else None)
                for p, sids in zip(batch, speaker_ids) for q in p.quotes]
        # each article's outlet and date as statements.refresh reads them (a changed one keeps its
        # first ingested date), for the statements its quotes found
        seen_in = {row[0]: row[1:] for row in db.execute(
            "select id, outlet, coalesce(published, ingested) from articles "
            "where id in (select value from json_each(?))", [ids])}
        quote_words: list[statements.QuoteWords] = [(q.row["id"], sid, q.row["text"], q.shingles)
                                                    for q, sid in said]
        statement_of, changed = statements.match(db, quote_words, cache,
                                                 seen={q.row["id"]: seen_in[q.row["article_id"]] for q, _ in said})
        if said:
            columns = [*said[0][0].row, "speaker_id", "statement_id"]
            with _indexed_in_bulk(db, "quotes", "article_id in (select value from json_each(?))", [ids]):
                conn.executemany(f"insert into quotes ({', '.join(columns)}) values "
                                 f"({', '.join('?' * len(columns))})",
                                 [[*q.row.values(), sid, statement_of[q.row["id"]]] for q, sid in said])
        published = {p.id: p.article["published"] for p in batch}
        add_quotes(db, [NewQuote(sid, q.row["article_id"], published[q.row["article_id"]], q.row["speaker_mention"],
                                 directory.names.get(q.row["speaker_key"])) for q, sid in said if sid is not None])
        # a speaker without quotes is dropped by the recount (unless curation names it)
        quoteless = {sid for sids in speaker_ids for sid in sids} - {sid for _, sid in said}
        conn.executemany("insert or ignore into pending_refresh (kind, id) values (?, ?)",
                         [("statement", sid) for sid in changed] + [("speaker", sid) for sid in quoteless])
    return len(said)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a batch is written, and back on after: the
    batch's many short-lived rows made it run again and again, each full pass walking the caches
    kept between batches (about a tenth of the writer's time).  The rows hold no cycles; what the
    batch leaves is collected by the first pass after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _indexed_in_bulk(db: Database, table: str, where: str, params: list) -> Iterator[None]:
    """Insert rows into ``table`` with its full-text index updated by one statement at the end
    instead of by the insert trigger: FTS5 gives every row a trigger inserts a savepoint of its
    own, which made indexing 4x slower than the insert itself.  The trigger is lifted and put
    back inside the caller's transaction, so every committed state has it."""
    trigger = db.execute("select sql from sqlite_master where type = 'trigger' and name = ?",
                         [f"{table}_ai"]).fetchone()
    if trigger is None:
        yield
        return
    db.execute(f"drop trigger [{table}_ai]")
    yield
    columns = ", ".join(f"[{c}]" for c in FTS_CONFIG[table])
    db.execute(f"insert into [{table}_fts] (rowid, {columns}) select rowid, {columns} from [{table}] "
               f"where {where}", params)
    db.execute(trigger[0])


def _upsert_sql(table: str, columns: list[str]) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict(id) do update set {updates}")


def _store_speakers(db: Database, batch: list[Prepared], directory: Directory) -> list[list[str]]:
    """Match each article's speakers with the stored ones and store them; their ids, by article."""
    resolved = iter(directory.resolve([(r.key, r.surname, r.row["name"], r.row["kind"])
                                       for p in batch for r in p.speakers]))
    speakers: dict[str, dict] = {}
    curated: set[str] = set()
    by_article = []
    for p in batch:
        sids = []
        for record in p.speakers:
            natural, sid = next(resolved)
            sids.append(sid)
            if sid != natural:
                curated.add(sid)  # a user chose this speaker: its own name stays
            speakers[sid] = _better_speaker(speakers.get(sid), {"id": sid, **record.row})
        by_article.append(sids)
    if speakers:
        rows = _merge_known(db, speakers, curated)
        columns = list(rows[0])
        db.conn.executemany(_upsert_sql("speakers", columns), [[row[c] for c in columns] for row in rows])
    return by_article


_DESCRIPTIVE = ("name", "title", "rank", "role", "organization")


def _better_speaker(old: dict | None, new: dict) -> dict:
    """The most informative of two views of one speaker: the fuller name, the longer title."""
    if old is None:
        return new
    merged = dict(old)
    for column in _DESCRIPTIVE:
        size = (lambda v: len((v or "").split())) if column == "name" else (lambda v: len(v or ""))
        if size(new.get(column)) > size(merged.get(column)):
            merged[column] = new[column]
    return merged


def _merge_known(db: Database, speakers: dict[str, dict], curated: set[str]) -> list[dict]:
    """Combine this batch's view of each speaker with what the database already holds."""
    columns = ", ".join(["id", "kind", *_DESCRIPTIVE])
    known = {row[0]: dict(zip(["id", "kind", *_DESCRIPTIVE], row)) for row in db.execute(
        f"select {columns} from speakers where id in (select value from json_each(?))", [json.dumps(list(speakers))])}
    rows = []
    for sid, row in speakers.items():
        if sid in known:
            merged = _better_speaker(known[sid], row)
            if sid in curated:
                merged["name"], merged["kind"] = known[sid]["name"], known[sid]["kind"]
            row = merged
        rows.append(row)
    return rows


def refresh_pending(db: Database) -> bool:
    """Recompute what ``pending_refresh`` asks for, and empty it; whether anything was queued.
    Call it inside the transaction that ends a run."""
    kinds = {kind for kind in ("speakers", "speaker", "statements", "statement")
             if db.execute("select exists(select 1 from pending_refresh where kind = ?)", [kind]).fetchone()[0]}
    if "speakers" in kinds or "speaker" in kinds:
        refresh_counts(db, queued="speakers" not in kinds)
    if "statements" in kinds:
        statements.refresh(db)
    elif "statement" in kinds:
        statements.refresh(db, queued=True)
    if kinds:
        db.execute("delete from pending_refresh")
    return bool(kinds)


def write_database_info(db: Database, info: dict[str, str | None], now: str) -> None:
    """Store ``info`` in ``database_info``, with ``updated`` set to ``now`` and ``created`` set once:
    to the first recorded run, or ``now``.  Call it inside the run's transaction."""
    first_run = db.execute("select min(started) from runs").fetchone()[0] if db["runs"].exists() else None
    db.execute("insert or ignore into database_info (key, value) values ('created', ?)", [first_run or now])
    values = {**{k: v for k, v in info.items() if k != "created"}, "updated": now}
    db.conn.executemany("insert or replace into database_info (key, value) values (?, ?)", list(values.items()))
