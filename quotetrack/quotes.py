"""Find quotation spans in news text.

Pure functions over a string: no I/O.  Offsets are Python ``str`` indices.
"""

from __future__ import annotations

import bisect
import re

import regex

# Double quotation marks only: single marks are mostly apostrophes in news
# text, and nested single quotes stay part of the outer quotation.  ``''`` is
# the New York Times' two-apostrophe mark.  (The standard library's re, as alternatives:
# it finds these plain strings in a whole text twice as fast as regex does.)
MARKS = ("''", "``", '"', "“", "”", "„", "‟", "«", "»")
QUOTE_MARK = re.compile("|".join(MARKS))
_OPENERS = frozenset("“„‟«") | {"``"}
_CLOSERS = frozenset("”»")
# Markup such as <tweet tweet-id="..."> carries straight quotes that are not
# quotation marks.  (Every regex match call below passes concurrent=False: releasing
# the GIL around many small matches costs a fifth of the time.)
_MARKUP = regex.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_PARAGRAPH = re.compile(r"[^\n]+")  # (re: no Unicode property, and fewer instructions per match)
# A quotation inside another is written with other marks: “...” inside "...", and back.
_FAMILY = {"“": "curly", "”": "curly", "„": "curly", "‟": "curly", '"': "straight",
           "''": "apostrophes", "``": "apostrophes", "«": "guillemets", "»": "guillemets"}
_OPEN_CONTEXT = frozenset("([{—–-/\u2014\u2013:;,")
_HAS_LETTER = regex.compile(r"[\p{L}\p{N}]")


class Quotation:
    """One quotation: ``start``/``end`` bound the words, ``open``/``close`` include the marks.

    ``continued``: the quotation goes on in the next paragraph; ``continuation``:
    this piece continues the previous paragraph's quotation.  (Plain classes
    rather than dataclasses here: compiled, they are built without Python code.)
    """

    __slots__ = ("start", "end", "open", "close", "paragraph", "closed", "continued", "continuation")

    def __init__(self, start: int, end: int, open: int, close: int, paragraph: int, closed: bool = True,
                 continued: bool = False, continuation: bool = False) -> None:
        self.start, self.end, self.open, self.close = start, end, open, close
        self.paragraph, self.closed = paragraph, closed
        self.continued, self.continuation = continued, continuation

    def __repr__(self) -> str:
        return f"Quotation({self.start}, {self.end}, paragraph={self.paragraph})"


class Paragraph:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines: news paragraphs are one line each in plain text."""
    return [Paragraph(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if not m[0].isspace()]


def _masked_ranges(text: str) -> list[tuple[int, int]]:
    if "<" not in text:
        return []
    return [m.span() for m in _MARKUP.finditer(text, concurrent=False)]


def _flanks(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether a mark at text[start:end] can open and can close a quotation."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else "\n"
    space_before = before.isspace() or before in _OPEN_CONTEXT
    space_after = after.isspace() or (not after.isalnum() and after not in "“‘'\"(")
    can_open = not after.isspace() and (space_before or not before.isalnum())
    # `Clinton,' "` closes a nested and an outer quotation together.
    nested_end = before == " " and start > 1 and text[start - 2] in "'’"
    can_close = (not before.isspace() and (space_after or not after.isalnum())) or after in "\n\r" \
        or (nested_end and space_after)
    return can_open, can_close


def _mark_roles(text: str, start: int, end: int) -> tuple[bool, bool]:
    mark = text[start:end]
    can_open, can_close = _flanks(text, start, end)
    if mark in _OPENERS:
        # A curly opener used as a closer (`word“ `) is a common typo.
        return (can_open or not can_close), (can_close and not can_open)
    if mark in _CLOSERS:
        # `...,”Clinton said`: a closer right after the words' last punctuation closes,
        # though a letter follows (a space lost in scraped text)
        after_words = start > 0 and text[start - 1] in ",.!?"
        return (can_open and not can_close and not after_words), (can_close or not can_open or after_words)
    return can_open, can_close


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotations(text: str, paras: list[Paragraph] | None = None) -> list[Quotation]:
    """All double-quoted spans, paragraph by paragraph.

    A quotation never crosses a paragraph: one still open at the end of its
    paragraph ends there (``continued`` when the next paragraph opens with a
    mark, the news convention for a quotation running over paragraphs), so a
    stray mark can never swallow the rest of the article.
    """
    masked = _masked_ranges(text)
    mask_starts = [a for a, _ in masked]
    paras = paragraphs(text) if paras is None else paras
    starts = [p.start for p in paras]
    by_para: dict[int, list[tuple[int, int, bool, bool]]] = {}
    for start, end in _quote_marks(text):
        if masked:  # the ranges are in order and do not overlap: the last one starting before
            k = bisect.bisect_right(mask_starts, start) - 1
            if k >= 0 and start < masked[k][1]:
                continue
        index = bisect.bisect_right(starts, start) - 1
        by_para.setdefault(index, []).append((start, end, *_mark_roles(text, start, end)))
    found: list[Quotation] = []
    continued_from = -2  # index of the last paragraph whose quotation runs on
    for index in sorted(by_para):
        para = paras[index]
        first_piece = True
        previous_continued = continued_from == index - 1
        para_quotes: list[Quotation | None] = []
        marks = by_para[index]
        pairs, opened, nested = _pair(text, marks, True)
        runs_on = opened is not None and index + 1 < len(paras) and _opens_with_mark(text, paras[index + 1])
        if opened is not None and nested and not runs_on:
            # The outer quotation never closes: the marks inside it were a quotation of their own
            # ("“He went home. "Then he left," she said.": the first mark was stray).
            pairs, opened, _ = _pair(text, marks, False)
        for mark, close_start, close_end in pairs:
            para_quotes.append(_make(text, mark, close_start, close_end, index, True,
                                     first_piece and previous_continued))
            first_piece = False
        if opened is not None:
            para_quotes.append(_make(text, opened, para.end, para.end, index, False,
                                     first_piece and previous_continued, runs_on))
            if runs_on:
                continued_from = index
        found.extend(q for q in para_quotes if q is not None)
    return found


def _quote_marks(text: str) -> list[tuple[int, int]]:
    """Where ``QUOTE_MARK.finditer`` finds a mark, in order.  Each mark is looked for with
    str.find, which scans a text several times faster than the pattern does; the marks are
    made of different characters, so no two matches overlap but those of one two-character
    mark, and those are taken one after the other, as the pattern does."""
    found = []
    for mark in MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append((at, at + len(mark)))
            at = text.find(mark, at + len(mark))
    found.sort()
    return found


def _pair(text: str, marks: list[tuple[int, int, bool, bool]],
          nesting: bool) -> tuple[list[tuple[tuple[int, int], int, int]], tuple[int, int] | None, bool]:
    """Pair a paragraph's marks: (opening mark, closing mark start, end) for each quotation,
    the mark of one left open, and whether a quotation was read inside another.  With
    ``nesting``, a mark of another family inside a quotation opens an inner one (“...” inside
    "..."), which its own family closes."""
    pairs: list[tuple[tuple[int, int], int, int]] = []
    opened: tuple[int, int] | None = None
    inner: str | None = None
    nested = False
    for start, end, can_open, can_close in marks:
        family = _FAMILY.get(text[start:end], "")
        if opened is None:
            if can_open:
                opened = (start, end)
        elif inner is not None:
            if can_close and family == inner:
                inner = None  # the inner quotation ends; the outer one goes on
        elif can_close:
            pairs.append((opened, start, end))
            opened = None
        elif can_open and nesting and family != _FAMILY.get(text[opened[0]:opened[1]], ""):
            inner, nested = family, True  # "The DOJ isn’t about “Equal Justice Under Law” anymore."
        elif can_open:
            opened = (start, end)  # the earlier mark was stray
    return pairs, opened, nested


def _opens_with_mark(text: str, para: Paragraph) -> bool:
    line = text[para.start:para.end]
    # (Always with an end: without one, the regex module takes time in proportion
    # to the whole text for every match.)
    m = QUOTE_MARK.match(text, para.start + len(line) - len(line.lstrip()), para.end)
    return m is not None and m.group() not in _CLOSERS


def _make(text, opened, close_start, close_end, paragraph, closed, continuation, continued=False):
    start, end = _trimmed(text, opened[1], close_start)
    if not _HAS_LETTER.search(text, start, end, concurrent=False):
        return None
    return Quotation(start, end, opened[0], close_end, paragraph, closed, continued, continuation)
