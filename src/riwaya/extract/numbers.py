"""Numbers as written in news text: digits (Western or Arabic-Indic) and Arabic/English number words.

:func:`find_numbers` yields each number in a text as a span with its value: ``10,000``,
``١٠٬٠٠٠``, ``ثلاثة وعشرين`` (23), ``سبعة مليارات`` (7e9), ``بعشرة آلاف`` (10,000, clitic ``ب``
left outside the span's value but inside its text), ``نصف مليون``; ``عشرات``/``مئات`` are vague
(value ``None``). Words carrying the article (``الخمس``, a town) are never read as numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from riwaya.extract.arabic_regex import WORD_END, WORD_START, alternation, fold, trigger_keys
from riwaya.resources import load_json

_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
DIGITS = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
NUMBER_DIGITS = (rf"(?:(?<=\s[وبلف])|(?<![\w\-/.,،:]))"
                 rf"(?:{DIGITS}{{1,3}}(?:\.{DIGITS}{{3}}){{2,}}"  # 1.742.000: dots between thousands
                 rf"|{DIGITS}+[,٬،]{DIGITS}{{1,2}}(?!{DIGITS})"  # 1,3 مليون, 2،14 درهم: a decimal comma
                 rf"|{DIGITS}+ر{DIGITS}+"  # 5ر33 / 18ر3: the agencies' decimal mark, read either way round
                 rf"|{DIGITS}+(?:[,٬]{DIGITS}{{3}})*(?:[.٫]{DIGITS}+)?)"
                 rf"(?![\w/]|[.,٫٬،]{DIGITS})")
# "9.599 تجمعاً": one dot before three digits, no scale word after it: a thousands mark or a decimal one
_DOT_THOUSANDS = re.compile(rf"{DIGITS}{{1,3}}[.٫]{DIGITS}{{3}}")


_CONTINUATIONS = {"الالاف", "الملايين"}  # only after a vague word: عشرات الآلاف


@dataclass(slots=True)
class Number:
    start: int
    end: int
    value: float | None  # None when vague ("عشرات")
    vague: bool = False


class NumberWord(NamedTuple):
    """What a number word is: ``units``, ``tens``, ``hundreds``, ``scales``, ``duals``,
    ``fractions`` or ``vague``, and its value (0 for a vague one)."""

    kind: str
    value: float


@dataclass(frozen=True, slots=True)
class _Lexicon:
    kinds: dict[str, NumberWord]  # folded word -> what it is
    plural_scales: frozenset[str]  # folded: آلاف, ملايين alone are "thousands", "millions"
    ordinal_before: re.Pattern  # an ordinal unit right before عشر: الثانية عشرة is "twelfth"
    regex: re.Pattern
    triggers: frozenset[str]  # token keys of the number words with their clitics


@cache
def _lexicon() -> _Lexicon:
    data = load_json("numbers_ar.json")
    kinds: dict[str, NumberWord] = {}
    for kind in ("units", "tens", "hundreds", "scales", "duals", "fractions"):
        for word, value in data[kind].items():
            kinds[fold(word)] = NumberWord(kind, float(value))
    for word, value in data["english_units"].items():
        kind = "units" if value < 20 else "tens" if value < 100 else "hundreds"
        kinds[word] = NumberWord(kind, float(value))
    for word in data["vague"]:
        kinds.setdefault(fold(word), NumberWord("vague", 0.0))
    arabic = [w for w in kinds if not w.isascii()]
    english = [w for w in kinds if w.isascii()]
    words = (rf"{WORD_START}(?P<clitic>[وف]?[بلك]?)(?P<word>{alternation(arabic)}){WORD_END}"
             rf"|(?i:\b(?P<en>{'|'.join(sorted(english, key=len, reverse=True))})\b)")
    clitics = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
    raw = [w for kind in ("units", "tens", "hundreds", "scales", "duals", "fractions", "vague")
           for w in data[kind]]
    triggers = trigger_keys(raw, clitics) | frozenset(english)
    plural = frozenset(w for w in (fold(v) for v in data["vague"]) if kinds[w].kind == "scales")
    ordinal = re.compile(rf"(?:^|\s)(?:{alternation(data['ordinal_units'])})\s+$")
    return _Lexicon(kinds, plural, ordinal, re.compile(rf"(?P<digits>{NUMBER_DIGITS})|{words}"), triggers)


def number_triggers() -> frozenset[str]:
    """Token keys of number words (number tokens trigger too): see ``arabic_regex.trigger_windows``."""
    return _lexicon().triggers


def digits_value(s: str) -> float:
    return float(s.translate(_DIGIT_TABLE).replace(",", ""))


def _written_value(s: str) -> float | None:
    """The value of a number written in digits, None where the writing leaves it open: ``1,3``
    is 1.3, ``1.742.000`` is 1742000, and ``5ر33`` (agencies' copy, the decimal mark ``ر``)
    is 5.33 in one outlet's text and 33.5 in another's."""
    t = s.translate(_DIGIT_TABLE)
    if "ر" in t:
        return None
    if t.count(".") > 1:
        return float(t.replace(".", ""))
    head, sep, tail = t.replace("،", ",").partition(",")
    if sep and len(tail) < 3 and "," not in tail:
        return float(f"{head}.{tail}")
    return float(t.replace(",", ""))


def _atoms(text: str, spans: list[tuple[int, int]]):
    lex = _lexicon()
    for m in (m for s, e in spans for m in lex.regex.finditer(text, s, e)):
        if m.group("digits"):
            value = _written_value(m.group())
            yield m.start(), m.end(), "digits" if value is not None else "unread", value or 0.0, ""
        else:
            word = m.group("word") or m.group("en")
            kind, value = lex.kinds[fold(word) if m.group("word") else word.lower()]
            yield m.start(), m.end(), kind, value, m.group("clitic") or ""


def _value(atoms: list[tuple]) -> tuple[float | None, bool]:
    """Compose ``(kind, value, clitic)`` atoms into one value: units and tens add, scales multiply."""
    if atoms[0][0] in ("vague", "unread"):
        return None, True
    total, current, last_scale = 0.0, 0.0, 0.0
    previous = ""
    for kind, value, _ in atoms:
        if kind == "scales" and previous == "fractions" and value == last_scale and not current:
            previous = kind
            continue  # مليون ونصف مليون: the fraction's scale said again
        previous = kind
        if kind == "scales":
            base = current or 1.0
            if total and total < value:
                total = (total + base) * value
            else:
                total += base * value
            current, last_scale = 0.0, value
        elif kind == "hundreds" and value == 100 and 1 <= current <= 9:
            current *= 100
        elif kind == "fractions" and last_scale and not current:
            total += value * last_scale
        else:
            current += value
    return total + current, False


def _joins(prev: tuple, atom: tuple, gap: str) -> bool:
    """Whether ``atom`` continues the number that ``prev`` ends."""
    if atom[2] == "digits" and prev[2] == "scales" and gap.strip() == "و":
        return True  # 25 ألفا و823 صوتا, 3 ملايين و64 ألف برميل
    if gap.strip() or atom[2] in ("digits", "unread") or prev[2] == "duals" or atom[2] == "duals":
        return False
    pk, ak, conj = prev[2], atom[2], atom[4].startswith("و")
    if prev[2] == "vague":
        return ak == "scales" and fold(_word(atom)) in _CONTINUATIONS
    if ak == "scales":
        return not conj or pk == "fractions"
    if ak == "vague":
        return False
    if ak == "units" and atom[3] == 10 and pk == "units" and not conj:  # teens: ثلاثة عشر
        return True
    if ak == "hundreds" and atom[3] == 100 and pk == "units" and not conj:  # ثلاث مئة
        return True
    if ak == "fractions":
        return conj and pk == "scales"
    return conj  # ثلاثة وعشرين, ألف وخمسمائة


def _word(atom: tuple) -> str:
    return atom[5] if len(atom) > 5 else ""


def _union(spans) -> tuple[list[int], list[int]]:
    """Sorted ``spans`` merged where they overlap: (starts, ends) for :func:`_inside`."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if s >= e:
            continue  # an empty span holds nothing
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _inside(union: tuple[list[int], list[int]], pos: int) -> bool:
    """Whether some span of the union holds ``pos`` (``s <= pos < e``)."""
    i = bisect_right(union[0], pos) - 1
    return i >= 0 and pos < union[1][i]


def find_numbers(text: str, start: int = 0, end: int | None = None,
                 skip: Sequence[tuple[int, int]] = (),
                 windows: list[tuple[int, int]] | None = None) -> list[Number]:
    """Every number in ``text[start:end]`` outside the ``skip`` spans, as composed values.

    ``windows`` (sorted, inside ``[start, end)``) limits the search to those spans: the windows
    around number tokens and number words the quantities stage passes.
    """
    end = len(text) if end is None else end
    spans = [(start, end)] if windows is None else windows
    skipped = _union(skip)
    atoms = [(*a[:2], *a[2:], text[a[0] + len(a[4]):a[1]]) for a in _atoms(text, spans)
             if not _inside(skipped, a[0])]
    out: list[Number] = []
    group: list[tuple] = []

    def flush() -> None:
        if not group:
            return
        if fold(_word(group[0])) in _CONTINUATIONS:
            group.clear()
            return
        if len(group) == 1 and group[0][3] == 1 and group[0][2] == "units":  # أحد / إحدى alone
            group.clear()
            return
        if group[0][2] == "units" and group[0][3] == 10 and not group[0][4] \
                and _lexicon().ordinal_before.search(text, max(0, group[0][0] - 12), group[0][0]):
            group.clear()  # الساعة الثانية عشرة, المرتبة الحادية عشرة: an ordinal
            return
        if len(group) == 1 and group[0][2] == "scales" and fold(_word(group[0])) in _lexicon().plural_scales:
            out.append(Number(group[0][0] + len(group[0][4]), group[0][1], None, True))  # ملايين alone
            group.clear()
            return
        value, vague = _value([(a[2], a[3], a[4]) for a in group])
        if len(group) == 1 and _DOT_THOUSANDS.fullmatch(text, group[0][0], group[0][1]) \
                and not text[group[0][1]:group[0][1] + 2].strip().startswith(("%", "٪")):
            value, vague = None, True  # (with a scale word after it, a decimal: 3.064 مليون)
        s = group[0][0] + len(group[0][4])  # the span starts after a clitic (بعشرة → عشرة)
        out.append(Number(s, group[-1][1], value, vague))
        group.clear()

    for atom in atoms:
        if group and not _joins(group[-1], atom, text[group[-1][1]:atom[0]]):
            flush()
        group.append(atom)
    flush()
    return out
