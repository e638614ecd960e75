"""Language segments: Arabic vs Latin script first, then a detector on Latin stretches only.

A stretch of Latin-script words with no Arabic word between them becomes its own segment when
it has at least ``MIN_LATIN_WORDS`` words (so a stray ``TTU`` or ``John Kerry`` inside an Arabic
sentence stays in the ``ar`` segment); lingua, restricted to a few languages and built on first
use, names its language. Everything else is ``ar``.
"""

from __future__ import annotations

import re
from functools import cache

from riwaya.model import Segment, Token
from riwaya.text.tokenize import AR_FORMS, AR_LETTER

MIN_LATIN_WORDS = 4
LATIN_LANGUAGES = ("ENGLISH", "FRENCH", "SPANISH", "ITALIAN", "GERMAN")
DEFAULT_LATIN = "en"
_ARABIC = re.compile(f"[{AR_LETTER}{AR_FORMS}]")


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in LATIN_LANGUAGES]
    # undecided (e.g. a product name) → None → DEFAULT_LATIN rather than a wild guess
    return LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(0.1).build()


def latin_language(text: str) -> str:
    """ISO 639-1 code of a Latin-script stretch (English when the detector cannot tell)."""
    try:
        lang = _detector().detect_language_of(text)
    except UnicodeEncodeError:  # a lone surrogate (an Article made in Python): the detector takes UTF-8
        lang = _detector().detect_language_of(text.encode("utf-8", "replace").decode("utf-8"))
    return lang.iso_code_639_1.name.lower() if lang is not None else DEFAULT_LATIN


def _latin_runs(text: str, tokens: list[Token], latin: list[int]) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of Latin word indices with no Arabic letter between them."""
    runs: list[list[int]] = []  # [first, last, words]
    for i in latin:
        if runs and not _ARABIC.search(text, tokens[runs[-1][1]].end, tokens[i].start):
            runs[-1][1] = i
            runs[-1][2] += 1
        else:
            runs.append([i, i, 1])
    return [(a, b) for a, b, n in runs if n >= MIN_LATIN_WORDS]


def _extend(text: str, tokens: list[Token], last: int) -> int:
    """End of a Latin run: take trailing punctuation and numbers on the same line."""
    end = tokens[last].end
    j = last + 1
    while j < len(tokens) and tokens[j].kind != "word" and "\n" not in text[end:tokens[j].start]:
        end = tokens[j].end
        j += 1
    return end


def segments(text: str, tokens: list[Token], latin: list[int]) -> list[Segment]:
    """Contiguous segments covering the whole text."""
    n = len(text)
    if not latin or n == 0:
        return [Segment(0, n, "ar")]
    if not _ARABIC.search(text):
        return [Segment(0, n, latin_language(text[:2000]))]
    runs = _latin_runs(text, tokens, latin)
    if not runs:
        return [Segment(0, n, "ar")]
    out: list[Segment] = []
    pos = 0
    for first, last in runs:
        s, e = tokens[first].start, _extend(text, tokens, last)
        if s > pos:
            out.append(Segment(pos, s, "ar"))
        out.append(Segment(s, e, latin_language(text[s:e])))
        pos = e
    if pos < n:
        out.append(Segment(pos, n, "ar"))
    return out
