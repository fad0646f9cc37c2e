"""Statements: the quotes, across articles, that report the same words of one speaker.

Two quotes of a speaker are one statement when most of the word trigrams of
one appear in the other: identical quotes, a fragment inside the full quote,
and small rewordings ("conduct a rapid exfiltration" / "conduct rapid
exfiltration").  Candidates come from an inverted index of trigram hashes in
the database, so a new quote is compared with a handful of statements, never
with all of them, and new articles join existing statements incrementally.
Hand-written rather than MinHash LSH (datasketch) because LSH estimates
Jaccard similarity, which is low for a fragment inside a long quote, and its
index does not live in SQLite, where incremental runs need it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import regex
from sqlite_utils import Database
from sqlite_utils.utils import hash_record

_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
SAME_STATEMENT = 0.6  # share of the shorter quote's trigrams found in the other
SAME_WORDS = 0.8  # the same words from another speaker: flagged, not merged
COMMON_SHINGLE = 500  # a trigram in more statements than this says nothing ("i think that")
CANDIDATES = 20


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def shingles(text: str) -> set[int]:
    """Hashes of the word trigrams of ``text`` (of the whole text when shorter)."""
    tokens = words(text)
    grams = [" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)] or [" ".join(tokens)]
    return {_hash(g) for g in grams if g}


def _hash(gram: str) -> int:
    # 63 bits, so that SQLite stores it as an integer
    return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def overlap(shared: int, mine: int, theirs: int) -> float:
    """How much of the shorter of two trigram sets the other holds."""
    return shared / max(1, min(mine, theirs))


def statement_id(speaker_id: str | None, quote_id: str) -> str:
    return hash_record({"speaker": speaker_id or "", "first_quote": quote_id})[:16]


def assign(db: Database, quote_ids: Iterable[str] | None = None) -> set[str]:
    """Give every quote without a statement one (joining or founding); returns the statements touched."""
    where = "statement_id is null" if quote_ids is None else "id in (select value from json_each(?))"
    params = [] if quote_ids is None else [_json(list(quote_ids))]
    # in the order articles were stored, so that batching does not change which quote founds a statement
    rows = db.execute(f"select quotes.id, quotes.speaker_id, quotes.text from quotes join articles "
                      f"on articles.id = quotes.article_id where quotes.{where} "
                      f"order by articles.rowid, quotes.char_start", params)
    index = _Index(db)
    touched: set[str] = set()
    # a chunk at a time (the ordered rows sit in SQLite's sorter, unaffected by the updates)
    while chunk := rows.fetchmany(10000):
        for quote_id, speaker, text in chunk:
            grams = shingles(text)
            match, flagged = index.best_match(speaker, grams)
            if match is None:
                match = statement_id(speaker, quote_id)
                index.found(match, speaker, text, len(grams))
            index.add(quote_id, match, grams, flagged)
            touched.add(match)
    index.flush()
    return touched


class _Index:
    """The trigram index, read from the database as needed and written back in bulk.

    Postings stop growing at COMMON_SHINGLE statements: a trigram that common
    ("i think that") finds nothing, and a bounded list keeps every look-up cheap.
    """

    FLUSH_EVERY = 20000  # quotes; bounds the memory of a long run

    def __init__(self, db: Database) -> None:
        self.db = db
        self.postings: dict[int, list[str]] = {}
        self.statements: dict[str, tuple[str | None, int]] = {}  # id -> (speaker, trigram count)
        self.new_statements: list[tuple] = []
        self.quotes: list[tuple[str, str]] = []
        self.shingles: list[tuple[int, str]] = []
        self.echoes: list[tuple[str, str]] = []

    def best_match(self, speaker: str | None, grams: set[int]) -> tuple[str | None, list[str]]:
        """The statement of this speaker that holds these words, and other speakers' statements with them."""
        self._load(grams)
        shared: dict[str, int] = {}
        for gram in grams:
            posting = self.postings[gram]
            if len(posting) <= COMMON_SHINGLE:
                for sid in posting:
                    shared[sid] = shared.get(sid, 0) + 1
        candidates = sorted(shared.items(), key=lambda item: -item[1])[:CANDIDATES]
        self._load_statements([sid for sid, _ in candidates])
        best, best_score, flagged = None, 0.0, []
        for sid, count in candidates:
            other_speaker, size = self.statements[sid]
            score = overlap(count, len(grams), size)
            if other_speaker == speaker and speaker is not None:
                if score >= SAME_STATEMENT and score > best_score:
                    best, best_score = sid, score
            elif score >= SAME_WORDS and (len(grams) > 2 or count == len(grams)):
                flagged.append(sid)
        return best, flagged

    def found(self, sid: str, speaker: str | None, text: str, size: int) -> None:
        self.statements[sid] = (speaker, size)
        self.new_statements.append((sid, speaker, text, size))

    def add(self, quote_id: str, sid: str, grams: set[int], flagged: list[str]) -> None:
        self.quotes.append((sid, quote_id))
        for gram in grams:
            posting = self.postings[gram]
            if sid not in posting and len(posting) <= COMMON_SHINGLE:
                posting.append(sid)
                self.shingles.append((gram, sid))
        for other in flagged:
            self.echoes += [(sid, other), (other, sid)]
        if len(self.quotes) >= self.FLUSH_EVERY:
            self.flush()

    def _load(self, grams: set[int]) -> None:
        missing = [g for g in grams if g not in self.postings]
        if not missing:
            return
        for gram in missing:
            self.postings[gram] = []
        rows = self.db.execute("select hash, statement_id from statement_shingles "
                               "where hash in (select value from json_each(?))", [_json(missing)])
        for gram, sid in rows.fetchall():
            self.postings[gram].append(sid)

    def _load_statements(self, ids: list[str]) -> None:
        missing = [sid for sid in ids if sid not in self.statements]
        if missing:
            rows = self.db.execute("select id, speaker_id, shingle_count from statements "
                                   "where id in (select value from json_each(?))", [_json(missing)])
            for sid, speaker, size in rows.fetchall():
                self.statements[sid] = (speaker, size or 0)

    def flush(self) -> None:
        conn = self.db.conn
        conn.executemany("insert or ignore into statements (id, speaker_id, text, shingle_count) values (?, ?, ?, ?)",
                         self.new_statements)
        conn.executemany("update quotes set statement_id = ? where id = ?", self.quotes)
        conn.executemany("insert or ignore into statement_shingles (hash, statement_id) values (?, ?)", self.shingles)
        conn.executemany("insert or ignore into statement_echoes (statement_id, other_id) values (?, ?)", self.echoes)
        self.new_statements, self.quotes, self.shingles, self.echoes = [], [], [], []
        self.postings.clear()
        self.statements.clear()


def _json(values: list) -> str:
    import json

    return json.dumps(values)


def refresh(db: Database, statements: Iterable[str] | None = None) -> None:
    """Recompute counts, dates, variants and canonical text of statements (all, or the touched ones)."""
    db.execute("delete from statements where id not in (select statement_id from quotes where statement_id is not null)")
    db.execute("delete from statement_shingles where statement_id not in (select id from statements)")
    db.execute("delete from statement_echoes where statement_id not in (select id from statements) "
               "or other_id not in (select id from statements)")
    where = "" if statements is None else "where statements.id in (select value from json_each(:ids))"
    params = {} if statements is None else {"ids": _json(sorted(statements))}
    db.execute(f"""
        update statements set
          quote_count = (select count(*) from quotes where quotes.statement_id = statements.id),
          article_count = (select count(distinct article_id) from quotes where quotes.statement_id = statements.id),
          independent_article_count = (select count(distinct quotes.article_id) from quotes
              join articles on articles.id = quotes.article_id
              where quotes.statement_id = statements.id and (articles.copy_of is null or articles.copy_of not in
                (select article_id from quotes q2 where q2.statement_id = statements.id))),
          outlet_count = (select count(distinct articles.outlet) from quotes join articles
              on articles.id = quotes.article_id where quotes.statement_id = statements.id),
          first_seen = (select min(coalesce(articles.published, articles.ingested)) from quotes
              join articles on articles.id = quotes.article_id where quotes.statement_id = statements.id),
          last_seen = (select max(coalesce(articles.published, articles.ingested)) from quotes
              join articles on articles.id = quotes.article_id where quotes.statement_id = statements.id),
          text = (select text from quotes where quotes.statement_id = statements.id
              order by length(text) desc, id limit 1),
          variants = (select json_group_array(text) from (select distinct text from quotes
              where quotes.statement_id = statements.id order by length(text) desc)),
          same_words_as = (select json_group_array(other_id) from statement_echoes
              where statement_echoes.statement_id = statements.id)
        {where}
    """, params)
