"""The pipeline: ingest → text → extract. Each stage is a function of data-model objects.

Stages run in order on one :class:`~riwaya.model.Analysis`; each fills the fields it owns
(entities and mentions, quotes, quantities, ...) and may read what earlier stages filled.
Nothing here does I/O.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from riwaya.extract import claims, cues, dates, entities, quantities, quotes
from riwaya.model import Analysis, Article
from riwaya.text import build_document

Stage = Callable[[Analysis], None]

# The extractors in the order they run; each module exposes ``annotate(analysis) -> None``.
# Entities first (quantities skip place names such as الخمس); dates before quantities, so a
# year or a date's day is not a count; claims last, gathering what the others found.
STAGES: list[Stage] = [entities.annotate, dates.annotate, quantities.annotate, cues.annotate,
                       quotes.annotate, claims.annotate]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: the stages make thousands of small objects and no
    reference cycles, which it would otherwise re-scan generation after generation."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


_frozen = False


def freeze_resources() -> None:
    """Once a process has analysed articles, and so loaded the lazy lexicons, gazetteers and
    models: move every object alive now out of the cyclic collector's generations
    (:func:`gc.freeze`), so that its later collections stop re-scanning them. Runs once a
    process (later calls do nothing), after a full collection so no garbage is frozen with them;
    does nothing while the caller keeps the collector disabled.

    Safe: frozen objects are still freed by reference counting when their last reference goes;
    only a reference cycle among objects alive at this moment would never be collected, a bounded,
    one-off cost. The collector stays enabled between batches, so the CLI, the web server and
    the ingest workers (:func:`analyze_many` in each) still collect their own garbage.
    """
    global _frozen
    if _frozen or not gc.isenabled():
        return
    _frozen = True
    gc.collect()
    gc.freeze()


def analyze_article(article: Article) -> Analysis:
    """Run the text layer and every extractor over one article."""
    with gc_paused():
        analysis = Analysis(document=build_document(article))
        for stage in STAGES:
            stage(analysis)
    return analysis


def analyze_many(articles: Sequence[Article]) -> list[Analysis]:
    """:func:`analyze_article` of each article (same results), the entities stage run on all of
    them at once (:func:`entities.annotate_many`: its tagger takes their sentences in one batch),
    and the claims' check-worthiness scored in one model batch (:func:`claims.annotate_many`)."""
    with gc_paused():
        analyses = [Analysis(document=build_document(a)) for a in articles]
        rest = STAGES
        if rest and rest[0] is entities.annotate:
            entities.annotate_many(analyses)
            rest = rest[1:]
        last = None
        if rest and rest[-1] is claims.annotate:  # check-worthiness: one model batch for all
            last, rest = claims.annotate_many, rest[:-1]
        for analysis in analyses:
            for stage in rest:
                stage(analysis)
        if last is not None:
            last(analyses)
    freeze_resources()
    return analyses


BATCH = 32  # articles analysed together by analyze_all


def analyze_all(articles: Iterable[Article]) -> Iterator[Analysis]:
    """:func:`analyze_article` of each article, lazily, :data:`BATCH` at a time (:func:`analyze_many`).

    Made for a run over many articles (``riwaya analyze``): each batch's analyses are frozen
    out of the cyclic collector (:func:`gc.freeze`) before it is enabled again, so it does not
    scan the tens of thousands of objects of the batch in hand, three generations deep, while
    the caller writes them out (0.5-0.7 CPU ms an article). They are freed by reference
    counting as usual; the stages make no reference cycles (a test checks that a batch leaves
    none), and a cycle made elsewhere meanwhile would only live as long as the process.
    """
    freeze = gc.isenabled()
    it = iter(articles)
    while chunk := list(islice(it, BATCH)):
        try:
            with gc_paused():
                batch = analyze_many(chunk)
                if freeze and _frozen:  # the first batch: freeze_resources collects first
                    gc.freeze()
            freeze_resources()
        except Exception:  # one bad article: redo the chunk one by one, so the others still come
            batch = None
        if batch is not None:
            yield from batch
        else:
            for article in chunk:
                yield analyze_article(article)
