"""Article fields every reader fills the same way: content-hash ids, publication times, and
titles and names without HTML character references."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def content_id(text: str) -> str:
    """A stable id for text without one: sha1 of the whitespace-normalised text, 16 hex chars."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


def clean_field(value: str | None) -> str | None:
    """A title, outlet or author name as a reader should show it: HTML character references
    decoded (``&#8220;`` → ``“``, twice for a feed that escaped them twice: ``&amp;#8220;``) and
    whitespace runs made one space; None when nothing is left. Exports of news sites put raw
    references in titles; the article text is never touched (it is kept exactly as published)."""
    if value is None:
        return None
    for _ in range(2):
        if "&" not in value or not _ENTITY.search(value):
            break
        value = html.unescape(value)
    value = " ".join(value.split())
    return value or None


# Publication times outside these years are taken for unknown: a news article cannot carry them,
# and a placeholder such as 0001-01-01 would break date arithmetic downstream.
FIRST_YEAR, LAST_YEAR = 1800, 2199


def plausible(when: datetime | None) -> datetime | None:
    """``when`` if an article could have been published then (years 1800–2199), else None."""
    if when is None or not FIRST_YEAR <= when.year <= LAST_YEAR:
        return None
    try:
        when.utcoffset()  # a tzinfo that cannot answer is as good as no date
    except Exception:
        return None
    return when


def parse_datetime(value: object) -> datetime | None:
    """A publication time from the corpus's ``2015-07-21 02:51:32``, ISO 8601 or RFC 822.

    Returns ``None`` for anything unparseable or implausible (see :func:`plausible`; the raw
    value is the caller's to keep).
    """
    return plausible(_parse(value))


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    try:
        return datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
