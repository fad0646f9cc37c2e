"""Versioned migrations: what an older database needs beyond added tables and columns.

``db.ensure_db_shape`` first completes the schema as data (new tables and
columns, which SQLite adds in place), then applies the migrations below that
the file has not had yet, each recorded by name in ``_sqlite_migrations``
(sqlite-utils' ``Migrations``), all inside the write transaction that shapes
the file: a migration runs once, completely or not at all, and never drops
user data.  A migration therefore sees every current column, and must do
nothing harmful on a database that never needed it (a new, empty one).

Add a migration at the end, never rename or reorder one that has shipped.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlite_utils import Database, Migrations

from . import statements
from .copies import link_stored_copies
from .identity import natural_key, split_name
from .speakers import PERSON, Entity

MIGRATIONS = Migrations("quotetrack")


def queue_refresh(db: Database, kind: str, ident: str = "") -> None:
    """Ask the end of the next extract run to recompute derived data (see ``db.refresh_pending``)."""
    db.execute("insert or ignore into pending_refresh (kind, id) values (?, ?)", [kind, ident])


@MIGRATIONS(name="0001_speaker_keys")
def speaker_keys(db: Database) -> None:
    """Databases from before speakers were matched across articles (quotetrack's first version):
    record what each stored quote's speaker is as a natural key, so that new articles naming
    the same person or organisation join the speaker already there instead of founding a twin."""
    rows = db.execute("""
        select quotes.id, quotes.article_id, speakers.id, speakers.name, speakers.kind
        from quotes join speakers on speakers.id = quotes.speaker_id
        where quotes.speaker_key is null
        order by quotes.rowid""").fetchall()
    keys, quotes = [], []
    for quote_id, article_id, speaker_id, name, kind in rows:
        key = natural_key(Entity(name, kind), article_id)
        surname = split_name(name)[1] if kind == PERSON else None
        keys.append((key, speaker_id, surname, name, kind))
        quotes.append((key, quote_id))
    # the first speaker stored under a key keeps it, as extraction itself would have done
    db.conn.executemany("insert or ignore into speaker_keys (key, speaker_id, surname, name, kind) "
                        "values (?, ?, ?, ?, ?)", keys)
    db.conn.executemany("update quotes set speaker_key = ? where id = ?", quotes)
    if quotes:
        queue_refresh(db, "speakers")


@MIGRATIONS(name="0002_ingested_and_copies")
def ingested_and_copies(db: Database) -> None:
    """Databases from before ``ingested`` and copy detection: date the old articles by the first
    recorded run, and index their paragraphs (in the order they were stored) so that copies
    among them, and later articles copying them, are recognised."""
    first_run = db.execute("select min(started) from runs").fetchone()[0]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    db.execute("update articles set ingested = ? where ingested is null", [first_run or now])
    unindexed = [row[0] for row in db.execute(
        "select id from articles where id not in (select article_id from article_paragraphs) order by rowid")]
    link_stored_copies(db, unindexed)
    if unindexed:
        queue_refresh(db, "statements")


@MIGRATIONS(name="0003_statements")
def assign_statements(db: Database) -> None:
    """Databases from before statements: group the stored quotes into statements now, and
    have the next run recompute every statement and speaker count."""
    if statements.assign(db):
        queue_refresh(db, "statements")
        queue_refresh(db, "speakers")


@MIGRATIONS(name="0004_without_rowid")
def index_tables_without_rowid(db: Database) -> None:
    """Databases from before the internal index tables were WITHOUT ROWID: rebuild them as such,
    rows and all (``ensure_db_shape`` then recreates their secondary indexes)."""
    from .db import TABLES, create_table_sql

    for name, spec in TABLES.items():
        sql = db.execute("select sql from sqlite_master where type = 'table' and name = ?", [name]).fetchone()
        if not spec.get("without_rowid") or sql is None or "without rowid" in sql[0].lower():
            continue
        db.execute(create_table_sql(db, name, as_name=f"{name}_new"))
        columns = ", ".join(f"[{c}]" for c in spec["columns"])
        db.execute(f"insert into [{name}_new] ({columns}) select {columns} from [{name}]")
        db.execute(f"drop table [{name}]")
        db.execute(f"alter table [{name}_new] rename to [{name}]")


@MIGRATIONS(name="0005_case_insensitive_name_indexes")
def case_insensitive_name_indexes(db: Database) -> None:
    """Databases from before names and aliases were indexed by ``lower()``: drop the plain indexes,
    which no query used (``ensure_db_shape`` then builds the new ones)."""
    db.execute("drop index if exists idx_speakers_name")
    db.execute("drop index if exists idx_aliases_alias")


def apply(db: Database) -> list[str]:
    """Apply the pending migrations (call it inside the shaping transaction); their names."""
    pending = [migration.name for migration in MIGRATIONS.pending(db)]
    if pending:
        MIGRATIONS.apply(db)
    return pending
