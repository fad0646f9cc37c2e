"""What the one writing process keeps between the batches of a run."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

from sqlite_utils import Database

Entry = TypeVar("Entry")


class RunCache(Generic[Entry]):
    """Entries by key, least recently used first, kept across the batches of a run; emptied
    when another connection has written (``pragma data_version``), since what they say of
    the database may then have changed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.version: int | None = None

    def check(self, db: Database) -> None:
        version = db.execute("pragma data_version").fetchone()[0]
        if version != self.version:
            self.entries.clear()
            self.version = version

    def clear(self) -> None:
        self.entries.clear()

    def get(self, key: str) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Keep ``entry``, forgetting the least recently used one beyond ``size`` entries."""
        self.entries[key] = entry
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
