"""Statements: the quotes, across articles, that report the same words of one speaker.

Two quotes of a speaker are one statement when most of the word trigrams of
one appear in the other: identical quotes, a fragment inside the full quote,
and small rewordings ("conduct a rapid exfiltration" / "conduct rapid
exfiltration").  Candidates come from an inverted index, in the database, of
each statement's anchors (a quarter of its trigrams, chosen by hash so that
every quote holding a trigram agrees on it); they are then compared exactly
with the statement's stored trigrams.  A new quote is compared with a handful
of statements, never with all of them, and new articles join existing
statements incrementally.
Hand-written rather than MinHash LSH (datasketch) because LSH estimates
Jaccard similarity, which is low for a fragment inside a long quote, and its
index does not live in SQLite, where incremental runs need it.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import chain

import regex
from sqlite_utils import Database

from .caches import RunCache
from .selection import selection

_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
SAME_STATEMENT = 0.6  # share of the shorter quote's trigrams found in the other
SAME_WORDS = 0.8  # the same words from another speaker: flagged, not merged
SAMPLE = 4  # one trigram in SAMPLE is indexed (anchors): the index is a quarter of all trigrams
COMMON_SHINGLE = 50  # a trigram in more statements than this says nothing ("i think that")
CANDIDATES = 8  # statements checked exactly, those sharing the most anchors
FULL_ANCHORS_KEPT = 1_000_000  # at most (about 60 MB) in StatementCache.full
_FULL_POSTING: list[str] = [""] * (COMMON_SHINGLE + 1)  # stands for a full posting not read: never added to


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def shingles(text: str) -> set[int]:
    """Hashes of the word trigrams of ``text`` (of the whole text when shorter): 63 bits of
    BLAKE2b, so that SQLite stores them as integers."""
    tokens = words(text)
    grams = [" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)] or [" ".join(tokens)]
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return {from_bytes(blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") >> 1 for g in grams if g}


def overlap(shared: int, mine: int, theirs: int) -> float:
    """How much of the shorter of two trigram sets the other holds."""
    return shared / max(1, min(mine, theirs))


def statement_id(speaker_id: str | None, quote_id: str) -> str:
    # hash_record({"speaker": speaker_id or "", "first_quote": quote_id})[:16], its JSON written here
    # (ids are hexadecimal: nothing to escape); json.dumps cost more than the rest of it
    canonical = f'{{"first_quote":"{quote_id}","speaker":"{speaker_id or ""}"}}'
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


def anchors(grams: Iterable[int]) -> list[int]:
    """The trigrams a statement is found by: those whose hash is a multiple of SAMPLE (the same ones
    in every quote that has them, so a fragment finds the full quote), else the smallest one."""
    grams = list(grams)
    return [g for g in grams if not g % SAMPLE] or grams and [min(grams)]


QuoteWords = tuple[str, "str | None", str, bytes]  # (quote id, speaker id, text, packed trigram hashes)


class StatementCache(RunCache[tuple[str | None, Collection[int]]]):
    """The speaker and trigrams of statements read or founded by earlier batches of a run: popular
    statements are candidates again and again, and reading them was a third of matching.

    Both never change once a statement exists, and a statement is only looked up when the
    stored index points at it; the cache is emptied anyway when another connection has
    written (``pragma data_version``), since a user's merge can change a speaker."""

    def __init__(self, size: int = 50_000) -> None:  # about 40 MB
        super().__init__(size)
        # Anchors whose posting is full (more than COMMON_SHINGLE statements): it never changes
        # again within a run, and matching ignores it, so it is not read again.  Half of a batch's
        # anchors and 95% of the rows it read at 100,000 articles (0.63 s a batch, 0.05 s without).
        self.full: set[int] = set()

    def check(self, db: Database) -> None:
        before = self.version
        super().check(db)
        if self.version != before:
            self.full.clear()

    def clear(self) -> None:
        super().clear()
        self.full.clear()

    def note_full(self, grams: Iterable[int]) -> None:
        if len(self.full) < FULL_ANCHORS_KEPT:
            self.full.update(grams)


def match(db: Database, quotes: list[QuoteWords], cache: StatementCache | None = None,
          seen: Mapping[str, tuple[str | None, str | None]] | None = None) -> tuple[dict[str, str], set[str]]:
    """The statement of each quote, joining one or founding one, in order (each quote sees the
    ones before it); returns (statement by quote id, statements to refresh).  Writes the new
    statements and their index rows, not the quotes.  ``cache`` keeps statements for the
    next batches.

    With ``seen``, the (outlet, date) of each quote's article, a statement founded by a quote
    is stored with its counts, dates and variants, as ``refresh`` would compute them for one
    quote, and is to refresh only if a later quote joins it or it shares words with another
    speaker's: most statements have one quote, and refreshing them all at the end of a run was
    most of its last transaction.  Without it, every statement touched is to refresh."""
    trigrams_of = [unpack(packed) for *_, packed in quotes]
    sampled_of = [anchors(trigrams) for trigrams in trigrams_of]
    cache = cache or StatementCache()
    cache.check(db)
    index = _Index(db, cache)
    index.prefetch(sampled_of)
    found: dict[str, str] = {}
    to_refresh: set[str] = set()
    for position, ((quote_id, speaker, text, packed), trigrams, sampled) in enumerate(
            zip(quotes, trigrams_of, sampled_of)):
        grams = frozenset(trigrams)
        match_id, flagged = index.best_match(speaker, grams, sampled, position)
        if match_id is None:
            match_id = statement_id(speaker, quote_id)
            founding = seen.get(quote_id) if seen is not None else None
            index.found(match_id, speaker, text, grams, packed, founding)
            if founding is None or flagged:
                to_refresh.add(match_id)
        else:
            to_refresh.add(match_id)
        index.add(match_id, sampled, flagged)
        to_refresh.update(flagged)
        found[quote_id] = match_id
    index.flush()
    return found, to_refresh


def assign(db: Database) -> set[str]:
    """Give every stored quote without a statement one (joining or founding); the statements touched."""
    # in the order articles were stored, so that batching does not change which quote founds a statement
    rows = db.execute("select quotes.id, quotes.speaker_id, quotes.text from quotes join articles "
                      "on articles.id = quotes.article_id where quotes.statement_id is null "
                      "order by articles.rowid, quotes.char_start")
    touched: set[str] = set()
    # a chunk at a time (the ordered rows sit in SQLite's sorter, unaffected by the updates)
    while chunk := rows.fetchmany(5000):
        found, changed = match(db, [(qid, speaker, text, pack(shingles(text))) for qid, speaker, text in chunk])
        db.conn.executemany("update quotes set statement_id = ? where id = ?", [(s, q) for q, s in found.items()])
        touched |= changed
    return touched


class _Index:
    """The anchor index, read from the database for a batch of quotes and written back in bulk.

    Postings stop growing at COMMON_SHINGLE statements: a trigram that common
    ("i think that") finds nothing, and a bounded list keeps every look-up cheap.
    """

    def __init__(self, db: Database, cache: StatementCache) -> None:
        self.db, self.cache = db, cache
        self.postings: dict[int, list[str]] = {}
        # id -> (speaker, trigrams): a set, or the stored array itself (most are read once, and
        # intersecting with it spares building a set)
        self.statements: dict[str, tuple[str | None, Collection[int]]] = {}
        self.new_statements: list[tuple] = []
        self.anchors: list[tuple[int, str]] = []
        self.echoes: list[tuple[str, str]] = []
        self.prefetched: list[list[str]] = []  # each quote's candidate statements in the stored index
        self.grown: set[int] = set()  # anchors whose postings this batch added to

    def prefetch(self, sampled_of: list[list[int]]) -> None:
        """Load, in two queries, the postings of these quotes' anchors and the statements they lead to."""
        wanted = {g for sampled in sampled_of for g in sampled}
        known_full = wanted & self.cache.full
        grams = sorted(wanted - known_full)
        for gram in grams:
            self.postings[gram] = []
        for gram in known_full:
            self.postings[gram] = _FULL_POSTING
        rows = self.db.execute("select hash, statement_id from statement_shingles "
                               "where hash in (select value from json_each(?))", [_int_list(grams)])
        for gram, sid in rows.fetchall():
            self.postings[gram].append(sid)
        self.cache.note_full([gram for gram in grams if len(self.postings[gram]) > COMMON_SHINGLE])
        self.prefetched = [self._candidates(sampled) for sampled in sampled_of]
        self._load_statements(sorted({sid for candidates in self.prefetched for sid in candidates}))

    def _candidates(self, sampled: list[int]) -> list[str]:
        """Statements sharing anchors with a quote's anchors, most shared first.  A quote looks only
        at its own anchors: a statement shares trigrams with it only if it shares anchors, since
        both sample trigrams by the same rule (bar quotes too short to have a sampled trigram,
        which find only their exact repetition)."""
        get = self.postings.get
        postings = [p for gram in sampled if (p := get(gram)) and len(p) <= COMMON_SHINGLE]
        # most quotes lead nowhere or down one list (all of it shared once): no counting needed
        if len(postings) <= 1:
            return sorted(postings[0])[:CANDIDATES] if postings else []
        shared = Counter(chain.from_iterable(postings))
        # ties by id: which statements are looked at must not depend on the order they were loaded in
        # (sorted by id, then by count: the sort is stable, and both sorts run in C)
        candidates = sorted(shared)
        candidates.sort(key=shared.__getitem__, reverse=True)
        return candidates[:CANDIDATES]

    def best_match(self, speaker: str | None, grams: frozenset[int], sampled: list[int],
                   position: int) -> tuple[str | None, list[str]]:
        """The statement of this speaker that holds these words (the quote at ``position`` of the
        prefetched ones), and other speakers' statements with them."""
        # the candidates found when prefetching, unless quotes before this one added to its postings
        candidates = self.prefetched[position] if self.grown.isdisjoint(sampled) else self._candidates(sampled)
        self._load_statements([sid for sid in candidates if sid not in self.statements])
        best, best_score, flagged = None, 0.0, []
        for sid in candidates:
            other_speaker, theirs = self.statements[sid]
            count = len(grams.intersection(theirs))
            score = overlap(count, len(grams), len(theirs))
            if other_speaker == speaker and speaker is not None:
                if score >= SAME_STATEMENT and score > best_score:
                    best, best_score = sid, score
            elif score >= SAME_WORDS and (len(grams) > 2 or count == len(grams)):
                flagged.append(sid)
        return best, flagged

    def found(self, sid: str, speaker: str | None, text: str, grams: frozenset[int], packed: bytes,
              seen: tuple[str | None, str | None] | None) -> None:
        """A statement founded by a quote with these trigrams (``packed`` as ``pack`` writes them)."""
        self.statements[sid] = (speaker, grams)
        self.cache.put(sid, (speaker, unpack(packed)))  # packed: a tenth of the set's memory
        if seen is None:
            self.new_statements.append((sid, speaker, text, len(grams), packed) + (None,) * 8)
        else:
            outlet, date = seen
            self.new_statements.append((sid, speaker, text, len(grams), packed, 1, 1, 1, int(outlet is not None),
                                        date, date, "[]", text))

    def add(self, sid: str, sampled: list[int], flagged: list[str]) -> None:
        for gram in sampled:
            posting = self.postings.setdefault(gram, [])
            if len(posting) <= COMMON_SHINGLE and sid not in posting:
                posting.append(sid)
                self.anchors.append((gram, sid))
                self.grown.add(gram)
        for other in flagged:
            self.echoes += [(sid, other), (other, sid)]

    def _load_statements(self, ids: list[str]) -> None:
        missing = []
        for sid in ids:
            entry = self.cache.get(sid)
            if entry is None:
                missing.append(sid)
            else:
                self.statements[sid] = entry
        if missing:
            # the text only for statements stored before the trigrams were kept
            rows = self.db.execute("select id, speaker_id, shingles, case when shingles is null then text end "
                                   "from statements where id in (select value from json_each(?))",
                                   [json.dumps(missing)])
            for sid, speaker, packed, text in rows.fetchall():
                entry = (speaker, unpack(packed) if packed else frozenset(shingles(text or "")))
                self.statements[sid] = entry
                self.cache.put(sid, entry)

    def flush(self) -> None:
        conn = self.db.conn
        # the variants of one quote: json_array, as in refresh (json.dumps escapes otherwise)
        conn.executemany("insert or ignore into statements (id, speaker_id, text, shingle_count, shingles, "
                         "quote_count, article_count, independent_article_count, outlet_count, first_seen, "
                         "last_seen, same_words_as, variants) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "case when ?13 is null then null else json_array(?13) end)", self.new_statements)
        conn.executemany("insert or ignore into statement_shingles (hash, statement_id) values (?, ?)", self.anchors)
        conn.executemany("insert or ignore into statement_echoes (statement_id, other_id) values (?, ?)", self.echoes)
        self.new_statements, self.anchors, self.echoes = [], [], []


def _int_list(values: list[int]) -> str:
    return f"[{','.join(map(str, values))}]"  # JSON, several times faster than json.dumps for ints


def pack(grams: Iterable[int]) -> bytes:
    """Trigram hashes as sorted 64-bit integers: a tenth of the memory of a set or list of ints."""
    return array("q", sorted(grams)).tobytes()


def unpack(packed: bytes) -> Sequence[int]:
    return memoryview(packed).cast("q")



def refresh(db: Database, statements: Iterable[str] | None = None, queued: bool = False) -> None:
    """Recompute counts, dates, variants and canonical text of statements (all, the given ones,
    or with ``queued`` those queued in pending_refresh); drop the ones left without quotes."""
    chosen, params = selection(statements, "statement" if queued else None)
    among = f"and id in {chosen}" if chosen else ""
    db.execute(f"delete from statements where not exists (select 1 from quotes where quotes.statement_id = "
               f"statements.id) {among}", params)
    partners: list[str] = []  # statements whose echoes lost a dropped statement
    if chosen:
        # Echoes are stored both ways: the rows naming a dropped statement as the other are found
        # from its own rows, by the primary key (looking them up by other_id read every echo).
        dropped = (f"statement_id in {chosen} and not exists (select 1 from statements "
                   f"where statements.id = statement_echoes.statement_id)")
        partners = [row[0] for row in db.execute(f"select other_id from statement_echoes where {dropped}", params)]
        db.execute(f"delete from statement_echoes where (statement_id, other_id) in "
                   f"(select other_id, statement_id from statement_echoes where {dropped})", params)
    orphans = [("statement_shingles", "statement_id"), ("statement_echoes", "statement_id")]
    for table, column in orphans if chosen else [*orphans, ("statement_echoes", "other_id")]:
        among = f"and {column} in {chosen}" if chosen else ""
        db.execute(f"delete from {table} where not exists (select 1 from statements where statements.id = "
                   f"{table}.{column}) {among}", params)
    # Counts and dates in one grouped pass; a statement of one quote (most of them) is then done.
    quoted = f"where quotes.statement_id in {chosen}" if chosen else ""
    db.execute(f"""
        update statements set quote_count = agg.quotes, article_count = agg.articles,
          independent_article_count = agg.articles, outlet_count = agg.outlets,
          first_seen = agg.first_seen, last_seen = agg.last_seen, same_words_as = '[]',
          text = case when agg.quotes = 1 then agg.one_text else statements.text end,
          variants = case when agg.quotes = 1 then json_array(agg.one_text) else statements.variants end
        from (select quotes.statement_id as id, count(*) as quotes, count(distinct quotes.article_id) as articles,
                count(distinct articles.outlet) as outlets,
                min(coalesce(articles.published, articles.ingested)) as first_seen,
                max(coalesce(articles.published, articles.ingested)) as last_seen, max(quotes.text) as one_text
              from quotes join articles on articles.id = quotes.article_id {quoted}
              group by quotes.statement_id) as agg
        where statements.id = agg.id
    """, params)
    among = f"and statements.id in {chosen}" if chosen else ""
    db.execute(f"""
        update statements set
          independent_article_count = (select count(distinct quotes.article_id) from quotes
              join articles on articles.id = quotes.article_id
              where quotes.statement_id = statements.id and (articles.copy_of is null or articles.copy_of not in
                (select article_id from quotes q2 where q2.statement_id = statements.id))),
          text = (select text from quotes where quotes.statement_id = statements.id
              order by length(text) desc, id limit 1),
          variants = (select json_group_array(text) from (select distinct text from quotes
              where quotes.statement_id = statements.id order by length(text) desc, text))
        where quote_count > 1 {among}
    """, params)
    echoed = f"where statement_id in {chosen}" if chosen else ""
    db.execute(f"""
        update statements set same_words_as = (select json_group_array(other_id) from (select other_id
              from statement_echoes where statement_echoes.statement_id = statements.id order by other_id))
        where id in (select statement_id from statement_echoes {echoed})
           or id in (select value from json_each(:partners))
    """, {**params, "partners": json.dumps(partners)})
