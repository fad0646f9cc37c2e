"""Articles that copy each other: syndication, or whole paragraphs lifted from another outlet.

Each paragraph of some length is hashed; an article whose paragraphs already
stand in an earlier article is marked ``copy_of`` it, with the share of its
text they make up.  Exact paragraph hashes (after folding case and spacing)
are what syndicated copies share, and they need no all-pairs comparison.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlite_utils import Database

COPY_SHARE = 0.3  # the share of an article's text that makes it a copy ...
COPY_PARAGRAPHS = 3  # ... or this many whole paragraphs taken word for word
COMMON_PARAGRAPH = 50
_MIN_PARAGRAPH = 80  # characters; shorter lines ("Photo: Reuters") are shared by chance


def paragraph_hashes(text: str) -> list[tuple[int, int]]:
    """(hash, length) of each paragraph long enough to say something."""
    out = []
    for line in text.split("\n"):
        if len(line) < _MIN_PARAGRAPH:  # folding only shortens it
            continue
        folded = " ".join(line.split()).lower()
        if len(folded) >= _MIN_PARAGRAPH:
            digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest()
            out.append((int.from_bytes(digest, "big") >> 1, len(folded)))
    return out


def link_copies(db: Database, articles: Iterable[tuple[str, list[tuple[int, int]]]]) -> None:
    """Index the paragraphs of these (article id, ``paragraph_hashes``) and mark the articles that
    copy an earlier one.  A paragraph already in COMMON_PARAGRAPH articles is boilerplate ("Sign up
    for our newsletter ..."): it is not indexed, which also keeps every look-up bounded."""
    for article_id, hashes in articles:
        db.execute("delete from article_paragraphs where article_id = ?", [article_id])
        db.conn.executemany(
            "insert or ignore into article_paragraphs (hash, article_id, length) select ?, ?, ? where "
            f"(select count(*) from (select 1 from article_paragraphs where hash = ? limit {COMMON_PARAGRAPH})) "
            f"< {COMMON_PARAGRAPH}", [(h, article_id, n, h) for h, n in hashes])
        total = sum(n for _, n in hashes) or 1
        best = db.execute("""
            select article_paragraphs.article_id, sum(article_paragraphs.length) as shared, count(*) as paragraphs
            from article_paragraphs join articles on articles.id = article_paragraphs.article_id
            where article_paragraphs.hash in (select value from json_each(?))
              and article_paragraphs.article_id != ?
              and articles.rowid < (select rowid from articles where id = ?)
            group by article_paragraphs.article_id order by shared desc limit 1
        """, [json.dumps([h for h, _ in hashes]), article_id, article_id]).fetchone()
        share = round(best[1] / total, 3) if best else 0.0
        copied = best is not None and (share >= COPY_SHARE or best[2] >= COPY_PARAGRAPHS)
        db.execute("update articles set copy_of = ?, copy_share = ? where id = ?",
                   [best[0] if copied else None, share if best else None, article_id])


def link_stored_copies(db: Database, article_ids: Iterable[str]) -> None:
    """``link_copies`` for articles already stored, from their text."""
    for article_id in article_ids:
        row = db.execute("select text from articles where id = ?", [article_id]).fetchone()
        if row is not None:
            link_copies(db, [(article_id, paragraph_hashes(row[0]))])
