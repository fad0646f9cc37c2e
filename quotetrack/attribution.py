"""Who said it: attach a speaker, cue and rule to every quotation of an article.

``extract(text)`` is the whole extractor: a pure function of one article's
text, returning quotes and speakers with character offsets into ``text``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from . import lexicon
from .mentions import Phrase, name_after, phrase_after, subject_before, tokenize
from .quotes import Quotation, find_quotations, paragraphs
from .speakers import ORGANIZATION, ArticleEntities, Entity, Mention, person_names, read_name, read_phrase

_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr gen capt sen rep gov lt col maj sgt adm no vs etc inc corp co prof rev".split())
_CLOSING_PUNCT = ",.!?;:…—–-"
_RELAY_VERBS = frozenset({"cite", "quote"})


@dataclass(slots=True)
class Attribution:
    phrase: Phrase | None
    cue: str | None
    rule: str
    confidence: float
    via: str | None = None
    entity: Entity | None = None
    mention: Mention | None = None


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


@dataclass(slots=True)
class Extraction:
    quotes: list[ExtractedQuote] = field(default_factory=list)
    speakers: list[Entity] = field(default_factory=list)


class _Article:
    """Tokens and sentence bounds of one article, shared by every rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self.lex = lexicon.load()

    def index(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

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
        return nxt is None or nxt.text[0].isupper() or not nxt.text[0].isalnum()

    def pre_window(self, lo: int, hi: int) -> tuple[int, int]:
        a, b = self.index(lo), self.index(hi)
        for i in range(b - 1, a - 1, -1):
            if self.ends_sentence(i):
                return i + 1, b
        return a, b

    def post_window(self, lo: int, hi: int) -> tuple[int, int]:
        a, b = self.index(lo), self.index(hi)
        for i in range(a, b):
            if self.ends_sentence(i):
                return a, i + 1
        return a, b

    def cue(self, i: int, closing: bool = False) -> str | None:
        """The lemma of a reporting verb at token ``i``; ``closing`` when it follows the quote."""
        tok = self.tokens[i]
        if not tok.text[0].islower() and not closing:
            return None  # "Tweeted" after a quote is a cue; "Note" opening a sentence is not
        lemma = self.lex.reporting_forms.get(tok.lower)
        if lemma in self.lex.closing_only and not closing:
            return None
        return lemma


def _first_word(article: _Article, a: int, b: int) -> int:
    while a < b and not article.tokens[a].text[0].isalnum():
        a += 1
    return a


def _after_cue(article: _Article, cue: int, b: int, subject: Phrase) -> Attribution:
    """Read what follows a cue: relays ("cited him as saying", "quoted by CNN") and "told X"."""
    toks = article.tokens
    lemma = article.cue(cue, closing=True)
    cue_end = cue + 1
    via = None
    phrase = subject
    if lemma in _RELAY_VERBS:
        as_saying = next((k for k in range(cue + 1, min(b, cue + 12)) if toks[k].lower == "as"
                          and k + 1 < len(toks) and toks[k + 1].lower in ("saying", "telling", "writing")), None)
        if as_saying is not None:
            cue_end = as_saying + 2
            if cue > 0 and toks[cue - 1].lower in ("was", "is", "were", "been", "being"):
                by = cue + 1 if toks[cue + 1].lower == "by" else None
                via = name_after(toks, by + 1, as_saying) if by is not None else None
            else:
                quoted = phrase_after(toks, cue + 1, objective=True)
                if quoted is not None:
                    via = article.text[subject.head_start:subject.head_end]
                    phrase = quoted
    elif lemma == "tell" and cue + 1 < b:
        told = name_after(toks, cue + 1, b)
        if told is not None and read_name(told).kind == ORGANIZATION:
            via = told
    text = article.text[toks[cue].start:toks[cue_end - 1].end].rstrip(".")
    return Attribution(phrase, text, "", 0.0, via or subject.relay)


def attribute_after(article: _Article, q: Quotation, a: int, b: int) -> Attribution | None:
    """``“...,” Urban said`` / ``said Pentagon Press Secretary Peter Cook`` / ``— X``."""
    toks = article.tokens
    first = _first_word(article, a, b)
    if first >= b:
        return None
    ended = article.text[q.end - 1:q.end] == "." if q.closed else False
    if article.cue(first, closing=True) and not ended:
        phrase = phrase_after(toks, first + 1)
        if phrase is not None:
            return Attribution(phrase, toks[first].bare, "after-quote-inverted", 0.95, phrase.relay)
        return None
    if toks[first].lower == "according" and first + 1 < b and toks[first + 1].lower == "to":
        phrase = phrase_after(toks, first + 2)
        if phrase is not None:
            return Attribution(phrase, "according to", "according-to", 0.9, phrase.relay)
    if first > a and toks[first - 1].text in ("—", "–", "--") and not ended:
        phrase = phrase_after(toks, first)
        if phrase is not None and phrase.form == "name":
            return Attribution(phrase, toks[first - 1].text, "dash-byline", 0.85)
    for c in range(first, min(b, first + 25)):
        if not article.cue(c, closing=True):
            continue
        subject = subject_before(toks, c, first)
        if subject is None or subject.start != toks[first].start:
            return None
        if ended and not _short_clause(article, c, b):
            return None  # a new sentence that reports something else
        found = _after_cue(article, c, b, subject)
        found.rule, found.confidence = "after-quote", 0.95 if not ended else 0.8
        return found
    return None


def attribute_sentence_end(article: _Article, q: Quotation, later: list[Quotation], para_end: int) -> Attribution | None:
    """``The U.S. takes “precautions” ... with the Russians, Cook said.``: a closing clause."""
    toks = article.tokens
    i, stop = article.index(q.close), article.index(para_end)
    pending = list(later)
    end = None
    while i < stop:
        if pending and toks[i].start >= pending[0].open:
            inner = pending.pop(0)
            if inner.closed and article.text[inner.end - 1:inner.end] in ".!?":
                return None  # the sentence ends inside a quotation
            i = article.index(inner.close)
            continue
        if article.ends_sentence(i):
            end = i
            break
        i += 1
    if end is None:
        end = stop
    for comma in range(end - 1, max(article.index(q.close), end - 16) - 1, -1):
        if toks[comma].text != ",":
            continue
        first = comma + 1
        if article.cue(first, closing=True):  # "..., said Christine Link, executive director of ..."
            phrase = phrase_after(toks, first + 1)
            if phrase is not None:
                return Attribution(phrase, toks[first].bare, "sentence-end", 0.8, phrase.relay)
        for c in range(first, end + 1 if end < stop else end):
            if article.cue(c, closing=True):
                subject = subject_before(toks, c, first)
                if subject is not None and subject.start == toks[first].start and end - c <= 6:
                    found = _after_cue(article, c, end, subject)
                    found.rule, found.confidence = "sentence-end", 0.8
                    return found
                break
        break
    return None


def _short_clause(article: _Article, cue: int, b: int) -> bool:
    """After a quote that ended its sentence, accept only a whole ``He said.``-like sentence."""
    rest = [t for t in article.tokens[cue + 1:b] if t.text[0].isalnum()]
    complete = b >= len(article.tokens) or article.ends_sentence(b - 1) or \
        article.text[article.tokens[b - 1].end:article.tokens[b].start].count("\n") > 0
    return complete and len(rest) <= 4 and not any(t.lower == "that" for t in rest)


def attribute_before(article: _Article, open_at: int, a: int, b: int) -> Attribution | None:
    """``X said: “...”`` / ``X said that ... “fragment”`` / ``According to X, “...”``."""
    toks = article.tokens
    last_cue = None
    for c in range(b - 1, a - 1, -1):
        if toks[c].lower == "according" and c + 1 < b and toks[c + 1].lower == "to":
            phrase = phrase_after(toks, c + 2)
            if phrase is not None:
                return Attribution(phrase, "according to", "according-to", 0.85, phrase.relay)
            continue
        introduces = article.text[toks[c].end:open_at].strip() in (":", ",")
        if not article.cue(c, closing=introduces):  # "Cruz continued: “...”"
            continue
        if c > a and toks[c - 1].lower in _NOT_BEFORE_VERB:
            continue  # "the secretary of state", "declined to say"
        last_cue = c if last_cue is None else last_cue
        subject = subject_before(toks, c, a)
        if subject is not None and toks[c].lower.endswith("ing") and subject.form == "description" \
                and article.text[subject.head_start:subject.head_end].split()[-1].lower() in _SPEECH_NOUNS:
            subject = None  # "X released a statement saying ...": X speaks
        if subject is None:
            if c == _first_word(article, a, b):
                phrase = phrase_after(toks, c + 1)  # "Said Trump: “...”"
                if phrase is not None:
                    return Attribution(phrase, toks[c].text, "before-quote-inverted", 0.85)
            continue
        found = _after_cue(article, c, b, subject)
        between = article.text[toks[c].end:open_at].strip()
        found.rule = "before-quote-colon" if between.endswith((":", ",")) and len(between) < 40 else "before-quote"
        found.confidence = 0.9 if found.rule == "before-quote-colon" else 0.85
        return found
    colon = b - 1 if b > a and toks[b - 1].text == ":" else None
    if colon is None and b - 2 >= a and toks[b - 1].text == "," and toks[b - 2].lower in _SPEECH_NOUNS:
        colon = b - 1  # "Trump issued a statement, “...”"
    if last_cue is None and colon is None:
        return None
    # The cue has no subject of its own ("..., saying “...”", "X went after Y,
    # calling him “...”") or a colon introduces the quote: the sentence's subject.
    anchor = last_cue if last_cue is not None else colon
    start = _sentence_start(article, a, anchor)
    phrase = sentence_subject(article, start, anchor)
    if phrase is None and colon is not None:
        phrase = subject_before(toks, colon, start)  # "... pollster Daron Shaw: “...”"
    if phrase is None:
        return None
    cue = toks[last_cue].bare if last_cue is not None else ":"
    return Attribution(phrase, cue, "sentence-subject" if last_cue is not None else "colon-intro", 0.7,
                       phrase.relay)


_NOT_BEFORE_VERB = frozenset("the a an of to this that his her their its our my your".split())
_SPEECH_NOUNS = frozenset("statement tweet tweets message email letter post remarks interview speech "
                          "note memo release".split())
_INTRO_WORDS = frozenset(
    "on in at after before during when while as asked speaking writing following despite since "
    "although though if from with without by for under amid upon over later earlier".split()
)


def _sentence_start(article: _Article, a: int, i: int) -> int:
    for k in range(i - 1, a - 1, -1):
        if article.ends_sentence(k):
            return k + 1
    return a


def sentence_subject(article: _Article, a: int, limit: int) -> Phrase | None:
    """The noun phrase that opens the sentence at token ``a``, after an introductory phrase."""
    toks = article.tokens
    if a >= limit:
        return None
    starts = [a]
    if toks[a].lower in _INTRO_WORDS:
        starts = [k + 1 for k in range(a, min(limit, a + 25)) if toks[k].text == ","][:3]
    for s in starts:
        phrase = phrase_after(toks, s)
        if phrase is None or phrase.form == "pronoun" and toks[s].lower == "it":
            continue
        nxt = article.index(phrase.end)
        if nxt < limit and toks[nxt].text[0].islower() and toks[nxt].lower not in ("and", "or", "of", "to"):
            return phrase
    return None


def _speech_event(article: _Article, a: int, b: int) -> Attribution | None:
    """The last "X said ..." or "According to X" of a stretch without quotations."""
    return attribute_before(article, article.tokens[b - 1].end, a, b) if b > a else None


def _paragraph_is_quote(text: str, para_start: int, para_end: int, quotes: list[Quotation]) -> bool:
    outside = []
    pos = para_start
    for q in quotes:
        outside.append(text[pos:q.open])
        pos = q.close
    outside.append(text[pos:para_end])
    rest = "".join(outside)
    return not any(ch.isalnum() for ch in rest)


def _opens_sentence(text: str, q: Quotation) -> bool:
    before = text[max(0, q.open - 3):q.open].rstrip()
    return (not before or before[-1] in ".!?:\n") and text[q.start:q.start + 1].isupper()


def _quote_kind(text: str, q: Quotation) -> str:
    """``direct`` when the marks hold whole sentences, ``partial`` for a fragment."""
    content = text[q.start:q.end]
    before = text[max(0, q.open - 8):q.open].rstrip()
    opens_clause = not before or before[-1] in ":,.!?\"”—–-(\n" or q.continuation
    starts_upper = content[:1].isupper() or content[:1].isdigit() or content[:1] in "“\"‘'[…."
    if opens_clause and starts_upper:
        return "direct"
    if starts_upper and len(content.split()) >= 6 and before.endswith("that"):
        return "direct"
    return "partial"


def _looks_like_name(content: str) -> bool:
    """A title of a work, a name or a nickname in marks ("WeAreSuperHeroes")."""
    words = content.strip(_CLOSING_PUNCT + " ").split()
    if not words or len(words) > 8:
        return False
    if content.rstrip().endswith(("!", "?")) or (content.rstrip().endswith(".") and len(words) > 3):
        return False  # exclaimed or asked: spoken
    small = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at", "by", "with", "is", "you"}
    capitalized = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return len(capitalized) == len(words) or (
        len(words) >= 3 and all(w[0].isupper() or w.lower() in small for w in words)
        and len(capitalized) >= len(words) - 2 and words[0][0].isupper())


def _keep(text: str, q: Quotation, kind: str, att: Attribution | None) -> bool:
    content = text[q.start:q.end]
    if _looks_like_name(content) and not (kind == "direct" and att is not None and att.rule.startswith("after")
                                          and len(content.split()) > 2):
        return False
    if att is not None and att.entity is not None:
        return True
    # Without a speaker, only what reads as spoken sentences is kept: a title
    # ("Everything you need to know about ...") has no closing punctuation.
    words = len(content.split())
    sentence_like = content.rstrip()[-1:] in ".?!,…-—" or q.continued or not q.closed
    return sentence_like and (words >= 8 or (kind == "direct" and words >= 4))


def extract(text: str) -> Extraction:
    """Quotations of one article with their speakers."""
    quotations = find_quotations(text)
    if not quotations:
        return Extraction()
    article = _Article(text)
    paras = paragraphs(text)
    by_para: dict[int, list[Quotation]] = {}
    for q in quotations:
        by_para.setdefault(q.paragraph, []).append(q)

    found: dict[int, Attribution | None] = {}
    events: dict[int, Attribution | None] = {}  # last speech event of each paragraph, outside quotes
    for index, para in enumerate(paras):
        qs = by_para.get(index, [])
        for n, q in enumerate(qs):
            lo = qs[n - 1].close if n else para.start
            hi = qs[n + 1].open if n + 1 < len(qs) else para.end
            a, b = article.post_window(q.close, hi)
            att = attribute_after(article, q, a, b)
            if att is None:
                a, b = article.pre_window(lo, q.open)
                att = attribute_before(article, q.open, a, b)
            if att is None:
                att = attribute_sentence_end(article, q, qs[n + 1:], para.end)
            if att is None and a > article.index(lo) and _opens_sentence(text, q):
                # "Dianne Bystrom agreed. “...”": the sentence before introduces it
                att = attribute_before(article, q.open, article.index(lo), a)
                if att is not None:
                    att.rule, att.confidence = "previous-sentence", 0.7
            found[id(q)] = att
        if not qs:
            events[index] = _speech_event(article, article.index(para.start), article.index(para.end))
    kinds = {id(q): _quote_kind(text, q) for q in quotations}
    entities = _resolve(article, quotations, found, events)
    _inherit(article, paras, by_para, found, events, kinds)

    result = Extraction(speakers=[])
    for q in quotations:
        att = found[id(q)]
        kind = kinds[id(q)]
        if not _keep(text, q, kind, att):
            continue
        entity = att.entity if att else None
        mention = att.mention if att else None
        result.quotes.append(ExtractedQuote(
            q.start, q.end, text[q.start:q.end], kind, entity,
            mention.text if mention else None, mention.start if mention else None,
            mention.end if mention else None, att.cue if att else None,
            att.rule if att else None, round(att.confidence, 2) if att else 0.0,
            att.via if att else None, q.paragraph, q.continuation))
    seen = {id(e): e for e in (quote.speaker for quote in result.quotes) if e is not None}
    result.speakers = [e for e in entities if id(e) in seen]
    return result


def _resolve(article: _Article, quotations, found, events) -> list[Entity]:
    """Link every speaker phrase to an article entity (names first, then pronouns)."""
    entities = ArticleEntities()
    atts = [a for a in list(found.values()) + list(events.values()) if a is not None and a.phrase]
    for att in atts:
        att.mention = read_phrase(article.text, att.phrase)
    quoted = [(q.open, q.close) for q in quotations]
    named = [(m.start, m, None) for m in person_names(article.tokens, article.text, quoted)]
    named += [(att.mention.start, att.mention, att) for att in atts if att.mention.form == "name"]
    for _, mention, att in sorted(named, key=lambda item: item[0]):
        entity = entities.resolve(mention)
        if att is not None:
            att.entity = entity
    for att in sorted((a for a in atts if a.mention.form != "name"), key=lambda a: a.mention.start):
        att.entity = entities.resolve(att.mention)
        if att.entity is not None and att.mention.form == "pronoun":
            att.confidence *= 0.9
    return entities.entities


def _same_sentence(article: _Article, p: Quotation, q: Quotation) -> bool:
    """Whether quotation ``q`` continues the sentence of the earlier ``p``."""
    if article.text[p.end - 1:p.end] in ".!?":
        return False
    return not any(article.ends_sentence(i) for i in range(article.index(p.close), article.index(q.open)))


def _inherit(article, paras, by_para, found, events, kinds) -> None:
    """Quotations without their own attribution take one by news convention.

    A whole-sentence quotation takes the speaker of the quotation before it in
    its paragraph (or, when the paragraph is only quotation, of the previous
    paragraph); a fragment only within its own sentence.
    """
    text = article.text
    previous: Attribution | None = None  # last attribution of the previous paragraph
    for index in range(len(paras)):
        qs = by_para.get(index, [])
        if not qs:
            event = events.get(index)
            previous = event if event is not None and event.entity is not None else None
            continue
        only_quote = _paragraph_is_quote(text, paras[index].start, paras[index].end, qs)
        for n, q in enumerate(qs):
            if found[id(q)] is not None and found[id(q)].entity is not None:
                continue
            source, rule, confidence = None, None, 0.0
            fragment = kinds[id(q)] == "partial"
            earlier = [found[id(p)] for p in qs[:n] if found[id(p)] is not None and found[id(p)].entity
                       and (not fragment or _same_sentence(article, p, q))]
            later = [found[id(p)] for p in qs[n + 1:] if found[id(p)] is not None and found[id(p)].entity
                     and not fragment]
            if q.continuation and previous is not None:
                source, rule, confidence = previous, "continued-quotation", 0.85
            elif earlier:
                source, rule, confidence = earlier[-1], "same-paragraph", 0.8
            elif later and (only_quote or q.continued):
                source, rule, confidence = later[0], "same-paragraph", 0.75
            elif only_quote and previous is not None and not fragment:
                source, rule, confidence = previous, "previous-paragraph", 0.7
            if source is not None:
                found[id(q)] = Attribution(source.phrase, source.cue, rule, confidence * source.confidence,
                                           source.via, source.entity, source.mention)
        last = [found[id(q)] for q in qs if found[id(q)] is not None and found[id(q)].entity]
        previous = last[-1] if last else None
    # A quotation running over several paragraphs has one speaker: pass it back
    # to the earlier pieces when only the last one is attributed.
    ordered = [q for i in range(len(paras)) for q in by_para.get(i, [])]
    for n in range(len(ordered) - 2, -1, -1):
        q, nxt = ordered[n], ordered[n + 1]
        if q.continued and nxt.continuation and (found[id(q)] is None or found[id(q)].entity is None):
            src = found[id(nxt)]
            if src is not None and src.entity is not None:
                found[id(q)] = Attribution(src.phrase, src.cue, "continued-quotation", 0.85 * src.confidence,
                                           src.via, src.entity, src.mention)
