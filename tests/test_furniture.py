"""Page furniture on real scraped pages of several outlets (../shared/data/compare, train): menus,
log-in and subscription prompts, font-size buttons, time stamps, bars and each outlet's learned
template are kept out of claims while the text stays as published."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from conftest import DATA, need
from riwaya.model import Article
from riwaya.pipeline import analyze_article
from riwaya.text import build_document, templates

pytestmark = pytest.mark.shared

# (pair, side, what the page prints that is no part of the report): eight outlets
CASES = [
    ("R-10-0~R-10-1", "a", "تخطي شريط التصفح"),  # swissinfo: skip navigation
    ("R-10-0~R-10-1", "b", "لقد اختارت DW"),  # DW: language chooser
    ("R-128-0~R-128-1", "a", "حجم الخط"),  # Al Jazeera: font size
    ("R-128-0~R-128-1", "a", "الساعة 21 : 24"),  # Al Jazeera: time stamp
    ("R-128-0~R-128-7", "b", "لقد تم تسجيلك بنجاح"),  # An-Nahar: newsletter sign-up
    ("R-208-1~R-208-2", "b", "شارك برأيك"),  # Shorouk: share prompt
    ("R-210-0~R-210-6", "b", "أخبار ذات صلة"),  # Orient: related stories
    ("R-149-0~R-149-7", "b", "Main navigation"),  # Al Jazeera Mubasher
    ("R-136-1~R-136-8", "b", "ادخل كلمات البحث"),  # Palestine Today: search box
]


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    path = need(DATA / "compare" / "unifiedfc-train.jsonl")
    return {r["id"]: r for r in map(json.loads, path.open(encoding="utf-8"))}


@pytest.mark.parametrize(("pair", "side", "phrase"), CASES)
def test_page_furniture_stays_in_the_text_but_out_of_claims(rows, pair, side, phrase):
    text = rows[pair][side]
    analysis = analyze_article(Article(pair + side, text))
    doc = analysis.document
    at = text.find(phrase)
    assert at >= 0 and doc.text == text
    assert any(s <= at < e for s, e in doc.furniture), phrase
    assert not any(phrase in c.text for c in analysis.claims)
    assert analysis.claims  # the report itself is still read


def test_an_outlets_template_is_learned_from_its_pages(rows):
    """DW's pages share a menu («برامج التلفزيون دروس الألمانية …») no fixed list knows: seven of
    its pages in one batch teach it; a page of an outlet seen once is left alone."""
    pages: dict[str, list[str]] = {}
    for r in rows.values():
        for side in "ab":
            pages.setdefault(urlparse(r.get(f"{side}_url") or "").netloc, []).append(r[side])
    dw = [build_document(Article(f"dw{i}", t)) for i, t in enumerate(dict.fromkeys(pages["www.dw.com"]))]
    menu = "برامج التلفزيون"
    first = dw[0]
    at = first.text.find(menu)
    assert at >= 0 and not any(s <= at < e for s, e in first.furniture)
    lone = build_document(Article("lone", pages["www.swissinfo.ch"][0]))
    before = list(lone.furniture)
    outlet = lambda d: "dw" if d.article.id.startswith("dw") else "swissinfo"  # noqa: E731
    assert templates.learn([*dw, lone], outlet) == len(dw)
    assert any(s <= at < e for s, e in first.furniture)
    assert lone.furniture == before
