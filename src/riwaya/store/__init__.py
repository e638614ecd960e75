"""The workspace store: articles, analyses, stories and findings that accumulate over time.

``open_store(path)`` gives the default :class:`SQLiteStore`; everything else talks to the
abstract :class:`Store`.
"""

from __future__ import annotations

from pathlib import Path

from riwaya.store.base import Store
from riwaya.store.records import ArticleRecord, StorySummary, text_hash
from riwaya.store.sqlite import DuplicateArticle, SQLiteStore

DEFAULT_DB = "riwaya.db"

__all__ = [
    "DEFAULT_DB",
    "ArticleRecord",
    "DuplicateArticle",
    "SQLiteStore",
    "Store",
    "StorySummary",
    "open_store",
    "text_hash",
]


def open_store(path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:
    return SQLiteStore(path, read_only=read_only)
