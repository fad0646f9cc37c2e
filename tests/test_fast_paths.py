"""Shortcuts taken for speed give what the plain way gives, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrack import names

# Characters that decide where capitalised words start and end: letters, marks, digits,
# apostrophes, hyphens, spaces, and letters outside Latin-1.
PIECES = ["Smith", "Smiths", "Smith's", "Smith’s", "Jo", "John", "Johnson", "McSmith", "O'Smith", "Ann-Smith",
          "a", "e\u0301", "\u0301", "\u0301Smith", "É", "1", "'", "’", "-", " ", ".", ",", "\n", "Ω", "ß", "s"]
SURNAMES = st.sets(st.sampled_from(["Smith", "Jo", "John", "Johnson", "Ann", "Smiths", "É"]), min_size=1)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.data(), SURNAMES)
def test_surname_candidates_are_the_capitalized_words_that_are_surnames(text, data, surnames):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    _same_surnames(text, start, end, surnames)


def test_surname_candidates_after_a_combining_mark():
    for text in ["Jo\u0301Smith said", "a \u0301Smith said", "Jo\u0301 Smith", "Jo-\u0301Smith", "\u0301Smith"]:
        for start in range(len(text)):
            _same_surnames(text, start, len(text), {"Smith", "Jo"})


def _same_surnames(text, start, end, surnames):
    plain = [m.span() for m in names._CAPITALIZED.finditer(text, start, end) if m.group(1) in surnames]
    fast = [m.span() for m in names._surname_candidates(text, start, end, surnames) if m.group(1) in surnames]
    assert fast == plain
