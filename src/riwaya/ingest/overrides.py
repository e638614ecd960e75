"""Command-line overrides of article metadata: ``--source NAME``, ``--published [ID=]DATE``."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from riwaya.errors import RiwayaError
from riwaya.ingest.fields import parse_datetime
from riwaya.model import Article


class Overrides:
    """Metadata to fill in: an outlet for articles without one, publication times by article
    (``ID=DATE``, matched on the id, the origin, or the file's name or stem) or for all
    articles without one (``DATE``)."""

    def __init__(self, source: str | None = None, published: list[str] | None = None):
        self.source = source
        self.default: datetime | None = None
        self.by_key: dict[str, datetime] = {}
        for value in published or []:
            key, sep, date = value.rpartition("=") if "=" in value else ("", "", value)
            when = parse_datetime(date)
            if when is None:
                raise RiwayaError(f"--published {value}: not a date (use YYYY-MM-DD, ISO 8601 or "
                                  "RFC 822, optionally after ID=)")
            if sep:
                self.by_key[key] = when
            else:
                self.default = when

    def __bool__(self) -> bool:
        return bool(self.source or self.default or self.by_key)

    def apply(self, article: Article) -> Article:
        if self.source and not article.source:
            article.source = self.source
        if self.by_key:
            for key in _keys(article):
                if key in self.by_key:
                    article.published = self.by_key[key]
                    return article
        if self.default and not article.published:
            article.published = self.default
        return article


def _keys(article: Article) -> list[str]:
    keys = [article.id]
    if article.origin:
        keys.append(article.origin)
        path = PurePath(article.origin.split(":", 1)[0] if ":" in article.origin else article.origin)
        keys += [path.name, path.stem]
    return keys
