"""News conventions: what kind a quotation is, what is no quotation at all,
and which quotations take their speaker from a neighbour."""

from __future__ import annotations

from typing import Final

import regex

from .article import ArticleText, Attribution, sentence_start
from .mentions import DASHES, Phrase, phrase_after
from .quotes import Quotation
from .tokens import tokenize

_CLOSING_PUNCT = ",.!?;:…—–-"
_SMALL_WORDS: Final = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at", "by", "with", "is",
                                  "you"})


def _word_count(content: str, enough: int) -> int:
    """The number of words in ``content``, but no more than ``enough``: a quotation can be
    long, and the rules only ask whether it has a few words (split no further than that)."""
    return len(content.split(None, enough - 1))


def paragraph_is_quote(text: str, para_start: int, para_end: int, quotes: list[Quotation]) -> bool:
    outside = []
    pos = para_start
    for q in quotes:
        outside.append(text[pos:q.open])
        pos = q.close
    outside.append(text[pos:para_end])
    rest = "".join(outside)
    return not any(ch.isalnum() for ch in rest)


def opens_sentence(text: str, q: Quotation) -> bool:
    before = text[max(0, q.open - 3):q.open].rstrip()
    return (not before or before[-1] in ".!?:\n") and text[q.start:q.start + 1].isupper()


def quote_kind(text: str, q: Quotation) -> str:
    """``direct`` when the marks hold whole sentences, ``partial`` for a fragment."""
    content = text[q.start:q.end]
    before = text[max(0, q.open - 8):q.open].rstrip()
    opens_clause = not before or before[-1] in ":,.!?\"”—–-(\n" or q.continuation
    first = content.lstrip("([")[:1]  # "(Cruz) has those values": a word the writer added in brackets
    starts_upper = first.isupper() or first.isdigit() or content[:1] in "“\"‘'[…."
    if opens_clause and starts_upper:
        return "direct"
    if starts_upper and _word_count(content, 6) >= 6 and before.endswith("that"):
        return "direct"
    return "partial"


def looks_like_name(content: str) -> bool:
    """A title of a work, a name or a nickname in marks ("WeAreSuperHeroes")."""
    words = content.strip(_CLOSING_PUNCT + " ").split(None, 8)  # (as many as nine: more is too many)
    if not words or len(words) > 8:
        return False
    if content.rstrip().endswith(("!", "?")) or (content.rstrip().endswith(".") and len(words) > 3):
        return False  # exclaimed or asked: spoken
    capitalized = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return len(capitalized) == len(words) or (
        len(words) >= 3 and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)
        and len(capitalized) >= len(words) - 2 and words[0][0].isupper())


_TITLE_OF_WORK: Final = regex.compile(
    r"(?:\(read|\bread:|\btitled|\bheadlined|\bentitled|\bheadline|\bbook|\bmemoir|\bfilm|\bmovie"
    r"|\bsong|\balbum|\bop-ed|\bcolumn|\bessay|\bepisode|\bslogan)[,:]?\s*$", regex.IGNORECASE)


_BYLINE: Final = regex.compile(r"\s*,?\s*by\s+(?:the\s+)?\p{Lu}")


# How far a pattern read after a quotation may reach.  (A match always gets an end:
# without one, the regex module takes time in proportion to the whole text.)
_REACH: Final = 200


def keep(text: str, q: Quotation, kind: str, att: Attribution | None) -> bool:
    content = text[q.start:q.end]
    if att is None and _TITLE_OF_WORK.search(text, max(0, q.open - 30), q.open, concurrent=False):
        return False  # (read "Everything you need to know about ..."), a book titled "..."
    if att is None and _BYLINE.match(text, q.close, q.close + _REACH, concurrent=False):
        return False  # "City Museum's new director," by The Wall Street Journal's Jennifer Smith
    # "“Really,” she added", "“Out!” the crowd yelled": a word said, with its own punctuation
    words = _word_count(content, 8)
    said = words > 2 or content.rstrip()[-1:] in ",!?."
    if looks_like_name(content) and not (kind == "direct" and att is not None and att.rule.startswith("after")
                                          and said):
        return False
    if att is not None:
        return True  # reported speech, even when its speaker could not be named
    # Without a speaker, only what reads as spoken sentences is kept: a title
    # ("Everything you need to know about ...") has no closing punctuation.
    sentence_like = content.rstrip()[-1:] in ".?!,…-—" or q.continued or not q.closed
    return words >= 8 or (sentence_like and kind == "direct" and words >= 4)


def in_passing(text: str, q: Quotation, kind: str) -> bool:
    """A short name or title in marks inside a sentence ("wearing “Ted Cruz” pins", "the
    co-author of "Going Viral," said"): no boundary for reading the words around it."""
    content = text[q.start:q.end]
    return kind == "partial" and _word_count(content, 5) <= 4 and looks_like_name(content)


def same_sentence(article: ArticleText, p: Quotation, q: Quotation) -> bool:
    """Whether quotation ``q`` continues the sentence of the earlier ``p``."""
    if article.text[p.end - 1:p.end] in ".!?":
        return False
    return article.first_sentence_end(article.index(p.close), article.index(q.open)) < 0


_CONNECTIVES: Final = frozenset("but and now still yet so however instead then also even specifically indeed moreover "
                                "finally".split())


def _after_connective(article: ArticleText, para_start: int, q: Quotation) -> bool:
    """Whether a fragment's sentence has nothing before it but a connective ("But “...”",
    "Now, “...”"): it goes on with what the paragraph's last speaker said."""
    k = article.index(q.open)
    start = sentence_start(article, article.index(para_start), k)
    words = [t for t in article.tokens[start:k] if t.text != ","]
    return 0 < len(words) <= 2 and all(t.lower in _CONNECTIVES for t in words)


def inherit(article, paras, by_para, found, events, kinds) -> None:
    """Quotations without their own attribution take one by news convention.

    A whole-sentence quotation takes the speaker of the quotation before it in
    its paragraph (or, when the paragraph is only quotation, of the previous
    paragraph); a fragment only within its own sentence.
    """
    text = article.text
    _share_across_paragraphs([q for i in range(len(paras)) for q in by_para.get(i, [])], found)
    previous: Attribution | None = None  # last attribution of the previous paragraph
    for index in range(len(paras)):
        qs = by_para.get(index, [])
        if not qs:
            event = events.get(index)
            previous = event if event is not None and event.entity is not None else None
            continue
        only_quote = paragraph_is_quote(text, paras[index].start, paras[index].end, qs)
        # Kept as the paragraph is read, so that a paragraph of thousands of quotations
        # is read once: the next quotation with a speaker after each one (those do not
        # change below), the last one so far, and the last one so far whose sentence
        # goes on after it (the only earlier one a fragment can share a sentence with:
        # a sentence end after it is one after all before it too).
        following: list[Attribution | None] = [None] * len(qs)
        for n in range(len(qs) - 2, -1, -1):
            nxt = found[id(qs[n + 1])]
            following[n] = nxt if nxt is not None and nxt.entity is not None else following[n + 1]
        last_found: Attribution | None = None
        last_open: Quotation | None = None
        for n, q in enumerate(qs):
            own = found[id(q)]
            if own is None or own.entity is None:
                source, rule, confidence = None, "", 0.0
                fragment = kinds[id(q)] == "partial"
                if fragment:
                    earlier = found[id(last_open)] if last_open is not None \
                        and same_sentence(article, last_open, q) else None
                    if earlier is None and _after_connective(article, paras[index].start, q):
                        earlier = last_found  # "..., said X. Now, “within the business community ...”"
                else:
                    earlier = last_found
                later = None if fragment else following[n]
                if q.continuation and previous is not None:
                    source, rule, confidence = previous, "continued-quotation", 0.85
                elif earlier is not None:
                    source, rule, confidence = earlier, "same-paragraph", 0.8
                elif later is not None and (only_quote or q.continued):
                    source, rule, confidence = later, "same-paragraph", 0.75
                elif only_quote and previous is not None and not fragment:
                    source, rule, confidence = previous, "previous-paragraph", 0.7
                if source is not None:
                    found[id(q)] = Attribution(source.phrase, source.cue, rule, confidence * source.confidence,
                                               source.via, source.entity, source.mention)
                own = found[id(q)]
            if own is not None and own.entity is not None:
                last_found = own
                if text[q.end - 1:q.end] not in ".!?":
                    last_open = q
        previous = last_found


def _share_across_paragraphs(ordered: list[Quotation], found) -> None:
    """A quotation running over several paragraphs has one speaker: its pieces
    share the attribution that one of them found ("... ,” he said." on the last)."""
    chains: list[list[Quotation]] = []
    for q in ordered:
        if q.continuation and chains and chains[-1][-1].continued:
            chains[-1].append(q)
        else:
            chains.append([q])
    for chain in chains:
        own = next((found[id(q)] for q in chain if found[id(q)] is not None and found[id(q)].entity), None)
        if own is None or len(chain) == 1:
            continue
        for q in chain:
            if found[id(q)] is None or found[id(q)].entity is None:
                found[id(q)] = Attribution(own.phrase, own.cue, "continued-quotation", 0.85 * own.confidence,
                                           own.via, own.entity, own.mention)


def byline_paragraph(text: str, start: int, end: int) -> Attribution | None:
    """A paragraph that is only a dash and a name, after a paragraph that is only a quotation
    (fact-checks quote that way: "“...”" then "- Bernie Sanders.")."""
    line = text[start:end]
    if len(line) > 80 or line.lstrip()[:1] not in DASHES_START:
        return None
    tokens = tokenize(text, start, end)
    if not tokens:
        return None
    attached = tokens[0].text not in DASHES  # "-Michelle Marks, Philadelphia.": no space after the dash
    phrase = phrase_after(tokens, 0 if attached else 1)
    if phrase is None or phrase.form != "name":
        return None
    rest = text[phrase.head_end:end].strip()
    if rest.strip(".") and rest[0] not in ",(":
        return None  # "- and then the crowd cheered."
    # the name alone, without an aside (", in a debate on Feb. 4")
    named = Phrase(phrase.start, phrase.head_end, phrase.head_start, phrase.head_end, "name", phrase.roles)
    return Attribution(named, line.lstrip()[:1] if attached else tokens[0].text, "dash-byline", 0.8)


DASHES_START: Final = frozenset(dash[0] for dash in DASHES)
