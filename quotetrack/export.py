"""Quotes as CSV, JSON or JSON Lines, for people without Datasette: one row per quote, streamed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

FORMATS = ("csv", "json", "jsonl")

# (output field, table, column): one row per quote, with its speaker and article.
FIELDS: list[tuple[str, str, str]] = [
    ("id", "quotes", "id"),
    ("text", "quotes", "text"),
    ("kind", "quotes", "kind"),
    ("speaker", "speakers", "name"),
    ("speaker_kind", "speakers", "kind"),
    ("speaker_rank", "speakers", "rank"),
    ("speaker_role", "speakers", "role"),
    ("speaker_organization", "speakers", "organization"),
    ("speaker_mention", "quotes", "speaker_mention"),
    ("cue", "quotes", "cue"),
    ("via", "quotes", "via"),
    ("confidence", "quotes", "confidence"),
    ("rule", "quotes", "rule"),
    ("doc_id", "articles", "doc_id"),
    ("article_title", "articles", "title"),
    ("url", "articles", "url"),
    ("outlet", "articles", "outlet"),
    ("published", "articles", "published"),
    ("char_start", "quotes", "char_start"),
    ("char_end", "quotes", "char_end"),
]
FIELD_NAMES = [name for name, _, _ in FIELDS]


class ExportError(Exception):
    """A database that cannot be exported, in words for the user."""


def export_quotes(db: Database, fmt: str, out: TextIO) -> int:
    """Write every quote of ``db`` to ``out`` as ``fmt`` (csv, json or jsonl); return how many.

    Rows come from a cursor one at a time and are written as they come, so
    the size of the database does not matter; a JSON array is written
    piece by piece.
    """
    return _write(_rows(db, fmt), fmt, out)


def export_file(db: Database, fmt: str, path: Path) -> int:
    """``export_quotes`` into the file at ``path`` (replaced if it exists), opened only once the
    database is known to be exportable."""
    cursor = _rows(db, fmt)
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        return _write(cursor, fmt, handle)


def _rows(db: Database, fmt: str):
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return db.execute(_sql(db))


def _write(cursor, fmt: str, out: TextIO) -> int:
    if fmt == "csv":
        return _write_csv(cursor, out)
    if fmt == "jsonl":
        count = 0
        for row in cursor:
            out.write(json.dumps(dict(zip(FIELD_NAMES, row)), ensure_ascii=False) + "\n")
            count += 1
        return count
    return write_json_array((dict(zip(FIELD_NAMES, row)) for row in cursor), out)


def _sql(db: Database) -> str:
    """The export query; a column an older database lacks is exported as empty."""
    for table in ("quotes", "articles", "speakers"):
        if not db[table].exists():
            raise ExportError(f"this database has no {table} table: is it a quotetrack database? "
                              "Run `quotetrack extract` on it first")
    columns = {table: set(db[table].columns_dict) for table in ("quotes", "articles", "speakers")}
    selected = ", ".join(f"{table}.[{column}] as [{name}]" if column in columns[table] else f"null as [{name}]"
                         for name, table, column in FIELDS)
    return f"""
        select {selected}
        from quotes
        join articles on articles.id = quotes.article_id
        left join speakers on speakers.id = quotes.speaker_id
        order by articles.doc_id, quotes.char_start, quotes.id
    """


def _write_csv(cursor, out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(FIELD_NAMES)
    count = 0
    for row in cursor:
        writer.writerow(row)  # NULL becomes an empty cell
        count += 1
    return count


def write_json_array(rows: Iterable[dict], out: TextIO) -> int:
    """Write ``rows`` to ``out`` as one JSON array, an object a line, as they come; how many."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
