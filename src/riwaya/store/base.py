"""The store interface: what ingest, the CLI and the web app need from a database.

:class:`~riwaya.store.sqlite.SQLiteStore` is the default; :class:`~riwaya.store.postgres.PostgresStore`
(a server database) implements the same methods, with the same queries, and nothing else changes.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator
from typing import Any

from riwaya.errors import RiwayaError
from riwaya.model import Analysis, Article, StoryComparison
from riwaya.store.records import (
    ArticleRecord,
    EntityName,
    Follow,
    OutletCount,
    SignatureRow,
    StoryMember,
    StorySummary,
)


class DuplicateArticle(RiwayaError):
    """The article is already stored (same URL, or same content for an article without one)."""


class StoreWriteError(RiwayaError):
    """The store cannot be written (disk full, read-only file, locked): one line naming it."""


def _iso(when: Any) -> str | None:
    return when.isoformat() if when else None


class Store(abc.ABC):
    """Articles with their analyses, stories, stored comparisons, entities, follows and alerts."""

    # ------------------------------------------------------------------ writing (ingest)
    @abc.abstractmethod
    def find_duplicate(self, hash: str, url: str | None) -> str | None:
        """The id of the stored article with this URL, or (no URL) this content hash, if any."""

    @abc.abstractmethod
    def add_article(self, record: ArticleRecord, story: str, copy_of: str | None = None) -> str:
        """Store an article, its analysis and its story membership atomically; return its id.

        The story is created if new and marked for its findings to be recomputed once it holds
        two reports. ``copy_of`` names a stored article whose report this one carries (a copy:
        shown with it, counted once, never compared with it).
        """

    @abc.abstractmethod
    def story_signatures(self) -> Iterator[SignatureRow]:
        """Every article's story and signature, in ingest order."""

    @abc.abstractmethod
    def dirty_stories(self) -> list[str]:
        """Stories whose findings must be recomputed."""

    @abc.abstractmethod
    def story_analyses(self, story: str, copies: bool = False) -> list[Analysis]:
        """The analyses of a story's reports (with ``copies``, of every article), oldest first."""

    def story_copies(self, story: str) -> list[list[str]]:
        """A story's copies: per report carried by several articles, its id then theirs."""
        return []

    def story_members(self, story: str) -> list[StoryMember]:
        """A story's articles as light metadata (no analysis decoded), oldest first."""
        return [StoryMember(a.article.id, a.article.outlet, _iso(a.article.published))
                for a in self.story_analyses(story)]

    def article_analysis(self, article_id: str) -> Analysis | None:
        """One stored article's analysis, or None."""
        found = self.article_analyses([article_id])
        return found[0] if found else None

    def recent_articles(self, per_outlet: int) -> Iterator[tuple[str, Article]]:
        """Up to ``per_outlet`` of each outlet's latest stored articles, oldest first, with their
        outlet (an outlet's template is learned from them)."""
        return iter(())

    def article_analyses(self, ids: list[str]) -> list[Analysis]:
        """The analyses of these articles, in this order (unknown ids left out)."""
        wanted = set(ids)
        found = {a.article.id: a for s in {self.article_story(i) for i in ids} if s
                 for a in self.story_analyses(s) if a.article.id in wanted}
        return [found[i] for i in ids if i in found]

    @abc.abstractmethod
    def mark_dirty(self) -> int:
        """Mark every story for its findings to be recomputed; return how many were not."""

    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held by a process that adds articles or recomputes findings, so that two ingests
        into one store run one after the other (their story assignments would otherwise split
        stories). Default: no lock (a store that serialises writers itself)."""
        return contextlib.nullcontext()

    def version(self) -> object | None:
        """A value that changes whenever the stored data does (pages rendered from it may be
        kept until then); None: unknown, nothing is kept."""
        return None

    def reopen_spec(self) -> str | None:
        """Where another process can open this store read-only (None: it cannot)."""
        return None

    @abc.abstractmethod
    def save_comparison(
        self, story: str, comparison: StoryComparison, view: dict[str, Any], fingerprints: dict[str, str],
        page: dict[str, str] | None = None,
    ) -> set[str]:
        """Replace a story's stored findings (and the page part rendered from them, if given:
        :func:`riwaya.web.render.fragment`); return fingerprints that were not there before."""

    # ------------------------------------------------------------------ follows and alerts
    @abc.abstractmethod
    def follow(self, kind: str, target: str) -> None: ...

    @abc.abstractmethod
    def unfollow(self, kind: str, target: str) -> bool: ...

    @abc.abstractmethod
    def follows(self) -> list[Follow]: ...

    @abc.abstractmethod
    def record_alert(
        self, story: str, fingerprint: str, data: dict[str, Any], pending: list[str] | None = None
    ) -> int | None:
        """Remember an alert with the sinks it has still to reach; its id, or None if this one
        was raised before."""

    @abc.abstractmethod
    def pending_alerts(self) -> list[tuple[int, dict[str, Any], list[str]]]:
        """``(id, alert, sinks)`` of every alert some sink has not received yet, oldest first."""

    @abc.abstractmethod
    def alert_sent(self, alert_id: int, pending: list[str]) -> None:
        """Record which sinks an alert has still to reach (none: delivered)."""

    @abc.abstractmethod
    def story_entities(self, story: str) -> list[EntityName]:
        """The entities named in a story's articles, with each name they go by there."""

    # ------------------------------------------------------------------ reading (pages)
    @abc.abstractmethod
    def count(self) -> dict[str, int]:
        """Numbers of articles, stories, findings."""

    @abc.abstractmethod
    def list_stories(
        self,
        *,
        sort: str = "newest",
        since: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        exclude: list[str] | None = None,
        min_articles: int = 1,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StorySummary]: ...

    def count_stories(
        self,
        *,
        since: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        exclude: list[str] | None = None,
        min_articles: int = 1,
    ) -> int:
        """How many stories :meth:`list_stories` lists with these filters and no limit (so a page
        can say "30 of 212")."""
        return len(self.list_stories(since=since, entity=entity, outlet=outlet, exclude=exclude,
                                     min_articles=min_articles, limit=2**62))

    @abc.abstractmethod
    def story(self, story: str, *, fragment: bool = False) -> dict[str, Any] | None:
        """A story's stored comparison and view (summary row, findings, timeline, matrix); with
        ``fragment``, the stored page part (``"fragment"``) instead of the comparison and view
        where the store holds one (they are then left out: not decoded)."""

    @abc.abstractmethod
    def article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def article_story(self, article_id: str) -> str | None: ...

    @abc.abstractmethod
    def entity(self, entity: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def outlet(self, name: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def outlets(self) -> list[OutletCount]: ...

    @abc.abstractmethod
    def search(self, keys: list[str], limit: int = 50) -> list[Article]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
