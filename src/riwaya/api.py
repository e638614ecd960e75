"""The Python API: the same jobs as the CLI, on paths or Article objects.

``riwaya.read(inputs)`` (from :mod:`riwaya.ingest`) yields articles lazily; :func:`analyze`
runs the pipeline over one article.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime

from riwaya.errors import InputError
from riwaya.model import Analysis, Article, Comparison
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


def compare(inputs: Iterable[Article | Analysis | str | os.PathLike[str]] | str | os.PathLike[str],
            published: dict[str, str | datetime] | None = None, lang: str = "ar") -> Comparison:
    """Compare articles: paths (files, folders, globs), :class:`Article` or :class:`Analysis`
    objects, in any mix. ``published`` maps an article id, file name or stem to its publication
    time where the input does not say. Articles related to no other are set aside.
    """
    from riwaya.comparison import compare_analyses
    from riwaya.ingest import read
    from riwaya.ingest.overrides import Overrides

    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    overrides = Overrides(None, [f"{k}={v.isoformat() if isinstance(v, datetime) else v}"
                                 for k, v in (published or {}).items()])
    analyses: list[Analysis] = []
    for item in inputs:
        if isinstance(item, Analysis):
            analyses.append(item)
            continue
        articles = [item] if isinstance(item, Article) else list(read(item, strict=True))
        for article in articles:
            analyses.append(analyze_article(overrides.apply(article) if overrides else article))
    return compare_analyses(analyses, lang=lang)
