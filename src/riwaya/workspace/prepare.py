"""Turning one article into an :class:`ArticleRecord` (runs in worker processes: no I/O)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from riwaya.model import Analysis, Article
from riwaya.store import codec
from riwaya.store.records import ArticleRecord, EntityRow, MentionRow, text_hash
from riwaya.text.document import NOT_SEARCHED, match_keys

Known = Mapping[str, tuple[int, Mapping[int, int]]]  # riwaya.text.templates.TemplateBook.known


def signature_of(analysis: Analysis, shingle_set: frozenset[int] | None = None) -> dict[str, Any]:
    """The story index's signature of an article ({} where story grouping is not installed:
    the default story assigner then refuses to start, so nothing is grouped on an empty one)."""
    try:
        from riwaya.comparison.stories import story_signature
    except ImportError:
        return {}
    return story_signature(analysis, shingle_set)


def record_from_analysis(analysis: Analysis, signature: dict[str, Any]) -> ArticleRecord:
    article = analysis.article
    doc = analysis.document
    keys = [t.key for t in doc.tokens if t.key and t.kind not in NOT_SEARCHED]
    if article.title:
        keys = match_keys(article.title) + keys
    sourcing = Counter(c.source.kind for c in analysis.claims)
    entities = {e.id: EntityRow(e.id, e.type, e.name_ar, e.name_en, e.subtype) for e in analysis.entities}
    mentions: dict[tuple[str, str], list[int]] = {}
    for m in analysis.mentions:
        if not m.entity:
            continue
        if m.entity not in entities:
            entities[m.entity] = EntityRow(m.entity, m.type, None, None, None)
        item = mentions.setdefault((m.entity, m.text), [m.start, m.end, 0])
        item[2] += 1
    return ArticleRecord(
        article=article,
        hash=text_hash(article.text),
        analysis=codec.encode_analysis(analysis),
        signature=signature,
        keys=" ".join(keys),
        sourcing={str(kind): n for kind, n in sourcing.items()},
        entities=list(entities.values()),
        mentions=[MentionRow(e, t, s, en, n) for (e, t), (s, en, n) in mentions.items()],
    )


def prepare_many(articles: Sequence[Article], known: Known | None = None) -> list[ArticleRecord]:
    """:func:`prepare` of several articles, analysed together (the entity tagger batches them).

    Each outlet's template (runs of words found in most of its latest articles: ``known``, what
    the store has seen, plus these articles) joins their page furniture first, so their
    signatures, copy shingles and stored analyses leave it out."""
    from riwaya.comparison.copies import shingles
    from riwaya.pipeline import analyze_many
    from riwaya.text import templates

    analyses = analyze_many(list(articles))
    docs = [a.document for a in analyses]
    runs = [templates.grams(d) for d in docs]
    templates.learn(docs, lambda d: d.article.outlet, share=templates.SHARE, known=known)
    out = []
    for analysis, words in zip(analyses, runs, strict=True):
        copy = shingles(analysis)
        record = record_from_analysis(analysis, signature_of(analysis, copy))
        record.shingles, record.runs = copy, words
        out.append(record)
    return out


def prepare(article: Article) -> ArticleRecord:
    """Analyse an article and pack what the store keeps of it."""
    return prepare_many([article])[0]
