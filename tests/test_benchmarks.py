"""The measuring tools of benchmarks/ that other figures rest on: they run, and count what they say."""

from __future__ import annotations

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
