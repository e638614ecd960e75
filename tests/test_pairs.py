"""Pairs scored together (comparison.pairs) equal ``score_pair`` one pair at a time, to the bit:
the alignments and the matter similarities of real articles are the same either way."""

from __future__ import annotations

import numpy as np
import pytest

from riwaya.comparison import align as A
from riwaya.comparison import matters as M
from riwaya.comparison import pairs
from riwaya.comparison.views import claim_views
from riwaya.extract.entities import link_across


def _views(analyses):
    link_across(analyses)
    views = {a.article.id: claim_views(a) for a in analyses}
    return views, A.Weights([v for vs in views.values() for v in vs])


def _both(monkeypatch, fn):
    """``fn()`` scored one pair at a time, then together."""
    monkeypatch.setattr(pairs, "MIN_PAIRS", 10**12)
    monkeypatch.setattr(pairs, "MIN_PAIRS_COLD", 10**12)
    loop = fn()
    monkeypatch.setattr(pairs, "MIN_PAIRS", 0)
    monkeypatch.setattr(pairs, "MIN_PAIRS_COLD", 0)
    return loop, fn()


@pytest.fixture(scope="module")
def seeds(a000, a002):
    return _views([a000, a002])


def test_every_pair_scores_as_score_pair(seeds):
    views, w = seeds
    flat = [v for vs in views.values() for v in vs]
    scorer = pairs.PairScorer(flat, w)
    rows, cols, products = scorer.candidates()
    got = scorer.scores(rows, cols, products)
    formed = list(zip(rows.tolist(), cols.tolist(), strict=True))
    want = [A.score_pair(flat[i], flat[j], w).score for i, j in formed]
    assert len(got) > 200 and got.tolist() == want
    never = set(formed)  # pairs never formed share nothing
    assert all(A.score_pair(flat[i], flat[j], w).score == 0.0
               for i in range(len(flat)) for j in range(i + 1, len(flat)) if (i, j) not in never)


def test_alignments_and_matter_similarities_are_the_same(seeds, monkeypatch):
    views, w = seeds
    by_article = list(views.values())

    def aligned():
        return [(al.a.key, al.b.key, al.score, al.keys, al.entities, al.events, al.same_quantity,
                 al.same_date) for al in A.align(by_article, w)]

    loop, together = _both(monkeypatch, aligned)
    assert loop and loop == together
    kept = [v.about for v in M._kept(views, A.align(by_article, w))]
    loop, together = _both(monkeypatch, lambda: M._similarities(kept, w))
    assert np.array_equal(loop, together) and (loop >= M.SAME_KIND).any()


def test_a_story_compares_the_same(story_paths, monkeypatch):
    """Three outlets' reports of one flood: the same findings scored either way."""
    from claims_helpers import analyse
    from riwaya.comparison.compare import compare_story
    from riwaya.model import Story, to_dict

    def compared():
        analyses = [analyse(p) for p in story_paths]
        link_across(analyses)
        return to_dict(compare_story(Story("s", [a.article.id for a in analyses], 1.0, "s"), analyses))

    loop, together = _both(monkeypatch, compared)
    assert loop["findings"] and loop == together
