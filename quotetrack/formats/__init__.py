"""Input formats: what every reader yields, and the options they share.

One module per format (``text``, ``jsonl``, ``html``, ``warc``); ``quotetrack.ingest``
picks the reader for each input.  Readers stream and never raise on bad input:
they yield a ``Problem`` naming the file (and line or record) and go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

# Why an input was skipped.  Only errors are bad input (warnings, ``--strict``);
# the others are skipped by design and only counted.
ERROR = "error"
DUPLICATE = "duplicate"
NOT_ARTICLE = "not-article"  # a WARC record that is no news page: an image, a 404, a redirect, ...

# A lone surrogate (JSON's "\\ud800") is a str no UTF-8 codec will write: SQLite would fail the
# whole batch.  Replaced one for one by U+FFFD, as bad bytes are, so every offset still holds.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class Article:
    doc_id: str
    text: str
    source: str  # the file (and line or record) it came from, for messages
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        for each in fields(self):
            value = getattr(self, each.name)
            if isinstance(value, str) and _LONE_SURROGATE.search(value):
                setattr(self, each.name, _LONE_SURROGATE.sub("\ufffd", value))


@dataclass(slots=True)
class Problem:
    source: str
    message: str
    kind: str = ERROR

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True)
class Progress:
    """Bytes of input consumed, reported after each article or problem."""

    consumed: int


@dataclass(slots=True)
class ReadOptions:
    """Field names for JSON Lines exports whose articles use other names."""

    text_field: str | None = None
    id_field: str | None = None
