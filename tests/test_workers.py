"""Extraction in worker processes and on a Dask cluster gives the database one process gives (issue 8)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
import quotetrack.pipeline
from sqlite_utils import Database
from typer.testing import CliRunner

from helpers import write_jsonl
from quotetrack.cli import app
from quotetrack.ingest import read_inputs
from quotetrack.pipeline import extract_items
from quotetrack.workers import WORKER_NICENESS, ProcessWorkers, Workers, workers

FIRST = "Alice Bruno Carla Dmitri Elena Farid Greta Hugo".split()
LAST = "Marsh Ellis Lopez Novak Berg Costa Duval Haas Ivanov".split()
# every content table, without the clock readings (ingested, run dates)
TABLES = {"articles": "id, doc_id, title, text, quote_count, copy_of, copy_share", "quotes": "*",
          "speakers": "*", "speaker_keys": "*", "aliases": "*", "statements": "*",
          "statement_shingles": "*", "statement_echoes": "*", "article_paragraphs": "*"}


def feed(tmp_path, count=60):
    records = []
    for n in range(count):
        first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
        other = LAST[(n * 7) % len(LAST)]
        text = (f"Report {n}\n\n“The convoy moved {n % 5} kilometres overnight and will rest,” said "
                f"{first} {last}, a spokesman for the ministry.\n\n{last} added that “nothing was damaged "
                f"in the move.” Minister {FIRST[n % 3]} {other} said the plan was “working as intended.”\n")
        records.append({"id": f"a{n}", "text": text, "published": f"2024-01-{1 + n % 28:02d}"})
    records.append(dict(records[3], id="copy-of-a3"))  # a duplicate text: skipped by every engine
    return write_jsonl(tmp_path / "feed.jsonl", records)


def content(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return {table: sorted(conn.execute(f"select {columns} from {table}").fetchall(), key=repr)
                for table, columns in TABLES.items()}
    finally:
        conn.close()


def run(tmp_path, name, pool, batch_size=7):
    path = feed(tmp_path)
    db_path = tmp_path / f"{name}.db"
    problems = []
    with pool:
        summary = extract_items(Database(db_path), read_inputs([str(path)]), [str(path)],
                                on_problem=problems.append, batch_size=batch_size, workers=pool)
    return db_path, summary, problems


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    return run(tmp_path_factory.mktemp("single"), "single", Workers())


def test_worker_processes_store_what_one_process_stores(tmp_path, one_process):
    single, expected, _ = one_process
    db_path, summary, problems = run(tmp_path, "processes", ProcessWorkers(2))
    assert (summary.new, summary.duplicates) == (60, 1) == (expected.new, expected.duplicates)
    assert [p.kind for p in problems] == ["duplicate"] and "same text as" in problems[0].message
    assert "'a3'" in problems[0].message
    stored = content(db_path)
    assert len(stored["quotes"]) == expected.quotes > 100
    assert stored == content(single)


def test_worker_processes_yield_the_cpu_to_the_writer():
    # the writer sets the pace: workers run at a lower priority (a higher niceness)
    if os.nice(0) >= 19:
        pytest.skip("the tests already run at the lowest priority")
    with ProcessWorkers(1) as pool:
        niceness = pool.submit(os.nice, 0).result()
    assert niceness == min(19, os.nice(0) + WORKER_NICENESS) > os.nice(0)


class DeferredWorkers(Workers):
    """Workers that run a task only when its result is asked for, and count the tasks out."""

    capacity = 2

    def __init__(self) -> None:
        self.out = self.most_out = 0

    def submit(self, fn, *args):
        workers, future = self, Future()

        def result(timeout=None):
            if not future.done():
                future.set_result(fn(*args))
                workers.out -= 1
            return Future.result(future, timeout)

        future.result = result
        self.out += 1
        self.most_out = max(self.most_out, self.out)
        return future


def test_workers_have_a_batch_of_tasks_queued_beyond_their_capacity(tmp_path, one_process, monkeypatch):
    # while the writer writes a batch, the workers must have the next one to extract
    monkeypatch.setattr(quotetrack.pipeline, "TASK_SIZE", 2)
    pool = DeferredWorkers()
    db_path, summary, _ = run(tmp_path, "deferred", pool, batch_size=10)
    assert pool.most_out == pool.capacity + 10 // 2 + 1  # one more is sent before the oldest is collected
    assert summary.new == 60 and content(db_path) == content(one_process[0])


def test_a_two_worker_dask_cluster_stores_what_one_process_stores(tmp_path, one_process):
    pytest.importorskip("dask.distributed")
    single, expected, _ = one_process
    db_path, summary, _ = run(tmp_path, "dask", workers("dask", jobs=2))
    assert summary.new == expected.new == 60
    assert content(db_path) == content(single)


def test_jobs_option_and_a_rerun_change_nothing(tmp_path, one_process):
    single, _, _ = one_process
    path = feed(tmp_path)
    db_path = tmp_path / "cli.db"
    first = CliRunner().invoke(app, ["extract", str(db_path), str(path), "--jobs", "2"])
    assert first.exit_code == 0, first.output
    assert "60 articles read (60 new" in first.stdout
    again = CliRunner().invoke(app, ["extract", str(db_path), str(path), "-j", "2"])
    assert "(0 new, 0 changed, 60 unchanged)" in again.stdout
    assert content(db_path) == content(single)


def test_a_scheduler_without_the_dask_engine_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "q.db"), str(feed(tmp_path)),
                                      "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "--scheduler needs --engine dask" in result.stderr


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("dask.distributed")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "q.db"), str(feed(tmp_path)),
                                      "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "no Dask scheduler at tcp://127.0.0.1:9" in result.stderr and "Traceback" not in result.output


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError):
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
def test_killing_extract_kills_its_workers(tmp_path):
    path = feed(tmp_path, count=3000)
    proc = subprocess.Popen([sys.executable, "-m", "quotetrack", "extract", str(tmp_path / "q.db"), str(path),
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers_seen = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers_seen = [pid for pid in children_of(proc.pid)
                        if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        if len(workers_seen) >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers_seen) >= 2, "the workers never started"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # would hang while a worker kept the output pipes open
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers_seen):
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers_seen)
