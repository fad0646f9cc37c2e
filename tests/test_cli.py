"""The command line, end to end through CliRunner: extract, search, speakers, serve."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

import quotetrack.cli
import quotetrack.server
from quotetrack import __version__
from quotetrack.cli import app
from quotetrack.records import article_id


def quote_texts(h, db_path: Path, doc_id: str) -> dict[str, str]:
    """{quote text: quote id} of one article."""
    found = h.rows(db_path, "select quotes.id, quotes.text from quotes join articles "
                            "on articles.id = quotes.article_id where articles.doc_id = ?", [doc_id])
    return {row["text"]: row["id"] for row in found}


def run_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select count(*) from runs").fetchone()[0]


# --- extract: first run, re-run ------------------------------------------------------------

def test_extract_creates_database(tmp_path, extract, articles_dir, h):
    db_path = tmp_path / "news.db"
    result = extract(db_path, articles_dir)
    assert result.exit_code == 0, result.output
    assert db_path.is_file()
    summary = h.parse_summary(result.stdout)
    assert summary["read"] == summary["new"] == 5
    assert summary["skipped"] == 0
    assert summary["quotes"] > 0 and summary["speakers"] > 0
    assert len(h.rows(db_path, "select * from articles")) == 5
    assert len(h.rows(db_path, "select * from quotes")) == summary["quotes"]
    assert len(h.rows(db_path, "select * from speakers")) == summary["speakers"]
    assert run_count(db_path) == 1


def test_second_run_changes_nothing(sample_db_copy, extract, articles_dir, h):
    before = h.dump_tables(sample_db_copy, ("articles", "quotes", "speakers", "runs"))
    runs_before = run_count(sample_db_copy)
    result = extract(sample_db_copy, articles_dir)
    assert result.exit_code == 0, result.output
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, 5)
    assert "0 new" in result.stdout and "5 unchanged" in result.stdout
    assert h.dump_tables(sample_db_copy, ("articles", "quotes", "speakers", "runs")) == before
    assert run_count(sample_db_copy) == runs_before


def test_changed_article_is_reextracted(tmp_path, extract, corpus, h):
    db_path = tmp_path / "q.db"
    assert extract(db_path, corpus).exit_code == 0
    ferry_before = quote_texts(h, db_path, "ferry.txt")
    assert len(ferry_before) == 3
    bakery_before = h.rows(db_path, "select * from quotes where article_id = ? order by id",
                           [article_id("bakery.txt")])
    bakery_article = h.rows(db_path, "select * from articles where doc_id = 'bakery.txt'")
    assert len(bakery_before) == 2

    # The last quote is replaced by a new one; the first two keep their offsets.
    last = '"Nobody should wait an hour for a ferry," Marsh added.\n'
    assert h.FERRY.endswith(last)
    changed = h.FERRY[: -len(last)] + '"A night boat will start running in May," Marsh added.\n'
    h.write_article(corpus / "ferry.txt", changed)

    result = extract(db_path, corpus)
    assert result.exit_code == 0, result.output
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 1, 1)

    ferry_after = quote_texts(h, db_path, "ferry.txt")
    removed = "Nobody should wait an hour for a ferry,"
    assert removed in ferry_before and removed not in ferry_after
    assert not h.rows(db_path, "select id from quotes where text like '%wait an hour%'")
    assert "A night boat will start running in May," in ferry_after
    for text, quote_id in ferry_before.items():
        if text != removed:
            assert ferry_after[text] == quote_id  # unchanged quotes keep their ids
    assert h.rows(db_path, "select text from articles where doc_id = 'ferry.txt'")[0]["text"] == changed
    # the other article is untouched
    assert h.rows(db_path, "select * from quotes where article_id = ? order by id",
                  [article_id("bakery.txt")]) == bakery_before
    assert h.rows(db_path, "select * from articles where doc_id = 'bakery.txt'") == bakery_article
    runs = h.rows(db_path, "select * from runs order by id")
    assert len(runs) == 2
    assert (runs[-1]["articles_new"], runs[-1]["articles_changed"], runs[-1]["articles_unchanged"]) == (0, 1, 1)


def test_speaker_without_quotes_left_is_dropped(tmp_path, extract, corpus, h):
    db_path = tmp_path / "q.db"
    assert extract(db_path, corpus).exit_code == 0
    assert h.rows(db_path, "select name from speakers where name = 'Tom Ellis'")
    h.write_article(corpus / "bakery.txt", "Local Bakery Wins Regional Prize\n\nNobody said anything.\n")
    assert extract(db_path, corpus).exit_code == 0
    assert not h.rows(db_path, "select name from speakers where name = 'Tom Ellis'")
    assert not h.rows(db_path, "select * from quotes where article_id = ?", [article_id("bakery.txt")])
    assert h.rows(db_path, "select quote_count from articles where doc_id = 'bakery.txt'") == [{"quote_count": 0}]
    # quote counts stay in step with the quotes table
    for row in h.rows(db_path, "select id, quote_count from speakers"):
        count = h.rows(db_path, "select count(*) as n from quotes where speaker_id = ?", [row["id"]])[0]["n"]
        assert row["quote_count"] == count


# --- offsets and stored text --------------------------------------------------------------

def assert_offsets_hold(h, db_path: Path) -> int:
    found = h.rows(db_path, """
        select quotes.*, articles.text as article_text,
               substr(articles.text, quotes.char_start + 1, quotes.char_end - quotes.char_start) as sql_slice
        from quotes join articles on articles.id = quotes.article_id""")
    for q in found:
        assert q["article_text"][q["char_start"]:q["char_end"]] == q["text"], q["id"]
        assert q["sql_slice"] == q["text"], q["id"]  # SQLite's substr agrees (Datasette users)
        if q["speaker_mention"] is not None:
            assert q["article_text"][q["mention_start"]:q["mention_end"]] == q["speaker_mention"], q["id"]
    return len(found)


def test_offsets_index_into_article_text(sample_db, h):
    assert assert_offsets_hold(h, sample_db) > 10
    mentions = h.rows(sample_db, "select count(*) as n from quotes where speaker_mention is not null")
    assert mentions[0]["n"] > 0


def test_offsets_with_crlf_and_astral_characters(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "crlf.txt", "Windows Line Endings\r\n\r\n" + h.RIVER.replace("\n", "\r\n"))
    h.write_article(folder / "astral.txt", "Astral \U0001F600 Title\n\nFans \U0001F389 cheered. "
                    '"We are \U0001F600 thrilled with the \U0001F3C6 result," said Omar Said.\n')
    assert extract(tmp_path / "q.db", folder).exit_code == 0
    assert assert_offsets_hold(h, tmp_path / "q.db") >= 2


def test_text_title_doc_id_and_exact_text(tmp_path, extract, articles_dir, h):
    folder = tmp_path / "in"
    files = {
        "top.txt": "\n  \n   Headline With Spaces   \nBody line.\n",
        "sub/inner.txt": h.FERRY,
        "sub/deeper/crlf.txt": "Windows Line Endings\r\n\r\n" + h.RIVER.replace("\n", "\r\n"),
        "notes.md": "# Markdown Heading\n\nSome text.",
        "ignored.csv": "a,b\n1,2\n",
        ".hidden.txt": "Hidden\n",
    }
    for name, text in files.items():
        h.write_article(folder / name, text)
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    stored = {row["doc_id"]: row for row in h.rows(tmp_path / "q.db", "select * from articles")}
    assert set(stored) == {"top.txt", "sub/inner.txt", "sub/deeper/crlf.txt", "notes.md"}
    for doc_id, row in stored.items():
        assert row["text"] == (folder / doc_id).read_bytes().decode("utf-8")
        assert row["id"] == article_id(doc_id)
    assert stored["top.txt"]["title"] == "Headline With Spaces"
    assert stored["sub/inner.txt"]["title"] == "Harbor Town Approves New Ferry Schedule"
    assert stored["sub/deeper/crlf.txt"]["title"] == "Windows Line Endings"
    assert "\r\n" in stored["sub/deeper/crlf.txt"]["text"]
    assert stored["notes.md"]["title"] == "# Markdown Heading"

    # a file given directly is named by its file name; a subfolder given as PATH roots the ids there
    result = extract(tmp_path / "q2.db", folder / "sub", folder / "top.txt")
    assert result.exit_code == 0, result.output
    ids = {row["doc_id"] for row in h.rows(tmp_path / "q2.db", "select doc_id from articles")}
    assert ids == {"inner.txt", "deeper/crlf.txt", "top.txt"}


def test_sample_articles_stored_exactly(sample_db, articles_dir, h):
    stored = {row["doc_id"]: row for row in h.rows(sample_db, "select doc_id, title, text from articles")}
    assert set(stored) == {path.name for path in articles_dir.glob("*.txt")}
    for doc_id, row in stored.items():
        content = (articles_dir / doc_id).read_bytes().decode("utf-8")
        assert row["text"] == content
        assert row["title"] == next(line.strip() for line in content.splitlines() if line.strip())
    # the first sample file starts with an empty line: its title is the next line
    assert stored["pentagon-fears-unintended-conflict-al-tanf.txt"]["title"].startswith("Russian Sukhoi Su-35")


def test_duplicate_doc_id_in_one_run_is_reported(tmp_path, extract, h):
    h.write_article(tmp_path / "a" / "x.txt", h.FERRY)
    h.write_article(tmp_path / "b" / "x.txt", h.BAKERY)
    result = extract(tmp_path / "q.db", tmp_path / "a", tmp_path / "b")
    assert result.exit_code == 0
    assert "duplicate id 'x.txt'" in result.stderr
    assert h.parse_summary(result.stdout)["skipped"] == 1
    assert h.rows(tmp_path / "q.db", "select title from articles") == [
        {"title": "Harbor Town Approves New Ferry Schedule"}]


# --- JSON Lines and standard input ----------------------------------------------------------

def test_jsonl_input(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_jsonl(folder / "feeds" / "wire.jsonl", [
        {"id": "wire-1", "title": "Ferry", "url": "https://example.org/ferry", "outlet": "Harbor Gazette",
         "published": "2024-05-01", "author": "Jo Reporter", "text": h.FERRY},
        {"title": "Bakery without id", "text": h.BAKERY},
        "",
        {"id": 42, "published": 2024, "outlet": "", "text": h.RIVER},
    ])
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    assert h.parse_summary(result.stdout)["new"] == 3
    stored = {row["doc_id"]: row for row in h.rows(tmp_path / "q.db", "select * from articles")}
    assert set(stored) == {"wire-1", "feeds/wire.jsonl#2", "42"}
    first = stored["wire-1"]
    assert (first["title"], first["url"], first["outlet"], first["published"], first["author"]) == (
        "Ferry", "https://example.org/ferry", "Harbor Gazette", "2024-05-01", "Jo Reporter")
    assert first["text"] == h.FERRY
    assert stored["feeds/wire.jsonl#2"]["title"] == "Bakery without id"
    assert stored["42"]["published"] == "2024" and stored["42"]["outlet"] is None
    assert quote_texts(h, tmp_path / "q.db", "wire-1").keys() >= {
        "The new timetable will serve commuters much better,"}
    # a JSONL file given directly: ids are relative to the file itself
    result = extract(tmp_path / "q2.db", folder / "feeds" / "wire.jsonl")
    assert result.exit_code == 0, result.output
    ids = {row["doc_id"] for row in h.rows(tmp_path / "q2.db", "select doc_id from articles")}
    assert ids == {"wire-1", "wire.jsonl#2", "42"}


def test_stdin_text(tmp_path, extract, h):
    db_path = tmp_path / "q.db"
    result = extract(db_path, "-", input=h.FERRY)
    assert result.exit_code == 0, result.output
    [article] = h.rows(db_path, "select * from articles")
    assert article["doc_id"].startswith("stdin-")
    assert article["text"] == h.FERRY
    assert article["title"] == "Harbor Town Approves New Ferry Schedule"
    assert len(quote_texts(h, db_path, article["doc_id"])) == 3
    # the same text again is recognised as unchanged
    again = extract(db_path, "-", input=h.FERRY)
    assert h.parse_summary(again.stdout)["unchanged"] == 1


@pytest.mark.parametrize("options", [["--format", "jsonl"], []], ids=["format-jsonl", "auto"])
def test_stdin_jsonl(tmp_path, runner, h, options):
    db_path = tmp_path / "q.db"
    lines = [json.dumps({"id": "a", "title": "Ferry", "text": h.FERRY}),
             json.dumps({"text": h.BAKERY})]
    result = runner.invoke(app, ["extract", str(db_path), "-", *options], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    stored = {row["doc_id"]: row for row in h.rows(db_path, "select doc_id, title, text from articles")}
    assert set(stored) == {"a", "stdin#2"}
    assert stored["a"]["text"] == h.FERRY and stored["stdin#2"]["text"] == h.BAKERY


def test_stdin_only_once(tmp_path, extract, h):
    result = extract(tmp_path / "q.db", "-", "-", input=h.FERRY)
    assert result.exit_code == 2
    assert "only once" in result.stderr
    assert not (tmp_path / "q.db").exists()


# --- search --------------------------------------------------------------------------------

def test_search_text_output(runner, sample_db):
    result = runner.invoke(app, ["search", str(sample_db), "bolster"])
    assert result.exit_code == 0, result.output
    assert "Bill Urban" in result.stdout
    assert "Exercises like this bolster our defeat-ISIS capabilities" in result.stdout
    assert 'Pentagon Sends "Strong Message" To Russia' in result.stdout


def test_search_json(runner, sample_db):
    result = runner.invoke(app, ["search", str(sample_db), "bolster", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert isinstance(found, list) and found and all(isinstance(row, dict) for row in found)
    assert {"id", "quote", "speaker", "article", "doc_id"} <= set(found[0])
    urban = [row for row in found if row["speaker"] == "Bill Urban"]
    assert urban and "bolster" in urban[0]["quote"]
    assert urban[0]["doc_id"] == "pentagon-strong-message-live-fire-drills.txt"


def test_search_speaker_filter_and_limit(runner, sample_db):
    everyone = json.loads(runner.invoke(app, ["search", str(sample_db), "the", "--json", "--limit", "100"]).stdout)
    assert len({row["speaker"] for row in everyone}) > 2
    cook = json.loads(runner.invoke(app, ["search", str(sample_db), "the", "--json",
                                          "--speaker", "Cook", "--limit", "100"]).stdout)
    assert cook and all(row["speaker"] == "Peter Cook" for row in cook)
    assert len(cook) < len(everyone)
    limited = json.loads(runner.invoke(app, ["search", str(sample_db), "the", "--json", "--limit", "2"]).stdout)
    assert len(limited) == 2
    assert {row["id"] for row in limited} <= {row["id"] for row in everyone}
    bad_limit = runner.invoke(app, ["search", str(sample_db), "the", "--limit", "0"])
    assert bad_limit.exit_code == 2


def test_search_nothing_found(runner, sample_db):
    result = runner.invoke(app, ["search", str(sample_db), "xylophonequux"])
    assert result.exit_code == 0
    assert "No quotes found" in result.stderr
    as_json = runner.invoke(app, ["search", str(sample_db), "xylophonequux", "--json"])
    assert json.loads(as_json.stdout) == []


@pytest.mark.parametrize("query", [
    '"AND OR (', "'; drop table quotes; --", '"', '""', "NEAR(a b)", "*", "text:bolster",
    "a\"b", ")", "AND", "-", "   ", "bolster OR", "quotes_fts MATCH 'x'", "%_", "\\",
])
def test_search_hostile_queries(runner, sample_db, query):
    quotes_before = sqlite3.connect(sample_db).execute("select count(*) from quotes").fetchone()[0]
    result = runner.invoke(app, ["search", str(sample_db), query, "--json"])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "Error:" in result.stderr
    else:
        assert isinstance(json.loads(result.stdout), list)
    with sqlite3.connect(sample_db) as conn:
        assert conn.execute("select count(*) from quotes").fetchone()[0] == quotes_before


def test_search_words_are_not_operators(runner, sample_db):
    # "bolster OR xyz" must not mean "either word": all words are required
    result = runner.invoke(app, ["search", str(sample_db), "bolster OR xylophonequux", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_search_prints_quotes_literally(tmp_path, extract, runner, h):
    """Rich markup and emoji codes inside a quote are printed as written."""
    h.write_article(tmp_path / "in" / "markup.txt",
                    'Markup Test\n\n"We are :thumbs_up: ready for [bold]launch[/bold] today," said Alice Marsh.\n')
    assert extract(tmp_path / "q.db", tmp_path / "in").exit_code == 0
    result = runner.invoke(app, ["search", str(tmp_path / "q.db"), "launch"])
    assert result.exit_code == 0, result.output
    assert "We are :thumbs_up: ready for [bold]launch[/bold] today," in result.stdout


# --- speakers ------------------------------------------------------------------------------

def test_speakers_json(runner, sample_db):
    result = runner.invoke(app, ["speakers", str(sample_db), "--json"])
    assert result.exit_code == 0, result.output
    by_name = {row["name"]: row for row in json.loads(result.stdout)}
    for name in ("Bill Urban", "Peter Cook", "Igor Konashenkov", "Dmitry Peskov"):
        assert name in by_name, name
        assert by_name[name]["quotes"] >= 1
        assert by_name[name]["kind"] == "person"
    counts = [row["quotes"] for row in by_name.values()]
    assert counts == sorted(counts, reverse=True)  # most quoted first


def test_speakers_text(runner, sample_db):
    result = runner.invoke(app, ["speakers", str(sample_db)])
    assert result.exit_code == 0
    assert "Peter Cook" in result.stdout and "person" in result.stdout
    speakers = sqlite3.connect(sample_db).execute("select count(*) from speakers").fetchone()[0]
    assert len(result.stdout.strip().splitlines()) == speakers


def test_speakers_limit_lists_the_most_quoted(runner, sample_db):
    everyone = json.loads(runner.invoke(app, ["speakers", str(sample_db), "--json"]).stdout)
    result = runner.invoke(app, ["speakers", str(sample_db), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == everyone[:2]
    lines = runner.invoke(app, ["speakers", str(sample_db), "--limit", "2"]).stdout.strip().splitlines()
    assert len(lines) == 2 and everyone[0]["name"] in lines[0] and everyone[1]["name"] in lines[1]


def test_speakers_on_a_terminal_are_styled_and_escaped(runner, sample_db_copy, monkeypatch):
    conn = sqlite3.connect(sample_db_copy)
    with conn:
        conn.execute("update speakers set name = '[bold]Bill[/bold] Urban' where name = 'Bill Urban'")
    conn.close()
    piped = runner.invoke(app, ["speakers", str(sample_db_copy)]).stdout
    screen = io.StringIO()
    monkeypatch.setattr(quotetrack.cli, "out", Console(file=screen, force_terminal=True, width=300, soft_wrap=True))
    assert runner.invoke(app, ["speakers", str(sample_db_copy)]).exit_code == 0
    styled = screen.getvalue()
    assert "\x1b[" in styled  # styled for a terminal
    plain = [Text.from_ansi(line).plain for line in styled.splitlines()]
    assert plain == piped.splitlines()  # the same text as in a pipe, markup in a name shown as written
    assert any("[bold]Bill[/bold] Urban" in line for line in plain)


# --- missing / unusable databases -----------------------------------------------------------

@pytest.mark.parametrize("command", [["search", "{db}", "word"], ["speakers", "{db}"], ["serve", "{db}"]])
def test_missing_database(runner, tmp_path, command, monkeypatch):
    monkeypatch.setattr(quotetrack.server, "serve", lambda *a, **k: pytest.fail("server started"))
    db_path = tmp_path / "missing.db"
    result = runner.invoke(app, [part.format(db=db_path) for part in command])
    assert result.exit_code == 2
    assert "no database" in result.stderr
    assert not db_path.exists()


@pytest.mark.parametrize("command", [["search", "{db}", "word"], ["speakers", "{db}"], ["serve", "{db}"]])
def test_not_a_database(runner, tmp_path, command, monkeypatch):
    monkeypatch.setattr(quotetrack.server, "serve", lambda *a, **k: pytest.fail("server started"))
    db_path = tmp_path / "garbage.db"
    db_path.write_bytes(b"this is not an SQLite file at all\n" * 200)
    result = runner.invoke(app, [part.format(db=db_path) for part in command])
    assert result.exit_code == 2, result.output
    assert "not a database" in result.stderr
    assert "Traceback" not in result.output


def test_search_empty_database(runner, tmp_path):
    db_path = tmp_path / "empty.db"
    sqlite3.connect(db_path).close()
    db_path.touch()
    result = runner.invoke(app, ["search", str(db_path), "word"])
    assert result.exit_code == 2
    assert "quotetrack extract" in result.stderr
    speakers = runner.invoke(app, ["speakers", str(db_path), "--json"])
    assert speakers.exit_code == 0 and json.loads(speakers.stdout) == []


# --- serve (without starting a server) ------------------------------------------------------

def test_serve_command_calls_server(runner, sample_db, monkeypatch):
    calls = []
    monkeypatch.setattr(quotetrack.server, "serve", lambda db_path, **kw: calls.append((db_path, kw)))
    result = runner.invoke(app, ["serve", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert calls == [(sample_db, {"host": "127.0.0.1", "port": 8001, "writable": False})]
    assert "http://127.0.0.1:8001/" in result.stdout

    calls.clear()
    result = runner.invoke(app, ["serve", str(sample_db), "--host", "0.0.0.0", "--port", "9000", "--writable"])
    assert result.exit_code == 0, result.output
    assert calls == [(sample_db, {"host": "0.0.0.0", "port": 9000, "writable": True})]


def test_datasette_args():
    db, meta = Path("/data/news.db"), Path("/tmp/meta.json")
    args = quotetrack.server.datasette_args(db, meta, "127.0.0.1", 8001, writable=False)
    assert args[0] == "serve"
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--port") + 1] == "8001"
    assert args[args.index("--metadata") + 1] == str(meta)
    assert args[-2:] == ["-i", str(db)]
    assert args[args.index("--setting") + 1:args.index("--setting") + 3] == ["suggest_facets", "off"]
    writable = quotetrack.server.datasette_args(db, meta, "0.0.0.0", 9, writable=True)
    assert "-i" not in writable and writable[-1] == str(db)
    assert writable[writable.index("--host") + 1] == "0.0.0.0"


def test_metadata_for_renames_database_block():
    metadata = quotetrack.server.metadata_for(Path("/somewhere/my-news.db"))
    assert "quotetrack" not in metadata["databases"]
    block = metadata["databases"]["my-news"]
    assert {"articles", "speakers", "quotes"} <= set(block["tables"])
    assert block["tables"]["quotes"]["fts_table"] == "quotes_fts"
    assert metadata["title"] == "quotetrack"
    # a fresh copy each time: naming another database does not see the previous rename
    other = quotetrack.server.metadata_for(Path("other.db"))
    assert set(other["databases"]) == {"other"}
    same = quotetrack.server.metadata_for(Path("quotetrack.db"))
    assert set(same["databases"]) == {"quotetrack"}


def test_server_serve_passes_metadata_to_datasette(monkeypatch, tmp_path):
    import datasette.cli

    seen = {}

    def fake_main(args, prog_name):
        seen["args"] = args
        metadata_file = Path(args[args.index("--metadata") + 1])
        seen["metadata"] = json.loads(metadata_file.read_text("utf-8"))

    monkeypatch.setattr(datasette.cli.cli, "main", fake_main)
    quotetrack.server.serve(tmp_path / "wire.db")
    assert seen["args"][-2:] == ["-i", str(tmp_path / "wire.db")]
    assert seen["args"][seen["args"].index("--host") + 1] == "127.0.0.1"
    assert "wire" in seen["metadata"]["databases"]
    assert not Path(seen["args"][seen["args"].index("--metadata") + 1]).exists()  # temp file cleaned up


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"quotetrack {__version__}"
