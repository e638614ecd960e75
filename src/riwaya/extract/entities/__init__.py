"""Entities: recognition of people, organisations and places, and linking the names they go by.

- :func:`annotate` (a pipeline stage) fills ``Analysis.entities`` and ``Analysis.mentions``;
  :func:`annotate_many` does the same for several analyses, tagging their sentences in one batch;
- :func:`link_across` gives the same real-world entity the same id in several analyses;
- :func:`lookup` says what a known name (alias table, gazetteers) refers to.
"""

from __future__ import annotations

import gc

from riwaya.extract.entities.gazetteer import load, name_keys
from riwaya.extract.entities.lexicon import triggers
from riwaya.extract.entities.link import apply, link_article, merge
from riwaya.extract.entities.recognize import Recognised, recognize_many, token_words
from riwaya.extract.entities.titles import TITLE_WORDS, link_titles
from riwaya.model import Analysis, Entity

__all__ = ["annotate", "annotate_many", "country_of", "link_across", "lookup"]


def annotate(analysis: Analysis) -> None:
    """Recognise and link the entities of one article (within-article linking included)."""
    annotate_many([analysis])


def annotate_many(analyses: list[Analysis]) -> None:
    """:func:`annotate` each analysis (same results), the CRF tagging all their sentences in one
    batch: its per-call costs are paid once for the batch instead of once per article."""
    paused = gc.isenabled()  # many short-lived objects, no cycles: collections only cost time
    if paused:
        gc.disable()
    try:
        docs = [(a.document, token_words(a.document)) for a in analyses]
        for analysis, (recognised, keys, titles) in zip(analyses, recognize_many(docs, TITLE_WORDS),
                                                        strict=True):
            _link(analysis, keys, recognised, titles)
    finally:
        if paused:
            gc.enable()


def _link(analysis: Analysis, keys: list[str], recognised: list[Recognised], titles: list[int]) -> None:
    doc = analysis.document
    entities = link_article(recognised)
    mentions = [m for m, _, _ in recognised]
    mentions += link_titles(doc, mentions, entities, keys, titles)
    analysis.entities = entities
    analysis.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    apply(analysis, merge([entities]))  # cross-script names inside one article (captions)


def link_across(analyses: list[Analysis]) -> None:
    """Unify entity ids across articles in place: one real-world entity, one id everywhere."""
    rename = merge([a.entities for a in analyses])
    for a in analyses:
        apply(a, rename)


def lookup(name: str) -> Entity | None:
    """The known entity a name refers to (``الخارجية الأميركية``, ``صحيفة TTU``, ``كيري``)."""
    gaz = load()
    keys = name_keys(name)
    entry = gaz.best(keys, name) if keys else None
    if entry is None and len(keys) > 1 and keys[0] in triggers():  # "صحيفة TTU", "وكالة رويترز"
        entry = gaz.best(keys[1:], name)
    if entry is None:
        return None
    return Entity(entry.id, entry.type, entry.name_ar or None, entry.name_en or None,  # type: ignore[arg-type]
                  entry.subtype or None, names=[name])


def country_of(entity_id: str) -> str | None:
    """The id of the country a known place lies in (``LOC:geo:2214`` Misrata → ``LOC:LY``), or
    None for a country itself or an unknown place."""
    entry = load().entries.get(entity_id)
    if entry is None or not entry.country or entry.subtype in ("country", "region"):
        return None
    return f"LOC:{entry.country}"
