"""Negation governs a position only where it denies: real corpus sentences (SaudiNewsNet, read from
``../shared``) with idioms that hold a negation word and deny nothing (ما لا يقل عن، لا سيما، دون
طيار، لم تكشف عن هويتها، لم يتبق سوى، لن نسمح …), and real denials (نفى، استبعد، عار عن الصحة،
شائعات، لا ينوي، لا صحة، غير صحيح، ما زال على قيد الحياة …) that must.

Each case is an article id and the offset of the negation in its text: the sentences themselves
stay in ``../shared``. The claim holding that offset is read as the comparison reads it.
"""

from __future__ import annotations

import pytest

from conftest import corpus_rows

pytestmark = pytest.mark.shared

# (article id, offset of the idiom): a position these must not turn into a denial
IDIOMS = [
    ("snn-3261", 533), ("snn-388", 2600), ("snn-81", 3949), ("snn-728", 1177), ("snn-8", 985),
    ("snn-131", 1783), ("snn-100", 1272), ("snn-82", 3754), ("snn-123", 5439), ("snn-56", 1620),
    ("snn-296", 1508), ("snn-98", 627), ("snn-58", 2142), ("snn-40", 643), ("snn-169", 4786),
    ("snn-826", 2572), ("snn-0", 903), ("snn-130", 2009), ("snn-3084", 205), ("snn-6415", 161),
    ("snn-31", 504), ("snn-104", 447), ("snn-1569", 387), ("snn-45", 9722), ("snn-478", 13930),
    ("snn-3054", 1346), ("snn-462", 4289), ("snn-162", 1466), ("snn-77", 630), ("snn-402", 50),
    ("snn-3074", 1262), ("snn-1829", 479), ("snn-114", 933), ("snn-275", 3842), ("snn-153", 3898),
    ("snn-165", 3425),
]
# (article id, offset of the denial): claims these must make a denial
DENIALS = [
    ("snn-51", 4235), ("snn-533", 375), ("snn-90", 728), ("snn-8596", 2668), ("snn-9788", 110),
    ("snn-230", 5169), ("snn-605", 11335), ("snn-5902", 232), ("snn-3866", 67), ("snn-17794", 226),
    ("snn-115", 1486), ("snn-84", 3023), ("snn-164", 4616), ("snn-2557", 1007), ("snn-724", 3556),
    ("snn-14379", 100), ("snn-930", 250), ("snn-13446", 1249), ("snn-2564", 413), ("snn-141", 3191),
    ("snn-92", 2966), ("snn-8316", 610), ("snn-279", 10400), ("snn-1626", 593), ("snn-1496", 752),
    ("snn-7109", 3968), ("snn-7202", 53), ("snn-9061", 2082), ("snn-467", 0), ("snn-228", 5733),
    ("snn-14634", 3967),
    ("snn-15098", 778), ("snn-15918", 727),  # «ما زال على قيد الحياة» denies a death
]


@pytest.fixture(scope="module")
def views():
    from riwaya.comparison.views import claim_views
    from riwaya.model import Article
    from riwaya.pipeline import analyze_many

    rows = corpus_rows({a for a, _ in IDIOMS + DENIALS})
    analyses = analyze_many([Article(id=r["id"], text=r["text"], source=r["source"]) for r in rows.values()])
    return {a.article.id: claim_views(a) for a in analyses}


def _view(views, article: str, offset: int):
    found = [v for v in views[article] if v.claim.start <= offset < v.claim.end]
    assert found, f"{article}: no claim at {offset}"
    return found[0]


def test_enough_cases():
    assert len(IDIOMS) >= 30 and len(DENIALS) >= 20


@pytest.mark.parametrize(("article", "offset"), IDIOMS)
def test_idioms_do_not_deny(views, article, offset):
    view = _view(views, article, offset)
    assert view.stance != "denies", view.claim.text


@pytest.mark.parametrize(("article", "offset"), DENIALS)
def test_denials_deny(views, article, offset):
    view = _view(views, article, offset)
    assert view.stance == "denies" and view.denied, view.claim.text
