"""schema.org ``ClaimReview`` drafts (JSON-LD), one per disputed claim, for a fact-checker to finish.

Each draft names the claim as one outlet reported it (``claimReviewed``), where it appeared and
who it is attributed to (``itemReviewed`` → ``Claim``), and what riwaya found against it. The
rating is left empty: riwaya never rules on truth.
"""

from __future__ import annotations

import json
from typing import Any

from riwaya.model import Analysis, Comparison, Evidence, Finding

DISPUTES = ("contradiction", "numeric_discrepancy", "date_discrepancy")


def _author(analysis: Analysis, ev: Evidence) -> dict[str, Any]:
    claim = next((c for c in analysis.claims if c.id == ev.claim), None)
    src = claim.source if claim else None
    if src and src.kind == "named_person" and src.text:
        return {"@type": "Person", "name": src.text}
    if src and src.kind in ("organization", "media") and src.text:
        return {"@type": "Organization", "name": src.text}
    if src and src.kind == "anonymous" and src.text:
        return {"@type": "Organization", "name": src.text, "description": "anonymous sources"}
    return {"@type": "Organization", "name": analysis.article.outlet}


def _draft(f: Finding, by_id: dict[str, Analysis], lang: str) -> dict[str, Any]:
    disputed = f.details.get("affirms") or f.articles[:1]
    claim = f.details.get("disputed")  # the claim the strongest collision denies
    ev = next((e for e in f.evidence if claim and e.claim == claim), None) or next(
        (e for e in f.evidence if e.article in disputed), f.evidence[0])
    an = by_id[ev.article]
    arts = [by_id[a].article for a in f.articles if a in by_id]
    appearances = [{"@type": "NewsArticle", "url": a.url, "headline": a.title,
                    "publisher": {"@type": "Organization", "name": a.outlet},
                    "datePublished": a.published.isoformat() if a.published else None}
                   for a in arts if a.id in disputed]
    dates = [a.published for a in arts if a.published and a.id in disputed]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": " ".join(ev.text.split()),
        "itemReviewed": {
            "@type": "Claim",
            "author": _author(an, ev),
            "datePublished": min(dates).isoformat() if dates else None,
            "appearance": appearances,
            "firstAppearance": appearances[0] if appearances else None,
        },
        "author": {"@type": "Organization", "name": None},
        "datePublished": None,
        "url": None,
        "reviewRating": {"@type": "Rating", "ratingValue": None, "bestRating": None,
                         "worstRating": None, "alternateName": None},
        "reviewBody": f.explanation_ar if lang == "ar" else f.explanation_en,
        "inLanguage": lang,
        "x-riwaya": {"finding": f.id, "kind": f.kind, "status": f.status, "confidence": f.confidence,
                     "matter": f.matter,
                     "evidence": [{"article": e.article, "outlet": by_id[e.article].article.outlet,
                                   "url": by_id[e.article].article.url, "start": e.start, "end": e.end,
                                   "text": e.text} for e in f.evidence]},
    }


def claimreview_drafts(comparison: Comparison, lang: str = "ar") -> list[dict[str, Any]]:
    by_id = {a.article.id: a for a in comparison.analyses}
    return [_draft(f, by_id, lang) for sc in comparison.stories for f in sc.findings
            if f.kind in DISPUTES]


def render_claimreview(comparison: Comparison, lang: str = "ar") -> str:
    return json.dumps(claimreview_drafts(comparison, lang), ensure_ascii=False, indent=2) + "\n"
