"""Score extracted quotes and speakers against gold files in the qtgold v1 format.

Scoring follows the gold data's README: spans trimmed of edge whitespace and
punctuation and split at line breaks; a predicted piece matches a gold piece
when overlap / union >= 0.5 (one-to-one, best overlap first); speakers
compared by name after removing titles; end to end a piece counts when it
matches and its speaker is right or not scored.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

from . import lexicon

_LINE = regex.compile(r"[^\r\n]+")
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_ARTICLES = frozenset({"the", "a", "an"})
_EXTRA_TITLES = frozenset(
    "mr mrs ms miss dr sen rep gov gen capt maj lt col sgt adm pres prof rev "
    "secretary spokesman spokeswoman spokesperson president senator representative governor "
    "minister chairman chairwoman director chief former deputy acting vice press".split()
)


def _is_edge(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith(("P", "S"))


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks, each piece trimmed of edge whitespace and punctuation."""
    out = []
    for line in _LINE.finditer(text, start, end):
        a, b = line.start(), line.end()
        while a < b and _is_edge(text[a]):
            a += 1
        while b > a and _is_edge(text[b - 1]):
            b -= 1
        if b > a:
            out.append((a, b))
    return out


@cache
def _titles() -> frozenset[str]:
    lex = lexicon.load()
    words = {w.lower().strip(".") for w in lex.titles} | set(lex.person_nouns)
    return frozenset(words) | _EXTRA_TITLES


def name_words(name: str | None) -> list[str]:
    """Lower-case words of a name without punctuation, possessives, articles and titles
    (a title that is the last word stays: "the spokesman")."""
    if not name:
        return []
    text = regex.sub(r"['’]s\b", "", name.lower())
    words = [w for w in _WORD.findall(text) if w not in _ARTICLES]
    titles = _titles()
    kept = [w for w in words[:-1] if w not in titles] + words[-1:]
    return kept


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    a, b = name_words(predicted), name_words(gold)
    if not a or not b:
        return False
    return a[-1] in b or b[-1] in a


@dataclass(slots=True)
class Piece:
    start: int
    end: int
    speaker: str | None = None  # predicted speaker name
    gold: dict = field(default_factory=dict)  # gold quote record (empty for predicted pieces)


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    exact: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    end_to_end: int = 0
    # gold mention kind (name, pronoun, description) -> [scored, right]: the gold
    # resolves pronouns automatically, so its pronoun speakers are the least sure
    by_kind: dict = field(default_factory=dict)

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            if name != "by_kind":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, (scored, right) in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0])
            mine[0] += scored
            mine[1] += right


def _prf(hits: int, predicted: int, gold: int) -> dict:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def report(counts: Counts) -> dict:
    scored = counts.speaker_scored
    return {
        "quotes_lenient": _prf(counts.matched, counts.predicted, counts.gold),
        "quotes_exact": _prf(counts.exact, counts.predicted, counts.gold),
        "speaker_accuracy": round(counts.speaker_right / scored, 4) if scored else 0.0,
        "speaker_scored": scored,
        "speaker_accuracy_by_gold_kind": {kind: {"accuracy": round(right / n, 4), "scored": n}
                                          for kind, (n, right) in sorted(counts.by_kind.items()) if n},
        "end_to_end": _prf(counts.end_to_end, counts.predicted, counts.gold),
        "pieces": {"predicted": counts.predicted, "gold": counts.gold, "matched": counts.matched},
    }


def gold_speaker_target(quote: dict) -> list[str] | None:
    """Names a prediction may match, or None when the speaker is not scored."""
    kind = quote.get("speaker_kind")
    resolved = quote.get("speaker_resolved")
    if kind is None or quote.get("speaker") is None:
        return None
    if kind == "name":
        return [n for n in (quote["speaker"], resolved) if n]
    return [resolved] if resolved else None


@dataclass
class ArticleScore:
    counts: Counts
    misses: list[Piece] = field(default_factory=list)
    false_positives: list[Piece] = field(default_factory=list)
    wrong_speakers: list[tuple[Piece, Piece]] = field(default_factory=list)


def score_article(text: str, gold_quotes: list[dict], predicted: list[tuple[int, int, str | None]]) -> ArticleScore:
    """Score one article's predicted (start, end, speaker) quotes against its gold quotes."""
    gold = [Piece(a, b, gold=q) for q in gold_quotes for a, b in pieces(text, q["start"], q["end"])]
    pred = [Piece(a, b, speaker=s) for start, end, s in predicted for a, b in pieces(text, start, end)]
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if overlap > 0:
                union = max(p.end, g.end) - min(p.start, g.start)
                if overlap / union >= 0.5:
                    pairs.append((overlap / union, -i, -j, i, j))
    pairs.sort(reverse=True)
    used_p, used_g, matches = set(), set(), []
    for _, _, _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matches.append((pred[i], gold[j]))
    counts = Counts(predicted=len(pred), gold=len(gold), matched=len(matches))
    gold_spans = {(g.start, g.end) for g in gold}
    counts.exact = len({(p.start, p.end) for p in pred} & gold_spans)
    result = ArticleScore(counts)
    for p, g in matches:
        targets = gold_speaker_target(g.gold)
        if targets is None:
            counts.end_to_end += 1
            continue
        counts.speaker_scored += 1
        tally = counts.by_kind.setdefault(g.gold.get("speaker_kind") or "none", [0, 0])
        tally[0] += 1
        if any(same_speaker(p.speaker, t) for t in targets):
            counts.speaker_right += 1
            counts.end_to_end += 1
            tally[1] += 1
        else:
            result.wrong_speakers.append((p, g))
    result.misses = [g for j, g in enumerate(gold) if j not in used_g]
    result.false_positives = [p for i, p in enumerate(pred) if i not in used_p]
    return result


def read_gold(path: Path) -> Iterator[dict]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from error
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise ValueError(f"{path}:{number}: not a qtgold record (no text)")
                yield record


def context(text: str, start: int, end: int, width: int = 80) -> str:
    before = text[max(0, start - width):start].replace("\n", " ")
    after = text[end:end + width].replace("\n", " ")
    return f"…{before}[[{text[start:end]}]]{after}…"


def format_errors(scored: Iterable[tuple[dict, ArticleScore]], limit: int) -> str:
    """Up to ``limit`` misses, false positives and wrong speakers, with context."""
    misses, fps, wrong = [], [], []
    for record, score in scored:
        text, doc = record["text"], record.get("doc_id", "")
        for g in score.misses:
            misses.append(f"MISS  {doc}  gold speaker: {g.gold.get('speaker')!r}\n  {context(text, g.start, g.end)}")
        for p in score.false_positives:
            fps.append(f"FALSE {doc}  predicted speaker: {p.speaker!r}\n  {context(text, p.start, p.end)}")
        for p, g in score.wrong_speakers:
            wrong.append(f"WHO   {doc}  predicted {p.speaker!r}, gold {g.gold.get('speaker')!r} "
                         f"/ {g.gold.get('speaker_resolved')!r}\n  {context(text, g.start, g.end)}")
    lines = []
    for title, items in (("Misses", misses), ("False positives", fps), ("Wrong speakers", wrong)):
        lines.append(f"## {title} ({len(items)}; first {min(limit, len(items))})")
        lines.extend(items[:limit])
    return "\n".join(lines)


@dataclass
class Evaluation:
    counts: Counts
    articles: list[tuple[dict, ArticleScore]]
    seconds: float

    def report(self) -> dict:
        result = report(self.counts)
        result["articles"] = len(self.articles)
        result["seconds"] = round(self.seconds, 2)
        return result


def evaluate(path: Path) -> Evaluation:
    """Run ``extract``'s own pipeline over a gold file into a temporary database and score it."""
    import time

    from sqlite_utils import Database

    from .records import article_id
    from .ingest import Article
    from .pipeline import extract_items

    records = list(read_gold(path))
    articles = [Article(doc_id=r.get("doc_id") or f"{path.name}#{n}", text=r["text"],
                        source=f"{path}:{n}", title=r.get("title"), outlet=r.get("outlet"),
                        published=r.get("published"), author=r.get("author"))
                for n, r in enumerate(records, start=1)]
    db = Database(memory=True)
    started = time.perf_counter()
    extract_items(db, articles, [str(path)], deduplicate=False)  # every gold article is scored
    seconds = time.perf_counter() - started
    predicted: dict[str, list] = {}
    rows = db.execute("select quotes.article_id, quotes.char_start, quotes.char_end, speakers.name "
                      "from quotes left join speakers on speakers.id = quotes.speaker_id")
    for article, start, end, name in rows.fetchall():
        predicted.setdefault(article, []).append((start, end, name))
    total, scored = Counts(), []
    for record, article in zip(records, articles):
        score = score_article(record["text"], record.get("quotes") or [],
                              predicted.get(article_id(article.doc_id), []))
        total.add(score.counts)
        scored.append((record, score))
    return Evaluation(total, scored, seconds)


def format_report(result: dict) -> str:
    rows = [("quotations, lenient", result["quotes_lenient"]), ("quotations, exact", result["quotes_exact"]),
            ("end to end", result["end_to_end"])]
    lines = [f"{'':22} {'precision':>9} {'recall':>7} {'F1':>7}"]
    for name, prf in rows:
        lines.append(f"{name:22} {prf['precision']:>9.3f} {prf['recall']:>7.3f} {prf['f1']:>7.3f}")
    lines.append(f"{'speaker accuracy':22} {result['speaker_accuracy']:>9.3f}   "
                 f"(over {result['speaker_scored']} matched quotations with a known speaker)")
    for kind, figures in result.get("speaker_accuracy_by_gold_kind", {}).items():
        lines.append(f"{'  gold ' + kind:22} {figures['accuracy']:>9.3f}   ({figures['scored']})")
    pieces = result["pieces"]
    lines.append(f"{result['articles']} articles: {pieces['gold']} gold and {pieces['predicted']} predicted "
                 f"quotation pieces, {pieces['matched']} matched; extraction took {result['seconds']}s")
    return "\n".join(lines)
