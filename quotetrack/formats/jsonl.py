"""JSON Lines exports (.jsonl, .jsonl.gz): one article a line, under the field names news data uses."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from . import Article, Problem, ReadOptions
from .normalize import domain_of, iso_date, normalize_url, outlet_name
from .text import MAX_ARTICLE_BYTES

GZIP_MAGIC = b"\x1f\x8b"
# The first field present wins: quotetrack's own names, then those of news-please (CC-NEWS) and others.
TEXT_FIELDS = ("text", "maintext", "content", "body")
FIELD_NAMES = {
    "title": ("title", "headline", "title_page"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source_domain", "sitename", "site_name"),
    "published": ("published", "date_publish", "date_published", "publish_date", "published_at", "date"),
    "author": ("author", "authors", "byline"),
}


def read_jsonl_file(stream: BinaryIO, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | Problem]:
    """Every line of a JSON Lines file, gzip-compressed or not (told by its first bytes)."""
    lines: BinaryIO = stream
    if stream.peek(2)[:2] == GZIP_MAGIC:  # type: ignore[attr-defined]  # ingest hands over peekable streams
        lines = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
    number, seen = 0, False
    try:
        for number, raw in enumerate(_bounded_lines(lines), start=1):
            if raw is None:
                seen = True
                yield Problem(f"{source}:{number}", f"line longer than {MAX_ARTICLE_BYTES // 1_000_000} MB, skipped")
            elif raw.strip():
                seen = True
                yield parse_jsonl_line(raw, f"{source}:{number}", f"{doc_id}#{number}", options)
    except (OSError, EOFError, zlib.error) as error:  # a damaged or truncated .gz
        reason = str(error) or type(error).__name__
        yield Problem(f"{source}:{number + 1}", f"cannot read further ({reason}), the rest of the file is skipped")
        return
    if not seen:
        yield Problem(source, "empty file, skipped")


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a stream; None for a line too long to hold (read past, never kept whole)."""
    while True:
        line = stream.readline(MAX_ARTICLE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            while True:  # the rest of the oversized line, a piece at a time
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def parse_jsonl_line(raw: bytes, where: str, default_id: str, options: ReadOptions | None = None) -> Article | Problem:
    options = options or ReadOptions()
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not valid UTF-8"
        return Problem(where, f"not valid JSON ({reason}), line skipped")
    if not isinstance(record, dict):
        return Problem(where, "not a JSON object, line skipped")
    names = (options.text_field,) if options.text_field else TEXT_FIELDS
    present = [name for name in names if record.get(name) is not None]
    text = next((record[n] for n in present if isinstance(record[n], str) and record[n].strip()), None)
    if text is None:
        name = present[0] if present else names[0]
        value = record.get(name)
        what = "no" if value is None else "an empty" if isinstance(value, str) else "a non-string"
        others = f" (nor {', '.join(names[1:])})" if what == "no" and len(names) > 1 else ""
        return Problem(where, f'{what} "{name}" field{others}, line skipped')
    fields = {key: _first(record, names) for key, names in FIELD_NAMES.items()}
    url = normalize_url(fields["url"])
    return Article(
        doc_id=_as_text(record.get(options.id_field or "id")) or default_id, text=text, source=where,
        title=fields["title"], url=url, outlet=outlet_name(fields["outlet"]) or domain_of(url),
        published=iso_date(fields["published"]), author=fields["author"],
    )


def _first(record: dict, names: tuple[str, ...]) -> str | None:
    return next((value for value in map(_as_text, map(record.get, names)) if value), None)


def _as_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value if v != "") or None  # authors: ["A", "B"]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) \
        if isinstance(value, (list, dict)) else str(value)
