"""Speakers across the whole database: one row per real person or organisation.

Within an article the extractor already links "Navy Capt. Bill Urban",
"Urban" and "he".  Here those article entities meet the database: a person
with a full name joins an existing speaker with the same surname and a
compatible first name (Bill/William through the ``nicknames`` list); a bare
surname never crosses articles; organisations join by canonical name.  User
curation (merges, aliases) is consulted first, so it survives re-extraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex
from sqlite_utils import Database
from sqlite_utils.utils import hash_record

from . import lexicon
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


@cache
def first_names_match(a: str, b: str) -> bool:
    """Bill/William, Bob/Robert, Peter/Peter, P./Peter."""
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    namer = _nick_namer()
    forms_a = {a} | namer.canonicals_of(a) | namer.nicknames_of(a)
    forms_b = {b} | namer.canonicals_of(b) | namer.nicknames_of(b)
    return b in forms_a or a in forms_b


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
    return hash_record({"key": key})[:16]


@dataclass
class Profile:
    """Rank, role and organisation of a speaker, from the words around its name."""

    rank: str | None = None
    role: str | None = None
    organization: str | None = None


def profile(entity: Entity, organizations: list[str] = ()) -> Profile:
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


def _known_organization(words: str, organizations: list[str]) -> str:
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


class Directory:
    """Maps article entities to database speakers, consulting curation first."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def speaker_for(self, key: str) -> tuple[str, str]:
        """(natural id, id to use): users' decisions override what extraction alone would say."""
        natural = self._natural(key)
        curated = self.db.execute("select speaker_id from curated_keys where key = ?", [key]).fetchone()
        return natural, (curated[0] if curated else natural)

    def _natural(self, key: str) -> str:
        known = self.db.execute("select speaker_id from speaker_keys where key = ?", [key]).fetchone()
        if known:
            return known[0]
        if key.startswith("person:") and "@" not in key:
            first, last = key[len("person:"):].split(" ", 1)
            rows = self.db.execute(
                "select key, speaker_id from speaker_keys where surname = ? and key like 'person:%' "
                "and key not like '%@%'", [last]).fetchall()
            exact = [sid for k, sid in rows if k.split(":", 1)[1].split(" ", 1)[0] == first]
            if exact:
                return exact[0]
            for other, sid in rows:
                other_first = other.split(":", 1)[1].split(" ", 1)[0]
                if first_names_match(first, other_first):
                    return sid
        return key_id(key)

    def record(self, key: str, speaker_id: str, entity: Entity) -> None:
        """Remember what the extraction said (kept apart from curation, so that merges can be undone)."""
        surname = split_name(entity.name)[1] if entity.kind == PERSON else None
        self.db["speaker_keys"].upsert(
            {"key": key, "speaker_id": speaker_id, "surname": surname, "name": entity.name, "kind": entity.kind},
            pk="key")
