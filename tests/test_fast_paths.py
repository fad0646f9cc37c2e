"""Shortcuts taken for speed give what the plain way gives, on any text."""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrack import mentions, names, quote_style, tokens

LATIN = [chr(c) for c in [*range(0x100), *range(0x2000, 0x2070)]]


def test_latin_classes_are_the_unicode_properties_there():
    for name, latin in tokens.LATIN_CLASSES.items():
        unicode = regex.compile(tokens.UNICODE_CLASSES[name])
        spelled = re.compile(latin if latin.startswith("[") else f"[{latin}]") if latin else None
        for char in LATIN:
            assert (unicode.fullmatch(char) is not None) == (spelled is not None and spelled.fullmatch(char) is not None), \
                (name, char)


def test_isalnum_is_the_unicode_properties_there():
    # tokenize takes a chunk that isalnum for a word of [{L}{N}]
    for char in LATIN:
        assert char.isalnum() == (regex.fullmatch(r"[\p{L}\p{M}\p{N}]", char) is not None), char


def test_is_latin_reads_the_character_before():
    assert tokens.is_latin("a\u3000b", 2, 3) is False
    assert tokens.is_latin("\u3000ab", 2, 3) is True
    assert tokens.is_latin("aé’—b", 0, 5) is True


def _span(data, text: str) -> tuple[int, int]:
    """A start and an end within ``text``, drawn."""
    start = data.draw(st.integers(0, len(text)))
    return start, data.draw(st.integers(start, len(text)))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "é", "ÿ", "\u0100", "\u1fff", "\u2000", "’", "\u206f", "\u2070", "\u3000",
                                 "\U0001f600"]), max_size=12).map("".join), st.data())
def test_is_latin_is_the_search_for_a_character_beyond(text, data):
    start, end = _span(data, text)
    beyond = re.compile(r"[^\x00-\xff\u2000-\u206f]")
    assert tokens.is_latin(text, start, end) == (beyond.search(text, max(0, start - 1), end) is None)


TOKEN_TEXT = st.lists(st.sampled_from(["U.S.", "Mic.com", "said.Trump", "A.B", "é", "É", "ß", "Ø", "µ", "ª", "²", "½",
                                       "-", " - ", "--", "—", "’", "'", ".", " ", "\xa0", "\x1c", "\u2028", "\u3000",
                                       "\u0301", "x", "Q", "7", "(", "“", "”", "\n", "\t", "Ω", "ω", ",", "!", ":", "''"]),
                      max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(TOKEN_TEXT, st.data())
def test_tokens_are_the_regex_matches(text, data):
    start, end = _span(data, text)
    pattern = regex.compile(tokens._TOKEN_PATTERN.format(**tokens.UNICODE_CLASSES))
    plain = [(m.group(), m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    found = tokens.tokenize(text, start, end)
    assert [(t.text, t.start, t.end) for t in found] == plain
    for token in found:  # and the fields of a plain word are those the general case gives
        general = tokens.Token(token.text, token.start, token.end)
        assert (token.bare, token.lower, token.is_possessive) == (general.bare, general.lower, general.is_possessive)

# Characters that decide where capitalised words start and end: letters, marks, digits,
# apostrophes, hyphens, spaces, and letters outside Latin-1.
PIECES = ["Smith", "Smiths", "Smith's", "Smith’s", "Jo", "John", "Johnson", "McSmith", "O'Smith", "Ann-Smith",
          "a", "e\u0301", "\u0301", "\u0301Smith", "É", "1", "'", "’", "-", " ", ".", ",", "\n", "Ω", "ß", "s"]
SURNAMES = st.sets(st.sampled_from(["Smith", "Jo", "John", "Johnson", "Ann", "Smiths", "É"]), min_size=1)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.data(), SURNAMES)
def test_surname_candidates_are_the_capitalized_words_that_are_surnames(text, data, surnames):
    start, end = _span(data, text)
    _same_surnames(text, start, end, surnames)


def test_surname_candidates_after_a_combining_mark():
    for text in ["Jo\u0301Smith said", "a \u0301Smith said", "Jo\u0301 Smith", "Jo-\u0301Smith", "\u0301Smith"]:
        for start in range(len(text)):
            _same_surnames(text, start, len(text), {"Smith", "Jo"})


def _same_surnames(text, start, end, surnames, covered=()):
    capitalized = names._CAPITALIZED
    plain = [m.span() for m in capitalized.unicode.finditer(text, start, end)
             if m.group(1) in surnames and not any(a <= m.start() < b for a, b in covered)]
    for latin in [False, tokens.is_latin(text, start, end)]:
        fast = [m.span() for m in names._surname_candidates(text, start, end, latin, surnames, list(covered))
                if m.group(1) in surnames]
        assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), SURNAMES,
       st.lists(st.integers(0, 60), max_size=8, unique=True).map(sorted))
def test_surname_candidates_leave_out_the_covered_spans(text, surnames, bounds):
    covered = list(zip(bounds[::2], bounds[1::2]))  # sorted and apart, as full names are
    _same_surnames(text, 0, len(text), surnames, covered)
    _same_surnames(text + "\u0301Smith Smith", 0, len(text) + 12, surnames, covered)


# _NAME_RUN as first written, with its look-behind before the first capital
_PLAIN_NAME_WORD = r"\p{Lu}[\p{L}\p{M}\p{N}'’\-]*(?:\.\p{Lu}[\p{L}\p{M}]*)*\.?"
_PLAIN_NAME_RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’.\-]){_PLAIN_NAME_WORD}"
    rf"(?:[ \u00a0]+(?:(?:{'|'.join(sorted(mentions.NAME_CONNECTORS - {'&'}))})[ \u00a0]+)?{_PLAIN_NAME_WORD})+")
NAME_TEXT = st.lists(st.sampled_from(["John", "Smith", "U.S.", "J.", "de", "of", "O'Neil", "Ann-Marie", "É", "Øy", "ß",
                                      "x", "7", ".", "-", "’", " ", "\xa0", "\n", "\u3000", "\u0301", "Ω", "ω", ","]),
                     max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(NAME_TEXT, st.data())
def test_name_runs_are_the_plain_pattern_matches(text, data):
    start, end = _span(data, text)
    _same_name_runs(text, start, end)


def test_name_runs_after_other_characters():
    for before in [".", "x", "7", "’", "'", "-", "é", "\u0301", "\u3000", " ", "Ω", "ω", ""]:
        for text in [f"{before}John Smith", f"U.S.{before}John de Smith", f"J.{before}R. Smith"]:
            for start in range(len(text)):
                _same_name_runs(text, start, len(text))


def _same_name_runs(text, start, end):
    plain = [m.span() for m in _PLAIN_NAME_RUN.finditer(text, start, end)]
    assert [m.span() for m in names._NAME_RUN.unicode.finditer(text, start, end)] == plain
    if tokens.is_latin(text, start, end):
        assert [m.span() for m in names._NAME_RUN.latin.finditer(text, start, end)] == plain


@given(st.lists(st.integers(-5, 5)).map(sorted), st.integers(-7, 7))
def test_bisect_left_is_the_library_one(values, x):
    import bisect

    from quotetrack.article import bisect_left
    assert bisect_left(values, x) == bisect.bisect_left(values, x)


def _plain_last_cue_offset(text, start, end):
    """last_cue_offset as first written, with a reverse search."""
    from quotetrack import lexicon
    lex = lexicon.load()
    for word in regex.finditer(r"(?r)\b\p{L}+\b", text[:end], pos=start):
        w = word.group()
        if w in lex.reporting_forms:
            particle = lex.particles.get(lex.reporting_forms[w])
            if particle is None or text[word.end():word.end() + len(particle) + 2].split()[:1] == [particle]:
                return word.start()
        elif w.lower() == "according":
            return word.start()
    return None


CUE_TEXT = st.lists(st.sampled_from(["said", "says", "went", "on", "fired", "back", "According", "according", "to", "told", "x",
                                     " ", ",", ".", "_", "7", "²", "é", "\u0301", "\u200d", "\u3000", "Ω", "\n", "’", "\xa0", "\x1c", "\t"]),
                    max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(CUE_TEXT, st.data())
def test_last_cue_offset_is_the_reverse_search(text, data):
    from quotetrack.article import last_cue_offset
    start, end = _span(data, text)
    assert last_cue_offset(text, start, end) == _plain_last_cue_offset(text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["'", "`", '"', "“", "”", "„", "‟", "«", "»", "‘", "’", "a", " "]), max_size=30).map("".join))
def test_quote_marks_are_the_pattern_matches(text):
    from quotetrack import quotes
    assert quotes._quote_marks(text) == [m.span() for m in quotes.QUOTE_MARK.finditer(text)]


@given(st.text(alphabet=" \n\u3000\xa0ab"), st.integers(1, 9))
def test_word_count_is_capped_split(text, enough):
    from quotetrack.conventions import _word_count
    assert _word_count(text, enough) == min(len(text.split()), enough)


LEAD_TEXT = st.lists(st.sampled_from(["Sen.", "the", "said", "U.S.", ".", "!", "?", "\n", " ", "\xa0", "\t", "\x1c", "\u2028",
                                      "”", "’", ")", '"', "a", "B", "x" * 30]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(LEAD_TEXT, st.data())
def test_lead_in_is_the_search_over_the_window(text, data):
    start = data.draw(st.integers(0, len(text)))
    plain = names._LEAD_IN.search(text, max(0, start - 80), start, concurrent=False)
    fast = names._lead_in(text, start)
    assert (fast and (fast.span(), fast.group(1))) == (plain and (plain.span(), plain.group(1)))


SURNAME_TEXT = st.lists(st.sampled_from(["Rubio", "Rubios", "Marco", "marco", "M.", "O'Neil", "É", "é", "ß", "_", "7", " ", "\n",
                                         "\xa0", "\x1c", "-", "’", ".", ",", "\u0301", "Ω", "Sen.", "Rub"]),
                        max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(SURNAME_TEXT, st.sampled_from(["Rubio", "Rub", "O'Neil", "É", "io", "Marco"]), st.data())
def test_after_a_name_is_the_pattern_search(text, word, data):
    from quotetrack.extractor import _after_a_name
    start, end = _span(data, text)
    plain = regex.search(rf"\p{{Lu}}[\p{{L}}.'’\-]+\s+{regex.escape(word)}\b", text, pos=start, endpos=end)
    assert _after_a_name(text, word, start, end) == (plain is not None)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(list("‘’'\"“” \n\t([—–-_aZé9s.,\u3000") + ["90s", "’90s ", " '9", "90s_"]),
                max_size=30).map("".join))
def test_single_openers_are_the_pattern_matches(text):
    """quote_style finds opening single marks with str.find: the same places as this pattern."""
    assert quote_style._openers(text) == [m.start() for m in _SINGLE_OPENING.finditer(text)]


# An opening single mark, as first written: after a space, a line start, a bracket or a dash,
# before a letter or a digit, but not an elided year
_SINGLE_OPENING = re.compile(r"[‘'](?<![^\s(\[—–-][‘'])(?=[^\W_])(?!\d\ds\b)")
