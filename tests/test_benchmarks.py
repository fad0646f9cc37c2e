"""The measuring tools of benchmarks/ that other figures rest on: they run, and count what they say."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from quotetrack.pipeline import run_extract

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _feed(path: Path, h, prefix: str, count: int) -> Path:
    return h.write_jsonl(path, [{"id": f"{prefix}{i}", "text": f"“We are staying put, {prefix} {i},” said Maria "
                                 f"Lopez, the mayor of Town {i}.\n\n{h.RIVER}Day {prefix}{i}."} for i in range(count)])


def test_wal_pages_attributes_a_batchs_pages_to_the_tables_it_wrote(tmp_path, h):
    db_path = tmp_path / "q.db"
    run_extract(Database(db_path), [str(_feed(tmp_path / "first.jsonl", h, "a", 5))])
    more = _feed(tmp_path / "more.jsonl", h, "b", 3)
    result = subprocess.run([sys.executable, str(BENCHMARKS / "wal_pages.py"), str(db_path), str(more)],
                            capture_output=True, text=True, check=True)
    header = re.search(r"^3 new articles, (\d+) quotes in the database; their batch's commit left "
                       r"(\d+) frames, (\d+) distinct pages", result.stdout, re.MULTILINE)
    assert header, result.stdout
    assert int(header[1]) == Database(db_path)["quotes"].count
    rows = {m[1]: int(m[2].replace(",", "")) for m in re.finditer(r"^\| (\S+) \| ([\d,]+) \|", result.stdout, re.MULTILINE)}
    assert {"articles", "quotes", "sqlite_autoindex_quotes_1"} <= set(rows)
    assert sum(rows.values()) == int(header[3])  # every distinct page has its owner
    assert Database(db_path)["articles"].count == 8


def test_writer_benchmark_replays_the_extracted_rows(tmp_path, h):
    corpus = _feed(tmp_path / "corpus.jsonl", h, "c", 12)
    result = subprocess.run([sys.executable, str(BENCHMARKS / "writer.py"), str(corpus), "--articles", "10",
                             "--runs", "2"], capture_output=True, text=True, check=True, cwd=tmp_path)
    runs = re.findall(r"^run \d: 10 articles, (\d+) quotes, ([\d.]+) ms of CPU per article", result.stdout, re.MULTILINE)
    assert len(runs) == 2 and runs[0][0] == runs[1][0] and int(runs[0][0]) >= 10
    assert all(float(ms) > 0 for _, ms in runs)
    assert re.search(r"writer CPU per article: best [\d.]+ ms, median [\d.]+ ms", result.stdout)


def test_the_writers_floor_stores_every_quote_searchable_without_look_ups(tmp_path, h, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import writer

    long_paragraph = "The council met on Tuesday evening to discuss the flood defences along the river. " * 2
    corpus = h.write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": f"c{i}", "text": f"“We are staying put, {i},” said Maria Lopez, the mayor of Town {i}.\n\n"
                                f"{long_paragraph}Day {i}."} for i in range(5)])
    store, db_path = tmp_path / "rows.pickle", tmp_path / "plain.db"
    writer.record(str(corpus), 5, str(store))
    writer.plain_replay(str(store), str(db_path), batch_size=2)
    reported = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    db = Database(db_path)
    quotes = db["quotes"].count
    assert db["articles"].count == reported["articles"] == 5 and quotes == reported["quotes"] >= 5
    # every quote its own statement, every speaker key its own speaker: nothing was looked up
    assert db.execute("select count(*) from quotes where statement_id = id and speaker_id is speaker_key").fetchone()[0] == quotes
    assert db["statements"].count == quotes
    assert db["statement_shingles"].count > 0 and db["article_paragraphs"].count > 0
    # indexed for search as the writer indexes, with the insert trigger back in place
    assert db.execute("select count(*) from quotes_fts where quotes_fts match 'staying'").fetchone()[0] == 5
    assert "quotes_ai" in {t.name for t in db.triggers}


def test_writer_benchmark_plain_replays_as_many_quotes_as_the_writer(tmp_path, h):
    corpus = _feed(tmp_path / "corpus.jsonl", h, "c", 12)
    counts = {}
    for mode in ([], ["--plain"]):
        result = subprocess.run([sys.executable, str(BENCHMARKS / "writer.py"), str(corpus), "--articles", "10",
                                 "--runs", "1", *mode], capture_output=True, text=True, check=True, cwd=tmp_path)
        counts[bool(mode)] = re.search(r"^run 1: 10 articles, (\d+) quotes", result.stdout, re.MULTILINE)[1]
    assert "plain inserts CPU per article: best" in result.stdout
    assert counts[True] == counts[False]


def test_writer_benchmark_writes_into_copies_of_a_database_it_leaves_alone(tmp_path, h):
    db_path = tmp_path / "q.db"
    first = _feed(tmp_path / "first.jsonl", h, "a", 5)
    run_extract(Database(db_path), [str(first)])
    stored = Database(db_path)["quotes"].count
    more = tmp_path / "more.jsonl"  # two articles the database has, four it has not
    more.write_text("".join(first.read_text().splitlines(keepends=True)[:2])
                    + _feed(tmp_path / "new.jsonl", h, "b", 4).read_text())
    for mode in ([], ["--plain"]):
        result = subprocess.run([sys.executable, str(BENCHMARKS / "writer.py"), str(more), "--articles", "6",
                                 "--runs", "2", "--into", str(db_path), *mode],
                                capture_output=True, text=True, check=True, cwd=tmp_path)
        # every run finds the copy as it was: the same 4 new articles to write each time
        assert re.findall(r"^run \d: (\d+) articles", result.stdout, re.MULTILINE) == ["4", "4"], result.stdout
    assert Database(db_path)["articles"].count == 5 and Database(db_path)["quotes"].count == stored
