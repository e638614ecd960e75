"""Shared helpers for the claims-and-sourcing tests: analyse a seed once per session."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from riwaya.model import Analysis, Article
from riwaya.pipeline import analyze_article


@cache
def analyse(path: Path, published: datetime | None = None) -> Analysis:
    return analyze_article(Article(id=path.stem[:3], text=path.read_text(encoding="utf-8"),
                                   published=published))


def sentence_with(analysis: Analysis, needle: str) -> int:
    doc = analysis.document
    for i, s in enumerate(doc.sentences):
        if needle in doc.text[s.start:s.end]:
            return i
    raise AssertionError(f"no sentence holds {needle!r}")
