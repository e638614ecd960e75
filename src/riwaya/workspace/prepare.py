"""Turning one article into an :class:`ArticleRecord` (runs in worker processes: no I/O)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from riwaya.model import Analysis, Article
from riwaya.store import codec
from riwaya.store.records import ArticleRecord, EntityRow, MentionRow, text_hash
from riwaya.text.document import NOT_SEARCHED, match_keys


def signature_of(analysis: Analysis) -> dict[str, Any]:
    """The story index's signature of an article ({} where story grouping is not installed:
    the default story assigner then refuses to start, so nothing is grouped on an empty one)."""
    try:
        from riwaya.comparison.stories import story_signature
    except ImportError:
        return {}
    return story_signature(analysis)


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


def prepare_many(articles: list[Article]) -> list[ArticleRecord]:
    """:func:`prepare` of several articles, analysed together (the entity tagger batches them)."""
    from riwaya.pipeline import analyze_many

    return [record_from_analysis(a, signature_of(a)) for a in analyze_many(articles)]


def prepare(article: Article) -> ArticleRecord:
    """Analyse an article and pack what the store keeps of it."""
    from riwaya.pipeline import analyze_article

    analysis = analyze_article(article)
    return record_from_analysis(analysis, signature_of(analysis))
