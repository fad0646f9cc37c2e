"""Read articles from files, directories and standard input, one at a time.

Everything here streams: a directory, a JSON Lines file or a WARC archive of any
size is read article by article.  Bad input never raises: it is reported as a
``Problem`` naming the file (and line or record) and the reader moves on.  The
readers of each format are in ``quotetrack.formats``; this module finds the
inputs, picks a reader for each and reports progress.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import BinaryIO

from .formats import DUPLICATE, ERROR, NOT_ARTICLE, Article, Problem, Progress, ReadOptions

__all__ = ["DUPLICATE", "ERROR", "FORMATS", "METADATA_FIELDS", "NOT_ARTICLE", "STDIN", "Article", "Problem",
           "Progress", "ReadOptions", "format_of", "input_files", "read_inputs", "total_bytes"]

FORMATS = ("text", "jsonl", "html", "warc")
# What a directory is searched for, and how ``--format auto`` reads a file.
SUFFIXES = {".txt": "text", ".md": "text", ".jsonl": "jsonl", ".jsonl.gz": "jsonl",
            ".html": "html", ".htm": "html", ".warc": "warc", ".warc.gz": "warc"}
READERS = {"text": "text:read_text_file", "jsonl": "jsonl:read_jsonl_file",
           "html": "html:read_html_file", "warc": "warc:read_warc_file"}
METADATA_FIELDS = ("title", "url", "outlet", "published", "author")
STDIN = "-"
STDIN_SOURCE = "<stdin>"

Reader = Callable[[BinaryIO, str, str, ReadOptions], Iterator[Article | Problem]]


def format_of(name: str) -> str | None:
    """The format a file name says (``.warc.gz``: warc), or None."""
    lower = name.lower()
    return next((fmt for suffix, fmt in SUFFIXES.items() if lower.endswith(suffix)), None)


def reader(fmt: str) -> Reader:
    """The reader of one format, imported when first needed (trafilatura and warcio are slow to import)."""
    module, name = READERS[fmt].split(":")
    return getattr(import_module(f".formats.{module}", __package__), name)


def input_files(paths: list[str]) -> Iterator[tuple[str, Path | None, str]]:
    """(path argument, file, doc_id prefix) for every file under the arguments, sorted."""
    for arg in paths:
        if arg == STDIN:
            yield arg, None, ""
            continue
        root = Path(arg)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):  # does not follow symlinked dirs
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if format_of(name) and not name.startswith("."):
                        yield arg, path, path.relative_to(root).as_posix()
        else:
            yield arg, root, root.name


def total_bytes(paths: list[str]) -> int | None:
    """Size of all inputs, for a progress bar; None when reading standard input."""
    total = 0
    for _, path, _ in input_files(paths):
        if path is None:
            return None
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def read_inputs(paths: list[str], input_format: str = "auto",
                options: ReadOptions | None = None) -> Iterator[Article | Problem | Progress]:
    """Every article under ``paths``, with Problems for what could not be read.

    ``input_format`` is ``auto`` (by file name) or one of ``FORMATS`` for every input."""
    options = options or ReadOptions()
    consumed = 0
    for _, path, doc_id in input_files(paths):
        if path is None:
            yield from _read_stdin(input_format, options)
            continue
        fmt = input_format if input_format != "auto" else format_of(path.name) or "text"
        start, size = consumed, 0
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                for item in reader(fmt)(handle, str(path), doc_id, options):
                    yield item
                    # the position in the file as stored: compressed bytes for .gz
                    yield Progress(start + min(handle.tell(), size))
        except OSError as error:
            yield Problem(str(path), f"cannot read file ({error.strerror or error})")
        consumed = start + size
        yield Progress(consumed)


def _read_stdin(input_format: str, options: ReadOptions) -> Iterator[Article | Problem]:
    stream = _peekable(sys.stdin.buffer)
    fmt = input_format if input_format != "auto" else sniff_format(stream.peek(4096)[:4096])
    if fmt in ("jsonl", "warc"):  # streamed, as from a file
        yield from reader(fmt)(stream, STDIN_SOURCE, "stdin", options)
        return
    data = stream.read()
    doc_id = f"stdin-{hashlib.sha1(data).hexdigest()[:12]}"
    if fmt == "html":
        from .formats.html import read_html

        yield read_html(data, STDIN_SOURCE, doc_id)
    else:
        from .formats.text import read_text

        yield read_text(data, STDIN_SOURCE, doc_id)


def sniff_format(head: bytes) -> str:
    """The format of a stream from its first bytes: warc, jsonl, html or text."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head)
        except zlib.error:
            return "text"  # reported as binary by the text reader
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"{"):
        return "jsonl"
    lower = head[:2048].lower()
    if head.startswith(b"<") and (b"<html" in lower or b"<body" in lower or b"<!doctype html" in lower):
        return "html"
    return "text"


def _peekable(stream: BinaryIO) -> io.BufferedReader:
    """A stream whose first bytes can be looked at without consuming them."""
    if hasattr(stream, "peek"):
        return stream  # type: ignore[return-value]
    return io.BufferedReader(stream)  # type: ignore[arg-type,type-var]  # a BytesIO, in tests
