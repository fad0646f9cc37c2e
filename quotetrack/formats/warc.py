"""Web archives (.warc, .warc.gz), streamed record by record with warcio.

Every successful HTML response becomes an article named by its WARC-Target-URI;
other responses (images, scripts, errors, redirects) are skipped and counted.
Records are read one at a time, so an archive of any size runs in constant memory.
A record is named ``FILE@OFFSET``, its byte offset in the file as CDX indexes give
it (``warcio extract FILE OFFSET`` prints it).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from . import NOT_ARTICLE, Article, Problem, ReadOptions
from .html import MAX_PAGE_BYTES, read_html

GZIP_MAGIC = b"\x1f\x8b"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
_CHARSET = re.compile(r"(?i)charset\s*=\s*[\"']?([a-z0-9_:.+-]+)")
_DRAIN = 1 << 16
CUT_SHORT = "record cut short"


class _Records(ArchiveIterator):
    """warcio's iterator, which also tells whether the file ended inside a gzip member
    (warcio itself takes that for the end of the archive)."""

    INC_RECORD = ""  # warcio writes "Record not followed by newline" to stderr; damage is reported below
    cut_short = False

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        self.cut_short = decompressor is not None and not getattr(decompressor, "eof", True)
        super().close()


def read_warc_file(stream: BinaryIO, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | Problem]:
    not_warc = _not_warc(stream.peek(1024)[:1024])  # type: ignore[attr-defined]  # ingest hands over peekable streams
    if not_warc:
        yield Problem(source, f"not a WARC file ({not_warc}), skipped")
        return
    records = _Records(stream)
    read, offset, reported = 0, 0, False
    try:
        for record in records:
            item = _record_item(record, records, source, doc_id)
            offset = records.get_record_offset()
            read += 1
            if item is not None:
                reported = isinstance(item, Problem) and item.message.startswith(CUT_SHORT)
                yield item
    except Exception as error:  # warcio raises many kinds of error on damaged data
        where = f"after the record at byte {offset}" if read else "in its first record"
        yield Problem(source, f"damaged WARC data {where} ({_reason(error)}), the rest of the file is skipped")
        return
    if records.cut_short and not reported:
        yield Problem(source, f"the file ends inside a compressed record after the record at byte {offset} "
                              "(cut short?), the rest of the file is lost")


def _not_warc(head: bytes) -> str | None:
    """Why the file is not a WARC archive, from its first bytes; None when it is one."""
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(31).decompress(head)
        except zlib.error:
            return "damaged gzip data"
    if head.startswith(b"WARC/"):
        return None
    return "empty file" if not head.strip() else "it does not begin with a WARC/ record"


def _record_item(record, records, source: str, doc_id: str) -> Article | Problem | None:
    """The article in one record, a Problem saying why there is none, or None for records
    that are not captures (warcinfo, request, metadata)."""
    if record.rec_type not in ("response", "resource", "revisit"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if record.rec_type == "revisit":
        return _skip(records, source, f"revisit record, its page was stored earlier ({uri})")
    if record.rec_type == "response":
        if record.http_headers is None:  # dns: and other non-HTTP captures
            return _skip(records, source, f"response without HTTP headers ({uri})")
        status = record.http_headers.get_statuscode() or "?"
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        status, content_type = "200", record.rec_headers.get_header("Content-Type") or ""
    if not status.startswith("2"):
        return _skip(records, source, f"HTTP {status} response ({uri})")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in HTML_TYPES:
        return _skip(records, source, f"{media_type} response ({uri})")
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    while record.raw_stream.read(_DRAIN):  # the rest of the block: a chunked trailer, or an oversized page
        pass
    where = f"{source}@{records.get_record_offset()}"
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:  # the file ended inside this record
        return Problem(where, f"{CUT_SHORT} ({missing} bytes missing) ({uri}), the rest of the file is lost")
    if not data.strip():
        return Problem(where, f"empty response ({uri}), skipped", NOT_ARTICLE)
    if not media_type and not _looks_like_html(data):
        return Problem(where, f"response without a content type that is not HTML ({uri}), skipped", NOT_ARTICLE)
    charset = _CHARSET.search(content_type)
    return read_html(data, where, uri or f"{doc_id}@{records.get_record_offset()}", url=uri,
                     charset=charset[1] if charset else None,
                     fallback_date=record.rec_headers.get_header("WARC-Date"), empty_kind=NOT_ARTICLE)


def _skip(records, source: str, reason: str) -> Problem:
    return Problem(f"{source}@{records.get_record_offset()}", f"{reason}, skipped", NOT_ARTICLE)


def _reason(error: Exception) -> str:
    """The error in a few printable words (warcio quotes the damaged bytes: they are left out)."""
    text = str(error).split("\n")[0]
    if not (text.isascii() and text.isprintable()):
        text = text.split(":")[0] + ": unreadable bytes"
    text = text if len(text) <= 100 else text[:100] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<p>" in head
