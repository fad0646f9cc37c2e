"""Personal names in an article's text: the antecedents a pronoun can refer to.

A run of capitalised words is a person's name when it carries a title or starts
with a known first name (or an apposition says it is a person), and it is a
likely antecedent ("salient") when it reads as a clause subject.  Regular
expressions over the text, not tokens: the whole article is searched, and
tokenizing it would cost most of the extraction time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import regex

from . import lexicon
from .mentions import NAME_CONNECTORS, SENTENCE_STARTERS
from .speakers import AFFILIATIONS, PERSON, Mention, is_first_name, read_name
from .tokens import DualPattern, is_latin

_NOT_NAME_START = frozenset(
    "he she it they we i you his her its their our my your him them this that these those "
    "a an the".split()
)


def _possessive_stem(word: str) -> str:
    if word[-1:] not in ("s", "’", "'"):
        return word  # (most words: checked first, as this is asked of every word of a name)
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


# The rest of a name word.  Possessive: what may follow a word (a space, or the end of the
# run) cannot follow a shorter part of it, so giving characters back never helps, and
# a capitalised word that opens no run is dropped without trying each of its prefixes.
_AFTER_CAPITAL = r"[{L}{M}{N}'’\-]*+(?:\.[{Lu}][{L}{M}]*+)*+\.?"
_SPACE = "[ \u00a0]+"
# Two or more capitalised words, possibly joined by "of", "de", "bin", ...  (The look-behind
# comes after the first capital, not before it: then a search can skip to the next capital.)
_NAME_RUN_PATTERN = (
    rf"[{{Lu}}](?<![{{L}}{{N}}'’.\-][{{Lu}}]){_AFTER_CAPITAL}"
    rf"(?:{_SPACE}(?:(?:{'|'.join(sorted(NAME_CONNECTORS - {'&'}))}){_SPACE})?[{{Lu}}]{_AFTER_CAPITAL})+"
)
_NAME_RUN = DualPattern(_NAME_RUN_PATTERN)
_NEXT_WORD = regex.compile(r"[ \u00a0]+(\p{Ll}[\p{L}'’\-]*)")
_CAPITALIZED = DualPattern(r"(?<![{L}{N}'’\-])([{Lu}][{L}{M}\-]*)(?:['’]s?)?")
# Words after an object, not after a subject: "went after Trump at the debate".
_NOT_SUBJECT_NEXT = frozenset(
    "and or of to in at on for with from by about as after before during over into than "
    "who whose which that is".split())


def person_names(text: str, spans: list[tuple[int, int]] | None = None,
                 known: Sequence[Mention] = ()) -> list[Mention]:
    """Personal names in an article (or in ``spans`` of it): antecedents for pronouns.

    A run of capitalised words is a person when it carries a title from the
    lexicon or starts with a known first name; afterwards a lone surname of
    such a person ("Carson"), or of a ``known`` speaker, counts as a mention
    of them too.  Regular expressions over the text, not tokens.  Whether a name is
    salient is left undecided (None): ``is_salient`` says, for the few names asked about.
    """
    titles = lexicon.load().titles
    names: list[Mention] = []
    spans = [(0, len(text))] if spans is None else spans
    ascii_only = text.isascii()  # known without reading the text
    latin = [ascii_only or is_latin(text, start, end) for start, end in spans]
    headline = _title_case_headline(text)
    for (start, end), plain in zip(spans, latin):
        for run in _NAME_RUN.finditer(text, max(start, headline), end, plain):
            for segment in _segments(run[0], run.start()):
                mention = _person_named(text, segment, titles) if len(segment) >= 2 else None
                if mention is not None:
                    names.append(mention)
    surnames = {m.name.split()[-1]: m for m in [*known, *names]
                if m.kind == PERSON and m.name and len(m.name.split()) >= 2}
    if surnames:
        covered = [(m.start, m.end) for m in names]  # full names already counted
        for (start, end), plain in zip(spans, latin):
            for match in _surname_candidates(text, start, end, plain, surnames, covered):
                full = surnames.get(match.group(1))
                if full is not None:
                    names.append(Mention(match.start(), match.end(), match.group(), "name", PERSON, full.name,
                                         title=full.title, gender=full.gender, salient=None))
    names.sort(key=lambda m: m.start)
    return names


_MINOR_WORDS = frozenset("a an the of to in on at for and or but by with as from vs".split())


def _title_case_headline(text: str) -> int:
    """The end of the text's first line when it is a headline in title case, every word but the
    small ones capitalised ("Obama Claims Hillary Most Qualified Presidential Candidate Ever"),
    where capitals make no names; else 0."""
    end = text.find("\n")
    end = len(text) if end < 0 else end
    words = [w for w in text[:end].split() if w[0].isalpha() and w.lower() not in _MINOR_WORDS]
    if len(words) < 4:
        return 0
    return end if all(w[0].isupper() for w in words) else 0  # (not "Senator Ann Whitfield met Governor Mark Dale")


def _person_named(text: str, segment: list[tuple[int, str]],
                  titles: dict[str, tuple[str, str | None]]) -> Mention | None:
    """The person a segment of a run names (its words with their offsets), if it is one."""
    words = [w for _, w in segment]
    words[-1] = _possessive_stem(words[-1].rstrip("."))
    end = segment[-1][0] + len(segment[-1][1])
    described = False
    if not any(w in titles for w in words) and not is_first_name(words[0]):
        described = len(segment) <= 3 and _described_as_person(text, end)
        if not described:
            return None
    if words[-1] in AFFILIATIONS and text[max(0, segment[0][0] - 4):segment[0][0]].split()[-1:] in (
            ["a"], ["an"], ["A"], ["An"]):
        return None  # "an Orlando Republican", "a Jupiter Democrat": where from and which party
    mention = read_name(" ".join(words))
    if mention.kind != PERSON or not mention.name:
        return None
    titled = any(titles.get(word, ("qualifier", None))[0] != "qualifier" for word in (mention.title or "").split())
    name_words = mention.name.split()
    if titled or (len(name_words) >= 2 and (described or is_first_name(name_words[0]))):
        mention.start, mention.end, mention.salient = segment[0][0], end, None
        return mention
    return None


def _surname_candidates(text: str, start: int, end: int, latin: bool, surnames: Iterable[str],
                        covered: list[tuple[int, int]] | None = None) -> list[Any]:
    """The matches of ``_CAPITALIZED`` in text[start:end] (as ``finditer`` gives them) that
    may be one of ``surnames``, less those starting inside a ``covered`` span (sorted, apart):
    each surname is looked up with str.find, as most of the capitalised words the pattern
    would match one by one are no surname."""
    covered = covered or []
    found: set[int] = set()
    for name in surnames:
        position = text.find(name, start, end)
        while position >= 0:
            found.add(position)
            position = text.find(name, position + 1, end)
    at = sorted(found)
    for position in at:
        if position > start and text[position - 1] >= "\u0300":
            # A combining mark before the word may end a capitalised word that ``finditer``
            # matches first, through this one: read the span as it does.  (Any other character
            # before a match is no part of a capitalised word, or the pattern's look-behind fails.)
            return [m for m in _CAPITALIZED.finditer(text, start, end, latin) if not _inside(covered, m.start())]
    matches = []
    k = max(0, bisect.bisect_left(covered, (start,)) - 1)  # the first covered span that may hold a position
    for position in at:
        while k < len(covered) and covered[k][1] <= position:
            k += 1
        if k < len(covered) and covered[k][0] <= position:
            continue
        match = _CAPITALIZED.match(text, position, end, latin)
        if match is not None:
            matches.append(match)
    return matches


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in one of ``spans`` (sorted, apart)."""
    k = bisect.bisect_right(spans, (position, 1 << 62)) - 1
    return k >= 0 and spans[k][0] <= position < spans[k][1]


def _described_as_person(text: str, end: int) -> bool:
    """Whether an apposition after a name makes it a person's, whatever the first name:
    "Amadou Magassa, 13,", "Marvin Roffman, a securities analyst,", "IIyse Hogue, president of"."""
    if not text.startswith(",", end):
        return False  # (as the pattern opens with a comma, asked only after one)
    found = _APPOSITION.match(text, end, end + 80, concurrent=False)
    return found is not None and (found.group(1) is None or found.group(1).lower() in _person_nouns())


@cache
def _person_nouns() -> frozenset[str]:
    return frozenset(noun for noun, (kind, _) in lexicon.load().person_nouns.items() if kind == PERSON)


_APPOSITION = regex.compile(r",[ \u00a0]+(?:\d{1,3}[,;)]|(?:(?:a|an|the)[ \u00a0]+)?(?:[\p{Ll}\-]+[ \u00a0]+){0,3}?"
                           r"(\p{Ll}+)(?:[,.;]|[ \u00a0]+(?:of|for|at)[ \u00a0]))")


def _segments(run: str, offset: int) -> list[list[tuple[int, str]]]:
    """A run of capitalised words cut at sentence ends and pronouns, less leading starters."""
    segments: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    position = 0
    for word in run.split():
        position = run.find(word, position)
        start = offset + position
        position += len(word)
        if word.lower() in _NOT_NAME_START or (not current and (word in SENTENCE_STARTERS or word in NAME_CONNECTORS)):
            if current:
                segments.append(current)
            current = []
            continue
        current.append((start, word))
        if word[-1] == "." and len(word) > 2 and word.count(".") == 1 and word not in lexicon.load().titles \
                or _possessive_stem(word) != word:
            segments.append(current)  # "Trump." ends a sentence, "Fox News’ Bret Baier" is two names
            current = []
    if current:
        segments.append(current)
    return segments


def is_salient(text: str, name: Mention, quoted: list[tuple[int, int]]) -> bool:
    """Whether a name found by ``person_names`` reads as a clause subject, outside the
    ``quoted`` spans: it opens its sentence (after titles: "Florida delegate John Archer")
    or a verb follows it (after an aside: "John Archer, wearing a T-shirt, said")."""
    start, end = name.start, name.end
    last_word = text[start:end].split()[-1]
    if _inside(quoted, start) or _possessive_stem(last_word) != last_word:
        return False
    lead = _lead_in(text, start)
    if lead is not None and all(_title_like(w) for w in lead.group(1).split()):
        return True
    # (Matched with an end: without one, the regex module takes time in proportion to
    # the whole text, for each name.)
    reach = end + 300
    after = text[end:end + 1]  # (each pattern opens with a space or a comma: asked only after one)
    nxt = _NEXT_WORD.match(text, end, reach, concurrent=False) if after in (" ", "\u00a0") else None
    if nxt is None and after == ",":
        nxt = _NEXT_AFTER_ASIDE.match(text, end, reach, concurrent=False)
    if nxt is None and after == "," and text[max(0, start - 2):start] == ", ":
        # the name is itself the aside: "Kazakhstan's foreign minister, Erlan Idrissov, plays down"
        nxt = _NEXT_AFTER_COMMA.match(text, end, reach, concurrent=False)
    if nxt is None or nxt.group(1) in _NOT_SUBJECT_NEXT:
        return False
    before = _previous_word(text, start)
    # after a verb or a preposition, an object: "tangle with Trump", "praised Trump"
    return before is None or not (before.isalpha() and before.islower()) or before in _CLAUSE_OPENERS


def _previous_word(text: str, start: int) -> str | None:
    """The word before a name and its titles ("with" in "with Sen. Ted Cruz"); None when
    punctuation comes first."""
    for word in reversed(text[max(0, start - 100):start].split()):
        if word[-1] in _CLAUSE_PUNCTUATION:
            return None
        if not _title_like(word):
            return word
    return None


_CLAUSE_PUNCTUATION = frozenset(".,;:!?()\"“”—–-")
_CLAUSE_OPENERS = frozenset(
    "and but or nor yet so that when while because as if after before since though although "
    "where whereas once until unless whether then also even now later meanwhile still".split())


# From the start of the sentence (or of the text) to the name.
_LEAD_IN = regex.compile(r"(?:^|[.!?][\"”’)]*\s+|\n\s*)((?:[^\s.!?]+\s+){0,5})$")


def _lead_in(text: str, start: int) -> Any:
    """``_LEAD_IN.search`` in the 80 characters before ``start``, tried only where a match
    can start: at the last full stop (what follows it holds none), at a line break after
    it, or at the start of the text; a search tried at every character costs tenfold."""
    window = max(0, start - 80)
    stop = max(text.rfind(".", window, start), text.rfind("!", window, start), text.rfind("?", window, start))
    if text.find("\n", max(window, stop), start) >= 0:
        return _LEAD_IN.search(text, max(window, stop), start, concurrent=False)
    if stop >= 0:
        return _LEAD_IN.match(text, stop, start, concurrent=False)
    return _LEAD_IN.match(text, 0, start, concurrent=False) if window == 0 else None
_NEXT_AFTER_COMMA = regex.compile(r",[ \u00a0]+(\p{Ll}[\p{L}'’\-]*)")
_NEXT_AFTER_ASIDE = regex.compile(r",[^,.;:“”\"\n]{1,80},[ \u00a0]+(\p{Ll}[\p{L}'’\-]*)")


_DETERMINERS = frozenset("the a an his her their our my your its".split())  # "but their neighbor Benjamin Green"


def _title_like(word: str) -> bool:
    lex = lexicon.load()
    low = word.lower()
    return word[0].isupper() or low in _DETERMINERS or low in lex.person_nouns \
        or low in lex.organization_words or word in lex.titles
