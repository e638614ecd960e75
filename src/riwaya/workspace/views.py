"""What a story page shows beyond the comparison, computed once when findings are recomputed.

Pages render from this stored view and never recompute: a timeline of which outlet reported
what when, and an outlet × claim matrix (states / agrees / contradicts / differs / silent).
"""

from __future__ import annotations

import hashlib
from typing import Any

from riwaya.model import Analysis, Finding, StoryComparison

MATRIX_KINDS = ("contradiction", "numeric_discrepancy", "date_discrepancy", "agreement", "unique")
ALERT_KINDS = ("contradiction", "numeric_discrepancy", "date_discrepancy")
_MATRIX_ROWS = 40
_TIMELINE_CLAIMS = 3


def fingerprint(finding: Finding) -> str:
    """A finding's identity across recomputes: its kind and evidence spans."""
    spans = sorted(f"{e.article}:{e.start}:{e.end}" for e in finding.evidence)
    return hashlib.sha1("|".join([finding.kind, *spans]).encode("utf-8")).hexdigest()[:16]


def build_view(comparison: StoryComparison, analyses: list[Analysis]) -> dict[str, Any]:
    outlets: dict[str, str] = {a.article.id: a.article.outlet for a in analyses}
    columns = list(dict.fromkeys(outlets.values()))
    in_findings: dict[str, list[str]] = {}
    for f in comparison.findings:
        for article_id in dict.fromkeys(e.article for e in f.evidence):
            in_findings.setdefault(article_id, []).append(f.id)
    timeline = []
    for a in sorted(analyses, key=lambda x: x.article.published.isoformat() if x.article.published else "~"):
        art = a.article
        claims = sorted(a.claims, key=lambda c: -(c.checkworthy or 0))[:_TIMELINE_CLAIMS]
        timeline.append(
            {
                "article": art.id,
                "outlet": outlets[art.id],
                "title": art.title,
                "url": art.url,
                "published": art.published.isoformat() if art.published else None,
                "claims": [
                    {"start": c.start, "end": c.end, "text": c.text, "source": c.source.kind}
                    for c in sorted(claims, key=lambda c: c.start)
                ],
                "findings": in_findings.get(art.id, []),
            }
        )
    rows = []
    ranked = sorted(
        (f for f in comparison.findings if f.kind in MATRIX_KINDS),
        key=lambda f: (MATRIX_KINDS.index(f.kind), -f.confidence),
    )
    for f in ranked[:_MATRIX_ROWS]:
        rows.append(
            {
                "finding": f.id,
                "kind": f.kind,
                "label": f.evidence[0].text if f.evidence else "",
                "cells": _cells(f, outlets, columns),
            }
        )
    return {
        "outlets": outlets,
        "columns": columns,
        "timeline": timeline,
        "matrix": rows,
        "n_articles": len(analyses),
    }


def _cells(f: Finding, outlets: dict[str, str], columns: list[str]) -> dict[str, str]:
    cells = dict.fromkeys(columns, "silent")
    seen = [outlets.get(e.article, e.article) for e in f.evidence]
    first = seen[0] if seen else None
    for outlet in dict.fromkeys(seen):
        if f.kind == "agreement":
            cells[outlet] = "agrees"
        elif f.kind == "unique" or outlet == first:
            cells[outlet] = "states"
        elif f.kind == "contradiction":
            cells[outlet] = "contradicts"
        else:
            cells[outlet] = "differs"
    return cells
