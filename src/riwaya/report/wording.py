"""Every label and explanation riwaya shows, in Arabic and English: one table for the terminal,
JSON, HTML, CSV and ClaimReview reports and the web app.

``LABELS`` names finding kinds, statuses, source kinds, positions and stages; ``TEMPLATES`` hold
the explanation sentences, filled by :func:`say`. In a template, ``{name}`` is a field and
``{v:يورد:name}`` is the verb يورد agreeing in gender with the outlet(s) in field ``name``:
Arabic news usage treats outlets as feminine (``ذكرت الجزيرة``, ``قالت رويترز``, ``أفادت
وكالة الأنباء``) unless the name opens with a masculine head noun (``ذكر موقع ...``, ``قال
المرصد``), listed in ``data/outlet_masculine.txt``. An article known only by its id or file
name stands for ``المقال`` and is masculine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from riwaya.resources import load_lines

_ARABIC = re.compile(r"[\u0600-\u06ff]")
# an article id or a file name: one token with an underscore, or a long hexadecimal string
_ID = re.compile(r"\S*_\S*|[0-9a-f]{8,}", re.I)


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds any Arabic letter."""
    return _ARABIC.search(text) is not None


@cache
def _masculine_heads() -> frozenset[str]:
    return frozenset(load_lines("outlet_masculine.txt"))


def feminine(name: str) -> bool:
    """Whether an outlet's display name takes a feminine verb."""
    words = name.split()
    if not words:
        return False
    if not has_arabic(name):
        # a Latin-script name is an outlet (Reuters, BBC); an id or file name is "the article"
        return not _ID.fullmatch(name)
    head = words[0].strip("«»\"'()")
    return head not in _masculine_heads() and head.removeprefix("ال") not in _masculine_heads()


def verb(masculine: str, names: Sequence[str] | str) -> str:
    """``masculine`` (a present-tense verb in يـ) made to agree with the first of ``names``."""
    first = names if isinstance(names, str) else (names[0] if names else "")
    if masculine.startswith("ي") and feminine(first):
        return "ت" + masculine[1:]
    return masculine


LABELS: dict[str, dict[str, dict[str, str]]] = {
    "kind": {
        "contradiction": {"ar": "تناقض", "en": "contradiction"},
        "timing": {"ar": "توقيت", "en": "timing"},
        "numeric_discrepancy": {"ar": "تباين الأرقام", "en": "numeric discrepancy"},
        "date_discrepancy": {"ar": "تباين التواريخ", "en": "date discrepancy"},
        "agreement": {"ar": "اتفاق", "en": "agreement"},
        "unique": {"ar": "انفراد", "en": "unique"},
        "sourcing_contrast": {"ar": "تباين المصادر", "en": "sourcing contrast"},
        "naming": {"ar": "تسمية", "en": "naming"},
    },
    "status": {
        "unresolved": {"ar": "غير محسوم", "en": "unresolved"},
        "agreed": {"ar": "متفق عليه", "en": "agreed"},
        "consistent": {"ar": "متسق", "en": "consistent"},
        "single_source": {"ar": "مصدر واحد", "en": "single source"},
        "framing": {"ar": "تأطير", "en": "framing"},
    },
    "source": {
        "named_person": {"ar": "مصدر مسمّى", "en": "a named person"},
        "organization": {"ar": "جهة رسمية", "en": "an institution"},
        "media": {"ar": "تقارير إعلامية", "en": "media reports"},
        "anonymous": {"ar": "مصادر مجهولة", "en": "anonymous sources"},
        "unattributed": {"ar": "دون نسبة", "en": "no source"},
    },
    "position": {
        "asserts": {"ar": "يؤكد", "en": "asserts"},
        "anticipates": {"ar": "يتوقع", "en": "anticipates"},
        "denies": {"ar": "ينفي أو يستبعد", "en": "denies or rules out"},
        "hedges": {"ar": "يتحفظ", "en": "hedges"},
        "relays": {"ar": "ينقل عن تقارير", "en": "relays reports"},
    },
    "stage": {
        "anticipated": {"ar": "مرتقب", "en": "anticipated"},
        "ongoing": {"ar": "جارٍ", "en": "under way"},
        "done": {"ar": "قد وقع", "en": "done"},
    },
    "stage_as": {  # «بوصفه …»: the stage as a predicate
        "anticipated": {"ar": "مرتقبًا", "en": "anticipated"},
        "ongoing": {"ar": "جاريًا", "en": "under way"},
        "done": {"ar": "قد وقع", "en": "done"},
    },
}

# The order findings are reported in (verdicts first, the notes on them after).
KIND_ORDER = ("contradiction", "sourcing_contrast", "timing", "numeric_discrepancy",
              "date_discrepancy", "naming", "agreement", "unique")

TEMPLATES: dict[str, dict[str, str]] = {
    "contradiction": {
        "ar": "تناقض في {matter}: {v:يورد:aff} {aff} الأمر مؤكدًا أو قيد التحضير{aff_basis}، "
              "بينما {v:ينفيه:neg} {neg} أو {v:يستبعده:neg}{neg_basis}؛ المسألة غير محسومة.",
        "en": "Contradiction on {matter}: {aff} report it as happening or being prepared{aff_basis_en}, "
              "while {neg} deny or rule it out{neg_basis_en}; unresolved.",
    },
    "timing": {
        "ar": "توقيت في {matter}: {v:يتحدث:early} {early} عن الأمر بوصفه {early_stage}{early_when}، "
              "بينما {v:يورده:late} {late} بوصفه {late_stage}{late_when}.",
        "en": "Timing on {matter}: {early} tells it as {early_stage_en}{early_when_en}, while {late} "
              "reports it as {late_stage_en}{late_when_en}.",
    },
    "numeric_discrepancy": {
        "ar": "تباين في الأرقام: {a} {v:يذكر:a} «{qa}» و{b} {v:يذكر:b} «{qb}» للأمر نفسه.",
        "en": "Different figures: {a} gives {va} and {b} gives {vb} ({unit}) for the same thing.",
    },
    "date_discrepancy": {
        "ar": "تباين في التاريخ: {a} {v:يؤرخ:a} الحدث بـ«{da}» ({va}) و{b} بـ«{db}» ({vb}).",
        "en": "Different dates: {a} dates the event {va}, {b} {vb}.",
    },
    "agreement": {
        "ar": "اتفاق: {v:يورد:names} {names} الأمر نفسه: «{text}».",
        "en": "Agreement: {names} report the same thing: “{text}”.",
    },
    "unique": {
        "ar": "{v:ينفرد:name} {name} بذكر {count} لا ترد في {others}{figures}.",
        "en": "Only {name} reports {n} items{figures_en}.",
    },
    "sourcing_contrast": {
        "ar": "تباين في المصادر بشأن {matter}: {v:يستند:weak} {weak} إلى {weak_sources}، بينما "
              "{v:ينقل:strong} {strong} تصريحات منسوبة بالاسم ({strong_sources}).",
        "en": "Sourcing contrast on {matter}: {weak} relies on {weak_sources_en}, while {strong} "
              "quotes on-record sources ({strong_sources_en}).",
    },
    "naming": {
        "ar": "تسمية: {label} يُسمّى بأسماء مختلفة — {parts}.",
        "en": "Naming: {label_en} is named differently — {parts_en}.",
    },
}

_VERB = re.compile(r"\{v:([^:}]+):(\w+)\}")


def label(table: str, name: str, lang: str = "ar") -> str:
    """The label of ``name`` in ``table`` (kind, status, source, position, stage) in ``lang``."""
    entry = LABELS[table].get(name)
    return entry[lang] if entry else name.replace("_", " ")


def say(kind: str, lang: str, **fields: Any) -> str:
    """The explanation template of ``kind`` in ``lang``, filled with ``fields``."""
    template = TEMPLATES[kind][lang]
    template = _VERB.sub(lambda m: verb(m.group(1), str(fields.get(m.group(2), ""))), template)
    return template.format_map(_Fields(fields))


class _Fields(dict):
    """Template fields; a missing one reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def count_ar(n: int, noun: tuple[str, str, str, str] = ("أمر واحد", "أمرين", "أمور", "أمرًا")) -> str:
    """``n`` things counted in Arabic after a preposition: أمر واحد، أمرين، 3 أمور، 11 أمرًا."""
    one, two, few, many = noun
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{n} {few}" if n <= 10 else f"{n} {many}"


_MONTHS = {"ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                  "نوفمبر", "ديسمبر"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")}
_WEEKDAYS = {"ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
             "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}


def day_text(iso: str, lang: str = "ar") -> str:
    """A resolved date as a reader says it: ``2016-02-02`` → «الثلاثاء 2 فبراير 2016» / "Tuesday
    2 February 2016"; a month (``2016-02``) or a year as is, in words where it can be."""
    from datetime import date

    parts = iso.split("-")
    try:
        if len(parts) == 3:
            d = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{_WEEKDAYS[lang][d.weekday()]} {d.day} {_MONTHS[lang][d.month - 1]} {d.year}"
        if len(parts) == 2:
            return f"{_MONTHS[lang][int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return iso
