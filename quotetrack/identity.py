"""Speakers across the whole database: one row per real person or organisation.

Within an article the extractor already links "Navy Capt. Bill Urban",
"Urban" and "he".  Here those article entities meet the database: a person
with a full name joins an existing speaker with the same surname and a
compatible first name (Bill/William through the ``nicknames`` list); a bare
surname never crosses articles; organisations join by canonical name.  User
curation (merges, aliases) is consulted first, so it survives re-extraction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import regex
from sqlite_utils import Database

from . import lexicon
from .caches import RunCache
from .speakers import ANONYMOUS, GROUP, PERSON, Entity

_PUNCT = regex.compile(r"[^\p{L}\p{N}\s'’-]")
_MILITARY = frozenset({"navy", "army", "marine", "marines", "air", "force", "coast", "guard", "naval"})


@cache
def _nick_namer():
    from nicknames import NickNamer  # a maintained list of English names and their nicknames

    return NickNamer()


def _normal(name: str) -> str:
    return " ".join(_PUNCT.sub(" ", name.lower().replace("’", "'")).split())


def split_name(name: str) -> tuple[str | None, str]:
    """(first name, surname) of a personal name; middle names and initials dropped."""
    words = [w for w in _normal(name).split() if w not in ("jr", "sr", "ii", "iii", "iv")]
    if not words:
        return None, ""
    return (words[0] if len(words) > 1 else None), words[-1]


def first_names_match(a: str, b: str) -> bool:
    """Bill/William, Bob/Robert, Peter/Peter, P./Peter.  The definition: speakers are matched by
    ``Namesakes.find``, which gives the oldest name this holds for without asking it of each."""
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return b in _name_forms(a) or a in _name_forms(b)


@lru_cache(maxsize=100_000)  # first names: bounded, a long run meets millions
def _name_forms(name: str) -> frozenset[str]:
    namer = _nick_namer()
    return frozenset({name} | namer.canonicals_of(name) | namer.nicknames_of(name))


class Namesakes:
    """The first names stored with one surname, oldest first, indexed so that the oldest one a
    first name matches (``first_names_match``) is found without comparing it with each: common
    surnames have thousands, and the plain loop made resolving a batch quadratic.

    Each clause of ``first_names_match`` has its index, holding the oldest position that
    satisfies it; the smallest position among them is the first match of the plain loop."""

    def __init__(self) -> None:
        self.speakers: list[str] = []  # speaker id by position, oldest first
        self.positions: dict[str, int] = {}  # first name -> its position
        self.by_initial: dict[str, int] = {}  # first letter -> oldest position of a name with it
        self.by_form: dict[str, int] = {}  # name form -> oldest position of a name having it

    def add(self, first: str, speaker_id: str) -> None:
        """Record a first name after the others; one already there keeps its older speaker."""
        if first in self.positions:
            return
        position = len(self.speakers)
        self.speakers.append(speaker_id)
        self.positions[first] = position
        self.by_initial.setdefault(first[:1], position)
        for form in _name_forms(first):
            self.by_form.setdefault(form, position)

    def find(self, first: str) -> str | None:
        """The speaker of the same first name, else of the oldest one that matches it."""
        exact = self.positions.get(first)
        if exact is not None:
            return self.speakers[exact]
        found = [self.positions.get(first[:1]),  # a stored initial of this name: "p" for "peter"
                 self.by_form.get(first)]  # a stored name this one is a form of: "william" for "bill"
        if len(first) == 1:  # this name is an initial: the oldest stored name it begins
            found.append(self.by_initial.get(first))
        found += [self.positions.get(form) for form in _name_forms(first)]  # a stored form of this name
        matches = [position for position in found if position is not None]
        return self.speakers[min(matches)] if matches else None


def natural_key(entity: Entity, article_id: str) -> str:
    """What the extraction alone says a speaker is; the same real speaker may have several."""
    if entity.kind == PERSON:
        first, last = split_name(entity.name)
        if first is None:  # a bare surname is only known within its article
            return f"person:{last}@{article_id}"
        return f"person:{first} {last}"
    if entity.kind in (ANONYMOUS, GROUP):
        return f"{entity.kind}:{_normal(entity.name)}@{article_id}"
    return f"{entity.kind}:{lexicon.organization_key(entity.name)}"


def key_id(key: str) -> str:
    """``hash_record({"key": key})[:16]``, with the JSON written here (json.dumps escapes a string
    as within the dict): hash_record took three times as long, once per new speaker.  (A test
    holds them equal.)"""
    return hashlib.sha1(f'{{"key":{json.dumps(key)}}}'.encode("utf-8")).hexdigest()[:16]


@dataclass
class Profile:
    """Rank, role and organisation of a speaker, from the words around its name."""

    rank: str | None = None
    role: str | None = None
    organization: str | None = None


def profile(entity: Entity, organizations: Sequence[str] = ()) -> Profile:
    """``Navy Capt.`` (rank), ``Press Secretary`` (role), ``Pentagon`` (organisation).

    ``organizations``: the organisations the same article names, so that "the
    ministry's spokesman" can be the Russian Defense Ministry's.
    """
    lex = lexicon.load()
    result = Profile()
    if entity.kind != PERSON:
        return result
    rank: list[str] = []
    role: list[str] = []
    org: list[str] = []
    places: list[str] = []  # "US" in "US Army General" belongs to what follows it
    for word in (entity.title or "").split():
        kind = lex.titles.get(word, (None, None))[0]
        if word in _PLACES:
            places.append(word)
            continue
        if kind == "rank" or word.lower() in _MILITARY or (kind == "qualifier" and rank and not role):
            rank.extend(places + [word])
        elif kind in ("role", "qualifier") or word.lower() in ("of", "for"):
            role.extend(places + [word])
        elif word[:1].isupper():
            org.extend(places + [word.removesuffix("’s").removesuffix("'s")])
        places = []
    result.rank = " ".join(rank) or None
    result.role = " ".join(role).removesuffix(" of").removesuffix(" for") or None
    result.organization = _known_organization(" ".join(org), organizations) if org else None
    for description in entity.descriptions:
        for pattern in (_ROLE_OF, _ORG_ROLE):
            found = pattern.search(description)
            if found is None:
                continue
            if not result.role or pattern is _ROLE_OF and found.group("org"):
                result.role = found.group("role") + (f" of {found.group('org')}" if pattern is _ROLE_OF
                                                      and found.group("org") and found.group("prep") == "of"
                                                      else "")
            if found.group("org") and not result.organization:
                result.organization = _known_organization(found.group("org"), organizations)
    if not result.role and entity.roles:
        result.role = sorted(entity.roles)[0]
    return result


def _known_organization(words: str, organizations: Sequence[str]) -> str:
    """An organisation as the lexicon or the article names it in full."""
    kept = [w for w in words.split() if not (w[:1].islower() and w.endswith(("’s", "'s")))] or words.split()
    plain = " ".join(kept).removesuffix("’s").removesuffix("'s")
    canonical = lexicon.load().organizations.get(lexicon.organization_key(plain))
    if canonical:
        return canonical
    if len(plain.split()) == 1:  # "the ministry's spokesman": the article's ministry
        for name in organizations:
            if plain.lower() in name.lower().split():
                return name
    return plain


_ROLE_WORDS = (r"spokesman|spokeswoman|spokesperson|head|chief|director|chairman|chairwoman|president|"
               r"secretary|minister|founder|co-founder|leader|adviser|advisor|aide|official|executive|editor|"
               r"analyst|professor|commander|manager")
_ORG_WORDS = r"[\p{Lu}][\p{L}.’'&-]*(?:\s+(?:[\p{Lu}][\p{L}.’'&-]*|\p{Ll}+[’']s))*"
# "the head of US Central Command", "a spokesman for the U.S. military's Central Command"
_ROLE_OF = regex.compile(rf"\b(?P<role>{_ROLE_WORDS})\s+(?P<prep>of|for|at)\s+(?:the\s+)?(?P<org>{_ORG_WORDS})")
# "chief Central Command spokesman", "a Kremlin spokesman", "the ministry's spokesman"
_ORG_ROLE = regex.compile(rf"(?P<org>(?:[\p{{Lu}}][\p{{L}}.’'&-]*\s+)+|\p{{Ll}}+[’']s\s+)(?P<role>{_ROLE_WORDS})\b")
_PLACES = frozenset("US U.S. U.S American Russian British Chinese French German Israeli Iranian Syrian".split())


class NamesakesCache(RunCache[Namesakes]):
    """The ``Namesakes`` of surnames read by earlier batches of a run, kept up to date with the
    names each batch adds: common surnames have thousands of stored first names, and reading
    them again for every batch made each batch slower than the one before.

    Bounded by the number of first names held (least recently used surnames go first, to be
    read again when needed); emptied when another connection has written (``pragma
    data_version``), since the stored names may then have changed."""

    def __init__(self, size: int = 200_000) -> None:  # first names; about 40 MB
        super().__init__(size)

    def trim(self) -> None:
        held = sum(len(namesakes.speakers) for namesakes in self.entries.values())
        while held > self.size and self.entries:
            held -= len(self.entries.popitem(last=False)[1].speakers)


class Directory:
    """Maps a batch of article speakers to database speakers, consulting curation first.

    The look-ups of a whole batch are a few queries; the speakers are then matched one
    after another in memory, each seeing the ones before it (as if written one at a time),
    so the result does not depend on how the articles were batched.  ``cache`` keeps the
    stored namesakes for the next batches."""

    def __init__(self, db: Database, cache: NamesakesCache | None = None) -> None:
        self.db = db
        self.cache = cache or NamesakesCache()
        self.names: dict[str, str] = {}  # the name each key of the last batch resolved is stored under
        self.renamed: dict[str, tuple[str | None, str]] = {}  # keys whose stored name that batch changed: (old, new)

    def resolve(self, keys: list[tuple[str, str | None, str, str]]) -> list[tuple[str, str]]:
        """(natural id, id to use) for each (natural key, surname, name, kind), and record them
        in ``speaker_keys`` (kept apart from curation, so that merges can be undone); ``names``
        and ``renamed`` tell what that did to the names stored under the keys."""
        wanted = json.dumps(sorted({key for key, *_ in keys}))
        stored = self.db.execute("select key, speaker_id, name from speaker_keys "
                                 "where key in (select value from json_each(?))", [wanted]).fetchall()
        known: dict[str, str] = {key: sid for key, sid, _ in stored}
        curated: dict[str, str] = dict(self.db.execute("select key, speaker_id from curated_keys "
                                                       "where key in (select value from json_each(?))",
                                                       [wanted]).fetchall())
        namesakes = self._namesakes({surname for key, surname, *_ in keys if _full_name(key) and key not in known})
        resolved: list[tuple[str, str]] = []
        recorded: dict[str, tuple[str, str, str | None, str, str]] = {}
        for key, surname, name, kind in keys:
            natural = known.get(key) or self._natural(key, namesakes)
            if key not in known and _full_name(key):
                namesakes[surname].add(_first_name(key), natural)
            known[key] = natural
            recorded[key] = (key, natural, surname, name, kind)
            resolved.append((natural, curated.get(key, natural)))
        self.names = {key: row[3] for key, row in recorded.items()}
        self.renamed = {key: (name, self.names[key]) for key, _, name in stored if name != self.names[key]}
        # the last name written under a key wins, as one upsert per speaker would have it
        self.db.conn.executemany(
            "insert into speaker_keys (key, speaker_id, surname, name, kind) values (?, ?, ?, ?, ?) "
            "on conflict(key) do update set speaker_id = excluded.speaker_id, surname = excluded.surname, "
            "name = excluded.name, kind = excluded.kind", list(recorded.values()))
        self.cache.trim()
        return resolved

    def _namesakes(self, surnames: set[str | None]) -> dict[str | None, Namesakes]:
        """The stored full names of each of these surnames, from the cache or, in one query, the database."""
        cache = self.cache
        cache.check(self.db)
        missing = sorted(s for s in surnames if s is not None and s not in cache.entries)
        for name in missing:
            cache.entries[name] = Namesakes()
        for key, sid, surname in self.db.execute(
                "select key, speaker_id, surname from speaker_keys where surname in (select value from json_each(?)) "
                "and key like 'person:%' and key not like '%@%' order by rowid", [json.dumps(missing)]):
            cache.entries[surname].add(_first_name(key), sid)
        found: dict[str | None, Namesakes] = {}
        for surname in sorted(surnames, key=lambda s: s or ""):  # in a fixed order: which go first when trimmed
            if surname is None:  # a full name always has one; kept apart from the cache all the same
                found[surname] = Namesakes()
            else:
                cache.entries.move_to_end(surname)
                found[surname] = cache.entries[surname]
        return found

    @staticmethod
    def _natural(key: str, namesakes: dict[str | None, Namesakes]) -> str:
        """A full personal name joins a stored one with its surname and a compatible first name."""
        if _full_name(key):
            first, last = key[len("person:"):].split(" ", 1)
            stored = namesakes.get(last)
            sid = stored.find(first) if stored is not None else None
            if sid is not None:
                return sid
        return key_id(key)


def _first_name(key: str) -> str:
    return key.split(":", 1)[1].split(" ", 1)[0]


def _full_name(key: str) -> bool:
    return key.startswith("person:") and "@" not in key

