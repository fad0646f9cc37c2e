"""An article as database rows: a pure function, run in worker processes.

Everything that needs only the article is computed here: the extraction, the
ids, each speaker's natural key and profile, the word trigrams of each quote
and the paragraph hashes.  The one process that writes the database is then
left with only what needs the database (which stored speaker, which statement,
which earlier article), so extraction scales with the number of workers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlite_utils.utils import hash_record

from .copies import paragraph_hashes
from .extractor import ExtractedQuote, extract
from .formats import Article, Problem
from .identity import natural_key, profile, split_name
from .speakers import PERSON, Entity
from .statements import pack, shingles


def article_id(doc_id: str) -> str:
    return hash_record({"doc_id": doc_id})[:16]


def text_hash(text: str) -> str:
    return hash_record({"text": text})


def quote_id(article: str, start: int, end: int) -> str:
    """``hash_record({"article_id": article, "char_start": start, "char_end": end})[:16]``, with
    the JSON written here: json.dumps was a tenth of the writer's time.  (A test holds them equal.)"""
    canonical = f'{{"article_id":"{article}","char_end":{end},"char_start":{start}}}'
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class SpeakerRecord:
    """One speaker of one article, as extraction alone sees it."""

    key: str  # natural key (identity.natural_key)
    surname: str | None
    row: dict  # speakers columns but the id: name, kind, title, rank, role, organization


@dataclass(slots=True)
class QuoteRecord:
    row: dict  # quotes columns but speaker_id and statement_id
    speaker: int | None  # index into Prepared.speakers
    shingles: bytes  # statements.pack: a batch in flight holds a fifth less memory than with lists of ints


@dataclass(slots=True)
class Prepared:
    """One extracted article, ready to be written (``db.write_batch``)."""

    id: str
    article: dict  # articles columns but ingested and the copy columns
    speakers: list[SpeakerRecord] = field(default_factory=list)
    quotes: list[QuoteRecord] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (hash, length), copies.paragraph_hashes


def prepare(article: Article, version: str, key: str, digest: str) -> Prepared:
    """Extract ``article`` (whose id is ``key`` and text hash ``digest``) and turn it into rows."""
    extraction = extract(article.text)
    organizations = [e.name for e in extraction.speakers if e.kind == "organization"]
    position: dict[int, int] = {}
    speakers: list[SpeakerRecord] = []
    for entity in extraction.speakers:
        position[id(entity)] = len(speakers)
        speakers.append(SpeakerRecord(natural_key(entity, key), _surname(entity),
                                      _speaker_row(entity, organizations)))
    quotes = []
    for q in extraction.quotes:
        speaker = position.get(id(q.speaker)) if q.speaker is not None else None
        row = _quote_row(key, q, speakers[speaker].key if speaker is not None else None)
        quotes.append(QuoteRecord(row, speaker, pack(shingles(q.text))))
    a = article
    row = {"id": key, "doc_id": a.doc_id, "title": a.title, "url": a.url, "outlet": a.outlet,
           "published": a.published, "author": a.author, "text": a.text,
           "text_hash": digest, "source": a.source, "extractor_version": version,
           "quote_count": len(quotes)}
    return Prepared(key, row, speakers, quotes, paragraph_hashes(a.text))


def prepare_batch(batch: list[tuple[Article, str, str]], version: str) -> list[Prepared | Problem]:
    """``prepare`` over (article, id, text hash) triples; an extractor bug costs one article."""
    out: list[Prepared | Problem] = []
    for article, key, digest in batch:
        try:
            out.append(prepare(article, version, key, digest))
        except Exception as error:  # a bug must cost one article, not the run
            out.append(Problem(article.source, f"extractor failed ({type(error).__name__}: {error}), "
                                               "article skipped; please report this"))
    return out


def _surname(entity: Entity) -> str | None:
    return split_name(entity.name)[1] if entity.kind == PERSON else None


def _quote_row(article: str, q: ExtractedQuote, speaker_key: str | None) -> dict:
    return {
        "id": quote_id(article, q.start, q.end),
        "article_id": article, "text": q.text, "char_start": q.start,
        "char_end": q.end, "kind": q.kind, "cue": q.cue, "speaker_mention": q.speaker_mention,
        "mention_start": q.mention_start, "mention_end": q.mention_end, "rule": q.rule,
        "confidence": q.confidence, "via": q.via, "paragraph": q.paragraph,
        "speaker_key": speaker_key, "speaker_title": q.title,
    }


def _speaker_row(entity: Entity, organizations: list[str]) -> dict:
    facts = profile(entity, organizations)
    return {"name": entity.name, "kind": entity.kind, "title": entity.title,
            "rank": facts.rank, "role": facts.role, "organization": facts.organization}
