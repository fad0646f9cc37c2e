"""Statements across articles, and articles that copy each other (issue 7)."""

import json
from pathlib import Path

from sqlite_utils import Database
from typer.testing import CliRunner

import quotetrack.copies
from helpers import write_article
from quotetrack.cli import app
from quotetrack.copies import link_copies, paragraph_hashes
from quotetrack.db import ensure_db_shape, transaction
from quotetrack.formats import Article
from quotetrack.records import prepare
from quotetrack.statements import overlap, refresh, shingles, unpack

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
runner = CliRunner()


def extract(db_path, *folders):
    result = runner.invoke(app, ["extract", str(db_path), *map(str, folders)])
    assert result.exit_code == 0, result.output
    return Database(db_path)


def statement_of(db, words):
    return db.execute("select statement_id from quotes where text like ?", [f"%{words}%"]).fetchall()


def test_trigram_overlap_measures_the_shorter_text():
    full = shingles("We will demonstrate the capability to deploy rapidly and assault a target")
    part = shingles("demonstrate the capability to deploy rapidly")
    assert part <= full
    assert overlap(len(part & full), len(part), len(full)) == 1.0
    other = shingles("The weather is fine and the sea is calm today")
    assert overlap(len(other & full), len(other), len(full)) == 0.0


def test_prepared_quotes_carry_their_trigrams_packed():
    # 8 bytes a trigram, not a list of int objects: what the writer holds for a batch in flight
    text = (DATA / "russia-releases-video-of-military-drills.txt").read_text("utf-8")
    prepared = prepare(Article(doc_id="a", text=text, source="a.txt"), "v", "key", "digest")
    assert len(prepared.quotes) > 3
    for quote in prepared.quotes:
        assert isinstance(quote.shingles, bytes) and len(quote.shingles) % 8 == 0
        assert list(unpack(quote.shingles)) == sorted(shingles(quote.row["text"]))


def test_identical_partial_and_reworded_quotes_join_one_statement(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt",
                  "One\n\n“Our forces will demonstrate the capability to deploy rapidly, assault a target "
                  "with integrated air and ground forces, and conduct a rapid exfiltration,” said Navy Capt. "
                  "Bill Urban.\n")
    write_article(folder / "b.txt",
                  "Two\n\nCapt. Bill Urban said the drill would “demonstrate the capability to deploy "
                  "rapidly, assault a target with integrated air and ground forces and conduct rapid "
                  "exfiltration.”\n")
    write_article(folder / "c.txt",
                  "Three\n\nBill Urban said the forces would “demonstrate the capability to deploy "
                  "rapidly.”\n")
    write_article(folder / "d.txt",
                  "Four\n\n“Our forces will demonstrate the capability to deploy rapidly, assault a target "
                  "with integrated air and ground forces, and conduct a rapid exfiltration,” said Navy Capt. "
                  "Bill Urban.\n")
    db = extract(tmp_path / "q.db", folder)
    ids = {row[0] for row in statement_of(db, "demonstrate the capability")}
    assert len(ids) == 1
    row = db.execute("select quote_count, article_count, text, variants from statements where id = ?",
                     list(ids)).fetchone()
    assert row[0] == 4 and row[1] == 4
    assert row[2].startswith("Our forces will demonstrate")  # the longest wording is canonical
    assert len(json.loads(row[3])) == 3


def test_different_statements_and_speakers_stay_apart(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt",
                  "One\n\n“The talks have failed and we are leaving the table now,” Ann Cole said.\n"
                  "“The budget will be balanced by the end of next year,” Ann Cole said.\n")
    write_article(folder / "b.txt",
                  "Two\n\n“The talks have failed and we are leaving the table now,” Mark Dale said.\n")
    db = extract(tmp_path / "q.db", folder)
    talks = {row[0] for row in statement_of(db, "talks have failed")}
    budget = {row[0] for row in statement_of(db, "budget will be balanced")}
    assert len(talks) == 2 and not talks & budget  # same words, two speakers: not merged ...
    flagged = [json.loads(row[0]) for row in db.execute(
        "select same_words_as from statements where id in (select value from json_each(?))",
        [json.dumps(sorted(talks))])]
    assert all(len(others) == 1 for others in flagged)  # ... but flagged


def test_statements_of_one_quote_are_stored_as_a_full_refresh_computes_them(tmp_path):
    # statements founded by one quote are stored complete and not refreshed at the end of the run
    db = extract(tmp_path / "q.db", DATA)
    stored = list(db.query("select * from statements order by id"))
    assert sum(row["quote_count"] == 1 for row in stored) > 10
    assert all(row["variants"] and row["first_seen"] and row["quote_count"] for row in stored)
    with transaction(db):
        refresh(db)
    assert list(db.query("select * from statements order by id")) == stored


def test_a_stored_statement_lists_a_new_speakers_statement_with_its_words(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_article(first / "a.txt",
                  "One\n\n“The talks have failed and we are leaving the table now,” Ann Cole said.\n")
    db_path = tmp_path / "q.db"
    extract(db_path, first)
    write_article(second / "b.txt",
                  "Two\n\n“The talks have failed and we are leaving the table now,” Mark Dale said.\n")
    db = extract(db_path, first, second)
    rows = db.execute("select id, same_words_as from statements order by first_seen, id").fetchall()
    assert len(rows) == 2
    (one, one_echoes), (other, other_echoes) = rows
    assert {tuple(json.loads(one_echoes)), tuple(json.loads(other_echoes))} == {(one,), (other,)}


def test_a_dropped_statement_leaves_no_echo_behind(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt",
                  "One\n\n“The talks have failed and we are leaving the table now,” Ann Cole said.\n")
    write_article(folder / "b.txt",
                  "Two\n\n“The talks have failed and we are leaving the table now,” Mark Dale said.\n")
    db_path = tmp_path / "q.db"
    db = extract(db_path, folder)
    assert db["statement_echoes"].count == 2
    write_article(folder / "b.txt", "Two\n\nMark Dale said nothing at all.\n")  # his quote is gone
    db = extract(db_path, folder)
    assert db.execute("select count(*), max(same_words_as) from statements").fetchone() == (1, "[]")
    assert db["statement_echoes"].count == 0


def test_new_articles_join_existing_statements_and_reruns_change_nothing(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_article(first / "a.txt",
                  "One\n\nThe Russian ministry said the preparations are “the latest evidence of the US "
                  "intention” to strike.\n")
    db_path = tmp_path / "q.db"
    db = extract(db_path, first)
    before = db.execute("select id from statements").fetchall()
    write_article(second / "b.txt", "Two\n\nThe Russian Defense Ministry said it was “the latest evidence of the US "
                                    "intention.”\n")
    db = extract(db_path, first, second)
    after = db.execute("select id, quote_count, article_count from statements").fetchall()
    assert [row[0] for row in after] == [row[0] for row in before]
    assert after[0][1:] == (2, 2)
    snapshot = list(db.query("select * from statements order by id"))
    db = extract(db_path, first, second)
    assert list(db.query("select * from statements order by id")) == snapshot


def test_sample_statements_span_both_articles_and_copies_are_marked(tmp_path):
    db = extract(tmp_path / "q.db", DATA)
    for words in ("demonstrate the capability to", "the latest evidence of the US", "chemical weapons attack",
                  "final stage"):
        rows = statement_of(db, words)
        assert len({row[0] for row in rows}) == 1, words
        count = db.execute("select article_count from statements where id = ?", [rows[0][0]]).fetchone()[0]
        assert count == 2, words
    ids = [row[0] for row in db.execute("select distinct statement_id from quotes where statement_id is not null")]
    texts = [db.execute("select text from statements where id = ?", [i]).fetchone()[0] for i in ids]
    assert len(set(texts)) == len(texts)  # no two statements collapsed into one text
    copy = db.execute("select doc_id, copy_of, copy_share from articles where copy_of is not null").fetchall()
    assert [row[0] for row in copy] == ["russia-releases-video-of-military-drills.txt"]
    assert 0.05 < copy[0][2] < 1.0  # a share of the text, shared paragraph by paragraph


def test_paragraph_hashes_ignore_short_lines_and_spacing():
    text = "Photo: Reuters\n" + "A long paragraph about the drills that lasted all week in the eastern sea." * 2
    spaced = text.replace(" ", "  ").upper()
    assert paragraph_hashes(text) == paragraph_hashes(spaced)
    assert len(paragraph_hashes(text)) == 1


def paragraph(topic):
    """A paragraph long enough to be indexed, about ``topic``."""
    return (f"The council debated {topic} for most of the evening, and the vote on {topic} "
            f"was put off until the meeting next month.")


BOILERPLATE = "Sign up for our newsletter to receive the most important local stories in your inbox every morning."


def links_and_index(db):
    """Each article's copy link and share, and the paragraph index, by document id."""
    links = db.execute("select a.doc_id, b.doc_id, a.copy_share from articles a "
                       "left join articles b on b.id = a.copy_of order by a.doc_id").fetchall()
    index = db.execute("select hash, doc_id, length from article_paragraphs "
                       "join articles on articles.id = article_id order by hash, doc_id").fetchall()
    return links, index


def test_copies_found_in_one_batch_are_those_found_one_article_at_a_time(tmp_path, monkeypatch):
    """The writer links a whole batch at once; each article must still see those before it in
    the batch, and the boilerplate cap count their rows, as if they came one per batch."""
    monkeypatch.setattr(quotetrack.copies, "COMMON_PARAGRAPH", 3)
    texts = {
        "a.txt": ["ferries", "taxes", "parks", "roads"],
        "b.txt": ["schools", "libraries", "housing", "water"],
        "c.txt": ["ferries", "taxes", "parks", "budget"],  # copies a, in the same batch
        "d.txt": ["schools", "libraries", "police"],  # copies b; the boilerplate is at the cap
        "e.txt": ["police", "budget", "ferries"],  # shares most with c
    }
    edits = {"a.txt": ["harbour", "taxes", "parks", "roads"],  # changed: its old rows go
             "d.txt": ["harbour", "roads", "police"]}  # now copies the changed a

    folder = tmp_path / "in"
    results = []
    for name, options in (("batch.db", []), ("single.db", ["--batch-size", "1"])):
        runs = []
        for topics in (texts, {**texts, **edits}):
            for file_name, about in topics.items():
                write_article(folder / file_name, f"{file_name} title\n\n" + "\n".join(map(paragraph, about))
                              + f"\n{BOILERPLATE}\n")
            result = runner.invoke(app, ["extract", str(tmp_path / name), str(folder), "--jobs", "1", *options])
            assert result.exit_code == 0, result.output
            runs.append(links_and_index(Database(tmp_path / name)))
        results.append(runs)
    assert results[0] == results[1]
    links, index = results[0][0]
    assert [(doc, copy) for doc, copy, _ in links] == [
        ("a.txt", None), ("b.txt", None), ("c.txt", "a.txt"), ("d.txt", "b.txt"), ("e.txt", "c.txt")]
    boilerplate = paragraph_hashes(BOILERPLATE)[0][0]
    assert [doc for h, doc, _ in index if h == boilerplate] == ["a.txt", "b.txt", "c.txt"]
    links, index = results[0][1]
    ferries = paragraph_hashes(paragraph("ferries"))[0][0]
    assert [doc for h, doc, _ in index if h == ferries] == ["c.txt", "e.txt"]
    assert [doc for h, doc, _ in index if h == boilerplate] == ["a.txt", "b.txt", "c.txt"]
    assert ("d.txt", "a.txt") in [(doc, copy) for doc, copy, _ in links]


def test_a_tie_for_most_shared_goes_to_the_earliest_stored_article(tmp_path):
    """The original, not a copy of it, nor the greatest or smallest id."""
    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    shared = paragraph_hashes(paragraph("ferries") + "\n" + paragraph("taxes"))
    for article_id in ("m", "z", "a"):
        db["articles"].insert({"id": article_id, "doc_id": article_id, "text": "..."})
    link_copies(db, [(article_id, shared) for article_id in ("m", "z", "a")])
    assert db.execute("select id, copy_of from articles order by rowid").fetchall() == [
        ("m", None), ("z", "m"), ("a", "m")]


def test_statements_command(tmp_path):
    db_path = tmp_path / "q.db"
    extract(db_path, DATA)
    result = runner.invoke(app, ["statements", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["article_count"] == 2
    assert {"text", "speaker", "quote_count", "article_count", "outlet_count", "first_seen", "variants"} <= set(rows[0])
    urban = runner.invoke(app, ["statements", str(db_path), "--speaker", "Urban", "--json"])
    assert {row["speaker"] for row in json.loads(urban.stdout)} == {"Bill Urban"}


def test_quote_and_statement_ids_are_the_content_hashes_sqlite_utils_would_give():
    """The hot path writes the canonical JSON itself: ids must stay hash_record's."""
    from sqlite_utils.utils import hash_record

    from quotetrack.records import quote_id
    from quotetrack.statements import statement_id

    assert quote_id("0a1b2c3d4e5f6789", 12, 345) == hash_record(
        {"article_id": "0a1b2c3d4e5f6789", "char_start": 12, "char_end": 345})[:16]
    for speaker in ("9f8e7d6c5b4a3210", None):
        assert statement_id(speaker, "0123456789abcdef") == hash_record(
            {"speaker": speaker or "", "first_quote": "0123456789abcdef"})[:16]


def test_statements_are_kept_between_batches_until_another_connection_writes(tmp_path):
    import sqlite3

    from quotetrack.db import ensure_db_shape, transaction
    from quotetrack.statements import StatementCache, match, pack

    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    words = "demonstrate the capability to deploy rapidly and assault a target"
    cache = StatementCache()
    with transaction(db):
        first, _ = match(db, [("q1", "urban", words, pack(shingles(words)))], cache)
    assert cache.get(first["q1"]) is not None
    # the next batch finds it, through the cache, as it would through the database
    with transaction(db):
        again, _ = match(db, [("q2", "urban", words, pack(shingles(words)))], cache)
    assert again["q2"] == first["q1"]
    # a user's merge (another connection) gives the statement another speaker: nothing stale is used
    other = sqlite3.connect(tmp_path / "q.db")
    other.execute("update statements set speaker_id = 'cook'")
    other.commit()
    other.close()
    with transaction(db):
        moved, _ = match(db, [("q3", "urban", words, pack(shingles(words))),
                              ("q4", "cook", words, pack(shingles(words)))], cache)
    assert moved["q3"] != first["q1"] and moved["q4"] == first["q1"]


def test_statement_cache_is_bounded():
    from quotetrack.statements import StatementCache

    cache = StatementCache(size=2)
    for sid in ("a", "b"):
        cache.put(sid, (None, frozenset({1})))
    cache.get("a")  # used: b is now the oldest
    cache.put("c", (None, frozenset({2})))
    assert set(cache.entries) == {"a", "c"}


def test_candidates_are_ranked_by_shared_anchors_then_by_id():
    from quotetrack.statements import CANDIDATES, COMMON_SHINGLE, StatementCache, _Index

    index = _Index(Database(memory=True), StatementCache())
    many = [f"s{n:02d}" for n in range(12)]
    index.postings = {1: list(reversed(many)), 2: ["s07", "s03"], 3: ["s03"],
                      4: [f"c{n}" for n in range(COMMON_SHINGLE + 1)]}  # too common: says nothing
    # one list: every statement shares one anchor, so the first ids win, whatever the list's order
    assert index._candidates([1, 9]) == many[:CANDIDATES]
    assert index._candidates([4, 9]) == []
    # several: the most shared first, ties by id
    assert index._candidates([1, 2, 3, 4]) == ["s03", "s07", "s00", "s01", "s02", "s04", "s05", "s06"][:CANDIDATES]


def test_a_full_posting_is_read_once_a_run_and_never_grows(tmp_path):
    import sqlite3

    from quotetrack.db import ensure_db_shape, transaction
    from quotetrack.statements import COMMON_SHINGLE, StatementCache, anchors, match, pack

    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    words = "demonstrate the capability to deploy rapidly and assault a target"
    common = anchors(shingles(words))[0]
    others = [f"other{i:02d}" for i in range(COMMON_SHINGLE + 1)]  # statements of a common phrase
    db["statements"].insert_all([{"id": sid, "speaker_id": "cook", "text": "common", "shingles": pack([common])}
                                 for sid in others])
    db["statement_shingles"].insert_all([{"hash": common, "statement_id": sid} for sid in others])
    asked: list[set[int]] = []
    execute = db.execute

    def spy(sql, params=None):
        if sql.startswith("select hash, statement_id from statement_shingles"):  # a batch's prefetch
            asked.append(set(json.loads(params[0])))
        return execute(sql, params) if params is not None else execute(sql)

    db.execute = spy
    cache = StatementCache()
    with transaction(db):
        first, _ = match(db, [("q1", "urban", words, pack(shingles(words)))], cache)
    assert common in asked[0] and cache.full == {common}
    with transaction(db):
        again, _ = match(db, [("q2", "urban", words, pack(shingles(words)))], cache)
    assert common not in asked[1]
    # the same statement as with a cache that knew nothing, and the posting stayed full
    assert again["q2"] == first["q1"]
    with transaction(db):
        fresh, _ = match(db, [("q3", "urban", words, pack(shingles(words)))], StatementCache())
    assert fresh["q3"] == first["q1"]
    assert db.execute("select count(*) from statement_shingles where hash = ?", [common]).fetchone()[0] == \
        COMMON_SHINGLE + 1
    # another connection's write forgets what was full
    other = sqlite3.connect(tmp_path / "q.db")
    other.execute("delete from statement_shingles where statement_id = 'other00'")
    other.commit()
    other.close()
    with transaction(db):
        match(db, [("q4", "urban", words, pack(shingles(words)))], cache)
    assert common in asked[-1] and common not in cache.full
