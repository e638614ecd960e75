"""Regex building blocks that match Arabic words in the original text, whatever its spelling.

Extractors match lexicon entries directly against ``Article.text`` so every match is an exact
span. A lexicon word becomes a pattern tolerant of diacritics and tatweel between letters and of
the usual spelling variants (hamza seats, alef maqsura, ta marbuta, Arabic-Indic digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from riwaya.text.normalize import fold as text_fold

MARKS = "\u064b-\u065f\u0670\u0640"  # harakat, superscript alef, tatweel
_M = f"[{MARKS}]*"
WORD_START = rf"(?<![\w{MARKS}])"
WORD_END = rf"(?![\w{MARKS}])"

_CLASSES = {
    "ا": "[اأإآٱ]", "أ": "[أاإآ]", "إ": "[إاأ]", "آ": "[آاأ]",
    "ي": "[يى]", "ى": "[ىي]", "ة": "[ةه]", "ه": "[هة]",
    "ء": "[ءؤئأ]", "ؤ": "[ؤءئ]", "ئ": "[ئءؤي]",
}
_STRIP = re.compile(f"[{MARKS}]")


def letters(word: str) -> str:
    """A pattern for ``word``: variant letters as classes, optional marks after every letter."""
    out = []
    for ch in _STRIP.sub("", word):
        if ch == " ":
            out.append(rf"{_M}\s+")
        elif ch in _CLASSES:
            out.append(_CLASSES[ch] + _M)
        elif ch.isalpha():
            out.append(re.escape(ch) + _M)
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alternation(words: Iterable[str]) -> str:
    """One group matching any of ``words`` (longest first, so the regex prefers full forms)."""
    uniq = sorted({_STRIP.sub("", w) for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(letters(w) for w in uniq) + ")"


def word_pattern(words: Iterable[str], prefix: str = "", suffix: str = "") -> str:
    """Whole-word alternation with optional clitic ``prefix``/``suffix`` patterns."""
    return f"{WORD_START}{prefix}{alternation(words)}{suffix}{WORD_END}"


def strip_marks(text: str) -> str:
    return _STRIP.sub("", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A matching key for lexicon lookups (the text layer's ``fold``, cached per word)."""
    return text_fold(text)
