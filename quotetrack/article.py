"""One article as the attribution rules see it: tokens, sentences and cues."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import regex

from . import lexicon
from .mentions import Phrase
from .tokens import tokenize
from .subjects import subject_before
from .speakers import Entity, Mention

_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr st jr sr gen capt sen rep gov lt col maj sgt adm no vs etc inc corp co prof rev".split())


@dataclass(slots=True)
class Attribution:
    phrase: Phrase | None
    cue: str | None
    rule: str
    confidence: float
    via: str | None = None
    entity: Entity | None = None
    mention: Mention | None = None
    hint: Phrase | None = None  # for a pronoun: who spoke just before ("Bob said ... he said")


_INVERTED_OPENERS: Final = frozenset({"said", "says", "asked", "added", "wrote", "explained"})


class ArticleText:
    """Tokens and sentence bounds of one article, shared by every rule."""

    def __init__(self, text: str, spans: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        if spans is None:
            self.tokens = tokenize(text)
        else:  # only the paragraphs the rules will read: tokens cost most of the time
            self.tokens = [tok for start, end in spans for tok in tokenize(text, start, end)]
        self.starts = [t.start for t in self.tokens]
        self.lex = lexicon.load()
        self._ends: list[int] | None = None  # indices of the tokens that end a sentence, when needed
        self._subjects: dict[tuple[int, int], Phrase | None] = {}
        self._lower_words: dict[str, bool] = {}

    def writes_in_lower_case(self, word: str) -> bool:
        """Whether ``word`` (lower case) appears uncapitalised somewhere in the text."""
        found = self._lower_words.get(word)
        if found is None:
            found = self._lower_words[word] = _occurs_as_word(self.text, word)
        return found

    def subject_before(self, cue: int, floor: int) -> Phrase | None:
        """``subjects.subject_before``, remembered: the rules that look back over a long
        paragraph ask for the subjects of the same cues again and again."""
        key = (cue, floor)
        if key in self._subjects:
            return self._subjects[key]
        found = self._subjects[key] = subject_before(self.tokens, cue, floor)
        return found

    def _sentence_ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [i for i, tok in enumerate(self.tokens) if tok.text[-1] in ".!?" and self.ends_sentence(i)]
        return self._ends

    def first_sentence_end(self, a: int, b: int) -> int:
        """Index of the first token of ``a..b-1`` that ends a sentence, or -1.

        Looked up in an index of all sentence ends, so that no rule rescans a stretch
        (the rules ask about the same words again and again)."""
        ends = self._sentence_ends()
        k = bisect_left(ends, a)
        return ends[k] if k < len(ends) and ends[k] < b else -1

    def last_sentence_end(self, a: int, b: int) -> int:
        """Index of the last token of ``a..b-1`` that ends a sentence, or -1."""
        ends = self._sentence_ends()
        k = bisect_left(ends, b) - 1
        return ends[k] if k >= 0 and ends[k] >= a else -1

    def index(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def ends_sentence(self, i: int) -> bool:
        tok = self.tokens[i]
        if tok.text[-1] not in ".!?":
            return False
        if i + 1 < len(self.tokens) and self.tokens[i + 1].text == ")":
            return False  # "(D-Ore.)"
        if tok.text[-1] == "." and len(tok.text) > 1:
            bare = tok.text[:-1].lower()
            if bare in _ABBREVIATIONS or len(bare) == 1 or "." in bare:
                return False
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        return nxt is None or nxt.text[0].isupper() or (not nxt.text[0].isalnum() and nxt.text not in ",;:)")

    def pre_window(self, lo: int, hi: int) -> tuple[int, int]:
        a, b = self.index(lo), self.index(hi)
        i = self.last_sentence_end(a, b)
        return (i + 1, b) if i >= 0 else (a, b)

    def post_window(self, lo: int, hi: int) -> tuple[int, int]:
        a, b = self.index(lo), self.index(hi)
        i = self.first_sentence_end(a, b)
        return (a, i + 1) if i >= 0 else (a, b)

    def cue(self, i: int, closing: bool = False) -> str | None:
        """The lemma of a reporting verb at token ``i``; ``closing`` when it follows the quote."""
        tok = self.tokens[i]
        if not tok.text[0].islower():
            # "Tweeted" after a quote is a cue, "Said Dorothy Poynter, “" too; but not
            # "Note" opening a sentence, nor "States" in "the United States".
            inside_name = i > 0 and self.tokens[i - 1].text[0].isupper()
            opens = tok.lower in _INVERTED_OPENERS and i + 1 < len(self.tokens) \
                and self.tokens[i + 1].text[0].isupper()
            if inside_name or not (closing or opens):
                return None
        lemma = self.lex.reporting_forms.get(tok.lower)
        if lemma in self.lex.closing_only and not closing:
            return None
        if lemma in self.lex.particles and (i + 1 == len(self.tokens)
                                            or self.tokens[i + 1].lower != self.lex.particles[lemma]):
            return None
        if lemma == tok.lower and self._before_a_titled_name(i):
            return None  # "White House press secretary Josh Earnest", "state Sen. Joe Smith"
        return lemma

    def _before_a_titled_name(self, i: int) -> bool:
        toks = self.tokens
        if i + 2 >= len(toks) or not toks[i + 2].text[0].isupper():
            return False
        nxt = toks[i + 1]
        return nxt.lower in self.lex.person_nouns or nxt.text in self.lex.titles or nxt.lower in self.lex.titles


def bisect_left(values: list[int], x: int) -> int:
    """``bisect.bisect_left`` written out for a list of ints: compiled, it compares them as
    machine integers, where the library function compares Python objects (the rules look
    up token offsets a few hundred thousand times per thousand articles)."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def first_word(article: ArticleText, a: int, b: int) -> int:
    while a < b and not article.tokens[a].text[0].isalnum():
        a += 1
    return a


def sentence_start(article: ArticleText, a: int, i: int) -> int:
    k = article.last_sentence_end(a, i)
    return k + 1 if k >= 0 else a


_WORD_BACKWARDS: Final = regex.compile(r"(?r)\b\p{L}+\b")


def last_cue_offset(text: str, start: int, end: int) -> int | None:
    """Where the last reporting cue of text[start:end] begins, found without tokenizing."""
    lex = lexicon.load()
    forms = lex.reporting_forms  # (read once: compiled, each attribute read is a lookup)
    for word in _WORD_BACKWARDS.finditer(text, start, end, concurrent=False):
        w: str = word[0]  # (typed str: compiled, lower() is then no method call)
        if w in forms:
            particle = lex.particles.get(forms[w])
            if particle is None or text[word.end():word.end() + len(particle) + 2].split()[:1] == [particle]:
                return word.start()
        elif w.lower() == "according":
            return word.start()
    return None


def _occurs_as_word(text: str, word: str) -> bool:
    # str.find, not a regular expression: for a name it scans the whole text, in C
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(word, end)
    return False
