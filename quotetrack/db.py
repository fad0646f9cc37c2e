"""The database: schema as data, one idempotent ``ensure_db_shape``, batched writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.utils import hash_record

from .extractor import Extraction
from .ingest import METADATA_FIELDS, Article
from .speakers import ANONYMOUS, GROUP, Entity

TABLES: dict[str, dict] = {
    "articles": {
        "columns": {
            "id": str, "doc_id": str, "title": str, "url": str, "outlet": str,
            "published": str, "author": str, "text": str, "text_hash": str,
            "source": str, "extractor_version": str, "quote_count": int,
        },
        "pk": "id",
        "not_null": {"doc_id", "text"},
    },
    "speakers": {
        "columns": {"id": str, "name": str, "kind": str, "title": str,
                    "quote_count": int, "article_count": int},
        "pk": "id",
        "not_null": {"name", "kind"},
    },
    "quotes": {
        "columns": {
            "id": str, "article_id": str, "speaker_id": str, "text": str,
            "char_start": int, "char_end": int, "kind": str, "cue": str,
            "speaker_mention": str, "mention_start": int, "mention_end": int,
            "rule": str, "confidence": float, "via": str, "paragraph": int,
        },
        "pk": "id",
        "not_null": {"article_id", "text", "char_start", "char_end", "kind"},
    },
    "runs": {
        "columns": {
            "id": int, "started": str, "finished": str, "extractor_version": str,
            "inputs": str, "articles_new": int, "articles_changed": int,
            "articles_unchanged": int, "skipped": int, "quotes": int,
        },
        "pk": "id",
        "not_null": set(),
    },
}
FOREIGN_KEYS = [
    ("quotes", "article_id", "articles", "id"),
    ("quotes", "speaker_id", "speakers", "id"),
]
INDEXES = [
    ("articles", ["doc_id"], True),
    ("quotes", ["article_id"], False),
    ("quotes", ["speaker_id"], False),
    ("speakers", ["name"], False),
]
FTS_CONFIG = {"quotes": ["text"]}
VIEWS = {
    "quotes_view": """
        select quotes.id, quotes.text as quote, speakers.name as speaker, speakers.kind as speaker_kind,
               quotes.kind, quotes.cue, quotes.via, quotes.confidence, quotes.rule,
               articles.title as article, articles.outlet, articles.published,
               quotes.article_id, quotes.speaker_id, quotes.char_start, quotes.char_end
        from quotes
        join articles on articles.id = quotes.article_id
        left join speakers on speakers.id = quotes.speaker_id
    """,
}


def ensure_db_shape(db: Database) -> None:
    """Create or complete every table, key, index, full-text index and view; safe to repeat."""
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], not_null=spec["not_null"])
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, column_type in missing.items():
                table.add_column(column, column_type)
    existing = {(fk.table, fk.column) for name in TABLES for fk in db[name].foreign_keys}
    wanted = [fk for fk in FOREIGN_KEYS if (fk[0], fk[1]) not in existing]
    if wanted:
        db.add_foreign_keys(wanted)
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique, if_not_exists=True)
    for table, columns in FTS_CONFIG.items():
        if not db[f"{table}_fts"].exists():
            db[table].enable_fts(columns, create_triggers=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def article_id(doc_id: str) -> str:
    return hash_record({"doc_id": doc_id})[:16]


def text_hash(text: str) -> str:
    return hash_record({"text": text})


def speaker_id(entity: Entity, article: str) -> str:
    """Named speakers are shared across articles; anonymous ones belong to their article."""
    key = {"kind": entity.kind, "name": entity.name.lower()}
    if entity.kind in (ANONYMOUS, GROUP):
        key["article"] = article
    return hash_record(key)[:16]


def stored_versions(db: Database, ids: list[str]) -> dict[str, tuple]:
    """(text_hash, extractor_version, *metadata) of the articles already stored, by id."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    sql = (f"select id, text_hash, extractor_version, {', '.join(METADATA_FIELDS)} "
           f"from articles where id in ({marks})")
    return {row[0]: tuple(row[1:]) for row in db.execute(sql, ids).fetchall()}


@dataclass(slots=True)
class Extracted:
    article: Article
    id: str
    text_hash: str
    extraction: Extraction


def write_batch(db: Database, batch: Iterable[Extracted], version: str) -> int:
    """Store a batch of extracted articles in one transaction, replacing their old quotes."""
    articles, speakers, quotes = [], {}, []
    for item in batch:
        a = item.article
        articles.append({
            "id": item.id, "doc_id": a.doc_id, "title": a.title, "url": a.url,
            "outlet": a.outlet, "published": a.published, "author": a.author, "text": a.text,
            "text_hash": item.text_hash, "source": a.source, "extractor_version": version,
            "quote_count": len(item.extraction.quotes),
        })
        ids = {}
        for entity in item.extraction.speakers:
            sid = speaker_id(entity, item.id)
            ids[id(entity)] = sid
            speakers[sid] = {"id": sid, "name": entity.name, "kind": entity.kind, "title": entity.title}
        for q in item.extraction.quotes:
            quotes.append({
                "id": hash_record({"article_id": item.id, "char_start": q.start, "char_end": q.end})[:16],
                "article_id": item.id,
                "speaker_id": ids.get(id(q.speaker)) if q.speaker is not None else None,
                "text": q.text, "char_start": q.start, "char_end": q.end, "kind": q.kind,
                "cue": q.cue, "speaker_mention": q.speaker_mention, "mention_start": q.mention_start,
                "mention_end": q.mention_end, "rule": q.rule, "confidence": q.confidence,
                "via": q.via, "paragraph": q.paragraph,
            })
    if not articles:
        return 0
    with db.conn:
        ids = [row["id"] for row in articles]
        marks = ",".join("?" for _ in ids)
        db.execute(f"delete from quotes where article_id in ({marks})", ids)
        db["articles"].upsert_all(articles, pk="id")
        if speakers:
            db["speakers"].upsert_all(_keep_titles(db, speakers), pk="id")
        if quotes:
            db["quotes"].insert_all(quotes, pk="id")
    return len(quotes)


def _keep_titles(db: Database, speakers: dict[str, dict]) -> list[dict]:
    """A speaker keeps the title it already has when this batch saw none."""
    rows = list(speakers.values())
    untitled = [row["id"] for row in rows if not row["title"]]
    if untitled:
        marks = ",".join("?" for _ in untitled)
        known = dict(db.execute(f"select id, title from speakers where id in ({marks})", untitled).fetchall())
        for row in rows:
            if not row["title"] and known.get(row["id"]):
                row["title"] = known[row["id"]]
    return rows


def refresh_counts(db: Database) -> None:
    """Recompute per-speaker counts and drop speakers left without quotes."""
    with db.conn:
        db.execute("delete from speakers where id not in "
                   "(select speaker_id from quotes where speaker_id is not null)")
        db.execute("""
            update speakers set
              quote_count = (select count(*) from quotes where quotes.speaker_id = speakers.id),
              article_count = (select count(distinct article_id) from quotes
                               where quotes.speaker_id = speakers.id)
        """)
