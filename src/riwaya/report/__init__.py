"""Reports of a :class:`~riwaya.model.Comparison`: terminal, JSON, HTML, CSV, ClaimReview.

``render(comparison, fmt, lang)`` returns the whole report as one string; each format lives in
its own module and is imported only when used.
"""

from __future__ import annotations

from typing import Any

from riwaya.model import Comparison

FORMATS = ("text", "json", "html", "csv", "claimreview")


def render(comparison: Comparison, fmt: str = "text", lang: str = "ar", **options: Any) -> str:
    """The report of ``comparison`` in format ``fmt`` (one of :data:`FORMATS`), ``lang`` ar|en."""
    if lang not in ("ar", "en"):
        raise ValueError(f"unknown language {lang!r} (ar or en)")
    if fmt == "text":
        from riwaya.report.terminal import render_text

        return render_text(comparison, lang, **options)
    if fmt == "json":
        from riwaya.report.jsonreport import render_json

        return render_json(comparison)
    if fmt == "html":
        from riwaya.report.html import render_html

        return render_html(comparison, lang)
    if fmt == "csv":
        from riwaya.report.csvreport import render_csv

        return render_csv(comparison, lang)
    if fmt == "claimreview":
        from riwaya.report.claimreview import render_claimreview

        return render_claimreview(comparison, lang)
    raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
