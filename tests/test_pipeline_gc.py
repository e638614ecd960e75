"""The pipeline's handling of the cyclic garbage collector: it leaves no cycles behind and
gives the collector back enabled (the web server and ingest workers rely on it)."""

from __future__ import annotations

import gc

from riwaya.model import Article
from riwaya.pipeline import analyze_all, analyze_article, analyze_many


def _articles(paths) -> list[Article]:
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths[:2]]


def test_a_batch_leaves_no_reference_cycles(story_paths):
    """analyze_all freezes each batch out of the collector: that is only safe without cycles."""
    articles = _articles(story_paths)
    analyze_article(articles[0])  # lazy resources loaded first (their loading is not at issue)
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        analyses = analyze_many(articles)
        assert len(analyses) == 2
        del analyses
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_the_collector_is_enabled_again_after_each_batch(story_paths):
    articles = _articles(story_paths)
    assert gc.isenabled()
    for analysis in analyze_all(iter(articles)):
        assert gc.isenabled()  # the caller's own garbage is still collected while it reads them
        assert analysis.claims
    assert gc.isenabled()
    analyze_many(articles)
    analyze_article(articles[0])
    assert gc.isenabled()
