"""`quotetrack export` (CSV, JSON, JSON Lines) and the self-describing `database_info` table."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
import yaml
from sqlite_utils import Database

from quotetrack import __version__
from quotetrack.cli import app
from quotetrack.export import FIELD_NAMES, ExportError, export_quotes
from quotetrack.lexicon import extractor_version
from quotetrack.server import metadata_path

FIELDS = ["id", "text", "kind", "speaker", "speaker_kind", "speaker_rank", "speaker_role",
          "speaker_organization", "speaker_mention", "cue", "via", "confidence", "rule", "doc_id",
          "article_title", "url", "outlet", "published", "char_start", "char_end"]
INFO_KEYS = {"quotetrack_version", "extractor_version", "created", "updated", "metadata", "license", "source"}
OLD = "2000-01-01T00:00:00+00:00"


def parse(fmt: str, text: str) -> list[dict]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    if fmt == "json":
        return json.loads(text)
    lines = text.splitlines()
    assert lines and all(line.startswith("{") and line.endswith("}") for line in lines)
    return [json.loads(line) for line in lines]


def info(db_path) -> dict[str, str | None]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select key, value from database_info").fetchall())


@pytest.fixture(scope="module")
def expected(sample_db) -> dict[str, dict]:
    """Each quote of the sample database with its speaker and article, straight from SQL."""
    sql = """
        select quotes.id, quotes.text, quotes.kind, speakers.name as speaker, speakers.rank,
               speakers.organization, quotes.cue, quotes.confidence, articles.doc_id,
               articles.title, quotes.char_start, quotes.char_end
        from quotes join articles on articles.id = quotes.article_id
        left join speakers on speakers.id = quotes.speaker_id
    """
    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    try:
        return {row["id"]: dict(row) for row in conn.execute(sql)}
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_round_trips(runner, sample_db, expected, fmt):
    result = runner.invoke(app, ["export", str(sample_db), "--format", fmt])
    assert result.exit_code == 0, result.output
    exported = parse(fmt, result.stdout)
    assert len(exported) == len(expected) > 20
    assert all(list(row) == FIELDS for row in exported)
    assert len({row["id"] for row in exported}) == len(exported)
    for row in exported:
        want = expected[row["id"]]
        assert row["text"] == want["text"]
        assert row["doc_id"] == want["doc_id"] and row["article_title"] == want["title"]
        if fmt == "csv":  # CSV has only text: empty for NULL, numbers as written
            assert row["speaker"] == (want["speaker"] or "")
            assert (int(row["char_start"]), int(row["char_end"])) == (want["char_start"], want["char_end"])
            assert float(row["confidence"]) == want["confidence"]
        else:
            assert row["speaker"] == want["speaker"]
            assert (row["char_start"], row["char_end"]) == (want["char_start"], want["char_end"])
            assert row["confidence"] == want["confidence"]
    urban = [row for row in exported if "Exercises like this bolster" in row["text"]]
    assert len(urban) == 1
    assert urban[0]["speaker"] == "Bill Urban" and urban[0]["speaker_kind"] == "person"
    assert urban[0]["speaker_organization"] == "U.S. Central Command"
    assert urban[0]["speaker_mention"] and urban[0]["cue"] and urban[0]["rule"]


def test_export_offsets_index_the_article(runner, sample_db, h):
    result = runner.invoke(app, ["export", str(sample_db), "--format", "jsonl"])
    texts = {row["doc_id"]: row["text"] for row in h.rows(sample_db, "select doc_id, text from articles")}
    for row in parse("jsonl", result.stdout):
        assert texts[row["doc_id"]][row["char_start"]:row["char_end"]] == row["text"]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_output_file(runner, sample_db, expected, tmp_path, fmt):
    target = tmp_path / f"quotes.{fmt}"
    target.write_text("old contents that must go\n", "utf-8")
    result = runner.invoke(app, ["export", str(sample_db), "--format", fmt, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} quote(s) written to" in result.stdout
    assert "old contents" not in target.read_text("utf-8")
    assert {row["id"] for row in parse(fmt, target.read_text("utf-8"))} == set(expected)


def test_format_from_output_extension(runner, sample_db, expected, tmp_path):
    target = tmp_path / "quotes.jsonl"
    result = runner.invoke(app, ["export", str(sample_db), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(parse("jsonl", target.read_text("utf-8"))) == len(expected)
    plain = runner.invoke(app, ["export", str(sample_db)])
    assert plain.stdout.splitlines()[0] == ",".join(FIELDS)  # csv by default


def test_csv_quotes_commas_quotes_and_newlines(tmp_path, runner, h):
    article = 'Title\n\n"Yes, we said \'no\' – and meant it," said Alice Marsh.\n'
    h.write_article(tmp_path / "in" / "a.txt", article)
    assert runner.invoke(app, ["extract", str(tmp_path / "q.db"), str(tmp_path / "in")]).exit_code == 0
    result = runner.invoke(app, ["export", str(tmp_path / "q.db"), "--format", "csv"])
    [row] = parse("csv", result.stdout)
    assert row["text"] == "Yes, we said 'no' – and meant it,"
    assert row["speaker"] == "Alice Marsh" and row["url"] == ""


def test_empty_database_exports_valid_documents(tmp_path, runner, h):
    h.write_article(tmp_path / "in" / "a.txt", "No quotes here\n\nJust a plain sentence.\n")
    assert runner.invoke(app, ["extract", str(tmp_path / "q.db"), str(tmp_path / "in")]).exit_code == 0
    outputs = {fmt: runner.invoke(app, ["export", str(tmp_path / "q.db"), "--format", fmt]).stdout
               for fmt in ("csv", "json", "jsonl")}
    assert json.loads(outputs["json"]) == []
    assert outputs["jsonl"] == ""
    assert outputs["csv"].splitlines() == [",".join(FIELDS)]


def test_json_is_written_as_it_is_read(sample_db, expected):
    """The JSON array is written piece by piece, one object per write, not built in memory."""
    writes: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text):
            writes.append(text)
            return super().write(text)

    out = Recorder()
    assert export_quotes(Database(sample_db), "json", out) == len(expected)
    assert len(json.loads(out.getvalue())) == len(expected)
    assert max(len(w) for w in writes) < len(out.getvalue()) / 5
    assert len(writes) >= len(expected)


def test_missing_database(runner, tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path / "nope.db"), "--format", "json"])
    assert result.exit_code == 2
    assert "no database at" in result.output


def test_not_a_quotetrack_database(runner, tmp_path):
    Database(tmp_path / "other.db")["things"].insert({"a": 1})
    result = runner.invoke(app, ["export", str(tmp_path / "other.db")])
    assert result.exit_code == 2
    assert "no quotes table" in result.output
    with pytest.raises(ExportError):
        export_quotes(Database(tmp_path / "other.db"), "csv", io.StringIO())


def test_output_problems_exit_2_and_keep_the_database(runner, sample_db_copy, tmp_path):
    before = sample_db_copy.read_bytes()
    itself = runner.invoke(app, ["export", str(sample_db_copy), "-o", str(sample_db_copy)])
    assert itself.exit_code == 2 and "database itself" in itself.output
    assert sample_db_copy.read_bytes() == before
    nowhere = runner.invoke(app, ["export", str(sample_db_copy), "-o", str(tmp_path / "no" / "such" / "x.csv")])
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.output
    folder = runner.invoke(app, ["export", str(sample_db_copy), "-o", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output


def test_field_names_are_the_documented_ones():
    assert FIELD_NAMES == FIELDS


# The database describes itself


def test_database_info(sample_db):
    facts = info(sample_db)
    assert INFO_KEYS <= set(facts)
    assert facts["quotetrack_version"] == __version__
    assert facts["extractor_version"] == extractor_version()
    metadata = json.loads(facts["metadata"])
    assert "databases" in metadata
    assert metadata == yaml.safe_load(metadata_path().read_text("utf-8"))
    assert facts["license"] == metadata["license"] and facts["license"]
    assert facts["source"] == metadata["source"] and facts["source"]
    [run] = [r for r in sqlite3.connect(sample_db).execute("select started, finished from runs")]
    assert facts["created"] == run[0] and facts["updated"] == run[1]


def test_database_info_unchanged_by_a_no_op_run(sample_db_copy, extract, articles_dir, h):
    # Old dates, so that a rewrite within the same second would still show.
    with sqlite3.connect(sample_db_copy) as conn:
        conn.execute("update database_info set value = ? where key in ('created', 'updated')", [OLD])
    before = info(sample_db_copy)
    result = extract(sample_db_copy, articles_dir)
    assert h.parse_summary(result.stdout)["unchanged"] == 5
    assert info(sample_db_copy) == before
    assert before["updated"] == OLD


def test_database_info_updated_by_a_run_that_changes_something(sample_db_copy, extract, corpus, h):
    with sqlite3.connect(sample_db_copy) as conn:
        conn.execute("update database_info set value = ? where key in ('created', 'updated')", [OLD])
        conn.execute("update database_info set value = 'stale' where key = 'quotetrack_version'")
    result = extract(sample_db_copy, corpus)
    assert h.parse_summary(result.stdout)["new"] == 2
    after = info(sample_db_copy)
    assert after["created"] == OLD
    assert after["updated"] != OLD
    assert after["updated"] == h.rows(sample_db_copy, "select finished from runs order by id desc limit 1")[0][
        "finished"]
    assert after["quotetrack_version"] == __version__


def test_database_info_created_from_the_first_run_of_an_older_database(sample_db_copy, extract, corpus, h):
    """A database written before database_info existed dates itself from its first run."""
    with sqlite3.connect(sample_db_copy) as conn:
        conn.execute("drop table database_info")
        conn.execute("update runs set started = ?", [OLD])
    extract(sample_db_copy, corpus)
    facts = info(sample_db_copy)
    assert facts["created"] == OLD
    assert INFO_KEYS <= set(facts) and facts["updated"] != OLD
