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


def analyze_article(article: Article) -> Analysis:
    """Run the text layer and every extractor over one article."""
    analysis = Analysis(document=build_document(article))
    with gc_paused():
        for stage in STAGES:
            stage(analysis)
    return analysis


def analyze_many(articles: Sequence[Article]) -> list[Analysis]:
    """:func:`analyze_article` of each article (same results), the entities stage run on all of
    them at once (:func:`entities.annotate_many`: its tagger takes their sentences in one batch)."""
    analyses = [Analysis(document=build_document(a)) for a in articles]
    with gc_paused():
        rest = STAGES
        if STAGES and STAGES[0] is entities.annotate:
            entities.annotate_many(analyses)
            rest = STAGES[1:]
        for analysis in analyses:
            for stage in rest:
                stage(analysis)
    return analyses


BATCH = 32  # articles analysed together by analyze_all


def analyze_all(articles: Iterable[Article]) -> Iterator[Analysis]:
    """:func:`analyze_article` of each article, lazily, :data:`BATCH` at a time (:func:`analyze_many`)."""
    it = iter(articles)
    while chunk := list(islice(it, BATCH)):
        try:
            batch = analyze_many(chunk)
        except Exception:  # one bad article: redo the chunk one by one, so the others still come
            batch = None
        if batch is not None:
            yield from batch
        else:
            for article in chunk:
                yield analyze_article(article)
