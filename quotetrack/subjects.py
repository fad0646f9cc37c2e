"""Find the subject of a reporting verb: the phrase read backwards from a cue.

``Urban said``, ``The spokesman, Navy Capt. Bill Urban, explained``, ``Harry Bond,
30, of Raleigh, N.C., who was among those polled, said``, ``Trump on Saturday
tweeted``, ``Trump in a statement said``: the phrase before the verb, past the
time phrases, asides and prepositional phrases news prose puts between the two.
Chunks and phrases come from ``mentions`` (no parser, see there).
"""

from __future__ import annotations

from typing import Final

from . import lexicon
from .mentions import (DASHES, DETERMINERS, PARTY, POSTMODIFIER_STARTS, Phrase, chunk_start, classify, is_word,
                       phrase_after, relay_in, roles_in, skippable)
from .speakers import is_first_name
from .tokens import Token

TIME_WORDS: Final = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december week month year night morning afternoon evening weekend "
    "today yesterday".split())
_TIME_OPENERS: Final = ("on", "last", "this", "late", "early", "earlier")


def past_time(toks: list[Token], i: int, limit: int) -> int:
    """Step over a time phrase after a subject: "on Thursday", "last week", "this month"."""
    if i + 1 < limit and toks[i].lower in _TIME_OPENERS and toks[i + 1].lower in TIME_WORDS:
        i += 2
        if i < limit and toks[i].lower in TIME_WORDS:
            i += 1
    return i


def _time_before(toks: list[Token], i: int, floor: int) -> int:
    """The last token before a time phrase ending at ``i`` ("Trump on Saturday tweeted"), else ``i``."""
    k = i - 1 if i - 1 >= floor and toks[i].lower in TIME_WORDS and toks[i - 1].lower in TIME_WORDS else i
    if k - 1 >= floor and toks[k].lower in TIME_WORDS and toks[k - 1].lower in _TIME_OPENERS:
        return k - 2
    return i


def _skip_back(tokens: list[Token], i: int, floor: int) -> int:
    """Step left over adverbs, auxiliaries and a parenthesis ("Kasich (R-OH)")."""
    while i >= floor:
        if skippable(tokens[i]):
            i -= 1
        elif tokens[i].text == ")":
            k = i - 1
            while k >= floor and i - k <= 8 and tokens[k].text != "(":
                k -= 1
            if k < floor or tokens[k].text != "(":
                return i
            i = k - 1
        else:
            return i
    return i


def subject_before(tokens: list[Token], cue: int, floor: int = 0) -> Phrase | None:
    """The subject phrase standing right before the cue token at index ``cue``."""
    i = _skip_back(tokens, cue - 1, floor)
    if i >= floor:
        i = _skip_back(tokens, _time_before(tokens, i, floor), floor)
    if i < floor or tokens[i].lower in ("and", "but", "or"):
        return None  # "X criticized Y and called ...": the subject is the sentence's
    if tokens[i].text in DASHES:  # "Gingrich — mentioned by Newsmax as ... — told"
        k = i - 1
        while k >= floor and i - k <= 30 and tokens[k].text not in DASHES:
            k -= 1
        if k <= floor:
            return None
        outer = _phrase_ending_at(tokens, _skip_back(tokens, k - 1, floor), floor)
        inner = _name_opening(tokens, k + 1, _name_end(tokens, k + 1, i))
        if outer is not None and outer.form == "description" and inner is not None:
            # "A former Republican presidential candidate -- John McCain, who lost in 2008 -- said"
            return Phrase(outer.start, inner.end, inner.head_start, inner.head_end, "name", outer.roles + inner.roles)
        return outer
    if tokens[i].text == ",":
        found = _appositive_subject(tokens, i, floor)
        if found is None and i - 1 >= floor and tokens[i - 1].text == ")":
            found = _phrase_ending_at(tokens, _skip_back(tokens, i - 1, floor), floor)  # "Kasich (R-OH), said"
        return found
    found = _phrase_ending_at(tokens, i, floor)
    if found is not None and found.form == "pronoun":
        return found
    return _subject_before_adverbial(tokens, i, floor, found)


# Prepositions of a phrase between a subject and its verb: "Trump in a statement said",
# "Clinton on Twitter called it ...".
_ADVERBIAL_STARTS: Final = frozenset({"in", "on", "during", "via", "through", "at"})


def _subject_before_adverbial(tokens: list[Token], i: int, floor: int, found: Phrase | None) -> Phrase | None:
    """The subject before "in a statement" or "at the time", or None when the verb has no subject
    of its own ("X is supporting Sanders and in a statement credited him": X's, the sentence's)."""
    k = i
    if found is not None:
        while k > floor and tokens[k - 1].start >= found.start:
            k -= 1
    else:  # "at the time": no phrase of its own; up to three words back to the preposition
        while k > floor and i - k < 3 and tokens[k].text[0].islower() and tokens[k].lower not in _ADVERBIAL_STARTS \
                and is_word(tokens[k]):
            k -= 1
        k += 1
    if k - 2 < floor or tokens[k - 1].lower not in _ADVERBIAL_STARTS or tokens[k - 1].text[0].isupper():
        return found
    j = _skip_back(tokens, k - 2, floor)
    if j >= floor and tokens[j].lower in ("and", "but", "or"):
        return None
    outer = _phrase_ending_at(tokens, j, floor)
    if outer is None or outer.form not in ("name", "pronoun"):
        return found
    while j > floor and tokens[j - 1].start >= outer.start:
        j -= 1
    # "She noted that Sanders in the past has ...": reported in her words
    return found if tokens[j].lower == "that" else outer


def subject_with_asides(tokens: list[Token], first: int, cue: int) -> Phrase | None:
    """A name opening the clause at ``first`` and asides between commas up to the cue:
    ``Harry Bond, 30, of Raleigh, N.C., who was among those polled, said``, where the
    nearest aside alone ("N.C., who ...") looks like the subject."""
    if cue - 1 <= first:
        return None
    comma = first
    while comma < cue and tokens[comma].text not in _BREAKS:
        comma += 1
    if tokens[comma].text != "," or comma == first:
        return None
    if tokens[cue - 1].text != "," and not (
            any(t.lower == "who" for t in tokens[comma + 1:cue]) and all(t.text != "," for t in tokens[comma + 1:cue])):
        return None  # (without a comma before the cue, only "Nate Silver, the guru who founded X, tweeted")
    if any(t.text in _BREAKS and t.text != "," for t in tokens[comma:cue]):
        return None
    if any(t.is_possessive for t in tokens[first:comma]):
        return None  # "The Podesta Group's CEO, Kimberley Fritts, said": a description, then the name
    phrase = _name_opening(tokens, first, comma - 1)
    if phrase is None:
        return None
    end = cue - 2 if tokens[cue - 1].text == "," else cue - 1
    return Phrase(phrase.start, tokens[end].end, phrase.head_start, phrase.head_end, "name",
                  phrase.roles + roles_in(tokens, comma + 1, end + 1),
                  phrase.relay or relay_in(tokens, comma + 1, end + 1))


_BREAKS: Final = frozenset({",", ";", ":"}) | DASHES
AFFILIATING: Final = frozenset({"of", "at", "from", "with"})
_ORGANIZATION_CONNECTORS: Final = frozenset({"of", "for", "the", "and", "&", "on", "in"})


def subject_with_affiliation(tokens: list[Token], first: int, cue: int) -> Phrase | None:
    """A name opening the clause at ``first`` and where the person works, up to the cue:
    ``Jeffrey Lewis of the James Martin Center for Nonproliferation Studies wrote``,
    where the organisation alone looks like the subject."""
    k = first
    while k < cue and tokens[k].text[0].isupper():
        k += 1
    end = cue
    while end - 1 > k and skippable(tokens[end - 1]):
        end -= 1  # "... Studies also said"
    if k == first or k + 1 >= end or tokens[k].lower not in AFFILIATING or not tokens[end - 1].text[0].isupper():
        return None
    if not all(t.text[0].isupper() or t.lower in _ORGANIZATION_CONNECTORS for t in tokens[k + 1:end]):
        return None
    phrase = _name_opening(tokens, first, k - 1)
    if phrase is None:
        return None
    return Phrase(phrase.start, tokens[end - 1].end, phrase.head_start, phrase.head_end, "name", phrase.roles)


def _name_end(tokens: list[Token], first: int, limit: int) -> int:
    """The last token of the run of capitalised words from ``first`` (before ``limit``)."""
    k = first
    while k + 1 < limit and tokens[k + 1].text[0].isupper():
        k += 1
    return k


def _name_opening(tokens: list[Token], first: int, last: int) -> Phrase | None:
    """The name that tokens ``first..last`` are, all of them, or None."""
    phrase = _phrase_ending_at(tokens, last, first)
    return phrase if phrase is not None and phrase.form == "name" and phrase.start == tokens[first].start else None


def _phrase_ending_at(tokens: list[Token], i: int, floor: int = 0, bare: bool = False) -> Phrase | None:
    if i < floor or not is_word(tokens[i]):
        return None
    first = chunk_start(tokens, i, floor)
    if first - 1 >= floor and tokens[first - 1].text[0].islower() and (
            tokens[first - 1].lower in POSTMODIFIER_STARTS or tokens[first - 1].lower in ("to", "by")):
        # "a spokesman for the U.S. military's Central Command", "an official who spoke with the WSJ"
        described = _description_with_postmodifier(tokens, i, floor)
        if described is not None:
            return described
    phrase = classify(tokens, first, i, bare=bare)
    if phrase is not None:
        return phrase
    return _description_with_postmodifier(tokens, i, floor, bare=bare)


_FINITE_VERBS: Final = frozenset("is was are were has have had will would".split())


def _description_with_postmodifier(tokens: list[Token], i: int, floor: int, bare: bool = False) -> Phrase | None:
    """``a spokesman for the ministry``, ``sources who spoke with the WSJ``."""
    lex = lexicon.load()
    for h in range(i - 1, max(floor, i - 14) - 1, -1):
        tok = tokens[h]
        if tok.text in (",", ";", ":", "(") or tok.text in DASHES or tok.lower in _FINITE_VERBS:
            return None  # "praising the former president for what happened ... was like saying"
        nxt = tokens[h + 1]
        if tok.lower in lex.person_nouns and (nxt.lower in POSTMODIFIER_STARTS or nxt.lower.endswith("ing")):
            first = chunk_start(tokens, h, floor)
            head = classify(tokens, first, h, bare=bare)
            if head is None or head.form != "description":
                return None
            return Phrase(head.start, tokens[i].end, head.head_start, tokens[i].end,
                          "description", head.roles, relay_in(tokens, h + 1, i + 1))
    return None


def _named_in_full(tokens: list[Token], phrase: Phrase) -> bool:
    """Whether ``phrase``, among ``tokens``, heads with a first name and a surname."""
    head = [t.text for t in tokens if phrase.head_start <= t.start < phrase.head_end]
    return len(head) >= 2 and is_first_name(head[0])


def _appositive_subject(tokens: list[Token], comma: int, floor: int, nested: bool = False) -> Phrase | None:
    """``X, the head of Y, said`` / ``The spokesman, Navy Capt. Bill Urban, explained``."""
    j = comma - 1
    while j >= floor and comma - j <= 25 and tokens[j].text not in (",", ";", ":", "(", ")") \
            and tokens[j].text not in DASHES:
        j -= 1
    if j < floor or tokens[j].text != "," or j == comma - 1:
        return None
    inner_first = chunk_start(tokens, comma - 1, j + 1)
    inner = classify(tokens, inner_first, comma - 1, bare=True) if inner_first == j + 1 else None
    if inner is None:
        inner = _description_with_postmodifier(tokens, comma - 1, j + 1, bare=True)
        if inner is not None and inner.start != tokens[j + 1].start:
            inner = None
    outer = _phrase_ending_at(tokens, _skip_back(tokens, j - 1, floor), floor)
    if outer is not None and not nested:
        k = j - 1
        while k > floor and tokens[k - 1].start >= outer.start:
            k -= 1
        if k - 1 >= floor and tokens[k - 1].lower in ("of", "for", "at"):
            # "RoseAnn DeMoro, executive director of National Nurses United, a union ..., said":
            # the phrase before the comma ends another aside; the subject is before that one
            return _appositive_subject(tokens, j, floor, nested=True)
    if outer is None and inner is not None and inner.form == "name":
        # "chief Central Command spokesman, Captain William Urban, said"
        outer = _phrase_ending_at(tokens, _skip_back(tokens, j - 1, floor), floor, bare=True)
    # Between the commas, anything but another name is an aside: "who ...", "in
    # Kentucky", "the Republican consultant", "co-founder of X", "69", "R-Ky.",
    # "Republican of New York".  Another name makes a list ("Trump, Cruz, said").
    opener = tokens[j + 1]
    relative = inner is None or inner.form != "name" or opener.text in lexicon.load().titles \
        or PARTY.match(opener.text) is not None or opener.text in DETERMINERS  # "the nation's top Republican"
    if outer is None and inner is not None and inner.form == "name":
        d = j - 1  # "the assailant, John McGraw, told": a common noun the lexicon lacks, then the name
        while d > floor and j - d <= 3 and tokens[d].text[0].islower() and tokens[d].lower not in DETERMINERS:
            d -= 1
        if d < j - 1 and tokens[d].lower in ("the", "a", "an") and (d == floor or not tokens[d - 1].text[0].isalnum()):
            return Phrase(tokens[d].start, inner.end, inner.head_start, inner.head_end, "name", inner.roles)
    if outer is None:
        return inner if inner is not None and inner.form == "name" and j + 1 == floor else None
    opening = chunk_start(tokens, j - 1, floor)
    described = outer.form == "description" or any(  # "The Podesta Group's CEO, Kimberley Fritts"
        t.is_possessive for t in tokens[opening:j]) or (  # "The UN Secretary-General, Antonio Guterres"
        tokens[opening].lower == "the" and inner is not None and _named_in_full(tokens[inner_first:comma], inner))
    if inner is not None and inner.form == "name" and described:
        return Phrase(outer.start, inner.end, inner.head_start, inner.head_end, "name",
                      outer.roles + inner.roles, inner.relay or outer.relay)
    if outer.form in ("name", "pronoun") and relative:
        return Phrase(outer.start, tokens[comma - 1].end, outer.head_start, outer.head_end,
                      outer.form, outer.roles + roles_in(tokens, j + 1, comma),
                      outer.relay or relay_in(tokens, j + 1, comma))
    return None


# What carries someone's words: "according to a statement from the Interior Ministry"
_DOCUMENT_NOUNS: Final = frozenset("statement release report email e-mail letter memo filing post transcript "
                                   "note readout summary".split())


def document_owner(toks: list[Token], first: int, last: int) -> Phrase | None:
    """Whose document the subject at tokens ``first..last`` is: "The ministry's statement",
    "the company's annual report" (the ministry, the company), else None."""
    if last < 1 or toks[last].lower not in _DOCUMENT_NOUNS:
        return None
    owned = next((k for k in range(last - 1, max(first, last - 3) - 1, -1) if toks[k].is_possessive), None)
    if owned is None:
        return None
    owner = subject_before(toks, owned + 1, first)
    if owner is None or owner.form not in ("name", "description"):
        return None
    cut = 2 if toks[owned].text.endswith(("'s", "’s")) else 1  # (without the 's)
    roles = tuple(role[:-cut] if role.endswith(("'s", "’s", "'", "’")) else role for role in owner.roles)
    end = toks[owned].end - cut
    return Phrase(owner.start, end, owner.head_start, min(owner.head_end, end), owner.form, roles)


def according_to(toks: list[Token], k: int, b: int) -> Phrase | None:
    """The source after "according to" at token ``k``: who issued the document when one is
    named ("a statement from the Interior Ministry" is the ministry's)."""
    for h in range(k, min(b - 2, k + 4)):
        if toks[h].lower in _DOCUMENT_NOUNS and toks[h + 1].lower in ("from", "by", "of"):
            issuer = phrase_after(toks, h + 2)
            if issuer is not None and issuer.form != "pronoun":
                return issuer
            break
    return phrase_after(toks, k)
