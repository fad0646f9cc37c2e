"""Speaker counts and aliases are added to batch by batch; they must equal a recount from all quotes."""

from __future__ import annotations

from pathlib import Path

from helpers import write_jsonl
from sqlite_utils import Database
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.db import ensure_db_shape, transaction, write_batch
from quotetrack.formats import Article
from quotetrack.records import article_id, prepare, text_hash
from quotetrack.speaker_counts import refresh_counts

runner = CliRunner()

URBAN = "Drills\n\n“We are ready,” said Navy Capt. Bill Urban, a spokesman for Central Command.\n"
BOARD = "Port\n\n“Nothing changes,” the Harbor Safety Board said.\n"
URBAN_AGAIN = "Again\n\n“We will stay as long as needed,” said Bill J. Urban. “No change,” Urban added.\n"
NEWCOMER = "Rain\n\n“It will rain,” said forecaster Ana Lopez. “Then it will stop,” Lopez said.\n"


def counts(db: Database) -> tuple[list, list]:
    """Each speaker's counts and dates, and every alias with its count."""
    return (sorted(db.execute("select id, name, quote_count, article_count, first_quoted, last_quoted "
                              "from speakers").fetchall()),
            sorted(db.execute("select speaker_id, alias, count, source from aliases").fetchall()))


def recounted(db: Database) -> tuple[list, list]:
    """``counts`` of a copy of the database after recounting every speaker from its quotes."""
    copy = Database(memory=True)
    db.conn.backup(copy.conn)
    with transaction(copy):
        refresh_counts(copy)
    return counts(copy)


def extract(db_path: Path, feed: Path) -> Database:
    result = runner.invoke(app, ["extract", str(db_path), str(feed)])
    assert result.exit_code == 0, result.output
    return Database(db_path)


def test_counts_added_run_by_run_equal_a_recount(tmp_path):
    feed = tmp_path / "feed.jsonl"
    db_path = tmp_path / "q.db"
    write_jsonl(feed, [{"id": "a", "text": URBAN, "published": "2016-05-01"},
                       {"id": "b", "text": BOARD, "published": "2016-05-03"}])
    extract(db_path, feed)
    # a later run: an earlier article names Urban otherwise (his key's stored name changes),
    # a newcomer, and a changed article (whose speakers lose their old quotes)
    write_jsonl(feed, [{"id": "a", "text": URBAN, "published": "2016-05-01"},
                       {"id": "b", "text": BOARD.replace("Nothing changes", "Nothing changes at all"),
                        "published": "2016-05-03"},
                       {"id": "c", "text": URBAN_AGAIN, "published": "2016-04-20"},
                       {"id": "d", "text": NEWCOMER, "published": "2016-06-01"}])
    db = extract(db_path, feed)
    assert counts(db) == recounted(db)
    urban = db.execute("select id, quote_count, article_count, first_quoted, last_quoted from speakers "
                       "where name like '%Urban'").fetchall()
    assert len(urban) == 1 and urban[0][1:] == (3, 2, "2016-04-20", "2016-05-01")
    aliases = dict(db.execute("select alias, count from aliases where speaker_id = ?", [urban[0][0]]).fetchall())
    assert aliases.get("Bill J. Urban", 0) >= 3  # the key's new name now counts the quotes stored before
    lopez = db.execute("select quote_count, article_count from speakers where name = 'Ana Lopez'").fetchone()
    assert lopez == (2, 1)


def prepared(doc_id: str, text: str, published: str):
    article = Article(doc_id=doc_id, text=text, source=f"{doc_id}.txt", published=published)
    return prepare(article, "v", article_id(doc_id), text_hash(text))


def test_a_batch_of_new_articles_counts_its_speakers_without_queueing_a_recount(tmp_path):
    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    write_batch(db, [prepared("a", URBAN, "2016-05-01"), prepared("b", BOARD, "2016-05-03")])
    write_batch(db, [prepared("c", URBAN_AGAIN, "2016-04-20"), prepared("d", NEWCOMER, "2016-06-01")])
    # committed batch by batch, before any end of run: nothing left for a recount to do
    assert db.execute("select count(*) from pending_refresh where kind like 'speaker%'").fetchone()[0] == 0
    assert counts(db) == recounted(db)
    assert db.execute("select sum(quote_count) from speakers").fetchone()[0] == \
        db.execute("select count(*) from quotes where speaker_id is not null").fetchone()[0]


def test_curation_recounts_the_speakers_it_changes_and_no_other(tmp_path):
    folder = tmp_path / "in"
    write_jsonl(folder / "feed.jsonl", [
        {"id": "a", "text": "One\n\n“We are ready,” said Pentagon Press Secretary Peter Cook.\n"
                            "“The port stays open,” the Port Authority said.\n"},
        {"id": "b", "text": "Two\n\n“Nothing changes,” the Harbor Safety Board said.\n"},
        {"id": "c", "text": NEWCOMER}])
    db_path = tmp_path / "q.db"
    extract(db_path, folder)
    db = Database(db_path)
    db.execute("update speakers set quote_count = 99 where name = 'Ana Lopez'")  # stale on purpose
    db.conn.commit()
    for command in (["merge", str(db_path), "Port Authority", "Harbor Safety Board"],
                    ["alias", str(db_path), "Peter Cook", "Pete Cook"]):
        assert runner.invoke(app, command).exit_code == 0
    db = Database(db_path)
    assert db.execute("select quote_count from speakers where name = 'Ana Lopez'").fetchone() == (99,)
    assert db.execute("select quote_count, article_count from speakers where name = 'Port Authority'"
                      ).fetchone() == (2, 2)
    assert db.execute("select count(*) from speakers where name = 'Harbor Safety Board'").fetchone() == (0,)
    db.execute("update speakers set quote_count = 2 where name = 'Ana Lopez'")
    db.conn.commit()
    assert counts(db) == recounted(db)


def test_an_imported_merge_regroups_statements_and_recounts(tmp_path):
    folder = tmp_path / "in"
    write_jsonl(folder / "feed.jsonl", [
        {"id": "a", "text": "One\n\n“The port stays open,” the Port Authority said.\n"},
        {"id": "b", "text": "Two\n\n“Nothing changes,” the Harbor Safety Board said.\n"}])
    curated, fresh = tmp_path / "curated.db", tmp_path / "fresh.db"
    extract(curated, folder)
    assert runner.invoke(app, ["merge", str(curated), "Port Authority", "Harbor Safety Board"]).exit_code == 0
    decisions = tmp_path / "curation.yml"
    assert runner.invoke(app, ["curation", "export", str(curated), str(decisions)]).exit_code == 0
    db = extract(fresh, folder)
    assert runner.invoke(app, ["curation", "import", str(fresh), str(decisions)]).exit_code == 0
    assert db.execute("select quote_count from speakers where name = 'Port Authority'").fetchone() == (2,)
    # every quote in a statement of its own speaker
    assert db.execute("select count(*) from quotes join statements on statements.id = quotes.statement_id "
                      "where statements.speaker_id is not quotes.speaker_id").fetchone() == (0,)
    assert counts(db) == recounted(db)
