"""A small Datasette plugin: template filters that show quotes inside their text.

Every character of article text is HTML-escaped here before any markup is
added, so an article that contains ``<script>`` shows it as text.  Written as
filters rather than a separate web app: the pages stay Datasette's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from datasette import hookimpl
from markupsafe import Markup, escape

# Read the database through a memory map: a search page (count and facets of every match) reads
# thousands of scattered quote and article rows, and through read() calls half of its time was
# the system's.  SQLite caps it at its own maximum (2 GB in the usual builds).
MMAP_BYTES = 1 << 32


@hookimpl
def prepare_connection(conn):
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")


# Markers the search query asks FTS5's snippet() to put around matches.
SNIPPET_OPEN, SNIPPET_CLOSE = "\u27e6", "\u27e7"


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (line) of ``text`` around ``start``..``end``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def mark_spans(text: str, spans: Iterable[tuple[int, int, str, str | None]], offset: int = 0) -> Markup:
    """``text`` escaped, with each (start, end, element, css class) span wrapped in that element.

    Spans index the article; ``offset`` is where ``text`` starts in it.
    Overlapping spans are skipped rather than nested wrongly.
    """
    out, position = [], 0
    for start, end, element, css in sorted(spans):
        start, end = start - offset, end - offset
        if start < position or end > len(text) or start >= end:
            continue
        attrs = f' class="{escape(css)}"' if css else ""
        out.append(escape(text[position:start]))
        out.append(Markup(f"<{element}{attrs}>") + escape(text[start:end]) + Markup(f"</{element}>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def quote_in_context(text: str, start: int, end: int, mention_start: int | None = None,
                     mention_end: int | None = None) -> Markup:
    """The quote's paragraph with the quote in ``<mark>`` and the speaker mention marked."""
    if not text or start is None or end is None:
        return Markup("")
    left, right = paragraph_bounds(text, start, end)
    spans = [(start, end, "mark", "quotetrack-quote")]
    if mention_start is not None and mention_end is not None and left <= mention_start and mention_end <= right:
        spans.append((mention_start, mention_end, "span", "quotetrack-mention"))
    return mark_spans(text[left:right], spans, left)


def article_with_quotes(text: str, quotes: Iterable[dict]) -> Markup:
    """The whole article, paragraph by paragraph, every quote highlighted and linked to its page."""
    quotes = sorted(quotes, key=lambda q: q["char_start"])
    paragraphs, position = [], 0
    for line in (text or "").split("\n"):
        end = position + len(line)
        if line.strip():
            parts, cursor = [], position
            for q in quotes:
                if q["char_start"] < cursor or q["char_end"] > end or q["char_start"] < position:
                    continue
                parts.append(escape(text[cursor:q["char_start"]]))
                parts.append(Markup('<a class="quotetrack-quote-link" href="{}"><mark>').format(q["href"])
                             + escape(text[q["char_start"]:q["char_end"]]) + Markup("</mark></a>"))
                cursor = q["char_end"]
            parts.append(escape(text[cursor:end]))
            paragraphs.append(Markup("<p>") + Markup("").join(parts) + Markup("</p>"))
        position = end + 1
    return Markup("\n").join(paragraphs)


def snippet_html(snippet: str | None) -> Markup:
    """An FTS5 snippet with its match markers turned into ``<mark>``, everything else escaped."""
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>"))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["quote_in_context"] = lambda row: quote_in_context(
        row["article_text"], row["char_start"], row["char_end"], row["mention_start"], row["mention_end"])
    env.filters["article_with_quotes"] = article_with_quotes
    env.filters["snippet_html"] = snippet_html
