"""The extract job below the CLI: what counts as changed, batching, progress."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from sqlite_utils import Database

import quotetrack.cli
import quotetrack.pipeline
from quotetrack.cli import app
from quotetrack.ingest import total_bytes
from quotetrack.pipeline import run_extract


def test_changed_metadata_updates_the_article(tmp_path, extract, h):
    feed = tmp_path / "feed.jsonl"
    h.write_jsonl(feed, [{"id": "a", "title": "Old title", "url": "http://old", "text": h.FERRY},
                         {"id": "b", "title": "Bakery", "text": h.BAKERY}])
    assert extract(tmp_path / "q.db", feed).exit_code == 0
    quotes_before = h.rows(tmp_path / "q.db", "select * from quotes order by id")
    h.write_jsonl(feed, [{"id": "a", "title": "New title", "url": "http://new", "outlet": "Gazette",
                          "text": h.FERRY},
                         {"id": "b", "title": "Bakery", "text": h.BAKERY}])
    result = extract(tmp_path / "q.db", feed)
    summary = h.parse_summary(result.stdout)
    assert (summary["changed"], summary["unchanged"]) == (1, 1)
    [row] = h.rows(tmp_path / "q.db", "select title, url, outlet from articles where doc_id = 'a'")
    assert row == {"title": "New title", "url": "http://new", "outlet": "Gazette"}
    # same text, same offsets: the quotes are the same rows
    assert h.rows(tmp_path / "q.db", "select * from quotes order by id") == quotes_before


def test_new_extractor_version_reextracts_everything(sample_db_copy, articles_dir, extract, h, monkeypatch):
    monkeypatch.setattr(quotetrack.pipeline, "extractor_version", lambda: "test-version")
    result = extract(sample_db_copy, articles_dir)
    assert result.exit_code == 0
    summary = h.parse_summary(result.stdout)
    assert (summary["changed"], summary["unchanged"]) == (5, 0)
    versions = {row["extractor_version"] for row in h.rows(sample_db_copy, "select * from articles")}
    assert versions == {"test-version"}
    assert h.rows(sample_db_copy, "select extractor_version from runs order by id desc limit 1") == [
        {"extractor_version": "test-version"}]
    again = extract(sample_db_copy, articles_dir)
    assert h.parse_summary(again.stdout)["unchanged"] == 5


def test_batch_size_does_not_change_the_result(tmp_path, articles_dir, corpus, h):
    paths = [str(articles_dir), str(corpus)]
    big = run_extract(Database(tmp_path / "big.db"), paths)
    small = run_extract(Database(tmp_path / "small.db"), paths, batch_size=1)
    assert (big.new, big.quotes, big.speakers) == (small.new, small.quotes, small.speakers) == (
        7, big.quotes, big.speakers)
    assert h.dump_tables(tmp_path / "big.db") == h.dump_tables(tmp_path / "small.db")


def test_duplicates_found_across_batches(tmp_path, h):
    h.write_jsonl(tmp_path / "feed.jsonl", [{"id": "same", "text": h.FERRY}, {"id": "other", "text": h.RIVER},
                                            {"id": "same", "text": h.BAKERY}])
    problems = []
    summary = run_extract(Database(tmp_path / "q.db"), [str(tmp_path / "feed.jsonl")],
                          on_problem=problems.append, batch_size=1)
    assert (summary.new, summary.skipped) == (2, 1)
    assert [p.source for p in problems] == [f"{tmp_path / 'feed.jsonl'}:3"]
    assert h.rows(tmp_path / "q.db", "select text from articles where doc_id = 'same'") == [{"text": h.FERRY}]


def test_progress_reaches_total_bytes(tmp_path, corpus, h):
    h.write_jsonl(corpus / "feed.jsonl", [{"id": "x", "text": h.RIVER}, "not json", ""])
    h.write_article(corpus / "bad.txt", b"\x00")
    seen = []
    run_extract(Database(tmp_path / "q.db"), [str(corpus)], on_progress=seen.append)
    assert seen == sorted(seen) and len(seen) >= 4
    assert seen[-1] == total_bytes([str(corpus)]) == sum(p.stat().st_size for p in corpus.rglob("*"))
    assert total_bytes([str(corpus), "-"]) is None


def test_progress_bar_on_a_terminal(tmp_path, runner, corpus, h, monkeypatch):
    """With a terminal on stderr the progress bar is drawn; the database is the same."""
    monkeypatch.setattr(quotetrack.cli, "err", Console(stderr=True, force_terminal=True, emoji=False))
    result = runner.invoke(app, ["extract", str(tmp_path / "bar.db"), str(corpus)])
    assert result.exit_code == 0, result.output
    assert h.parse_summary(result.stdout)["new"] == 2
    plain = runner.invoke(app, ["extract", str(tmp_path / "plain.db"), str(corpus)])
    assert plain.exit_code == 0
    assert h.dump_tables(tmp_path / "bar.db") == h.dump_tables(tmp_path / "plain.db")


def test_stdin_jsonl_with_byte_order_mark(tmp_path, runner, h):
    data = b"\xef\xbb\xbf" + (json.dumps({"id": "bom", "text": h.FERRY}) + "\n").encode()
    result = runner.invoke(app, ["extract", str(tmp_path / "q.db"), "-"], input=data)
    assert result.exit_code == 0, result.output
    assert h.rows(tmp_path / "q.db", "select doc_id, text from articles") == [{"doc_id": "bom", "text": h.FERRY}]


def test_text_file_byte_order_mark_is_not_in_title(tmp_path, extract, h):
    h.write_article(tmp_path / "bom.txt", b"\xef\xbb\xbf" + h.FERRY.encode())
    assert extract(tmp_path / "q.db", tmp_path / "bom.txt").exit_code == 0
    [row] = h.rows(tmp_path / "q.db", "select title, text from articles")
    assert row == {"title": "Harbor Town Approves New Ferry Schedule", "text": h.FERRY}


def test_an_extractor_bug_costs_one_article_not_the_run(tmp_path, monkeypatch):
    from sqlite_utils import Database

    from quotetrack import pipeline, records
    from quotetrack.ingest import Article

    real = records.extract

    def broken_on_b(text):
        if "boom" in text:
            raise IndexError("list index out of range")
        return real(text)

    monkeypatch.setattr(records, "extract", broken_on_b)
    problems = []
    db = Database(tmp_path / "q.db")
    articles = [Article("a", "“We are fine,” Harris said.", "a.txt"),
                Article("b", "“It went boom,” Harris said.", "b.txt")]
    summary = pipeline.extract_items(db, articles, ["test"], on_problem=problems.append)
    assert summary.new == 1 and summary.skipped == 1
    assert "extractor failed (IndexError" in problems[0].message and problems[0].source == "b.txt"
    assert [row["doc_id"] for row in db["articles"].rows] == ["a"]


def test_each_batch_of_articles_is_one_transaction(tmp_path, monkeypatch, h):
    h.write_jsonl(tmp_path / "feed.jsonl", [{"id": f"a{i}", "text": f"{h.RIVER}Day {i}."} for i in range(450)])
    written = []
    real = quotetrack.pipeline.write_batch
    monkeypatch.setattr(quotetrack.pipeline, "write_batch", lambda db, prepared, **options:
                        written.append(len(prepared)) or real(db, prepared, **options))
    run_extract(Database(tmp_path / "small.db"), [str(tmp_path / "feed.jsonl")], batch_size=200)
    assert written == [200, 200, 50]
    written.clear()
    run_extract(Database(tmp_path / "default.db"), [str(tmp_path / "feed.jsonl")])
    assert written == [450]  # tasks of 200 articles for the workers, one transaction for all
    assert h.dump_tables(tmp_path / "small.db") == h.dump_tables(tmp_path / "default.db")


def test_batch_size_option(tmp_path, extract, monkeypatch, h):
    h.write_jsonl(tmp_path / "feed.jsonl", [{"id": f"a{i}", "text": f"{h.RIVER}Day {i}."} for i in range(3)])
    written = []
    real = quotetrack.pipeline.write_batch
    monkeypatch.setattr(quotetrack.pipeline, "write_batch", lambda db, prepared, **options:
                        written.append(len(prepared)) or real(db, prepared, **options))
    result = extract(tmp_path / "q.db", tmp_path / "feed.jsonl", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert written == [2, 1]
    assert extract(tmp_path / "other.db", tmp_path / "feed.jsonl", "--batch-size", "0").exit_code == 2


def test_the_garbage_collector_rests_while_a_batch_is_written_and_only_then(tmp_path, monkeypatch, h):
    import gc

    import quotetrack.db

    h.write_jsonl(tmp_path / "feed.jsonl", [{"id": f"a{i}", "text": f"{h.RIVER}Day {i}."} for i in range(3)])
    collecting = []
    real = quotetrack.db._write_batch

    def write(*args):
        collecting.append(gc.isenabled())
        if len(collecting) == 2:
            raise RuntimeError("disk on fire")
        return real(*args)

    monkeypatch.setattr(quotetrack.db, "_write_batch", write)
    assert gc.isenabled()
    run_extract(Database(tmp_path / "q.db"), [str(tmp_path / "feed.jsonl")])
    assert collecting == [False] and gc.isenabled()
    # a failing batch gives it back too
    h.write_jsonl(tmp_path / "more.jsonl", [{"id": f"b{i}", "text": f"{h.RIVER}Night {i}."} for i in range(2)])
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_extract(Database(tmp_path / "q.db"), [str(tmp_path / "more.jsonl")])
    assert collecting == [False, False] and gc.isenabled()
