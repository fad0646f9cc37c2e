"""Read articles from files, directories and standard input, one at a time.

Everything here streams: a directory or a JSON Lines file of any size is
read article by article.  Bad input never raises: it is reported as a
``Problem`` naming the file (and line) and the reader moves on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES
METADATA_FIELDS = ("title", "url", "outlet", "published", "author")
STDIN = "-"


@dataclass(slots=True)
class Article:
    doc_id: str
    text: str
    source: str  # the file (and line) it came from, for messages
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


@dataclass(slots=True)
class Problem:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True)
class Progress:
    """Bytes of input consumed, reported after each file or JSONL line."""

    consumed: int


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
                    if path.suffix.lower() in KNOWN_SUFFIXES and not name.startswith("."):
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


def read_inputs(paths: list[str], input_format: str = "auto") -> Iterator[Article | Problem | Progress]:
    """Every article under ``paths``, with Problems for what could not be read."""
    consumed = 0
    for _, path, doc_id in input_files(paths):
        if path is None:
            yield from _read_stdin(input_format)
            continue
        fmt = input_format if input_format != "auto" else (
            "jsonl" if path.suffix.lower() in JSONL_SUFFIXES else "text")
        try:
            with path.open("rb") as handle:
                if fmt == "jsonl":
                    start = consumed
                    for item, size in read_jsonl(handle, str(path), doc_id):
                        consumed += size
                        yield item
                        if size:
                            yield Progress(consumed)
                    if start + handle.tell() > consumed:  # blank lines at the end of the file
                        consumed = start + handle.tell()
                        yield Progress(consumed)
                else:
                    data = handle.read()
                    consumed += len(data)
                    yield read_text(data, str(path), doc_id)
                    yield Progress(consumed)
        except OSError as error:
            yield Problem(str(path), f"cannot read file ({error.strerror or error})")


def _read_stdin(input_format: str) -> Iterator[Article | Problem]:
    data = sys.stdin.buffer.read()
    fmt = input_format
    if fmt == "auto":
        fmt = "jsonl" if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{" else "text"
    if fmt == "jsonl":
        yield from (item for item, _ in read_jsonl(data.splitlines(keepends=True), "<stdin>", "stdin"))
    else:
        digest = hashlib.sha1(data).hexdigest()[:12]
        yield read_text(data, "<stdin>", f"stdin-{digest}")


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
    """A plain-text article: the first non-empty line is its title."""
    text = decode(data, source)
    if isinstance(text, Problem):
        return text
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Article(doc_id=doc_id, text=text, source=source, title=title)


def read_jsonl(lines: Iterable[bytes], source: str, doc_id: str) -> Iterator[tuple[Article | Problem, int]]:
    """One article per line: ``text`` required; ``id``, ``title``, ``url``, ... optional.

    Yields each article or problem with the bytes read since the previous one.
    """
    pending = 0
    seen = False
    for number, raw in enumerate(lines, start=1):
        pending += len(raw)
        if not raw.strip():
            continue
        seen = True
        yield parse_jsonl_line(raw, f"{source}:{number}", f"{doc_id}#{number}"), pending
        pending = 0
    if not seen:
        yield Problem(source, "empty file, skipped"), pending


def parse_jsonl_line(raw: bytes, where: str, default_id: str) -> Article | Problem:
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not valid UTF-8"
        return Problem(where, f"not valid JSON ({reason}), line skipped")
    if not isinstance(record, dict):
        return Problem(where, "not a JSON object, line skipped")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "no" if text is None else "an empty" if isinstance(text, str) else "a non-string"
        return Problem(where, f'{what} "text" field, line skipped')
    fields = {key: _as_text(record.get(key)) for key in METADATA_FIELDS}
    return Article(doc_id=_as_text(record.get("id")) or default_id, text=text, source=where, **fields)


def _as_text(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) \
        if isinstance(value, (list, dict)) else str(value)
