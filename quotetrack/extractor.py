"""``extract(text)``: the whole extractor, a pure function of one article's text.

It returns quotes and speakers with character offsets into ``text``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from .article import ArticleText, Attribution, last_cue_offset
from .attribution import attribute_after, attribute_before, attribute_sentence_end, ends_inside, speech_event
from .clauses import attribute_fragment, attribute_possessor, keeps_fragment, named_person, subject_event
from .conventions import byline_paragraph, in_passing, inherit, keep, opens_sentence, quote_kind
from .quote_style import as_double_quoted, single_quoted
from .quotes import Paragraph, Quotation, find_quotations, paragraphs
from .names import is_salient, person_names
from .speakers import ArticleEntities, Entity, Mention, read_phrase

@dataclass(slots=True)
class ExtractedQuote:
    start: int
    end: int
    text: str
    kind: str  # direct | partial
    speaker: Entity | None
    speaker_mention: str | None
    mention_start: int | None
    mention_end: int | None
    cue: str | None
    rule: str | None
    confidence: float
    via: str | None
    paragraph: int
    continuation: bool = False
    title: str | None = None  # the speaker's title as written at this quote


@dataclass(slots=True)
class Extraction:
    quotes: list[ExtractedQuote] = field(default_factory=list)
    speakers: list[Entity] = field(default_factory=list)


def extract(text: str) -> Extraction:
    """Quotations of one article with their speakers."""
    pairs = single_quoted(text)
    if pairs is None:
        return _extract(text)
    # ‘British style’: read with the marks swapped; the words come from the text itself
    found = _extract(as_double_quoted(text, pairs))
    for quote in found.quotes:
        quote.text = text[quote.start:quote.end]
        if quote.mention_start is not None and quote.mention_end is not None:
            quote.speaker_mention = text[quote.mention_start:quote.mention_end]
    return found


def _extract(text: str) -> Extraction:
    paras = paragraphs(text)
    quotations = find_quotations(text, paras)
    if not quotations:
        return Extraction()
    by_para: dict[int, list[Quotation]] = {}
    for q in quotations:
        by_para.setdefault(q.paragraph, []).append(q)
    # A paragraph without quotations matters as the introduction of the next
    # one ("X said that ..." then "“...,” he said."): only its last cue is read.
    introducing: dict[int, tuple[int, int]] = {}
    for i in by_para:
        if i > 0 and i - 1 not in by_para:
            cue_at = last_cue_offset(text, paras[i - 1].start, paras[i - 1].end)
            if cue_at is None and (text[paras[i - 1].start:paras[i - 1].end].rstrip().endswith(":")
                                   or by_para[i][0].open - paras[i].start < 3):
                # "Trump issued the following statement:", or a paragraph opening with a
                # quotation: it may be the words of the person the paragraph before is about
                cue_at = paras[i - 1].end - 1
            if cue_at is not None:
                para = paras[i - 1]
                introducing[i - 1] = (_word_start(text, cue_at - 200, para.start),
                                      _word_end(text, cue_at + 120, para.end))
    article = ArticleText(text, _spans_to_read(text, paras, by_para, introducing))

    kinds = {id(q): quote_kind(text, q) for q in quotations}
    found: dict[int, Attribution | None] = {}
    events: dict[int, Attribution | None] = {}  # last speech event of each paragraph, outside quotes
    for index, para in enumerate(paras):
        qs = by_para.get(index, [])
        stoppers: list[Quotation | None] = [None] * len(qs)  # the first later quotation ending a sentence
        for n in range(len(qs) - 2, -1, -1):
            stoppers[n] = qs[n + 1] if ends_inside(text, qs[n + 1]) else stoppers[n + 1]
        # Where the words around each quotation end: at the quotations next to it, but
        # not at a name in passing ("Bill Eastland, wearing “Ted Cruz” pins, said").
        passing = [in_passing(text, q, kinds[id(q)]) for q in qs]
        his = [para.end] * len(qs)
        for n in range(len(qs) - 2, -1, -1):
            his[n] = qs[n + 1].open if not passing[n + 1] else his[n + 1]
        lo = para.start
        main: Quotation | None = None  # the last quotation before this one that is not a name in passing
        for n, q in enumerate(qs):
            if n and not passing[n - 1]:
                lo, main = qs[n - 1].close, qs[n - 1]
            hi = his[n]
            a, b = article.post_window(q.close, hi)
            att = attribute_after(article, q, a, b)
            a, b = article.pre_window(lo, q.open)
            if att is not None and att.rule == "after-quote" and text[q.end - 1:q.end] in ("?", "!", ".") \
                    and att.phrase is not None and text[att.phrase.start:att.phrase.start + 1].isupper():
                # "X responded: “...?” Her critics cited it ...": a new sentence; the colon introduced it
                before = attribute_before(article, q.open, a, b)
                if before is not None and before.rule == "before-quote-colon":
                    att = before
            elif att is not None and att.rule == "after-quote" and kinds[id(q)] == "partial" \
                    and text[q.end - 1:q.end].isalnum() and text[q.close + 1:q.close + 3].strip()[:1].isalpha():
                # "She is noting the “kind of problems” Sanders had answering questions": the
                # sentence runs on through the fragment; a cue before it introduced it
                before = attribute_before(article, q.open, a, b)
                if before is not None and before.phrase is not None and before.rule.startswith("before-quote"):
                    att = before
            if att is None:
                # "Pence blamed the media for Trump's claim that Obama “founded ISIS”": Trump's words
                att = attribute_possessor(article, q, article.index(lo), strict=True)
            if att is None:
                att = attribute_before(article, q.open, a, b)
            if att is None or att.rule == "cue-only":
                # "Guccifer 2.0 was branded “in homage to” Lazar, Song wrote."
                att = attribute_sentence_end(article, q, stoppers[n], para.end) or att
            if att is None and a > article.index(lo) and opens_sentence(text, q):
                # "Dianne Bystrom agreed. “...”": the sentence before introduces it
                att = attribute_before(article, q.open, article.index(lo), a)
                own = found.get(id(main)) if main is not None else None
                if att is not None and att.phrase is not None and own is not None and own.rule.startswith("after") \
                        and article.first_sentence_end(article.index(lo), article.index(att.phrase.start)) < 0:
                    # "“...,” X told the Journal, after Y stated an interest. “...”": the
                    # sentence is X's attribution of the quotation before, and X goes on
                    att = None
                if att is not None:
                    att.rule, att.confidence = "previous-sentence", 0.7
            if att is None and n + 1 == len(qs) and index + 1 < len(paras) and not text[q.close:para.end].strip(" .,"):
                # "“...”" then "- Sanders."
                att = byline_paragraph(text, paras[index + 1].start, paras[index + 1].end)
            if att is None or att.rule == "cue-only":
                att = attribute_possessor(article, q, article.index(lo), strict=False) or att
            if att is None and kinds[id(q)] == "partial" and (n == 0 or ends_inside(text, qs[n - 1]) or
                                                              article.last_sentence_end(article.index(lo),
                                                                                        article.index(q.open)) >= 0):
                # (after a quotation of the same sentence, the fragment is that quotation's speaker's)
                att = attribute_fragment(article, q, article.index(lo))
            if att is not None and att.phrase is not None and att.phrase.form == "pronoun":
                # "Bob said he went back. “I remember it,” he said.": he is who spoke before
                until = article.index(min(q.open, att.phrase.start))
                for before in (speech_event(article, _recent(article, article.index(para.start), until), until),
                               events.get(index - 1)):
                    if before is not None and before.phrase is not None and before.phrase.form == "name" \
                            and before.rule != "paragraph-subject":
                        att.hint = before.phrase
                        break
                # "Manafort suggested ... Trump himself was delighted. “...” he later said": a person
                # the last sentence is about, named after the speech event, comes first
                # (after the quotation, only when it opens a sentence: not "“...” -- that Bloomberg is
                # perceived as ... -- “...,” he says")
                whole = att.phrase.start < q.open or opens_sentence(text, q)
                latest = subject_event(article, article.index(para.start), until) if whole else None
                if latest is not None and latest.phrase is not None and (
                        att.hint is None or latest.phrase.start > att.hint.start) \
                        and _full_name(text, read_phrase(text, latest.phrase)):  # not "Moments later, Rubio ..."
                    att.hint = latest.phrase
            found[id(q)] = att
        if index in introducing:
            start, end = introducing[index]
            a, b = article.index(start), article.index(end)
            events[index] = speech_event(article, a, b) or subject_event(article, a, b)
    entities = _resolve(article, paras, quotations, found, events)
    for q in quotations:
        att = found[id(q)]
        if att is not None and att.rule == "fragment-subject" and not keeps_fragment(att):
            found[id(q)] = None
    inherit(article, paras, by_para, found, events, kinds)

    result = Extraction(speakers=[])
    for q in quotations:
        att = found[id(q)]
        kind = kinds[id(q)]
        if not keep(text, q, kind, att):
            continue
        entity = att.entity if att else None
        mention = att.mention if att else None
        result.quotes.append(ExtractedQuote(
            q.start, q.end, text[q.start:q.end], kind, entity,
            mention.text if mention else None, mention.start if mention else None,
            mention.end if mention else None, att.cue if att else None,
            att.rule if att else None, round(att.confidence, 2) if att else 0.0,
            att.via if att else None, q.paragraph, q.continuation,
            mention.title if mention is not None and mention.form == "name" else None))
    seen = {id(e): e for e in (quote.speaker for quote in result.quotes) if e is not None}
    result.speakers = [e for e in entities if id(e) in seen]
    return result


_READ_BEFORE, _READ_AFTER = 300, 200
# "Who spoke just before" is looked for in the paragraph, but in no more than its
# last sentences within this many tokens, so that a paragraph of a megabyte is not
# reread for each of its quotations.  (Of a paragraph, the rules read only the words
# near quotations: in 840 PolNeAR articles that is at most 112 tokens before one,
# and the speech events found lie at most 77 tokens back.)
_LOOKBACK = 150


def _full_name(text: str, mention: Mention) -> bool:
    """Whether a name is a person's full name or title, or a surname the text gave in full
    shortly before ("Marco Rubio ... Rubio made sure"); not "Moments", "Others"."""
    if named_person(mention):
        return True
    surname = (mention.name or "").split()[-1:]
    # Searched in the 6,000 characters before it only, so that a text of many names stays linear.
    return bool(surname) and _after_a_name(text, surname[0], max(0, mention.start - 6000), mention.start)


def _after_a_name(text: str, word: str, start: int, end: int) -> bool:
    r"""Whether text[start:end] has ``word`` after a capitalised word, as the pattern
    ``\p{Lu}[\p{L}.'’\-]+\s+WORD\b`` would find: the word is looked for with str.find and
    what comes before it read backwards from there (a pattern made for each word, tried at
    each capital, cost a hundred times more)."""
    at = text.find(word, start, end)
    while at >= 0:
        if _NAME_BEFORE.match(text, start, at) is not None \
                and _WORD_END.match(text, at + len(word) - 1, end) is not None:
            return True
        at = text.find(word, at + 1, end)
    return False


_NAME_BEFORE = regex.compile(r"(?r)\p{Lu}[\p{L}.'’\-]+\s+")  # (?r): matched backwards, ending where it is asked
_WORD_END = regex.compile(r"(?s).\b")  # a last character, then a word boundary


def _recent(article: ArticleText, a: int, b: int) -> int:
    """Where to start reading tokens ``a..b-1`` back from ``b``: ``a``, or in a very long
    paragraph the first sentence start within the last ``_LOOKBACK`` tokens."""
    if b - a <= _LOOKBACK:
        return a
    # Cut on a multiple of 64 tokens, so that the many quotations of such a paragraph
    # share their cuts and with them the subjects found (``ArticleText.subject_before``).
    cut = max(a, (b - _LOOKBACK) // 64 * 64)
    end = article.first_sentence_end(cut - 1, b - 1) if cut > a else -1
    return end + 1 if end >= 0 else cut


def _word_start(text: str, offset: int, floor: int) -> int:
    """Start of the word at ``offset``, but not before ``floor`` (searched from ``floor``
    only: in text without spaces, searching from its start would cost its length)."""
    return max(floor, text.rfind(" ", floor, max(floor, offset)) + 1)


def _word_end(text: str, offset: int, ceiling: int) -> int:
    """End of the word at ``offset``, but not after ``ceiling``."""
    end = text.find(" ", offset, ceiling)
    return ceiling if end < 0 else end


def _spans_to_read(text, paras, by_para, introducing) -> list[tuple[int, int]]:
    """The text the rules read: paragraphs with quotations, less the quoted words
    (tokens cost most of the time), and the paragraphs that introduce them."""
    spans = []
    for index, para in enumerate(paras):
        qs = by_para.get(index)
        if qs:
            # Rules read at most a sentence or two on either side of a quotation.
            position = para.start
            for q in qs:
                spans.append((_word_start(text, q.start - _READ_BEFORE, position), q.start))
                position = q.end
            spans.append((position, _word_end(text, position + _READ_AFTER, para.end)))
        elif index in introducing:
            spans.append(introducing[index])
    return spans


def _background_spans(text: str, paras: list[Paragraph], mentions: list[Mention]) -> list[tuple[int, int]]:
    """Where names outside speaker phrases are worth reading: the paragraph of a
    pronoun and the one before it, and the words before a speaker's lone surname."""
    starts = [p.start for p in paras]
    spans = []
    surnames: dict[str, int] = {}  # each lone surname, with the position of its last mention
    for m in mentions:
        if m.form == "pronoun" or m.form == "description" and m.roles and m.text[:4].lower() == "the ":
            # a definite description may name a person by title ("Gov. Chris Christie ... the
            # governor said"): its paragraph and the one before; a pronoun's, two before
            index = bisect.bisect_right(starts, m.start) - 1
            spans.append((paras[max(0, index - (2 if m.form == "pronoun" else 1))].start, m.start))
        elif m.kind == "person" and m.name and " " not in m.name:
            surnames[m.name] = max(m.start, surnames.get(m.name, 0))
    for name, last in surnames.items():
        # "Navy Capt. Bill Urban" before "Urban said": the text is searched once per
        # surname, up to its last mention, not once per mention.
        found = text.find(name, 0, last)
        while found >= 0:
            spans.append((max(0, found - 80), found + len(name)))
            found = text.find(name, found + len(name), last)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _resolve(article: ArticleText, paras: list[Paragraph], quotations: list[Quotation],
             found: dict[int, Attribution | None], events: dict[int, Attribution | None]) -> list[Entity]:
    """Link every speaker phrase to an article entity (names first, then pronouns)."""
    entities = ArticleEntities()
    phrased = [(a, a.phrase) for a in [*found.values(), *events.values()] if a is not None and a.phrase is not None]
    for att, phrase in phrased:
        att.mention = read_phrase(article.text, phrase)
    atts = [(att, att.mention) for att, _ in phrased if att.mention is not None]
    mentions = [m for _, m in atts]
    spans = _background_spans(article.text, paras, mentions)
    if spans:
        quoted = [(q.open, q.close) for q in quotations]
        named = [m for m in mentions if m.form == "name"]
        entities.note_background(person_names(article.text, spans, named),
                                 lambda name: is_salient(article.text, name, quoted))
    for att, mention in sorted((a for a in atts if a[1].form == "name"), key=lambda a: a[1].start):
        if att.rule in ("fragment-subject", "paragraph-subject") and not named_person(mention) \
                and not entities.knows_person(mention):
            continue  # "Audiences can expect ... “...”": no person for a later "he said" to mean
        att.entity = entities.resolve(mention)
    entities.complete_names()
    for att, mention in sorted((a for a in atts if a[1].form != "name"), key=lambda a: a[1].start):
        if att.hint is not None and mention.text.lower() not in ("it", "they"):  # a person: "he", "she", "I"
            hinted = entities.resolve(read_phrase(article.text, att.hint))
            if hinted is not None and hinted.kind == "person" and (
                    mention.gender is None or hinted.gender in (None, mention.gender)):
                att.entity = hinted
                continue
        att.entity = entities.resolve(mention)
        if att.entity is not None and mention.form == "pronoun":
            att.confidence *= 0.9
    entities.complete_names()
    _introduced_by_role(article, paras, [att for att, _ in phrased])
    return entities.entities


def _introduced_by_role(article: ArticleText, paras: list[Paragraph], atts: list[Attribution]) -> None:
    """ "A Kremlin spokesman explained that ... “...,” Dmitry Peskov said": a named speaker
    without a role of their own takes the one an indefinite description just gave."""
    starts = [p.start for p in paras]
    for att in atts:
        entity, mention = att.entity, att.mention
        if entity is None or mention is None or entity.kind != "person" or entity.roles or mention.form != "name":
            continue
        para = paras[bisect.bisect_right(starts, mention.start) - 1]
        until = article.index(mention.start)
        before = speech_event(article, _recent(article, article.index(para.start), until), until)
        if before is None or before.phrase is None or before.phrase.form != "description":
            continue
        described = read_phrase(article.text, before.phrase)
        if described.text.split()[0].lower() in ("a", "an") and described.roles and not described.plural \
                and described.kind in ("person", "anonymous"):
            entity.absorb_description(described)
