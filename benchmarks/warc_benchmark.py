"""How fast quotetrack reads a web archive, and in how much memory.

Generates a WARC.gz of news pages from the sample articles in data/articles (each
page made different by a numbered paragraph and headline, wrapped in navigation,
a sidebar and a footer, with an image record every 20 pages), then times, each in
its own process:

- parse: warcio alone, reading every record and its payload;
- ingest: ``read_inputs`` (warcio and trafilatura), no extraction, no database;
- extract: ``quotetrack extract`` into a new SQLite file, the whole job.

Peak memory is each process's own maximum resident set size (``ru_maxrss`` from
``os.wait4``), which includes the Python interpreter and the imported libraries.
Ingest and extract are measured over a tenth of the pages too: about the same peak
for ten times the pages shows that memory does not grow with the archive.

    python benchmarks/warc_benchmark.py            # 10,000 pages
    python benchmarks/warc_benchmark.py --pages 2000
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
SITES = ["www.zerohedge.com", "www.southfront.org", "www.defense-news.example.com", "syria.example.org"]
IMAGE = b"\xff\xd8\xff\xe0" + bytes(4000)


def page(text: str, number: int, site: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = f"{lines[0]} ({number})"
    paragraphs = [f"Update {number}: this version of the story was filed by desk {number % 97}.", *lines[1:]]
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    day = 1 + number % 28
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta property="og:title" content="{html.escape(title)}"><meta property="og:site_name" content="{site}">
<meta name="author" content="Reporter {number % 13}">
<meta property="article:published_time" content="2018-09-{day:02d}T10:{number % 60:02d}:00Z">
<link rel="canonical" href="https://{site}/news/{number}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/markets">Markets</a></li></ul></nav>
<main><article><h1>{html.escape(title)}</h1><div class="byline">by Reporter {number % 13}</div>
{body}
</article></main>
<aside><h3>Most read</h3><ul>{"".join(f'<li><a href="/s/{n}">Story {n}</a></li>' for n in range(8))}</ul></aside>
<footer><p>Copyright 2018. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def generate(path: Path, pages: int) -> int:
    """Write ``pages`` HTML responses (and an image every 20 pages) to a WARC.gz; its size in bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    texts = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number in range(pages):
            site = SITES[number % len(SITES)]
            date = f"2018-09-{1 + number % 28:02d}T12:00:00Z"
            body = page(texts[number % len(texts)], number, site).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://{site}/news/{number}", "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": date}))
            if number % 20 == 0:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://{site}/img/{number}.jpg", "response", payload=io.BytesIO(IMAGE),
                    http_headers=headers, warc_headers_dict={"WARC-Date": date}))
    return path.stat().st_size


def stage(name: str, warc: str) -> None:
    """Run one stage in this process and print what it counted as JSON."""
    if name == "parse":
        from warcio.archiveiterator import ArchiveIterator

        pages = 0
        with open(warc, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response" and "html" in (record.http_headers.get_header("Content-Type") or ""):
                    record.content_stream().read()
                    pages += 1
        print(json.dumps({"pages": pages}))
    else:  # ingest
        from quotetrack.ingest import Article, read_inputs

        pages = sum(isinstance(item, Article) for item in read_inputs([warc]))
        print(json.dumps({"pages": pages}))


def measure(command: list[str]) -> tuple[float, float, str]:
    """(seconds, peak resident memory in MB, standard output) of one process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage, which Popen.wait() drops
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        output, errors = out.read(), err.read()
    if process.returncode or errors.strip():
        sys.stderr.write(errors)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024, output  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "WARC"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage(*args.stage)
        return
    tenth = max(args.pages // 10, 1)
    script = Path(sys.executable).with_name("quotetrack")  # not `python -m`, which would import ./quotetrack
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "quotetrack"]
    with tempfile.TemporaryDirectory(prefix="quotetrack-bench-") as folder:
        small, large = Path(folder) / "small.warc.gz", Path(folder) / "news.warc.gz"
        started = time.perf_counter()
        size = generate(large, args.pages)
        generate(small, tenth)
        print(f"generated {args.pages:,} HTML pages (and {(args.pages + 19) // 20:,} images) in a "
              f"{size / 1e6:.1f} MB WARC.gz in {time.perf_counter() - started:.0f}s")
        rows = []
        for name, key, warc in (("parse (warcio only)", "parse", large),
                                ("ingest (warcio + trafilatura), a tenth of the pages", "ingest", small),
                                ("ingest (warcio + trafilatura)", "ingest", large)):
            seconds, peak, out = measure([sys.executable, __file__, "--stage", key, str(warc)])
            rows.append((name, json.loads(out)["pages"], seconds, peak))
        for name, warc, pages in (("extract (the whole job, into SQLite), a tenth of the pages", small, tenth),
                                  ("extract (the whole job, into SQLite)", large, args.pages)):
            db = Path(folder) / f"{warc.name}.db"
            seconds, peak, out = measure([*cli, "extract", str(db), str(warc)])
            rows.append((name, pages, seconds, peak))
        print(out.strip())
        print("| stage | pages | seconds | pages/s | peak RSS |\n|---|---|---|---|---|")
        for name, pages, seconds, peak in rows:
            print(f"| {name} | {pages:,} | {seconds:.1f} | {pages / seconds:,.0f} | {peak:.0f} MB |")
        import quotetrack.extractor

        compiled = quotetrack.extractor.__file__.endswith((".so", ".pyd"))
        print(f"\n(database: {db.stat().st_size / 1e6:.1f} MB; Python {sys.version.split()[0]}, "
              f"{'compiled' if compiled else 'pure-Python'} extractor, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
