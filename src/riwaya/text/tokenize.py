"""Tokens as spans: one compiled regular expression, one pass, keys from a per-word cache.

Kinds: ``word`` (Arabic, Latin, other scripts, initials such as ``ع.ع.م.`` and ``U.S.``),
``number`` (``10,000``, ``١٠٬٠٠٠``, ``2.5``, ``٢٫٥``, ``10:30``), ``percent`` (``40%``,
``٤٠٪``, ``%40``: one token, key ``40%``), ``url`` (web addresses and e-mail), ``hashtag``,
``mention``, ``punct`` and ``symbol``. A conjunction or preposition written onto a number
(``و20%``, ``ب2016``) stays in the token and is reported as its ``prefix``.

The tokens come as :class:`Tokens`, a list that also holds each token's string (the cache's own
object) and that string's number, so later stages neither slice the text again nor look every
word up by string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from typing import NamedTuple

from riwaya.model import Token
from riwaya.text.normalize import analyze, fold, number_key

AR_LETTER = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
AR_MARK = "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
AR_FORMS = "\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc"
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_W_NUM = r"[0-9]+(?:[.,٫٬][0-9]+)*(?::[0-9]{2})?"
_A_NUM = r"[٠-٩۰-۹]+(?:[.,٫٬][٠-٩۰-۹]+)*(?::[٠-٩۰-۹]{2})?"
_NUM = f"(?:{_W_NUM}|{_A_NUM})"
_NUM_PREFIX = "(?:[وفبلك]{1,2})?"

_AR = AR_LETTER + AR_MARK + AR_FORMS

# Branches in order of frequency; the leading (?=\S) skips spaces without trying every branch.
# An e-mail's local part is at most 64 characters (RFC 5321): unbounded, the branch would be
# retried across the whole of every long run of ``-``, ``%`` or ``+`` (quadratic time).
TOKEN_PATTERN = rf"""(?=\S)(?:
    (?P<arabic>[{_AR}]++(?![0-9٠-٩۰-۹]|\.[{AR_LETTER}](?![{_AR}])))
    |(?P<term>[.!?؟…۔]+)
    |(?P<percent>{_NUM_PREFIX}(?:{_NUM}[ \u00a0]?[%٪]|[%٪]{_NUM}))
    |(?P<number>{_NUM_PREFIX}{_NUM})
    |(?P<url>(?:https?://|www\.)[^\s<>"«»“”]*[^\s<>"«»“”.,;:!?)\]،؛؟']
      |[A-Za-z0-9._%+-]{{1,64}}+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    |(?P<initials>(?:[{AR_LETTER}]\.)+[{AR_LETTER}](?![{_AR}])\.?|(?:[A-Za-z]\.){{2,}})
    |(?P<arabic2>[{_AR}]+)
    |(?P<latin>[{LATIN}][{LATIN}0-9]*+(?:['’\-][{LATIN}0-9]+)*)
    |(?P<hashtag>[#＃][\w{AR_MARK}]+)
    |(?P<mention>@[A-Za-z0-9_]+)
    |(?P<other>\w+)
    |(?P<char>\S)
    )"""
TOKEN_RE = re.compile(TOKEN_PATTERN, re.VERBOSE)
# The same pattern as one group without names: ``split`` gives gap, token, gap, ..., gap as
# plain strings (no match objects), and every non-space character is in a token, so the gaps
# are the spaces between tokens and the positions are the running sums of the lengths.
_SPLIT_RE = re.compile("(" + re.sub(r"\(\?P<\w+>", "(?:", TOKEN_PATTERN) + ")", re.VERBOSE)


class Tokens(list):
    """A text's tokens (a list of :class:`Token`) with ``words``, each token's string as written,
    and ``numbers``, each string's number in this process (0, 1, 2, ... in order of first sight in
    the tokenizer's cache; -1: a string the full cache did not keep).

    The strings are the tokenizer's own (one object per distinct string, its hash computed), so
    later stages need not slice the text again, and their dictionary look-ups by word are cheap;
    by the numbers they can keep per-word data in arrays instead of dictionaries.
    """

    __slots__ = ("numbers", "words")

    def __init__(self, tokens: Iterable[Token] = (), words: Sequence[str] = (),
                 numbers: Sequence[int] = ()) -> None:
        super().__init__(tokens)
        self.words = words
        self.numbers = numbers

    def __reduce__(self) -> tuple:
        """Pickled (and copied) without ``numbers``: they are valid only in the process that
        tokenized the text, and another process would read its own words by them."""
        return (Tokens, (list(self), list(self.words)))


def token_numbers(tokens: list[Token]) -> Sequence[int] | None:
    """Each token's string's number (:class:`Tokens`) when ``tokens`` came from the tokenizer here."""
    numbers = getattr(tokens, "numbers", None)
    return numbers if numbers is not None and len(numbers) == len(tokens) else None


def token_strings(tokens: list[Token], text: str) -> Sequence[str]:
    """Each token's string as written: the tokenizer's own when ``tokens`` came from it."""
    words = getattr(tokens, "words", None)
    if words is not None and len(words) == len(tokens):
        return words
    return [text[t.start:t.end] for t in tokens]


class Tokenized(NamedTuple):
    tokens: Tokens
    terminals: list[int]  # indices of sentence-final punctuation tokens
    latin: list[int]  # indices of Latin-script words
    starts: list[int]  # each token's start (for bisecting without reading the Token objects)


# flags in the per-string cache: which side list a token goes to
_LATIN, _TERM = 1, 2
_WORD_GROUPS = {"arabic": 0, "arabic2": 0, "latin": _LATIN, "initials": 0, "other": 0}
_MAX_CACHE = 200_000  # distinct token strings kept (the frequent ones come first)
_cache: dict[str, tuple[str, int, str, str, str, str, str, int]] = {}  # word → (word, number, _describe)


def _number_parts(text: str, percent: bool) -> tuple[str, str, str, str]:
    i = 0
    while i < len(text) and text[i] in "وفبلك":
        i += 1
    digits = text[i:].strip("%٪ \u00a0")
    k = number_key(digits) + ("%" if percent else "")
    return k, k, text[:i], ""


def _describe(text: str, group: str) -> tuple[str, str, str, str, str, int]:
    """``(kind, key, stem, prefix, suffix, flag)`` of a token string as matched by ``group``."""
    if group in _WORD_GROUPS:
        return ("word", *analyze(text), _WORD_GROUPS[group])
    if group == "number" or group == "percent":
        return (group, *_number_parts(text, group == "percent"), 0)
    if group == "term":
        k = fold(text)
        return "punct", k, k, "", "", _TERM
    if group == "char":
        k = fold(text)
        return "punct" if unicodedata.category(text)[0] == "P" else "symbol", k, k, "", "", 0
    if group == "hashtag":
        k = "#" + fold(text[1:])
        return "hashtag", k, k, "", "", 0
    k = text.lower()  # url, mention
    return group, k, k, "", "", 0


def _lookup(word: str, group: str) -> tuple[str, int, str, str, str, str, str, int]:
    if len(_cache) < _MAX_CACHE:
        p = _cache[word] = (word, len(_cache), *_describe(word, group))
        return p
    return (word, -1, *_describe(word, group))


def tokenize(text: str) -> Tokenized:
    """All tokens of ``text`` in order; each ``text[t.start:t.end]`` is the token as written.

    Column-wise with ``map`` so the per-token work stays in C: split the text into tokens and
    the spaces between (positions from the running sum of their lengths), look each string up
    in the cache (describing only new strings), then build the Token objects. The tokens come
    as :class:`Tokens`, with the cache's own string of each token as ``words`` (and its number).
    """
    parts = _SPLIT_RE.split(text)  # gap, token, gap, token, ..., gap
    if len(parts) == 1:
        return Tokenized(Tokens(), [], [], [])
    ends = list(accumulate(map(len, parts)))
    starts = ends[0:-1:2]
    infos = list(map(_cache.get, parts[1::2]))
    if None in infos:
        for i, p in enumerate(infos):
            if p is None:  # a new string (or one seen earlier in this text)
                infos[i] = _cache.get(parts[2 * i + 1]) or _new(text, starts[i], parts[2 * i + 1])
    words, numbers, kinds, keys, stems, prefixes, suffixes, flags = zip(*infos, strict=True)
    tokens = Tokens(map(Token, starts, ends[1::2], kinds, keys, stems, prefixes, suffixes),
                    words, numbers)
    terminals: list[int] = []
    latin: list[int] = []
    for i in compress(range(len(flags)), flags):
        (latin if flags[i] == _LATIN else terminals).append(i)
    return Tokenized(tokens, terminals, latin, starts)


def _new(text: str, start: int, word: str) -> tuple[str, int, str, str, str, str, str, int]:
    """The cache entry of a string not seen yet, ``word`` at ``start`` in ``text`` (matched
    again there for the name of its branch)."""
    return _lookup(word, TOKEN_RE.match(text, start).lastgroup)  # type: ignore[union-attr,arg-type]
