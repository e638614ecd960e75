"""Consonant skeletons to compare a name across scripts (باولو جنتيلوني ~ Paolo Gentiloni).

Both spellings are reduced to the consonants they share, in classes wide enough to absorb the
usual transliteration choices (ج/غ ~ g/j, ك/ق ~ k/q/c, ش/س/ص ~ s/sh, ط/ت ~ t, ...); vowels, و, ي,
ا, ع and hamza are dropped and doubled letters collapsed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from riwaya.text.normalize import fold

_AR = str.maketrans({
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "g", "غ": "g", "گ": "g", "ق": "k",
    "ك": "k", "خ": "k", "ح": "h", "ه": "h", "د": "d", "ض": "d", "ذ": "d", "ر": "r", "ز": "z",
    "ظ": "z", "س": "s", "ص": "s", "ش": "s", "ف": "f", "ڤ": "f", "ل": "l", "م": "m", "ن": "n",
    "ا": "", "و": "", "ي": "", "ء": "", "ع": "",
})
_LATIN_DIGRAPHS = (("sch", "s"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("kh", "k"), ("ph", "f"),
                   ("dh", "d"), ("gh", "g"), ("ck", "k"), ("x", "ks"))
_LATIN = str.maketrans({"j": "g", "q": "k", "c": "k", "p": "b", "v": "f", "w": "", "y": "",
                        "a": "", "e": "", "i": "", "o": "", "u": ""})
_NOT_LETTER = re.compile(r"[^a-z\u0621-\u064a ]")
_AL = re.compile(r"(^| )(al|el|ال)[- ]?")


@lru_cache(maxsize=65_536)
def skeleton(name: str) -> str:
    """The consonant skeleton of a name in Arabic or Latin script, words separated by spaces."""
    s = fold(name)
    s = _NOT_LETTER.sub(" ", s.replace("-", " "))
    s = _AL.sub(r"\1", s)
    if s.isascii():
        for a, b in _LATIN_DIGRAPHS:
            s = s.replace(a, b)
        s = s.translate(_LATIN)
    else:
        s = s.translate(_AR)
    words = [re.sub(r"(.)\1+", r"\1", w) for w in s.split()]
    return " ".join(w for w in words if w)


_HAS_LATIN = re.compile("[A-Za-z\u0130\u212a]")  # İ and the Kelvin sign lower to i and k
_HAS_ARABIC = re.compile("[\u0600-\u06ff]")


@lru_cache(maxsize=65_536)
def is_latin(name: str) -> bool:
    return _HAS_LATIN.search(name) is not None and _HAS_ARABIC.search(name) is None


def same_name(a: str, b: str, threshold: float = 85.0) -> bool:
    """Do two spellings (one Arabic, one Latin, or both the same script) sound like one name?"""
    sa, sb = skeleton(a).replace(" ", ""), skeleton(b).replace(" ", "")
    if len(sa) < 4 or len(sb) < 4:
        return False
    return fuzz.ratio(sa, sb) >= threshold
