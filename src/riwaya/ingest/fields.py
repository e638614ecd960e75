"""Article fields every reader fills the same way: content-hash ids and publication times."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def content_hash(text: str) -> str:
    """A stable id for text without one: sha1 of the whitespace-normalised text, 16 hex chars."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def parse_datetime(value: object) -> datetime | None:
    """A publication time from the corpus's ``2015-07-21 02:51:32``, ISO 8601 or RFC 822.

    Returns ``None`` for anything unparseable (the raw value is the caller's to keep).
    """
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
    except (TypeError, ValueError, IndexError):
        return None
