"""Plain-text articles (.txt, .md): the first non-empty line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from . import Article, Problem, ReadOptions


def read_text_file(stream: BinaryIO, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | Problem]:
    yield read_text(stream.read(), source, doc_id)


def decode(data: bytes, source: str) -> str | Problem:
    """UTF-8 text, or a Problem saying why the bytes are not text."""
    if not data.strip():
        return Problem(source, "empty file, skipped")
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
