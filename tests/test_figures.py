"""Figures and dates as outlets write them, and the numeric and date discrepancies between two
reports, on real corpus articles: one figure or date written two ways is no discrepancy, two
measures (or two years of two events) are not two readings of one, and a real disagreement is
still shown."""

from __future__ import annotations

from datetime import datetime

import pytest

import riwaya
from conftest import corpus_rows
from riwaya.extract.quantities import quantities_in
from riwaya.model import Article
from riwaya.pipeline import analyze_article

pytestmark = pytest.mark.shared

PAIRS = {  # (a, b): what the numeric discrepancy between them gives, or None
    ("snn-26478", "snn-27062"): None,  # 1.3 مليون / 1,3 مليون displaced Yemenis (ICRC)
    ("snn-13766", "snn-13236"): None,  # 3.18 مليار / 18ر3 مليار dollars of profit expected
    ("snn-13535", "snn-13366"): None,  # 9.599 / 9599 communities to be connected
    ("snn-16108", "snn-15325"): None,  # 3.064 million barrels a day against 96 million in July
    ("snn-1747", "snn-871"): None,  # the 7 billion euros Greece needs against its 86.77 billion of ELA
    ("snn-1699", "snn-2147"): None,  # Benteke's 12 goals last season against 49 in his spell at Villa
    ("snn-1726", "snn-332"): None,  # a list of brands' market shares: which brand is whose?
    ("snn-18197", "snn-18829"): {"snn-18197": 18.0, "snn-18829": 20.0},  # the Najran victim's age
    ("snn-2471", "snn-802"): {"snn-2471": 3.7, "snn-802": 3.1},  # a candidate's share, 3.70% / 3.10%
}
DATED = {  # (a, b): the dates of a date discrepancy between them, or None
    ("snn-29491", "snn-30286"): None,  # the Shura decision of 5-3-1427هـ, once written without هـ
    ("snn-26599", "snn-26522"): None,  # 1991 and 2003: two events in two histories of Saddam's Iraq
}


WRITTEN = [  # (article, phrase, the value read), as the corpus's outlets write figures
    ("snn-27062", "1,3 مليون يمني", 1_300_000),  # a decimal comma
    ("snn-13236", "18ر3 مليار", None),  # the agencies' decimal mark: 3.18 here, 5.33 for «5ر33» elsewhere
    ("snn-13535", "9.599 تجمعاً", None),  # a thousands dot or a decimal one: unread
    ("snn-13535", "1.742.000 نسمة", 1_742_000),  # dots between thousands
    ("snn-802", "25 ألفا و823 صوتا", 25_823),
    ("snn-15325", "3 ملايين و64 ألف برميل", 3_064_000),
    ("snn-14375", "مليون ونصف مليون مسلم", 1_500_000),
    ("snn-12961", "ملايين المسلمين", None),  # "millions", not one million
    ("snn-19671", "لواحد وعشرين عاماً", 21),
    ("snn-12908", "2،14 درهم", 2.14),  # an Arabic comma as the decimal mark
]


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    return corpus_rows({i for pair in (*PAIRS, *DATED) for i in pair} | {w[0] for w in WRITTEN})


@pytest.mark.parametrize(("article", "phrase", "value"), WRITTEN)
def test_figures_as_outlets_write_them(rows, article, phrase, value):
    text = rows[article]["text"]
    at = text.index(phrase)
    (q,) = [q for q in quantities_in(text[at - 40:at + len(phrase) + 20])
            if phrase.split()[0].removeprefix("ل") in q.text]
    assert q.value == value, q


def _found(rows: dict[str, dict], pair: tuple[str, str], kind: str) -> list:
    articles = [Article(id=i, text=rows[i]["text"], title=rows[i]["title"], source=rows[i]["source"],
                        published=datetime.fromisoformat(rows[i]["published"])) for i in pair]
    return [f for s in riwaya.compare(articles).stories for f in s.findings if f.kind == kind]


@pytest.mark.parametrize("pair", list(PAIRS))
def test_numeric_discrepancy_between_two_reports(rows, pair):
    found = _found(rows, pair, "numeric_discrepancy")
    expected = PAIRS[pair]
    if expected is None:
        assert not found, [f.details for f in found]
    else:
        assert [f.details["values"] for f in found] == [expected]


def test_one_outlet_s_two_reports_are_no_discrepancy(rows):
    """The Najran victim's age, 18 and 20, both as one outlet's reports: its own follow-up."""
    articles = [Article(id=i, text=rows[i]["text"], title=rows[i]["title"], source="one.example",
                        published=datetime.fromisoformat(rows[i]["published"]))
                for i in ("snn-18197", "snn-18829")]
    comparison = riwaya.compare(articles)
    assert comparison.stories
    assert not any(f.kind == "numeric_discrepancy" for s in comparison.stories for f in s.findings)


def test_a_hijri_date_without_its_mark(rows):
    text = rows["snn-30286"]["text"]
    at = text.index("5/3/1427")
    analysis = analyze_article(Article(id="d", text=text[at - 60:at + 40]))
    assert [d.value for d in analysis.dates if "1427" in d.text] == ["2006-04-03"]


@pytest.mark.parametrize("pair", list(DATED))
def test_date_discrepancy_between_two_reports(rows, pair):
    found = _found(rows, pair, "date_discrepancy")
    if DATED[pair] is None:
        assert not found, [f.details for f in found]
    else:
        assert [f.details["values"] for f in found] == [DATED[pair]]


def test_an_ordinal_is_no_count():
    """«بين الثانية عشر ظهراً والثالثة عصراً» (aljazirah): twelve o'clock, not ten of anything;
    «اثني عشر» beside it is still twelve."""
    text = corpus_rows({"snn-18140"})["snn-18140"]["text"]
    at = text.index("الثانية عشر ظهراً")
    assert not [q for q in quantities_in(text[at - 30:at + 40]) if q.value == 10]
    assert [q.value for q in quantities_in("قتل اثني عشر شخصا")] == [12]
