"""Ingest into a store: deduplicate, analyse (in worker processes), assign stories, store, recompute.

Each article is written with its analysis and story membership in one transaction, so a run
killed at any point leaves whole articles only, and running it again picks up where it stopped
(already stored articles are recognised by URL, or by content hash when they have none).
Findings are recomputed once per touched story at the end of each batch; stories left marked
dirty by a killed run are recomputed by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from riwaya.errors import RiwayaError
from riwaya.model import Analysis, Article, Story, StoryComparison
from riwaya.store.alerts import Alerts
from riwaya.store.base import Store
from riwaya.store.prepare import prepare
from riwaya.store.records import ArticleRecord, content_hash
from riwaya.store.sqlite import DuplicateArticle
from riwaya.store.views import build_view, fingerprint

log = logging.getLogger("riwaya.ingest")

# Larger stories are compared on their most recent articles, one per outlet first.
MAX_COMPARED = 24
# Stories whose analyses are loaded (and, with workers, compared in parallel) at once.
RECOMPUTE_CHUNK = 32


class StoryAssigner(Protocol):
    def add(self, article_id: str, signature: dict[str, Any], published: datetime | None) -> str: ...


Comparer = Callable[[str, list[Analysis]], StoryComparison]


@dataclass
class IngestSummary:
    new: int = 0
    duplicate: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    stories: set[str] = field(default_factory=set)  # touched
    recomputed: int = 0
    alerts: int = 0

    def line(self) -> str:
        return (
            f"{self.new} new, {self.duplicate} duplicate, {len(self.failed)} failed; "
            f"{len(self.stories)} stories touched, {self.recomputed} recomputed, {self.alerts} alerts"
        )


def default_assigner(store: Store) -> StoryAssigner:
    """The incremental story index, restored from the signatures already in the store."""
    try:
        from riwaya.compare.stories import StoryIndex
    except ImportError as exc:
        raise RiwayaError(f"story grouping (riwaya.compare.stories) is not available: {exc}") from None

    index = StoryIndex()
    restore = getattr(index, "restore", None)
    for article_id, story, signature, published in store.story_signatures():
        when = datetime.fromisoformat(published) if published else None
        if restore:
            restore(article_id, signature, when, story)
        else:
            index.add(article_id, signature, when)
    return index


def default_comparer(story: str, analyses: list[Analysis]) -> StoryComparison:
    """Compare one story's articles as the story index grouped them (no regrouping).

    A story of one article has nothing to compare: it gets no findings.
    """
    first = analyses[0].article
    label = (first.title or first.text.strip().split("\n", 1)[0])[:80]
    header = Story(story, [a.article.id for a in analyses], 1.0, label)
    if len(analyses) < 2:
        return StoryComparison(header, [], [])
    from riwaya.compare.compare import compare_story
    from riwaya.extract.entities import link_across

    link_across(analyses)
    return compare_story(header, analyses)


def compared_sample(analyses: list[Analysis], limit: int = MAX_COMPARED) -> list[Analysis]:
    """Up to ``limit`` articles of a story: the newest of each outlet first, then the newest."""
    if len(analyses) <= limit:
        return analyses
    newest = sorted(
        analyses, key=lambda a: a.article.published.isoformat() if a.article.published else "", reverse=True
    )
    chosen: dict[str, Analysis] = {}
    for a in newest:
        chosen.setdefault(a.article.source or a.article.id, a)
    picked = list(chosen.values())[:limit]
    ids = {a.article.id for a in picked}
    picked += [a for a in newest if a.article.id not in ids][: limit - len(picked)]
    return sorted(picked, key=lambda a: a.article.published.isoformat() if a.article.published else "")


class Ingester:
    """Feeds articles into a store; ``workers > 1`` analyses in a process pool."""

    def __init__(
        self,
        store: Store,
        *,
        workers: int = 1,
        batch: int = 500,
        assigner: StoryAssigner | None = None,
        comparer: Comparer | None = None,
        alerts: Alerts | None = None,
        preparer: Callable[[Article], ArticleRecord] = prepare,
        progress: Callable[[int], None] | None = None,
    ):
        self.store = store
        self.workers = workers
        self.batch = batch
        self._assigner = assigner
        self.comparer = comparer or default_comparer
        self.alerts = alerts
        self.preparer = preparer
        self.progress = progress or (lambda n: None)
        self._pool: Executor | None = None

    @property
    def assigner(self) -> StoryAssigner:
        if self._assigner is None:
            self._assigner = default_assigner(self.store)
        return self._assigner

    def __enter__(self) -> Ingester:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _map(self, articles: list[Article]) -> Iterator[ArticleRecord | BaseException]:
        if self.workers <= 1 or len(articles) < 4:
            for a in articles:
                try:
                    yield self.preparer(a)
                except Exception as exc:  # one bad article must not stop the batch
                    yield exc
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        futures = [
            self._pool.submit(_prepare_chunk, self.preparer, articles[i : i + 16])
            for i in range(0, len(articles), 16)
        ]
        for fut in futures:
            yield from fut.result()

    def ingest(
        self, articles: Iterable[Article | tuple[str, str]], summary: IngestSummary | None = None
    ) -> IngestSummary:
        """Store every new article; failures from readers arrive as ``(origin, reason)``."""
        summary = summary or IngestSummary()
        self.recompute(self.store.dirty_stories(), summary)  # left over by an interrupted run
        stream = iter(articles)
        while chunk := list(islice(stream, self.batch)):
            touched = self._ingest_batch(chunk, summary)
            self.recompute(sorted(touched), summary)
        return summary

    def _ingest_batch(self, chunk: list[Article | tuple[str, str]], summary: IngestSummary) -> set[str]:
        fresh: list[Article] = []
        seen: set[str] = set()  # URL, or content hash without one (as the store decides)
        for item in chunk:
            if isinstance(item, tuple):
                summary.failed.append(item)
                self.progress(1)
                continue
            h = content_hash(item.text)
            if (item.url or h) in seen or self.store.find_duplicate(h, item.url):
                summary.duplicate += 1
                self.progress(1)
                continue
            seen.add(item.url or h)
            fresh.append(item)
        touched: set[str] = set()
        for article, result in zip(fresh, self._map(fresh), strict=True):
            if isinstance(result, BaseException):
                summary.failed.append((article.origin or article.id, f"analysis failed: {result}"))
            else:
                story = self.assigner.add(result.article.id, result.signature, result.article.published)
                try:
                    self.store.add_article(result, story)
                except DuplicateArticle:
                    summary.duplicate += 1  # stored by a concurrent run meanwhile
                else:
                    summary.new += 1
                    touched.add(story)
            self.progress(1)
        summary.stories |= touched
        return touched

    def recompute(self, stories: Iterable[str], summary: IngestSummary | None = None) -> int:
        """Recompute and store the findings of each story (once each).

        With ``workers > 1`` stories of two articles or more are compared in the worker processes,
        :data:`RECOMPUTE_CHUNK` stories at a time; findings are stored here, one story at a time.
        """
        n = 0
        order = iter(dict.fromkeys(stories))
        while chunk := list(islice(order, RECOMPUTE_CHUNK)):
            work = []
            for story in chunk:
                every = self.store.story_analyses(story)
                if every:
                    work.append((story, len(every), compared_sample(every)))
            for (story, total, analyses), comparison in zip(work, self._compare(work), strict=True):
                if isinstance(comparison, BaseException):
                    log.warning("story %s: comparison failed (%s)", story, comparison)
                    continue
                prints = {f.id: fingerprint(f) for f in comparison.findings}
                view = build_view(comparison, analyses)
                view["n_articles"] = total
                new = self.store.save_comparison(story, comparison, view, prints)
                if self.alerts and new:
                    raised = self.alerts.check(self.store, story, comparison, analyses, new, prints)
                    if summary is not None:
                        summary.alerts += len(raised)
                n += 1
        if summary is not None:
            summary.recomputed += n
        return n

    def _compare(
        self, work: list[tuple[str, int, list[Analysis]]]
    ) -> Iterator[StoryComparison | BaseException]:
        pooled = self.workers > 1 and sum(len(a) > 1 for _, _, a in work) > 1
        if pooled and self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        results: list[Any] = []
        for story, _, analyses in work:
            if pooled and len(analyses) > 1:
                results.append(self._pool.submit(_compare_one, self.comparer, story, analyses))
            else:
                results.append(_compare_one(self.comparer, story, analyses))
        for r in results:
            yield r.result() if isinstance(r, Future) else r


def _compare_one(comparer: Comparer, story: str, analyses: list[Analysis]) -> StoryComparison | BaseException:
    try:
        return comparer(story, analyses)
    except Exception as exc:  # one story's failure must not stop the others
        return RuntimeError(str(exc) or type(exc).__name__)


def _prepare_chunk(
    preparer: Callable[[Article], ArticleRecord], articles: list[Article]
) -> list[ArticleRecord | BaseException]:
    out: list[ArticleRecord | BaseException] = []
    for a in articles:
        try:
            out.append(preparer(a))
        except Exception as exc:
            out.append(RuntimeError(str(exc) or type(exc).__name__))
    return out
