"""Plain-text articles (.txt, .md): the first non-empty line is the title."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from . import Article, Problem, ReadOptions

# No news article is this long; reading one at most this large keeps memory bounded.
MAX_ARTICLE_BYTES = 20_000_000
_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_text_file(stream: BinaryIO, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | Problem]:
    data = stream.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        yield Problem(source, f"larger than {MAX_ARTICLE_BYTES // 1_000_000} MB, no news article: skipped")
        return
    yield read_text(data, source, doc_id)


def decode(data: bytes, source: str) -> str | Problem:
    """UTF-8 (or, with a byte order mark, UTF-16/32) text, or a Problem saying why the bytes are not text."""
    if not data.strip():
        return Problem(source, "empty file, skipped")
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return Problem(source, f"not valid {codec.upper()} despite its byte order mark, skipped")
    if b"\x00" in data[:8192]:
        return Problem(source, "binary file (NUL bytes), skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(source, f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}), skipped")


def read_text(data: bytes, source: str, doc_id: str) -> Article | Problem:
    """A plain-text article: the stored text is the whole file as read."""
    text = decode(data, source)
    if isinstance(text, Problem):
        return text
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Article(doc_id=doc_id, text=text, source=source, title=title)
