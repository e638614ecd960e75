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
from typing import Any, NamedTuple

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
    "cell": {  # what an outlet's column says of a claim in the web app's outlet × claim matrix
        "states": {"ar": "يورد", "en": "states"},
        "agrees": {"ar": "يتفق", "en": "agrees"},
        "contradicts": {"ar": "يناقض", "en": "contradicts"},
        "differs": {"ar": "يختلف", "en": "differs"},
        "silent": {"ar": "صامت", "en": "silent"},
    },
    "stage": {
        "anticipated": {"ar": "مرتقب", "en": "anticipated"},
        "ongoing": {"ar": "جارٍ", "en": "under way"},
        "done": {"ar": "قد وقع", "en": "done"},
    },
    "story": {  # the workspace's story list and pages
        "single_outlet": {"ar": "وسيلة واحدة فقط", "en": "one outlet only"},
        "carried_by": {"ar": "نقلته أيضاً", "en": "also carried by"},
        "copies": {"ar": "نسخ من تقرير واحد", "en": "copies of one report"},
        "opinion": {"ar": "مقال رأي", "en": "opinion piece"},
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
        "ar": "{v:ينفرد:name} {name} بما لا يرد في {others}: {count}{figures}.",
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


# ---- counted nouns: "1 outlet", "2 outlets"; «وسيلة واحدة», «وسيلتان», «3 وسائل». Arabic agreement follows
# the number: one and two have their own forms, 3-10 take the plural, 11-99 the singular
# (accusative), hundreds the singular again; the last two digits decide above a hundred.
class ArabicNoun(NamedTuple):
    """The forms a counted Arabic noun takes."""

    one: str  # «مقال واحد»
    two: str  # dual: «مقالان»
    two_genitive: str  # the dual after a preposition: «من مقالين»
    plural: str  # 3–10: «مقالات»
    singular: str  # 11–99 (accusative) and hundreds: «مقالاً»
    hundred: str  # 100, 200 ... (genitive singular): «مقال»


AR_NOUNS = {
    "article": ArabicNoun("مقال واحد", "مقالان", "مقالين", "مقالات", "مقالاً", "مقال"),
    "outlet": ArabicNoun("وسيلة واحدة", "وسيلتان", "وسيلتين", "وسائل", "وسيلة", "وسيلة"),
    "story": ArabicNoun("قصة واحدة", "قصتان", "قصتين", "قصص", "قصة", "قصة"),
    "report": ArabicNoun("تقرير واحد", "تقريران", "تقريرين", "تقارير", "تقريرًا", "تقرير"),
    "finding": ArabicNoun("نتيجة واحدة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", "نتيجة"),
    "claim": ArabicNoun("ادعاء واحد", "ادعاءان", "ادعاءين", "ادعاءات", "ادعاءً", "ادعاء"),
    "result": ArabicNoun("نتيجة واحدة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", "نتيجة"),
    "item": ArabicNoun("أمر واحد", "أمران", "أمرين", "أمور", "أمرًا", "أمر"),
}


def count_en(n: int, noun: str, plural: str | None = None) -> str:
    """``1 outlet``, ``2 outlets``, ``1,200 articles`` (``plural`` where ``noun + "s"`` is wrong)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def count_ar(n: int, noun: str, genitive: bool = False) -> tuple[str, str]:
    """The number as shown and the Arabic noun form that goes after it: ``("", "مقال واحد")``
    for one and ``("", "مقالان")`` for two (the noun says the number), ``("3", "مقالات")``,
    ``("11", "مقالاً")``, ``("100", "مقال")``. ``noun`` is a key of :data:`AR_NOUNS`;
    ``genitive`` after a preposition («من مقالين»: only the dual changes)."""
    forms = AR_NOUNS[noun]
    if n == 0:
        return "0", forms.plural
    if n == 1:
        return "", forms.one
    if n == 2:
        return "", forms.two_genitive if genitive else forms.two
    tail = n % 100
    if 3 <= tail <= 10:
        return str(n), forms.plural
    if 11 <= tail <= 99:
        return str(n), forms.singular
    return str(n), forms.hundred


def count_ar_text(n: int, noun: str, genitive: bool = False) -> str:
    """:func:`count_ar` as one plain string: «مقال واحد», «3 مقالات»."""
    number, word = count_ar(n, noun, genitive)
    return f"{number} {word}" if number else word


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


def date_said(text: str, value: str | None, lang: str = "ar", anchor: str | None = None) -> str:
    """A date as the article wrote it and as resolved, with the day a relative one was counted
    from: «الثلاثاء المقبل»: الثلاثاء 2 فبراير 2016، محسوبًا من الخميس 28 يناير 2016."""
    quoted = f"«{text}»" if lang == "ar" else f"“{text}”"
    if not value:
        return quoted
    said = f"{quoted}: {day_text(value, lang)}" if anchor else day_text(value, lang)
    if anchor and anchor != value:
        said += (f"، محسوبًا من {day_text(anchor, lang)}" if lang == "ar"
                 else f", counted from {day_text(anchor, lang)}")
    return said

