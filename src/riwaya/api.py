"""The Python API: the same jobs as the CLI, on paths or Article objects.

``riwaya.read(inputs)`` (from :mod:`riwaya.ingest`) yields articles lazily; :func:`analyze`
runs the pipeline over one article.
"""

from __future__ import annotations

import os

from riwaya.errors import InputError
from riwaya.model import Analysis, Article
from riwaya.pipeline import analyze_article


def analyze(article: Article | str | os.PathLike[str]) -> Analysis:
    """Analyse one article: an :class:`Article`, or a path to a file that holds exactly one.

    A path that cannot be read raises :class:`riwaya.errors.InputError`.
    """
    if isinstance(article, Article):
        return analyze_article(article)
    from riwaya.ingest import read

    articles = list(read(article, strict=True))
    if len(articles) != 1:
        raise InputError(os.fspath(article), f"holds {len(articles)} articles; use riwaya.read() "
                                             "and analyze each")
    return analyze_article(articles[0])
