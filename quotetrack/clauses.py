"""The subject a sentence or clause opens with, and the rules that need no reporting
verb next to the quotation: a fragment in a sentence about someone, a claim and its owner.
"""

from __future__ import annotations

from typing import Final

from . import lexicon
from .article import ArticleText, Attribution, sentence_start
from .mentions import DASHES, SUBJECT_PRONOUNS, Phrase, phrase_after
from .quotes import Quotation
from .speakers import PERSON, Entity, Mention, read_name
from .subjects import past_time, subject_before
from .tokens import CONTRACTIONS

_INTRO_WORDS: Final = frozenset(
    "on in at after before during when while as asked speaking writing following despite since "
    "although though if from with without by for under amid upon over later earlier like unlike "
    "throughout regarding concerning toward towards against within among across around about "
    "inside outside beyond".split()
)


def attribute_fragment(article: ArticleText, q: Quotation, a: int) -> Attribution | None:
    """``Trump launched into a lament for the “countless Americans”``: a fragment in a
    sentence without a reporting cue, as the words of the sentence's subject.  Kept
    only if that subject turns out to be a named person (``keeps_fragment``)."""
    anchor = article.index(q.open)
    if anchor <= a:
        return None
    start = sentence_start(article, a, anchor)
    toks = article.tokens
    if start + 2 < anchor and toks[start].lower == "to":
        # "To Sharp, Trump is the “kind-hearted and caring” man": in Sharp's view
        viewer = phrase_after(toks, start + 1)
        if viewer is not None and viewer.form == "name" and article.text[viewer.end:viewer.end + 1] == ",":
            return Attribution(viewer, None, "fragment-subject", 0.4, viewer.relay)
    phrase = sentence_subject(article, last_clause(article, start, anchor), anchor)
    if phrase is None or phrase.form not in ("name", "pronoun") or (
            phrase.form == "pronoun" and article.text[phrase.start:phrase.end].lower() not in ("he", "she", "they")):
        return None
    return Attribution(phrase, None, "fragment-subject", 0.4, phrase.relay)


_CLAIM_NOUNS: Final = frozenset(
    "remark remarks comment comments claim claims promise promises pledge vow words assertion "
    "statement tweet catchphrase phrase slogan argument warning description quip boast "
    "insistence suggestion mantra refrain motto charge accusation contention declaration "
    "admission prediction assessment characterization line".split())
_POSSESSIVE_PRONOUNS: Final = frozenset({"his", "her", "their"})  # ("its": an organisation's, not a speaker's)


def attribute_possessor(article: ArticleText, q: Quotation, a: int, strict: bool) -> Attribution | None:
    """``her remark that “...”``, ``Trump's controversial pledge to be “neutral”``,
    ``Obama's “if you like your plan” promise``: the words of whoever owns the claim.
    ``strict``: only where nothing but "that", "of", ... comes between the claim and the
    words, as it then overrides a reporting verb before it."""
    toks = article.tokens
    anchor = article.index(q.open)
    after = article.index(q.close)
    start = sentence_start(article, a, anchor)
    if anchor > start and after < len(toks) and toks[after].lower in _CLAIM_NOUNS:
        owner = _possessor(article, anchor - 1, start)  # the possessive right before the quotation
        if owner is not None:
            return owner
    for k in range(anchor - 1, max(start, anchor - 12) - 1, -1):
        if toks[k].lower == "as":
            return None  # "Hollande denounced Trump's remarks as “hurtful”": Hollande's words
        if toks[k].lower in _CLAIM_NOUNS:
            if strict and not _introduces(toks, past_time(toks, k + 1, anchor), anchor):
                return None  # "called Trump's remarks “racist”", "Ginsburg's comments “show bias”"
            for p in (k - 1, k - 2):  # "her remark", "his controversial pledge"
                if p >= start and (p == k - 1 or toks[p + 1].text[0].islower()):
                    owner = _possessor(article, p, start)
                    if owner is not None:
                        return owner
            return None
        if toks[k].lower in article.lex.reporting_forms and article.cue(k) is not None:
            return None  # "X said “...”": the nearer cue decides
    return None


def _introduces(toks, i: int, anchor: int) -> bool:
    """Whether tokens ``i..anchor-1``, between a claim noun and its quotation, only
    introduce its content: "that", "of", "to be", a colon, and the name a "that" clause
    opens with ("claim that President Barack Obama “founded ISIS”")."""
    if i < anchor and toks[i].lower == "that":
        return all(t.text[0].isupper() for t in toks[i + 1:anchor]) and anchor - i <= 5
    return [t.lower for t in toks[i:anchor]] in (["of"], ["to"], ["to", "be"], [":"], [","])


def _possessor(article: ArticleText, p: int, floor: int) -> Attribution | None:
    toks = article.tokens
    tok = toks[p]
    if tok.lower in _POSSESSIVE_PRONOUNS:
        subject = sentence_subject(article, floor, p)
        if subject is not None and subject.form == "name":
            return Attribution(subject, None, "possessor", 0.5)  # "Sanders has pushed his promise of “...”"
        return Attribution(Phrase(tok.start, tok.end, tok.start, tok.end, "pronoun"), None, "possessor", 0.5)
    if not tok.is_possessive or not tok.text[0].isupper():
        return None
    phrase = subject_before(toks, p + 1, floor)
    if phrase is None or phrase.form != "name":
        return None
    end = tok.start + len(tok.bare) - (2 if tok.bare.endswith(("'s", "’s")) else 1)  # "Obama's", "Sanders'"
    phrase = Phrase(phrase.start, end, phrase.head_start, end, "name", phrase.roles)
    return Attribution(phrase, None, "possessor", 0.5)


# How far back from a quotation a clause's opening is looked for: a "sentence" of a
# paragraph without full stops can hold thousands of quotations.
_CLAUSE_REACH: Final = 40
_CLAUSE_LINKS: Final = frozenset("while but whereas and".split())


def last_clause(article: ArticleText, start: int, anchor: int) -> int:
    """Where the last clause before token ``anchor`` opens: after ", while", ", but", ";"
    ("Jindal signed an order, while Mike Huckabee proposed we “...”"), else ``start``."""
    toks = article.tokens
    for k in range(anchor - 1, max(start, anchor - _CLAUSE_REACH), -1):
        if toks[k].text == ";" or toks[k].lower in _CLAUSE_LINKS and (
                toks[k - 1].text == "," or toks[k - 1].text in DASHES):
            return k + 1
    return start


def subordinate_subject(article: ArticleText, start: int, anchor: int) -> Phrase | None:
    """The subject of the subordinate clause the cue is in: "such as when Cruz knocked Rubio
    on trade and called him a “moderate”"."""
    toks = article.tokens
    for k in range(anchor - 1, max(start, anchor - _CLAUSE_REACH) - 1, -1):
        if toks[k].lower in SUBORDINATORS:
            phrase = sentence_subject(article, k + 1, anchor)
            return phrase if phrase is not None and phrase.form == "name" else None
    return None


def relative_before(article: ArticleText, comma: int, a: int) -> Phrase | None:
    """The name whose relative clause ends at the comma at ``comma``: "a 70-year-old academic
    named Eric Kingson, who is running for Congress and who worked the crowd, praising"."""
    toks = article.tokens
    k = comma - 1
    while k > a and comma - k <= 25 and toks[k].text != ",":
        k -= 1
    if k <= a or toks[k].text != "," or toks[k + 1].lower != "who":
        return None
    named = article.subject_before(k, a)
    return named if named is not None and named.form == "name" else None


def main_subject_after(article: ArticleText, k: int) -> Phrase | None:
    """The main clause's subject after an introductory phrase that holds the quotation: "And in
    explaining why many of those “common-sense solutions” had not passed, Clinton described ..."."""
    toks = article.tokens
    for c in range(k, min(len(toks) - 1, k + 20)):
        if article.ends_sentence(c):
            return None
        if toks[c].text == ",":
            phrase = sentence_subject(article, c + 1, min(len(toks), c + 16))
            return phrase if phrase is not None and phrase.form == "name" else None
    return None


def subject_event(article: ArticleText, a: int, b: int) -> Attribution | None:
    """The name the last sentence of tokens ``a..b-1`` opens with, for a paragraph of
    quotation after it ("Viguerie is upbeat about Cruz's chances." then "“...”")."""
    if b <= a:
        return None
    phrase = sentence_subject(article, sentence_start(article, a, b - 1), b)
    if phrase is None or phrase.form != "name" or article.text[phrase.end - 2:phrase.end] in ("'s", "’s") \
            or read_name(article.text[phrase.head_start:phrase.head_end]).kind != PERSON:
        return None  # (not "Trump's reversals do not change ...")
    return Attribution(phrase, None, "paragraph-subject", 0.6, phrase.relay)


def keeps_fragment(att: Attribution) -> bool:
    """Whether a ``fragment-subject`` attribution names a person (not "Tensions", "Paris")."""
    return att.entity is not None and named_person(att.entity)


def named_person(named: Mention | Entity) -> bool:
    """A person with a full name or a title ("Donald Trump", "Mr. Trump"), not a lone word."""
    return named.kind == PERSON and bool(named.name) and (len((named.name or "").split()) >= 2 or bool(named.title))


def sentence_subject(article: ArticleText, a: int, limit: int) -> Phrase | None:
    """The noun phrase that opens the sentence at token ``a``, after an introductory phrase."""
    toks = article.tokens
    if a >= limit:
        return None
    while a < limit and (toks[a].lower in _CONJUNCTIONS or toks[a].text in DASHES):
        a += 1  # "And then Trump went ..."
    a = _past_dateline(toks, a, limit)
    if a >= limit:
        return None
    commas = [k + 1 for k in range(a, min(limit, a + 25)) if toks[k].text == ","][:3]
    starts = commas if toks[a].lower in _INTRO_WORDS else [a] + commas[:2]  # "Here in Columbia, Sanders ..."
    if not commas and toks[a].lower in SUBORDINATORS:
        # "When he returned he began by saying": the main clause's pronoun after the first clause's verb
        starts = [k for k in range(a + 3, min(limit, a + 12)) if toks[k].lower in _PERSONAL_SUBJECTS
                  and toks[k - 1].text[0].islower() and toks[k - 1].lower not in _NOT_VERBS][:1]
    for s in starts:
        if s >= limit or s > a and toks[s].lower in _INTRO_WORDS:
            continue  # "In June 2009, after Clinton suffered a concussion, Axelrod emailed ...": a second intro
        phrase = phrase_after(toks, s)
        if phrase is None or (phrase.form == "pronoun" and toks[s].lower == "it") \
                or not _nameable(article, toks, s, phrase):
            continue
        nxt = article.index(phrase.end)
        if nxt < limit and toks[nxt].text == "(":  # "Rep. Hakeem Jeffries (D-N.Y.) reacted"
            while nxt < limit and toks[nxt].text != ")":
                nxt += 1
            nxt += 1
        if nxt + 2 < limit and toks[nxt].text == toks[nxt + 2].text == "," and toks[nxt + 1].lower in _ASIDE_ADVERBS:
            nxt += 3  # "She, too, is ...", "Trump, however, said"
        if nxt + 1 < limit and toks[nxt].text == "," and phrase.end > phrase.head_end:
            nxt += 1  # "Tracy Martin, Trayvon's father, issued": past the apposition
        elif phrase.form == "name" and (_verb_after_asides(article, nxt, limit) or (
                nxt + 1 == limit < len(toks) and toks[nxt].text == "," and toks[limit].lower.endswith("ing"))):
            return phrase  # "Silverman, herself a Sanders supporter, incurred ...", "Mr. Manafort, citing “...”"
        if phrase.form == "name" and nxt + 1 < limit and toks[nxt].lower == "and":
            other = phrase_after(toks, nxt + 1)  # "Trump and Ryan issued a statement": they speak together
            if other is not None and other.form == "name":
                phrase = Phrase(phrase.start, other.end, other.head_start, other.head_end, "name",
                                phrase.roles + other.roles, other.relay or phrase.relay)
                nxt = article.index(phrase.end)
        nxt = past_time(toks, nxt, limit)  # "Donald Trump on Thursday ratcheted up ..."
        if nxt + 1 < limit and toks[nxt].lower in ("in", "of", "at", "from") and toks[nxt + 1].text[0].isupper():
            nxt += 1  # "The Holocaust Memorial Museum in Washington issued ..."
            while nxt < limit and toks[nxt].text[0].isupper():
                nxt += 1
        if nxt < limit and toks[nxt].text[0].islower() and toks[nxt].lower not in _NOT_VERBS:
            return phrase
    return None


def _past_dateline(toks, a: int, limit: int) -> int:
    """The first token after a dateline ("Washington (AFP) – Democrat Hillary Clinton has ..."),
    or ``a`` when the sentence has none."""
    for k in range(a + 1, min(limit, a + 8)):
        text = toks[k].text
        if text in DASHES:
            return k + 1
        if not (text[0].isupper() or text in ",()."):
            return a
    return a


SUBORDINATORS: Final = frozenset("when after as once while before since if because although though".split())
_PERSONAL_SUBJECTS: Final = SUBJECT_PRONOUNS - {"it"}
_ASIDE_ADVERBS: Final = frozenset("too also however though meanwhile instead nevertheless nonetheless "
                                  "moreover furthermore".split())
_NOT_VERBS: Final = frozenset("and or of to in on at for with from by".split())


def _verb_after_asides(article: ArticleText, comma: int, limit: int) -> bool:
    """Whether asides between commas from token ``comma`` on end at a verb of the sentence's
    subject: "Morton Blackwell, founder of the Leadership Institute, endorsed ...".  Without
    a parser, a verb is a lower-case word in -ed or -s or a reporting verb."""
    toks = article.tokens
    for k in range(comma, min(limit - 1, comma + 25)):
        text = toks[k].text
        if text in (";", ":") or text in DASHES or article.ends_sentence(k) or (k == comma and text != ","):
            return False
        if text == ",":
            low = toks[k + 1].lower
            if toks[k + 1].text[0].islower() and low not in _NOT_VERBS and (
                    low.endswith(("ed", "s")) or low in lexicon.load().reporting_forms):
                return True
    return False


def _nameable(article: ArticleText, toks, s: int, phrase: Phrase) -> bool:
    """Whether a sentence-initial phrase can name a speaker: not "Hastily", "Facing", "It’s",
    nor a word the article also writes in lower case ("To believe ...", "Federal mandates ...":
    capitalised only because it opens the sentence)."""
    first = toks[s]
    if phrase.form != "name" or phrase.head_end > first.end:
        return True
    low = first.lower
    if low.endswith(("ly", "ing")) or low in CONTRACTIONS or low in _DETERMINERS_ALONE:
        return False
    return low == first.text or not article.writes_in_lower_case(low)


_DETERMINERS_ALONE: Final = frozenset("the a an another this that these those some many every each ever hours".split())


_CONJUNCTIONS: Final = frozenset("and but so then yet or also still now".split())
