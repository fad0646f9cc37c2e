"""Crashes, re-runs, older databases and concurrent use: keep working and lose nothing.

The extract job runs in real processes here (``python -m quotetrack``), killed with SIGKILL
at many moments, run two at a time, and read while it writes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from helpers import speaker_of, write_article
from quotetrack.db import TABLES, ensure_db_shape
from quotetrack.migrations import MIGRATIONS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"

# Every table whose rows are content (what a run stores), without the columns that are clock readings.
CONTENT = ("articles", "quotes", "speakers", "aliases", "speaker_keys", "curated_keys", "statements",
           "statement_shingles", "statement_echoes", "article_paragraphs")
VOLATILE = {"articles": {"ingested"}, "curated_keys": {"created"}}
FIRST = "Alice Bruno Carla Dmitri Elena Farid Greta Hugo Ines Jonas Kira Lars Mona Nils Olga Pavel".split()
LAST = "Marsh Ellis Lopez Novak Berg Costa Duval Haas Ivanov Jensen Kowalski Moreau Okafor Petrov Quinn Rossi".split()


# --- helpers ---------------------------------------------------------------------------------

def make_corpus(path: Path, count: int, start: int = 0) -> Path:
    """A JSON Lines feed of ``count`` different articles made from the five sample articles: each
    gets two quotes of its own (from 256 people, so that speakers recur), a date, an outlet."""
    texts = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as out:
        for i in range(start, start + count):
            lines = texts[i % len(texts)].split("\n")
            who = f"{FIRST[i % 16]} {LAST[(i // 16) % 16]}"
            own = (f'"Report {i} says the convoy moved {i % 97} kilometres overnight," said {who}.\n\n'
                   f'"We will publish figure {i * 7} tomorrow," {who.split()[1]} added.\n')
            cut = min(len(lines), 3 + i % 4)
            text = "\n".join(lines[:cut]) + "\n\n" + own + "\n" + "\n".join(lines[cut:])
            out.write(json.dumps({"id": f"gen-{i}", "title": f"Story {i}", "url": f"https://example.org/s/{i}",
                                  "outlet": ("Wire", "Daily", "Post")[i % 3],
                                  "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "text": text}) + "\n")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "quotetrack", *map(str, args)]


def run(*args, env: dict | None = None, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run quotetrack in its own process (from a neutral folder: the installed package)."""
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=cwd or Path(__file__).parent.parent / "data")


def _default_sigint() -> None:
    # A shell ignores SIGINT in what it runs in the background (``pytest &``), and the child
    # would inherit that: give it Ctrl+C as a terminal gives it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=Path(__file__).parent.parent / "data",
                            preexec_fn=_default_sigint)


# A quotetrack process that kills itself with SIGKILL at one precise point of the extract job.
KILL_AT = r"""
import os, signal, sys
import quotetrack.copies, quotetrack.db, quotetrack.pipeline, quotetrack.migrations
from quotetrack.cli import app

point = sys.argv[1]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(module, name, calls=1):
    real = getattr(module, name)
    seen = []
    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        seen.append(1)
        if len(seen) >= calls:
            die()
        return result
    setattr(module, name, wrapper)

if point.startswith("mid-batch:"):  # inside batch N's transaction: articles and quotes written, not committed
    after(quotetrack.db, "link_copies", calls=int(point.split(":")[1]))
elif point == "between-batches":  # every batch committed, nothing recomputed
    quotetrack.pipeline._finish = die
elif point == "mid-finish":  # inside the last transaction: counts recomputed, run not recorded
    after(quotetrack.pipeline, "refresh_pending")
elif point == "before-checkpoint":  # all committed, the log not yet copied into the file
    quotetrack.pipeline.checkpoint = die
elif point == "mid-migration":  # upgrading an older file: a migration half done
    after(quotetrack.migrations, "link_stored_copies")
app(sys.argv[2:], prog_name="quotetrack")
"""


def run_killed_at(point: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILL_AT, point, *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).parent.parent / "data")


def content(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every content table, sorted, without clock readings."""
    conn = sqlite3.connect(db_path)
    try:
        dumped = {}
        for table in CONTENT:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")
                       if r[1] not in VOLATILE.get(table, ())]
            rows = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]").fetchall()
            dumped[table] = sorted(rows, key=repr)
        return dumped
    finally:
        conn.close()


def check_consistent(db_path: Path, finished: bool = True) -> dict[str, int]:
    """What holds after every commit: the file is sound, every quote belongs to a stored article at
    valid offsets, has a statement, and is in the full-text index; articles count their quotes.
    ``finished``: the run also ended (nothing left to recompute; speaker and statement counts agree)."""
    if not db_path.exists():
        return {"articles": 0, "quotes": 0}
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        if conn.execute("select count(*) from sqlite_master where name = 'articles'").fetchone()[0] == 0:
            return {"articles": 0, "quotes": 0}  # killed while the file was being created
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        one = lambda sql: conn.execute(sql).fetchone()[0]
        assert one("select count(*) from quotes where article_id not in (select id from articles)") == 0
        assert one("select count(*) - count(distinct id) from quotes") == 0
        assert one("""select count(*) from quotes join articles on articles.id = quotes.article_id
                      where quotes.char_start < 0 or quotes.char_end <= quotes.char_start
                         or substr(articles.text, quotes.char_start + 1, quotes.char_end - quotes.char_start)
                            != quotes.text""") == 0
        assert one("""select count(*) from articles where quote_count !=
                      (select count(*) from quotes where quotes.article_id = articles.id)""") == 0
        assert one("select count(*) from quotes where statement_id is null "
                   "or statement_id not in (select id from statements)") == 0
        assert one("select count(*) from quotes_fts") == one("select count(*) from quotes")
        conn.execute("insert into quotes_fts(quotes_fts) values('integrity-check')")  # raises if out of step
        if finished:
            assert one("select count(*) from pending_refresh") == 0
            assert one("""select count(*) from speakers where quote_count !=
                          (select count(*) from quotes where quotes.speaker_id = speakers.id)""") == 0
            assert one("select count(*) from quotes where speaker_id is not null "
                       "and speaker_id not in (select id from speakers)") == 0
            assert one("""select count(*) from statements where quote_count is null or quote_count !=
                          (select count(*) from quotes where quotes.statement_id = statements.id)""") == 0
        return {"articles": one("select count(*) from articles"), "quotes": one("select count(*) from quotes")}
    finally:
        conn.close()


def summary_of(result) -> str:
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """1,000 articles: five batches of 200, about ten seconds of work on this project's machine."""
    return make_corpus(tmp_path_factory.mktemp("corpus") / "feed.jsonl", 1000)


@pytest.fixture(scope="module")
def clean(tmp_path_factory, corpus) -> Path:
    """The corpus extracted by one run that nobody disturbed."""
    db_path = tmp_path_factory.mktemp("clean") / "clean.db"
    result = run("extract", db_path, corpus)
    assert result.returncode == 0, result.stderr
    return db_path


# --- crashes ---------------------------------------------------------------------------------

# Kills are timed from the moment the process stored more articles than before (it is inside its
# next batch then), plus these delays; the first ones land while the file is being created.
KILLS = [("start", 0.2), ("start", 0.8), ("progress", 0.0), ("progress", 0.3), ("progress", 0.7),
         ("progress", 0.1), ("progress", 0.5)]


def count_articles(db_path: Path) -> int:
    try:
        conn = sqlite3.connect(db_path, timeout=5)
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def test_sigkill_at_any_moment_then_a_rerun_matches_one_clean_run(tmp_path, corpus, clean):
    db_path = tmp_path / "killed.db"
    killed, progress = 0, []
    for when, delay in KILLS:
        before = count_articles(db_path)
        proc = start("extract", db_path, corpus, "--batch-size", 200)
        deadline = time.monotonic() + 60
        if when == "progress":
            while proc.poll() is None and count_articles(db_path) <= before and time.monotonic() < deadline:
                time.sleep(0.02)
        time.sleep(delay)
        if proc.poll() is not None:  # finished before the kill: nothing left to interrupt
            break
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        killed += 1
        progress.append(check_consistent(db_path, finished=False)["articles"])
    assert killed >= 4, f"only {killed} runs could be killed"
    assert progress[-1] > 0 and progress == sorted(progress)  # every kill kept what was committed
    result = run("extract", db_path, corpus)
    assert result.returncode == 0, result.stderr
    check_consistent(db_path)
    assert content(db_path) == content(clean)
    again = run("extract", db_path, corpus)
    assert "(0 new, 0 changed, 1000 unchanged)" in again.stdout
    assert content(db_path) == content(clean)
    print(f"{killed} SIGKILLs, articles stored at each: {progress}")


@pytest.fixture(scope="module")
def small(tmp_path_factory, corpus) -> tuple[Path, Path]:
    """The first 400 articles (two batches) and a clean run of them."""
    folder = tmp_path_factory.mktemp("small")
    feed = folder / "feed.jsonl"
    feed.write_text("".join(corpus.read_text("utf-8").splitlines(keepends=True)[:400]), "utf-8")
    result = run("extract", folder / "clean.db", feed)
    assert result.returncode == 0, result.stderr
    return feed, folder / "clean.db"


@pytest.mark.parametrize("point", ["mid-batch", "between-batches", "mid-finish", "before-checkpoint"])
def test_sigkill_at_each_step_of_a_run(tmp_path, small, point):
    feed, clean_db = small
    db_path = tmp_path / "q.db"
    killed = run_killed_at("mid-batch:2" if point == "mid-batch" else point, "extract", db_path, feed,
                           "--batch-size", 200)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stored = check_consistent(db_path, finished=point == "before-checkpoint")
    assert stored["articles"] == {"mid-batch": 200, "between-batches": 400, "mid-finish": 400,
                                  "before-checkpoint": 400}[point]
    if point != "before-checkpoint":
        assert count_rows(db_path, "pending_refresh") > 0  # what the next run must finish
    result = run("extract", db_path, feed)
    assert result.returncode == 0, result.stderr
    new = 200 if point == "mid-batch" else 0
    assert f"({new} new, 0 changed, {400 - new} unchanged)" in result.stdout
    check_consistent(db_path)
    assert content(db_path) == content(clean_db)
    # one run recorded: the one that finished the job
    assert count_rows(db_path, "runs") == 1
    assert "quotetrack_version" in dict(sqlite3.connect(db_path).execute("select key, value from database_info"))


def count_rows(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    finally:
        conn.close()


def test_ctrl_c_keeps_what_was_stored(tmp_path, small):
    feed, clean_db = small
    db_path = tmp_path / "q.db"
    proc = start("extract", db_path, feed, "--batch-size", 50)  # 8 transactions: time to interrupt
    deadline = time.monotonic() + 60
    while count_articles(db_path) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted; the articles stored so far are kept" in err and "Traceback" not in err
    assert 50 <= check_consistent(db_path, finished=False)["articles"] < 400
    assert run("extract", db_path, feed).returncode == 0
    assert content(db_path) == content(clean_db)


def test_quotes_left_without_statement_or_counts_are_repaired_by_the_next_run(tmp_path, small):
    """Derived data a crash (or an older version) left undone is finished by any later run,
    even one that reads nothing new."""
    feed, clean = small
    db_path = tmp_path / "q.db"
    db_path.write_bytes(clean.read_bytes())
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("update quotes set statement_id = null where rowid % 3 = 0")
        conn.execute("update speakers set quote_count = 0, article_count = 0")
        conn.execute("delete from aliases where source = 'extracted'")
        conn.execute("insert into pending_refresh (kind, id) values ('speakers', '')")
    conn.close()
    result = run("extract", db_path, feed)
    assert "(0 new, 0 changed, 400 unchanged)" in result.stdout
    check_consistent(db_path)
    repaired, expected = content(db_path), content(clean)
    # every quote is back in its statement; only the flags of other speakers' statements with the
    # same words can differ (they are looked for among the statements there when a quote joins)
    for dumped in (repaired, expected):
        del dumped["statement_echoes"]
        flags = [r[1] for r in sqlite3.connect(clean).execute("pragma table_info(statements)")].index("same_words_as")
        dumped["statements"] = [row[:flags] + row[flags + 1:] for row in dumped["statements"]]
    assert repaired == expected


def test_a_rerun_writes_nothing(tmp_path, small):
    feed, clean_db = small
    db_path = tmp_path / "q.db"
    db_path.write_bytes(clean_db.read_bytes())
    before = db_path.read_bytes()
    result = run("extract", db_path, feed)
    assert "(0 new, 0 changed, 400 unchanged)" in result.stdout
    assert db_path.read_bytes() == before  # not a byte changed: no transaction wrote anything


# --- a changed extractor, and curation -------------------------------------------------------


def test_a_new_extractor_version_reextracts_and_curation_survives_even_a_crash(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“We are ready,” said Pentagon Press Secretary Peter Cook.\n"
                                    "“The port stays open,” the Port Authority said.\n")
    write_article(folder / "b.txt", "Two\n\n“Nothing changes,” the Harbor Safety Board said.\n")
    write_article(folder / "c.txt", "Three\n\n“We stay,” Pete Cook said.\n")
    db_path = tmp_path / "q.db"
    assert run("extract", db_path, folder).returncode == 0
    assert run("merge", db_path, "Port Authority", "Harbor Safety Board").returncode == 0
    assert run("alias", db_path, "Peter Cook", "Pete Cook").returncode == 0
    assert speaker_of(Database(db_path), "Nothing changes") == "Port Authority"
    assert speaker_of(Database(db_path), "We stay") == "Peter Cook"
    curated = content(db_path)["curated_keys"]
    user_aliases = Database(db_path).execute("select * from aliases where source = 'user'").fetchall()
    # an older version of the rules extracted these articles
    with sqlite3.connect(db_path) as conn:
        conn.execute("update articles set extractor_version = '0.0.1+older'")
    killed = run_killed_at("mid-batch:1", "extract", db_path, folder)  # the crash lands inside the batch
    assert killed.returncode == -signal.SIGKILL
    check_consistent(db_path, finished=False)
    assert speaker_of(Database(db_path), "Nothing changes") == "Port Authority"
    result = run("extract", db_path, folder)
    assert result.returncode == 0, result.stderr
    assert "(0 new, 3 changed, 0 unchanged)" in result.stdout
    assert {row[0] for row in Database(db_path).execute("select extractor_version from articles")} != {
        "0.0.1+older"}
    check_consistent(db_path)
    assert speaker_of(Database(db_path), "Nothing changes") == "Port Authority"  # the merge holds
    assert speaker_of(Database(db_path), "We stay") == "Peter Cook"  # the alias holds
    assert content(db_path)["curated_keys"] == curated
    assert Database(db_path).execute("select * from aliases where source = 'user'").fetchall() == user_aliases
    assert "(0 new, 0 changed, 3 unchanged)" in run("extract", db_path, folder).stdout


# --- older databases -------------------------------------------------------------------------

# The tables of quotetrack's first version (the whole schema then), and of the version before
# statements and copies.
FIRST_VERSION = {
    "articles": ["id", "doc_id", "title", "url", "outlet", "published", "author", "text", "text_hash", "source",
                 "extractor_version", "quote_count"],
    "speakers": ["id", "name", "kind", "title", "quote_count", "article_count"],
    "quotes": ["id", "article_id", "speaker_id", "text", "char_start", "char_end", "kind", "cue",
               "speaker_mention", "mention_start", "mention_end", "rule", "confidence", "via", "paragraph"],
    "runs": list(TABLES["runs"]["columns"]),
}
BEFORE_STATEMENTS = {
    **{name: [c for c in TABLES[name]["columns"] if c not in ("ingested", "copy_of", "copy_share", "statement_id")]
       for name in ("articles", "speakers", "aliases", "speaker_keys", "curated_keys", "quotes", "runs",
                    "database_info")},
}
OLD_TEXT = "Zoo News\n\n“The zebra escaped before dawn,” said Bob Keeper.\n"


def make_old_database(path: Path, tables: dict[str, list[str]]) -> None:
    """A database as an older quotetrack left it: its tables only, its keys, full-text index and rows."""
    db = Database(path)
    for name, columns in tables.items():
        spec = TABLES[name]
        pk = spec["pk"]
        db[name].create({c: spec["columns"][c] for c in columns}, pk=pk,
                        not_null={c for c in spec["not_null"] if c in columns})
    fks = [("quotes", "article_id", "articles", "id"), ("quotes", "speaker_id", "speakers", "id")]
    if "aliases" in tables:
        fks.append(("aliases", "speaker_id", "speakers", "id"))
    db.add_foreign_keys(fks)
    db["articles"].create_index(["doc_id"], unique=True)
    start = OLD_TEXT.index("The zebra")
    end = OLD_TEXT.index("dawn,") + len("dawn,")
    mention = OLD_TEXT.index("Bob Keeper")
    rows = {
        "articles": {"id": "old-a1", "doc_id": "zoo.txt", "title": "Zoo News", "text": OLD_TEXT,
                     "text_hash": "x", "extractor_version": "0.0.1+first", "quote_count": 1, "published": "2016-05-01"},
        "speakers": {"id": "old-s1", "name": "Bob Keeper", "kind": "person", "quote_count": 1, "article_count": 1},
        "quotes": {"id": "old-q1", "article_id": "old-a1", "speaker_id": "old-s1", "text": OLD_TEXT[start:end],
                   "char_start": start, "char_end": end, "kind": "direct", "cue": "said",
                   "speaker_mention": "Bob Keeper", "mention_start": mention, "mention_end": mention + 10,
                   "rule": "after", "confidence": 0.9},
        "runs": {"id": 1, "started": "2016-06-01T10:00:00+00:00", "articles_new": 1, "quotes": 1},
    }
    if "speaker_keys" in tables:  # since speakers are matched across articles, quotes name their key
        rows["quotes"]["speaker_key"] = "person:bob keeper"
        rows["speaker_keys"] = {"key": "person:bob keeper", "speaker_id": "old-s1", "surname": "keeper",
                                "name": "Bob Keeper", "kind": "person"}
    for name, row in rows.items():
        db[name].insert({k: v for k, v in row.items() if k in tables[name]})
    db["quotes"].enable_fts(["text"], create_triggers=True)
    db.close()


def old_rows(db_path: Path) -> dict[str, list[dict]]:
    db = Database(db_path)
    return {name: [dict(r) for r in db.query(f"select * from [{name}] order by rowid")]
            for name in ("articles", "speakers", "quotes", "runs")}


@pytest.mark.parametrize("shape", [FIRST_VERSION, BEFORE_STATEMENTS], ids=["first-version", "before-statements"])
def test_an_older_database_is_upgraded_in_place(tmp_path, shape):
    db_path = tmp_path / "old.db"
    make_old_database(db_path, shape)
    before = old_rows(db_path)
    folder = tmp_path / "in"
    write_article(folder / "new.txt", "Zoo News Again\n\n“The giraffe stayed calm all night,” said Bob Keeper.\n")
    result = run("extract", db_path, folder)
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout
    db = Database(db_path)
    # every old row is still there, with its values
    after = old_rows(db_path)
    derived = ("quote_count", "article_count", "first_quoted", "last_quoted", "speaker_key")  # recomputed
    for name, rows in before.items():
        kept = {row["id"]: row for row in after[name]}
        for row in rows:
            assert {k: v for k, v in kept[row["id"]].items() if k in row and k not in derived} == {
                k: v for k, v in row.items() if k not in derived}
    # the current shape, every migration recorded, WAL
    for name, spec in TABLES.items():
        assert db[name].exists() and set(spec["columns"]) <= set(db[name].columns_dict), name
    assert [m.name for m in MIGRATIONS.applied(db)] == [m.name for m in MIGRATIONS._migrations]
    assert db.journal_mode == "wal"
    # the old speaker is the one the new article quotes, not a twin
    assert speaker_of(Database(db_path), "giraffe") == speaker_of(Database(db_path), "zebra") == "Bob Keeper"
    assert db.execute("select count(*) from speakers where name = 'Bob Keeper'").fetchone()[0] == 1
    check_consistent(db_path)  # statements for the old quote, counts, full-text index in step
    # full-text search finds the old quote and the new one: the index follows the table again
    for word, text in (("zebra", "The zebra escaped before dawn,"), ("giraffe", "The giraffe stayed calm all night,")):
        found = run("search", db_path, word, "--json")
        assert found.returncode == 0, found.stderr
        assert [row["quote"] for row in json.loads(found.stdout)] == [text]
    # running again changes nothing
    before_rerun = content(db_path)
    assert "(0 new, 0 changed, 1 unchanged)" in run("extract", db_path, folder).stdout
    assert content(db_path) == before_rerun


def test_a_crash_during_an_upgrade_leaves_the_older_database_as_it_was(tmp_path):
    db_path = tmp_path / "old.db"
    make_old_database(db_path, FIRST_VERSION)
    before = old_rows(db_path)
    schema = Database(db_path).schema
    empty = tmp_path / "empty"
    empty.mkdir()
    killed = run_killed_at("mid-migration", "extract", db_path, empty)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert old_rows(db_path) == before
    assert Database(db_path).schema == schema  # not one table or column added
    result = run("extract", db_path, empty)
    assert result.returncode == 0, result.stderr
    assert {row["id"] for row in old_rows(db_path)["quotes"]} == {"old-q1"}
    check_consistent(db_path)


def test_migrations_run_once(tmp_path):
    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    applied = MIGRATIONS.applied(db)
    assert [m.name for m in applied] == [m.name for m in MIGRATIONS._migrations]
    ensure_db_shape(db)
    assert MIGRATIONS.applied(db) == applied


# --- concurrency -----------------------------------------------------------------------------

def test_two_extracts_at_once_both_finish_with_everything(tmp_path):
    first = make_corpus(tmp_path / "first.jsonl", 250)  # two batches each: they interleave
    second = make_corpus(tmp_path / "second.jsonl", 250, start=5000)
    db_path = tmp_path / "q.db"
    procs = [start("extract", db_path, first, "--batch-size", 200),
             start("extract", db_path, second, "--batch-size", 200)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert "(250 new, 0 changed, 0 unchanged)" in out
    stored = check_consistent(db_path)
    assert stored["articles"] == 500
    first_run, second_run = Database(db_path).execute("select started, finished from runs").fetchall()
    assert first_run[0] <= second_run[1] and second_run[0] <= first_run[1]  # they did run at once
    # each article has the quotes one process alone gives it
    alone = tmp_path / "alone.db"
    assert run("extract", alone, first).returncode == 0
    assert run("extract", alone, second).returncode == 0
    quotes = "select id, article_id, text, char_start, char_end from quotes order by id"
    assert Database(db_path).execute(quotes).fetchall() == Database(alone).execute(quotes).fetchall()
    assert "(0 new, 0 changed, 250 unchanged)" in run("extract", db_path, first).stdout


def test_a_writer_that_waits_too_long_stops_with_a_clear_message(tmp_path, small):
    _, clean_db = small
    db_path = tmp_path / "q.db"
    db_path.write_bytes(clean_db.read_bytes())
    more = make_corpus(tmp_path / "more.jsonl", 20, start=9000)
    before = content(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")  # another writer, in the middle of its transaction
    try:
        started = time.monotonic()
        result = run("extract", db_path, more, env={"QUOTETRACK_BUSY_TIMEOUT": "1"})
        waited = time.monotonic() - started
    finally:
        holder.execute("rollback")
        holder.close()
    assert result.returncode == 3
    assert "is being written by another process (waited 1s for it)" in result.stderr
    assert "run this again" in result.stderr and "Traceback" not in result.stderr
    assert waited < 30
    assert content(db_path) == before
    again = run("extract", db_path, more)
    assert again.returncode == 0 and "(20 new" in again.stdout
    check_consistent(db_path)


def test_readers_and_datasette_read_while_extract_writes(tmp_path, small):
    """WAL: readers never wait for the writer and always see whole batches, Datasette too (opened
    read-write, as ``serve --writable`` does); a reader that keeps one read transaction open all
    along does not stop the writer.  The finished file alone holds everything: served immutable
    (``serve``'s default), it shows all of it."""
    from datasette.app import Datasette

    feed, _ = small
    db_path = tmp_path / "news.db"
    assert run("extract", db_path, make_corpus(tmp_path / "seed.jsonl", 5, start=7000)).returncode == 0
    sql = "/news.json?sql=select+count(*)+as+n+from+articles&_shape=array"
    long_reader = sqlite3.connect(db_path, isolation_level=None)
    long_reader.execute("begin")
    pinned = long_reader.execute("select count(*) from articles").fetchone()[0]

    async def watch(proc) -> tuple[list[int], list[int]]:
        ds = Datasette([str(db_path)])
        await ds.invoke_startup()
        reader = sqlite3.connect(db_path, isolation_level=None, timeout=0.5)
        seen, shown = [], []
        while proc.poll() is None:
            reader.execute("begin")
            articles, quotes, counted = reader.execute(
                "select (select count(*) from articles), (select count(*) from quotes), "
                "(select coalesce(sum(quote_count), 0) from articles)").fetchone()
            reader.execute("commit")
            assert quotes == counted  # never half a batch
            seen.append(articles)
            response = await ds.client.get(sql)
            assert response.status_code == 200, response.text
            shown.append(response.json()[0]["n"])
            await asyncio.sleep(0.05)
        reader.close()
        return seen, shown

    # (batches of 50: eight commits to be caught between, however fast extraction runs)
    proc = start("extract", db_path, feed, "--batch-size", 50)
    seen, shown = asyncio.run(watch(proc))
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    assert long_reader.execute("select count(*) from articles").fetchone()[0] == pinned  # its own snapshot
    long_reader.execute("commit")
    long_reader.close()
    for counts in (seen, shown):
        assert any(5 < n < 405 for n in counts), counts  # read in the middle of the run
        assert counts == sorted(counts)
    check_consistent(db_path)
    # finished: the log was copied into the file, and immutable readers see everything
    assert run("extract", db_path, feed).returncode == 0  # (the long reader had kept part of it in the log)
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0

    async def immutable() -> int:
        ds = Datasette(immutables=[str(db_path)])
        await ds.invoke_startup()
        return (await ds.client.get(sql)).json()[0]["n"]

    assert asyncio.run(immutable()) == 405
    conn = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    assert conn.execute("select count(*) from quotes").fetchone()[0] == count_rows(db_path, "quotes")
    conn.close()


def test_curation_commands_use_wal_and_wait_for_a_writer(tmp_path, small):
    _, clean_db = small
    db_path = tmp_path / "q.db"
    db_path.write_bytes(clean_db.read_bytes())
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")
    proc = subprocess.Popen(command("alias", db_path, "Alice Marsh", "Ally Marsh"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    time.sleep(1.0)
    assert proc.poll() is None  # waiting for the other writer, not failing
    holder.execute("rollback")
    holder.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Ally Marsh" in out
    assert Database(db_path).journal_mode == "wal"
    # one that waits too long stops as extract does
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")
    try:
        result = run("merge", db_path, "Alice Marsh", "Bruno Marsh", env={"QUOTETRACK_BUSY_TIMEOUT": "1"})
    finally:
        holder.execute("rollback")
        holder.close()
    assert result.returncode == 3, result.stderr
    assert "being written by another process" in result.stderr and "Traceback" not in result.stderr


def test_index_tables_are_rebuilt_without_rowid_keeping_their_rows(tmp_path):
    db = Database(tmp_path / "q.db")
    ensure_db_shape(db)
    fresh = {name for name, spec in TABLES.items() if spec.get("without_rowid")}
    assert fresh >= {"statement_shingles", "statement_echoes", "article_paragraphs", "pending_refresh"}
    for name in fresh:
        assert db[name].schema.rstrip().upper().endswith("WITHOUT ROWID"), name
    # a file from before: the same tables with a rowid, holding rows, and the migration not yet applied
    db.execute("drop table statement_shingles")
    db.execute("create table statement_shingles (hash integer, statement_id text, primary key (hash, statement_id))")
    db.execute("insert into statement_shingles values (7, 'a'), (7, 'b'), (-3, 'a')")
    db.execute("delete from _sqlite_migrations where name = '0004_without_rowid'")
    db.conn.commit()
    ensure_db_shape(db)
    assert db["statement_shingles"].schema.rstrip().upper().endswith("WITHOUT ROWID")
    assert db.execute("select hash, statement_id from statement_shingles order by 1, 2").fetchall() == [
        (-3, "a"), (7, "a"), (7, "b")]
    assert ["statement_id"] in [index.columns for index in db["statement_shingles"].indexes]
    assert sorted(m.name for m in MIGRATIONS.applied(db)) == sorted(m.name for m in MIGRATIONS._migrations)
