"""Word tokens of news text, with their offsets.

Hand-written because the tokenizers of maintained libraries (spaCy, NLTK) bring
statistical models or a different idea of a word than the attribution rules need
("U.S." and "Mic.com" whole, a spaced hyphen a dash), and cost many times more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import regex

from . import lexicon

# Character classes for patterns written once and compiled twice: with ``regex`` and its
# Unicode properties for any text, and with the standard library's ``re`` for text in
# Latin-1 and General Punctuation (nearly all news text), where ``re`` tokenizes with a
# quarter fewer instructions.  ``re`` has no Unicode properties: there they are spelled out,
# for those characters only (tests/test_fast_paths.py checks them against ``regex``).
UNICODE_CLASSES = {"L": r"\p{L}", "Lu": r"\p{Lu}", "Ll": r"\p{Ll}", "M": r"\p{M}", "N": r"\p{N}", "s": r"\s"}
LATIN_CLASSES = {"L": "A-Za-zªµºÀ-ÖØ-öø-ÿ", "Lu": "A-ZÀ-ÖØ-Þ", "Ll": "a-zµß-öø-ÿ", "M": "", "N": "0-9²³¹¼-¾",
                 "s": r"[\t-\r \x85\xa0\u2000-\u200a\u2028\u2029\u202f\u205f]"}  # no \x1c-\x1f, unlike re's \s
# (A possessive run to the end, not a search for a character beyond: sre reads a run
# in a tight loop, three times faster.)
_LATIN_RUN: Final = re.compile(r"[\x00-\xff\u2000-\u206f]*+")


def is_latin(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], and the character before it that a look-behind reads,
    is all Latin-1 and General Punctuation: whether the ``LATIN_CLASSES`` patterns apply."""
    # (isascii reads a flag of the string: a third of news texts are ASCII)
    return text.isascii() or _LATIN_RUN.fullmatch(text, max(0, start - 1), end) is not None


class DualPattern:
    """A pattern written with the names of the classes above ("[{L}{N}]"), compiled both ways."""

    __slots__ = ("unicode", "latin")

    def __init__(self, pattern: str) -> None:
        self.unicode = regex.compile(pattern.format(**UNICODE_CLASSES))
        self.latin = re.compile(pattern.format(**LATIN_CLASSES))

    def finditer(self, text: str, start: int, end: int, latin: bool) -> Iterator[Any]:
        """Matches in text[start:end]; ``latin``: ``is_latin`` of that span."""
        if latin:
            return self.latin.finditer(text, start, end)
        return self.unicode.finditer(text, start, end, concurrent=False)

    def findall(self, text: str, start: int, end: int, latin: bool) -> list[Any]:
        if latin:
            return self.latin.findall(text, start, end)
        return self.unicode.findall(text, start, end, concurrent=False)

    def match(self, text: str, start: int, end: int, latin: bool) -> Any:
        if latin:
            return self.latin.match(text, start, end)
        return self.unicode.match(text, start, end, concurrent=False)


# A period inside a word ends it before a capitalised word: "Trump said.Trump claimed" (text
# scraped from pages often lost the space), while "U.S." and "Mic.com" stay whole.
# A hyphen between spaces is a dash ("WASHINGTON - The senator said").
_TOKEN_PATTERN: Final = (r"[{L}{N}][{L}{M}{N}'’\-]*(?:\.(?![{Lu}][{Ll}])[{L}{M}{N}'’\-]*)*"
                         r"|[&,;:()\[\]—–.!?]|--|(?<={s})-(?={s})")
# Each token with the gap before it, as ``findall`` pairs: the offsets are then sums of
# lengths, with no match object per token (which costs more than the matching).  The
# empty alternative at the end takes the gap after the last token in one pass (else
# each of its positions would start a search to the end).
_GAP_AND_TOKEN: Final = DualPattern(r"((?s:.*?))(" + _TOKEN_PATTERN + r"|\Z)")
# "He's predicting" is "he is", not a possessive; "It's", "I'm" open no name.
_CONTRACTED = "he's she's it's that's there's here's who's what's where's let's i'm".split()
CONTRACTIONS: Final = frozenset(_CONTRACTED + [word.replace("'", "’") for word in _CONTRACTED])


class Token:
    """A word or punctuation mark with its offsets; ``bare`` drops a sentence-final period."""

    __slots__ = ("text", "start", "end", "bare", "lower", "is_possessive")

    def __init__(self, text: str, start: int, end: int, plain: bool = False) -> None:
        """``plain``: known to hold no full stop and no apostrophe (tokenize checked)."""
        self.text, self.start, self.end = text, start, end
        if plain:
            self.bare, self.lower, self.is_possessive = text, text.lower(), False
            return
        bare = text[:-1] if text[-1] == "." and len(text) > 1 and not _is_abbreviation(text) else text
        self.bare = bare
        self.lower = bare.lower()
        self.is_possessive = ("'" in bare or "’" in bare) and bare.endswith(("'s", "’s", "s'", "s’")) \
            and self.lower not in CONTRACTIONS

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


_TITLES: Final = frozenset(lexicon.load().titles)  # (read once: this is asked of every word ending in ".")


def _is_abbreviation(word: str) -> bool:
    return word[-1] == "." and (word.count(".") > 1 or len(word) == 2 or word in _TITLES)


def bare_end(tok: Token) -> int:
    """Where a token's word ends, before a sentence's full stop ("company." ends at "y")."""
    return tok.start + len(tok.bare)


def ends_sentence(tok: Token) -> bool:
    """A token closing a sentence ("said.", "?"), not an abbreviation ("Capt.", "U.S.")."""
    last = tok.text[-1]
    if last in "!?":
        return True
    return last == "." and (len(tok.text) == 1 or not _is_abbreviation(tok.text))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    tokens: list[Token] = []
    if not is_latin(text, start, end):
        _add_matches(text, start, end, False, tokens)
        return tokens
    # Most words stand between spaces, letters and digits only, maybe with a comma or a
    # full stop, and most other chunks are quotation marks: str methods tell those apart
    # at a fraction of the pattern's cost.  (In Latin-1, isalnum is [{L}{N}]; no token
    # holds a space, so none crosses a chunk.)
    at = start
    for chunk in text[start:end].split():
        at = text.find(chunk, at)
        size = len(chunk)
        if chunk.isalnum():
            tokens.append(Token(chunk, at, at + size, plain=True))
        elif chunk[-1] in ",;:!?" and chunk[:-1].isalnum():
            tokens.append(Token(chunk[:-1], at, at + size - 1, plain=True))
            tokens.append(Token(chunk[-1], at + size - 1, at + size, plain=True))
        elif chunk in _MARKS_ONLY:
            pass
        elif chunk[:-1].isalnum() and chunk[-1] == "." or chunk[0].isalnum() and _without_joiners(chunk).isalnum():
            tokens.append(Token(chunk, at, at + size))  # "said.", "Trump's", "al-Assad": one word
        else:  # (one character further: "-" is a dash before a space)
            _add_matches(text, at, min(at + size + 1, end), True, tokens)
        at += size
    return tokens


_MARKS_ONLY: Final = frozenset({'"', "''", "“", "”", "'", "‘", "’", "«", "»"})  # no token in these


def _without_joiners(chunk: str) -> str:
    """The chunk without the apostrophes and hyphens a word may hold."""
    return chunk.replace("'", "").replace("’", "").replace("-", "")


def _add_matches(text: str, start: int, end: int, latin: bool, tokens: list[Token]) -> None:
    at = start
    pairs: list[tuple[str, str]] = _GAP_AND_TOKEN.findall(text, start, end, latin)
    for gap, word in pairs:
        at += len(gap)
        if word:
            tokens.append(Token(word, at, at + len(word)))
            at += len(word)
