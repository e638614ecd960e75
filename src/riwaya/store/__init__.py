"""The workspace store: articles, analyses, stories and findings that accumulate over time.

``open_store(path)`` gives the default :class:`SQLiteStore`, ``open_store("postgresql://…")`` a
:class:`~riwaya.store.postgres.PostgresStore`; everything else talks to the abstract :class:`Store`.
"""

from __future__ import annotations

from pathlib import Path

from riwaya.store.base import DuplicateArticle, Store, StoreWriteError
from riwaya.store.postgres import is_url
from riwaya.store.records import ArticleRecord, StorySummary, text_hash
from riwaya.store.sqlite import SQLiteStore

DEFAULT_DB = "riwaya.db"

__all__ = [
    "DEFAULT_DB",
    "ArticleRecord",
    "DuplicateArticle",
    "SQLiteStore",
    "Store",
    "StoreWriteError",
    "StorySummary",
    "open_store",
    "text_hash",
]


def open_store(path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:
    """The store at ``path``: a SQLite file, or a ``postgresql://`` URL."""
    if is_url(path):
        from riwaya.store.postgres import PostgresStore

        return PostgresStore(str(path), read_only=read_only)
    return SQLiteStore(path, read_only=read_only)
