"""What users decide about speakers: merges, splits and aliases.

Decisions live in the ``curated_keys`` table (natural key -> speaker) and in
user aliases, apart from what extraction said (``speaker_keys``), so that
re-extraction applies them again and a merge can always be undone.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlite_utils import Database

from . import statements
from .db import ensure_db_shape, transaction
from .identity import key_id, natural_key
from .speaker_counts import refresh_counts
from .speakers import Entity, read_name


class CurationError(Exception):
    """A request that cannot be carried out, in words for the user."""


def find_speaker(db: Database, name_or_id: str) -> dict:
    """A speaker by id, exact name, or alias; an ambiguous or unknown name is an error."""
    rows = db.execute("select id, name, kind from speakers where id = ?", [name_or_id]).fetchall()
    if not rows:
        rows = db.execute("select id, name, kind from speakers where lower(name) = lower(?)",
                          [name_or_id]).fetchall()
    if not rows:
        rows = db.execute("""select distinct speakers.id, speakers.name, speakers.kind from aliases
                             join speakers on speakers.id = aliases.speaker_id
                             where lower(aliases.alias) = lower(?)""", [name_or_id]).fetchall()
    if not rows:
        raise CurationError(f"no speaker called {name_or_id!r}")
    if len(rows) > 1:
        choices = ", ".join(f"{name} ({sid})" for sid, name, _ in rows)
        raise CurationError(f"{name_or_id!r} names several speakers: {choices}; use an id")
    sid, name, kind = rows[0]
    return {"id": sid, "name": name, "kind": kind}


def _regroup(db: Database, speaker_ids: list[str]) -> None:
    """Quotes that changed speaker join the statements of their new speaker."""
    marks = ",".join("?" for _ in speaker_ids)
    old = [row[0] for row in db.execute(
        f"select distinct statement_id from quotes where speaker_id in ({marks}) and statement_id is not null",
        speaker_ids)]
    db.execute(f"update quotes set statement_id = null where speaker_id in ({marks})", speaker_ids)
    statements.refresh(db, set(old) | statements.assign(db))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def merge(db: Database, keep: str, drops: list[str]) -> dict:
    """Move the quotes and aliases of ``drops`` onto ``keep``; remembered for later runs."""
    ensure_db_shape(db)
    target = find_speaker(db, keep)
    moved = 0
    left: set[str] = set()
    with transaction(db):
        for drop in drops:
            source = find_speaker(db, drop)
            if source["id"] == target["id"]:
                raise CurationError(f"{drop!r} is already {target['name']!r}")
            keys = _keys_of(db, source["id"])
            for key in keys:
                db.table("curated_keys").upsert({"key": key, "speaker_id": target["id"], "action": "merge",
                                           "created": _now()}, pk="key")
            moved += db.execute("update quotes set speaker_id = ? where speaker_id = ?",
                                [target["id"], source["id"]]).rowcount
            db.execute("update or ignore aliases set speaker_id = ? where speaker_id = ? and source = 'user'",
                       [target["id"], source["id"]])
            db.execute("delete from curated_keys where speaker_id = ?", [source["id"]])
            left.add(source["id"])
        _regroup(db, [target["id"]])
        refresh_counts(db, left | {target["id"]})
    return {"speaker": target["name"], "quotes_moved": moved}


def split(db: Database, speaker: str) -> dict:
    """Undo the merges into ``speaker``: each merged name gets its own speaker back."""
    ensure_db_shape(db)
    target = find_speaker(db, speaker)
    keys = [row[0] for row in db.execute(
        "select key from curated_keys where speaker_id = ? and action = 'merge'", [target["id"]]).fetchall()]
    if not keys:
        raise CurationError(f"nothing was merged into {target['name']!r}")
    restored = 0
    regrouped = [target["id"]]
    with transaction(db):
        for key in keys:
            db.execute("delete from curated_keys where key = ?", [key])
            natural = db.execute("select speaker_id, name, kind from speaker_keys where key = ?", [key]).fetchone()
            sid = natural[0] if natural else key_id(key)
            if sid == target["id"]:
                continue
            if natural:
                db.table("speakers").upsert({"id": sid, "name": natural[1], "kind": natural[2]}, pk="id")
            restored += db.execute("update quotes set speaker_id = ? where speaker_key = ?", [sid, key]).rowcount
            regrouped.append(sid)
        _regroup(db, regrouped)
        refresh_counts(db, regrouped)
    return {"speaker": target["name"], "quotes_restored": restored, "keys": len(keys)}


def add_aliases(db: Database, speaker: str, aliases: list[str]) -> dict:
    """Record names a speaker is known by; a name written that way later joins this speaker."""
    ensure_db_shape(db)
    target = find_speaker(db, speaker)
    left = {target["id"]}
    with transaction(db):
        for alias in aliases:
            db.table("aliases").upsert({"speaker_id": target["id"], "alias": alias, "count": 0, "source": "user"},
                                 pk=("speaker_id", "alias"))
            for key in _keys_for_alias(alias, target["kind"]):
                db.table("curated_keys").upsert({"key": key, "speaker_id": target["id"], "action": "alias",
                                           "created": _now()}, pk="key")
                left |= _move_key(db, key, target["id"])
        _regroup(db, [target["id"]])
        refresh_counts(db, left)
    return {"speaker": target["name"], "aliases": aliases}


def _keys_for_alias(alias: str, kind: str) -> list[str]:
    """The natural key a name would get from extraction ("Captain William Urban" -> william urban)."""
    if kind == "person":
        name = read_name(alias).name or alias
        return [] if " " not in name else [natural_key(Entity(name, kind), "")]
    return [natural_key(Entity(alias, kind), "")] if kind == "organization" else []


def _move_key(db: Database, key: str, speaker_id: str) -> set[str]:
    """Give the quotes of natural key ``key`` to ``speaker_id``; the speakers they had."""
    had = {row[0] for row in db.execute("select distinct speaker_id from quotes where speaker_key = ? "
                                        "and speaker_id is not null", [key])}
    db.execute("update quotes set speaker_id = ? where speaker_key = ?", [speaker_id, key])
    return had


def _keys_of(db: Database, speaker_id: str) -> list[str]:
    keys = {row[0] for row in db.execute("select key from speaker_keys where speaker_id = ?", [speaker_id])}
    keys |= {row[0] for row in db.execute("select key from curated_keys where speaker_id = ?", [speaker_id])}
    keys |= {row[0] for row in db.execute(
        "select distinct speaker_key from quotes where speaker_id = ? and speaker_key is not null", [speaker_id])}
    return sorted(keys)


def export_curation(db: Database, path: Path) -> int:
    """Write merges and aliases to a YAML file that ``import_curation`` reads back."""
    ensure_db_shape(db)
    names = dict(db.execute("select id, name from speakers").fetchall())
    entries = []
    for key, sid, action in db.execute("select key, speaker_id, action from curated_keys order by key"):
        if action == "merge":
            entries.append({"merge": key, "into": names.get(sid, sid), "speaker_id": sid})
    for sid, alias in db.execute("select speaker_id, alias from aliases where source = 'user' order by alias"):
        entries.append({"alias": alias, "of": names.get(sid, sid), "speaker_id": sid})
    path.write_text(yaml.safe_dump({"quotetrack_curation": 1, "decisions": entries}, allow_unicode=True,
                                   sort_keys=False), "utf-8")
    return len(entries)


def import_curation(db: Database, path: Path) -> int:
    """Apply a file written by ``export_curation`` (to this or another database)."""
    ensure_db_shape(db)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CurationError(f"{path}: cannot read curation ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise CurationError(f"{path}: not a quotetrack curation file")
    applied = 0
    for number, entry in enumerate(data["decisions"], start=1):
        if not isinstance(entry, dict):
            raise CurationError(f"{path}: decision {number} is not a mapping")
        if "merge" in entry:
            target = _target(db, entry)
            with transaction(db):
                db.table("curated_keys").upsert({"key": entry["merge"], "speaker_id": target, "action": "merge",
                                           "created": _now()}, pk="key")
                left = _move_key(db, entry["merge"], target)
                _regroup(db, [target])
                refresh_counts(db, left | {target})
        elif "alias" in entry:
            add_aliases(db, _target(db, entry), [entry["alias"]])
        else:
            raise CurationError(f"{path}: decision {number} is neither a merge nor an alias")
        applied += 1
    return applied


def _target(db: Database, entry: dict) -> str:
    sid = entry.get("speaker_id")
    if sid and db.execute("select 1 from speakers where id = ?", [sid]).fetchone():
        return sid
    return find_speaker(db, str(entry.get("into") or entry.get("of")))["id"]
