"""The CSV report: one row per finding (kind, outlets, urls, evidence texts, confidence)."""

from __future__ import annotations

import csv
import io

from riwaya.model import Comparison

COLUMNS = ["story", "finding", "kind", "status", "confidence", "outlets", "urls", "articles",
           "evidence", "explanation"]


def render_csv(comparison: Comparison, lang: str = "ar") -> str:
    by_id = {a.article.id: a.article for a in comparison.analyses}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for sc in comparison.stories:
        for f in sc.findings:
            arts = [by_id[a] for a in f.articles if a in by_id]
            w.writerow([
                sc.story.id, f.id, f.kind, f.status, f"{f.confidence:.2f}",
                " | ".join(a.outlet for a in arts),
                " | ".join(a.url or "" for a in arts),
                " | ".join(f.articles),
                " | ".join(f"{by_id[e.article].outlet}: {' '.join(e.text.split())}" for e in f.evidence),
                f.explanation_ar if lang == "ar" else f.explanation_en,
            ])
    return buf.getvalue()
