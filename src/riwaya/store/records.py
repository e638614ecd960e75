"""What ingest hands a store for one article, ready to write in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from riwaya.model import Article


def content_hash(text: str) -> str:
    """The article's identity for deduplication: sha256 of its text exactly as published."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ArticleRecord:
    """One analysed article: the article, its encoded analysis and what the pages index."""

    article: Article
    hash: str
    analysis: bytes  # riwaya.store.codec.encode_analysis
    signature: dict[str, Any]  # riwaya.compare.stories.story_signature
    keys: str = ""  # matching keys of title and text, space-separated, for full-text search
    sourcing: dict[str, int] = field(default_factory=dict)  # claims by ultimate source kind
    entities: list[tuple[str, str, str | None, str | None, str | None]] = field(default_factory=list)
    mentions: list[tuple[str, str, int, int, int]] = field(
        default_factory=list
    )  # entity, text, start, end, n


@dataclass(slots=True)
class StorySummary:
    """A story's row in the list: what the story list and ``riwaya stories`` show."""

    id: str
    label: str
    n_articles: int
    n_outlets: int
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    counts: dict[str, int]
    n_contradictions: int
    confidence: float = 1.0
    dirty: bool = False
