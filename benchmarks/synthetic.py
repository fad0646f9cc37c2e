"""A synthetic news corpus of any size, as JSON Lines, built from real articles.

    python benchmarks/synthetic.py 100000 corpus.jsonl

The seeds are the articles in data/articles and, when present, the texts of
../shared/eval/polnear-train.jsonl (read here, never copied into the
repository).  Each synthetic article is one seed, changed so that it is a new
article to every part of quotetrack, with the workload of a real collection:

- the names in it are replaced, consistently within the article, by names
  drawn from pools of first names and surnames with a Zipf-like law (a few
  speakers in thousands of articles, most in a handful), so speakers, their
  natural keys and the surname look-ups grow as in real news;
- one word in five of the others (not reporting verbs, pronouns or the
  quotation marks) is replaced by another word of the seeds, and numbers are
  redrawn, so paragraphs and quotes are new text for the copy and statement
  indexes (while keeping the sentence shapes the extractor works on);
- one article in twenty repeats an earlier synthetic one with a new headline,
  as a syndicated copy; one in fifty is the same story again under another id
  (a duplicate that must be skipped);
- outlets, dates and URLs vary.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
EVAL = ROOT.parent / "shared" / "eval" / "polnear-train.jsonl"

_KEEP = frozenset("""said says say told tells added asked stated noted according wrote declared explained
    insisted argued claimed warned stressed continued replied responded he she they them his her their
    it its we our you your this that these those who which what there here with from were have been would
    could should will about into than then when where while because after before""".split())
_SYLLABLES = ("ka ro mi sen tal bor vin del ma ri co lu na pe tor gan hel ber ston ley ford wick dor "
              "ova ski nik mar lan ter ros vel dan kov ez ian sen berg man son wood field").split()


def seed_texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    if EVAL.is_file():
        with EVAL.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def _first_names() -> list[str]:
    """The first names of the ``nicknames`` list (the one quotetrack itself uses)."""
    import importlib.resources

    with (importlib.resources.files("nicknames") / "names.csv").open(encoding="utf-8") as rows:
        names = {row.split(",", 1)[0].strip().lower() for row in rows}
    return sorted(n.capitalize() for n in names if n.isalpha() and len(n) > 2)


def _surnames(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        parts = rng.choices(_SYLLABLES, k=rng.choice((2, 2, 3)))
        names.add("".join(parts).capitalize())
    return sorted(names)


class Corpus:
    """Deterministic: article ``n`` is the same every time for the same seeds."""

    def __init__(self, seeds: list[str] | None = None, surnames: int = 50000) -> None:
        self.seeds = seeds or seed_texts()
        rng = random.Random(0)
        self.first = _first_names()
        self.first_lower = {n.lower() for n in self.first}
        self.last = _surnames(surnames, rng)
        rng.shuffle(self.last)  # the most frequent surnames anywhere in the alphabet
        lowercase = {w for text in self.seeds for w in regex.findall(r"\b\p{Ll}+\b", text)}
        self.vocabulary = sorted(w for w in lowercase - _KEEP if len(w) >= 4)
        # Proper names: capitalised inside a sentence, and never written in lower case.
        self.capitalized = {w for text in self.seeds for w in regex.findall(r"(?<=\p{Ll}[,;]? )\p{Lu}\p{Ll}+", text)
                            if w.lower() not in lowercase}
        self.outlets = [f"outlet{n}.example.com" for n in range(60)]
        self._names = regex.compile(r"\b\p{Lu}\p{Ll}+\b|\d+")

    def _zipf(self, rng: random.Random, pool: list[str]) -> str:
        return pool[min(len(pool) - 1, int(len(pool) ** rng.random()) - 1)]

    def article(self, n: int) -> dict:
        rng = random.Random(n * 7919 + 13)
        if n >= 100 and rng.random() < 0.07:
            earlier = self.article(rng.randrange(n // 2, n))
            if rng.random() < 2 / 7:  # the same story again under another id: a duplicate
                return {**earlier, "id": f"syn-{n}"}
            lines = earlier["text"].split("\n")
            lines[0] = f"{lines[0]} (syndicated {n})"
            return {**earlier, "id": f"syn-{n}", "text": "\n".join(lines),
                    "url": f"https://{self.outlets[n % 60]}/story/{n}", "outlet": self.outlets[n % 60]}
        text = self.seeds[rng.randrange(len(self.seeds))]
        names: dict[str, str] = {}

        def rename(found: regex.Match) -> str:
            word = found.group()
            if word.isdigit():
                return str(rng.randrange(2, 10 ** len(word)))
            if word not in self.capitalized:
                return word
            if word not in names:
                names[word] = self._zipf(rng, self.first if word.lower() in self.first_lower else self.last)
            return names[word]

        words = self._names.sub(rename, text).split(" ")
        # one word in five, chosen among the plain lower-case ones (split on spaces only, so
        # that line breaks and punctuation stay where they were)
        for _ in range(len(words) // 5):
            at = rng.randrange(len(words))
            if words[at].isalpha() and words[at].islower() and words[at] not in _KEEP:
                words[at] = self.vocabulary[rng.randrange(len(self.vocabulary))]
        outlet = self.outlets[int(60 ** rng.random()) - 1]
        return {"id": f"syn-{n}", "text": " ".join(words), "url": f"https://{outlet}/news/{n}", "outlet": outlet,
                "published": f"{2015 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"}



_CORPUS: Corpus | None = None


def _chunk(bounds: tuple[int, int]) -> tuple[str, int]:
    global _CORPUS
    _CORPUS = _CORPUS or Corpus()
    records = [_CORPUS.article(n) for n in range(*bounds)]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return lines, sum(len(r["text"].encode("utf-8")) for r in records)


def write(count: int, path: Path, jobs: int = 1) -> int:
    """Write articles 0 to ``count`` to ``path`` (JSON Lines) with ``jobs`` processes; the bytes of text."""
    import multiprocessing

    chunks = [(start, min(count, start + 5000)) for start in range(0, count, 5000)]
    size = 0
    with path.open("w", encoding="utf-8") as out:
        if jobs > 1:
            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                for lines, written in pool.imap(_chunk, chunks):
                    out.write(lines)
                    size += written
        else:
            for bounds in chunks:
                lines, written = _chunk(bounds)
                out.write(lines)
                size += written
    return size


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/synthetic.py COUNT OUT.jsonl")
    written = write(int(sys.argv[1]), Path(sys.argv[2]), jobs=os.cpu_count() or 1)
    print(f"{sys.argv[1]} articles, {written / 1e6:.1f} MB of text in {sys.argv[2]}")
