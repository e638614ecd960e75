"""Regex building blocks that match Arabic words in the original text, whatever its spelling.

Extractors match lexicon entries directly against ``Article.text`` so every match is an exact
span. A lexicon word becomes a pattern tolerant of diacritics and tatweel between letters and of
the usual spelling variants (hamza seats, alef maqsura, ta marbuta, Arabic-Indic digits).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress, count, islice, repeat
from operator import attrgetter, contains, is_

from riwaya.text.chars import FOLDED, REMOVED
from riwaya.text.normalize import fold as text_fold
from riwaya.text.tokenize import token_numbers

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


def _letter(ch: str) -> str:
    if ch == " ":
        return rf"{_M}\s+"
    if ch in _CLASSES:
        return _CLASSES[ch] + _M
    if ch.isalpha():
        return re.escape(ch) + _M
    return re.escape(ch)


def letters(word: str) -> str:
    """A pattern for ``word``: variant letters as classes, optional marks after every letter."""
    return "".join(_letter(ch) for ch in _STRIP.sub("", word))


def alternation(words: Iterable[str]) -> str:
    """One group matching any of ``words``, the longest first where several match.

    Built as a trie (shared prefixes factored out), so the regex engine tries a handful of first
    letters at each position instead of every word.
    """
    root: dict = {}
    for w in {_STRIP.sub("", w) for w in words if w}:
        node = root
        for ch in w:
            node = node.setdefault(_letter(ch), {})
        node[""] = {}
    return "(?:" + _emit(root) + ")" if root else "(?!)"


def _depth(node: dict) -> int:
    return max((1 + _depth(child) for k, child in node.items() if k), default=0)


def _emit(node: dict) -> str:
    kids = sorted((k for k in node if k), key=lambda k: (-_depth(node[k]), k))
    parts = [k + _emit(node[k]) for k in kids]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if "" in node:  # a word ends here: the longer continuations are tried first
        return f"(?:{body})?" if len(parts) == 1 else body + "?"
    return body


def word_pattern(words: Iterable[str], prefix: str = "", suffix: str = "") -> str:
    """Whole-word alternation with optional clitic ``prefix``/``suffix`` patterns."""
    return f"{WORD_START}{prefix}{alternation(words)}{suffix}{WORD_END}"


def strip_marks(text: str) -> str:
    return _STRIP.sub("", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A matching key for lexicon lookups (the text layer's ``fold``, cached per word)."""
    return text_fold(text)


# --------------------------------------------------------------------------- trigger gating
# The extractors' tolerant patterns are costly to run over a whole article; they run only in
# windows around tokens that can start or anchor a match: a lexicon word (by token key) or a number.
_SEATS = {"ء": "ا", "ئ": "ي"}  # pattern classes wider than fold: ء also matches أ, ئ also ي
NUMBER = "#number"  # the index entry of number and percent tokens


def trigger_keys(words: Iterable[str], prefixes: Iterable[str] = ("",)) -> frozenset[str]:
    """Token keys (``riwaya.text.normalize.key``) of ``words`` as written with each clitic prefix."""
    from riwaya.text.normalize import key

    out: set[str] = set()
    prefixes = tuple(prefixes)
    for word in words:
        word = _STRIP.sub("", word)
        forms = {word, *(word.replace(a, b) for a, b in _SEATS.items() if a in word)}
        for form in forms:
            for p in prefixes:
                k = key(p + form)
                if k:
                    out.add(k)
    return frozenset(out)


_NUMBER_KINDS = frozenset({"number", "percent"})
_SETS: dict[int, tuple[frozenset[str], int]] = {}  # id(trigger set) -> (the set, its bit)
_MASKS: dict[str, int] = {}  # token key -> bits of the trigger sets holding it (bit 0: numbers)
_PREFIXES: dict[str, int] = {}  # a letter -> the bit of the tokens whose clitic prefix holds it
_WORD_BITS: list[int | None] = []  # a token string's number (``Tokens.numbers``) -> its bits
_DOC: list = [None, None, None]  # the last document, its trigger hits ([token], [bits]), starts
_KEY, _KIND, _START, _PREFIX = (attrgetter(a) for a in ("key", "kind", "start", "prefix"))


_BITS = count(1)  # bit 0: numbers; never reused (a set registered again anew gets a fresh bit)


def _new_bit() -> int:
    """A bit for a new trigger (set or prefix letter): the cached scans lack it, so they go."""
    _DOC[0] = None
    _WORD_BITS.clear()
    return 1 << next(_BITS)


def _bit(keys: frozenset[str]) -> int:
    """The bit of a trigger set (registered on first use; every stage's sets share one scan)."""
    entry = _SETS.get(id(keys))
    if entry is None or entry[0] is not keys:
        entry = (keys, _new_bit())
        _SETS[id(keys)] = entry
        for k in keys:
            _MASKS[k] = _MASKS.get(k, 0) | entry[1]
    return entry[1]


def _prefix_bit(letter: str) -> int:
    """The bit of the tokens whose clitic prefix holds ``letter`` (registered on first use)."""
    if letter not in _PREFIXES:
        _PREFIXES[letter] = _new_bit()
    return _PREFIXES[letter]


def _scan_bits(tokens) -> list[int | None]:
    """Each token's bits: those of the trigger sets holding its key and of the prefix letters
    its clitic prefix holds, or 1 for a number token (a number triggers as a number only)."""
    bits = list(map(_MASKS.get, map(_KEY, tokens)))  # C-level loops over the tokens
    prefixes = list(map(_PREFIX, tokens)) if _PREFIXES else []
    for letter, bit in _PREFIXES.items():
        for i in compress(count(), map(contains, prefixes, repeat(letter))):
            bits[i] = (bits[i] or 0) | bit
    for i in compress(count(), map(_NUMBER_KINDS.__contains__, map(_KIND, tokens))):
        bits[i] = 1
    return bits


def _token_bits(tokens) -> list[int | None]:
    """:func:`_scan_bits` read off a table by each token's string number (a token's key and
    kind are functions of its string): only strings the table lacks are looked at."""
    numbers = token_numbers(tokens)
    if not numbers or min(numbers) < 0:  # not the tokenizer's, or a string it did not number
        return _scan_bits(tokens)
    if max(numbers) >= len(_WORD_BITS):  # (None: a string not seen here yet)
        _WORD_BITS.extend([None] * (max(numbers) + 1 - len(_WORD_BITS)))
    bits = list(map(_WORD_BITS.__getitem__, numbers))
    if None in bits:
        new = list(compress(count(), map(is_, bits, repeat(None))))
        for i, b in zip(new, _scan_bits(list(map(tokens.__getitem__, new))), strict=True):
            bits[i] = _WORD_BITS[numbers[i]] = b or 0
    return bits


def _hits(doc) -> tuple[list[int], list[int]]:
    """The token indices and bits of every token some trigger set holds (one scan per document)."""
    if _DOC[0] is not doc:
        bits = _token_bits(doc.tokens)
        at = list(compress(count(), bits))
        _DOC[:] = doc, (at, list(map(bits.__getitem__, at))), None
    return _DOC[1]


def _token_starts(doc) -> list[int]:
    _hits(doc)
    if _DOC[2] is None:
        _DOC[2] = list(map(_START, doc.tokens))
    return _DOC[2]


def matches_at_tokens(pattern: re.Pattern, doc, windows: list[tuple[int, int]],
                      starters: list[int] | None = None):
    """``pattern``'s matches in ``windows`` (sorted, disjoint: as :func:`token_windows` makes
    them), tried only where a token starts: what ``finditer`` finds there when every match opens
    a token. With ``starters`` (sorted token indices), only those tokens are tried."""
    text = doc.article.text
    tokens = doc.tokens
    starts = _token_starts(doc) if starters is None else [tokens[i].start for i in starters]
    for lo, hi in windows:
        yield from matches_at(pattern, text, starts, lo, hi)


def matches_at(pattern: re.Pattern, text: str, starts: list[int], lo: int, hi: int):
    """``pattern``'s matches in ``text[lo:hi]`` tried at the positions ``starts`` (ascending)
    only, left to right and not overlapping."""
    done = lo
    for pos in islice(starts, bisect_left(starts, lo), None):
        if pos >= hi:
            break
        if pos < done:
            continue
        m = pattern.match(text, pos, hi)
        if m and m.end() > pos:
            done = m.end()
            yield m


def trigger_tokens(doc, keys: frozenset[str] | None, numbers: bool = False, prefix: str = "") -> list[int]:
    """Indices (ascending) of the document's tokens whose key is in ``keys`` (and number tokens;
    and tokens whose clitic prefix holds the letter ``prefix``)."""
    want = (_bit(keys) if keys else 0) | (1 if numbers else 0) | (_prefix_bit(prefix) if prefix else 0)
    at, bits = _hits(doc)
    return list(compress(at, map(want.__and__, bits)))


def trigger_windows(doc, keys: frozenset[str], before: int, after: int,
                    numbers: bool = False) -> list[tuple[int, int]]:
    """Merged character windows around trigger tokens, ``before``/``after`` tokens of context."""
    return token_windows(doc, trigger_tokens(doc, keys, numbers), before, after)


def token_windows(doc, hits: list[int], before: int, after: int) -> list[tuple[int, int]]:
    """Merged character windows around the tokens ``hits`` (sorted indices into ``doc.tokens``).

    A window runs from the first context token's start to the start of the token after the last
    one (through it when nothing separates them; or to the end of the text), so a pattern's
    word-end test sees the real next character.
    """
    tokens, text_end = doc.tokens, len(doc.article.text)
    out: list[tuple[int, int]] = []
    n = len(tokens)
    for i in hits:
        lo = tokens[max(0, i - before)].start
        j = i + after + 1
        # up to the next token, or through it when it is glued on (``935ر6``: the ``ر`` decides)
        hi = text_end if j >= n else tokens[j].end if tokens[j].start == tokens[j - 1].end \
            else tokens[j].start
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def clip(windows: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of sorted ``windows`` inside ``[start, end)``."""
    return [(max(s, start), min(e, end)) for s, e in windows if s < end and e > start]


def merge_windows(*lists: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Several sorted window lists as one, overlapping windows merged."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(w for ws in lists for w in ws):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


# --------------------------------------------------------------------------- folded-phrase filter
# an ASCII letter, or a letter that matches one case-insensitively or lower-cases to one
# (İ ı ſ and the Kelvin sign)
ASCII_LETTER = re.compile("[A-Za-z\u0130\u0131\u017f\u212a]")


def folded_filter(phrases: Iterable[str]) -> re.Pattern:
    """A pattern over raw text that matches wherever ``fold`` of the text may hold one of the
    Arabic ``phrases`` (folded): each letter as any character folding to it, the characters fold
    removes allowed between letters, an ي before ء (fold's يء → ء). See :func:`may_hold`."""
    sources: dict[str, set[str]] = {}
    for src, dst in FOLDED.items():
        sources.setdefault(dst, set()).add(src)
    gap = "[" + re.escape("".join(REMOVED)) + "]*"

    def char(c: str) -> str:
        cls = "[" + re.escape("".join(sorted({c} | sources.get(c, set())))) + "]"
        return f"(?:{char('ي')}{gap})?{cls}" if c == "ء" else cls

    phrases = list(phrases)
    if any(p.isascii() and not re.search("[a-z]", p) for p in phrases):
        raise ValueError("folded_filter: a phrase without an Arabic or Latin letter")
    arabic = [p for p in phrases if not p.isascii()]
    return re.compile("|".join(gap.join(map(char, p)) for p in arabic) or "(?!)")


def may_hold(pattern: re.Pattern, text: str, start: int, end: int) -> bool:
    """Whether ``fold(text[start:end])`` may hold a phrase of :func:`folded_filter`'s ``pattern``:
    False only where it holds none. Text with a Latin letter (an English phrase may be there) or
    not NFKC-normalised (fold normalises it first) always may."""
    return (pattern.search(text, start, end) is not None or ASCII_LETTER.search(text, start, end) is not None
            or not unicodedata.is_normalized("NFKC", text[start:end]))
