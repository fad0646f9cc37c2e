"""Plain helpers shared by test modules (conftest hands some to tests through its ``h`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database


def write_article(path: Path, content: str | bytes) -> Path:
    """Write an article file byte for byte (no newline translation), creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def write_jsonl(path: Path, lines: list[dict | str]) -> Path:
    """A JSON Lines file: dicts are dumped as JSON, strings are written as they are."""
    text = "".join((json.dumps(line, ensure_ascii=False) if isinstance(line, dict) else line) + "\n"
                   for line in lines)
    return write_article(path, text)


def speaker_of(db: Database, words: str) -> str | None:
    """The name of the speaker of the first quote containing ``words``."""
    row = db.execute("select speakers.name from quotes join speakers on speakers.id = quotes.speaker_id "
                     "where quotes.text like ?", [f"%{words}%"]).fetchone()
    return row[0] if row else None
