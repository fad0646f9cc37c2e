"""Word lists the extractor reads from ``quotetrack/lexicons/*.txt``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources


def rows(name: str) -> list[list[str]]:
    """The lines of a word list, split into words (blank lines and # comments left out)."""
    text = resources.files("quotetrack").joinpath("lexicons", name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line.split())
    return rows


def words(name: str) -> frozenset[str]:
    """Every word of a plain word list (several per line allowed)."""
    return frozenset(word for row in rows(name) for word in row)


def phrases(name: str) -> frozenset[str]:
    """Every line of a list of names, one per line ("New Hampshire")."""
    return frozenset(" ".join(row) for row in rows(name))


@dataclass(frozen=True)
class Lexicon:
    reporting_forms: dict[str, str]  # inflected form (lower case) -> lemma
    closing_only: frozenset[str]  # lemmas that only close a quotation
    particles: dict[str, str]  # lemma -> the word that must follow it ("went on", "put it")
    titles: dict[str, tuple[str, str | None]]  # title word -> (kind, gender)
    person_nouns: dict[str, tuple[str, str | None]]  # noun -> (kind, gender)
    pronouns: dict[str, tuple[str, str | None]]  # pronoun -> (number, gender)
    organization_words: frozenset[str]
    organizations: dict[str, str]  # variant key -> canonical name


def organization_key(name: str) -> str:
    """Case-, article- and apostrophe-insensitive key for organisation names."""
    key = name.lower().replace("’", "'").replace(".", "").strip()
    if key.startswith("the "):
        key = key[4:]
    return " ".join(key.split())


_EXTRACTOR_FILES = ("quotes.py", "tokens.py", "mentions.py", "subjects.py", "speakers.py", "names.py", "article.py",
                    "attribution.py", "clauses.py", "conventions.py", "extractor.py", "quote_style.py", "lexicon.py")


@cache
def extractor_version() -> str:
    """Package version plus a digest of the rules and word lists.

    Stored with every article, so that a changed extractor re-extracts
    articles it has already seen.
    """
    from . import __version__

    digest = hashlib.sha1()
    package = resources.files("quotetrack")
    for name in _EXTRACTOR_FILES:
        digest.update(package.joinpath(name).read_bytes())
    for entry in sorted(package.joinpath("lexicons").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".txt"):
            digest.update(entry.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


@cache
def load() -> Lexicon:
    forms: dict[str, str] = {}
    closing_only = set()
    particles: dict[str, str] = {}
    for row in rows("reporting_verbs.txt"):
        if row[-1].startswith("+"):
            particles[row[0]] = row[-1][1:]
            row = row[:-1]
        if row[-1] == "@after":
            closing_only.add(row[0])
            row = row[:-1]
        for form in row:
            forms[form.lower()] = row[0]
    titles = {row[0]: (row[1], row[2] if len(row) > 2 else None) for row in rows("titles.txt")}
    nouns = {row[0]: (row[1], row[2] if len(row) > 2 else None) for row in rows("person_nouns.txt")}
    pronouns = {row[0]: (row[1], row[2] if len(row) > 2 else None) for row in rows("pronouns.txt")}
    org_words = frozenset(row[0].lower() for row in rows("organization_words.txt"))
    organizations: dict[str, str] = {}
    text = resources.files("quotetrack").joinpath("lexicons", "organizations.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        variants = [v.strip() for v in line.split("|")]
        for variant in variants:
            organizations[organization_key(variant)] = variants[0]
    return Lexicon(forms, frozenset(closing_only), particles, titles, nouns, pronouns, org_words, organizations)
