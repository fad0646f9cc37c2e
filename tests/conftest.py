"""Shared fixtures for the I/O tests: the CLI runner, the sample corpus, small made-up articles."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from helpers import write_article, write_jsonl
from quotetrack.cli import app

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "data" / "articles"
CONTENT_TABLES = ("articles", "quotes", "speakers")

# Small articles written for these tests.  Every quote sits in its own
# paragraph and is attributed with a plain "said <Name>" so that the I/O
# tests do not depend on the finer points of the extraction rules.
FERRY = (
    "Harbor Town Approves New Ferry Schedule\n"
    "\n"
    "The mayor of Harbor Town, Alice Marsh, announced the change on Monday.\n"
    "\n"
    '"The new timetable will serve commuters much better," said Alice Marsh.\n'
    "\n"
    '"We listened to every complaint about the late boats," Marsh said.\n'
    "\n"
    '"Nobody should wait an hour for a ferry," Marsh added.\n'
)
BAKERY = (
    "Local Bakery Wins Regional Prize\n"
    "\n"
    "The Ellis family bakery won the county prize on Sunday.\n"
    "\n"
    '"Our sourdough has always been a family recipe," said Tom Ellis.\n'
    "\n"
    '"We bake every loaf by hand," Ellis said.\n'
)
RIVER = '"The river is rising fast," said Maria Lopez.\n'

SUMMARY_RE = re.compile(
    r"(?P<read>\d+) articles read \((?P<new>\d+) new, (?P<changed>\d+) changed, "
    r"(?P<unchanged>\d+) unchanged\), (?P<skipped>\d+) skipped"
    r"(?: \((?:(?P<duplicates>\d+) duplicates?)?(?:, )?(?:(?P<not_articles>\d+) non-article records?)?\))?"
    r"; the database holds "
    r"(?P<quotes>\d+) quotes from (?P<speakers>\d+) speakers"
)


def parse_summary(output: str) -> dict[str, int]:
    """The numbers of the summary line ``extract`` prints."""
    match = SUMMARY_RE.search(output)
    assert match, f"no summary line in output:\n{output}"
    return {key: int(value or 0) for key, value in match.groupdict().items()}


def dump_tables(db_path: Path, tables=CONTENT_TABLES) -> dict[str, list[tuple]]:
    """Every row of the given tables, sorted, to compare a database before and after."""
    with sqlite3.connect(db_path) as conn:
        dumped = {}
        for table in tables:
            # when an article was first stored is a clock reading, not content
            columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])") if row[1] != "ingested"]
            select = ", ".join(f"[{c}]" for c in columns)
            dumped[table] = sorted(conn.execute(f"select {select} from [{table}]").fetchall(), key=repr)
        return dumped


def rows(db_path: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    assert ARTICLES.is_dir() and len(list(ARTICLES.glob("*.txt"))) == 5
    return ARTICLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def extract(runner) -> Callable:
    """Run ``quotetrack extract DB PATH...`` (extra CLI options allowed) and return the Result."""

    def run(db_path: Path, *paths, input: str | bytes | None = None):
        return runner.invoke(app, ["extract", str(db_path), *map(str, paths)], input=input)

    return run


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, articles_dir) -> Path:
    """data/articles extracted once per session.  Read it, never write to it: copy it first."""
    db_path = tmp_path_factory.mktemp("sample") / "sample.db"
    result = CliRunner().invoke(app, ["extract", str(db_path), str(articles_dir)])
    assert result.exit_code == 0, result.output
    return db_path


@pytest.fixture
def sample_db_copy(sample_db, tmp_path) -> Path:
    """A private copy of the sample database that a test may change."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(sample_db.read_bytes())
    return copy


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A folder with two small made-up articles: ferry.txt (3 quotes) and bakery.txt (2 quotes)."""
    folder = tmp_path / "in"
    write_article(folder / "ferry.txt", FERRY)
    write_article(folder / "bakery.txt", BAKERY)
    return folder


# Plain helpers, handed to tests through a fixture so that no test module imports conftest.
@pytest.fixture
def h() -> SimpleNamespace:
    return SimpleNamespace(
        parse_summary=parse_summary, dump_tables=dump_tables, rows=rows,
        write_article=write_article, write_jsonl=write_jsonl,
        FERRY=FERRY, BAKERY=BAKERY, RIVER=RIVER,
    )
