"""Ingest into a store: deduplicate, analyse (in worker processes), assign stories, store; then
recompute the findings of the stories that changed, once each.

Each article is written with its analysis and story membership in one transaction, so a run
killed at any point leaves whole articles only, and running it again picks up where it stopped
(already stored articles are recognised by URL, or by content hash when they have none). Storing
marks the article's story dirty; the findings of dirty stories are recomputed once per story when
the articles are all in (in parallel over the workers), not after every batch, so a story that
gains a hundred articles in a run is compared once. Stories left dirty by an interrupted run, or
by ``findings=False``, are recomputed by the next run (or ``riwaya recompute``).

Ctrl-C (SIGINT) stops a run between two articles: the article being written is finished or
rolled back, workers are stopped, and :class:`Interrupted` carries the summary so far.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from riwaya.comparison.copies import CopyIndex, decode_minhash, minhash, shingles
from riwaya.errors import RiwayaError
from riwaya.ingest.fields import plausible
from riwaya.model import Analysis, Article, Story, StoryComparison, story_label, to_dict
from riwaya.store.base import DuplicateArticle, Store
from riwaya.store.records import ArticleRecord, Failure, text_hash
from riwaya.text.templates import TemplateBook
from riwaya.workspace.alerts import Alerts
from riwaya.workspace.prepare import Known, prepare, prepare_many
from riwaya.workspace.sample import MAX_COMPARED, Member, pick_compared, story_sample
from riwaya.workspace.views import build_view, fingerprint

log = logging.getLogger("riwaya.ingest")

ANALYSIS_CHUNK = 16  # articles per worker task (analysed together: the tagger batches them)
FINDINGS_CHUNK = 4  # stories per worker task
IN_FLIGHT = 4  # worker tasks queued per worker


class StoryAssigner(Protocol):
    def add(self, article_id: str, signature: dict[str, Any], published: datetime | None) -> str: ...


Comparer = Callable[[str, list[Analysis]], StoryComparison]


class Findings(NamedTuple):
    """What a worker sends back for one story."""

    n_articles: int  # in the story (more than were compared in a large one)
    comparison: StoryComparison
    view: dict[str, Any]  # the page's layout: timeline, matrix (riwaya.workspace.views)
    fingerprints: dict[str, str]  # finding id -> fingerprint, to tell new findings from old
    articles: list[Article] | None  # the compared articles, when alerts need them
    page: dict[str, str] | None = None  # the story page's comparison part, rendered (web.render)


@dataclass
class IngestSummary:
    new: int = 0
    duplicate: int = 0
    failed: list[Failure] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)  # touched
    recomputed: int = 0
    copies: int = 0  # new articles that carry a report stored before (stored, counted once)
    alerts: int = 0
    alerts_pending: int = 0  # alerts some sink has not received (sent again by the next run)
    store_seconds: float = 0.0  # analysis, story assignment and storage
    grouping_seconds: float = 0.0  # ... of which copies and story assignment (in the main process)
    findings_seconds: float = 0.0  # the end-of-run recompute

    def line(self) -> str:
        stories = f"{len(self.stories)} {'story' if len(self.stories) == 1 else 'stories'}"
        alerts = f"{self.alerts} alert{'s' * (self.alerts != 1)}"
        copies = f" ({self.copies} of the new carry a report stored before)" if self.copies else ""
        return (
            f"{self.new} new, {self.duplicate} duplicate, {len(self.failed)} failed{copies}; "
            f"{stories} touched, {self.recomputed} recomputed, {alerts}"
            + (f" ({self.alerts_pending} not delivered: sent again by the next run)"
               if self.alerts_pending else "")
        )


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM: ``signum``) stopped the run; every article stored so far is whole
    (``summary`` says how many)."""

    def __init__(self, summary: IngestSummary, signum: int = int(signal.SIGINT)):
        super().__init__("interrupted")
        self.summary = summary
        self.signum: int = signum


def unstorable(article: Article) -> str | None:
    """Why an article (made through the Python API: the readers refuse these) cannot be stored:
    text that is not Unicode (a lone surrogate), or meta that is not JSON; None if it can be."""
    try:
        for name in ("id", "text", "title", "source", "url", "author", "credits", "language", "origin"):
            value = getattr(article, name)
            if value is not None:
                if not isinstance(value, str):
                    return f"{name} is not text"
                value.encode("utf-8")
        json.dumps(to_dict(article.meta), ensure_ascii=False, allow_nan=True).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone surrogate ({exc.object[exc.start:exc.end]!a}) is not valid Unicode"
    except (TypeError, ValueError, RecursionError) as exc:
        return f"meta is not JSON ({type(exc).__name__}: {str(exc)[:80]})"
    return None


def default_assigner(store: Store) -> StoryAssigner:
    """The incremental story index, restored from the signatures already in the store."""
    return _restore(store, True).assigner or _no_grouping()


_DEFAULT_ASSIGNER = default_assigner


def _no_grouping() -> StoryAssigner:
    raise RiwayaError("story grouping (riwaya.comparison.stories) is not available")


@dataclass
class Memory:
    """What a run knows of the store before adding to it: the story index (unless one was given),
    the copies index (every stored article's MinHash; which report each copy carries) and each
    outlet's recent word runs (its template)."""

    assigner: StoryAssigner | None
    copies: CopyIndex
    reports: dict[str, str]  # copy -> the article whose report it carries
    templates: TemplateBook


def _restore(store: Store, index: bool) -> Memory:
    """Rebuild the run's memory from the store (the story index too when ``index``)."""
    from riwaya.comparison.copies import decode_minhash
    from riwaya.text import build_document, templates

    assigner: Any = None
    if index:
        try:
            from riwaya.comparison.stories import StoryIndex
        except ImportError as exc:
            raise RiwayaError(f"story grouping (riwaya.comparison.stories) is not available: {exc}") from None
        assigner = StoryIndex()
    copies = CopyIndex(shingles_of=lambda aid: _stored_shingles(store, str(aid)))
    reports: dict[str, str] = {}
    for row in store.story_signatures():
        if row.copy_of:
            reports[row.article] = row.copy_of
        elif assigner is not None:
            when = datetime.fromisoformat(row.time) if row.time else None
            assigner.restore(row.article, row.signature, when, row.story)
        mh = row.signature.get("minhash")
        values = decode_minhash(mh) if isinstance(mh, str) else None
        if values is not None:
            copies.add(row.article, values)
    book = TemplateBook()
    for outlet, article in store.recent_articles(book.window):
        book.add(outlet, templates.grams(build_document(article)))
    return Memory(assigner, copies, reports, book)


def _stored_shingles(store: Store, article_id: str) -> frozenset[int] | None:
    analysis = store.article_analysis(article_id)
    return None if analysis is None else shingles(analysis)


def default_comparer(story: str, analyses: list[Analysis]) -> StoryComparison:
    """Compare one story's articles as the story index grouped them (no regrouping).

    A story of one article has nothing to compare: it gets no findings.
    """
    label = story_label([a.article for a in analyses])
    header = Story(story, [a.article.id for a in analyses], 1.0, label)
    if len(analyses) < 2:
        return StoryComparison(header, [], [])
    from riwaya.comparison.compare import compare_story
    from riwaya.extract.entities import link_across

    link_across(analyses)
    return compare_story(header, analyses)


def compared_sample(analyses: list[Analysis], limit: int = MAX_COMPARED) -> list[Analysis]:
    """Up to ``limit`` articles of a story: the newest of each outlet first, then the newest."""
    members = [
        Member(a.article.id, a.article.outlet,
               a.article.published.isoformat() if a.article.published else None)
        for a in analyses
    ]
    keep = pick_compared(members, limit)
    by_id = {a.article.id: a for a in analyses}
    return [by_id[i] for i in keep]


class Ingester:
    """Feeds articles into a store; ``workers > 1`` analyses and compares in a process pool.

    ``batch`` bounds how many articles are read ahead of the one being stored; ``findings=False``
    leaves touched stories dirty (recompute them later with :meth:`recompute_dirty`).
    ``progress(n)`` is called as articles (then stories) are done, ``phase(name, total)`` when the
    run moves on to ``"findings"``.
    """

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
        phase: Callable[[str, int | None], None] | None = None,
        findings: bool = True,
    ):
        self.store = store
        self.workers = workers
        self.batch = batch
        self._assigner = assigner
        self._own_assigner = False  # built here from the store (and dropped while comparing)
        self.comparer = comparer or default_comparer
        self.alerts = alerts
        self.preparer = preparer
        self.progress = progress or (lambda n: None)
        self.phase = phase or (lambda name, total: None)
        self.findings = findings
        self._pool: ProcessPoolExecutor | None = None
        self._writing = False  # a SIGINT waits for the article being written
        self._stop = False
        self._known = 0  # articles in the store when the memory was built, plus those added
        self._memory: Memory | None = None

    @property
    def memory(self) -> Memory:
        """The run's memory of the store (story index, copies, outlet templates), built when first
        needed."""
        if self._memory is None:
            own = self._assigner is None
            # the built-in assigner is restored in the same pass over the store as the rest
            memory = _restore(self.store, own and default_assigner is _DEFAULT_ASSIGNER)
            if own and memory.assigner is None:
                memory.assigner = default_assigner(self.store)
            self._memory = memory
            if own:
                self._own_assigner = True
            self._known = self.store.count()["articles"]
        return self._memory

    @property
    def assigner(self) -> StoryAssigner:
        if self._assigner is None:
            assigner = self.memory.assigner
            assert assigner is not None
            self._assigner = assigner
        return self._assigner

    def _refresh_assigner(self) -> None:
        """Drop the memory built here if another process stored articles since (between two
        polls of ``--watch``): it is rebuilt from the store when next needed."""
        if self._memory is not None and self.store.count()["articles"] != self._known:
            self._memory = None
            if self._own_assigner:
                self._assigner = None

    def __enter__(self) -> Ingester:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _kill_pool(self) -> None:
        """Stop the workers now (an interrupted run does not wait for their tasks)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.terminate()
        for p in processes:
            p.join(timeout=5)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_worker_init, initargs=(os.getpid(),))
        return self._pool

    # ------------------------------------------------------------------ the run
    def ingest(
        self, articles: Iterable[Article | tuple[str, str]], summary: IngestSummary | None = None
    ) -> IngestSummary:
        """Store every new article (failures from readers arrive as ``(origin, reason)``), then
        recompute the findings of every dirty story (unless ``findings=False``).

        Raises :class:`Interrupted` on Ctrl-C.
        """
        summary = summary or IngestSummary()
        with self._interruptible(summary), self.store.writer_lock():
            self._refresh_assigner()
            if self.alerts is not None:  # what an earlier run could not deliver goes first
                summary.alerts += self.alerts.retry(self.store)[0]
            start = time.perf_counter()
            try:
                self._store_all(articles, summary)
            finally:
                summary.store_seconds += time.perf_counter() - start
            if self.findings:
                self.close()  # fresh workers compare: the analysis models are not carried along
                if self._memory is not None:  # rebuilt from the store when next needed
                    self._memory = None
                    if self._own_assigner:
                        self._assigner = None
                    _release_memory()  # before the findings workers are forked from this process
                self.recompute_dirty(summary)
            if self.alerts is not None:
                summary.alerts_pending = len(self.store.pending_alerts())
        return summary

    def recompute_dirty(self, summary: IngestSummary | None = None) -> int:
        """Recompute the findings of every story marked dirty, once each (:class:`Interrupted`
        on Ctrl-C: the stories not done yet stay marked)."""
        summary = summary if summary is not None else IngestSummary()
        start = time.perf_counter()
        try:
            with self._interruptible(summary), self.store.writer_lock():
                return self.recompute(self.store.dirty_stories(), summary)
        finally:
            summary.findings_seconds += time.perf_counter() - start

    @contextlib.contextmanager
    def _interruptible(self, summary: IngestSummary) -> Iterator[None]:
        """SIGINT and SIGTERM raise between articles, never inside a write; workers are stopped."""
        self._stop = False
        self._signal: int = int(signal.SIGINT)
        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():

            def on_signal(signum: int, frame: Any) -> None:
                self._stop = True
                self._signal = signum
                if not self._writing:
                    raise KeyboardInterrupt

            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, on_signal)
        try:
            yield
        except KeyboardInterrupt:
            self._kill_pool()
            raise Interrupted(summary, self._signal) from None
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _checkpoint(self) -> None:
        if self._stop:
            raise KeyboardInterrupt

    # ------------------------------------------------------------------ articles
    def _store_all(self, articles: Iterable[Article | tuple[str, str]], summary: IngestSummary) -> None:
        for article, result in self._analysed(articles, summary):
            if isinstance(result, BaseException):
                summary.failed.append(Failure(article.origin or article.id, f"analysis failed: {result}"))
            else:
                grouping = time.perf_counter()
                try:
                    copy_of, values = self._copy_of(result)
                    story = self.store.article_story(copy_of) if copy_of else None
                    if story is None:
                        # an undated article is placed in time by its arrival: it joins the stories of
                        # its own days, never one from years before that it merely resembles
                        when = result.article.published or datetime.now(UTC)
                        story = self.assigner.add(result.article.id, result.signature, when)
                        copy_of = None
                except Exception as exc:  # one article the index cannot place must not stop the run
                    summary.failed.append(
                        Failure(article.origin or article.id, f"story grouping failed: {exc}"))
                    self.progress(1)
                    self._checkpoint()
                    continue
                finally:
                    summary.grouping_seconds += time.perf_counter() - grouping
                self._writing = True
                try:
                    stored = self.store.add_article(result, story, copy_of=copy_of)
                except DuplicateArticle:
                    summary.duplicate += 1  # stored by a concurrent run meanwhile
                else:
                    summary.new += 1
                    summary.copies += copy_of is not None
                    self._known += 1
                    summary.stories.add(story)
                    self._remember(stored, result, copy_of, values)
                finally:
                    self._writing = False
            self.progress(1)
            self._checkpoint()

    def _copy_of(self, record: ArticleRecord) -> tuple[str | None, Any]:
        """The report (its first article) a new article copies, if any, and its MinHash."""
        if record.shingles is None:
            return None, None
        mh = record.signature.get("minhash")
        values = decode_minhash(mh) if isinstance(mh, str) else None
        if values is None:
            values = minhash(record.shingles)
        found = self.memory.copies.find(record.shingles, values)
        if not found:
            return None, values
        first = str(found[0])
        return self.memory.reports.get(first, first), values

    def _remember(self, article_id: str, record: ArticleRecord, copy_of: str | None, values: Any) -> None:
        """What later articles of the run are judged against: copies and the outlet's template."""
        memory = self.memory
        if values is not None and record.shingles is not None:
            memory.copies.add(article_id, values, record.shingles)
        if copy_of is not None:
            memory.reports[article_id] = copy_of
        if record.runs is not None:
            memory.templates.add(record.article.outlet, record.runs)

    def _analysed(
        self, articles: Iterable[Article | tuple[str, str]], summary: IngestSummary
    ) -> Iterator[tuple[Article, ArticleRecord | BaseException]]:
        """New articles with their records (or the error), in input order; worker tasks run ahead."""
        pooled = self.workers > 1
        chunk = ANALYSIS_CHUNK if pooled else 1
        ahead = max(1, min(IN_FLIGHT * self.workers, self.batch // chunk)) if pooled else 1
        pending: deque[tuple[list[Article], Any]] = deque()
        seen: set[str] = set()  # URL, or content hash without one (as the store decides)
        buf: list[Article] = []
        for item in articles:
            if isinstance(item, tuple):
                summary.failed.append(Failure(*item))
                self.progress(1)
                continue
            problem = unstorable(item)
            if problem:
                summary.failed.append(Failure(item.origin or item.id, f"not storable: {problem}"))
                self.progress(1)
                continue
            item.published = plausible(item.published)  # a placeholder date is no date
            h = text_hash(item.text)
            if (item.url or h) in seen or self.store.find_duplicate(h, item.url):
                summary.duplicate += 1
                self.progress(1)
                continue
            seen.add(item.url or h)
            buf.append(item)
            if len(buf) >= chunk:
                pending.append((buf, self._submit(buf, pooled)))
                buf = []
                while len(pending) >= ahead:
                    yield from self._collect(*pending.popleft())
        if buf:
            pending.append((buf, self._submit(buf, pooled)))
        while pending:
            yield from self._collect(*pending.popleft())

    def _submit(self, articles: list[Article], pooled: bool) -> Any:
        known = None
        if self.preparer is prepare:  # each outlet's template as far as the run knows it
            known = self.memory.templates.known({a.outlet for a in articles}, len(articles))
        if pooled:
            return self._workers().submit(_prepare_chunk, self.preparer, articles, known)
        return _prepare_chunk(self.preparer, articles, known)

    def _collect(
        self, articles: list[Article], pending: Any
    ) -> Iterator[tuple[Article, ArticleRecord | BaseException]]:
        if isinstance(pending, Future):
            try:
                results = pending.result()
            except Exception as exc:  # a worker died (out of memory, killed): these articles fail
                results = [RuntimeError(f"worker failed: {exc}")] * len(articles)
        else:
            results = pending
        yield from zip(articles, results, strict=True)

    # ------------------------------------------------------------------ findings
    def recompute(self, stories: Iterable[str], summary: IngestSummary | None = None) -> int:
        """Recompute and store the findings of each story (once each).

        With ``workers > 1`` the workers load, compare and lay out the stories themselves (reading
        the store), :data:`FINDINGS_CHUNK` stories a task; findings are stored here.
        """
        order = list(dict.fromkeys(stories))
        self.phase("findings", len(order))
        n = 0
        for story, result in self._story_findings(order):
            if isinstance(result, BaseException):
                log.warning("story %s: comparison failed (%s)", story, result)
            elif result is not None:
                comparison, prints = result.comparison, result.fingerprints
                self._writing = True
                try:
                    new = self.store.save_comparison(story, comparison, result.view, prints, result.page)
                    n += 1
                    if summary is not None:  # counted as it goes: an interrupted run reports it
                        summary.recomputed += 1
                    if self.alerts and new:
                        raised = self.alerts.check(self.store, story, comparison, result.articles or [], new,
                                                   prints)
                        if summary is not None:
                            summary.alerts += len(raised)
                finally:
                    self._writing = False
            self.progress(1)
            self._checkpoint()
        return n

    def _story_findings(self, stories: list[str]) -> Iterator[tuple[str, Findings | BaseException | None]]:
        spec = self.store.reopen_spec()
        with_articles = self.alerts is not None
        if self.workers <= 1 or spec is None or len(stories) < 2:
            for story in stories:
                yield story, _findings_of(self.store, self.comparer, story, with_articles)
            return
        pending: deque[tuple[list[str], Future]] = deque()
        for i in range(0, len(stories), FINDINGS_CHUNK):
            part = stories[i : i + FINDINGS_CHUNK]
            pending.append(
                (part, self._workers().submit(_findings_chunk, self.comparer, spec, part, with_articles))
            )
            while len(pending) >= IN_FLIGHT * self.workers:
                yield from self._collect_findings(*pending.popleft())
        while pending:
            yield from self._collect_findings(*pending.popleft())

    @staticmethod
    def _collect_findings(
        stories: list[str], pending: Future
    ) -> Iterator[tuple[str, Findings | BaseException | None]]:
        try:
            yield from pending.result()
        except Exception as exc:
            for story in stories:
                yield story, RuntimeError(f"worker failed: {exc}")


def _release_memory() -> None:
    """Collect what was let go and hand freed heap pages back to the OS (glibc ``malloc_trim``),
    so the main process, and the workers forked from it, stop counting a dropped story index."""
    import gc

    gc.collect()
    _malloc_trim()


def _malloc_trim() -> None:
    """glibc's ``malloc_trim``: free heap pages back to the OS (a no-op without glibc)."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.malloc_trim(0)


@functools.cache
def _libc() -> Any:
    """The C library, found once (``find_library`` runs ``ldconfig``), or None."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


# --------------------------------------------------------------------------- in worker processes
def _worker_init(parent: int) -> None:
    """Workers leave Ctrl-C to the main process, which stops them, and never outlive it: on
    Linux the kernel kills them when it dies (even by ``kill -9``); elsewhere, and as a second
    line, a thread watches for the parent to be gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, forked with us
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # died before we could ask
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="riwaya-parent-watch").start()


_PR_SET_PDEATHSIG = 1


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _prepare_chunk(
    preparer: Callable[[Article], ArticleRecord], articles: list[Article], known: Known | None = None
) -> list[ArticleRecord | BaseException]:
    global _chunks
    _chunks += 1
    if _chunks % TRIM_EVERY == 0:  # the analysis churns through small objects: give freed pages back
        _malloc_trim()
    return _prepare(preparer, articles, known)


TRIM_EVERY = 16  # chunks a process analyses between two heap trims (about 250 articles)
_chunks = 0


def _prepare(
    preparer: Callable[[Article], ArticleRecord], articles: list[Article], known: Known | None
) -> list[ArticleRecord | BaseException]:
    def one(article: Article) -> ArticleRecord:
        return prepare_many([article], known)[0] if preparer is prepare else preparer(article)

    if preparer is prepare and len(articles) > 1:
        try:
            return list(prepare_many(articles, known))
        except Exception:  # one bad article: redo them one by one below
            pass
    out: list[ArticleRecord | BaseException] = []
    for a in articles:
        try:
            out.append(one(a))
        except Exception as exc:  # one bad article must not stop the others
            out.append(RuntimeError(str(exc) or type(exc).__name__))
    return out


def _findings_of(
    store: Store, comparer: Comparer, story: str, with_articles: bool
) -> Findings | BaseException | None:
    """Load a story's compared sample, compare it and lay out its page (None: no articles)."""
    try:
        analyses, total = story_sample(store, story, MAX_COMPARED)
        if not analyses:
            return None
        comparison = comparer(story, analyses)
        prints = {f.id: fingerprint(f) for f in comparison.findings}
        view = build_view(comparison, analyses)
        view["n_articles"] = total
        articles = [a.article for a in analyses] if with_articles else None
        return Findings(total, comparison, view, prints, articles, _page(story, comparison, view))
    except Exception as exc:  # one story's failure must not stop the others
        return RuntimeError(str(exc) or type(exc).__name__)


def _page(story: str, comparison: StoryComparison, view: dict[str, Any]) -> dict[str, str] | None:
    """The story page's comparison part rendered here, from the data as the store gives it back,
    so that pages show it as it is (None if it cannot be: pages then render it themselves)."""
    try:
        from riwaya.store.codec import plain
        from riwaya.web.render import fragment

        stored = json.loads(json.dumps({"comparison": plain(comparison), "view": view}, ensure_ascii=False))
        return fragment(stored["comparison"], stored["view"])
    except Exception as exc:  # the findings stand without it
        log.warning("story %s: page not rendered (%s)", story, exc)
        return None


_READERS: dict[str, Store] = {}


def _findings_chunk(
    comparer: Comparer, spec: str, stories: list[str], with_articles: bool
) -> list[tuple[str, Findings | BaseException | None]]:
    store = _READERS.get(spec)
    if store is None:
        from riwaya.store import open_store

        store = _READERS[spec] = open_store(spec, read_only=True)
    return [(story, _findings_of(store, comparer, story, with_articles)) for story in stories]
