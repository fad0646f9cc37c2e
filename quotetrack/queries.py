"""Read-only questions the CLI asks of a database: search quotes, list speakers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database


class QueryError(Exception):
    """A question the database cannot answer, in words for the user."""


def search_quotes(db: Database, query: str, speaker: str | None = None, limit: int = 20) -> list[dict]:
    """Quotes matching ``query`` (words, all required), best match first.

    The query is quoted for FTS5 so that punctuation and operators in it are
    searched as words, never run as syntax.
    """
    if not db["quotes_fts"].exists():
        raise QueryError("this database has no full-text index: run `quotetrack extract` on it first")
    match = db.quote_fts(query)
    if not match.strip('" '):
        raise QueryError("the search query has no words to look for")
    sql = """
        select quotes.id, quotes.text as quote, speakers.name as speaker, speakers.kind as speaker_kind,
               quotes.kind, quotes.cue, quotes.via, quotes.confidence,
               articles.title as article, articles.doc_id, articles.outlet, articles.published
        from quotes_fts
        join quotes on quotes.rowid = quotes_fts.rowid
        join articles on articles.id = quotes.article_id
        left join speakers on speakers.id = quotes.speaker_id
        where quotes_fts match :match
    """
    params: dict = {"match": match, "limit": limit}
    if speaker:
        sql += " and speakers.name like :speaker"
        params["speaker"] = f"%{speaker}%"
    sql += " order by quotes_fts.rank limit :limit"
    try:
        return [dict(row) for row in _rows(db, sql, params)]
    except sqlite3.OperationalError as error:
        raise QueryError(f"cannot search for {query!r}: {error}") from error


def list_speakers(db: Database, limit: int | None = None) -> Iterator[dict]:
    """Speakers with kind, title, organisation, counts and aliases, most quoted first (the first
    ``limit``, or all), one at a time: a large database has hundreds of thousands."""
    if not db["speakers"].exists():
        return iter(())
    has_aliases = db["aliases"].exists()
    aliases = ("(select json_group_array(alias) from (select alias from aliases "
               "where aliases.speaker_id = chosen.id order by count desc, alias))") if has_aliases else "'[]'"
    # aliases only for the speakers listed, once they are chosen
    sql = f"""
        select chosen.*, {aliases} as aliases from (
          select speakers.id, speakers.name, speakers.kind, speakers.title, speakers.rank, speakers.role,
                 speakers.organization, coalesce(speakers.quote_count, 0) as quotes,
                 coalesce(speakers.article_count, 0) as articles, speakers.first_quoted, speakers.last_quoted
          from speakers order by quotes desc, speakers.name limit :limit) as chosen
        order by chosen.quotes desc, chosen.name
    """
    return ({**row, "aliases": json.loads(row["aliases"] or "[]")}
            for row in _rows(db, sql, {"limit": -1 if limit is None else limit}))


def list_statements(db: Database, speaker: str | None = None, limit: int = 50) -> list[dict]:
    """The most repeated statements: how many quotes, articles and outlets carry each, and since when."""
    if not db["statements"].exists():
        return []
    sql = """
        select statements.id, statements.text, speakers.name as speaker, statements.quote_count,
               statements.article_count, statements.independent_article_count, statements.outlet_count,
               statements.first_seen, statements.last_seen, statements.variants, statements.same_words_as
        from statements left join speakers on speakers.id = statements.speaker_id
        where (:speaker is null or speakers.id in (
            select speaker_id from aliases where lower(alias) like lower(:pattern)
            union select id from speakers where lower(name) like lower(:pattern)))
        order by statements.article_count desc, statements.quote_count desc, statements.first_seen
        limit :limit
    """
    params = {"speaker": speaker, "pattern": f"%{speaker}%" if speaker else None, "limit": limit}
    rows = [dict(row) for row in _rows(db, sql, params)]
    for row in rows:
        row["variants"] = json.loads(row["variants"] or "[]")
        row["same_words_as"] = json.loads(row["same_words_as"] or "[]")
    return rows


def _rows(db: Database, sql: str, params: dict) -> Iterator[dict]:
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return (dict(zip(columns, row)) for row in cursor)
