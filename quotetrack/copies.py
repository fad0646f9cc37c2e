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
    for our newsletter ..."): it is not indexed, which also keeps every look-up bounded.

    The articles are linked as if one at a time, in order: each replaces its own index rows (a
    changed article its old ones) and is compared with the rows as they stand, those of the
    articles before it in this batch included.  The writer calls this once per batch, so the work
    is done in memory on the stored rows of the batch's paragraphs and the batch's own articles,
    read in two queries, and written back in three statements: a few statements per article were
    most of the time it took."""
    articles = list(articles)
    if not articles:
        return
    ids = json.dumps([article_id for article_id, _ in articles])
    holders, held, rowids = _stored_index(db, {h for _, pairs in articles for h, _ in pairs})
    # The batch's articles are stored before this is called (a changed one keeps its rowid).
    stored = {row[0]: row[1:] for row in db.execute(
        "select id, rowid, copy_of, copy_share from articles where id in (select value from json_each(?))", [ids])}
    rowids.update((article_id, row[0]) for article_id, row in stored.items())
    links: dict[str, tuple[str | None, float | None]] = {}
    for article_id, pairs in articles:
        for h, _, _ in held.pop(article_id, ()):  # a changed article's old rows go first
            del holders[h][article_id]
        # a paragraph repeated within the article counts once, as "hash in (...)" counted it
        best = _most_shared(holders, rowids, article_id, {h for h, _ in pairs})
        if best is None:
            links[article_id] = (None, None)
        else:
            other, shared, paragraphs = best
            share = round(shared / (sum(n for _, n in pairs) or 1), 3)
            copied = share >= COPY_SHARE or paragraphs >= COPY_PARAGRAPHS
            links[article_id] = (other if copied else None, share)
        # its paragraphs join the index unless COMMON_PARAGRAPH articles hold them already (those
        # before it in this batch included)
        rows = held[article_id] = []
        for h, n in pairs:
            holding = holders[h]
            if article_id not in holding and len(holding) < COMMON_PARAGRAPH:
                holding[article_id] = n
                rows.append((h, article_id, n))
    # Every old row of the batch's articles goes at once, then the rows they have now: what
    # deleting and inserting article by article left.
    db.execute("delete from article_paragraphs where article_id in (select value from json_each(?))", [ids])
    db.conn.executemany("insert into article_paragraphs (hash, article_id, length) values (?, ?, ?)",
                        [row for article_id in links for row in held[article_id]])
    # Only the links that change are written: an article row holds its whole text, so every update
    # rewrites it, and setting what it already says (no copy, for most new articles) took a fifth
    # of this function's time.
    db.conn.executemany("update articles set copy_of = ?, copy_share = ? where id = ?",
                        [(*link, article_id) for article_id, link in links.items()
                         if article_id in stored and stored[article_id][1:] != link])


Holders = dict[int, dict[str, int]]  # paragraph hash -> {article id: paragraph length}
IndexRow = tuple[int, str, int]  # (hash, article id, length), a row of article_paragraphs


def _stored_index(db: Database, hashes: set[int]) -> tuple[Holders, dict[str, list[IndexRow]], dict[str, int]]:
    """The stored index rows of these paragraph hashes: the articles holding each hash (with the
    paragraph's length), each article's rows among them, and the rowids of those articles.  A row
    whose article is gone has no rowid: it counts towards COMMON_PARAGRAPH, as it does in the
    table, but is never copied (the per-article query joined the rows to ``articles``)."""
    holders: Holders = {h: {} for h in hashes}
    held: dict[str, list[IndexRow]] = {}
    rowids: dict[str, int] = {}
    for h, article_id, n, rowid in db.execute("""
        select article_paragraphs.hash, article_paragraphs.article_id, article_paragraphs.length, articles.rowid
        from article_paragraphs left join articles on articles.id = article_paragraphs.article_id
        where article_paragraphs.hash in (select value from json_each(?))
    """, [json.dumps(list(hashes))]):
        holders[h][article_id] = n
        held.setdefault(article_id, []).append((h, article_id, n))
        if rowid is not None:
            rowids[article_id] = rowid
    return holders, held, rowids


def _most_shared(holders: Holders, rowids: dict[str, int], article_id: str,
                 hashes: set[int]) -> tuple[str, int, int] | None:
    """(article id, characters shared, paragraphs shared) of the article stored before this one
    that holds the greatest length of these paragraphs; None if none holds any."""
    own_rowid = rowids.get(article_id)
    if own_rowid is None:
        return None
    length: dict[str, int] = {}
    count: dict[str, int] = {}
    for h in hashes:
        for other, n in holders[h].items():
            # stored before it (not itself, nor a later article, nor one that is gone)
            if rowids.get(other, own_rowid) < own_rowid:
                length[other] = length.get(other, 0) + n
                count[other] = count.get(other, 0) + 1
    if not length:
        return None
    # Ties go to the earliest stored article: where the text first appeared.  (The former query,
    # "group by article_id order by shared desc limit 1", left ties to SQLite's plan, which gave
    # the greatest id: a copy of a copy was linked to the copy, not to the original.)
    best = max(length, key=lambda other: (length[other], -rowids[other]))
    return best, length[best], count[best]


def link_stored_copies(db: Database, article_ids: Iterable[str], batch_size: int = 1000) -> None:
    """``link_copies`` for articles already stored, from their text, in the order given
    (``batch_size`` texts read at a time)."""
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), batch_size):
        chunk = article_ids[start:start + batch_size]
        texts = dict(db.execute("select id, text from articles where id in (select value from json_each(?))",
                                [json.dumps(chunk)]).fetchall())
        link_copies(db, [(article_id, paragraph_hashes(texts[article_id]))
                         for article_id in chunk if article_id in texts])
