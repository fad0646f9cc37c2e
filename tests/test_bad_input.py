"""Bad input never loses data: clear errors for bad arguments, warnings for bad articles."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

# (file name, content, words expected in the warning, line number named in the warning)
BAD_FILES = {
    "binary": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary", None),
    "not-utf8": ("latin1.txt", "Caf\u00e9 News\n\nLine two.\nLine three caf\u00e9.\n".encode("latin-1"),
                 "not valid UTF-8", None),
    "empty": ("empty.txt", b"", "empty", None),
    "whitespace": ("blank.md", b"  \n\n\t\n", "empty", None),
    "empty-jsonl": ("nothing.jsonl", b"\n\n", "empty", None),
    "jsonl-not-json": ("feed.jsonl", b'{"text": "fine"\n', "not valid JSON", 1),
    "jsonl-no-text": ("feed.jsonl", b'{"id": "x", "title": "No text"}\n', '"text"', 1),
    "jsonl-non-string-text": ("feed.jsonl", b'{"id": "x", "text": ["a", "list"]}\n', "non-string", 1),
    "jsonl-number-text": ("feed.jsonl", b'{"id": "x", "text": 12}\n', "non-string", 1),
    "jsonl-empty-text": ("feed.jsonl", b'{"id": "x", "text": "   "}\n', "empty", 1),
    "jsonl-not-object": ("feed.jsonl", b'["text", "in", "a", "list"]\n', "not a JSON object", 1),
    "jsonl-bad-utf8": ("feed.jsonl", b'{"text": "caf\xe9"}\n', "not valid", 1),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_skipped_with_warning(tmp_path, extract, h, case):
    name, content, words, line = BAD_FILES[case]
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    bad = h.write_article(folder / "z" / name, content)
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    where = f"{bad}:{line}" if line else str(bad)
    warnings = [text for text in result.stderr.splitlines() if "Warning" in text]
    assert len(warnings) == 1, result.stderr
    assert where in warnings[0] and words in warnings[0]
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["skipped"]) == (1, 1)
    assert h.rows(tmp_path / "q.db", "select doc_id from articles") == [{"doc_id": "good.txt"}]
    assert summary["quotes"] == 3


def test_non_utf8_warning_names_the_line(tmp_path, extract, h):
    bad = h.write_article(tmp_path / "in" / "latin1.txt", "Title\n\nok\ncaf\u00e9\n".encode("latin-1"))
    result = extract(tmp_path / "q.db", bad)
    assert result.exit_code == 0
    assert "0xe9 on line 4" in result.stderr


def test_jsonl_bad_lines_between_good_ones(tmp_path, extract, h):
    feed = h.write_jsonl(tmp_path / "in" / "feed.jsonl", [
        {"id": "ferry", "text": h.FERRY},
        "this is not json",
        {"id": "no-text", "title": "nothing here"},
        "",
        {"id": "bad-text", "text": {"nested": True}},
        {"id": "bakery", "text": h.BAKERY},
        '{"id": "truncated", "text": "cut off',
    ])
    result = extract(tmp_path / "q.db", tmp_path / "in")
    assert result.exit_code == 0, result.output
    for line in (2, 3, 5, 7):
        assert f"{feed}:{line}:" in result.stderr
    assert f"{feed}:4" not in result.stderr  # blank lines are not problems
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["skipped"]) == (2, 4)
    ids = {row["doc_id"] for row in h.rows(tmp_path / "q.db", "select doc_id from articles")}
    assert ids == {"ferry", "bakery"}


def test_all_bad_inputs_counted_together(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    h.write_article(folder / "bin.txt", b"abc\x00def")
    h.write_article(folder / "latin.txt", b"caf\xe9")
    h.write_article(folder / "empty.txt", b"")
    h.write_jsonl(folder / "feed.jsonl", ["{nope", {"title": "no text"}, {"text": 5}, {"id": "b", "text": h.BAKERY}])
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["skipped"]) == (2, 6)
    assert result.stderr.count("Warning") == 6


def test_strict_exits_1_but_stores_good_articles(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    h.write_article(folder / "bad.txt", b"\x00\x01\x02")
    result = extract(tmp_path / "q.db", folder, "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr and "bad.txt" in result.stderr
    assert h.rows(tmp_path / "q.db", "select doc_id from articles") == [{"doc_id": "good.txt"}]
    assert len(h.rows(tmp_path / "q.db", "select id from quotes")) == 3
    assert len(h.rows(tmp_path / "q.db", "select id from runs")) == 1


def test_strict_without_problems_exits_0(tmp_path, extract, corpus):
    result = extract(tmp_path / "q.db", corpus, "--strict")
    assert result.exit_code == 0, result.output


def test_missing_path(tmp_path, extract, corpus):
    db_path = tmp_path / "q.db"
    missing = tmp_path / "no-such-folder"
    result = extract(db_path, corpus, missing)
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr and str(missing) in result.stderr
    assert "Traceback" not in result.output
    assert not db_path.exists()


def test_database_in_missing_folder(tmp_path, extract, corpus):
    db_path = tmp_path / "nowhere" / "q.db"
    result = extract(db_path, corpus)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_database_path_is_a_directory(tmp_path, extract, corpus):
    result = extract(tmp_path, corpus)
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_database_that_is_not_sqlite_is_left_alone(tmp_path, extract, corpus):
    db_path = tmp_path / "notes.db"
    content = b"my precious notes, not a database\n" * 100
    db_path.write_bytes(content)
    result = extract(db_path, corpus)
    assert result.exit_code == 2
    assert "not a database" in result.stderr
    assert "Traceback" not in result.output
    assert db_path.read_bytes() == content


def test_existing_data_survives_bad_input(sample_db_copy, extract, tmp_path, h):
    tables = ("articles", "quotes", "speakers", "runs")
    before = h.dump_tables(sample_db_copy, tables)
    folder = tmp_path / "bad"
    h.write_article(folder / "bin.txt", b"\x00" * 10)
    h.write_article(folder / "empty.txt", b"")
    h.write_jsonl(folder / "feed.jsonl", ["not json", {"text": None}])
    for args in ([folder], [folder, "--strict"], [tmp_path / "missing"], [folder, "-", "-"]):
        result = extract(sample_db_copy, *args)
        assert result.exit_code in (0, 1, 2)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert h.dump_tables(sample_db_copy, tables) == before, args


def test_unreadable_file(tmp_path, extract, h):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    secret = h.write_article(folder / "secret.txt", h.BAKERY)
    secret.chmod(0)
    try:
        result = extract(tmp_path / "q.db", folder)
    finally:
        secret.chmod(0o644)
    assert result.exit_code == 0
    assert str(secret) in result.stderr and "cannot read" in result.stderr
    assert h.parse_summary(result.stdout)["skipped"] == 1
    assert h.rows(tmp_path / "q.db", "select doc_id from articles") == [{"doc_id": "good.txt"}]


def test_warnings_show_names_literally_and_unwrapped(tmp_path, extract, h):
    """File names and ids are printed as they are: no console markup, no line wrapping."""
    folder = tmp_path / "in" / ("a-long-folder-name-" * 6)
    bad = h.write_article(folder / "[bold]weird[red].txt", b"caf\xe9")
    h.write_jsonl(folder / "feed.jsonl", [{"id": "[/oops]", "text": h.FERRY},
                                          {"id": "[/oops]", "text": h.BAKERY}])
    result = extract(tmp_path / "q.db", tmp_path / "in")
    assert result.exit_code == 0, result.output
    assert result.exception is None
    lines = result.stderr.splitlines()
    assert any(str(bad) in line and "not valid UTF-8" in line for line in lines), result.stderr
    assert any("duplicate id '[/oops]'" in line for line in lines), result.stderr
    assert h.rows(tmp_path / "q.db", "select doc_id from articles") == [{"doc_id": "[/oops]"}]


def test_error_messages_show_paths_literally(tmp_path, extract, corpus):
    missing = tmp_path / "[bold]missing"
    result = extract(tmp_path / "q.db", missing)
    assert result.exit_code == 2
    assert str(missing) in result.stderr


def test_unknown_suffix_given_directly_is_read_as_text(tmp_path, extract, h):
    """Files named on the command line are read whatever their suffix; --format decides the parser."""
    plain = h.write_article(tmp_path / "story.dat", h.FERRY)
    feed = h.write_article(tmp_path / "feed.log", json.dumps({"id": "f", "text": h.BAKERY}) + "\n")
    assert extract(tmp_path / "q.db", plain).exit_code == 0
    assert extract(tmp_path / "q.db", feed, "--format", "jsonl").exit_code == 0
    ids = {row["doc_id"] for row in h.rows(tmp_path / "q.db", "select doc_id from articles")}
    assert ids == {"story.dat", "f"}


def test_bad_stdin(tmp_path, extract, h):
    result = extract(tmp_path / "q.db", "-", input=b"\x00\x01binary")
    assert result.exit_code == 0
    assert "<stdin>" in result.stderr and "binary" in result.stderr
    assert h.parse_summary(result.stdout)["skipped"] == 1
    result = extract(tmp_path / "q.db", "-", "--format", "jsonl", input='{"text": "' + "x" * 5 + '"}\n{oops\n')
    assert "<stdin>:2" in result.stderr
    assert h.parse_summary(result.stdout)["new"] == 1
    assert sqlite3.connect(tmp_path / "q.db").execute("select count(*) from articles").fetchone()[0] == 1


def test_read_error_is_a_warning(tmp_path, extract, h, monkeypatch):
    """Like the unreadable file above, but simulated, so that it also runs as root."""
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    locked = h.write_article(folder / "locked.txt", h.BAKERY)
    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    assert f"{locked}: cannot read file (Permission denied)" in result.stderr
    assert h.parse_summary(result.stdout)["skipped"] == 1
    assert h.rows(tmp_path / "q.db", "select doc_id from articles") == [{"doc_id": "good.txt"}]


UTF16_ARTICLE = "Ferry strike\n\n“The boats will stay in port,” said union leader Ann Cole.\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, codec):
    from typer.testing import CliRunner

    from quotetrack.cli import app

    data = UTF16_ARTICLE.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ferry.txt").write_bytes(data)
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "q.db"), str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "q.db") as conn:
        assert conn.execute("select text from articles").fetchone()[0] == UTF16_ARTICLE
        assert conn.execute("select text from quotes").fetchone()[0] == "The boats will stay in port,"


def test_a_directory_with_a_symlink_loop_is_read_once(tmp_path):
    from typer.testing import CliRunner

    from quotetrack.cli import app

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(UTF16_ARTICLE, encoding="utf-8")
    os.symlink(folder, folder / "sub" / "loop")  # in/sub/loop -> in
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "q.db"), str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 articles read" in result.output or "1 article" in result.output
    with sqlite3.connect(tmp_path / "q.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 1


def test_a_200_mb_article_is_skipped_in_bounded_memory(tmp_path):
    import resource
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(UTF16_ARTICLE, encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:
        line = b"The council met again and nothing was decided about the bridge at all. " * 1000 + b"\n"
        for _ in range(200_000_000 // len(line) + 1):
            handle.write(line)
    with open(folder / "huge.jsonl", "wb") as handle:
        handle.write(b'{"text": "' + b"x" * 30_000_000 + b'"}\n')
        handle.write(json.dumps({"id": "fine", "text": UTF16_ARTICLE.replace("Ferry", "Bus")}).encode() + b"\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run([sys.executable, "-m", "quotetrack", "extract", str(tmp_path / "q.db"), str(folder)],
                         capture_output=True, text=True, timeout=300)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert run.returncode == 0, run.stderr
    assert "huge.txt" in run.stderr and "larger than 20 MB" in run.stderr
    assert "huge.jsonl:1" in run.stderr and "line longer than 20 MB" in run.stderr
    assert peak_mb < 400 or before / 1024 >= 400, f"peak memory {peak_mb:.0f} MB"
    with sqlite3.connect(tmp_path / "q.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 2
