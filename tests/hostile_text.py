"""Hostile and news-like texts of any size, for the linear-time tests and benchmark.

``make(shape, size)`` builds ``size`` characters of one shape, the same every time
(a seeded generator): long runs of what breaks naive extractors, such as
unbalanced quotation marks, apostrophes, one sentence that never ends, thousands
of attributions in one paragraph, thousands of speakers named by description
and pronoun, news text without line breaks or without a plain space.
"""

from __future__ import annotations

import random
from collections.abc import Callable

FIRST = ("Bill Maria John Anna Peter Lucy Ahmed Olga Carlos Mei James Fatima Robert Elena David Sarah "
         "Michael Laura Thomas Nadia Daniel Grace Samuel Irene Victor").split()
LAST = ("Urban Cook Lopez Reyes Harris Cole Ellis Park Marsh Whitfield Kurilla Peskov Novak Okafor Schmidt "
        "Tanaka Rossi Dubois Kowalski Ivanova Haddad Moreno Larsen Brennan Castillo Nguyen Weber Fischer").split()
TITLES = ("Navy Capt.", "Gen.", "Sen.", "Mayor", "Pentagon Press Secretary", "Dr.", "Rep.", "Gov.",
          "Foreign Minister", "", "", "")
ORGS = ("Defense Ministry", "State Department", "Central Command", "Kremlin", "Pentagon", "Foreign Ministry",
        "Interior Ministry", "White House", "European Commission", "city council")
WORDS = ("the forces will remain in the region to protect our partners and the talks continue while "
         "officials say nothing has changed since the attack on the base near the border last week "
         "because nobody wants an unintended conflict with anyone").split()
VERBS = ("said", "told reporters", "added", "explained", "wrote", "warned", "insisted")


def _clause(rng: random.Random, low: int = 4, high: int = 14) -> str:
    words = rng.sample(WORDS, rng.randint(low, high))
    return " ".join(words).capitalize()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _unbalanced(rng: random.Random) -> str:
    """Words with every kind of double mark between them, unbalanced and nested."""
    marks = ["“", "”", '"', "«", "»", "''", "``", "„", "“ “", '" "', "”“"]
    return f"{_clause(rng, 1, 4)} {rng.choice(marks)}{rng.choice(WORDS)} said {rng.choice(LAST)} {rng.choice(marks)} "


def _apostrophes(rng: random.Random) -> str:
    """Apostrophes and single marks, which are no quotation marks, and two-apostrophe marks."""
    bits = ["it's", "o'clock", "'x'", "rock 'n' roll", "‘tis", "don’t", "O'Brien's", "’90s", "'", "’", "‘",
            "''", "ma'am", "the Smiths'", rng.choice(WORDS), rng.choice(WORDS)]
    if rng.random() < 0.1:  # now and then a quotation in the New York Times' marks
        return f"''{_clause(rng)} it's o'clock,'' {rng.choice(LAST)} said. "
    return " ".join(rng.choice(bits) for _ in range(6)) + " "


def _endless(rng: random.Random) -> str:
    """One sentence that never ends: no period, only commas, names, cues and quotations."""
    parts = [
        f"{rng.choice(TITLES)} {_name(rng)}, {rng.choice(VERBS)} that ",
        f"“{_clause(rng).lower()},” {rng.choice(VERBS)} {_name(rng)}, ",
        f"{_clause(rng).lower()}, ",
        f"and the spokesman {rng.choice(VERBS)} the {rng.choice(ORGS)} was “{_clause(rng, 2, 5).lower()}” ",
        f"while he said “{_clause(rng).lower()}” and ",
    ]
    return rng.choice(parts)


def _attributions(rng: random.Random) -> str:
    """One paragraph of balanced quotations, each followed by its cue."""
    return f"“{_clause(rng)},” {rng.choice(['he', 'she', 'they', rng.choice(LAST)])} said. "


def _paragraphs(rng: random.Random) -> str:
    """Many short paragraphs, each a quotation and its speaker."""
    return f"“{_clause(rng)},” said {rng.choice(TITLES)} {_name(rng)}.\n\n{_clause(rng)}.\n"


def _news_sentence(rng: random.Random) -> str:
    name, org = _name(rng), rng.choice(ORGS)
    title = rng.choice(TITLES)
    return rng.choice([
        f"“{_clause(rng)},” said {title} {name}.",
        f"{title} {name} said: “{_clause(rng)}.”",
        f"“{_clause(rng)},” {name.split()[1]} said.",
        f"“{_clause(rng)},” {rng.choice(['he', 'she', 'they', 'it'])} said.",
        f"A spokesman for the {org} said the move was “{_clause(rng, 2, 4).lower()}.”",
        f"“{_clause(rng)},” the spokesman told reporters.",
        f"According to {name}, “{_clause(rng).lower()}.”",
        f"The {org} said in a statement that {_clause(rng).lower()}.",
        f"{_clause(rng)}, {name} of the {org} {rng.choice(VERBS)}.",
        f"{_clause(rng, 8, 20)}.",
    ])


def _news(rng: random.Random) -> str:
    """News paragraphs of one to four sentences, with a few hundred different speakers."""
    return " ".join(_news_sentence(rng) for _ in range(rng.randint(1, 4))) + "\n\n"


def _news_one_paragraph(rng: random.Random) -> str:
    """The same news with its line breaks lost (a page whose markup was stripped badly)."""
    return _news_sentence(rng) + " "


def _pronouns(rng: random.Random) -> str:
    """Thousands of speakers named by description and pronoun: each unmatched
    description is a new speaker, and every pronoun looks back over them."""
    return rng.choice([
        f"“{_clause(rng)},” the spokesman said. “{_clause(rng)},” they said. ",
        f"“{_clause(rng)},” the {rng.choice(LAST)} Ministry said. “{_clause(rng)},” it said.\n",
        f"“{_clause(rng)},” said {rng.choice(['John', 'Peter', 'Michael'])} {rng.choice(LAST)}. "
        f"“{_clause(rng)},” she said.\n",
        f"A spokesman for the {rng.choice(ORGS)} said “{_clause(rng, 2, 5).lower()}.” ",
    ])


def _no_spaces(rng: random.Random) -> str:
    """News with non-breaking spaces and tabs for spaces: no plain space to find."""
    return "".join(rng.choice("\u00a0\u00a0\t,") if ch == " " else ch for ch in _news_sentence(rng)) + "\u00a0"


SHAPES: dict[str, Callable[[random.Random], str]] = {
    "unbalanced marks": _unbalanced,
    "apostrophes": _apostrophes,
    "endless sentence": _endless,
    "attributions": _attributions,
    "short paragraphs": _paragraphs,
    "pronouns and descriptions": _pronouns,
    "news": _news,
    "news without line breaks": _news_one_paragraph,
    "no plain spaces": _no_spaces,
}


def make(shape: str, size: int, seed: int = 0) -> str:
    """``size`` characters of ``shape``."""
    rng = random.Random(f"{shape}:{seed}")
    unit = SHAPES[shape]
    parts: list[str] = []
    length = 0
    while length < size:
        part = unit(rng)
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]
