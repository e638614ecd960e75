"""What ingest hands a store for one article, ready to write in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from riwaya.model import Article


def text_hash(text: str) -> str:
    """The article's identity for deduplication: sha256 of its text exactly as published."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EntityRow(NamedTuple):
    """An entity as the store keeps it."""

    id: str
    type: str
    name_ar: str | None
    name_en: str | None
    subtype: str | None


class MentionRow(NamedTuple):
    """One name of an entity in an article: where it first occurs and how often."""

    entity: str
    text: str
    start: int
    end: int
    n: int


class SignatureRow(NamedTuple):
    """What the story index is rebuilt from, per stored article."""

    article: str
    story: str
    signature: dict[str, Any]
    time: str | None  # publication time, or for an undated article the time it was ingested
    copy_of: str | None = None  # the article whose report this one carries (a copy)


class StoryMember(NamedTuple):
    """A story's article as light metadata: what choosing the compared ones needs."""

    id: str
    outlet: str | None
    published: str | None  # ISO time


class Failure(NamedTuple):
    """An input or record that could not be read or analysed, and why."""

    origin: str
    reason: str


class Follow(NamedTuple):
    kind: str  # story | entity
    target: str


class OutletCount(NamedTuple):
    outlet: str
    articles: int


class EntityName(NamedTuple):
    entity: str
    text: str


@dataclass(slots=True)
class ArticleRecord:
    """One analysed article: the article, its encoded analysis and what the pages index."""

    article: Article
    hash: str
    analysis: bytes  # riwaya.store.codec.encode_analysis
    signature: dict[str, Any]  # riwaya.comparison.stories.story_signature
    keys: str = ""  # matching keys of title and text, space-separated, for full-text search
    sourcing: dict[str, int] = field(default_factory=dict)  # claims by ultimate source kind
    entities: list[EntityRow] = field(default_factory=list)
    mentions: list[MentionRow] = field(default_factory=list)
    # not stored: what the workspace reads of the article before storing it
    shingles: frozenset[int] | None = None  # its copy shingles (riwaya.comparison.copies)
    runs: frozenset[int] | None = None  # its word runs, counted to learn its outlet's template


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
    n_reports: int = 0  # articles with the copies of one report counted once
    n_contested: int = 0  # matters with a contradiction between two outlets or more
    last_activity: str | None = None  # latest publication (an undated article: when it was ingested)
    single_outlet: bool = False  # one outlet reports it: nothing is compared across outlets
