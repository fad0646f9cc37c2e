"""Accuracy and speed of the extractor on the PolNeAR dev set (issue 3).

    python benchmarks/polnear_eval.py [GOLD.jsonl]

Reads ../shared/eval/polnear-train.jsonl by default and exits quietly when it
is absent (the data is not redistributable, so it is never in this repository).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from quotetrack.evaluate import evaluate, format_report
from quotetrack.extractor import extract
from timing import best_rates

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "polnear-train.jsonl"


def extraction_speed(texts: list[str], rounds: int = 7) -> tuple[float, float, float]:
    """Articles/s of ``extract`` alone, in this one process, per core (CPU time) and by the
    wall clock, best of ``rounds`` passes; and MB/s per core."""
    per_core, wall = best_rates(extract, texts, rounds)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return per_core, wall, per_core * megabytes / len(texts)


def main() -> None:
    gold = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not gold.is_file():
        print(f"skipped: no gold file at {gold}")
        return
    result = evaluate(gold).report()
    print(format_report(result))
    texts = [json.loads(line)["text"] for line in gold.open(encoding="utf-8") if line.strip()]
    per_core, wall, mb_per_second = extraction_speed(texts)
    print(f"extraction alone, one process: {per_core:,.0f} articles/s per core (CPU time), {mb_per_second:.2f} MB/s; "
          f"{wall:,.0f} articles/s by the wall clock ({len(texts)} articles, best of 7)")


if __name__ == "__main__":
    main()
