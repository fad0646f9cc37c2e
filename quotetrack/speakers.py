"""Speaker names and entities: titles stripped, kinds, gender, one entity per person.

Pure functions over text.  Within an article every mention of a speaker
("Navy Capt. Bill Urban", "Urban", "the spokesman", "he") is linked to one
entity whose display name is the fullest personal name seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from . import lexicon
from .mentions import DETERMINERS, NAME_CONNECTORS, SENTENCE_STARTERS, Phrase, Token, ends_sentence

PERSON, ORGANIZATION, GROUP, ANONYMOUS = "person", "organization", "group", "anonymous"
_ACRONYM = regex.compile(r"^(?:\p{Lu}\.?){2,6}$")
_WORD = regex.compile(r"\S+")
# Words before a personal name that are places or groups, not names ("Russian
# President", "U.S. Army General", "Pentagon Press Secretary").
_NOT_NAME_WORDS = frozenset(
    "U.S. US U.S American Russian Russia’s Russia's British Chinese French German Israeli "
    "Iranian Syrian Turkish Ukrainian Pentagon Kremlin Navy Army Marine Air Force NATO UN "
    "White House Central Command State Department Defense Ministry Foreign Senate House "
    "Democratic Republican Democrat GOP Republicans Democrats Trump Clinton Obama".split()
)


@cache
def _gender_detector():
    import gender_guesser.detector  # loaded lazily: reading its name list takes 0.2 s

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(word: str) -> str | None:
    guess = _gender_detector().get_gender(word)
    if guess in ("male", "mostly_male"):
        return "m"
    if guess in ("female", "mostly_female"):
        return "f"
    return None


@dataclass(slots=True)
class Mention:
    """A speaker phrase read as a name, pronoun or description."""

    start: int
    end: int
    text: str
    form: str  # name | pronoun | description
    kind: str | None  # person, organization, group, anonymous; None for pronouns
    name: str | None  # personal name without title, organisation name, or description
    title: str | None = None
    gender: str | None = None
    plural: bool = False
    roles: tuple[str, ...] = ()
    relay: str | None = None
    salient: bool = True  # a grammatical subject: a likely antecedent for "he said"


def read_phrase(text: str, phrase: Phrase) -> Mention:
    lex = lexicon.load()
    whole = text[phrase.start:phrase.end]
    head = text[phrase.head_start:phrase.head_end]
    if phrase.form == "pronoun":
        number, gender = lex.pronouns.get(head.lower(), ("singular", None))
        return Mention(phrase.start, phrase.end, whole, "pronoun", None, None,
                       gender=gender if gender in ("m", "f") else None,
                       plural=number == "plural", relay=phrase.relay)
    if phrase.form == "name":
        mention = read_name(head)
        mention.start, mention.end, mention.text = phrase.start, phrase.end, whole
        mention.roles = phrase.roles
        mention.relay = phrase.relay
        if mention.kind == PERSON:
            prefix = text[phrase.start:phrase.head_start] + (mention.title or "")
            mention.gender = mention.gender or _role_gender(phrase.roles) or _role_gender(
                tuple(w.lower() for w in prefix.split()))
        return mention
    return read_description(whole, phrase)


def read_name(head: str) -> Mention:
    """``Pentagon Press Secretary Peter Cook`` -> person Peter Cook, title Pentagon Press Secretary."""
    lex = lexicon.load()
    words = head.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    head = " ".join(words)
    org = lex.organizations.get(lexicon.organization_key(head))
    if org is not None:
        return Mention(0, 0, head, "name", ORGANIZATION, org)
    if not words:
        return Mention(0, 0, head, "name", None, None)
    last = words[-1].rstrip("’'s").lower() if words[-1].endswith(("’s", "'s")) else words[-1].lower()
    if last in lex.organization_words or _ACRONYM.match(head):
        return Mention(0, 0, head, "name", ORGANIZATION, head)
    cut = 0
    gender = None
    for i, word in enumerate(words[:-1]):
        if word in lex.titles or word.rstrip(",") in _NOT_NAME_WORDS or word.endswith(("’s", "'s")) \
                or word.lower() in ("of", "the", "for", "and", "&"):
            cut = i + 1
            title_gender = lex.titles.get(word, (None, None))[1]
            gender = gender or title_gender
    name_words = words[cut:]
    title = " ".join(words[:cut]) or None
    if not name_words:
        return Mention(0, 0, head, "name", None, None, title=title)
    if len(name_words) > 4:
        return Mention(0, 0, head, "name", ORGANIZATION, head)
    if len(name_words) > 1:
        gender = gender or first_name_gender(name_words[0])
    return Mention(0, 0, head, "name", PERSON, " ".join(name_words), title=title, gender=gender)


def _role_gender(words: tuple[str, ...]) -> str | None:
    lex = lexicon.load()
    for word in words:
        entry = lex.person_nouns.get(word) or lex.titles.get(word.capitalize())
        if entry and entry[1] in ("m", "f"):
            return entry[1]
    return None


def read_description(whole: str, phrase: Phrase) -> Mention:
    lex = lexicon.load()
    head_noun = phrase.roles[0] if phrase.roles else whole.split()[-1].lower()
    kind, gender = lex.person_nouns.get(head_noun, (None, None))
    if kind is None:
        kind = ORGANIZATION if head_noun in lex.organization_words else ANONYMOUS
    plural = kind == GROUP or (head_noun.endswith("s") and kind == ANONYMOUS and not head_noun.endswith("ss"))
    text = whole[0].lower() + whole[1:] if whole.split()[0].lower() in DETERMINERS else whole
    org = lex.organizations.get(lexicon.organization_key(whole))
    if org is not None:
        return Mention(phrase.start, phrase.end, whole, "name", ORGANIZATION, org)
    return Mention(phrase.start, phrase.end, whole, "description", kind, text,
                   gender=gender if gender in ("m", "f") else None, plural=plural,
                   roles=phrase.roles, relay=phrase.relay)


@dataclass(slots=True)
class Entity:
    name: str
    kind: str
    title: str | None = None
    gender: str | None = None
    roles: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    last_seen: int = -1

    def absorb(self, mention: Mention) -> None:
        if mention.name and mention.form == "name":
            self.names.append(mention.name)
            if self.kind == PERSON and len(mention.name.split()) > len(self.name.split()):
                self.name = mention.name
        self.title = self.title or mention.title
        self.gender = self.gender or mention.gender
        self.roles.update(mention.roles)
        self.last_seen = max(self.last_seen, mention.start)


def same_person(a: str, b: str) -> bool:
    """Whether two personal names can name one person within an article."""
    wa, wb = a.split(), b.split()
    if wa[-1].lower() != wb[-1].lower():
        return False
    short, long = sorted((wa, wb), key=len)
    if [w.lower() for w in long[-len(short):]] == [w.lower() for w in short]:
        return True  # "Urban" / "Bill Urban", "Le Corf" / "Pierre Le Corf"
    return wa[0].lower() == wb[0].lower() or wa[0].rstrip(".") == wb[0][:1] or wb[0].rstrip(".") == wa[0][:1]


class ArticleEntities:
    """Links the mentions of one article, in reading order, to entities."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self._persons_by_position: list[tuple[int, Entity]] = []

    def note_person(self, mention: Mention) -> Entity:
        """A person named anywhere in the text: a candidate for later pronouns."""
        entity = self._find_name(mention)
        if entity is None:
            entity = Entity(mention.name, PERSON, mention.title, mention.gender)
            self.entities.append(entity)
        entity.absorb(mention)
        self._persons_by_position.append((mention.start, entity, mention.salient))
        return entity

    def _find_name(self, mention: Mention) -> Entity | None:
        for entity in reversed(self.entities):
            if entity.kind != mention.kind:
                continue
            if mention.kind == PERSON and any(same_person(n, mention.name) for n in entity.names or [entity.name]):
                return entity
            if mention.kind != PERSON and entity.name.lower() == (mention.name or "").lower():
                return entity
        return None

    def resolve(self, mention: Mention) -> Entity | None:
        if mention.form == "pronoun":
            return self._antecedent(mention)
        if mention.form == "name" and mention.kind is not None and mention.name:
            if mention.kind == PERSON:
                return self.note_person(mention)
            entity = self._find_name(mention)
            if entity is None:
                entity = Entity(mention.name, mention.kind)
                self.entities.append(entity)
            entity.absorb(mention)
            return entity
        if mention.form == "description":
            return self._described(mention)
        return None

    def _antecedent(self, mention: Mention) -> Entity | None:
        if mention.plural:
            for entity in sorted(self.entities, key=lambda e: -e.last_seen):
                if entity.kind in (ORGANIZATION, GROUP, ANONYMOUS) and entity.last_seen < mention.start:
                    return entity
            return None
        if mention.text.lower() == "it":
            for entity in sorted(self.entities, key=lambda e: -e.last_seen):
                if entity.kind == ORGANIZATION and entity.last_seen < mention.start:
                    return entity
            return None
        # The nearest person standing as a subject, else the nearest person at all.
        for subjects_only in (True, False):
            for position, entity, salient in reversed(self._persons_by_position):
                if position < mention.start and (salient or not subjects_only) and (
                        mention.gender is None or entity.gender in (None, mention.gender)):
                    return entity
        return None

    def _described(self, mention: Mention) -> Entity | None:
        role = mention.roles[0] if mention.roles else None
        if mention.kind in (PERSON, ANONYMOUS) and role and not mention.plural:
            # "the spokesman" is the last person called so; "a spokesman for X
            # said ... The spokesman, Navy Capt. Bill Urban," the next one.
            definite = mention.text.split()[0].lower() in ("the", "this", "that")
            seen = [(pos, e) for pos, e, _ in self._persons_by_position if role in e.roles]
            before = [e for pos, e in seen if pos < mention.start]
            after = [e for pos, e in seen if pos > mention.start]
            if definite and before:
                return before[-1]
            if after:
                return after[0]
            if before:
                return before[-1]
        if mention.kind == ORGANIZATION:
            word = mention.name.split()[-1].lower().rstrip("’'s")
            for entity in reversed(self.entities):
                if entity.kind == ORGANIZATION and word in entity.name.lower():
                    return entity
        kind = mention.kind if mention.kind != PERSON else ANONYMOUS
        entity = Entity(mention.name, kind)
        entity.absorb(mention)
        self.entities.append(entity)
        return entity


_NOT_NAME_START = frozenset(
    "he she it they we i you his her its their our my your him them this that these those "
    "a an the".split()
)


def _possessive_stem(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def person_names(tokens: list[Token], text: str = "", quoted: list[tuple[int, int]] = ()) -> list[Mention]:
    """Personal names anywhere in an article's tokens: antecedents for pronouns.

    A run of capitalised words is a person when it carries a title from the
    lexicon or starts with a known first name; afterwards a lone surname of
    such a person ("Carson") counts as a mention of them too.
    """
    lex = lexicon.load()
    names: list[Mention] = []
    covered: set[int] = set()
    n = len(tokens)
    i = 0
    while i < n:
        if not tokens[i].text[0].isupper():
            i += 1
            continue
        j = i
        while j + 1 < n and not ends_sentence(tokens[j]) and tokens[j + 1].lower not in _NOT_NAME_START and (
                tokens[j + 1].text[0].isupper() or (tokens[j + 1].lower in NAME_CONNECTORS and j + 2 < n
                                                    and tokens[j + 2].text[0].isupper())):
            j += 1
        first = i
        while first <= j and (tokens[first].lower in _NOT_NAME_START or tokens[first].text in SENTENCE_STARTERS):
            first += 1
        if j > first:
            words = [t.text for t in tokens[first:j + 1]]
            words[-1] = _possessive_stem(words[-1].rstrip("."))
            mention = read_name(" ".join(words))
            titled = any(lex.titles.get(word, ("qualifier",))[0] != "qualifier"
                         for word in (mention.title or "").split())
            if mention.kind == PERSON and mention.name and (
                    titled or (len(mention.name.split()) >= 2 and first_name_gender(mention.name.split()[0]))):
                mention.start, mention.end = tokens[first].start, tokens[j].end
                mention.salient = _is_subject(tokens, first, j, text, quoted)
                names.append(mention)
                covered.update(range(first, j + 1))
        i = j + 1
    surnames = {m.name.split()[-1]: m for m in names if len(m.name.split()) >= 2}
    for k, tok in enumerate(tokens):
        if k in covered or not tok.text[0].isupper():
            continue
        full = surnames.get(_possessive_stem(tok.text.rstrip(".")))
        if full is not None:
            names.append(Mention(tok.start, tok.end, tok.text, "name", PERSON, full.name,
                                 title=full.title, gender=full.gender,
                                 salient=_is_subject(tokens, k, k, text, quoted)))
    names.sort(key=lambda m: m.start)
    return names


def _is_subject(tokens: list[Token], first: int, last: int, text: str, quoted) -> bool:
    """Whether a name at tokens[first..last] reads as a clause subject, outside quotation marks."""
    start = tokens[first].start
    if any(a <= start < b for a, b in quoted):
        return False
    if _possessive_stem(tokens[last].text) != tokens[last].text:
        return False
    opens = first == 0 or ends_sentence(tokens[first - 1]) or "\n" in text[tokens[first - 1].end:start]
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    followed_by_verb = nxt is not None and nxt.text[0].islower() and nxt.lower not in ("and", "or", "of", "to", "in")
    return opens or followed_by_verb
