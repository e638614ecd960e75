"""Dates: absolute (``02 February 2016``, ``2 شباط/فبراير 2016``, ``2/2/2016``), Hijri, years, weekdays
and relative expressions (``الثلاثاء المقبل``, ``أمس``, ``العام القادم``, ``منذ ثلاثة أيام``).

Relative dates are resolved against ``Article.published`` when it is known, otherwise kept relative
(``value=None, relative=True``). A bare weekday in a past-tense clause is the latest such day on or
before publication; with a future verb (``سيعقد``) the first on or after; ``X المقبل`` the first
after, ``X الماضي`` the last before. Month names come in every regional series (CLDR via babel).
Hijri dates (``15 رمضان 1436 هـ``, ``3/9/1436هـ``) are converted by the Umm al-Qura calendar
(hijridate); a Hijri year alone stays text (it straddles two Gregorian years).

Speed: the one large pattern is tried only at tokens a date can open with, inside windows around
the tokens every date holds (a month, weekday, day word, unit word or number): see
:func:`riwaya.extract.arabic_regex.trigger_windows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, NamedTuple, cast
from urllib.parse import unquote

from hijridate import Gregorian, Hijri

from riwaya.extract.arabic_regex import (
    WORD_END,
    WORD_START,
    alternation,
    fold,
    matches_at_tokens,
    merge_windows,
    token_windows,
    trigger_keys,
    trigger_tokens,
)
from riwaya.extract.cues import clause_end, is_future_verb
from riwaya.extract.numbers import DIGITS, digits_value, find_numbers
from riwaya.model import Analysis, DateExpr, Dateline, Granularity, Tense
from riwaya.resources import load_json

_FUTURE_AR = ("سوف", "من المقرر", "من المنتظر", "يعتزم", "تعتزم")
_FUTURE_WORDS = re.compile(rf"{WORD_START}[وف]?(?:{'|'.join(_FUTURE_AR)}){WORD_END}"
                           rf"|\b(?:will|is to|are to|plans? to)\b")
_FUTURE_LITERALS = (*_FUTURE_AR, "will", "is to", "are to", "plan")  # one is in every match
_FUTURE_VERB = re.compile(rf"{WORD_START}[وف]?س[يتنأا][\w\u064b-\u065f\u0670\u0640]{{2,}}")
_D = DIGITS


class SpanUnit(NamedTuple):
    """What a span word means: ``unit`` (day, week, month, year) times ``n`` (``يومين``: day, 2)."""

    unit: str
    n: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    regex: re.Pattern
    months: dict[str, int]
    hijri: dict[str, int]
    weekdays: dict[str, int]
    offsets: dict[str, int]
    units: dict[str, str]
    span_units: dict[str, SpanUnit]
    nxt: frozenset[str]
    last: frozenset[str]
    names: frozenset[str]  # token keys of months, weekdays and days (أمس): match anchors
    starters: frozenset[str]  # token keys a match can open with (besides a number)
    unit_keys: frozenset[str]  # token keys of الأسبوع، يوم، أعوام ... (العام المقبل, منذ ثلاثة أيام)


_MONTH_IN = ("في", "خلال", "منذ", "مطلع", "منتصف", "أواخر", "نهاية", "شهر")  # + a month name
_NOT_TRIGGERS = {"من", "بعد", "قبل", "في"}  # words of phrases too common to gate on
# a match holds a trigger token at most this many tokens from its start and its end
# (every match holds a name, a unit or a number token). Names: ``2 من شباط/فبراير من عام 2016``,
# ``مساء يوم الثلاثاء``; units: ``منذ ثلاثة وعشرين يوما``, ``العام المقبل``; numbers: ``في عام 2016``,
# ``2016-02-02`` (a number's day-month forms are the month's own windows).
_NAMES, _UNITS, _NUMBERS = (4, 8), (3, 1), (1, 4)


def _alt(words) -> str:
    ar = [w for w in words if not w.isascii()]
    en = [w for w in words if w.isascii()]
    parts = []
    if ar:
        parts.append(f"{WORD_START}{alternation(ar)}{WORD_END}")
    if en:
        parts.append(rf"(?i:\b(?:{'|'.join(sorted(en, key=len, reverse=True))})\b)")
    return "(?:" + "|".join(parts) + ")"


@cache
def _lexicon() -> _Lexicon:
    months_data = load_json("dates_months.json")
    data = load_json("dates_ar.json")
    months = {fold(n) if not n.isascii() else n.lower(): int(m)
              for series in ("gregorian", "english") for m, names in months_data[series].items()
              for n in names}
    hijri = {fold(n): int(m) for m, names in months_data["hijri"].items() for n in names}
    weekdays = {**{fold(k): v for k, v in data["weekdays"].items()}, **data["weekdays_en"]}
    month = _alt([n for s in ("gregorian", "english") for ns in months_data[s].values() for n in ns])
    month2 = rf"{month}(?:\s*[/\\(-]\s*{month}\)?)?"  # شباط/فبراير, فبراير (شباط)
    hij = _alt([n for ns in months_data["hijri"].values() for n in ns])
    wd_ar = alternation(data["weekdays"])
    wd_en = "|".join(data["weekdays_en"])
    rel = _alt(data["next"] + data["last"] + data["this"])
    part = alternation(data["day_parts"])
    year = rf"(?P<year>{_D}{{4}})"
    sep = r"[\s,،]*(?:(?:عام|سنة|من\s+عام)\s+)?"
    span_words = list(data["span_units"])
    num_words = r"[\w\u064b-\u065f\u0670]+(?:\s+[\w\u064b-\u065f\u0670]+)?"
    patterns = [
        rf"(?P<iso>{_D}{{4}}(?P<isp> ?)[/-](?P=isp){_D}{{1,2}}(?P=isp)[/-](?P=isp){_D}{{1,2}})"
        r"(?![\w/])(?!\s*هـ?(?!\w))",
        rf"(?<![\w/.]{{1}})(?P<hnumeric>{_D}{{1,2}}[/.-]{_D}{{1,2}}[/.-]{_D}{{4}})\s*هـ",
        rf"(?<![\w/.]{{1}})(?P<numeric>{_D}{{1,2}}(?P<nsp> ?)[/.-](?P=nsp){_D}{{1,2}}"
        rf"(?P=nsp)[/.-](?P=nsp){_D}{{4}})"
        r"(?![\w/])",
        rf"(?P<hday>{_D}{{1,2}})\s+(?P<hmonth>{hij})(?:\s+(?P<hyear>{_D}{{4}}))?\s*(?:هـ|ه)?(?!\w)",
        rf"(?<![\w.]{{1}})(?P<day>{_D}{{1,2}})(?:st|nd|rd|th)?\s+(?:(?:من|of)\s+)?(?P<month>{month2})"
        rf"(?:{sep}{year})?",
        rf"(?P<month_first>{month})\s+(?P<day2>{_D}{{1,2}}),?\s+(?P<year2>{_D}{{4}})",
        rf"(?P<month_only>{month2}){sep}(?P<year3>{_D}{{4}})",
        rf"(?P<hyear_only>{_D}{{4}})\s*هـ",
        rf"(?P<year_cue>{_alt(data['year_cues'])})\s+(?P<year4>(?:19|20){_D}{{2}})(?![\w/-])",
        rf"(?P<month_in>{WORD_START}(?:{'|'.join(_MONTH_IN)})\s+{month2})"
        rf"(?:{sep}(?P<year5>{_D}{{4}}))?",
        rf"(?:{WORD_START}(?:{part})\s+)?(?P<weekday>{WORD_START}[وفب]?{wd_ar}{WORD_END}|\b(?:{wd_en}|"
        rf"{'|'.join(w.capitalize() for w in data['weekdays_en'])})\b)(?:\s+(?P<wd_rel>{rel}))?",
        rf"(?i:\b(?P<wd_rel_en>next|last|this)\s+(?P<weekday_en>{wd_en})\b)",
        rf"(?P<unit_rel>{WORD_START}(?:{alternation(list(data['units'])[:4])}|هذا\s+(?:الأسبوع|الشهر|العام))"
        rf"(?:\s+(?P<unit_rel_word>{rel}))?{WORD_END})",
        r"(?i:\b(?P<unit_rel_en>next|last|this)\s+(?P<unit_en>week|month|year)\b)",
        rf"(?P<ago>{_alt(data['ago'] + data['ahead'])})\s+(?P<ago_n>{num_words}?\s*)?"
        rf"(?P<ago_unit>{_alt(span_words)})",
        rf"(?P<offset>{WORD_START}[وف]?{alternation([w for w in data['days_offset'] if not w.isascii()])}"
        rf"{WORD_END}|(?i:\b(?:yesterday|today|tonight|tomorrow)\b))",
    ]
    words = [n for ns in (*months_data["gregorian"].values(), *months_data["english"].values(),
                          *months_data["hijri"].values()) for n in ns] + list(data["weekdays_en"])
    words = [w for phrase in words for w in phrase.split() if w not in _NOT_TRIGGERS]
    offsets = [w for phrase in data["days_offset"] for w in phrase.split() if w not in _NOT_TRIGGERS]
    names = (trigger_keys(words) | trigger_keys(data["weekdays"], ("", "و", "ف", "ب"))
             | trigger_keys(offsets, ("", "و", "ف")))
    units = trigger_keys([*data["units"], *data["span_units"]]) - names
    first = [p.split()[0] for p in (*data["day_parts"], *data["year_cues"], *_MONTH_IN,
                                    *data["units"], *data["ago"], *data["ahead"])]
    first += ["هذا", "next", "last", "this", *(p.split()[0] for p in data["days_offset"])]
    starters = names | trigger_keys(first, ("", "و", "ف"))
    return _Lexicon(
        re.compile("|".join(patterns)), months, hijri, weekdays,
        {fold(k) if not k.isascii() else k: v for k, v in data["days_offset"].items()},
        {fold(k) if not k.isascii() else k: v for k, v in data["units"].items()},
        {fold(k): SpanUnit(u, n) for k, (u, n) in data["span_units"].items()},
        frozenset(fold(w) for w in data["next"]), frozenset(fold(w) for w in data["last"]),
        names, starters, units)


def _month_of(name: str, lex: _Lexicon) -> int | None:
    name = re.split(r"\s*[/\\(-]\s*", name.strip())[0]
    return lex.months.get(fold(name)) or lex.months.get(name.lower())


TENSE_REACH = 400  # characters before a date that its clause may start


def _tense(text: str, start: int, end: int, sent_start: int) -> Tense | None:
    """``future`` when the clause around the date has a future verb or particle, else ``past``."""
    lo = max(sent_start, start - TENSE_REACH)  # bounded: one date's work must not grow with the sentence
    s = max([lo] + [text.rfind(c, lo, start) + 1 for c in "،,.\n؛;"])
    e = clause_end(text, end, min(len(text), end + 200))
    window = text[s:e]
    if any(w in window for w in _FUTURE_LITERALS) and _FUTURE_WORDS.search(window):
        return "future"
    for m in _FUTURE_VERB.finditer(window):
        if is_future_verb(m.group()):
            return "future"
    return "past"


def _weekday(anchor: date, wd: int, mode: str) -> date:
    """``mode``: on_or_before | before | on_or_after | after."""
    if mode in ("on_or_before", "before"):
        back = (anchor.weekday() - wd) % 7
        if back == 0 and mode == "before":
            back = 7
        return anchor - timedelta(days=back)
    ahead = (wd - anchor.weekday()) % 7
    if ahead == 0 and mode == "after":
        ahead = 7
    return anchor + timedelta(days=ahead)


def _shift_month(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _year_for(month: int | None, day: int, anchor: date | None, tense: str | None) -> int | None:
    if anchor is None or month is None:
        return None
    if tense == "future" and (month, day) < (anchor.month, anchor.day):
        return anchor.year + 1
    if tense != "future" and (month, day) > (anchor.month, anchor.day + 7):
        return anchor.year - 1
    return anchor.year


HIJRI_YEARS = (1300, 1500)  # a numeric date's year in this range is Hijri (1882-2077 CE)


def _iso(y: int | None, m: int | None, d: int | None = None) -> str | None:
    if y is None or m is None:
        return None
    try:
        return date(y, m, d).isoformat() if d else f"{date(y, m, 1).year:04d}-{m:02d}"
    except ValueError:
        return None


def _hijri_iso(y: int | None, m: int | None, d: int) -> str | None:
    """The Gregorian ISO date of a Hijri (Umm al-Qura) date; None outside 1343–1500 AH or invalid."""
    if y is None or m is None:
        return None
    try:
        return Hijri(y, m, d).to_gregorian().isoformat()
    except (ValueError, OverflowError):
        return None


def _hijri_year_for(month: int | None, day: int, anchor: date | None, tense: str | None) -> int | None:
    """The Hijri year of a day and month given without one: the anchor's, or the year before when
    that would put a past event after the anchor (or the year after, for a future one)."""
    if anchor is None or month is None:
        return None
    try:
        y = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri().year
    except (ValueError, OverflowError):
        return None
    iso = _hijri_iso(y, month, day)
    if iso and tense == "past" and iso > anchor.isoformat():
        return y - 1
    if iso and tense == "future" and iso < anchor.isoformat():
        return y + 1
    return y


def _year(y: int) -> str:
    if not 1 <= y <= 9999:
        raise ValueError(f"year {y} is out of range")
    return str(y)


def _guard(resolve: Callable[..., Any], *args: Any) -> Any:
    """``resolve(*args)``, or None where the date falls off the calendar (``منذ مليون يوم``)."""
    try:
        return resolve(*args)
    except (OverflowError, ValueError):
        return None


def dates_in(text: str, anchor: date | None, sentences: list[tuple[int, int]] | None = None,
             windows: list[tuple[int, int]] | None = None, doc=None,
             starters: list[int] | None = None) -> list[DateExpr]:
    """Every date expression in ``text``, resolved against ``anchor`` (the publication day).

    ``windows`` limits the search to those spans (the trigger windows of :func:`annotate`); with
    ``doc`` (the text's Document) matches are tried only where its tokens start, and with
    ``starters`` (token indices) only at those tokens.
    """
    lex = _lexicon()
    out: list[DateExpr] = []
    sentences = sentences or [(0, len(text))]
    si = 0
    anchor_iso = anchor.isoformat() if anchor else None
    if doc is not None and windows is not None:
        found = matches_at_tokens(lex.regex, doc, windows, starters)
    else:
        spans = [(0, len(text))] if windows is None else windows
        found = (m for s, e in spans for m in lex.regex.finditer(text, s, e))
    for m in found:
        g = m.groupdict()
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while si + 1 < len(sentences) and sentences[si][1] <= start:
            si += 1
        tense = _tense(text, start, end, sentences[si][0])
        value: str | None = None
        gran: Granularity = "day"
        relative = False
        y: int | None
        mo: int | None
        if g["iso"]:
            y, mo, d = (int(digits_value(x.strip())) for x in re.split(r"[/-]", g["iso"]))
            value = _iso(y, mo, d)
        elif g["numeric"]:
            d, mo, y = (int(digits_value(x.strip())) for x in re.split(r"[/.-]", g["numeric"]))
            if HIJRI_YEARS[0] <= y <= HIJRI_YEARS[1]:  # 5/3/1427 without هـ: a Hijri date still
                value = _hijri_iso(y, mo, d)
            else:
                value = _iso(y, mo, d) if mo <= 12 else _iso(y, d, mo)
        elif g["hnumeric"]:
            d, mo, y = (int(digits_value(x)) for x in re.split(r"[/.-]", g["hnumeric"]))
            value = _hijri_iso(y, mo, d)
        elif g["hday"]:
            mo, d = lex.hijri.get(fold(g["hmonth"])), int(digits_value(g["hday"]))
            y = int(digits_value(g["hyear"])) if g["hyear"] else _hijri_year_for(mo, d, anchor, tense)
            value, relative = (_hijri_iso(y, mo, d) if y and mo else None), not g["hyear"]
        elif g["hyear_only"]:
            value, gran = None, "year"  # a Hijri year straddles two Gregorian ones: kept as text
        elif g["day"]:
            mo, d = _month_of(g["month"], lex), int(digits_value(g["day"]))
            y = int(digits_value(g["year"])) if g["year"] else _year_for(mo, d, anchor, tense)
            value, relative = (_iso(y, mo, d) if y and mo else None), not g["year"]
        elif g["month_first"]:
            value = _iso(int(digits_value(g["year2"])), _month_of(g["month_first"], lex),
                         int(digits_value(g["day2"])))
        elif g["month_only"]:
            value, gran = _iso(int(digits_value(g["year3"])), _month_of(g["month_only"], lex)), "month"
        elif g["year_cue"]:
            start = m.start("year4")
            value, gran = str(int(digits_value(g["year4"]))), "year"
        elif g["month_in"]:
            mo = _month_of(re.sub(r"^\S+\s+", "", g["month_in"]), lex)
            y = int(digits_value(g["year5"])) if g["year5"] else (
                _year_for(mo, 1, anchor, tense) if mo else None)
            value, gran, relative = (_iso(y, mo) if y and mo else None), "month", not g["year5"]
            start = m.start() + len(g["month_in"]) - len(re.sub(r"^\S+\s+", "", g["month_in"]))
        elif g["weekday"] or g["weekday_en"]:
            name = (g["weekday"] or g["weekday_en"])
            key = fold(name).lstrip("وفب") if not name.isascii() else name.lower()
            if key not in lex.weekdays and key[:1] in "وفب":
                key = key[1:]
            wd = lex.weekdays.get(key if key in lex.weekdays else fold(name))
            rel = fold(g["wd_rel"] or "") or (g["wd_rel_en"] or "").lower()
            mode = ("after" if rel in lex.nxt else "before" if rel in lex.last else
                    "on_or_after" if tense == "future" else "on_or_before")
            relative = True
            if anchor and wd is not None:
                day = _guard(_weekday, anchor, wd, mode)
                value = day.isoformat() if day else None
            if rel in lex.nxt:
                tense = "future"
        elif g["unit_rel"] or g["unit_rel_en"]:
            words = fold(g["unit_rel"] or "").split() or [g["unit_rel_en"].lower(), g["unit_en"].lower()]
            if words[0] == "هذا":
                words = [words[1], "this"]
            elif words[0] in ("this", "next", "last"):
                words = [words[1], words[0]]
            rel = words[1] if len(words) > 1 else ""
            if not rel:  # a bare "العام" is not a date
                continue
            unit = lex.units.get(words[0], "year")
            step = 1 if rel in lex.nxt or rel == "next" else -1 if rel in lex.last or rel == "last" else 0
            gran, relative = cast(Granularity, unit), True
            if step > 0:
                tense = "future"
            if anchor:
                value = _guard(_relative_unit, anchor, unit, step)
        elif g["ago"]:
            ago_word = fold(g["ago"]) if not g["ago"].isascii() else g["ago"]
            unit_key = fold(g["ago_unit"])
            unit, n = lex.span_units.get(unit_key, SpanUnit("day", 1))
            if g["ago_n"] and g["ago_n"].strip():
                nums = find_numbers(g["ago_n"])
                if not nums or nums[0].value is None:
                    continue
                n = int(nums[0].value)
            elif unit_key not in {fold(w) for w in ("يومين", "أسبوعين", "شهرين", "عامين", "سنتين")}:
                continue  # "بعد يوم" / "منذ عام" alone: too vague to place
            sign = -1 if ago_word in ("منذ", "قبل") else 1
            gran, relative = cast(Granularity, unit), True
            if sign > 0:
                tense = "future"
            if anchor:
                value = _guard(_relative_span, anchor, unit, sign * n)
        elif g["offset"]:
            word = fold(m.group("offset"))
            word = word if word in lex.offsets else word[1:]
            days = lex.offsets.get(word, lex.offsets.get(m.group("offset").lower(), 0))
            relative = True
            if anchor:
                value = _guard(_relative_span, anchor, "day", days)
        out.append(DateExpr(start, end, text[start:end], value, gran, relative,
                            anchor_iso if relative else None, tense))
    return out


def _month_iso(d: date) -> str:
    """``YYYY-MM``, the year zero-padded (strftime's ``%Y`` is not, for years before 1000)."""
    return f"{d.year:04d}-{d.month:02d}"


def _relative_unit(anchor: date, unit: str, step: int) -> str:
    if unit == "year":
        return _year(anchor.year + step)
    if unit == "month":
        return _month_iso(_shift_month(anchor, step))
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
    return monday.isoformat()


def _relative_span(anchor: date, unit: str, n: int) -> str:
    if unit == "day":
        return (anchor + timedelta(days=n)).isoformat()
    if unit == "week":
        return (anchor + timedelta(weeks=n)).isoformat()
    if unit == "month":
        return _month_iso(_shift_month(anchor, n))
    return _year(anchor.year + n)


HEADER_CHARS = 300  # where a page prints its date, before or around the headline
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?=[/._-]|$)")


def dateline(article_url: str | None, found: list[DateExpr]) -> Dateline | None:
    """The publication day an undated article's URL or header gives: a ``/YYYY/MM/DD/`` path,
    else the earliest full date printed in the first :data:`HEADER_CHARS` characters (a page
    header may also print the day it was fetched, always the later one)."""
    if article_url:
        m = _URL_DATE.search(unquote(article_url))
        if m:
            value = _iso(*(int(x) for x in m.groups()))
            if value:
                return Dateline(value, "url")
    header = [(d.value, d.start, d.end) for d in found if d.start < HEADER_CHARS and d.value
              and d.granularity == "day" and not d.relative and len(d.value) == 10]
    if not header:
        return None
    value, start, end = min(header)
    return Dateline(value, "header", start, end)


def annotate(analysis: Analysis) -> None:
    """Fill ``analysis.dates``, resolved against the article's publication day; where it has
    none, against the day its URL or header gives (``analysis.dateline``)."""
    doc = analysis.document
    published = analysis.article.published
    anchor = published.date() if published else None
    lex = _lexicon()
    names, units, numbers = (trigger_tokens(doc, keys, numbers=keys is None)
                             for keys in (lex.names, lex.unit_keys, None))
    windows = None if names is None else merge_windows(
        token_windows(doc, names, *_NAMES), token_windows(doc, units, *_UNITS),
        token_windows(doc, numbers, *_NUMBERS))
    starters = trigger_tokens(doc, lex.starters, numbers=True)
    sentences = [(s.start, s.end) for s in doc.sentences]
    found = dates_in(doc.text, anchor, sentences, windows, doc, starters)
    if anchor is None:
        analysis.dateline = dateline(analysis.article.url, found)
        if analysis.dateline is not None and any(d.relative for d in found):
            anchor = date.fromisoformat(analysis.dateline.value)
            found = dates_in(doc.text, anchor, sentences, windows, doc, starters)
    for d in found:
        d.sentence = doc.sentence_at(d.start)
    analysis.dates = found
