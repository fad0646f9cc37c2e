"""SIGKILL the extract job at random moments, many times, and check that nothing is lost.

    python benchmarks/crash_benchmark.py [KILLS] [ARTICLES]     # default 60 kills, 1,000 articles

Makes a JSON Lines feed of ARTICLES different articles from the samples (as
tests/test_reliability.py does), extracts it once undisturbed, then again and
again into another file, each process killed with SIGKILL at a moment drawn
uniformly over the length of a whole run.  After every kill the file must be
sound (see ``check_consistent``); when a run gets to the end, its content must
be that of the undisturbed run, and the next job starts on a new file.  Kills
are counted by what they interrupted: a write transaction (frames of an
uncommitted transaction in the write-ahead log) or something else (reading,
extracting, starting up).
"""

from __future__ import annotations

import random
import shutil
import signal
import struct
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from test_reliability import check_consistent, content, make_corpus, run, start  # noqa: E402


def uncommitted_frames(wal: Path) -> int:
    """Valid frames after the last commit frame of a write-ahead log: a transaction cut short."""
    if not wal.exists() or wal.stat().st_size < 32:
        return 0
    data = wal.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    frames, trailing, offset = 0, 0, 32
    while offset + 24 + page_size <= len(data):
        header = data[offset:offset + 24]
        if header[8:16] != salts:
            break
        frames += 1
        trailing = 0 if struct.unpack(">I", header[4:8])[0] else trailing + 1
        offset += 24 + page_size
    return trailing


def differences(db_path: Path, expected: dict) -> str:
    found = content(db_path)
    return ", ".join(f"{table}: {len(set(rows) ^ set(found[table]))} rows differ"
                     for table, rows in expected.items() if rows != found[table])


def main(kills: int = 60, articles: int = 1000) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        # every process runs this copy of the code, whatever happens to the work tree meanwhile
        shutil.copytree(REPO / "quotetrack", folder / "src" / "quotetrack",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(REPO / "metadata.yml", folder / "src" / "metadata.yml")
        env = {"PYTHONPATH": str(folder / "src")}
        feed = make_corpus(folder / "feed.jsonl", articles)
        began = time.perf_counter()
        assert run("extract", folder / "clean.db", feed, env=env).returncode == 0
        length = time.perf_counter() - began
        expected = content(folder / "clean.db")
        print(f"undisturbed run: {articles} articles in {length:.1f}s")
        done, in_transaction, jobs, finished_runs = 0, 0, 1, 0
        db_path = folder / f"job{jobs}.db"
        while done < kills:
            proc = start("extract", db_path, feed, env=env)
            time.sleep(rng.uniform(0, length))
            if proc.poll() is not None:  # the job got to the end: compare, and start another
                assert proc.returncode == 0, proc.stderr.read()
                check_consistent(db_path)
                assert content(db_path) == expected, differences(db_path, expected)
                finished_runs += 1
                jobs += 1
                db_path = folder / f"job{jobs}.db"
                continue
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            done += 1
            in_transaction += uncommitted_frames(Path(f"{db_path}-wal")) > 0
            check_consistent(db_path, finished=False)
        proc = start("extract", db_path, feed, env=env)
        assert proc.wait() == 0
        check_consistent(db_path)
        assert content(db_path) == expected, differences(db_path, expected)
        print(f"{done} SIGKILLs survived ({in_transaction} inside a write transaction); "
              f"{finished_runs + 1} killed jobs resumed to the end, each identical to the undisturbed run")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
