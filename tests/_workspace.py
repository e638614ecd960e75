"""Helpers for the workspace tests: small stand-ins for story grouping and comparison.

They let the store, web and fetch tests run on real text without waiting on (or depending on
the exact output of) the comparison models; the real ones are used where they are installed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from riwaya.model import Analysis, Evidence, Finding, Story, StoryComparison, SummarySentence

HOSTILE_TEXT = (
    "خبر عاجل <script>alert('xss')</script> عن \u202eليبيا\u202c و\u2067روما\u2069 "
    "\u200fوقال مسؤول <img src=x onerror=alert(1)> إن الاجتماع انتهى.\nفقرة ثانية."
)


class OneStoryPerOutletless:
    """Assigns stories by a key in the article's meta (``story``), else one shared story."""

    def add(self, article_id: str, signature: dict[str, Any], published: datetime | None) -> str:
        return signature.get("story") or "s-main"


def fake_signature(analysis: Analysis) -> dict[str, Any]:
    return {"story": analysis.article.meta.get("story", "s-main")}


def fake_compare(story: str, analyses: list[Analysis]) -> StoryComparison:
    """One finding of each main kind, with evidence on each article's first sentence."""
    ev = []
    for a in analyses:
        s = a.document.sentences[0] if a.document.sentences else None
        start, end = (s.start, s.end) if s else (0, min(20, len(a.article.text)))
        ev.append(Evidence(a.article.id, start, end, a.article.text[start:end]))
    ids = [a.article.id for a in analyses]
    findings = [Finding("f1", "unique", ids[:1], ev[:1], "ينفرد به مصدر واحد", "only one outlet", 0.7)]
    if len(analyses) > 1:
        findings.insert(
            0,
            Finding(
                "f0", "contradiction", ids[:2], ev[:2], "تناقض بين الروايتين", "the accounts contradict", 0.8
            ),
        )
        findings.append(Finding("f2", "agreement", ids, ev, "تتفق الوسائل", "outlets agree", 0.9))
    summary = [SummarySentence("ملخص القصة", "story summary", [f.id for f in findings], ev[:1])]
    return StoryComparison(Story(story, ids, 0.9, ""), findings, summary)


def fill(store, articles, **kw):
    """Ingest ``articles`` into ``store`` with the stand-ins; return the summary."""
    import riwaya.workspace.prepare as prepare
    from riwaya.workspace.ingester import Ingester

    def preparer(article):
        analysis = _analyze(article)
        return prepare.record_from_analysis(analysis, fake_signature(analysis))

    kw.setdefault("comparer", fake_compare)
    with Ingester(store, assigner=OneStoryPerOutletless(), preparer=preparer, **kw) as ing:
        return ing.ingest(articles)


def _analyze(article):
    """The real pipeline; if no entity stage is installed yet, ليبيا/روما found by text stand in."""
    from riwaya.model import Entity, Mention
    from riwaya.pipeline import analyze_article

    analysis = analyze_article(article)
    if not analysis.entities:
        for eid, name, en in (("LOC:ليبيا", "ليبيا", "Libya"), ("LOC:روما", "روما", "Rome")):
            at = article.text.find(name)
            if at >= 0:
                m = Mention(at, at + len(name), name, "LOC", eid, how="test")
                analysis.entities.append(Entity(eid, "LOC", name, en, "country", [name], [m]))
                analysis.mentions.append(m)
    return analysis
