"""Article fields every reader fills the same way: content-hash ids and publication times."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def content_hash(text: str) -> str:
    """A stable id for text without one: sha1 of the whitespace-normalised text, 16 hex chars."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


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
