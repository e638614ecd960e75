"""Page furniture inside a text's lines: spans that no claim should read, the text untouched.

Scraped pages glue a site's header to the headline and lead: ``title | site Main navigation
Search … الجمعة 8 ديسمبر 2017 15 : 35 title lead …``. Found here, on the text layer's tokens:

- phrases of ``data/text_furniture.txt`` (menus, log-in and subscription prompts, rights notices);
- time stamps (``15 : 35``, ``2017 / 11 / 15 الساعة 21 : 24 ( مكة المكرمة )``) anywhere, and
  date stamps in a text's first line, where a page prints its date;
- the short segments after the first between ``|`` bars (``| الجزيرة مباشر |``);
- a headline repeated later in its line (its second and later copies).

A line is looked at only when it holds a trigger (a phrase's first key, ``|``, a digit or ``:``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import pairwise

from riwaya.model import Token
from riwaya.resources import load_json, load_lines
from riwaya.text.normalize import key
from riwaya.text.phrases import Phrases, phrase_list

REPEAT = 4  # words of a headline repeated in its line that make the repetition furniture
SEGMENT_WORDS = 6  # a segment between bars at most this long, after the first, is a site name
_STAMP_PUNCT = frozenset(":/-,،()|.")


@cache
def _phrases() -> Phrases[None]:
    """Furniture phrases (punctuation tokens dropped)."""
    return phrase_list(load_lines("text_furniture.txt"), words_only=True)


@cache
def _date_words() -> frozenset[str]:
    """Keys of month and weekday names, and the words of time stamps."""
    months = load_json("dates_months.json")
    days = load_json("dates_ar.json")
    words = [n for series in months.values() for names in series.values() for n in names]
    words += [*days["weekdays"], *days["weekdays_en"]]
    words += ["الساعة", "ص", "م", "مساء", "صباحا", "ه", "هـ", "ت", "غ", "تغ", "gmt", "بتوقيت", "جرينتش",
              "غرينتش", "مكة", "المكرمة", "am", "pm", "نشر", "تحديث", "آخر", "بتاريخ"]
    return frozenset(key(p) for w in words for p in w.split())


def _words(tokens: Sequence[Token], lo: int, hi: int) -> list[int]:
    return [i for i in range(lo, hi) if tokens[i].kind not in ("punct", "symbol")]


def spans(text: str, tokens: Sequence[Token],
          lines: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """Furniture spans of a text, given its lines as ``(start, end, first token, end token)``."""
    phrases = _phrases()
    out: list[tuple[int, int]] = []
    for n, (start, end, lo, hi) in enumerate(lines):
        if hi <= lo:
            continue
        keys = [tokens[i].key for i in range(lo, hi)]
        bars = "|" in text[start:end]
        digits = any(tokens[i].kind == "number" for i in range(lo, hi))
        if not bars and not digits and not any(k in phrases for k in keys):
            continue
        marked: list[tuple[int, int]] = []  # token ranges
        words = _words(tokens, lo, hi)
        wkeys = [tokens[i].key for i in words]
        for j, phrase, _ in phrases.find(wkeys):
            marked.append((words[j], words[j + len(phrase) - 1] + 1))
        if digits:
            marked += _stamps(tokens, lo, hi, first_line=n == 0)
        if bars:
            marked += _bar_segments(tokens, lo, hi)
        if n == 0:
            marked += _repeats(tokens, words)
        out += [(tokens[a].start, tokens[b - 1].end) for a, b in marked]
    return merge(out)


def _stamps(tokens: Sequence[Token], lo: int, hi: int, first_line: bool) -> list[tuple[int, int]]:
    """Runs of numbers, date words and stamp punctuation holding a time (``hh : mm``), or, in a
    text's first line, a date (a number beside a month or weekday name, or ``d / m / y``)."""
    dates = _date_words()
    out = []
    i = lo
    while i < hi:
        j = i
        while j < hi and (tokens[j].kind in ("number", "percent") or tokens[j].key in dates
                          or (tokens[j].kind in ("punct", "symbol") and tokens[j].key in _STAMP_PUNCT)):
            j += 1
        if j > i:
            run = tokens[i:j]
            numbers = [t for t in run if t.kind == "number"]
            time = any(a.kind == "number" and b.key == ":" and c.kind == "number"
                       for a, b, c in zip(run, run[1:], run[2:], strict=False))
            dated = any(t.key in dates for t in run) or sum(t.key == "/" for t in run) >= 2
            if len(numbers) >= 2 and (time or (first_line and dated)):
                while i < j and tokens[i].kind in ("punct", "symbol") and tokens[i].key not in "()":
                    i += 1
                out.append((i, j))
            i = j
        i += 1
    return out


def _bar_segments(tokens: Sequence[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """The bars, and every short segment between bars after the first long one."""
    bars = [i for i in range(lo, hi) if tokens[i].key == "|"]
    out = [(i, i + 1) for i in bars]
    bounds = [lo - 1, *bars, hi]
    seen_title = False
    for a, b in pairwise(bounds):
        words = _words(tokens, a + 1, b)
        if not words:
            continue
        if seen_title and len(words) <= SEGMENT_WORDS:
            out.append((a + 1, b))
        elif len(words) >= 3:
            seen_title = True
    return out


def _repeats(tokens: Sequence[Token], words: list[int]) -> list[tuple[int, int]]:
    """The second and later copies of any :data:`REPEAT` words in a row of the line."""
    first: dict[tuple[str, ...], int] = {}
    out = []
    keys = [tokens[i].key for i in words]
    for j in range(len(keys) - REPEAT + 1):
        gram = tuple(keys[j:j + REPEAT])
        k = first.setdefault(gram, j)
        if k != j and j >= k + REPEAT:
            out.append((words[j], words[j + REPEAT - 1] + 1))
    return out


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, overlapping or adjacent ones joined."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
