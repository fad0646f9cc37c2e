"""HTML pages (.html, .htm, and the pages inside WARC archives), read with trafilatura.

trafilatura finds the article's main text and its metadata (title, author, date,
site name, canonical URL) and leaves out navigation, footers and comments.  Its
paragraphs become lines, as in the plain-text files, and the stored text begins
with the title line like them; all quote offsets index into that text.
(``quotetrack.ingest`` imports this module only when a page is read: trafilatura
takes a fifth of a second to import.)
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

from charset_normalizer import from_bytes
from trafilatura import bare_extraction, load_html
from trafilatura.settings import Document, set_date_params

from . import ERROR, Article, Problem, ReadOptions
from .normalize import domain_of, iso_date, normalize_url, outlet_name

MAX_PAGE_BYTES = 20_000_000  # trafilatura's own limit (MAX_FILE_SIZE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARED = re.compile(rb"""(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)|<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_:.+-]+)""")
# Labels that browsers read as windows-1252 (WHATWG Encoding Standard): pages that say
# latin-1 mostly contain curly quotes and dashes from windows-1252.
_AS_WINDOWS_1252 = {"latin_1", "iso8859-1", "ascii"}
# Meta tags that may carry the publication time; trafilatura keeps only the day.
_PUBLISHED_KEYS = {"article:published_time", "og:article:published_time", "datepublished", "pubdate",
                   "publishdate", "publish-date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
                   "sailthru.date", "date"}
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    # Without a handler Python prints their warnings ("discarding data") to stderr;
    # quotetrack reports what it skips itself.  An application's own logging still gets them.
    logging.getLogger(_name).addHandler(logging.NullHandler())


def read_html_file(stream: BinaryIO, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | Problem]:
    data = stream.read(MAX_PAGE_BYTES + 1)
    yield read_html(data, source, doc_id)


def read_html(data: bytes, source: str, doc_id: str, *, url: str | None = None, charset: str | None = None,
              fallback_date: str | None = None, empty_kind: str = ERROR) -> Article | Problem:
    """One page as an article.  ``url`` and ``charset`` are what the server said (in a WARC);
    ``fallback_date`` is used when the page gives no date; ``empty_kind`` is the kind of
    Problem for a page without article text."""
    if not data.strip():
        return Problem(source, "empty file, skipped")
    if len(data) > MAX_PAGE_BYTES:
        return Problem(source, f"page larger than {MAX_PAGE_BYTES // 1_000_000} MB, skipped")
    try:
        return _extract(data, source, doc_id, url, charset, fallback_date, empty_kind)
    except Exception as error:  # a page that breaks the parser must cost that page, not the run
        return Problem(source, f"could not read the page ({type(error).__name__}: {error}), skipped")


def _extract(data: bytes, source: str, doc_id: str, url: str | None, charset: str | None,
             fallback_date: str | None, empty_kind: str) -> Article | Problem:
    markup = decode_html(data, charset)
    tree = load_html(markup)
    if tree is None:
        return Problem(source, "not an HTML page, skipped")
    published_times = _published_times(tree)
    # Dates only from the markup and the URL: htmldate's "extensive search" reads the page's
    # words too and takes a footer's "(c) 2024" for 2024-01-01.
    document = bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                               date_extraction_params=set_date_params(extensive=False))
    if not isinstance(document, Document) or not (document.text or "").strip():
        return Problem(source, "no article text found in the page, skipped", empty_kind)
    title = " ".join(document.title.split()) if document.title else None
    text = document.text or ""
    first_line = text.lstrip().partition("\n")[0]
    if title and " ".join(first_line.split()) != title:
        text = f"{title}\n{text}"  # the plain-text convention: the headline is the first line
    page_url = normalize_url(url or document.url)
    return Article(
        doc_id=doc_id, text=text, source=source, title=title, url=page_url,
        outlet=outlet_name(document.sitename) or domain_of(page_url),
        published=_published(document.date, published_times) or iso_date(fallback_date),
        author=document.author or None,
    )


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The page as text: by its byte order mark, as UTF-8, by the charset the server or the
    page declares, else as charset_normalizer guesses; a bad byte becomes U+FFFD."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    in_page = (declared[1] or declared[2]).decode("ascii") if declared else None
    for label in (charset, in_page):
        encoding = _encoding(label)
        if encoding:
            return data.decode(encoding, "replace")  # declared: trusted, a stray bad byte replaced
    best = from_bytes(data[:200_000]).best()
    return data.decode(_encoding(best.encoding if best else None) or "utf-8", "replace")


def _encoding(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
        b"a".decode(name, "ignore")  # "hex", "rot13": codecs, but not text encodings (b"" passes)
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # without a byte order mark a page is not UTF-16 whatever it says (WHATWG)
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _published_times(tree) -> list[str]:
    """Publication timestamps the page declares in meta tags and JSON-LD."""
    found = []
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key.lower() in _PUBLISHED_KEYS and meta.get("content"):
            found.append(meta.get("content"))
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        found.extend(_JSON_LD_PUBLISHED.findall(script.text or ""))
    return found


def _published(day: str | None, candidates: list[str]) -> str | None:
    """trafilatura's date, with the time of day when the page gives one for that date."""
    if not day:
        return None
    day = iso_date(day) or day
    for candidate in candidates:
        moment = iso_date(candidate)
        if moment and "T" in moment and moment.startswith(day):
            return moment
    return day
