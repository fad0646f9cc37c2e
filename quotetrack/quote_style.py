"""Articles that quote with single marks: ‘We will fight on,’ said Sir Keir Starmer.

British and Australian papers quote with single marks and nest double ones inside
them; American ones the other way round.  The extractor reads double marks, and
single ones there are mostly apostrophes.  An article that quotes in the single
style is read through a copy with the two kinds of marks swapped, one character
for one, so that every offset still indexes the original text.
Hand-written: no maintained library tells quotation marks from apostrophes.
"""

from __future__ import annotations

import bisect
import re

from .quotes import MARKS, find_quotations

# A single mark that closes: after a word or punctuation, before a space, punctuation or the
# line's end, but not a plural possessive before a lower-case word ("the voters’ choice").
# (The pattern starts with the mark, so that a search skips to the next one.)
_CLOSING = re.compile(r"[’'](?<=[^\s‘'][’'])(?=[\s,.;:!?)\]—–-]|$)(?!(?<=s[’'])\s[a-z])", re.MULTILINE)
_SWAPPED = str.maketrans({"“": "‘", "”": "’", '"': "'", "„": "‚"})


def _openers(text: str) -> list[int]:
    """Where single marks open, in order: after a space, a line start or an opening bracket
    or dash, before a letter or a digit, but not an elided year ("the ’90s").  Each mark is
    found with str.find and checked by hand: apostrophes are many, and a pattern's search
    reads every character (tests/test_fast_paths.py compares the two)."""
    found = []
    for mark in ("‘", "'"):
        at = text.find(mark)
        while at >= 0:
            before = text[at - 1] if at > 0 else " "
            after = text[at + 1:at + 5]
            if (before.isspace() or before in _OPEN_CONTEXT) and after[:1].isalnum() \
                    and not (after[:2].isdigit() and after[2:3] == "s" and not _is_word_char(after[3:4])):
                found.append(at)
            at = text.find(mark, at + 1)
    found.sort()
    return found


_OPEN_CONTEXT = "([—–-"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _single_pairs(text: str, openers: list[int]) -> list[tuple[int, int]]:
    """Each opening single mark with the next closing one in its paragraph, in order."""
    closers = [m.start() for m in _CLOSING.finditer(text)]
    pairs: list[tuple[int, int]] = []
    for opening in openers:
        if pairs and opening < pairs[-1][1]:
            continue  # inside the quotation before
        k = bisect.bisect_right(closers, opening)
        if k == len(closers):
            break
        if text.find("\n", opening, closers[k]) < 0:
            pairs.append((opening, closers[k]))
    return pairs


def single_quoted(text: str) -> list[tuple[int, int]] | None:
    """The quotation marks' pairs of an article quoting in the single style, else None: at least
    two quotations in single marks outside double ones, and more than twice as many as quotations
    in double marks outside single ones (scare quotes in single marks are no style of their own)."""
    if "‘" not in text and "'" not in text:
        return None
    openers = _openers(text)
    # (most articles stop here: they hold many more double marks than single openers)
    if len(openers) < 2 or sum(text.count(mark) for mark in MARKS) >= 2 * len(openers):
        return None
    pairs = _single_pairs(text, openers)
    if len(pairs) < 2:
        return None
    doubles = [(q.open, q.close) for q in find_quotations(text)]
    singles = [p for p in pairs if not _inside(p, doubles)]
    if len(singles) < 2 or len(singles) <= 2 * sum(not _inside(d, pairs) for d in doubles):
        return None
    return singles


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(others, span) - 1
    return k >= 0 and others[k][0] <= span[0] and span[1] <= others[k][1]


def as_double_quoted(text: str, pairs: list[tuple[int, int]]) -> str:
    """``text`` with the single marks of ``pairs`` made double and double marks made single."""
    chars = list(text.translate(_SWAPPED))
    for opening, closing in pairs:
        chars[opening], chars[closing] = "“", "”"
    return "".join(chars)
