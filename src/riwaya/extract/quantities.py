"""Quantities: a number with what it counts, how it is qualified and in what currency or unit.

Numbers come from :mod:`riwaya.extract.numbers`; around each one this stage reads an approximator
before it (``نحو``, ``أكثر من``, ``almost``), a percent sign or word, a currency, and the counted
noun after it (``جندي``, ``غارة``, ``airstrikes``), keyed by an Arabic singular so that English and
Arabic mentions of one count compare. Numbers inside dates (a year, a day) and inside names of
places, people or organisations (the town ``الخمس``) are not quantities.

Number patterns run only over number tokens and tokens whose key is a number word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from riwaya.extract.arabic_regex import WORD_END, WORD_START, alternation, fold, trigger_windows
from riwaya.extract.numbers import find_numbers, number_triggers
from riwaya.model import Analysis, Qualifier, Quantity, QuantityKind
from riwaya.resources import load_json
from riwaya.text.normalize import key

_NEXT_WORD = re.compile(r"\s*([^\s\d،,.;؛:!?()\[\]«»\"“”'’]+)")
_EN_WORD = re.compile(r"[\s\-]*([A-Za-z][A-Za-z\-]*)")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    before: re.Pattern  # approximator ending right before the number
    after: re.Pattern  # percent / currency / qualifier right after it
    approx: dict[str, Qualifier]
    after_qual: dict[str, Qualifier]
    percent: frozenset[str]
    currency: dict[str, str]
    prefix_currency: re.Pattern
    units: dict[str, str]
    not_units: frozenset[str]
    known: frozenset[str]  # unit keys of the lexicon (a guessed unit after a year is a verb)


@cache
def _lexicon() -> _Lexicon:
    data = load_json("quantities_ar.json")
    approx = {fold(k): v for k, v in data["approximators"].items()}
    ar = [k for k in data["approximators"] if not k.isascii()]
    en = [k for k in data["approximators"] if k.isascii()]
    before = re.compile(rf"(?:{WORD_START}(?P<ar>{alternation(ar)})"
                        rf"|(?i:\b(?P<en>{'|'.join(sorted(en, key=len, reverse=True))})))\s*\$?\s*$")
    percent = data["percent"]
    currency = {fold(k): v for k, v in data["currencies"].items()}
    after_qual = {fold(k): v for k, v in data["after_qualifiers"].items()}
    tail = [*percent, *data["currencies"], *data["after_qualifiers"]]
    words = sorted({w for w in tail if w not in ("%", "٪", "$", "€", "£")}, key=len, reverse=True)
    after = re.compile(rf"\s*(?:(?P<sign>[%٪])"
                       rf"|(?P<word>{WORD_START}[بو]?(?:{alternation(words)}){WORD_END}))", re.IGNORECASE)
    units: dict[str, str] = {}
    for unit, forms in data["units"].items():
        for form in forms:
            units[form.lower() if form.isascii() else key(form)] = unit
            units.setdefault(fold(form), unit)
    return _Lexicon(before, after, approx, after_qual, frozenset(fold(p) for p in percent), currency,
                    re.compile(r"(?:US)?([$€£])\s*$"), units,
                    frozenset(fold(w) for w in data["not_units"]), frozenset(units.values()))


def _unit_after(text: str, pos: int, lex: _Lexicon) -> tuple[str | None, int]:
    """The counted noun after ``pos`` (its unit key) and where it ends."""
    m = _NEXT_WORD.match(text, pos)
    if m:
        word = m.group(1)
        if word.isascii():
            for _ in range(4):  # "more than 90 mid-level or high-level leaders"
                m = _EN_WORD.match(text, pos)
                if not m:
                    break
                unit = lex.units.get(m.group(1).lower())
                if unit:
                    return unit, m.end()
                pos = m.end()
            return None, pos
        folded = fold(word)
        unit = lex.units.get(folded) or lex.units.get(key(word))
        if unit:
            return unit, m.end()
        if folded not in lex.not_units and len(folded) > 1 and word[0] != "و":
            return key(word) or folded, m.end()
    return None, pos


def quantities_in(text: str, skip: Sequence[tuple[int, int]] = (),
                  windows: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Every quantity in ``text`` (spans outside ``skip``; inside ``windows`` if given)."""
    lex = _lexicon()
    out: list[Quantity] = []
    for n in find_numbers(text, skip=skip, windows=windows):
        start, end = n.start, n.end
        unit: str | None = None
        kind: QuantityKind = "vague" if n.vague else "count"
        qualifier: Qualifier | None = None
        window = text[max(0, start - 30):start]
        mb = lex.before.search(window)
        if mb:
            qualifier = lex.approx[fold(mb.group("ar"))] if mb.group("ar") else \
                lex.approx[mb.group("en").lower()]
            start -= len(window) - mb.start()
        mc = lex.prefix_currency.search(text, max(0, n.start - 4), n.start)
        if mc:
            unit, kind = {"$": "USD", "€": "EUR", "£": "GBP"}[mc.group(1)], "money"
            start = min(start, mc.start(1))
        ma = lex.after.match(text, n.end)
        if ma:
            word = fold(ma.group("word") or "").lstrip("بو") if ma.group("word") else ""
            full = fold(ma.group("word") or "")
            if ma.group("sign") or full in lex.percent or word in lex.percent:
                unit, kind, end = "%", "percent", ma.end()
            elif full in lex.currency or word in lex.currency:
                unit, kind, end = lex.currency.get(full) or lex.currency[word], "money", ma.end()
            elif full in lex.after_qual and not qualifier:
                qualifier = lex.after_qual[full]
        if kind in ("count", "vague") and unit is None:
            unit, unit_end = _unit_after(text, n.end, lex)
            if unit:
                end = unit_end
                mq = lex.after.match(text, end)
                if mq and mq.group("word") and fold(mq.group("word")) in lex.after_qual and not qualifier:
                    qualifier = lex.after_qual[fold(mq.group("word"))]
        if unit not in lex.known and kind == "count" and n.value and 1900 <= n.value <= 2100 \
                and n.value.is_integer() and text[n.start:n.end].isdigit():
            continue  # a bare year, even where no date pattern claimed it
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append(Quantity(start, end, text[start:end], n.value, unit, kind,
                            approximate=qualifier not in (None, "only"), qualifier=qualifier))
    return out


def annotate(analysis: Analysis) -> None:
    """Fill ``analysis.quantities``; run after the dates stage so years and days are left out."""
    doc = analysis.document
    skip = [(d.start, d.end) for d in analysis.dates]
    skip += [(m.start, m.end) for m in analysis.mentions if m.type in ("LOC", "PERS", "ORG")]
    windows = trigger_windows(doc, number_triggers(), 0, 0, numbers=True)
    found = quantities_in(doc.text, skip, windows)
    for q in found:
        q.sentence = doc.sentence_at(q.start)
    analysis.quantities = found
