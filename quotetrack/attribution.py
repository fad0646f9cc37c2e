"""Attribution rules: find the speaker and cue of one quotation in its sentence.

Each rule reads the tokens around a quotation (``ArticleText``) and returns an
``Attribution`` naming the rule that fired, or None.
"""

from __future__ import annotations

from typing import Final

from .article import ArticleText, Attribution, first_word, sentence_start
from .clauses import last_clause, main_subject_after, relative_before, sentence_subject, subordinate_subject
from .conventions import DASHES_START
from .mentions import DASHES, POSSESSIVE_DETERMINERS, Phrase, name_after, phrase_after
from .quotes import QUOTE_MARK, Quotation
from .speakers import ORGANIZATION, PERSON, read_name
from .subjects import (AFFILIATING, TIME_WORDS, according_to, document_owner, subject_before, subject_with_affiliation,
                       subject_with_asides)

_RELAY_VERBS: Final = frozenset({"cite", "quote"})


# Verbs that stand before their subject after reported words ("..., said Wilcox.")
_INVERTING: Final = frozenset("said says added adds wrote writes explained argued argues noted notes".split())
_RELATIVES: Final = frozenset({"who", "that", "which", "whom"})
_GOES_ON: Final = frozenset("on continued continues continue proceeded proceeds quick prompted hastened".split())
_NOT_BEFORE_VERB: Final = frozenset("the a an of to this his her their its our my your such every".split())


_SPEECH_NOUNS: Final = frozenset("statement tweet tweets message email letter post remarks interview speech "
                                 "note memo release ad ads video op-ed column report study analysis editorial "
                                 "article book complaint lawsuit petition filing".split())


def _after_cue(article: ArticleText, cue: int, b: int, subject: Phrase) -> Attribution:
    """Read what follows a cue: relays ("cited him as saying", "quoted by CNN") and "told X"."""
    toks = article.tokens
    lemma = article.cue(cue, closing=True)
    cue_end = cue + 2 if lemma in article.lex.particles else cue + 1  # "went on", "put it"
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
    for k in range(cue_end, min(b - 2, cue_end + 12)):
        if toks[k].lower == "according" and toks[k + 1].lower == "to":
            via = via or name_after(toks, k + 2, b)  # "Sanders said, according to CNN"
            break
        if article.ends_sentence(k):
            break
    text = article.text[toks[cue].start:toks[cue_end - 1].end].rstrip(".")
    return Attribution(phrase, text, "", 0.0, via or subject.relay)


def attribute_after(article: ArticleText, q: Quotation, a: int, b: int) -> Attribution | None:
    """``“...,” Urban said`` / ``said Pentagon Press Secretary Peter Cook`` / ``— X``."""
    toks = article.tokens
    first = first_word(article, a, b)
    if first >= b:
        return None
    ended = article.text[q.end - 1:q.end] == "." if q.closed else False
    if ")" in article.text[q.close:toks[first].start]:
        return None  # the quotation sat in parentheses: what follows is the main sentence
    if toks[first].text[0].islower() and article.cue(first, closing=True) and not ended \
            and not toks[first].lower.endswith("ing"):  # "“...,” blaming Michael Bloomberg": the subject's act
        phrase = phrase_after(toks, first + 1)
        if phrase is not None and not _verb_follows(article, phrase):
            return Attribution(phrase, toks[first].bare, "after-quote-inverted", 0.95, phrase.relay)
        return None
    if first + 3 < b and toks[first].lower in ("that", "the", "this") and toks[first + 1].lower in _QUOTE_NOUNS \
            and toks[first + 2].lower in ("from", "by"):
        phrase = phrase_after(toks, first + 3)  # "“...” That quote from Commissioner Thomas Krebs appeared"
        if phrase is not None and phrase.form == "name":
            return Attribution(phrase, toks[first + 1].text, "after-quote", 0.8, phrase.relay)
    if toks[first].lower == "by" and _passive_cue_before(article, q):
        phrase = phrase_after(toks, first + 1)  # called “strategic ambiguity” by Joshua Hendrick
        if phrase is not None and phrase.form == "name":
            return Attribution(phrase, "by", "passive-agent", 0.85, phrase.relay)
    if toks[first].lower == "according" and first + 1 < b and toks[first + 1].lower == "to":
        phrase = according_to(toks, first + 2, b)
        if phrase is not None:
            return Attribution(phrase, "according to", "according-to", 0.9, phrase.relay)
    if first > a and toks[first - 1].text in DASHES and not ended:
        phrase = phrase_after(toks, first)
        if phrase is not None and phrase.form == "name" and _ends_clause(article, phrase):
            return Attribution(phrase, toks[first - 1].text, "dash-byline", 0.85)
    for c in range(first, min(b, first + 40)):
        if not article.cue(c, closing=True):
            continue
        if toks[c].text[0].isupper() and c + 1 < b and article.cue(c + 1, closing=True):
            continue  # "Read said": a surname before the verb
        inverted = _inverted(article, c, first, b) if c > first and toks[c - 1].text == "," else None
        if inverted is not None and inverted.phrase is not None and inverted.phrase.form == "name":
            inverted.rule, inverted.confidence = "after-quote-inverted", 0.9
            return inverted  # "“...” that Sanders can catch Clinton, said Steve Elmendorf"
        subject = subject_before(toks, c, first)
        if subject is not None and not _leads(article, first, subject):
            subject = _compound(article, first, subject)
        if subject is None or not _leads(article, first, subject):
            subject = _person_with_asides(article, first, c)
        if subject is None:
            continue  # "Thomas Hanify, the president of the Indiana state firefighters union, said"
        if ended and not _short_clause(article, c, b):
            return None  # a new sentence that reports something else
        if q.closed and article.text[q.end - 1:q.end] in (".", "?", "!") and (
                _introduces_next(article, b) or any(t.lower == "that" for t in toks[c + 1:min(b, c + 6)])):
            # "“Why now?” Mills then writes back, “You look cute.”", "“...!” She replied to him that
            # it was ...": a new sentence reporting something else
            return None
        found = _after_cue(article, c, b, subject)
        found.rule, found.confidence = "after-quote", 0.95 if not ended else 0.8
        return found
    return None


_QUOTE_NOUNS: Final = frozenset("quote quotation remark line comment words statement".split())
_AUXILIARIES: Final = frozenset("is was are were has have had will would could should can may might must".split())


def _verb_follows(article: ArticleText, phrase: Phrase) -> bool:
    """Whether a verb follows the phrase after a cue: "“...,” said the candidate could win" reports
    what the sentence's subject said about the candidate."""
    k = article.index(phrase.end)
    return phrase.end == phrase.head_end and k < len(article.tokens) and article.tokens[k].lower in _AUXILIARIES \
        and not article.text[phrase.end:article.tokens[k].start].strip()


def _after_comma(article: ArticleText, phrase: Phrase, a: int) -> bool:
    """Whether a comma stands shortly before ``phrase`` (so that it may be an aside)."""
    k = article.index(phrase.start)
    return any(t.text == "," for t in article.tokens[max(a, k - 25):k])


def _affiliated(article: ArticleText, phrase: Phrase, a: int) -> bool:
    """Whether ``phrase`` follows "of", "at", ...: where the subject works ("John Smith of the
    Brookings Institution said")."""
    k = article.index(phrase.start)
    return k - 1 > a and article.tokens[k - 1].lower in AFFILIATING


def _person_with_asides(article: ArticleText, first: int, cue: int) -> Phrase | None:
    """A person's name at ``first`` followed by asides or an affiliation up to the cue
    (``subject_with_asides``, ``subject_with_affiliation``)."""
    phrase = subject_with_asides(article.tokens, first, cue) or subject_with_affiliation(article.tokens, first, cue)
    if phrase is None or read_name(article.text[phrase.head_start:phrase.head_end]).kind != PERSON:
        return None
    return phrase


def _ends_clause(article: ArticleText, phrase: Phrase) -> bool:
    """Whether a phrase ends its clause ("“...” — Jane Doe." but not "“...” - Democrats in Iowa ...")."""
    rest = article.text[phrase.end:phrase.end + 2]
    return not rest.strip() or rest[0] in ".,;:)\n" or rest.startswith(" (")


def _passive_cue_before(article: ArticleText, q: Quotation) -> bool:
    """Whether a participle cue stands just before the quotation ("has been called “...”")."""
    words = article.text[max(0, q.open - 40):q.open].split()
    while words and words[-1].lower() in ("as", "a", "an", "the"):
        words.pop()
    return bool(words) and words[-1].lower().endswith("ed") and words[-1].lower() in article.lex.reporting_forms


def _leads(article: ArticleText, first: int, subject: Phrase) -> bool:
    """Whether the subject opens the clause after the quote, but for a few words before a
    name ("warm-and-fuzzy Trump said", "Fight for $15 organizing director Kendall Fells told")."""
    start = article.index(subject.start)
    if start == first:
        return True
    skipped = article.tokens[first:start]
    return subject.form == "name" and len(skipped) <= 5 and all(
        t.text[0].isalnum() and t.lower not in _FUNCTION_WORDS for t in skipped) \
        and not any(article.cue(k, closing=True) for k in range(first, start))


def _compound(article: ArticleText, first: int, subject: Phrase) -> Phrase:
    """``“...” Edward-Isaac Dovere and Gabriel Debenedetti wrote``: two names opening the
    clause speak together; the mention covers both, the last one is the head."""
    toks = article.tokens
    k = article.index(subject.start)
    if subject.form != "name" or k - 2 < first or toks[k - 1].lower != "and":
        return subject
    other = subject_before(toks, k - 1, first)
    if other is None or other.form != "name" or article.index(other.start) != first:
        return subject
    return Phrase(other.start, subject.end, subject.head_start, subject.head_end, "name",
                  other.roles + subject.roles, subject.relay)


_FUNCTION_WORDS: Final = frozenset(
    "as when while because if since though although after before and but or so that which who where "
    "then than until unless whether the a an this these those it he she they we i you".split())


def ends_inside(text: str, q: Quotation) -> bool:
    """Whether a quotation ends its sentence inside its marks (``“... today.”``)."""
    return q.closed and text[q.end - 1:q.end] in ".!?"


def attribute_sentence_end(article: ArticleText, q: Quotation, stopper: Quotation | None,
                           para_end: int) -> Attribution | None:
    """``The U.S. takes “precautions” ... with the Russians, Cook said.``: a closing clause.

    ``stopper`` is the first later quotation of the paragraph that ends its sentence
    inside its marks (``ends_inside``): the sentence cannot run past it.  (No token
    lies inside a quotation: the rules read only the words around them.)"""
    toks = article.tokens
    first, stop = article.index(q.close), article.index(para_end)
    end = article.first_sentence_end(first, stop)
    if stopper is not None:
        reached = toks[end].start if end >= 0 else toks[stop - 1].start if stop > first else -1
        if stopper.open <= reached:
            return None  # the sentence ends inside a quotation
    if end < 0:
        end = stop
    for comma in range(end - 1, max(article.index(q.close), end - _CLOSING_CLAUSE) - 1, -1):
        if toks[comma].text != ",":
            continue
        first = comma + 1
        if first < len(toks) and article.cue(first, closing=True) and (
                end - comma <= 16 or toks[first].lower in _INVERTING):  # "..., said Christine Link, ..."
            phrase = phrase_after(toks, first + 1)
            if phrase is not None:
                return Attribution(phrase, toks[first].bare, "sentence-end", 0.8, phrase.relay)
        if end - comma > 16:
            continue  # too far for "..., Cook said." (but not for "..., said X, who teaches ...")
        for c in range(first, end + 1 if end < stop else end):
            if article.cue(c, closing=True):
                subject = subject_before(toks, c, first)
                if subject is not None and subject.start == toks[first].start and end - c <= 6:
                    found = _after_cue(article, c, end, subject)
                    found.rule, found.confidence = "sentence-end", 0.8
                    return found
                return None
        # no cue after this comma: an aside ("..., said Richard Curtin, the chief economist
        # for the Michigan Survey of Consumers."), the cue may follow the comma before
    return None


_CLOSING_CLAUSE: Final = 32  # tokens from a sentence's end back to the comma of "..., said X, who ..."


def _introduces_next(article: ArticleText, b: int) -> bool:
    """Whether the window ending at token ``b`` ends in a comma or colon right before a quotation."""
    last = article.tokens[b - 1]
    return last.text in (",", ":") and QUOTE_MARK.match(article.text[last.end:last.end + 3].lstrip()) is not None


def _short_clause(article: ArticleText, cue: int, b: int) -> bool:
    """After a quote that ended its sentence, accept only a whole ``He said.``-like sentence."""
    toks = article.tokens
    rest = [t for t in toks[cue + 1:b] if t.text[0].isalnum()]
    if article.ends_sentence(b - 1):
        complete = True
    else:  # the paragraph or text ends there, but not after a quotation ("Rubio called the statement “...”")
        last = b >= len(toks)
        gap = article.text[toks[b - 1].end:len(article.text) if last else toks[b].start]
        mark = QUOTE_MARK.search(gap)
        complete = "\n" in (gap[:mark.start()] if mark is not None else gap) or (last and mark is None)
    return complete and len(rest) <= 4 and not any(t.lower == "that" for t in rest)


def attribute_before(article: ArticleText, open_at: int, a: int, b: int) -> Attribution | None:
    """``X said: “...”`` / ``X said that ... “fragment”`` / ``According to X, “...”``."""
    toks = article.tokens
    last_cue = None
    fallback: Attribution | None = None
    forms = article.lex.reporting_forms
    # Only a cue with at most one token (":" or ",") before the quotation introduces it.
    near = article.index(open_at) - 2
    first = -1  # the first word of the window, when needed
    for c in range(b - 1, a - 1, -1):
        low = toks[c].lower
        if low not in forms and low != "according":
            continue  # most words: skip before any closer look
        if low == "according" and c + 1 < b and toks[c + 1].lower == "to":
            if fallback is not None:  # "According to the AP, the senator said he would “...”": relayed
                fallback.via = fallback.via or name_after(toks, c + 2, b)
                return fallback
            phrase = according_to(toks, c + 2, b)
            if phrase is not None:
                return Attribution(phrase, "according to", "according-to", 0.85, phrase.relay)
            continue
        introduces = c >= near and article.text[toks[c].end:open_at].strip() in (":", ",")
        if not article.cue(c, closing=introduces):  # "Cruz continued: “...”"
            continue
        at = c
        if c - 2 >= a and toks[c - 1].lower == "to" and toks[c - 2].lower in _GOES_ON:
            at = c - 3 if toks[c - 2].lower == "on" and c - 3 >= a else c - 2  # "Bryne went on to say"
        elif c > a and (toks[c - 1].lower in _NOT_BEFORE_VERB or toks[c - 1].is_possessive or (
                c - 2 >= a and toks[c - 1].text[0].isupper() and (toks[c - 2].is_possessive or (
                    low in _NOUN_FORMS and _determined(toks, c - 2, a))))):
            # "the secretary of state", "declined to say", "Clinton's remarks", "Trump's Twitter attacks",
            # "after the Paris attacks"
            continue
        last_cue = c if last_cue is None else last_cue
        agent = _passive_agent(article, c, b)
        if agent is not None:
            return agent
        inverted = _inverted(article, c, a, b)
        if inverted is not None:
            return inverted
        gerund = toks[c].lower.endswith("ing")
        if gerund and c > a and toks[c - 1].text == ",":
            relative = relative_before(article, c - 1, a)
            if relative is not None:  # "Eric Kingson, who worked the crowd, praising “...”"
                return Attribution(relative, toks[c].text, "sentence-subject", 0.7, relative.relay)
            continue  # "Bush offered a retort, tweeting “...”": the sentence's subject speaks
        subject = article.subject_before(at, a)
        if at - 3 >= a and toks[at - 1].text == "," and article.cue(at - 2, closing=True):
            inner = article.subject_before(at - 2, a)
            k = article.index(inner.start) if inner is not None else -1
            if inner is not None and k - 1 >= a and toks[k - 1].text == ",":
                c = at = at - 2  # "CNN, Cruz said, called it “...”": the words reach us through Cruz
                subject = inner
        if at > a and (toks[at - 1].text == "," and (subject is None or _after_comma(article, subject, a))
                       or subject is not None and _affiliated(article, subject, a)):
            # "Cory James, 22, of Flint, Mich., said": the nearest aside looked like the subject
            chained = _person_with_asides(article, first_word(article, sentence_start(article, a, at), at), at)
            if chained is not None and (subject is None or subject.start >= chained.head_end):
                subject = chained
        words = article.text[subject.start:subject.end].split() if subject is not None else []
        if subject is not None and words and (words[-1].lower() in _RELATIVES or words[0].rstrip(",").lower() == "who"):
            # "Bret Stephens, who, after trading insults with Mr. Hannity over Mr. Trump, said"
            subject = _relative_antecedent(article, subject, a)
            if subject is None:
                continue  # "voters who wonder why ...": a verb inside a relative clause
        if subject is not None and gerund and subject.form == "description" \
                and article.text[subject.head_start:subject.head_end].split()[-1].lower() in _SPEECH_NOUNS:
            subject = None  # "X released a statement saying ...": X speaks
        elif subject is not None and subject.form == "description":
            subject = document_owner(toks, article.index(subject.start), article.index(subject.end) - 1) or subject
        if subject is None:
            comma_before = c > a and toks[c - 1].text == ","
            if first < 0:
                first = first_word(article, a, b)
            if (c == first or comma_before) and c + 1 < b and toks[c + 1].lower != "that":
                phrase = phrase_after(toks, c + 1)  # "Said Trump: “...”", "..., explained Rosenberg, “...”"
                if phrase is not None and (not comma_before or (
                        phrase.form == "name" and article.text[phrase.end:open_at].strip() in (",", ":", ""))):
                    return Attribution(phrase, toks[c].text, "before-quote-inverted", 0.85)
            continue
        found = _after_cue(article, c, b, subject)
        between = article.text[toks[c].end:open_at].strip()
        if between[:1] in DASHES_START and between.endswith(":") and c + 2 < b:
            named = phrase_after(toks, c + 2)  # "Pollsters agree - Carl Bialik: “...”": Bialik, for them
            if named is not None and named.form == "name":
                return Attribution(named, toks[c].text, "before-quote-colon", 0.85, named.relay)
        found.rule = "before-quote-colon" if between.endswith((":", ",")) and len(between) < 40 else "before-quote"
        found.confidence = 0.9 if found.rule == "before-quote-colon" else 0.85
        k = article.index(subject.start)
        absolute = gerund and k > a and toks[k - 1].lower == "with"  # ", with John McCain telling reporters ..."
        subordinate = k > a and toks[k - 1].lower in ("because", "since", "although", "though", "unless")
        if fallback is None and (gerund or subject.form == "description" or subordinate) and not absolute:
            # "statements by Trump calling for ..." modifies a noun, and in "McCaskill said
            # voters would find it “very hard”" the words are McCaskill's: look further left.
            fallback = found
            continue
        if fallback is not None and fallback.phrase is not None and fallback.phrase.form == "description" \
                and subject.form == "description":
            return fallback
        return found
    if fallback is not None:
        return fallback
    colon = b - 1 if b > a and (toks[b - 1].text == ":" or _introducing_dash(article, b - 1, a, open_at)) else None
    if colon is None and b - 2 >= a and toks[b - 1].text == "," and (
            toks[b - 2].lower in _SPEECH_NOUNS or last_cue is None and article.text[open_at + 1:open_at + 2].isupper()):
        colon = b - 1  # "Trump issued a statement, “...”", "Clinton shared her anxiety with them, “I ...”"
    if last_cue is None and colon is None:
        return None
    # The cue has no subject of its own ("..., saying “...”", "X went after Y,
    # calling him “...”") or a colon introduces the quote: the sentence's subject.
    anchor = last_cue if last_cue is not None else colon
    assert anchor is not None
    start = sentence_start(article, a, anchor)
    clause = last_clause(article, start, anchor)
    phrase = sentence_subject(article, clause, anchor) if clause > start else None
    if phrase is None:
        phrase = sentence_subject(article, start, anchor)
    if phrase is None:
        phrase = subordinate_subject(article, start, anchor)
    opener = start + 1 if toks[start].lower in ("and", "but") and start + 1 < anchor else start
    if phrase is None and last_cue is not None and toks[last_cue].lower.endswith("ing") \
            and toks[opener].lower in ("in", "by", "while", "after", "before", "when"):
        phrase = main_subject_after(article, article.index(open_at))
    if phrase is None and colon is not None and toks[start].lower in ("here's", "here’s"):
        phrase = phrase_after(toks, start + 1)  # "Here’s Clinton in December 1992: “...”"
        phrase = phrase if phrase is not None and phrase.form == "name" else None
    if phrase is None and colon is not None:
        phrase = subject_before(toks, colon, start)  # "... pollster Daron Shaw: “...”"
    if phrase is None:
        # Reported speech whose speaker this sentence does not name: kept, speaker unknown.
        return Attribution(None, toks[last_cue].bare, "cue-only", 0.3) if last_cue is not None else None
    cue = toks[last_cue].bare if last_cue is not None else ":"
    return Attribution(phrase, cue, "sentence-subject" if last_cue is not None else "colon-intro", 0.7,
                       phrase.relay)


def _introducing_dash(article: ArticleText, k: int, a: int, open_at: int) -> bool:
    """A spaced dash before a whole-sentence quotation introduces it like a colon ("Trump
    also embraced enhanced interrogation -- “I think waterboarding is ...”"), unlike a
    headline's ("FAREWELL—“...”") or a gloss ("#PorteOuverte - “open door” -")."""
    dash = article.tokens[k]
    return k > a and dash.text in DASHES and article.text[dash.start - 1:dash.start].isspace() \
        and article.text[open_at + 1:open_at + 2].isupper()


def _passive_agent(article: ArticleText, c: int, b: int) -> Attribution | None:
    """``Sanders was asked by host Bill Maher, “...”``: the agent of a passive cue speaks."""
    toks = article.tokens
    if c == 0 or c + 2 >= b or toks[c - 1].lower not in ("was", "were", "is", "been") or toks[c + 1].lower != "by" \
            or article.cue(c, closing=True) in _RELAY_VERBS:
        return None
    phrase = phrase_after(toks, c + 2)
    if phrase is None or phrase.form != "name":
        return None
    return Attribution(phrase, f"{toks[c].text} by", "passive-agent", 0.85, phrase.relay)


def _relative_antecedent(article: ArticleText, relative: Phrase, a: int) -> Phrase | None:
    """The name a non-restrictive "who" stands for: "Roffman, who estimates that ...", "Donald
    Trump - who previously said he would ..."."""
    toks = article.tokens
    k = article.index(relative.start)
    if k - 2 < a or toks[k].lower != "who" or toks[k - 1].text != "," and toks[k - 1].text not in DASHES:
        return None
    found = article.subject_before(k - 1, a)  # the phrase before the comma
    return found if found is not None and found.form == "name" else None


def _inverted(article: ArticleText, c: int, a: int, b: int) -> Attribution | None:
    """The subject after a cue that follows the reported words: "No Child Left Behind was
    “...,” said Gary Orfield", "Mandates are a burden, said Wilcox, an Orlando Republican"."""
    toks = article.tokens
    if c == a or c + 1 >= b or toks[c].lower not in _INVERTING:
        return None
    # a quotation between the cue and the word before it (its words are no tokens)
    after_quote = QUOTE_MARK.search(article.text, toks[c - 1].end, toks[c].start) is not None
    if not after_quote and toks[c - 1].text != ",":
        return None
    phrase = phrase_after(toks, c + 1)
    if phrase is None or not after_quote and (
            phrase.form == "pronoun" or toks[c + 1].lower in TIME_WORDS
            or article.text[phrase.head_end:phrase.head_end + 1] not in (",", ".", ";", "")):
        return None  # "..., said Sunday", "Trump, the nominee, said Clinton is wrong"
    if not after_quote and toks[c + 1].lower in POSSESSIVE_DETERMINERS:
        return None  # "David Woodard, a pollster, said his survey showed ...": what he said, not who
    return Attribution(phrase, toks[c].text, "before-quote-inverted", 0.85, phrase.relay)


def _determined(toks, k: int, a: int) -> bool:
    """Whether an article opens the words ending at ``k``, over -ly adverbs ("a heavily Democratic")."""
    while k > a and toks[k].lower.endswith("ly") and toks[k].text[0].islower():
        k -= 1
    return toks[k].lower in ("the", "a", "an")


# Cue forms that are also nouns after a name used as a modifier ("the Paris attacks", "a CNN report").
_NOUN_FORMS: Final = frozenset(
    "attack attacks report reports call calls claim claims comment comments statement remarks question questions "
    "answer answers note notes charge charges warning tweet tweets quote quotes estimate estimates state".split())

def speech_event(article: ArticleText, a: int, b: int) -> Attribution | None:
    """The last "X said ..." or "According to X" of a stretch without quotations."""
    return attribute_before(article, article.tokens[b - 1].end, a, b) if b > a else None
