"""Article metadata in one shape whatever the source: ISO 8601 dates, bare domains, clean URLs."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOMAIN = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that say how a reader arrived, not which page it is.
_TRACKING = re.compile(r"(?i)^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|cmpid|ocid)$")
# Two defaults that differ in every field: a field that comes out different was not in the text.
_PROBE_DEFAULTS = (datetime(2001, 2, 3, 4, 5, 6), datetime(2002, 3, 4, 5, 6, 7))


def iso_date(value: str | None) -> str | None:
    """``value`` as ISO 8601: ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM:SS`` (with its offset, if
    given) when the time is known.  A value that is not a full date is kept as it was."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return text
    parsed = _parse(text)
    if parsed is None:
        return text
    moment, has_time = parsed
    if not has_time:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def _parse(text: str) -> tuple[datetime, bool] | None:
    has_clock = ":" in text
    try:  # ISO 8601 and its near forms ("2018-09-02 10:30:00", "...Z", "20180902"): most news data
        moment = datetime.fromisoformat(text)
        return moment, has_clock or "T" in text
    except ValueError:
        pass
    try:  # RFC 2822, as in RSS feeds and HTTP headers
        return parsedate_to_datetime(text), has_clock
    except (TypeError, ValueError, IndexError):
        pass
    from dateutil import parser

    try:
        first, second = (parser.parse(text, default=d) for d in _PROBE_DEFAULTS)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None  # "2024", "May 2024", "Monday": not a whole date
    return first, (first.hour, first.minute) == (second.hour, second.minute)


def normalize_url(value: str | None) -> str | None:
    """The URL with scheme and host in lower case, without default port, fragment and
    tracking parameters; anything that is not an absolute URL is kept as it was."""
    if value is None or not value.strip():
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if not parts.scheme or not parts.hostname:
        return url
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = f"{parts.netloc.rpartition('@')[0]}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme.lower(), host, parts.path, query, ""))


def domain_of(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``; None when it has no dotted host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return outlet_name(host) if host and "." in host else None


def outlet_name(value: str | None) -> str | None:
    """A site's name as given ("Fox News"); a domain or URL becomes its host without ``www.``."""
    if value is None or not value.strip():
        return None
    name = " ".join(value.split())
    if "://" in name:
        return domain_of(name) or name
    if _DOMAIN.fullmatch(name):
        name = name.lower()
        return name.removeprefix("www.")
    return name
