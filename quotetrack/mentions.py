"""Recognise the noun phrase that names a speaker next to a reporting cue.

There is no parser: a window of text is split into word tokens and the
phrase is read backwards from a cue (``Urban said``, ``The spokesman, Navy
Capt. Bill Urban, explained``) or forwards from it (``said Pentagon Press
Secretary Peter Cook``) with a small grammar of names, titles, pronouns and
role descriptions taken from the lexicons.  Hand-written because no
maintained library chunks English noun phrases without a statistical model.
"""

from __future__ import annotations

from typing import Final

import regex

from . import lexicon
from .tokens import CONTRACTIONS, Token, bare_end, ends_sentence

DASHES: Final = frozenset({"—", "–", "--", "-"})

DETERMINERS: Final = frozenset(
    "the a an this that these those another one two three four several some many most "
    "other both each any senior top".split()
)
POSSESSIVE_DETERMINERS: Final = frozenset({"his", "her", "their", "its"})
CONNECTORS: Final = frozenset("of for & de la le du da del der van von bin al el dos di and on at".split())
# Connectors that may join two capitalised words inside one name
# ("Secretary of State", "Task & Purpose", "Pierre Le Corf").
NAME_CONNECTORS: Final = frozenset("of & de la le du da del der van von bin al el di dos".split())
POSTMODIFIER_STARTS: Final = frozenset(
    "who for of at with from in on familiar close involved knowledgeable briefed "
    "speaking working representing based told".split()
)
ADVERBS: Final = frozenset(
    "also still further later then previously repeatedly recently reportedly once again "
    "just already never often publicly privately flatly simply quickly finally even "
    "has have had having was is are were be been being would will could did does do may "
    "might shall should must not n't initially first last long earlier subsequently "
    "immediately angrily bluntly sharply frankly openly separately elsewhere however "
    "moreover meanwhile instead too yet".split()
)
SENTENCE_STARTERS: Final = lexicon.words("sentence_starters.txt")
PARTY: Final = regex.compile(r"^[RDI]-[A-Z]")  # "R-Ky.", "D-N.Y."
# Words that open an aside between a subject and its verb ("Trump, in Kentucky, said").
_ASIDE_STARTS: Final = frozenset("in on at during after before speaking writing appearing interviewed asked "
                                 "when while if like".split())


class Phrase:
    """A speaker mention: ``start``/``end`` cover all of it, ``head`` the part that names;
    ``roles`` are role nouns said of the speaker ("spokesman"), ``relay`` an outlet
    named inside the phrase ("who spoke with the WSJ")."""

    __slots__ = ("start", "end", "head_start", "head_end", "form", "roles", "relay")

    def __init__(self, start: int, end: int, head_start: int, head_end: int, form: str,
                 roles: tuple[str, ...] = (), relay: str | None = None) -> None:
        self.start, self.end, self.head_start, self.head_end = start, end, head_start, head_end
        self.form, self.roles, self.relay = form, roles, relay  # form: name | pronoun | description

    def __repr__(self) -> str:
        return f"Phrase({self.start}, {self.end}, {self.form!r})"


def is_word(tok: Token) -> bool:
    return tok.text[0].isalnum()


def _is_name_token(tok: Token) -> bool:
    return tok.text[0].isupper() or (tok.text[:3] in ("al-", "el-"))


_TITLE_WORDS: Final = frozenset(t.lower() for t in lexicon.load().titles)
# (One set, Final, for the words asked about most: compiled, it is read as a C variable.)
_ROLE_WORDS: Final = frozenset(lexicon.load().person_nouns) | lexicon.load().organization_words | _TITLE_WORDS


def _role_noun(tok: Token) -> bool:
    """A lower-case word that can sit inside a speaker phrase ("spokesman", "ministry's")."""
    if not tok.text[0].islower():
        return False
    low = tok.lower
    if tok.is_possessive:
        low = low[:-2] if low.endswith(("'s", "’s")) else low[:-1]
    return low in _ROLE_WORDS


SUBJECT_PRONOUNS: Final = frozenset("he she they we i it".split())
_CAPITALISED_SUBJECTS: Final = frozenset(word.capitalize() for word in SUBJECT_PRONOUNS)  # "He", "I"


def _chunk_word(tokens: list[Token], m: int, first: int, last: int) -> bool:
    """Whether token ``m`` can belong to a speaker chunk spanning ``first..last``."""
    tok = tokens[m]
    if not is_word(tok):
        return tok.text == "&" and first < m < last
    if tok.text in _CAPITALISED_SUBJECTS:
        return False
    if _is_name_token(tok) or _role_noun(tok) or (tok.is_possessive and tok.text[0].islower()):
        return True
    if tok.text[0].islower() and tok.lower in NAME_CONNECTORS:
        if tok.lower == "of" and first < m and m + 2 < len(tokens) and _role_noun(tokens[m - 1]) \
                and (_modifier(tokens[m + 1]) or _role_noun(tokens[m + 1])) and _is_name_token(tokens[m + 2]):
            return True  # "Former US secretary of state Madeleine Albright"
        return first < m < last and _is_name_token(tokens[m - 1]) and _is_name_token(tokens[m + 1])
    if tok.text == "and" and first < m < last:
        # "former Pennsylvania Gov. and Democratic National Committee Chairman Ed Rendell": two titles
        return tokens[m - 1].lower in _TITLE_WORDS and _is_name_token(tokens[m + 1])
    if first >= m or m + 1 >= len(tokens):
        return False
    if tok.text[0].isdigit():
        return _ORDINAL.match(tok.text) is not None and _is_name_token(tokens[m + 1])  # "Air Force 1st Lt."
    if _verb_after_name(tokens, m):
        return False
    # "Republican political consultant Chris Russell": lower-case words before a role noun
    if _role_noun(tokens[m + 1]):
        return _modifier(tok)
    return m + 2 < len(tokens) and _role_noun(tokens[m + 2]) and _modifier(tokens[m + 1]) and _modifier(tok)


def _verb_after_name(tokens: list[Token], m: int) -> bool:
    """An -ed word right after a name is its verb, no modifier: "Netanyahu rallied supporters"."""
    low = tokens[m].lower
    return m > 0 and len(low) > 4 and low.endswith("ed") and _is_name_token(tokens[m - 1]) \
        and not tokens[m - 1].is_possessive


_ORDINAL: Final = regex.compile(r"\d+(?:st|nd|rd|th)$")


def _modifier(tok: Token) -> bool:
    """A lower-case word that can modify a role noun ("senior", "politics", "former")."""
    # (an age is one: "the 76-year-old senator", "76-year-old Morton Blackwell")
    return (tok.text[0].islower() or tok.lower.endswith("-year-old")) and is_word(tok) \
        and tok.lower not in _NOT_MODIFIERS


# "John Kasich suspended his campaign": a verb and its object; "which included staff members": a clause.
_WH_WORDS: Final = frozenset("which who whom whose what where when why how".split())


_NOT_MODIFIERS: Final = ADVERBS | DETERMINERS | CONNECTORS | POSTMODIFIER_STARTS \
    | frozenset(lexicon.load().reporting_forms) | POSSESSIVE_DETERMINERS | _WH_WORDS


def chunk_start(tokens: list[Token], i: int, floor: int = 0) -> int:
    """First index of the chunk ending at ``i``, over modifiers back to a determiner.

    "the Post's senior politics editor Steven Ginsberg": names, role nouns and
    possessives, with up to three modifiers after a determiner or possessive.
    """
    if tokens[i].text in _CAPITALISED_SUBJECTS:
        return i  # "... in the U.S. He says": a pronoun opening a sentence is a phrase of its own
    j = i
    while True:
        while j - 1 >= floor and i - j < 14 and _chunk_word(tokens, j - 1, j - 2, i) \
                and not ends_sentence(tokens[j - 1]):
            j -= 1
        hop = None
        for width in (1, 2, 3):
            k = j - width
            if k - 1 < floor or not all(_modifier(t) for t in tokens[k:j]) or _verb_after_name(tokens, k):
                break
            before = tokens[k - 1]
            if before.lower in DETERMINERS or _is_name_token(before):
                hop = k
                break
        if hop is None or i - hop >= 14:
            break
        j = hop
        if tokens[j - 1].lower in DETERMINERS:
            break
    if j - 1 >= floor and tokens[j - 1].lower in DETERMINERS:
        j -= 1
    while j < i and (tokens[j].text in SENTENCE_STARTERS or tokens[j].lower in NAME_CONNECTORS):
        j += 1
    return j


def _chunk_end(tokens: list[Token], i: int) -> int:
    """Last index of the chunk starting at ``i`` (``i - 1`` if there is none)."""
    m = i
    if m < len(tokens) and tokens[m].lower in DETERMINERS:
        m += 1
    k = m
    while k < len(tokens) and k - m < 2 and _modifier(tokens[k]):
        k += 1
    if k > m and k + 2 < len(tokens) and tokens[k].lower == "of" \
            and (_modifier(tokens[k + 1]) or _role_noun(tokens[k + 1])) \
            and (_role_noun(tokens[k - 1]) or _is_name_token(tokens[k + 2])):
        # "said former secretary of state Hillary Clinton", "said master of ceremonies Asab Al-Tabchi"
        k += 2
    if k > m and k < len(tokens) and _is_name_token(tokens[k]):
        m = k  # "said engineer Carla Diaz", "the economist Jared Bernstein"
        if m + 1 < len(tokens) and tokens[m].text[0].islower() and not _role_noun(tokens[m]) \
                and _chunk_word(tokens, m + 1, m + 1, m + 1):
            m += 1  # "the top official"
    while m < len(tokens) and m - i < 14 and _chunk_word(tokens, m, i, m + 1 if m + 1 < len(tokens) else m):
        m += 1
        if ends_sentence(tokens[m - 1]):
            break
    last = m - 1
    while last >= i and not is_word(tokens[last]):
        last -= 1
    return last


def _personal_run_start(tokens: list[Token], first: int, last: int) -> int:
    """Start of the trailing run of capitalised words in ``first..last``."""
    start = last
    # A possessive ends a person's name ("Fox News’ Bret Baier") but not an organisation's
    # ("Russia’s Defense Ministry").
    owned = tokens[last].lower not in lexicon.load().organization_words
    while start - 1 >= first and (
            _is_name_token(tokens[start - 1]) and not (owned and tokens[start - 1].is_possessive) or (
            tokens[start - 1].lower in NAME_CONNECTORS and start - 2 >= first
            and _is_name_token(tokens[start - 2]))):
        start -= 1
    return start


def classify(tokens: list[Token], first: int, last: int, start_tok: int | None = None,
              objective: bool = False, bare: bool = False) -> Phrase | None:
    """Turn the chunk ``first..last`` into a phrase, or None when it names no one."""
    start_tok = first if start_tok is None else start_tok
    lex = lexicon.load()
    tail = tokens[last]
    if first == last and tail.lower in lex.pronouns:
        if tail.lower in ("her", "him", "them") and not objective:
            return None
        return Phrase(tail.start, tail.end, tail.start, tail.end, "pronoun")
    if first == last and tail.lower in CONTRACTIONS:
        pronoun = regex.split(r"['’]", tail.lower)[0]  # "He’s predicting": he
        if pronoun in lex.pronouns and pronoun != "it":
            return Phrase(tail.start, tail.end, tail.start, tail.start + len(pronoun), "pronoun")
        return None
    if _is_name_token(tail):
        head = _personal_run_start(tokens, first, last)
        while head <= last and (tokens[head].text in SENTENCE_STARTERS or tokens[head].lower in lex.pronouns
                                or tokens[head].lower in ("of", "for", "on", "at")):
            head += 1  # "And", "She", "Of course" opening a sentence
        if head > last:
            return None
        end = tail.end - 1 if ends_sentence(tail) else tail.end
        if head > first and tokens[first].lower in ("the", "this") and all(
                tok.bare in lex.titles or tok.lower in NAME_CONNECTORS for tok in tokens[head:last + 1]):
            # "the Prime Minister", "the President": a title without a name describes its bearer
            return Phrase(tokens[start_tok].start, end, tokens[first].start, end, "description", (tail.bare.lower(),))
        return Phrase(tokens[start_tok].start, end, tokens[head].start, end,
                      "name", roles_in(tokens, first, head))
    if _role_noun(tail) or tail.lower in lex.person_nouns:
        determined = tokens[first].lower in DETERMINERS or tokens[first].is_possessive \
            or _is_name_token(tokens[first])
        if not determined and not bare and not tail.lower.endswith("s"):
            return None  # a bare singular noun ("spokesman said") is not a subject
        end = tail.end - 1 if ends_sentence(tail) else tail.end
        return Phrase(tokens[start_tok].start, end, tokens[first].start, end, "description", (tail.lower,))
    return None


def _ly(tok: Token) -> bool:
    low = tok.lower
    return low.endswith("ly") and len(low) > 4 and tok.text[0].islower()


def skippable(tok: Token) -> bool:
    return tok.text[0].islower() and (tok.lower in ADVERBS or _ly(tok))  # not "Will wrote"


def roles_in(tokens: list[Token], start: int, end: int) -> tuple[str, ...]:
    lex = lexicon.load()
    return tuple(t.lower for t in tokens[start:end]
                 if t.text[0].islower() and t.lower in lex.person_nouns)


def relay_in(tokens: list[Token], start: int, end: int) -> str | None:
    """An outlet named after "spoke with/to" inside a phrase."""
    for k in range(start + 1, end - 1):
        if tokens[k].lower in ("with", "to") and tokens[k - 1].lower in ("spoke", "speaking", "talked", "talking"):
            return name_after(tokens, k + 1, end)
    return None


def name_after(tokens: list[Token], k: int, end: int | None = None) -> str | None:
    """The capitalised name starting at token ``k`` (after an optional "the")."""
    end = len(tokens) if end is None else end
    if k < end and tokens[k].lower == "the":
        k += 1
    m = k
    while m < end and (_is_name_token(tokens[m]) or (
            tokens[m].lower in NAME_CONNECTORS and m + 1 < end and _is_name_token(tokens[m + 1]))):
        m += 1
    if m == k:
        return None
    words = [t.text for t in tokens[k:m]]
    words[-1] = tokens[m - 1].bare
    return " ".join(words)


def phrase_after(tokens: list[Token], i: int, objective: bool = False) -> Phrase | None:
    """A speaker phrase starting at token ``i`` (``said Pentagon Press Secretary Peter Cook``).

    ``objective`` admits him/her/them ("cited him as saying").
    """
    while i < len(tokens) and skippable(tokens[i]):
        i += 1
    if i >= len(tokens) or not is_word(tokens[i]):
        return None
    # "said his campaign manager, Corey Lewandowski": a possessive opens a description
    owned = tokens[i].lower in POSSESSIVE_DETERMINERS and i + 1 < len(tokens) and _role_noun_follows(tokens, i + 1)
    if tokens[i].lower in lexicon.load().pronouns and not owned:
        return classify(tokens, i, i, objective=objective)
    first = i + 1 if owned else i
    last = _chunk_end(tokens, first)
    if last < first:
        return None
    if tokens[last].is_possessive and _is_name_token(tokens[last]):
        last = _owned_role_end(tokens, last)  # "said Clinton's top foreign policy aide Jake Sullivan"
    phrase = classify(tokens, first, last, start_tok=i, objective=objective, bare=owned)
    if phrase is None:
        return None
    if phrase.form == "description" and last + 1 < len(tokens) and (
            tokens[last + 1].lower in POSTMODIFIER_STARTS or tokens[last + 1].lower.endswith("ing")):
        end = last + 1
        while end + 1 < len(tokens) and is_word(tokens[end + 1]) and end - last < 10 and not ends_sentence(tokens[end]):
            end += 1
        return Phrase(phrase.start, bare_end(tokens[end]), phrase.head_start, bare_end(tokens[end]),
                      "description", phrase.roles, relay_in(tokens, last + 1, end + 1))
    return _with_apposition(tokens, last, phrase)


def _owned_role_end(tokens: list[Token], owner: int) -> int:
    """The end of a role a possessive name owns ("Clinton's spokesman", "Clinton's top
    aide Jake Sullivan"), or ``owner`` when no role follows it."""
    role = owner
    for k in range(owner + 1, min(len(tokens), owner + 7)):
        tok = tokens[k]
        if _role_noun(tok):
            role = k
            if k + 1 < len(tokens) and _is_name_token(tokens[k + 1]) and not ends_sentence(tok):
                return max(k, _chunk_end(tokens, k + 1))
        elif not (_modifier(tok) or tok.lower in DETERMINERS) or ends_sentence(tokens[k - 1]):
            break
    return role


def _role_noun_follows(tokens: list[Token], i: int) -> bool:
    """Whether a role noun comes within a few lower-case words from ``i`` ("his best friend")."""
    for k in range(i, min(len(tokens), i + 4)):
        if _role_noun(tokens[k]):
            return True
        if not tokens[k].text[0].islower():
            return False
    return False


def _with_apposition(tokens: list[Token], last: int, phrase: Phrase) -> Phrase:
    """Extend ``Mr. X`` over a following ``, a spokesman for Y`` appositive; a description
    followed by a name (``the campaign manager, Corey Lewandowski``) is that name."""
    if last + 2 < len(tokens) and tokens[last + 1].text == ",":
        nxt = tokens[last + 2]
        if phrase.form == "description" and _is_name_token(nxt):
            end = _chunk_end(tokens, last + 2)
            named = classify(tokens, last + 2, end) if end >= last + 2 else None
            if named is not None and named.form == "name" and (end + 1 >= len(tokens) or tokens[end + 1].text in ",.;"
                                                                or ends_sentence(tokens[end])):
                return Phrase(phrase.start, named.end, named.head_start, named.head_end, "name",
                              phrase.roles + named.roles, named.relay or phrase.relay)
        if nxt.lower in DETERMINERS or nxt.lower in ("who", "whose") or _role_noun(nxt) \
                or (nxt.is_possessive and _is_name_token(nxt)) or nxt.lower in _ASIDE_STARTS:
            k = last + 2
            # To the next comma, but not past a sentence end, words left out (a quotation), or a gap
            # of more than one character ("\n\n": a paragraph that ended without a full stop)
            while k + 1 < len(tokens) and tokens[k + 1].text not in (",", ";", ":", "(", ")") and k - last < 16 \
                    and not ends_sentence(tokens[k]) and tokens[k + 1].start - tokens[k].end <= 1:
                k += 1
            return Phrase(phrase.start, bare_end(tokens[k]), phrase.head_start, phrase.head_end,
                          phrase.form, phrase.roles + roles_in(tokens, last + 2, k + 1),
                          phrase.relay or relay_in(tokens, last + 2, k + 1))
    return phrase
