"""Matching keys for words: character folding, clitic splitting and stems.

Keys are for matching only; the displayed text is never rewritten.

Decisions (documented here because every stage relies on them):

* ``fold``: NFKC (presentation forms, ligatures), diacritics/tatweel/bidi marks removed,
  أ إ آ ٱ → ا, hamza seats ؤ ئ → ء (so مسؤول = مسئول; ``يء`` → ``ء`` so شيء = شئ),
  ى → ي, ة → ه, Arabic-Indic/Persian digits → ASCII, Arabic comma/decimal/thousands
  separators → ``, . ,``, Latin lowercased.
* ``split_clitics``: the article ال is stripped too, so الكويت, والكويت and كويت share the key
  ``كويت`` (لل is ل + ال: للتحالف → تحالف, but لليبيا → ليبيا). A conjunction (و ف) and then
  a preposition (ب ل; ك only before ال; future س only before an imperfect verb) come off only
  when the remaining stem is a word seen at least 10 times per ten million words in the
  frequency list (``data/ar_wordfreq.tsv.gz``, from wordfreq) and the whole word is not much
  more frequent than the stem (so بريطانيا, لندن, كانت, فقط, وزير, كيري stay whole); an unseen
  word loses a leading و, and a rare one its future س before an attested imperfect.
  Enclitic pronouns (ها هم هما هن كم كما كن نا, and ه only when written ه, not ة) come off under the
  same test; ت before them is restored to ة (حكومتها → حكومه). Exceptions live in
  ``data/ar_clitic_exceptions.txt``.
* numbers: ``key`` of a number is its digits with thousands separators dropped and ``.`` as
  decimal point: key('١٠٬٠٠٠') == key('10,000') == '10000'.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from riwaya.resources import load_lines
from riwaya.text.chars import FOLD_TABLE
from riwaya.text.wordfreq import counts

_ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ه")
# how much more frequent the whole word may be than its stem for a proclitic to come off
# (wordfreq's general-domain counts: وأضاف is 3 times أضاف, وصول 26 times صول)
_RATIO = {"و": 6, "ف": 10, "ب": 2, "ل": 2, "س": 4, "ك": 2}
_FUTURE_STEM = ("ي", "ت", "ن")  # س only before an imperfect verb
_MIN_STEM = 3  # after a proclitic other than the article
_MIN_COUNT = 10  # a stem must be seen this often to count as a word
_ARABIC_LETTERS = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+$")
_NUMBER = re.compile(r"^[+-]?\d[\d,.]*$")


@cache
def _exceptions() -> frozenset[str]:
    return frozenset(fold(w) for w in load_lines("ar_clitic_exceptions.txt"))


def fold(s: str) -> str:
    """Character normalisation for keys (not length-preserving)."""
    if not s.isascii():
        if not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
        s = s.translate(FOLD_TABLE)
        if "يء" in s:
            s = s.replace("يء", "ء")
    return s.lower()


def _freq(word: str) -> int:
    """How often ``word`` occurs, bare or with the article."""
    c = counts()
    return max(c.get(word, 0), c.get("ال" + word, 0))


def _strip_article(w: str) -> tuple[str, str]:
    if w.startswith("ال") and len(w) >= 4 and w not in _exceptions():
        return "ال", w[2:]
    return "", w


def _strip_proclitics(w: str) -> tuple[str, str]:
    """Split conjunction/preposition/future prefixes, then the article."""
    exceptions = _exceptions()
    if w in exceptions:
        return "", w
    c = counts()
    # لل = ل + ال: لـلتحالف → ل + ال + تحالف, but لـليبيا → ل + ليبيا
    for p in ("ولل", "فلل", "لل"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            rest = w[len(p):]
            if _freq(rest) >= _MIN_COUNT and ("ال" + rest) not in exceptions:
                return p, rest
    pre = ""
    for _ in range(2):  # at most a conjunction then a preposition/future prefix
        letter = w[:1]
        ratio = _RATIO.get(letter)
        if ratio is None or (pre and letter in "وف") or len(w) - 1 < _MIN_STEM or w in exceptions:
            break
        rest = w[1:]
        if letter == "س" and not (rest.startswith(_FUTURE_STEM) and len(rest) >= 4):
            break
        if len(rest) <= 3 and rest in exceptions:
            break  # بالا, سالا: not ب + إلا
        if letter == "ك" and not rest.startswith("ال"):
            break  # ك (like) is rare before anything but a definite noun: كوما, كيري stay whole
        n, whole = _freq(rest), c.get(w, 0)
        ok = n >= _MIN_COUNT and whole <= ratio * n  # the stem is a word, not much rarer
        if not ok and letter == "و" and not pre and whole < _MIN_COUNT and len(rest) >= 4:
            ok = True  # an unknown word after و: و is far more often the conjunction
        if not ok and letter == "س" and whole < _MIN_COUNT and n > 0:
            ok = True  # a rare verb: an attested imperfect after س is the future (سيراجعون)
        if not ok:
            break
        pre, w = pre + letter, rest
    art, w = _strip_article(w)
    return pre + art, w


def _strip_enclitics(w: str, final_ha: bool) -> tuple[str, str]:
    c = counts()
    whole = c.get(w, 0)
    for e in _ENCLITICS:
        if not w.endswith(e) or len(w) - len(e) < 3:
            continue
        if e == "ه" and not final_ha:
            continue
        stem = w[: -len(e)]
        candidates = [stem, stem[:-1] + "ه"] if stem.endswith("ت") else [stem]  # حكومتها → حكومه
        best = max(candidates, key=_freq)
        n = _freq(best)
        if n >= 5 and whole <= (n if e == "ه" else 2 * n):
            return best, e
    return w, ""


def split_clitics(word: str, final_ha: bool = False) -> tuple[str, str, str]:
    """``(proclitics, stem, enclitics)`` of a folded word; conservative (see module doc).

    ``final_ha`` says a final ه is a real ه (not a folded ة); only then may it be split off.
    """
    if len(word) < 3 or not _ARABIC_LETTERS.match(word):
        return "", word, ""
    pre, stem = _strip_proclitics(word)
    stem, suf = _strip_enclitics(stem, final_ha)
    return pre, stem, suf


@lru_cache(maxsize=100_000)
def analyze(word: str) -> tuple[str, str, str, str]:
    """``(key, stem, prefix, suffix)`` for a raw word as written (cached)."""
    folded = fold(word)
    if _NUMBER.match(folded):
        k = number_key(folded)
        return k, k, "", ""
    pre, core, suf = split_clitics(folded, final_ha=word.endswith("ه"))
    return core, _stem(core), pre, suf


def key(word: str) -> str:
    """The matching key: folded, clitics stripped; numbers as plain digits."""
    return analyze(word)[0]


def stem(word: str) -> str:
    """A coarser key: Snowball (Arabic or English) stem of the key."""
    return analyze(word)[1]


def loose_key(word: str) -> str:
    """A looser key that also drops long vowels inside the word (الأمريكية = الأميركية)."""
    k = key(word)
    if len(k) <= 3 or not _ARABIC_LETTERS.match(k):
        return k
    return k[0] + k[1:-1].replace("ي", "").replace("و", "").replace("ا", "") + k[-1]


def number_key(s: str) -> str:
    """Canonical digits of a number: ``١٠٬٠٠٠`` and ``10,000`` → ``10000``; ``٢٫٥`` → ``2.5``."""
    s = fold(s)
    if "," in s and "." not in s:
        parts = s.split(",")
        # a single comma followed by other than three digits is a decimal comma (2,5)
        if len(parts) == 2 and len(parts[1]) != 3:
            return parts[0] + "." + parts[1]
    return s.replace(",", "")


@cache
def _stemmers() -> tuple[object, object]:
    import Stemmer

    return Stemmer.Stemmer("arabic"), Stemmer.Stemmer("english")


def _stem(k: str) -> str:
    if not k:
        return k
    ar, en = _stemmers()
    if _ARABIC_LETTERS.match(k):
        return ar.stemWord(k)  # type: ignore[attr-defined]
    if k.isascii() and k.isalpha():
        return en.stemWord(k)  # type: ignore[attr-defined]
    return k
