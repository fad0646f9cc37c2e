"""The database contract: tables, columns, keys, indexes, full-text search, allowed values."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.db import ForeignKey

from quotetrack.db import ensure_db_shape

CONTRACT = {
    "articles": {"id", "doc_id", "title", "url", "outlet", "published", "text"},
    "speakers": {"id", "name", "kind"},
    "quotes": {"id", "article_id", "speaker_id", "text", "char_start", "char_end", "kind", "cue",
               "speaker_mention", "rule"},
}
SPEAKER_KINDS = {"person", "organization", "group", "anonymous"}
QUOTE_KINDS = {"direct", "partial"}


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(tmp_path / "shape.db")
    ensure_db_shape(database)
    return database


def fts_ids(db: Database, word: str) -> list[str]:
    sql = ("select quotes.id from quotes_fts join quotes on quotes.rowid = quotes_fts.rowid "
           "where quotes_fts match ?")
    return [row[0] for row in db.execute(sql, [word]).fetchall()]


def test_ensure_db_shape_is_idempotent(tmp_path):
    db = Database(tmp_path / "twice.db")
    ensure_db_shape(db)
    first = db.schema
    ensure_db_shape(db)
    assert db.schema == first
    assert "CREATE TABLE" in first


def test_ensure_db_shape_keeps_data(sample_db_copy, h):
    tables = ("articles", "quotes", "speakers", "runs")
    before, schema = h.dump_tables(sample_db_copy, tables), Database(sample_db_copy).schema
    ensure_db_shape(Database(sample_db_copy))
    assert h.dump_tables(sample_db_copy, tables) == before
    assert Database(sample_db_copy).schema == schema


def test_ensure_db_shape_completes_an_older_database(tmp_path):
    db = Database(tmp_path / "old.db")
    db["articles"].insert({"id": "a1", "doc_id": "old.txt", "text": "Old text."}, pk="id")
    ensure_db_shape(db)
    assert {"title", "url", "outlet", "published", "text_hash"} <= set(db["articles"].columns_dict)
    assert list(db["articles"].rows) and next(db["articles"].rows)["text"] == "Old text."
    assert db["quotes_fts"].exists()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns(db, table):
    assert db[table].exists()
    assert CONTRACT[table] <= set(db[table].columns_dict)
    assert db[table].pks == ["id"]


def test_column_types(db):
    quotes = db["quotes"].columns_dict
    assert quotes["char_start"] is int and quotes["char_end"] is int
    assert quotes["text"] is str and quotes["kind"] is str


def test_foreign_keys(db):
    fks = set(db["quotes"].foreign_keys)
    assert ForeignKey("quotes", "article_id", "articles", "id") in fks
    assert ForeignKey("quotes", "speaker_id", "speakers", "id") in fks


@pytest.mark.parametrize("column", ["article_id", "speaker_id"])
def test_foreign_key_columns_are_indexed(db, column):
    assert [column] in [index.columns for index in db["quotes"].indexes]


def test_doc_id_is_unique(db):
    db["articles"].insert({"id": "a1", "doc_id": "same.txt", "text": "One."})
    with pytest.raises(sqlite3.IntegrityError):
        db["articles"].insert({"id": "a2", "doc_id": "same.txt", "text": "Two."})


def test_full_text_index_follows_quotes(db):
    assert db["quotes_fts"].exists()
    triggers = {trigger.name for trigger in db.triggers}
    assert {"quotes_ai", "quotes_ad", "quotes_au"} <= triggers
    db["articles"].insert({"id": "a1", "doc_id": "zoo.txt", "text": 'The zebra escaped, "said" nobody.'})
    db["quotes"].insert({"id": "q1", "article_id": "a1", "text": "The zebra escaped",
                         "char_start": 0, "char_end": 17, "kind": "direct"})
    assert fts_ids(db, "zebra") == ["q1"]
    db["quotes"].update("q1", {"text": "The giraffe escaped"})
    assert fts_ids(db, "zebra") == []
    assert fts_ids(db, "giraffe") == ["q1"]
    db["quotes"].delete("q1")
    assert fts_ids(db, "giraffe") == []


def test_views_work(sample_db):
    db = Database(sample_db)
    assert "quotes_view" in db.view_names()
    rows = list(db["quotes_view"].rows)
    assert len(rows) == db["quotes"].count
    assert {"quote", "speaker", "article"} <= set(rows[0])


def test_sample_values_follow_contract(sample_db):
    db = Database(sample_db)
    speaker_kinds = {row[0] for row in db.execute("select distinct kind from speakers")}
    quote_kinds = {row[0] for row in db.execute("select distinct kind from quotes")}
    assert speaker_kinds and speaker_kinds <= SPEAKER_KINDS
    assert quote_kinds and quote_kinds <= QUOTE_KINDS
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("select count(*) from quotes where char_start >= char_end or char_start < 0"
                      ).fetchone()[0] == 0
    assert db.execute("select count(*) from speakers where trim(name) = ''").fetchone()[0] == 0
    # the stored counts agree with the rows
    assert db.execute("""select count(*) from articles where quote_count !=
                         (select count(*) from quotes where quotes.article_id = articles.id)""").fetchone()[0] == 0
    assert db.execute("""select count(*) from speakers where quote_count !=
                         (select count(*) from quotes where quotes.speaker_id = speakers.id)""").fetchone()[0] == 0


def test_sample_quotes_are_searchable(sample_db):
    db = Database(sample_db)
    assert db.execute("select count(*) from quotes_fts").fetchone()[0] == db["quotes"].count
    assert fts_ids(db, "bolster")


def test_a_writing_connection_is_tuned_for_large_files(tmp_path):
    from quotetrack.db import CACHE_KB, prepare_for_writing

    db = Database(tmp_path / "q.db")
    prepare_for_writing(db)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL: with WAL, synced at checkpoints
    assert db.execute("pragma cache_size").fetchone()[0] == -CACHE_KB
    assert db.execute("pragma mmap_size").fetchone()[0] > 0  # pages beyond the cache read through a map


def test_lookups_by_name_and_the_statements_ranking_are_served_by_indexes(sample_db):
    """What Datasette and the CLI ask of a large database must not read whole tables: over
    2.5 million statements or 1.4 million aliases that took longer than Datasette's time limit."""
    from quotetrack.server import metadata_for

    db = Database(sample_db)

    def plan(sql: str, params: dict | None = None) -> str:
        return " | ".join(row[3] for row in db.execute("explain query plan " + sql, params or {}))

    queries = metadata_for(sample_db)["databases"][sample_db.stem]["queries"]
    everything = plan(queries["everything_said"]["sql"], {"name": "Captain William Urban"})
    assert "idx_aliases_lower_alias" in everything and "idx_speakers_lower_name" in everything
    assert "SCAN aliases" not in everything and "SCAN speakers" not in everything
    assert "idx_speakers_lower_name" in plan("select id from speakers where lower(name) = lower(:n)", {"n": "x"})
    ranking = plan("select id from statements order by article_count desc limit 101")
    assert "idx_statements_article_count_quote_count" in ranking and "TEMP B-TREE" not in ranking
