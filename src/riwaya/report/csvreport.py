"""The CSV report: one row per finding (kind, outlets, urls, evidence texts, confidence).

Written for spreadsheets: a UTF-8 byte-order mark first (Excel reads Arabic right only with it),
and a cell that would start a formula (``=``, ``+``, ``-``, ``@``) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from riwaya.model import Comparison
from riwaya.report.wording import label

COLUMNS = ["story", "finding", "kind", "status", "confidence", "matter", "outlets", "urls", "articles",
           "evidence", "explanation"]
BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def render_csv(comparison: Comparison, lang: str = "ar") -> str:
    by_id = {a.article.id: a.article for a in comparison.analyses}
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for sc in comparison.stories:
        matters = {m.id: m.label for m in sc.matters}
        for f in sc.findings:
            arts = [by_id[a] for a in f.articles if a in by_id]
            w.writerow([cell(x) for x in (
                sc.story.id, f.id, label("kind", f.kind, lang), label("status", f.status, lang),
                f"{f.confidence:.2f}", matters.get(f.matter or "", ""),
                " | ".join(a.outlet for a in arts),
                " | ".join(a.url for a in arts if a.url),
                " | ".join(f.articles),
                " | ".join(f"{by_id[e.article].outlet}: {' '.join(e.text.split())}" for e in f.evidence),
                f.explanation_ar if lang == "ar" else f.explanation_en,
            )])
    return buf.getvalue()
