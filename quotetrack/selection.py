"""Which rows a recomputation covers: all of them, given ids, or the ids queued in ``pending_refresh``.

The queue of a large run holds millions of ids: they are selected inside SQLite,
never read into Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable


def selection(ids: Iterable[str] | None = None, queued: str | None = None) -> tuple[str | None, dict]:
    """(SQL subquery of the ids or None for all, its parameters); ``queued``: a pending_refresh kind."""
    if queued:
        return "(select id from pending_refresh where kind = :queued)", {"queued": queued}
    if ids is None:
        return None, {}
    return "(select value from json_each(:ids))", {"ids": json.dumps(sorted(ids))}
