"""The Python API: the same jobs as the CLI, on paths or Article objects."""

from __future__ import annotations

from riwaya.model import Analysis, Article
from riwaya.pipeline import analyze_article


def analyze(article: Article | str) -> Analysis:
    """Analyse one article (an :class:`Article` or a path readable by :func:`riwaya.read`)."""
    if isinstance(article, Article):
        return analyze_article(article)
    from riwaya.ingest import read

    articles = list(read([article]))
    if len(articles) != 1:
        raise ValueError(f"{article}: holds {len(articles)} articles; use riwaya.read()")
    return analyze_article(articles[0])
