"""Dates: absolute, numeric, regional month names, Hijri, relative to publication."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from claims_helpers import analyse
from riwaya.extract.dates import dates_in
from riwaya.model import Article
from riwaya.pipeline import analyze_article


def test_english_caption_date(seed_paths):
    d = next(d for d in analyse(seed_paths[1]).dates if d.text == "02 February 2016")
    assert d.value == "2016-02-02" and not d.relative


def test_seed_002_published_tuesday(seed_paths):
    dates = analyse(seed_paths[1], datetime(2016, 2, 2, 12)).dates
    tuesdays = [d for d in dates if d.text == "الثلاثاء"]
    assert tuesdays and all(d.value == "2016-02-02" for d in tuesdays)
    assert all(d.anchor == "2016-02-02" and d.relative for d in tuesdays)
    next_year = next(d for d in dates if d.text == "العام القادم")
    assert next_year.value == "2017" and next_year.granularity == "year"


def test_seed_000_next_tuesday(seed_paths):
    dates = analyse(seed_paths[0], datetime(2016, 1, 29)).dates
    d = next(d for d in dates if d.text == "الثلاثاء المقبل")
    assert d.value == "2016-02-02" and d.tense == "future"


def test_unknown_publication_keeps_dates_relative(seed_paths):
    d = next(d for d in analyse(seed_paths[0]).dates if d.text == "الثلاثاء المقبل")
    assert d.value is None and d.relative and d.anchor is None


@pytest.mark.parametrize(("text", "value"), [
    ("في 2 شباط/فبراير 2016", "2016-02-02"),
    ("يوم 5 جويلية 2015", "2015-07-05"),
    ("في 3 كانون الثاني 2016", "2016-01-03"),
    ("بتاريخ 12/3/2015", "2015-03-12"),
    ("2016-02-02", "2016-02-02"),
    ("في أغسطس 2015", "2015-08"),
    ("عام 2014", "2014"),
])
def test_absolute(text, value):
    (d,) = dates_in(text, None)
    assert d.value == value


@pytest.mark.parametrize(("text", "value"), [
    ("قال أمس", "2016-02-01"),
    ("سيصل غداً", "2016-02-03"),
    ("منذ ثلاثة أيام", "2016-01-30"),
    ("الشهر الماضي", "2016-01"),
    ("الأسبوع المقبل", "2016-02-08"),
    ("الأحد الماضي", "2016-01-31"),
    ("سيعقد الاجتماع الخميس", "2016-02-04"),
    ("عقد الاجتماع الخميس", "2016-01-28"),
])
def test_relative(text, value):
    (d,) = dates_in(text, date(2016, 2, 2))
    assert d.value == value and d.relative


@pytest.mark.parametrize(("text", "value"), [
    ("في 15 رمضان 1436 هـ", "2015-07-02"),  # the article says: الموافق 2 يوليو 2015
    ("صدر القرار في 3/9/1436هـ", "2015-06-20"),
    ("في 12 ربيع الأول", "2015-01-03"),  # no year: the publication's Hijri year (1436)
])
def test_hijri_dates_resolved_by_the_umm_al_qura_calendar(text, value):
    (d,) = dates_in(text, date(2015, 7, 5))
    assert d.value == value


def test_a_hijri_year_alone_stays_text():
    (d,) = dates_in("في عام 1437 هـ", date(2015, 7, 5))
    assert d.value is None and d.granularity == "year"


def test_percentage_and_count_are_not_dates():
    a = analyze_article(Article(id="t", text="ارتفعت النسبة إلى 40% ونشر 1000 جندي.",
                                published=datetime(2016, 2, 2)))
    assert a.dates == []


@pytest.mark.parametrize("text", ["وقع ذلك منذ مليون يوم", "سيحدث بعد 99999999 يوم",
                                  "منذ 50000 شهر", "بعد 9999 عام"])
def test_dates_off_the_calendar_stay_unresolved(text):
    found = dates_in(text, date(2016, 2, 2))
    assert found and all(d.value is None and d.relative for d in found)


def test_relative_dates_at_the_calendar_edges_do_not_raise():
    for anchor in (date(1, 1, 2), date(9999, 12, 30)):
        found = dates_in("الثلاثاء الماضي أمس وغدا الشهر المقبل والعام القادم في ديسمبر", anchor)
        assert len(found) >= 4
        # off the calendar a date stays unresolved; on it, it is a zero-padded ISO form
        assert all(d.value is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d.value) for d in found)
