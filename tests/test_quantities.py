"""Quantities on the seeds and on fixtures: values, units, qualifiers; years and towns are not counts."""

from __future__ import annotations

import pytest

from claims_helpers import analyse
from riwaya.extract.quantities import quantities_in


@pytest.fixture(scope="module")
def q000(seed_paths):
    return analyse(seed_paths[0]).quantities


@pytest.fixture(scope="module")
def q002(seed_paths):
    return analyse(seed_paths[1]).quantities


def test_seed_000_soldiers_and_elements(q000):
    found = sorted((q.value, q.unit, q.text) for q in q000)
    assert (100.0, "عنصر", "100 عنصر") in found
    soldiers = [q for q in q000 if q.unit == "جندي" and q.value == 1000]
    assert sorted(q.text for q in soldiers) == ["1000 جندي", "ألف جندي"]


def test_seed_000_town_al_khums_is_not_five(q000):
    assert not any(q.value == 5 for q in q000)


def test_seed_002_airstrikes_in_english_and_arabic(q002):
    strikes = [q for q in q002 if q.unit == "غارة"]
    assert [q.value for q in strikes] == [10000.0, 10000.0]
    assert strikes[0].qualifier == "about" and strikes[0].approximate
    assert "عشرة آلاف غارة" in strikes[1].text


def test_seed_002_leaders_percentages_money(q002):
    leaders = next(q for q in q002 if q.unit == "قيادي")
    assert leaders.value == 90 and leaders.qualifier == "more_than"
    percents = [q.value for q in q002 if q.kind == "percent"]
    assert percents == [40.0, 20.0, 50.0]
    money = next(q for q in q002 if q.kind == "money")
    assert money.value == 7_000_000_000 and money.unit == "USD" and money.text == "سبعة مليارات دولار"


def test_seed_002_years_and_days_are_not_counts(q002):
    assert not any(q.value in (2016, 2014, 2) for q in q002)


@pytest.mark.parametrize(("text", "value", "unit", "kind", "qualifier"), [
    ("قتل ثلاثة وعشرين جنديا", 23, "جندي", "count", None),
    ("ارتفعت إلى ٤٠٪ من السكان", 40, "%", "percent", None),
    ("بنسبة 12.5 في المئة", 12.5, "%", "percent", None),
    ("نحو 2,500 لاجئ", 2500, "لاجئ", "count", "about"),
    ("أكثر من مئتين وخمسين ألف شخص", 250000, "شخص", "count", "more_than"),
    ("قرابة نصف مليون دولار", 500000, "USD", "money", "about"),
    ("$7 billion", 7e9, "USD", "money", None),
])
def test_fixture_quantities(text, value, unit, kind, qualifier):
    (q,) = quantities_in(text)
    assert (q.value, q.unit, q.kind, q.qualifier) == (value, unit, kind, qualifier)
    assert text[q.start:q.end] == q.text


def test_vague_amounts():
    (q,) = quantities_in("قتل عشرات الآلاف من المدنيين")
    assert q.value is None and q.kind == "vague"


def test_bare_year_is_not_a_count():
    assert quantities_in("وفي 2015 تغير كل شيء") == []
