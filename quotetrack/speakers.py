"""Speaker names and entities: titles stripped, kinds, gender, one entity per person.

Pure functions over text.  Within an article every mention of a speaker
("Navy Capt. Bill Urban", "Urban", "the spokesman", "he") is linked to one
entity whose display name is the fullest personal name seen.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from . import lexicon
from .mentions import DETERMINERS, NAME_CONNECTORS, Phrase

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


_GENDERS = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}


@lru_cache(maxsize=65536)
def first_name_gender(word: str) -> str | None:
    """m or f for a first name, None when unknown or androgynous.  The United States
    list decides when it knows the name (Bernie, Rand: male there, female-leaning
    worldwide), English-language news being the product's field; else the worldwide one."""
    detector = _gender_detector()
    return _GENDERS.get(detector.get_gender(word, "usa")) or _GENDERS.get(detector.get_gender(word))


@lru_cache(maxsize=65536)
def is_first_name(word: str) -> bool:
    """Whether the name list knows ``word`` as a first name, whatever its gender, and it
    does not open a place name ("San Diego")."""
    return word not in _PLACE_OPENERS and _gender_detector().get_gender(word) != "unknown"


_PLACE_OPENERS = lexicon.words("place_openers.txt")
_PLACES = lexicon.phrases("places.txt")
# Party members ("an Orlando Republican") and other groups of people ("Senate Democrats").
AFFILIATIONS = lexicon.words("parties.txt")
_GROUPS = (AFFILIATIONS - {"Green", "Greens"}) | lexicon.words("groups.txt")  # Green: a surname too


class Mention:
    """A speaker phrase read as a name, pronoun or description.

    ``kind``: person, organization, group, anonymous (None for pronouns);
    ``name``: personal name without title, organisation name, or description;
    ``salient``: a grammatical subject, a likely antecedent for "he said" (None: not
    decided yet, for a name read outside speaker phrases).
    """

    __slots__ = ("start", "end", "text", "form", "kind", "name", "title", "gender", "plural", "roles",
                 "relay", "salient")

    def __init__(self, start: int, end: int, text: str, form: str, kind: str | None, name: str | None,
                 title: str | None = None, gender: str | None = None, plural: bool = False,
                 roles: tuple[str, ...] = (), relay: str | None = None, salient: bool | None = True) -> None:
        self.start, self.end, self.text, self.form, self.kind, self.name = start, end, text, form, kind, name
        self.title, self.gender, self.plural, self.roles = title, gender, plural, roles
        self.relay, self.salient = relay, salient

    def __repr__(self) -> str:
        return f"Mention({self.text!r}, {self.form}, {self.kind}, {self.name!r})"


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
            # a gendered role ("spokesman Lu Kang") says more than a first-names list
            mention.gender = _role_gender(phrase.roles) or _role_gender(
                tuple(w.lower() for w in prefix.split())) or mention.gender
        return mention
    return read_description(whole, phrase)


def read_name(head: str) -> Mention:
    """``Pentagon Press Secretary Peter Cook`` -> person Peter Cook, title Pentagon Press Secretary."""
    text, kind, name, title, gender = _read_name(head)
    return Mention(0, 0, text, "name", kind, name, title=title, gender=gender)


@lru_cache(maxsize=65536)
def _read_name(head: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    lex = lexicon.load()
    words = head.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    head = " ".join(words)
    org = lex.organizations.get(lexicon.organization_key(head))
    if org is not None:
        return head, ORGANIZATION, org, None, None
    if head in _PLACES:  # "Florida", "China said": a government, no person
        return head, ORGANIZATION, head, None, None
    if not words:
        return head, None, None, None, None
    if words[-1].endswith(("’s", "'s")) and len(words[-1]) > 2:
        words[-1] = words[-1][:-2]  # "Podliska's claim is that ...": the name, without the possessive
        head = " ".join(words)
    if len(words) > 3 and is_first_name(words[0]) and "of" in words[2:-1] and words[0] not in lex.titles:
        at = words.index("of", 2)  # "David Woodard of Clemson University": a person, then where from
        if all(w[0].isupper() for w in words[:at]):
            words = words[:at]
            head = " ".join(words)
    last = words[-1].lower()
    if last in lex.organization_words or _ACRONYM.match(head):
        return head, ORGANIZATION, head, None, None
    if words[-1] in _GROUPS and not is_first_name(words[0]):
        # "Democrats", "Senate Republicans", "Russians": many people; "a Florida Democrat": one, unnamed
        return head, GROUP if words[-1].endswith(("s", "ese", "ch")) else ANONYMOUS, head, None, None
    cut = 0
    gender = None
    end = len(words)
    for i, word in enumerate(words[:-1]):
        if word.lower() == "of" and i - cut >= 2 and is_first_name(words[cut]) \
                and not any(w in lex.titles for w in words[cut:i]):
            end = i  # "Debbie Wasserman Schultz of Florida": a name, then where the person is from
            break
        if word in lex.titles or word.rstrip(",") in _NOT_NAME_WORDS or word.endswith(("’s", "'s")) \
                or word.lower() in ("of", "the", "for", "and", "&") \
                or word[0].islower() and word not in NAME_CONNECTORS:  # "... Ministry spokesman Lu Kang"
            cut = i + 1
            title_gender = lex.titles.get(word, (None, None))[1]
            gender = gender or title_gender
    name_words = words[cut:end]
    title = " ".join(words[:cut]) or None
    if not name_words:
        return head, None, None, title, None
    if len(name_words) > 4:
        return head, ORGANIZATION, head, None, None
    if len(name_words) > 1:
        gender = gender or first_name_gender(name_words[0])
    return head, PERSON, " ".join(name_words), title, gender


@lru_cache(maxsize=4096)
def title_nouns(title: str | None) -> frozenset[str]:
    """The nouns a description can call the bearer of ``title``: "Prime Minister" is "the
    minister" and "the prime minister", "Gov." "the governor"."""
    if not title:
        return frozenset()
    nouns = set()
    for word in title.split():
        nouns.add(word.lower().rstrip("."))
        nouns.update(_abbreviated_titles().get(word, ()))
    return frozenset(nouns)


def _is_title(word: str) -> bool:
    """A title that says what someone is ("Prime", "Minister"), not "Former" or "Vice"."""
    titles = lexicon.load().titles
    kind = titles.get(word) or titles.get(word.capitalize())
    return kind is not None and kind[0] != "qualifier"


@cache
def _abbreviated_titles() -> dict[str, tuple[str, ...]]:
    return {row[0]: tuple(row[1:]) for row in lexicon.rows("title_nouns.txt")}


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
    descriptions: list[str] = field(default_factory=list)  # whole mentions: "the head of US Central Command"

    def absorb_description(self, mention: Mention) -> None:
        """What a description adds to a named person: roles and the words that say them."""
        self.roles.update(mention.roles)
        if mention.text not in self.descriptions and len(self.descriptions) < 8:
            self.descriptions.append(mention.text)

    def absorb(self, mention: Mention) -> None:
        if mention.name and mention.form == "name" and mention.name not in self.names:
            self.names.append(mention.name)
            if self.kind == PERSON and len(mention.name.split()) > len(self.name.split()):
                self.name = mention.name
        if mention.form != "pronoun" and mention.text not in self.descriptions and len(self.descriptions) < 8:
            self.descriptions.append(mention.text)
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


_ANTECEDENTS = 200  # person mentions a pronoun looks back over (in PolNeAR, antecedents lie at most 47 back)


class _LastSeen:
    """Entities in order of ``last_seen`` (when equal, of when they came), so that the
    one seen last before a position is found by bisection, not by sorting them all."""

    __slots__ = ("keys", "entities")

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []  # (last_seen, -order)
        self.entities: list[Entity] = []

    def moved(self, entity: Entity, order: int, old: int) -> None:
        """``entity`` (the ``order``-th to come) was last seen at ``old`` (-1: not yet)."""
        if old == entity.last_seen:
            return
        if old >= 0:
            k = bisect.bisect_left(self.keys, (old, -order))
            del self.keys[k]
            del self.entities[k]
        key = (entity.last_seen, -order)
        k = bisect.bisect_left(self.keys, key)
        self.keys.insert(k, key)
        self.entities.insert(k, entity)

    def latest_before(self, position: int) -> Entity | None:
        k = bisect.bisect_left(self.keys, (position, -(1 << 62))) - 1
        return self.entities[k] if k >= 0 else None


class ArticleEntities:
    """Links the mentions of one article, in reading order, to entities."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self._persons_by_position: list[tuple[int, Entity, bool]] = []
        # The candidates for a pronoun, persons and background names, in order of position
        # (at one position persons first, each group in the order noted): kept sorted as
        # they come, so that each pronoun looks back from its place instead of sorting all.
        self._candidate_keys: list[tuple[int, int, int]] = []
        self._candidates: list[tuple[Entity | Mention, bool | None]] = []
        self._by_surname: dict[str, list[Entity]] = {}  # persons, by the last word of any of their names
        self._surnamed: set[tuple[str, int]] = set()  # (surname, id of an entity) in _by_surname
        self._by_name: dict[tuple[str, str], Entity] = {}  # everyone else, by kind and name
        self._order: dict[int, int] = {}  # id of an entity: its place in ``entities``
        self._groups = _LastSeen()  # organisations, groups and the anonymous, for "they"
        self._organizations = _LastSeen()  # organisations, for "it"
        self._organization_list: list[Entity] = []  # in the order they came
        # Persons named outside speaker phrases: they become entities only when
        # a pronoun points at them or a speaker's surname needs their full name.
        self._background: list[Mention] = []
        self._decide_salience: Callable[[Mention], bool] | None = None

    def note_background(self, mentions: list[Mention], salient: Callable[[Mention], bool]) -> None:
        """``salient`` decides whether a background name is salient: only when a pronoun asks,
        as it costs a few regular expressions and a pronoun looks at few of the names."""
        self._background = mentions
        self._decide_salience = salient
        entries: list[tuple[tuple[int, int, int], Entity | Mention, bool | None]] = [
            ((pos, 0, n), e, salient) for n, (pos, e, salient) in enumerate(self._persons_by_position)]
        entries += [((m.start, 1, n), m, m.salient) for n, m in enumerate(mentions)]
        entries.sort(key=lambda entry: entry[0])
        self._candidate_keys = [key for key, _, _ in entries]
        self._candidates = [(candidate, salient) for _, candidate, salient in entries]

    def knows_person(self, mention: Mention) -> bool:
        """Whether a person of this name is known: a speaker, or a full name read in the text."""
        if self.find_name(mention) is not None:
            return True
        surname = (mention.name or "").split()[-1:]
        return bool(surname) and any(len(words) > 1 and words[-1] == surname[0]
                                     for words in ((m.name or "").split() for m in self._background))

    def complete_names(self) -> None:
        """A speaker known by surname only takes the nearest full name said before ("Bill Urban")."""
        lone = [e for e in self.entities if e.kind == PERSON and len(e.name.split()) <= 1]
        if not lone:
            return  # (most articles: then the names are not read)
        first: dict[str, Mention] = {}  # the first full name of each surname
        for m in self._background:
            words = (m.name or "").split()
            if len(words) > 1:
                first.setdefault(words[-1].lower(), m)
        for entity in lone:
            fuller = first.get(entity.name.lower())
            if fuller is not None:
                entity.absorb(fuller)

    def note_person(self, mention: Mention) -> Entity:
        """A person named anywhere in the text: a candidate for later pronouns."""
        name = mention.name or ""
        entity = self.find_name(mention)
        if entity is None:
            entity = Entity(name, PERSON, mention.title, mention.gender)
            self.entities.append(entity)
        entity.absorb(mention)
        surname = name.split()[-1].lower()
        if (surname, id(entity)) not in self._surnamed:  # by identity: comparing Entity values is slow
            self._surnamed.add((surname, id(entity)))
            self._by_surname.setdefault(surname, []).append(entity)
        key = (mention.start, 0, len(self._persons_by_position))
        salient = self._salient(mention, mention.salient)
        self._persons_by_position.append((mention.start, entity, salient))
        k = bisect.bisect_right(self._candidate_keys, key)
        self._candidate_keys.insert(k, key)
        self._candidates.insert(k, (entity, salient))
        return entity

    def _salient(self, candidate: Entity | Mention, salient: bool | None) -> bool:
        """Whether a candidate is salient, deciding it for a background name not asked before."""
        if salient is not None:
            return salient
        assert isinstance(candidate, Mention) and self._decide_salience is not None
        if candidate.salient is None:
            candidate.salient = self._decide_salience(candidate)
        return candidate.salient

    def find_name(self, mention: Mention) -> Entity | None:
        name = mention.name or ""
        if mention.kind != PERSON:
            return self._by_name.get((mention.kind or "", name.lower()))
        for entity in reversed(self._by_surname.get(name.split()[-1].lower(), [])):
            if any(n == name or same_person(n, name) for n in entity.names or [entity.name]):  # (mostly the same)
                return entity
        return None

    def resolve(self, mention: Mention) -> Entity | None:
        if mention.form == "pronoun":
            return self._antecedent(mention)
        if mention.form == "name" and mention.kind is not None and mention.name:
            if mention.kind == PERSON:
                return self.note_person(mention)
            entity = self.find_name(mention)
            if entity is None:
                entity = Entity(mention.name, mention.kind)
                self._add(entity)
                self._by_name[(mention.kind, mention.name.lower())] = entity
            self._absorb(entity, mention)
            return entity
        if mention.form == "description":
            return self._described(mention)
        return None

    def _antecedent(self, mention: Mention) -> Entity | None:
        if mention.plural or mention.text.lower() == "it":
            # The group or organisation seen last before the pronoun (the first of those seen last).
            return (self._groups if mention.plural else self._organizations).latest_before(mention.start)
        # The nearest person standing as a subject whose gender fits or is unknown, else
        # the nearest person of the pronoun's gender, else the nearest person at all,
        # among the last _ANTECEDENTS persons named before the pronoun.
        end = bisect.bisect_left(self._candidate_keys, (mention.start, -1, -1))
        for subjects_only, known_gender in ((True, False), (False, True), (False, False)):
            for k in range(end - 1, max(0, end - _ANTECEDENTS) - 1, -1):
                candidate, salient = self._candidates[k]
                if subjects_only and not self._salient(candidate, salient):
                    continue
                fits = mention.gender is None or candidate.gender == mention.gender \
                    or (not known_gender and candidate.gender is None)
                if fits:
                    return candidate if isinstance(candidate, Entity) else self.note_person(candidate)
        return None

    def _described(self, mention: Mention) -> Entity | None:
        role = mention.roles[0] if mention.roles else None
        if mention.kind in (PERSON, ANONYMOUS) and role and not mention.plural:
            # "the spokesman" is the last person called so; "a spokesman for X
            # said ... The spokesman, Navy Capt. Bill Urban," the next one.
            definite = mention.text.split()[0].lower() in ("the", "this", "that")
            # the title alone ("the governor", "the Prime Minister"), not "the former president"
            words = mention.text.split()
            by_title = words[0].lower() == "the" and all(_is_title(w) for w in words[1:])
            chosen = before = self._called(role, mention.start, -1, by_title)
            if not definite or before is None:
                chosen = self._called(role, mention.start, 1, by_title) or before
            if chosen is not None:
                chosen.absorb_description(mention)  # "a spokesman for the U.S. military's Central Command"
                return chosen
        name = mention.name or mention.text
        if mention.kind == ORGANIZATION:
            word = name.split()[-1].lower().rstrip("’'s")
            for entity in reversed(self._organization_list):
                if word in entity.name.lower():
                    return entity
        kind = mention.kind if mention.kind not in (PERSON, None) else ANONYMOUS
        entity = Entity(name, kind)
        self._add(entity)
        self._absorb(entity, mention)
        return entity

    def _called(self, role: str, position: int, step: int, by_title: bool = False) -> Entity | None:
        """The nearest person with ``role`` named before (``step`` -1) or after (1)
        ``position``, among the nearest ``_ANTECEDENTS`` persons and names."""
        keys = self._candidate_keys
        if step < 0:
            k = bisect.bisect_left(keys, (position, -1, -1)) - 1
            stop = max(-1, k - _ANTECEDENTS)
        else:
            k = bisect.bisect_left(keys, (position + 1, -1, -1))
            stop = min(len(keys), k + _ANTECEDENTS)
        for j in range(k, stop, step):
            candidate = self._candidates[j][0]
            if isinstance(candidate, Entity):
                if role in candidate.roles or by_title and role in title_nouns(candidate.title):
                    return candidate
            elif by_title and role in title_nouns(candidate.title):  # "Gov. Chris Christie", named in passing
                known = self.find_name(candidate)
                if known is not None:
                    return known
                if (candidate.name or "").split()[-1].lower() not in self._by_surname:
                    return self.note_person(candidate)  # (not "President Bill Clinton" beside Hillary Clinton)
        return None

    def _add(self, entity: Entity) -> None:
        self._order[id(entity)] = len(self.entities)
        self.entities.append(entity)
        if entity.kind == ORGANIZATION:
            self._organization_list.append(entity)

    def _absorb(self, entity: Entity, mention: Mention) -> None:
        """``entity.absorb(mention)`` for all but persons, keeping the pronoun indexes."""
        old = entity.last_seen
        entity.absorb(mention)
        if entity.kind in (ORGANIZATION, GROUP, ANONYMOUS):
            self._groups.moved(entity, self._order[id(entity)], old)
        if entity.kind == ORGANIZATION:
            self._organizations.moved(entity, self._order[id(entity)], old)
